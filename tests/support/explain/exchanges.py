"""Exchanges for the explainer's rule tests: hand-made facts for the plain cases, and
real sends to real sockets for the end-to-end ones.

`RawServer` answers each path with fixed bytes, for responses no framework will produce
(a 204 that announces a body, a 206 without Content-Range, two answers to "where does
the body end?"). `send` goes through the app's own transport, so the facts are exactly
what the Explain tab would judge.
"""

from __future__ import annotations

from collections.abc import Iterable

from explorer.core.explain import Finding, explain, facts_from_response
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.http.exchange import Hop, SentRequest, Timing
from explorer.core.http.transport import Transport
from explorer.core.model import Body, BodyKind, Options, Pair, Request
from tests.support.canned_server import RawServer, raw_server

__all__ = ["RawServer", "findings", "hop", "ids", "make_facts", "raw_server", "send"]


def make_facts(**changes: object) -> ExchangeFacts:
    """A plain, correct 200 JSON exchange with `changes` applied."""
    body = changes.get("body", b'{"ok": true}')
    assert isinstance(body, bytes)
    base: dict[str, object] = {
        "method": "GET",
        "url": "http://127.0.0.1:8000/things/1",
        "request_headers": (("Accept", "*/*"),),
        "status": 200,
        "reason": "",
        "http_version": "HTTP/1.1",
        "headers": (("Content-Type", "application/json"), ("Content-Length", str(len(body)))),
        "body": body,
        "body_size": len(body),
        "body_complete": True,
        "wire_size": len(body),
        "timing": Timing(send=1.0, wait=20.0, download=1.0, total=22.0, reused=False),
    }
    base.update(changes)
    return ExchangeFacts(**base)  # type: ignore[arg-type]


def hop(
    url: str,
    status: int,
    location: str,
    method: str = "GET",
    *,
    headers: Iterable[tuple[str, str]] = (),
    sent_headers: Iterable[tuple[str, str]] = (),
    timing: Timing | None = None,
    withheld: tuple[str, ...] = (),
) -> Hop:
    """A redirect hop as the transport records it."""
    return Hop(
        status=status,
        reason="",
        url=url,
        location=location,
        headers=(("Location", location), *headers) if location else tuple(headers),
        timing=timing or Timing(wait=5.0, total=6.0),
        sent=SentRequest(method, url, tuple(sent_headers)),
        encrypted=url.startswith("https://"),
        withheld=withheld,
    )


def findings(facts: ExchangeFacts, prefix: str = "") -> list[Finding]:
    """The findings of rules whose id starts with `prefix`."""
    return [finding for finding in explain(facts) if finding.rule_id.startswith(prefix)]


def ids(facts: ExchangeFacts, prefix: str = "") -> list[str]:
    return [finding.rule_id for finding in findings(facts, prefix)]


def send(
    url: str,
    method: str = "GET",
    headers: Iterable[tuple[str, str]] = (),
    *,
    body: str = "",
    follow: bool = True,
) -> ExchangeFacts:
    """Send through the app's transport and return the facts the explainer judges."""
    request = Request(
        method=method,
        url=url,
        headers=tuple(Pair(name, value) for name, value in headers),
        body=Body(BodyKind.RAW, body, "application/json") if body else Body(),
        options=Options(timeout=10.0, follow_redirects=follow),
    )
    transport = Transport()
    try:
        return facts_from_response(transport.send(request))
    finally:
        transport.close()
