"""The cookie jar that sends share, and its file in the Netscape cookies.txt format.

One `SharedJar` serves every send of a workspace (or of a `run --cookie-jar`), from
several worker threads at once, and the cookie manager edits it on the GUI thread.
cookielib guards its changes with a lock but iterates without it, and requests copies
the jar by iterating it on every prepare (`merge_cookies`): iteration here takes its
snapshot under the lock, and an edit (`put`: remove, then add) holds that lock
throughout, so a send sees the jar as it was before an edit or after it, never half-way.

The jar is bounded (MAX_COOKIES; a cookie over MAX_COOKIE_BYTES is not stored, as
browsers do), and counts its changes so that it is written only when it changed.

The file is the one curl reads with `-b` and writes with `-c`: seven tab-separated
fields, `#HttpOnly_` before the domain of an HttpOnly cookie. Session cookies (no
expiry) are kept too, with expiry 0 as curl writes them: the workspace is the session,
and a login should survive a restart of the app as it does in Postman or Insomnia.
SameSite has no field in this format: it is shown while the app runs, not kept.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from http.cookiejar import Cookie
from pathlib import Path

from requests.cookies import RequestsCookieJar

from explorer.core.atomic import PRIVATE_FILE, write_text_atomic

MAX_COOKIES = 3000  # about what a browser keeps for all sites together
MAX_COOKIE_BYTES = 4096  # name + value: larger ones are refused, as browsers do
MAX_FILE_BYTES = 16 * 1024 * 1024  # MAX_COOKIES cookies at their largest, with room
HEADER = "# Netscape HTTP Cookie File\n# Written by API Explorer. Edit with care.\n\n"
HTTPONLY_PREFIX = "#HttpOnly_"


class CookieFileError(ValueError):
    """A cookie file that cannot be read: the message is one line for the user."""


class SharedJar(RequestsCookieJar):
    """requests' jar, safe to share between threads, bounded, counting its changes."""

    def __init__(self) -> None:
        super().__init__()
        self.changes = 0  # grows on every change: "changed since saved?" is one compare

    def __iter__(self) -> Iterator[Cookie]:  # type: ignore[override]
        with self._cookies_lock:  # type: ignore[attr-defined]
            return iter(list(super().__iter__()))

    def set_cookie(self, cookie: Cookie, *args: object, **kwargs: object) -> None:
        if len(cookie.name) + len(cookie.value or "") > MAX_COOKIE_BYTES:
            return
        with self._cookies_lock:  # type: ignore[attr-defined]
            if not self._holds(cookie) and self._count() >= MAX_COOKIES:
                self._make_room()
            super().set_cookie(cookie, *args, **kwargs)
            self.changes += 1

    def clear(
        self, domain: str | None = None, path: str | None = None, name: str | None = None
    ) -> None:
        with self._cookies_lock:  # type: ignore[attr-defined]
            super().clear(domain, path, name)
            self.changes += 1

    def _stored(self) -> dict[str, dict[str, dict[str, Cookie]]]:
        """cookielib's own store: domain -> path -> name -> cookie."""
        stored: dict[str, dict[str, dict[str, Cookie]]] = self._cookies  # type: ignore[attr-defined]
        return stored

    def _holds(self, cookie: Cookie) -> bool:
        return cookie.name in self._stored().get(cookie.domain, {}).get(cookie.path, {})

    def _count(self) -> int:
        return sum(len(names) for paths in self._stored().values() for names in paths.values())

    def _make_room(self) -> None:
        """Expired cookies go first; if none, the oldest stored one."""
        now = int(time.time())
        expired = [c for c in self if c.is_expired(now)]
        for cookie in expired or [next(iter(self))]:
            super().clear(cookie.domain, cookie.path, cookie.name)


@dataclass(frozen=True)
class CookieFields:
    """One cookie as the manager shows and edits it. `expires`: seconds since the
    epoch, None for a session cookie. `same_site`: "" when the server set none."""

    name: str
    value: str
    domain: str
    path: str = "/"
    expires: int | None = None
    secure: bool = False
    http_only: bool = False
    same_site: str = ""

    @property
    def host_only(self) -> bool:
        """Sent to this host only (no leading dot), not to its subdomains."""
        return not self.domain.startswith(".")


def _rest_value(cookie: Cookie, name: str) -> str | None:
    """A non-standard attribute (HttpOnly, SameSite) in any case, None when absent."""
    rest: dict[str, str | None] = cookie._rest  # type: ignore[attr-defined]
    for key, value in rest.items():
        if key.lower() == name.lower():
            return value if value is not None else ""
    return None


# cookielib keeps the cookies of a dotless host under "host.local"; curl and people know
# the host as it is. Only localhost is translated: "printer.local" may be a real name.
_COOKIELIB_LOCALHOST = "localhost.local"


def fields_of(cookie: Cookie) -> CookieFields:
    domain = "localhost" if cookie.domain == _COOKIELIB_LOCALHOST else cookie.domain
    return CookieFields(
        name=cookie.name,
        value=cookie.value or "",
        domain=domain,
        path=cookie.path or "/",
        expires=cookie.expires,
        secure=bool(cookie.secure),
        http_only=_rest_value(cookie, "httponly") is not None,
        same_site=_rest_value(cookie, "samesite") or "",
    )


