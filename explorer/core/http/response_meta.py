"""Facts read from response headers: cookies set, and Server-Timing entries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlsplit

from explorer.core.http.exchange import Response


@dataclass(frozen=True)
class Cookie:
    """One cookie from a Set-Cookie header, with its attributes."""

    name: str
    value: str
    domain: str
    path: str
    expires: str
    secure: bool
    http_only: bool
    same_site: str


@dataclass(frozen=True)
class ServerTiming:
    """One entry of a Server-Timing header (W3C Server Timing)."""

    name: str
    duration_ms: float | None
    description: str


def cookies_set(response: Response) -> list[Cookie]:
    """Every cookie set along the way: by each redirect hop, then by the final response."""
    found = []
    for hop in response.hops:
        found += cookies_in(hop.headers, hop.url)
    return found + cookies_in(response.headers, response.url)


def cookies_in(headers: tuple[tuple[str, str], ...], url: str) -> list[Cookie]:
    """The cookies of the Set-Cookie headers in `headers`; unparsable ones are skipped."""
    found: list[Cookie] = []
    host = ""
    for name, value in headers:
        if name.lower() != "set-cookie":
            continue
        host = host or urlsplit(url).hostname or ""
        jar = SimpleCookie()
        try:
            jar.load(value)
        except CookieError:
            continue
        for morsel in jar.values():
            max_age = morsel["max-age"]
            expires = morsel["expires"] or (f"in {max_age} s" if max_age else "session")
            found.append(
                Cookie(
                    name=morsel.key,
                    value=morsel.value,
                    domain=morsel["domain"] or host,
                    path=morsel["path"] or "/",
                    expires=expires,
                    secure=bool(morsel["secure"]),
                    http_only=bool(morsel["httponly"]),
                    same_site=morsel["samesite"] or "",
                )
            )
    return found


_ENTRY = re.compile(r'\s*([^,;\s]+)((?:\s*;\s*[^,;=\s]+(?:=(?:"[^"]*"|[^,;]*))?)*)')
_PARAM = re.compile(r'\s*;\s*([^,;=\s]+)(?:=("[^"]*"|[^,;]*))?')


def server_timings(response: Response) -> list[ServerTiming]:
    """Entries of every Server-Timing header, e.g. `db;dur=53.2;desc="Query"`."""
    entries = []
    for name, value in response.headers:
        if name.lower() != "server-timing":
            continue
        for match in _ENTRY.finditer(value):
            metric = match.group(1)
            duration: float | None = None
            description = ""
            for param in _PARAM.finditer(match.group(2) or ""):
                key = param.group(1).lower()
                raw = (param.group(2) or "").strip().strip('"')
                if key == "dur":
                    try:
                        duration = float(raw)
                    except ValueError:
                        duration = None
                elif key == "desc":
                    description = raw
            entries.append(ServerTiming(metric, duration, description))
    return entries
