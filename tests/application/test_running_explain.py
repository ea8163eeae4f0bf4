"""`RunPlan.explain`: the explainer's findings on each result of a run, computed on the
run's thread while the response still exists, masked like every other shown text, and
bounded; off, a run is exactly what it was.

The engine's mechanics (silencing, masking, bounds, the spooled body) are tested with
rules made here (monkeypatched into `all_rules`, as tests/core/explain/test_frame.py
does); the real rules, once on main, are met in test_the_real_rules_find_*."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

import explorer.core.explain as explain_module
from explorer.application.reports import write_report
from explorer.application.running import (
    MAX_FINDING_EXPLANATION,
    MAX_FINDING_SUMMARY,
    Run,
    RunPlan,
    RunResult,
    whole_collection,
)
from explorer.core.collection import Collection, RequestItem
from explorer.core.explain import MAX_FINDINGS
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Finding, Note, Pointer, Rule, Severity
from explorer.core.explain.references import rfc
from explorer.core.http.transport import Transport
from explorer.core.model import Pair, Request
from explorer.core.resolve.variables import Scope
from tests.support.canned_server import RawServer, canned

TOKEN = "s3cr3t-t0ken-value"  # a secret variable's value, sent in a header
SESSION = "sess10n-cookie-from-the-server"  # a session cookie the server sets
BIG = b"x" * 5000


@pytest.fixture(scope="module")
def server() -> Iterator[RawServer]:
    responses = {
        "/created": canned(201, "Created", [("Content-Type", "text/plain")], b"made"),
        "/cookie": canned(
            200,
            "OK",
            [("Content-Type", "text/plain"), ("Set-Cookie", f"sid={SESSION}; Path=/")],
            b"hello",
        ),
        "/big": canned(200, "OK", [("Content-Type", "text/plain")], BIG),
    }
    with RawServer(responses) as canned_server:
        yield canned_server


def plan_for(server: RawServer, *paths: str, **changes: object) -> RunPlan:
    header = (Pair("X-Token", "{{token}}"),)
    requests = [
        Request(name=path.strip("/"), url=f"{server.url}{path}", headers=header) for path in paths
    ]
    collection = Collection(name="Explain", items=tuple(RequestItem(r) for r in requests))
    scopes = (Scope("environment", {"token": TOKEN}, frozenset({"token"})),)
    plan = RunPlan(collection, whole_collection(collection), scopes=scopes)
    return RunPlan(**{**plan.__dict__, **changes})  # type: ignore[arg-type]


def rule(rule_id: str, check) -> Rule:  # type: ignore[no-untyped-def]
    return Rule(rule_id, Category.STATUS, rule_id, (rfc(9110, "15.3.2", "x"),), None, check)


def quoting(facts: ExchangeFacts) -> Iterator[Note]:
    """A careless rule: it quotes what the request sent and the server set."""
    yield Note(
        Severity.WARNING,
        f"sent X-Token {facts.request_header('X-Token')}",
        f"the server set {facts.header('Set-Cookie')}",
        Pointer("header", f"X-Token={facts.request_header('X-Token')}"),
    )


def chatty(facts: ExchangeFacts) -> Iterator[Note]:
    for number in range(MAX_FINDINGS + 100):
        yield Note(Severity.INFO, "s" * 600, "e" * 5000 + str(number))


def body_reader(facts: ExchangeFacts) -> Iterator[Note]:
    yield Note(Severity.INFO, f"body of {len(facts.body)} bytes", "", Pointer("body"))


@pytest.fixture
def rules(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def use(*made: Rule) -> None:
        monkeypatch.setattr(explain_module, "all_rules", lambda: made)

    return use


def test_off_by_default_no_findings_and_the_summary_says_so(server, rules) -> None:
    rules(rule("status.quoting", quoting))
    summary = Run(plan_for(server, "/cookie")).run()
    assert summary.results[0].findings == () and not summary.explained
    assert summary.finding_counts == {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}


def test_findings_never_hold_a_secret_or_a_session_cookie(server, rules, tmp_path) -> None:
    rules(rule("status.quoting", quoting))
    summary = Run(plan_for(server, "/cookie", explain=True)).run()
    [result] = summary.results
    assert summary.explained and result.passed
    [finding] = result.findings
    assert finding.rule_id == "status.quoting" and finding.severity is Severity.WARNING
    assert finding.summary == "sent X-Token •••"
    assert finding.explanation == "the server set sid=•••; Path=/"
    assert finding.pointer == Pointer("header", "X-Token=•••")
    assert summary.finding_counts[Severity.WARNING] == 1
    for kind in ("junit", "json", "html"):
        path = tmp_path / f"report.{kind}"
        write_report(kind, path, summary)
        text = path.read_text(encoding="utf-8")
        assert "sent X-Token •••" in text, kind
        assert TOKEN not in text and SESSION not in text, kind


def test_silenced_rules_do_not_run(server, rules) -> None:
    ran: list[str] = []

    def counting(facts: ExchangeFacts) -> Iterator[Note]:
        ran.append(facts.url)
        yield Note(Severity.ERROR, "counted", "")

    rules(rule("status.quoting", quoting), rule("status.counting", counting))
    plan = plan_for(server, "/cookie", explain=True, explain_silenced=frozenset({"status.quoting"}))
    [result] = Run(plan).run().results
    assert [f.rule_id for f in result.findings] == ["status.counting"] and len(ran) == 1


def test_findings_are_bounded_in_number_and_length(server, rules) -> None:
    rules(rule("status.chatty", chatty))
    [result] = Run(plan_for(server, "/created", explain=True)).run().results
    assert len(result.findings) == MAX_FINDINGS
    assert {len(f.summary) for f in result.findings} == {MAX_FINDING_SUMMARY}
    assert {len(f.explanation) for f in result.findings} == {MAX_FINDING_EXPLANATION}


def test_a_spooled_body_is_read_before_the_run_lets_it_go(server, rules) -> None:
    rules(rule("status.body", body_reader))
    kept: list[object] = []

    def keep(result: RunResult, response) -> bool:  # type: ignore[no-untyped-def]
        kept.append(response.body_path)
        return False

    transport = Transport(spool_threshold=1024)
    try:
        plan = plan_for(server, "/big", explain=True)
        [result] = Run(plan, keep_response=keep, transport=transport).run().results
    finally:
        transport.close()
    [path] = kept
    assert path is not None and not path.exists()  # it was spooled, and is gone
    assert [f.summary for f in result.findings] == [f"body of {len(BIG)} bytes"]


def test_a_failing_explainer_fails_nothing(server, monkeypatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(explain_module, "explain", broken)
    summary = Run(plan_for(server, "/created", explain=True)).run()
    assert summary.passed and summary.results[0].findings == ()


def test_no_response_no_findings(rules) -> None:
    rules(rule("status.quoting", quoting))
    collection = Collection(
        name="Down", items=(RequestItem(Request(name="down", url="http://127.0.0.1:9/x")),)
    )
    plan = RunPlan(collection, whole_collection(collection), explain=True)
    [result] = Run(plan).run().results
    assert result.status is None and result.findings == ()


def test_reports_hold_findings_escaped_and_never_as_failures(tmp_path) -> None:
    from explorer.application.running import RunSummary

    made = rule("status.markup", quoting)
    findings = (
        Finding(made, Severity.ERROR, "<script>alert(1)</script>", "why & how", Pointer("status")),
        Finding(made, Severity.INFO, "worth knowing", ""),
        Finding(made, Severity.WARNING, "one", ""),
        Finding(made, Severity.WARNING, "two", ""),
    )
    result = RunResult(1, 0, "one", (), "GET", "http://x/", status=200, findings=findings)
    summary = RunSummary("Reports", (result,), "2026-01-01T00:00:00+00:00", 0.1, 1, explained=True)
    for kind in ("junit", "json", "html"):
        write_report(kind, tmp_path / f"r.{kind}", summary)
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert document["totals"]["findings"] == {"error": 1, "warning": 2, "info": 1}
    assert document["results"][0]["findings"] == [f.as_dict() for f in findings]
    suite = ET.parse(tmp_path / "r.junit").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0" and not list(suite.iter("failure"))
    assert (suite.findtext("testcase/system-out") or "").splitlines()[-4:] == [
        "explain error status.markup: <script>alert(1)</script>",
        "explain info status.markup: worth knowing",
        "explain warning status.markup: one",
        "explain warning status.markup: two",
    ]
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "findings: 1 error, 2 warnings, 1 info</p>" in page
    assert "Explain (1 error, 2 warnings, 1 info)" in page and "why &amp; how" in page
    assert '<a href="https://www.rfc-editor.org/rfc/rfc9110.html#section-15.3.2"' in page
    # The same summary without --explain: the reports say nothing about findings.
    plain = RunSummary("Reports", (result,), "2026-01-01T00:00:00+00:00", 0.1, 1)
    write_report("json", tmp_path / "plain.json", plain)
    document = json.loads((tmp_path / "plain.json").read_text(encoding="utf-8"))
    assert "findings" not in document["totals"] and "findings" not in document["results"][0]


def test_the_same_finding_on_every_request_is_kept_once(server, rules) -> None:
    """A long run holds every result: a finding repeated on each (its texts built anew
    for every exchange) must not repeat its texts in memory."""

    def wordy(facts: ExchangeFacts) -> Iterator[Note]:
        yield Note(Severity.WARNING, f"status {facts.status}", f"{'a long paragraph ' * 50}")

    rules(rule("status.wordy", wordy))
    summary = Run(plan_for(server, "/created", "/created", "/created", explain=True)).run()
    first, *others = (result.findings[0] for result in summary.results)
    assert first.summary == "status 201" and all(other is first for other in others)


def test_the_real_rules_find_a_201_without_location_unless_silenced(server) -> None:
    rule_id = "status.created-without-location"
    [result] = Run(plan_for(server, "/created", explain=True)).run().results
    [finding] = [f for f in result.findings if f.rule_id == rule_id]
    assert finding.severity is not Severity.INFO and finding.rule.references
    silenced = plan_for(server, "/created", explain=True, explain_silenced=frozenset({rule_id}))
    [quiet] = Run(silenced).run().results
    assert rule_id not in [f.rule_id for f in quiet.findings]
