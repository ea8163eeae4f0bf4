"""OAuth 1.0a request signing (RFC 5849) with oauthlib.

The signature covers the method, the URL with its query, and a form body's parameters
(§3.4.1.3: only an `application/x-www-form-urlencoded` single-part body, and not on GET
or HEAD, where oauthlib refuses body parameters). The oauth_* parameters go where
`OAuth1.placement` says: the Authorization header, the query, or the form body. A
request without a form body cannot carry them in its body; "body" then puts them in the
query, as Postman does with "Request Body / Request URL".

oauthlib is imported when a request is signed, not before (core/auth/signing).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.model import OAuth1

FORM_TYPE = "application/x-www-form-urlencoded"
METHODS = ("HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT")
PLACEMENTS = ("header", "query", "body")
_NO_BODY_PARAMS = ("GET", "HEAD")


def settings_problems(settings: OAuth1) -> list[str]:
    """What keeps these settings from signing (shown in the Auth tab, raised on send)."""
    problems = []
    if not settings.consumer_key:
        problems.append("OAuth 1.0: the consumer key is empty")
    if settings.signature_method not in METHODS:
        problems.append(
            f"OAuth 1.0: signature method {settings.signature_method!r} is not supported "
            f"(use {', '.join(METHODS)})"
        )
    if settings.token_secret and not settings.token:
        problems.append("OAuth 1.0: a token secret without its access token")
    return problems


def is_form(prepared: Any) -> bool:
    """True when the body is a single-part form whose parameters the signature covers."""
    content_type = _text(prepared.headers.get("Content-Type") or "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    return (
        media_type == FORM_TYPE
        and isinstance(prepared.body, (str, bytes))
        and bool(prepared.body)
        and (prepared.method or "").upper() not in _NO_BODY_PARAMS
    )


def sign_oauth1(
    prepared: Any, settings: OAuth1, *, nonce: str | None = None, timestamp: str | None = None
) -> None:
    """Sign the requests.PreparedRequest `prepared` in place, as it will be sent."""
    from oauthlib import oauth1  # type: ignore[import-untyped]

    problems = settings_problems(settings)
    if problems:
        raise SendError(ErrorKind.OTHER, problems[0], "Fill in the Auth tab.")
    form = is_form(prepared)
    placement = settings.placement if settings.placement in PLACEMENTS else "header"
    if placement == "body" and not form:
        placement = "query"
    signature_type = {
        "header": oauth1.SIGNATURE_TYPE_AUTH_HEADER,
        "query": oauth1.SIGNATURE_TYPE_QUERY,
        "body": oauth1.SIGNATURE_TYPE_BODY,
    }[placement]
    client = oauth1.Client(
        settings.consumer_key,
        client_secret=settings.consumer_secret,
        resource_owner_key=settings.token or None,
        resource_owner_secret=settings.token_secret or None,
        signature_method=settings.signature_method,
        signature_type=signature_type,
        realm=settings.realm or None,
        nonce=nonce,
        timestamp=timestamp,
    )
    body = _text(prepared.body) if form else None
    # oauthlib compares the Content-Type exactly: a charset parameter would hide the form.
    headers = {"Content-Type": FORM_TYPE} if form else {}
    try:
        uri, signed_headers, signed_body = client.sign(prepared.url, prepared.method, body, headers)
    except ValueError as exc:
        raise SendError(
            ErrorKind.INVALID_BODY if form else ErrorKind.INVALID_URL,
            f"OAuth 1.0 cannot sign this request: {exc}",
            "A form body must be valid x-www-form-urlencoded text.",
        ) from exc
    if placement == "query":
        prepared.url = uri
    elif placement == "header":
        prepared.headers["Authorization"] = signed_headers["Authorization"]
    else:
        encoded = signed_body.encode("utf-8")
        prepared.body = encoded
        prepared.headers["Content-Length"] = str(len(encoded))


def unsign_oauth1(prepared: Any, typed_authorization: bool) -> None:
    """Take off what signing added (before a redirect hop is signed again or leaves the
    origin): the Authorization header unless the user typed one, and oauth_* parameters
    in the query or the form body (RFC 5849 reserves the prefix)."""
    if not typed_authorization:
        for name in [n for n in prepared.headers if n.lower() == "authorization"]:
            del prepared.headers[name]
    parts = urlsplit(prepared.url)
    if "oauth_" in parts.query:
        prepared.url = urlunsplit(parts._replace(query=_without_oauth(parts.query)))
    if is_form(prepared) and "oauth_" in _text(prepared.body):
        encoded = _without_oauth(_text(prepared.body)).encode("utf-8")
        prepared.body = encoded
        prepared.headers["Content-Length"] = str(len(encoded))


def _without_oauth(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(name.startswith("oauth_") for name, _ in pairs):
        return query
    return urlencode([(n, v) for n, v in pairs if not n.startswith("oauth_")])


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
