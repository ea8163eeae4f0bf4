"""Why a WebSocket could not open, in one plain line: a bad URL, the socket's failures
(as for HTTP: core/http/errors), a refused upgrade with its status and body."""

from __future__ import annotations

from websockets.exceptions import InvalidHandshake, InvalidStatus, InvalidURI

from explorer.core.http.errors import describe_exception
from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.model import Request

BODY_SHOWN = 200  # characters of a refusal's body in the message


def describe_open_error(exc: BaseException, request: Request) -> SendError:
    """A SendError for `exc`, raised while opening `request`'s WebSocket."""
    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, InvalidURI):
        return SendError(ErrorKind.INVALID_URL, f"Invalid WebSocket URL: {exc.msg}", "")
    if isinstance(exc, InvalidStatus):
        response = exc.response
        body = bytes(response.body or b"").decode("utf-8", "replace")
        body = " ".join(body.split())[:BODY_SHOWN]
        status = f"{response.status_code} {response.reason_phrase}".strip()
        return SendError(
            ErrorKind.INVALID_RESPONSE,
            f"The server refused the WebSocket upgrade: {status}" + (f" — {body}" if body else ""),
            "Check the path, the headers and the Auth tab: the server answered the upgrade "
            "like a normal HTTP request.",
        )
    if isinstance(exc, InvalidHandshake):
        return SendError(
            ErrorKind.INVALID_RESPONSE,
            f"The WebSocket upgrade failed: {exc}",
            "The server did not complete the handshake (RFC 6455 §4); is it a WebSocket endpoint?",
        )
    if isinstance(exc, TimeoutError) and "handshake" in str(exc):
        timeout = request.options.timeout
        return SendError(
            ErrorKind.READ_TIMEOUT,
            f"The server did not answer the WebSocket upgrade within {timeout:g} s",
            "Raise the timeout in Settings, or check that the path is a WebSocket endpoint.",
        )
    if isinstance(exc, TimeoutError):
        return SendError(
            ErrorKind.CONNECT_TIMEOUT,
            f"Could not connect within {request.options.timeout:g} s",
            "The host may be down or a firewall drops the packets; check the address and "
            "port, or raise the timeout in Settings.",
        )
    if isinstance(exc, ValueError) and not isinstance(exc, OSError):
        return SendError(ErrorKind.OTHER, f"Cannot connect: {exc}", "")
    error = describe_exception(exc, request)
    return error
