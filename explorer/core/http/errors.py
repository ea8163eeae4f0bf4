"""Turn the exceptions of requests, urllib3, ssl and socket into plain-language SendErrors.

The user should learn what failed (name lookup, connect, TLS, timeout …) and what to try,
never see a traceback.
"""

from __future__ import annotations

import errno
import http.client
import re
import socket
import ssl
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import (
    DecodeError,
    IncompleteRead,
    InvalidChunkLength,
    LocationParseError,
    NameResolutionError,
)

from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.prepare import final_url
from explorer.core.model import Request


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
    if redirected_from and _is_bad_url(exc):
        return SendError(
            ErrorKind.INVALID_URL,
            f"{redirected_from} redirected to {url!r}, which is not a valid URL "
            f"({_innermost(exc)})",
            "The server sent a broken Location header. Turn off following redirects in "
            "Settings to see the redirect itself.",
        )
    if isinstance(exc, (requests.exceptions.InvalidURL, LocationParseError)):
        return SendError(ErrorKind.INVALID_URL, f"Invalid URL {url!r}: {_innermost(exc)}", "")
    if isinstance(exc, ValueError) and "header" in str(exc).lower():
        return SendError(ErrorKind.INVALID_HEADER, f"Invalid header: {exc}", _HEADER_HINT)
    broken = _broken_response(exc, host)
    if broken is not None:
        return broken
    if isinstance(exc, requests.exceptions.ConnectionError):
        return SendError(
            ErrorKind.CONNECTION_FAILED,
            f"The connection to {host} failed: {_innermost(exc)}",
            "The server closed the connection or the network dropped it; try again.",
        )
    return SendError(ErrorKind.OTHER, f"The request failed: {_innermost(exc)}", "")


_BROKEN_HINT = (
    "The server sent a broken response; nothing in the request can fix that. Try again, "
    "or tell whoever runs the server."
)
_CUT_HINT = "The server or the network cut the response short; try again."


def _broken_response(exc: BaseException, host: str) -> SendError | None:
    """A plain sentence for a response the parsers rejected (their own words are about
    Python's internals: "invalid literal for int() with base 16", "IncompleteRead(…)",
    "Error -3 while decompressing"), or None when `exc` is not one."""
    chain = _chain(exc)
    for item in chain:
        if isinstance(item, InvalidChunkLength) or _bad_chunk_size(item):
            return SendError(
                ErrorKind.INVALID_RESPONSE,
                "The server sent a malformed chunked body: a chunk size was not a "
                "hexadecimal number",
                _BROKEN_HINT,
            )
        if isinstance(item, (IncompleteRead, http.client.IncompleteRead)):
            return SendError(ErrorKind.CONNECTION_FAILED, _cut_short(item), _CUT_HINT)
        if isinstance(item, (DecodeError, requests.exceptions.ContentDecodingError)):
            return SendError(ErrorKind.INVALID_RESPONSE, _undecodable(chain), _BROKEN_HINT)
        if isinstance(item, http.client.RemoteDisconnected):
            return SendError(
                ErrorKind.CONNECTION_FAILED,
                f"{host} closed the connection without sending a response",
                "The server may have crashed or refused the request; try again.",
            )
        if isinstance(item, http.client.LineTooLong):
            return SendError(
                ErrorKind.INVALID_RESPONSE,
                "The server sent a status or header line too long to be HTTP",
                _BROKEN_HINT,
            )
        if isinstance(item, http.client.BadStatusLine):
            # http.client sets `line` (the typeshed stub leaves it out); args[0] is the same.
            first = str(getattr(item, "line", item.args[0] if item.args else "")).strip()[:60]
            if first.startswith("HTTP/"):
                return SendError(
                    ErrorKind.INVALID_RESPONSE,
                    f"{host} sent an invalid status line: {first!r}",
                    _BROKEN_HINT,
                )
            return SendError(
                ErrorKind.INVALID_RESPONSE,
                f"{host} did not answer with HTTP: its first line was {first!r}",
                "Check the port and the scheme (http or https): another kind of server "
                "may be listening there.",
            )
    return None


def _bad_chunk_size(item: BaseException) -> bool:
    """http.client reports a chunk size it cannot read as an IncompleteRead raised
    while handling the ValueError of int(size, 16)."""
    return isinstance(item, http.client.IncompleteRead) and isinstance(item.__context__, ValueError)


def _cut_short(item: BaseException) -> str:
    # urllib3's counts are of the whole body (Content-Length); http.client's, raised
    # inside a chunked body, would be of one chunk and mislead.
    if isinstance(item, IncompleteRead) and isinstance(item.expected, int):
        total = item.partial + item.expected
        return f"The connection closed after {item.partial:,} of {total:,} bytes"
    return "The connection closed before the end of the body"


def _undecodable(chain: list[BaseException]) -> str:
    """Which Content-Encoding failed, from urllib3's message, when it names one."""
    for item in chain:
        found = re.search(r"content-encoding: ([\w-]+)", str(item), re.IGNORECASE)
        if found:
            name = found.group(1).lower()
            return f"The body is not valid {name} data, as its Content-Encoding says it is"
    return "The body could not be decoded as its Content-Encoding says"


_TLS_HINT = (
    "The certificate could not be trusted or the handshake failed. For a self-signed "
    "certificate, add its CA bundle in Settings, or turn off TLS verification there."
)
_HEADER_HINT = "Fix or disable the header in the Headers tab."


def _is_bad_url(exc: BaseException) -> bool:
    """A URL that cannot be parsed (urllib.parse and requests raise ValueError)."""
    if isinstance(exc, (requests.exceptions.InvalidURL, LocationParseError)):
        return True
    return isinstance(exc, ValueError) and "header" not in str(exc).lower()


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
