"""HAR `cookies` from the Cookie and Set-Cookie headers of an exchange.

Read leniently: a value the history masked ("sid=«redacted»") is still a cookie with a
name and attributes, which the standard library's cookie parser refuses. An Expires
date becomes ISO 8601 (the HAR schema's date-time); one that cannot be read is left out.
"""

from __future__ import annotations

from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

Headers = tuple[tuple[str, str], ...]
MAX_COOKIES = 500  # per header list; more is not a real exchange


def request_cookies(headers: Headers) -> list[dict[str, Any]]:
    """The name=value pairs of every Cookie header."""
    found: list[dict[str, Any]] = []
    for name, value in headers:
        if name.lower() != "cookie":
            continue
        for piece in value.split(";"):
            key, equals, text = piece.strip().partition("=")
            if key and equals and len(found) < MAX_COOKIES:
                found.append({"name": key.strip(), "value": text.strip()})
    return found


def response_cookies(headers: Headers) -> list[dict[str, Any]]:
    """Every cookie of the Set-Cookie headers, with path, domain, expires, httpOnly,
    secure (and sameSite, an extension Chrome writes too)."""
    found: list[dict[str, Any]] = []
    for name, value in headers:
        if name.lower() == "set-cookie" and len(found) < MAX_COOKIES:
            cookie = _set_cookie(value)
            if cookie is not None:
                found.append(cookie)
    return found


def _set_cookie(header: str) -> dict[str, Any] | None:
    first, *attributes = header.split(";")
    key, equals, value = first.strip().partition("=")
    if not key or not equals:
        return None
    cookie: dict[str, Any] = {"name": key.strip(), "value": value.strip().strip('"')}
    for attribute in attributes:
        label, _, text = attribute.strip().partition("=")
        label, text = label.strip().lower(), text.strip()
        if label in ("path", "domain") and text:
            cookie[label] = text
        elif label == "expires":
            expires = _iso_date(text)
            if expires:
                cookie["expires"] = expires
        elif label == "httponly":
            cookie["httpOnly"] = True
        elif label == "secure":
            cookie["secure"] = True
        elif label == "samesite" and text:
            cookie["sameSite"] = text
    cookie.setdefault("httpOnly", False)
    cookie.setdefault("secure", False)
    return cookie


def _iso_date(text: str) -> str:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
