"""Redirects: the chain of 3xx responses that led to this one (RFC 9110 §15.4).

The chain is the followed hops (`ExchangeFacts.hops`) plus, when the client did not
follow it (redirects off, or a status it does not follow), the final 3xx itself: its
Location is where the chain would go next. A real endless loop never reaches the
explainer: the transport stops after `Options.max_redirects` hops with a "Stopped after
N redirects" error and no response. What can be seen here is a chain that came back to
a URL it had already visited and then ended (a cookie set on the way changed the
answer), or a redirect that was not followed and points at itself.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.references import rfc
from explorer.core.explain.rules_status import shown
from explorer.core.http.exchange import Headers

RULES = RuleSet(Category.REDIRECTS)
LESSON = "requests-and-responses"

_FOLLOWABLE = (301, 302, 303, 307, 308)
_MAX_LISTED = 12  # chain lines shown in one finding
_MAX_PARAMETERS = 50  # query parameters looked at per URL
_FULL_URL = re.compile(r"(?i)^(?:https?:)?//[^/\s]")
_CREDENTIALS = ("authorization", "cookie", "proxy-authorization")


@dataclass(frozen=True)
class Step:
    """One redirect: the request that got it, its status and where it pointed."""

    url: str
    method: str
    status: int
    location: str  # as sent
    followed: bool
    next_method: str  # the method of the request that followed ("" when none did)
    next_headers: Headers  # that request's headers

    @property
    def target(self) -> str:
        """The Location resolved against the URL it came from."""
        try:
            return urljoin(self.url, self.location.strip())
        except ValueError:
            return self.location


def chain(facts: ExchangeFacts) -> list[Step]:
    """Every redirect of the exchange, in order; the last may be one not followed."""
    redirects = [hop for hop in facts.hops if 300 <= hop.status < 400 and hop.location]
    steps: list[Step] = []
    for index, hop in enumerate(redirects):
        following = redirects[index + 1].sent if index + 1 < len(redirects) else None
        steps.append(
            Step(
                url=hop.url,
                method=hop.sent.method.upper(),
                status=hop.status,
                location=_location(hop.headers) or hop.location,
                followed=True,
                next_method=following.method.upper() if following else facts.method,
                next_headers=following.headers if following else facts.request_headers,
            )
        )
    location = facts.header_values("Location")
    if facts.status in _FOLLOWABLE and location and location[0].strip():
        steps.append(Step(facts.url, facts.method, facts.status, location[0], False, "", ()))
    return steps


def _location(headers: Headers) -> str:
    for name, value in headers:
        if name.lower() == "location":
            return value
    return ""


def _normal(url: str) -> str:
    """A URL for comparison: no fragment, scheme and host in lower case, default port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    return f"{parts.scheme.lower()}://{netloc}{parts.path or '/'}" + (
        f"?{parts.query}" if parts.query else ""
    )


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _scheme(url: str) -> str:
    return urlsplit(url).scheme.lower()


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _describe(steps: list[Step]) -> str:
    """The chain as paragraphs, one a step: "1. POST `/r3` → 302 → `/r2`". URLs on the
    origin of the first step are shown as paths, to keep the lines short."""
    first = _origin_of(steps[0].url) if steps else ""

    def short(url: str) -> str:
        url = shown(url, 100)
        return url[len(first) :] or "/" if first and url.startswith(first + "/") else url

    lines = [
        f"{n}. {step.method} `{short(step.url)}` → {step.status} → `{short(step.location)}`"
        + ("" if step.followed else " (not followed)")
        for n, step in enumerate(steps[:_MAX_LISTED], start=1)
    ]
    if len(steps) > _MAX_LISTED:
        lines.append(f"… and {len(steps) - _MAX_LISTED} more")
    return "\n\n".join(lines)


