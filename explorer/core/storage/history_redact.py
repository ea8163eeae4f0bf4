"""Removing credentials from what the history stores.

Values of the Authorization, Proxy-Authorization, Cookie and Set-Cookie headers, and any
secret variable value, are replaced by `REDACTED` wherever they occur: header values,
the URL, request and response bodies (servers that echo requests would otherwise store
the token in the response body) and the saved editor request.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, quote_plus

from explorer.core.exchange import Headers

REDACTED = "«redacted»"
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
MIN_SECRET_LENGTH = 4  # shorter values would match ordinary text everywhere


def sensitive_values(headers: Headers, secrets: Iterable[str]) -> list[str]:
    """Every string to hide: the secrets, sensitive header values and their credentials
    (the part after "Bearer "), plus their URL-encoded forms; longest first so a value
    that contains another is replaced whole."""
    found = {s for s in secrets if len(s) >= MIN_SECRET_LENGTH}
    for name, value in headers:
        if name.lower() in SENSITIVE_HEADERS and value:
            found.add(value)
            scheme, _, credential = value.partition(" ")
            if credential and len(credential) >= MIN_SECRET_LENGTH:
                found.add(credential)
    encoded = {form for value in found for form in (quote(value, safe=""), quote_plus(value))}
    return sorted(found | encoded, key=len, reverse=True)


def redact_text(text: str, values: list[str]) -> str:
    """`text` with every value in `values` replaced by the marker."""
    for value in values:
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def redact_bytes(data: bytes, values: list[str]) -> bytes:
    """`data` with every value (as UTF-8) replaced by the marker."""
    marker = REDACTED.encode()
    for value in values:
        encoded = value.encode()
        if encoded in data:
            data = data.replace(encoded, marker)
    return data


def redact_headers(headers: Headers, values: list[str]) -> Headers:
    """Headers with sensitive ones masked and secret values removed from the others."""
    return tuple(
        (name, REDACTED if name.lower() in SENSITIVE_HEADERS else redact_text(value, values))
        for name, value in headers
    )
