"""Timing: where the time of the exchange went (DNS, connect, waiting, download).

All findings here are information: a slow endpoint may be slow on purpose (the
practice server's /delay), and only the people who run it know. What the timing can
show is *where* the time goes, which says who can fix it: a long wait is the server's
work, a long download is the network or the body's size, a new connection per redirect
is the server closing connections it could keep.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.references import mdn, rfc
from explorer.core.http.exchange import Headers, Timing

RULES = RuleSet(Category.TIMING)
LESSON = "requests-and-responses"

SLOW_WAIT_MS = 500.0  # waiting longer than this for the first byte is worth a note
SLOW_DNS_MS = 300.0


@RULES.rule(
    "timing.slow-first-byte",
    "Most of the time went waiting for the server's first byte",
    references=(
        mdn("Glossary/Time_to_first_byte", "Time to first byte"),
        rfc(9110, "15.3.3", "202 Accepted"),
    ),
    lesson=LESSON,
)
def slow_first_byte(facts: ExchangeFacts) -> Iterator[Note]:
    timing = facts.timing
    total = timing.total or facts.elapsed_ms
    if timing.wait <= SLOW_WAIT_MS or timing.wait < total / 2:
        return
    if timing.download > timing.wait / 4:
        return  # the body itself took a while too: not a first-byte story
    yield Note(
        Severity.INFO,
        f"The server took {timing.wait / 1000:.2f} s to start answering; the body then "
        f"took {timing.download:.0f} ms",
        "The request was sent and the connection was ready, so this wait is the server "
        "working (a slow query, a call to another service, a deliberate delay like the "
        "practice server's /delay) before it sent the status line. The network is not the "
        "bottleneck. For work that takes seconds, APIs often answer 202 Accepted at once "
        "with a URL to poll, or stream the result as it is produced.",
        Pointer("timing", "wait"),
    )


@dataclass(frozen=True)
class _Leg:
    url: str
    timing: Timing
    headers: Headers  # of the response that ended this leg


def _legs(facts: ExchangeFacts) -> list[_Leg]:
    legs = [_Leg(hop.url, hop.timing, hop.headers) for hop in facts.hops]
    return [*legs, _Leg(facts.url, facts.timing, facts.headers)]


def _origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port): what a connection can be reused for."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return (
            scheme,
            (parts.hostname or "").lower(),
            parts.port or {"http": 80, "https": 443}.get(scheme),
        )
    except ValueError:
        return "", url, None


def _ms(value: float) -> str:
    return (
        f"{value:.0f} ms" if value >= 1 else "under 1 ms on this machine, far more across a network"
    )


def _says_close(headers: Headers) -> bool:
    return any(name.lower() == "connection" and "close" in value.lower() for name, value in headers)


@RULES.rule(
    "timing.connection-not-reused",
    "A new connection to the same server within one exchange",
    references=(rfc(9112, "9.3", "Persistence"), rfc(9112, "9.6", "Tear-down")),
    lesson=LESSON,
)
def connection_not_reused(facts: ExchangeFacts) -> Iterator[Note]:
    legs = _legs(facts)
    fresh = 0
    closed = 0
    cost = 0.0
    for earlier, later in itertools.pairwise(legs):
        if _origin(earlier.url) != _origin(later.url):
            continue  # another server: a new connection is unavoidable
        if later.timing.reused or later.timing.connect is None:
            continue
        fresh += 1
        closed += _says_close(earlier.headers)
        cost += (later.timing.connect or 0.0) + (later.timing.tls or 0.0)
    if not fresh:
        return
    why = (
        "The server sent `Connection: close`, so the client had to open a new one."
        if closed
        else "The server (or something between) closed the connection after its response."
    )
    yield Note(
        Severity.INFO,
        f"{fresh} request{'s' if fresh > 1 else ''} to the same server opened a new "
        "connection" + (f" ({cost:.0f} ms spent connecting)" if cost >= 1 else ""),
        f"HTTP/1.1 keeps a connection open for the next request unless one side says "
        f"otherwise. {why} Each new connection costs a TCP handshake (and a TLS one on "
        f"https) before anything is sent: {_ms(cost)} in all. Development servers often "
        "close every connection; "
        "production servers should keep them alive.",
        Pointer("timing", "connect"),
    )


@RULES.rule(
    "timing.slow-dns",
    "A slow DNS lookup",
    references=(mdn("Glossary/DNS", "DNS"),),
    lesson=LESSON,
)
def slow_dns(facts: ExchangeFacts) -> Iterator[Note]:
    dns = max((leg.timing.dns or 0.0 for leg in _legs(facts)), default=0.0)
    if dns <= SLOW_DNS_MS:
        return
    yield Note(
        Severity.INFO,
        f"Looking up the server's address took {dns:.0f} ms",
        "Before connecting, the client asks DNS for the host's IP address. A slow answer "
        "is the resolver's (your network's or the domain's DNS provider), not the API's; "
        "repeated requests are usually faster because the answer is cached.",
        Pointer("timing", "dns"),
    )