def make_cookie(fields: CookieFields) -> Cookie:
    """A cookie for the jar from what the user typed (or a file line held)."""
    rest: dict[str, str] = {}
    if fields.http_only:
        rest["HttpOnly"] = ""
    if fields.same_site:
        rest["SameSite"] = fields.same_site
    domain = fields.domain.strip().lower()
    if domain == "localhost":
        domain = _COOKIELIB_LOCALHOST
    return Cookie(
        version=0,
        name=fields.name,
        value=fields.value,
        port=None,
        port_specified=False,
        domain=domain,
        domain_specified=domain.startswith("."),
        domain_initial_dot=domain.startswith("."),
        path=fields.path or "/",
        path_specified=True,
        secure=fields.secure,
        expires=fields.expires,
        discard=fields.expires is None,
        comment=None,
        comment_url=None,
        rest=rest,
    )


def cookies_of(jar: SharedJar) -> list[CookieFields]:
    """Every cookie of `jar`, by domain (without its dot), path and name."""
    found = [fields_of(cookie) for cookie in jar]
    return sorted(found, key=lambda c: (c.domain.lstrip("."), c.domain, c.path, c.name))


def put(jar: SharedJar, fields: CookieFields, replacing: CookieFields | None = None) -> None:
    """Store `fields` in `jar`, in place of `replacing` when it is an edit."""
    with jar._cookies_lock:  # type: ignore[attr-defined]
        if replacing is not None:
            remove(jar, replacing)
        jar.set_cookie(make_cookie(fields))


def remove(jar: SharedJar, fields: CookieFields) -> None:
    stored = make_cookie(fields).domain
    with suppress(KeyError):  # already gone (a send's response deleted it meanwhile)
        jar.clear(stored, fields.path, fields.name)


def remove_domain(jar: SharedJar, domain: str) -> None:
    """Every cookie of `domain`, with or without its leading dot."""
    bare = domain.lstrip(".")
    with jar._cookies_lock:  # type: ignore[attr-defined]
        for stored in (bare, f".{bare}", *((_COOKIELIB_LOCALHOST,) if bare == "localhost" else ())):
            with suppress(KeyError):
                jar.clear(stored)


# ---- the file -----------------------------------------------------------------------


def jar_text(jar: SharedJar) -> str:
    """`jar` as a Netscape cookies.txt file (expired cookies left out)."""
    now = time.time()
    lines = [HEADER]
    for cookie in cookies_of(jar):
        if cookie.expires is not None and cookie.expires <= now:
            continue
        domain = (HTTPONLY_PREFIX if cookie.http_only else "") + cookie.domain
        fields = (
            domain,
            "FALSE" if cookie.host_only else "TRUE",
            cookie.path,
            "TRUE" if cookie.secure else "FALSE",
            str(cookie.expires or 0),
            cookie.name,
            cookie.value,
        )
        lines.append("\t".join(fields) + "\n")
    return "".join(lines)


def parse_jar(text: str, now: float | None = None) -> list[CookieFields]:
    """The unexpired cookies of a cookies.txt text; CookieFileError names the first bad
    line. Expiry 0 (curl) or empty (Python) is a session cookie."""
    now = time.time() if now is None else now
    found: list[CookieFields] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        http_only = line.startswith(HTTPONLY_PREFIX)
        if http_only:
            line = line[len(HTTPONLY_PREFIX) :]
        elif not line.strip() or line.lstrip().startswith(("#", "$")):
            continue
        parts = line.split("\t")
        if len(parts) != 7:
            raise CookieFileError(f"line {number} has {len(parts)} fields, not 7")
        domain, _subdomains, path, secure, expires, name, value = parts
        if not domain or any(c in domain for c in " ;,"):
            raise CookieFileError(f"line {number}: {domain!r} is not a domain")
        if secure not in ("TRUE", "FALSE"):
            raise CookieFileError(f"line {number}: the Secure field is {secure!r}")
        try:
            expiry = int(expires or 0)
        except ValueError:
            raise CookieFileError(
                f"line {number}: the expiry {expires!r} is not a number"
            ) from None
        if 0 < expiry <= now:
            continue
        if len(found) >= MAX_COOKIES:
            raise CookieFileError(f"more than {MAX_COOKIES} cookies")
        found.append(
            CookieFields(
                name=name,
                value=value,
                domain=domain.lower(),
                path=path or "/",
                expires=expiry or None,
                secure=secure == "TRUE",
                http_only=http_only,
            )
        )
    return found


def load_jar(path: Path) -> SharedJar:
    """The jar held by the file at `path` (a missing file: an empty jar).
    CookieFileError (one line) when it is too large, not text, or not cookies.txt."""
    jar = SharedJar()
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return jar
    except OSError as error:
        raise CookieFileError(f"cannot be read: {error.strerror or error}") from None
    if size > MAX_FILE_BYTES:
        raise CookieFileError(f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise CookieFileError("is not a text file") from None
    except OSError as error:
        raise CookieFileError(f"cannot be read: {error.strerror or error}") from None
    for fields in parse_jar(text):
        jar.set_cookie(make_cookie(fields))
    jar.changes = 0
    return jar


def save_jar(jar: SharedJar, path: Path) -> int:
    """Write `jar` to `path` atomically, readable by its owner only (0600). Returns the
    change count it wrote: later changes are not in the file yet."""
    changes = jar.changes
    text = jar_text(jar)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text, mode=PRIVATE_FILE)
    return changes
