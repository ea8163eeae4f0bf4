"""The load test's pure parts: `--fail-if` rules and their verdicts, durations, the
selection of requests and folders, what counts as a failure and of which kind, and the
CSV report. (The engine itself is tested as whole processes in tests/cli/test_load.py.)"""

from __future__ import annotations

import re

import pytest

from explorer.application.load.failures import failure_of
from explorer.application.load.plan import parse_duration, select
from explorer.application.load.reports import csv_report
from explorer.application.load.thresholds import judge, parse_threshold
from explorer.application.running import RunPlan, RunResult
from explorer.core.checks.results import AssertionResult
from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Request

TOTAL = {"requests": 200, "failures": 3, "rps": 95.0, "p50": 10.0, "p95": 180.0, "p99": 250.0}


@pytest.mark.parametrize(
    ("rule", "passed", "actual"),
    [
        ("p95>200ms", True, "180 ms"),
        ("p99 > 0.2s", False, "250 ms"),
        ("errors>1%", False, "1.50 %"),
        ("errors>2%", True, "1.50 %"),
        ("rps<100", False, "95.0 rps"),
        ("RPS<90", True, "95.0 rps"),
    ],
)
def test_a_rule_fails_when_it_holds(rule, passed, actual):
    [verdict] = judge((parse_threshold(rule),), TOTAL)
    assert (verdict.passed, verdict.actual) == (passed, actual)
    assert verdict.as_json() == {"rule": " ".join(rule.split()), "passed": passed, "actual": actual}


@pytest.mark.parametrize("rule", ["p96>2ms", "p95>2", "errors>1", "rps>100", "", "p95>-1ms"])
def test_a_rule_not_understood_says_what_is(rule):
    with pytest.raises(ValueError, match=re.escape("(expected p50|p95|p99>TIME")):
        parse_threshold(rule)


def test_errors_of_no_requests_are_none():
    [verdict] = judge((parse_threshold("errors>0%"),), {**TOTAL, "requests": 0, "failures": 0})
    assert verdict.passed


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30.0), ("500ms", 0.5), ("2m", 120.0), ("1h", 3600.0), ("7", 7.0)]
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "s", "1d", "-1s", "8000h"])
def test_a_duration_not_understood_is_a_value_error(text):
    with pytest.raises(ValueError, match=r"expected a duration|longer than a week"):
        parse_duration(text)


def _plan() -> RunPlan:
    a, b, c = (RequestItem(Request(name=n, url=f"http://h/{n}")) for n in "abc")
    inner = Folder(name="inner", items=(c,))
    collection = Collection(name="C", items=(a, Folder(name="f", items=(b, inner))))
    return RunPlan(collection, ())


def test_requests_and_folders_are_selected_in_collection_order():
    plan = _plan()
    names = lambda chosen: [item.name for _f, item in chosen]  # noqa: E731
    assert names(select(plan, [], [])) == ["a", "b", "c"]
    assert names(select(plan, ["c", "a"], [])) == ["a", "c"]
    assert names(select(plan, ["f/b"], ["f/inner"])) == ["b", "c"]
    assert names(select(plan, [], ["f"])) == ["b", "c"]
    with pytest.raises(LookupError, match="no request named 'x'"):
        select(plan, ["x"], [])
    with pytest.raises(LookupError):
        select(plan, [], ["nowhere"])


def _result(**changes: object) -> RunResult:
    base = RunResult(iteration=1, index=0, name="a", folder=(), method="GET", url="http://h/a")
    return RunResult(**{**base.__dict__, **changes})


def test_failures_by_kind():
    failed = AssertionResult("status == 200", False, actual="503")
    assert failure_of(_result(status=200)) is None
    assert failure_of(_result(status=503)).kind == "http"
    assert failure_of(_result(status=503, results=(failed,))).kind == "assertion"
    assert failure_of(_result(error_kind="read_timeout", error="timed out")).kind == "timeout"
    assert failure_of(_result(error_kind="connection_refused", error="no")).kind == "connection"
    assert failure_of(_result(error_kind="invalid_body", error="outside")).kind == "other"
    assert repr(failure_of(_result(status=503, results=(failed,)))) == (
        "assertion: status == 200: got 503"
    )


def test_the_csv_report_has_a_row_per_request_and_the_total():
    final = {"by_request": [{"name": "GET a", "requests": 3, "failures": 0}], "total": TOTAL}
    lines = csv_report(final).splitlines()
    assert lines[0] == "name,requests,failures,rps,p50,p95,p99,average,max"
    assert lines[1] == "GET a,3,0,,,,,,"
    assert lines[2] == "Total,200,3,95.0,10.0,180.0,250.0,,"