def _origin_of(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@RULES.rule(
    "redirects.chain",
    "A chain of several redirects",
    references=(rfc(9110, "15.4", "Redirection 3xx"),),
    lesson=LESSON,
)
def long_chain(facts: ExchangeFacts) -> Iterator[Note]:
    followed = [step for step in chain(facts) if step.followed]
    if len(followed) <= 2:
        return
    yield Note(
        Severity.INFO,
        f"{len(followed)} redirects before the answer",
        "Each redirect costs the client a full round trip (and a new connection when the "
        "host changes) before the real request even starts, and clients give up after a "
        "limit (browsers at about 20, this tool at its Max redirects setting). Point "
        "links straight at the final URL where you can.\n\nThe chain:\n\n" + _describe(followed),
        Pointer("redirects"),
    )


@RULES.rule(
    "redirects.loop",
    "A redirect chain that comes back to a URL it visited",
    references=(rfc(9110, "15.4", "Redirection 3xx"),),
    lesson=LESSON,
)
def loop(facts: ExchangeFacts) -> Iterator[Note]:
    steps = chain(facts)
    if not steps:
        return
    last = steps[-1]
    if not last.followed and _normal(last.target) == _normal(last.url):
        yield Note(
            Severity.ERROR,
            f"{last.status} redirects to its own URL",
            f"{shown(last.url, 100)} answers with a redirect to itself. A client that follows it "
            "asks again, gets the same answer, and loops until its redirect limit (this "
            "tool stops with 'Stopped after N redirects'). Usually a rewrite rule that "
            "also matches its own output, e.g. adding a trailing slash that is removed again.",
            Pointer("header", "Location"),
        )
        return
    visited: list[tuple[str, str]] = [(s.method, _normal(s.url)) for s in steps if s.followed]
    if steps[-1].followed:
        visited.append((facts.method, _normal(facts.url)))
    seen: set[tuple[str, str]] = set()
    for method, url in visited:
        if (method, url) in seen:
            yield Note(
                Severity.WARNING,
                f"The redirects came back to {method} {shown(url, 80)}",
                "The chain visited the same URL twice and only ended because something "
                "changed in between, typically a cookie set by one of the redirects. A "
                "client without cookies (a script, curl, an API client with its jar off) "
                "loops until its redirect limit. Redirect straight to where the client "
                "should end up.\n\nThe chain:\n\n" + _describe(steps),
                Pointer("redirects"),
            )
            return
        seen.add((method, url))


@RULES.rule(
    "redirects.downgrade",
    "A redirect from https to plain http",
    references=(rfc(9110, "4.2.2", "https URI Scheme"), rfc(9110, "15.4", "Redirection 3xx")),
    lesson=LESSON,
)
def downgrade(facts: ExchangeFacts) -> Iterator[Note]:
    for step in chain(facts):
        if _scheme(step.url) != "https" or _scheme(step.target) != "http":
            continue
        carried = sorted({name for name, _ in step.next_headers if name.lower() in _CREDENTIALS})
        exposed = (
            f" The next request carried {', '.join(carried)} in clear text." if carried else ""
        )
        went = "went on" if step.followed else "would go on"
        yield Note(
            Severity.ERROR if carried else Severity.WARNING,
            f"Redirected from https to http: {shown(step.target, 80)}",
            f"The exchange started encrypted, and the redirect {went} over plain http, "
            "where anyone on the network path can read and change it, including the next "
            f"redirect, which can send the client anywhere.{exposed}\n\nFix: redirect to the "
            "https URL (and send Strict-Transport-Security so clients never try http).",
            Pointer("redirects"),
        )
        return


@RULES.rule(
    "redirects.relative-location",
    "A relative Location",
    references=(rfc(9110, "10.2.2", "Location"), rfc(7231, "7.1.2", "Location")),
    lesson=LESSON,
)
def relative_location(facts: ExchangeFacts) -> Iterator[Note]:
    steps = chain(facts)
    relative = [step for step in steps if not _scheme(step.location.strip())]
    if not relative:
        return
    first = relative[0]
    count = (
        f"{len(relative)} of {len(steps)} redirects use" if len(steps) > 1 else "The redirect uses"
    )
    yield Note(
        Severity.INFO,
        f"{count} a relative Location ({shown(first.location, 60)})",
        "Legal since RFC 7231 (2014): the client resolves it against the URL it asked for, "
        f"here to {shown(first.target, 100)}. Every current client does; only very old ones "
        "needed an absolute URL. A relative Location keeps working behind a proxy that "
        "changes the host name, which is why many frameworks prefer it.",
        Pointer("header", "Location") if not first.followed else Pointer("redirects"),
    )


def _open_redirect(step: Step) -> str:
    """The query value that `step` redirected to on another host, or ""."""
    try:
        query = urlsplit(step.url).query
        values = [value for _, value in parse_qsl(query, keep_blank_values=False)]
    except ValueError:
        return ""
    location = step.location.strip()
    target_host, own_host = _host(step.target), _host(step.url)
    if not target_host or target_host == own_host:
        return ""
    if _loopback(target_host) and _loopback(own_host):
        return ""  # both on this machine: nobody is sent elsewhere
    for value in values[:_MAX_PARAMETERS]:
        value = value.strip()[:2048]
        if _FULL_URL.match(value) and (location == value or location.endswith(value)):
            return value
    return ""


@RULES.rule(
    "redirects.open-redirect",
    "A redirect to a URL taken from the query string",
    references=(rfc(6749, "10.15", "Open Redirectors"), rfc(9110, "10.2.2", "Location")),
    lesson=LESSON,
)
def open_redirect(facts: ExchangeFacts) -> Iterator[Note]:
    for step in chain(facts):
        value = _open_redirect(step)
        if value:
            yield Note(
                Severity.WARNING,
                f"{step.status} to {shown(_host(step.target))}, a host named in the "
                "request's own URL",
                f"{urlsplit(step.url).path or '/'} sends the client wherever the query "
                f"string says ({shown(value, 80)}). That is an open redirect: a phishing mail can "
                "link to your trusted domain and have it forward victims to the attacker's "
                "look-alike login page, and OAuth flows can leak tokens through it.\n\nFix: "
                "accept only relative paths, or hosts from an allow-list.",
                Pointer("redirects") if step.followed else Pointer("header", "Location"),
            )
            return


@RULES.rule(
    "redirects.method-changed",
    "A 301/302 that turned POST into GET",
    references=(
        rfc(9110, "15.4.2", "301 Moved Permanently"),
        rfc(9110, "15.4.3", "302 Found"),
        rfc(9110, "15.4.8", "307 Temporary Redirect"),
    ),
    lesson=LESSON,
)
def method_changed(facts: ExchangeFacts) -> Iterator[Note]:
    for step in chain(facts):
        if step.status not in (301, 302) or step.method != "POST":
            continue
        if step.followed and step.next_method == "POST":
            continue
        keep = 307 if step.status == 302 else 308
        yield Note(
            Severity.INFO,
            f"{step.status} to a POST: the client "
            + ("switched to GET" if step.followed else "following it will switch to GET"),
            f"For historical reasons browsers and most libraries resend a POST that got a "
            f"{step.status} as a GET, without its body. If the server meant 'go and look at "
            f"the result', 303 See Other says so explicitly; if the POST should be repeated "
            f"at the new URL, {keep} keeps the method and the body.",
            Pointer("redirects") if step.followed else Pointer("status"),
        )
        return


@RULES.rule(
    "redirects.credentials-withheld",
    "Credentials not carried to another origin",
    references=(rfc(9110, "15.4", "Redirection 3xx"), rfc(9110, "11.6.2", "Authorization")),
    lesson=LESSON,
)
def credentials_withheld(facts: ExchangeFacts) -> Iterator[Note]:
    for hop in facts.hops:
        if not hop.withheld:
            continue
        what = ", ".join(hop.withheld[:6])
        target = shown(_host(urljoin(hop.url, hop.location)) or hop.location, 60)
        yield Note(
            Severity.INFO,
            f"Not carried on to {target}: {shown(what, 80)}",
            "The redirect led to another origin, and this tool does not send your "
            "credentials there (as curl and browsers do not): a server should not be able "
            "to collect another site's token just by redirecting to itself. If the next "
            "response is a 401, that is why. Trust the target? Tick 'Send credentials to "
            "other hosts' in the request's Settings tab.",
            Pointer("redirects"),
        )
        return
