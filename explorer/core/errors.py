"""Turn the exceptions of requests, urllib3, ssl and socket into plain-language SendErrors.

The user should learn what failed (name lookup, connect, TLS, timeout …) and what to try,
never see a traceback.
"""

from __future__ import annotations

import errno
import socket
import ssl
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import LocationParseError, NameResolutionError

from explorer.core.exchange import ErrorKind, SendError
from explorer.core.model import Request
from explorer.core.prepare import final_url


def describe_exception(
    exc: BaseException, request: Request, url: str = "", redirected_from: str = ""
) -> SendError:
    """A SendError that explains `exc`, raised while sending `request`.

    `url` is the address being sent when it failed (a redirect's target), and
    `redirected_from` the response that redirected there, if any.
    """
    url = url or final_url(request)
    host = _host_of(url)
    timeout = request.options.timeout
    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return SendError(
            ErrorKind.CONNECT_TIMEOUT,
            f"Could not connect to {host} within {timeout:g} s",
            "The host may be down or a firewall drops the packets; check the address "
            "and port, or raise the timeout in Settings.",
        )
    if isinstance(exc, requests.exceptions.ReadTimeout) or _in_chain(exc, TimeoutError):
        return SendError(
            ErrorKind.READ_TIMEOUT,
            f"{host} accepted the connection but sent no data for {timeout:g} s",
            "The server is slow or stuck; raise the timeout in Settings to wait longer.",
        )
    if isinstance(exc, requests.exceptions.SSLError) or _in_chain(exc, ssl.SSLError):
        return SendError(ErrorKind.TLS, f"TLS failed with {host}: {_tls_reason(exc)}", _TLS_HINT)
    if isinstance(exc, requests.exceptions.ProxyError):
        return SendError(
            ErrorKind.PROXY,
            f"The proxy failed: {_innermost(exc)}",
            "Check the proxy address in Settings, or turn the proxy off.",
        )
    if _in_chain(exc, NameResolutionError) or _in_chain(exc, socket.gaierror):
        return SendError(
            ErrorKind.UNKNOWN_HOST,
            f"Unknown host {host!r}: the name could not be resolved",
            "Check the spelling of the host name, or your network and DNS.",
        )
    if is_connection_refused(exc):
        return SendError(
            ErrorKind.CONNECTION_REFUSED,
            f"Connection refused by {host}",
            "Nothing is listening on that port. Is the server running? Check the port.",
        )
    if isinstance(exc, requests.exceptions.InvalidSchema):
        scheme = url.split(":", 1)[0]
        if redirected_from:
            return SendError(
                ErrorKind.INVALID_URL,
                f"{redirected_from} redirected to {url}, whose scheme {scheme!r} "
                "cannot be followed",
                "Only http:// and https:// redirects are followed. Turn off following "
                "redirects in Settings to see the redirect itself.",
            )
        return SendError(
            ErrorKind.INVALID_URL,
            f"Unsupported URL scheme {scheme!r} in {url!r}",
            "Only http:// and https:// addresses can be sent. Check for a typo.",
        )
    if isinstance(exc, requests.exceptions.InvalidHeader):
        return SendError(ErrorKind.INVALID_HEADER, f"Invalid header: {exc}", _HEADER_HINT)
    if isinstance(exc, (requests.exceptions.InvalidURL, LocationParseError)):
        return SendError(ErrorKind.INVALID_URL, f"Invalid URL {url!r}: {_innermost(exc)}", "")
    if isinstance(exc, ValueError) and "header" in str(exc).lower():
        return SendError(ErrorKind.INVALID_HEADER, f"Invalid header: {exc}", _HEADER_HINT)
    if isinstance(exc, requests.exceptions.ConnectionError):
        return SendError(
            ErrorKind.CONNECTION_FAILED,
            f"The connection to {host} failed: {_innermost(exc)}",
            "The server closed the connection or the network dropped it; try again.",
        )
    return SendError(ErrorKind.OTHER, f"The request failed: {_innermost(exc)}", "")


_TLS_HINT = (
    "The certificate could not be trusted or the handshake failed. For a self-signed "
    "certificate, add its CA bundle in Settings, or turn off TLS verification there."
)
_HEADER_HINT = "Fix or disable the header in the Headers tab."


def is_connection_refused(exc: BaseException) -> bool:
    """True when the chain of `exc` contains a refused connection."""
    return any(
        isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED
        for e in _chain(exc)
    )


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException) and reason not in seen:
            current = reason
        else:
            current = current.__cause__ or current.__context__
    return seen


def _in_chain(exc: BaseException, kind: type[BaseException]) -> bool:
    return any(isinstance(e, kind) for e in _chain(exc))


def _innermost(exc: BaseException) -> str:
    chain = _chain(exc)
    return str(chain[-1]) or type(chain[-1]).__name__


def _tls_reason(exc: BaseException) -> str:
    for item in _chain(exc):
        if isinstance(item, ssl.SSLCertVerificationError):
            return item.verify_message or str(item)
        if isinstance(item, ssl.SSLError):
            return item.reason or str(item)
    return _innermost(exc)


def _host_of(url: str) -> str:
    try:
        parts = urlsplit(url)
        return parts.netloc or url
    except ValueError:
        return url
