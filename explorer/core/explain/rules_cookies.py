"""Cookies (RFC 6265, and the SameSite and prefix rules of its successor draft
6265bis that browsers follow): will the browser keep each cookie, and is it protected
from scripts, other sites and plain-http eavesdroppers?

Cookies set anywhere in the exchange count, the redirects included (a login that sets
its session on a 302 is the common case). Summaries name cookies, never their values:
a cookie's value is a secret, and findings end up in reports.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, Reference, RuleSet, Severity
from explorer.core.explain.header_syntax import MAX_FIELD, http_date
from explorer.core.explain.references import rfc

RULES = RuleSet(Category.COOKIES)
LESSON = "statelessness"

# Bounds against a hostile response: cookies judged per exchange, attributes per cookie.
MAX_COOKIES = 100
MAX_ATTRIBUTES = 32

_DRAFT = "https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis"


def bis(section: str, title: str) -> Reference:
    """A section of the 6265bis draft: SameSite and the name prefixes live only there."""
    return Reference("RFC 6265bis (draft)", section, title, f"{_DRAFT}#section-{section}")


@dataclass(frozen=True)
class SetCookie:
    """One Set-Cookie line, read as a browser reads it (RFC 6265 §5.2)."""

    name: str
    has_pair: bool  # the line starts with name=value (a bare "x" has no "=")
    attributes: tuple[tuple[str, str | None], ...]  # (lower-case name, value or None)
    url: str  # of the response that set it
    date: datetime | None  # that response's Date

    def attribute(self, name: str) -> str | None:
        """The last value of an attribute (the last one wins, §5.3 step 4); "" when the
        attribute has no value, None when absent."""
        found: str | None = None
        for key, value in self.attributes:
            if key == name:
                found = value if value is not None else ""
        return found

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.attributes)

    @property
    def secure(self) -> bool:
        return self.has("secure")

    @property
    def samesite(self) -> str | None:
        value = self.attribute("samesite")
        return None if value is None else value.strip().lower()

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def over_https(self) -> bool:
        return urlsplit(self.url).scheme.lower() == "https"

    @property
    def deletes(self) -> bool:
        """Max-Age ≤ 0 or an Expires already past: the server removes the cookie."""
        max_age = (self.attribute("max-age") or "").strip()
        if re.fullmatch(r"-?\d+", max_age):
            return int(max_age) <= 0
        expires = cookie_date(self.attribute("expires") or "")
        if expires is None:
            return False
        return expires <= (self.date or datetime(2000, 1, 1, tzinfo=UTC))


def parse_set_cookie(line: str, url: str, date: datetime | None) -> SetCookie:
    pair, _, rest = line[:MAX_FIELD].partition(";")
    name, eq, _value = pair.partition("=")
    attributes: list[tuple[str, str | None]] = []
    for item in rest.split(";")[:MAX_ATTRIBUTES]:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if key:
            attributes.append((key, value.strip() if sep else None))
    return SetCookie(name.strip() if eq else "", bool(eq), tuple(attributes), url, date)


def cookies(facts: ExchangeFacts) -> list[tuple[SetCookie, str]]:
    """Every cookie the exchange set, with where it was set ("" for the final response,
    else " on the redirect from PATH"), at most MAX_COOKIES."""
    sources = [
        (hop.url, hop.headers, f" on the redirect from {urlsplit(hop.url).path or '/'}")
        for hop in facts.hops
    ]
    sources.append((facts.url, facts.headers, ""))
    found: list[tuple[SetCookie, str]] = []
    for url, headers, where in sources:
        date = None
        lines: list[str] = []
        for key, value in headers:
            lowered = key.lower()
            if lowered == "set-cookie":
                lines.append(value)
            elif lowered == "date" and date is None:
                date = http_date(value)
        for line in lines:
            if len(found) >= MAX_COOKIES:
                return found
            found.append((parse_set_cookie(line, url, date), where))
    return found


_DATE_DELIMITERS = re.compile(r"[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def cookie_date(text: str) -> datetime | None:
    """A cookie's Expires as browsers read it (RFC 6265 §5.1.1, far looser than an
    HTTP-date: "Wed, 09-Jun-21 10:18:14 GMT" is fine); None when it is not a date."""
    time: tuple[int, int, int] | None = None
    day = month = year = None
    for token in _DATE_DELIMITERS.split(text[:200]):
        if not token:
            continue
        clock = re.match(r"(\d{1,2}):(\d{1,2}):(\d{1,2})(?!\d)", token)
        if time is None and clock:
            time = (int(clock[1]), int(clock[2]), int(clock[3]))
        elif day is None and re.match(r"\d{1,2}(?!\d)", token):
            day = int(re.match(r"\d{1,2}", token)[0])  # type: ignore[index]
        elif month is None and token[:3].lower() in _MONTHS:
            month = _MONTHS.index(token[:3].lower()) + 1
        elif year is None and re.match(r"\d{2,4}(?!\d)", token):
            year = int(re.match(r"\d{2,4}", token)[0])  # type: ignore[index]
    if time is None or day is None or month is None or year is None:
        return None
    if 70 <= year <= 99:
        year += 1900
    elif 0 <= year <= 69:
        year += 2000
    hour, minute, second = time
    if year < 1601 or hour > 23 or minute > 59 or second > 59:
        return None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:  # 31 February and the like
        return None


def domain_matches(host: str, domain: str) -> bool:
    """RFC 6265 §5.1.3: the host is the domain or ends with "." + domain, and is a name
    (an IP address matches only itself)."""
    if host == domain:
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host.endswith("." + domain)
    return False


_SESSION_WORDS = ("sess", "auth", "token", "jwt", "login", "remember")
_SESSION_SID = re.compile(r"(^|[-_.])(s?sid|sso)($|[-_.])", re.IGNORECASE)
_SCRIPT_READ = ("csrf", "xsrf")  # double-submit tokens: scripts must read them


def session_like(name: str) -> bool:
    """A name that usually holds a login: session, PHPSESSID, connect.sid, auth_token…"""
    lowered = name.lower()
    if any(word in lowered for word in _SCRIPT_READ):
        return False
    return any(word in lowered for word in _SESSION_WORDS) or bool(_SESSION_SID.search(name))


def _label(cookie: SetCookie) -> str:
    return cookie.name[:60] if cookie.name else "(nameless)"


def _pointer(cookie: SetCookie) -> Pointer:
    return Pointer("cookie", cookie.name[:200]) if cookie.name else Pointer("header", "Set-Cookie")


@RULES.rule(
    "cookies.malformed",
    "A Set-Cookie line a browser will drop or misread",
    references=(
        rfc(6265, "5.2", "The Set-Cookie Header"),
        rfc(6265, "5.1.1", "Dates"),
        rfc(6265, "5.2.2", "The Max-Age Attribute"),
        rfc(6265, "5.2.3", "The Domain Attribute"),
        rfc(6265, "5.1.3", "Domain Matching"),
    ),
    lesson=LESSON,
)
def malformed(facts: ExchangeFacts) -> Iterator[Note]:
    for cookie, where in cookies(facts):
        yield from _malformed(cookie, where)


def _malformed(cookie: SetCookie, where: str) -> Iterator[Note]:
    label, pointer = _label(cookie), _pointer(cookie)
    if not cookie.has_pair or not cookie.name:
        yield Note(
            Severity.WARNING,
            f"A Set-Cookie{where} without a name=value pair",
            "A Set-Cookie header starts with the cookie's name, an equals sign and its "
            'value (`id=42; Path=/`). This one has no name before the "="; RFC 6265 has '
            "browsers ignore it, and those that keep it store a nameless cookie the "
            "server cannot ask for by name."
            "\n\nFix: put `name=value` first, the attributes after it.",
            Pointer("header", "Set-Cookie"),
        )
        return
    expires = cookie.attribute("expires")
    if expires is not None and cookie_date(expires) is None:
        yield Note(
            Severity.WARNING,
            f"Cookie {label}{where}: Expires is not a date browsers can read",
            "Browsers ignore an Expires they cannot parse (RFC 6265 §5.2.1), so the "
            "cookie becomes a session cookie that disappears when the browser closes, "
            "not the long-lived one intended."
            "\n\nFix: write an HTTP date, `Expires=Wed, 09 Jun 2027 10:18:14 GMT`, or use "
            "`Max-Age=SECONDS`, which needs no clock.",
            pointer,
        )
    max_age = cookie.attribute("max-age")
    if max_age is not None and not re.fullmatch(r"-?\d+", max_age.strip()):
        shown = "empty" if not max_age.strip() else "not a whole number"
        yield Note(
            Severity.WARNING,
            f"Cookie {label}{where}: Max-Age is {shown}",
            "`Max-Age` is a number of seconds (digits, optionally a leading minus). "
            "Browsers ignore any other value (RFC 6265 §5.2.2), so the cookie lives only "
            "until the browser closes."
            "\n\nFix: write `Max-Age=3600` for an hour.",
            pointer,
        )
    domain = cookie.attribute("domain")
    if domain is not None:
        wanted = domain.strip().lstrip(".").lower()
        if not wanted:
            yield Note(
                Severity.WARNING,
                f"Cookie {label}{where}: Domain is empty",
                "An empty Domain attribute is undefined; browsers ignore it, so the "
                "cookie stays on the exact host that set it."
                "\n\nFix: leave Domain out for that (the safest choice), or name the "
                "parent domain to share the cookie with subdomains.",
                pointer,
            )
        elif cookie.host and not domain_matches(cookie.host, wanted):
            yield Note(
                Severity.WARNING,
                f"Cookie {label}{where}: Domain={wanted[:60]} does not cover {cookie.host}",
                "A server may only set cookies for its own host or a parent domain of "
                "it (RFC 6265 §5.3 step 6): otherwise any site could plant cookies for "
                f"any other. `{cookie.host}` is not `{wanted[:60]}` or under it, so the "
                "browser rejects this cookie entirely."
                "\n\nFix: leave Domain out, or use a domain this host belongs to.",
                pointer,
            )
    samesite = cookie.samesite
    if samesite is not None and samesite not in ("strict", "lax", "none"):
        yield Note(
            Severity.WARNING,
            f"Cookie {label}{where}: SameSite={samesite[:30]} is not Strict, Lax or None",
            "Browsers treat an unknown SameSite value as if the attribute were missing, "
            "so the cookie gets the browser's default (Lax in Chromium, differing "
            "elsewhere) instead of what was meant."
            "\n\nFix: write `SameSite=Lax`, `Strict` or `None`.",
            pointer,
        )


@RULES.rule(
    "cookies.prefix-violation",
    "A __Secure- or __Host- cookie that breaks its prefix's rules",
    references=(bis("4.1.3", "Cookie Name Prefixes"),),
    lesson=LESSON,
)
def prefix_violation(facts: ExchangeFacts) -> Iterator[Note]:
    for cookie, where in cookies(facts):
        lowered = cookie.name.lower()
        if not lowered.startswith(("__secure-", "__host-")):
            continue
        problems: list[str] = []
        if not cookie.secure:
            problems.append("it lacks Secure")
        if not cookie.over_https:
            problems.append("it was set over plain http")
        if lowered.startswith("__host-"):
            if cookie.has("domain"):
                problems.append("__Host- cookies must not have a Domain")
            if (cookie.attribute("path") or "").strip() != "/":
                problems.append("__Host- cookies need Path=/")
        if problems:
            yield Note(
                Severity.WARNING,
                f"Cookie {_label(cookie)}{where} breaks its name prefix: {problems[0]}",
                "Browsers only accept a cookie whose name starts with `__Secure-` when it "
                "is set with `Secure` from an https page; `__Host-` also needs `Path=/` "
                "and no Domain (it is then locked to this exact host). The prefix is a "
                "promise the browser checks, and this cookie breaks it ("
                + "; ".join(problems)
                + "), so it is silently rejected."
                "\n\nFix: keep the prefix's rules, or drop the prefix.",
                _pointer(cookie),
            )


@RULES.rule(
    "cookies.samesite-none-without-secure",
    "SameSite=None without Secure: browsers reject the cookie",
    references=(bis("4.1.2.7", "The SameSite Attribute"), bis("5.7", "Storage Model")),
    lesson=LESSON,
)
def samesite_none_without_secure(facts: ExchangeFacts) -> Iterator[Note]:
    for cookie, where in cookies(facts):
        if cookie.samesite == "none" and not cookie.secure and cookie.name:
            yield Note(
                Severity.WARNING,
                f"Cookie {_label(cookie)}{where}: SameSite=None without Secure",
                "`SameSite=None` asks the browser to send the cookie with requests from "
                "other sites too (embeds, cross-site APIs). Browsers allow that only for "
                "cookies that travel over https, so a SameSite=None cookie without "
                "`Secure` is rejected outright and never stored: the login or embed that "
                "relies on it fails with no error anywhere."
                "\n\nFix: add `Secure` (and serve over https), or use `SameSite=Lax` if "
                "other sites need not send it.",
                _pointer(cookie),
            )


@RULES.rule(
    "cookies.secure-missing",
    "A cookie set over https without Secure",
    references=(rfc(6265, "4.1.2.5", "The Secure Attribute"), rfc(6265, "8.6", "Weak Integrity")),
    lesson=LESSON,
)
def secure_missing(facts: ExchangeFacts) -> Iterator[Note]:
    for cookie, where in cookies(facts):
        if not cookie.name or not cookie.over_https or cookie.secure or cookie.deletes:
            continue
        if cookie.samesite == "none":
            continue  # cookies.samesite-none-without-secure says it, more urgently
        yield Note(
            Severity.WARNING,
            f"Cookie {_label(cookie)}{where} was set over https without Secure",
            "Without `Secure` the browser also sends this cookie on plain http requests to "
            "the same host, for instance when someone types the address without https or "
            "follows an old http link. Anyone on the network (public Wi-Fi) can then read "
            "it, and with a session cookie, become the user."
            "\n\nFix: the site already uses https: add `Secure`.",
            _pointer(cookie),
        )


@RULES.rule(
    "cookies.httponly-missing",
    "A cookie scripts can read (no HttpOnly)",
    references=(
        rfc(6265, "4.1.2.6", "The HttpOnly Attribute"),
        rfc(6265, "8.5", "Weak Confidentiality"),
    ),
    lesson=LESSON,
)
def httponly_missing(facts: ExchangeFacts) -> Iterator[Note]:
    for cookie, where in cookies(facts):
        if not cookie.name or cookie.has("httponly") or cookie.deletes:
            continue
        label = _label(cookie)
        if session_like(cookie.name):
            yield Note(
                Severity.WARNING,
                f"Cookie {label}{where} looks like a login but has no HttpOnly",
                "Without `HttpOnly`, JavaScript on the page can read this cookie through "
                "`document.cookie`. Its name suggests it holds a session or token, so one "
                "cross-site-scripting bug (a comment field that runs a script) is enough "
                "to send it to an attacker, who is then logged in as the user."
                "\n\nFix: session cookies are only needed by the server: add `HttpOnly`.",
                _pointer(cookie),
            )
        else:
            yield Note(
                Severity.INFO,
                f"Cookie {label}{where} can be read by scripts (no HttpOnly)",
                "Without `HttpOnly`, page scripts can read this cookie. That is fine for "
                "cookies meant for them (a theme, a CSRF token read by the front end); if "
                "only the server needs it, `HttpOnly` keeps it out of reach of an injected "
                "script.",
                _pointer(cookie),
            )


@RULES.rule(
    "cookies.samesite-missing",
    "A cookie without SameSite: the browser's default decides",
    references=(bis("4.1.2.7", "The SameSite Attribute"), bis("5.6.7", "The SameSite Attribute")),
    lesson=LESSON,
)
def samesite_missing(facts: ExchangeFacts) -> Iterator[Note]:
    for cookie, where in cookies(facts):
        if not cookie.name or cookie.samesite is not None or cookie.deletes:
            continue
        yield Note(
            Severity.INFO,
            f"Cookie {_label(cookie)}{where} has no SameSite",
            "SameSite says whether the browser sends the cookie with requests that start "
            "on other sites. Without it the browser's default applies: Chromium treats it "
            "as Lax (sent on links to this site, not on cross-site forms or embeds), other "
            "browsers may send it everywhere, which is what cross-site request forgery "
            "abuses."
            "\n\nFix: say what you mean: `SameSite=Lax` for most cookies, `Strict` for "
            "sensitive ones, `None; Secure` for cookies other sites must send.",
            _pointer(cookie),
        )
