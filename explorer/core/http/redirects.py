"""What a request may carry on to the next hop of a redirect.

The rule is curl's (without --location-trusted): credentials go only to the origin the
user addressed. When a redirect changes the scheme, host or port, the next request
loses `Authorization`, the user's `Cookie` header (the cookie jar still sends the
cookies that belong to the new host), every header the auth settings added (an API-key
header), and every header or query parameter whose value contains a secret of this
send. `Options.trust_redirects` carries everything on, as --location-trusted does.

requests' own rule differs: it keeps `Authorization` from http to https on the same
host, drops it on a host change even when trusted, and always drops the user's `Cookie`
header. `guard_redirect` corrects the request that requests built, in place.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit, urlunsplit

from requests.hooks import default_hooks

from explorer.core.http.prepare import wire_value
from explorer.core.model import AuthKind, Request

_DEFAULT_PORTS = {"http": 80, "https": 443}
_CREDENTIAL_HEADERS = ("Authorization", "Proxy-Authorization", "Cookie")


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of `url`, the port defaulted by the scheme."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return "", url, None


def auth_secrets(request: Request) -> frozenset[str]:
    """The values of the request's active auth settings that are credentials."""
    return frozenset(request.auth.credentials())


def auth_header_names(request: Request) -> frozenset[str]:
    """Lower-cased names of the headers the auth settings add."""
    auth = request.auth
    names = set()
    if auth.kind in (AuthKind.BASIC, AuthKind.DIGEST, AuthKind.BEARER):
        names.add("authorization")
    if auth.kind == AuthKind.API_KEY and auth.key_in == "header" and auth.key_name:
        names.add(auth.key_name.strip().lower())
    return frozenset(names)


def keeps_credentials(previous_url: str, following_url: str, request: Request) -> bool:
    """True when a redirect hop may carry the request's credentials: same origin, or
    redirects trusted (curl's --location-trusted)."""
    return origin(previous_url) == origin(following_url) or request.options.trust_redirects


def guard_redirect(
    previous: Any, following: Any, request: Request, secrets: Collection[str]
) -> tuple[str, ...]:
    """Fix up `following` (the PreparedRequest requests built for a redirect from
    `previous`) so that it carries what curl would. Returns what was withheld, as
    "header Name" / "query parameter name" phrases for the user."""
    user_cookie = _typed_header(request, "cookie")
    same = origin(previous.url) == origin(following.url)
    if same or request.options.trust_redirects:
        # requests drops the typed Cookie header on every redirect, and Authorization on
        # a host change; both belong on the same origin, and anywhere when trusted.
        if user_cookie is not None:
            following.headers["Cookie"] = wire_value(user_cookie)
        if not same:
            for name, value in previous.headers.items():
                if name.lower() == "authorization":
                    following.headers[name] = value
        return ()
    # Digest auth answers a 401 from a response hook: the new host must not get one.
    following.hooks = default_hooks()
    _drop_headers(following, request, secrets)
    withheld = [
        f"header {name}"
        for name, value in previous.headers.items()
        if name not in following.headers and _is_credential(name, value, request, secrets)
    ]
    withheld += _drop_query(following, secrets)
    return tuple(dict.fromkeys(withheld))  # a header typed twice is named once


def _is_credential(
    name: str, value: str | bytes, request: Request, secrets: Collection[str]
) -> bool:
    """True for a header that carries credentials or a secret of this send. A Cookie
    header counts when the user typed it: else it came from the cookie jar, whose
    cookies requests chooses by host."""
    lowered = name.lower()
    if lowered == "cookie":
        typed = _typed_header(request, "cookie")
        return typed is not None and value == wire_value(typed)
    by_name = {name.lower() for name in _CREDENTIAL_HEADERS} | auth_header_names(request)
    return lowered in by_name or _contains_secret(value, secrets)


def _drop_headers(following: Any, request: Request, secrets: Collection[str]) -> None:
    # items(), not headers[name]: urllib3's HTTPHeaderDict joins values on lookup, and
    # cannot join a non-ASCII value, which goes out as bytes.
    doomed = {
        name.lower()
        for name, value in following.headers.items()
        if _is_credential(name, value, request, secrets)
    }
    # requests has already removed a typed Proxy-Authorization; one still here it made
    # from the proxy URL's credentials, for the proxy (never sent through an https
    # tunnel since requests 2.31), so it stays.
    doomed.discard("proxy-authorization")
    for name in list(following.headers):
        if name.lower() in doomed:
            del following.headers[name]


def _drop_query(following: Any, secrets: Collection[str]) -> list[str]:
    """Drop query parameters whose value holds a secret, keeping the rest as written."""
    parts = urlsplit(following.url)
    if not parts.query or not secrets:
        return []
    kept, withheld = [], []
    for piece in parts.query.split("&"):
        name, _, value = piece.partition("=")
        # "+" is a space in a form-encoded query, and a plus in a secret: try both.
        readings = (value, unquote(value), unquote_plus(value))
        if any(_contains_secret(reading, secrets) for reading in readings):
            withheld.append(f"query parameter {unquote_plus(name)}")
        else:
            kept.append(piece)
    if withheld:
        following.url = urlunsplit(parts._replace(query="&".join(kept)))
    return withheld


def _contains_secret(value: str | bytes, secrets: Collection[str]) -> bool:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return any(secret in value for secret in secrets)


def _typed_header(request: Request, lowered: str) -> str | None:
    """The value of a header the user typed (enabled), or None."""
    for header in request.headers:
        if header.enabled and header.name.strip().lower() == lowered:
            return header.value
    return None
