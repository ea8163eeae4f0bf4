"""The upgrade request of a WebSocket request: its URL (params and path params as for
HTTP) and the headers that go with it: the user's and the Auth tab's, through the same
checks and auth rules as an HTTP send (core/http/prepare)."""

from __future__ import annotations

from base64 import b64encode
from urllib.parse import urlsplit

from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.prepare import _auth_headers, check_request, final_url
from explorer.core.model import AuthKind, Request

# Headers the WebSocket handshake itself writes (RFC 6455 §4.1): one typed by the user
# would go out twice or break the upgrade, so it is left out (the Headers tab says so).
PROTOCOL_HEADERS = frozenset(
    {
        "host",
        "upgrade",
        "connection",
        "sec-websocket-key",
        "sec-websocket-version",
        "sec-websocket-extensions",
    }
)


# The handshake is an HTTP request (RFC 6455 §3): an http:// or https:// address (a
# {{base_url}} shared with the HTTP requests of a collection) means ws:// or wss://.
HTTP_SCHEMES = {"http": "ws", "https": "wss"}


def websocket_url(request: Request) -> str:
    """The ws:// or wss:// URL that the upgrade goes to (http:// and https:// mapped to
    them). Raises SendError for another scheme or a URL without a host."""
    url = final_url(request)
    scheme, colon, rest = url.partition(":")
    if colon and scheme.lower() in HTTP_SCHEMES:
        url = HTTP_SCHEMES[scheme.lower()] + ":" + rest
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise SendError(ErrorKind.INVALID_URL, f"Invalid URL {url!r}: {exc}", _HINT) from None
    if parts.scheme not in ("ws", "wss"):
        raise SendError(
            ErrorKind.INVALID_URL,
            f"A WebSocket address starts with ws:// or wss://, not {parts.scheme or url!r}",
            _HINT,
        )
    if not parts.hostname:
        raise SendError(ErrorKind.INVALID_URL, f"Invalid URL {url!r}: no host", _HINT)
    del port
    return url


_HINT = "Check the address: it should look like ws://host:port/path (wss:// for TLS)."


def handshake_headers(request: Request) -> list[tuple[str, str]]:
    """The Auth tab's headers, then the user's enabled ones, in order, without the ones
    the handshake writes itself. Raises SendError for a header that cannot be sent."""
    check_request(request)
    headers = _auth_headers(request)
    auth = request.auth
    if auth.kind == AuthKind.BASIC:
        token = b64encode(f"{auth.username}:{auth.password}".encode()).decode("ascii")
        headers.insert(0, ("Authorization", f"Basic {token}"))
    headers += [(h.name.strip(), h.value) for h in request.headers if h.enabled and h.name.strip()]
    own_protocols = bool(request.stream.subprotocols)
    return [
        (name, value)
        for name, value in headers
        if name.lower() not in PROTOCOL_HEADERS
        and not (own_protocols and name.lower() == "sec-websocket-protocol")
    ]
