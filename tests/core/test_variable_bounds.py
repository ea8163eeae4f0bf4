"""Variable expansion is bounded: no set of variables can hang or exhaust the app, and
every reference left unexpanded is reported with the variable at fault."""

from __future__ import annotations

import threading
import time

from explorer.core.model import Pair, Request
from explorer.core.resolve.variables import (
    MAX_DEPTH,
    MAX_VALUE_SIZE,
    REASON_CYCLE,
    REASON_TOO_COMPLEX,
    REASON_TOO_DEEP,
    REASON_TOO_LARGE,
    Resolver,
    Scope,
    lookup,
    resolve_request_checked,
    resolve_text,
    unresolved,
)


def fan_out(levels: int, copies: int, leaf: str = "0123456789") -> list[Scope]:
    """`v0` refers to `v1` `copies` times, `v1` to `v2` … : copies**levels leaves."""
    values = {f"v{i}": f"{{{{v{i + 1}}}}}" * copies for i in range(levels - 1)}
    values[f"v{levels - 1}"] = leaf
    return [Scope("environment", values)]


def run_bounded(work, seconds: float = 20.0):
    """Run `work` in a thread; fail (instead of hanging the suite) if it does not end."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    started = time.perf_counter()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still expanding after {seconds} s"
    return result[0], time.perf_counter() - started


def test_sixteen_variables_naming_the_next_eight_times_end_quickly_naming_the_culprit():
    scopes = fan_out(16, 8)
    request = Request(url="http://h/{{v0}}", headers=(Pair("X", "{{v1}}"),))
    (resolved, problems), seconds = run_bounded(lambda: resolve_request_checked(request, scopes))
    assert seconds < 5  # about a millisecond here; generous for a loaded machine
    too_large = [p for p in problems if p.reason == REASON_TOO_LARGE]
    assert too_large, problems
    culprit = too_large[0].name
    assert culprit.startswith("v") and f"{{{{{culprit}}}}}" in too_large[0].message
    assert "1 MiB" in too_large[0].message
    assert len(resolved.url) <= MAX_VALUE_SIZE  # the culprit is left as written
    assert any(f"{{{{{p.name}}}}}" in resolved.url for p in too_large)
    assert culprit in unresolved(request, scopes)


def test_without_a_leaf_the_fan_out_is_undefined_and_too_large_not_a_hang():
    values = {f"v{i}": f"{{{{v{i + 1}}}}}" * 8 for i in range(16)}  # v16 is missing
    (text, seconds) = run_bounded(lambda: resolve_text("{{v0}}", [Scope("e", values)]))
    assert seconds < 5 and "{{v" in text


def test_cycle_names_a_variable_and_the_path():
    scopes = [Scope("c", {"a": "<{{b}}>", "b": "[{{a}}]"})]
    resolved, problems = resolve_request_checked(Request(url="http://h/{{a}}"), scopes)
    assert resolved.url == "http://h/<[{{a}}]>"
    (problem,) = problems
    assert problem.reason == REASON_CYCLE and problem.name == "a"
    assert problem.message == "{{a}} refers to itself: a → b → a"


def test_nesting_deeper_than_the_limit_is_reported_on_the_variable_past_it():
    chain = {f"c{i}": f"{{{{c{i + 1}}}}}" for i in range(40)}
    chain["c40"] = "end"
    resolved, problems = resolve_request_checked(Request(url="{{c0}}"), [Scope("e", chain)])
    (problem,) = problems
    assert problem.reason == REASON_TOO_DEEP and problem.name == f"c{MAX_DEPTH}"
    assert f"more than {MAX_DEPTH} levels" in problem.message
    assert resolved.url == f"{{{{c{MAX_DEPTH}}}}}"
    # A chain within the limit resolves.
    assert resolve_text("{{c30}}", [Scope("e", chain)]) == "end"


def test_a_huge_literal_value_is_refused_not_copied():
    scopes = [Scope("e", {"big": "x" * (MAX_VALUE_SIZE + 1), "ok": "y" * 1000})]
    resolved, problems = resolve_request_checked(Request(url="{{big}}/{{ok}}"), scopes)
    assert resolved.url == "{{big}}/" + "y" * 1000
    assert [(p.name, p.reason) for p in problems] == [("big", REASON_TOO_LARGE)]


def test_total_expansion_of_one_request_is_bounded():
    scopes = [Scope("e", {"half": "h" * (MAX_VALUE_SIZE // 2)})]
    request = Request(url="{{half}}" * 100)
    (resolved, problems), _seconds = run_bounded(lambda: resolve_request_checked(request, scopes))
    assert len(resolved.url) < 20 * MAX_VALUE_SIZE
    assert [(p.name, p.reason) for p in problems] == [("half", REASON_TOO_LARGE)]


def test_a_memoized_variable_still_reports_its_problems():
    scopes = [Scope("c", {"a": "{{b}}", "b": "{{b}}", "c": "{{a}}{{a}}"})]
    resolver = Resolver(scopes)
    resolver.value("c")
    assert [p.name for p in resolver.problems_of("c")] == ["b"]
    assert [p.name for p in resolver.problems_of("a")] == ["b"]


def test_lookup_of_a_fan_out_is_bounded():
    value, seconds = run_bounded(lambda: lookup("v0", fan_out(16, 8)))
    assert seconds < 5 and value[1] == "environment"


def test_values_full_of_references_are_bounded_by_work_not_only_size():
    # 300 variables each naming an undefined one 8 000 times: small values, but 2.4
    # million references (over 3 s unbounded).
    values = {f"n{i}": "{{nope}}" * 8000 for i in range(300)}
    text = " ".join(f"{{{{n{i}}}}}" for i in range(300))
    (resolved, problems), seconds = run_bounded(
        lambda: resolve_request_checked(Request(url=text), [Scope("e", values)])
    )
    assert seconds < 10  # about 0.3 s here
    complex_ = [p for p in problems if p.reason == REASON_TOO_COMPLEX]
    assert complex_ and complex_[0].name.startswith("n")
    assert "too many times" in complex_[0].message
    assert f"{{{{{complex_[-1].name}}}}}" in resolved.url  # left as written
