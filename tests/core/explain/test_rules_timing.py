"""Timing rules: all information, never a complaint; on hand-made timings and on real
exchanges (a raw socket that answers late, or keeps its connection open)."""

from __future__ import annotations

import pytest

from explorer.core.explain import rules_timing
from explorer.core.explain.findings import Pointer, Severity
from explorer.core.http.exchange import Timing
from tests.support.explain.exchanges import findings, hop, ids, make_facts, raw_server, send

BASE = "http://127.0.0.1:8000"


def test_a_long_wait_against_a_quick_transfer() -> None:
    slow = Timing(connect=1.0, send=1.0, wait=1500.0, download=3.0, total=1505.0)
    [finding] = findings(make_facts(timing=slow), "timing.slow-first-byte")
    assert finding.severity is Severity.INFO and finding.pointer == Pointer("timing", "wait")
    assert finding.summary.startswith("The server took 1.50 s to start answering")
    quick = Timing(send=1.0, wait=40.0, download=3.0, total=44.0)
    big_body = Timing(send=1.0, wait=900.0, download=2000.0, total=2901.0)
    for timing in (quick, big_body):
        assert ids(make_facts(timing=timing), "timing.slow") == []


def test_a_new_connection_for_each_hop_to_the_same_server() -> None:
    fresh = Timing(connect=2.0, wait=5.0, total=8.0, reused=False)
    hops = (
        hop(f"{BASE}/a", 302, "/b", headers=[("Connection", "close")], timing=fresh),
        hop(f"{BASE}/b", 302, "https://other.example/c", timing=fresh),
    )
    # /a → /b is the same server; /b → other.example needed a new connection anyway.
    facts = make_facts(url="https://other.example/c", hops=hops, timing=fresh)
    [finding] = findings(facts, "timing.connection-not-reused")
    assert finding.severity is Severity.INFO
    assert (
        finding.summary
        == "1 request to the same server opened a new connection (2 ms spent connecting)"
    )
    assert "Connection: close" in finding.explanation
    reused = Timing(wait=5.0, total=5.0, reused=True)
    facts = make_facts(url=f"{BASE}/b", hops=hops[:1], timing=reused)
    assert ids(facts, "timing.connection") == []


def test_a_slow_dns_lookup() -> None:
    facts = make_facts(timing=Timing(dns=450.0, connect=1.0, wait=5.0, total=460.0))
    assert [f.severity for f in findings(facts, "timing.slow-dns")] == [Severity.INFO]
    assert ids(make_facts(timing=Timing(dns=4.0, wait=5.0, total=9.0)), "timing.") == []


def test_timing_findings_are_never_more_than_information() -> None:
    from explorer.core.explain import all_rules

    ours = [rule for rule in all_rules() if rule.id.startswith("timing.")]
    assert len(ours) == 3
    assert all(rule.lesson == "requests-and-responses" and rule.references for rule in ours)
    worst = Timing(dns=900.0, connect=900.0, wait=9000.0, download=1.0, total=10801.0)
    hops = (hop(f"{BASE}/a", 302, "/b", timing=worst),)
    assert {f.severity for f in findings(make_facts(hops=hops, timing=worst), "timing.")} == {
        Severity.INFO
    }


OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
TO_END = b"HTTP/1.1 302 Found\r\nLocation: /end\r\nContent-Length: 0\r\n\r\n"


def test_real_timings(monkeypatch: pytest.MonkeyPatch, live_server: str) -> None:
    # The rule's bound is lowered so that a short real delay shows what a long one would.
    monkeypatch.setattr(rules_timing, "SLOW_WAIT_MS", 50.0)
    with raw_server({"/late": OK}, delays={"/late": 0.12}) as server:
        late = send(f"{server.url}/late")
    assert late.timing.wait >= 100.0
    assert ids(late, "timing.") == ["timing.slow-first-byte"]

    with raw_server({"/start": TO_END, "/end": OK}, keep_alive=True) as server:
        kept = send(f"{server.url}/start")
        assert server.connections == 1
    assert kept.timing.reused and ids(kept, "timing.") == []

    # The practice server (Werkzeug's development server) closes every connection.
    closing = send(f"{live_server}/redirect/1")
    assert ids(closing, "timing.") == ["timing.connection-not-reused"]
