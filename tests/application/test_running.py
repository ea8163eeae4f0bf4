"""The run engine (explorer.application.running) against the real practice server and
real sockets on 127.0.0.1: captures chain into the next request, data rows, bail,
delay, cancel, secret captures kept out of every result and report, bounded memory."""

from __future__ import annotations

import json
import threading
import time
import tracemalloc
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from explorer.application.reports import write_report
from explorer.application.running import (
    AfterScripts,
    BeforeScripts,
    RequestFinished,
    RequestStarted,
    Run,
    RunEvent,
    RunFinished,
    RunPlan,
    RunResult,
    whole_collection,
)
from explorer.core.checks.results import AssertionResult, ResponseFacts
from explorer.core.collection import Collection, Folder, RequestItem, Variable
from explorer.core.data_file import read_data_file
from explorer.core.http.exchange import ErrorKind
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    Operator,
    Pair,
    Request,
    Scripts,
    Subject,
)
from explorer.core.resolve.variables import Scope

PASSWORD = "analytical"  # the practice server's seeded user "ada"


def status_is(code: int) -> Assertion:
    return Assertion(Subject.STATUS, Operator.EQ, str(code))


def plan_of(base: str, *items: Request | Folder, **changes: object) -> RunPlan:
    collection = Collection(
        name="Run",
        variables=(Variable("base", base),),
        items=tuple(RequestItem(i) if isinstance(i, Request) else i for i in items),
    )
    scopes = (Scope("collection", {"base": base}),)
    plan = RunPlan(collection, whole_collection(collection), scopes=scopes)
    return RunPlan(**{**plan.__dict__, **changes})  # type: ignore[arg-type]


def login_then_me() -> tuple[Request, Request]:
    login = Request(
        name="login",
        method="POST",
        url="{{base}}/auth/token",
        body=Body(
            kind=BodyKind.RAW,
            text=json.dumps({"username": "ada", "password": PASSWORD}),
            content_type="application/json",
        ),
        assertions=(status_is(200),),
        captures=(Capture("token", Subject.JSONPATH, "$.access_token", secret=True),),
    )
    me = Request(
        name="me",
        url="{{base}}/auth/me",
        auth=Auth(kind=AuthKind.BEARER, token="{{token}}"),
        assertions=(
            status_is(200),
            Assertion(Subject.JSONPATH, Operator.EQ, "ada", argument="$.username"),
        ),
    )
    return login, me


def test_a_secret_capture_chains_into_the_next_request_and_is_never_shown(live_server, tmp_path):
    events: list[RunEvent] = []
    tokens: list[str] = []

    def keep(result: RunResult, response) -> bool:
        if result.name == "login":
            tokens.append(json.loads(response.body)["access_token"])
        return False

    summary = Run(plan_of(live_server, *login_then_me()), events.append, keep).run()
    assert [r.name for r in summary.results] == ["login", "me"]
    assert summary.passed, [r.failures for r in summary.results]
    assert [r.passed for r in summary.results[1].results] == [True, True]
    [captured] = summary.results[0].captured
    assert captured.variable == "token" and captured.secret and captured.value == "•••"
    [token] = tokens
    assert len(token) > 20
    # The events: started and finished for each request, then the end.
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["RequestStarted", "RequestFinished"] * 2 + ["RunFinished"]
    assert isinstance(events[-1], RunFinished) and events[-1].summary == summary
    # Nowhere: not in the results, not in any report.
    assert token not in repr(summary.results)
    for kind in ("junit", "json", "html"):
        path = tmp_path / f"report.{kind}"
        write_report(kind, path, summary)
        assert token not in path.read_text(encoding="utf-8"), kind


def test_a_secret_capture_is_masked_in_a_failing_assertions_actual_value(live_server):
    login, _me = login_then_me()
    leaky = login.with_changes(
        assertions=(Assertion(Subject.JSONPATH, Operator.EQ, "x", argument="$.access_token"),),
    )
    summary = Run(plan_of(live_server, leaky)).run()
    [failed] = summary.results[0].failures
    assert failed.actual == "•••" and not summary.passed


def test_without_the_capture_the_next_request_fails(live_server):
    """The chaining above is real: without the captured token the second request's
    assertions fail (401)."""
    login, me = login_then_me()
    summary = Run(plan_of(live_server, login.with_changes(captures=()), me)).run()
    assert summary.results[1].status == 401 and not summary.results[1].passed
    assert summary.results[1].failures[0].actual == "401"


def test_each_data_row_is_an_iteration_with_its_columns_as_variables(live_server, tmp_path):
    data = tmp_path / "people.csv"
    data.write_text("who,city\nada,London\ngrace,New York\nalan,\n", encoding="utf-8")
    echo = Request(
        name="echo",
        url="{{base}}/get?who={{who}}&city={{city}}",
        assertions=(Assertion(Subject.JSONPATH, Operator.EQ, "{{who}}", argument="$.args.who"),),
    )
    summary = Run(plan_of(live_server, echo, data=read_data_file(data))).run()
    assert summary.iterations == 3 and summary.passed
    assert [r.iteration for r in summary.results] == [1, 2, 3]
    assert [r.url.split("?")[1] for r in summary.results] == [
        "who=ada&city=London",
        "who=grace&city=New York",
        "who=alan&city=",
    ]
    assert [r.results[0].expected for r in summary.results] == ["ada", "grace", "alan"]


def test_iterations_without_data_repeat_the_selection(live_server):
    summary = Run(plan_of(live_server, Request(url="{{base}}/health"), iterations=3)).run()
    assert [r.iteration for r in summary.results] == [1, 2, 3] and summary.passed


def test_bail_stops_at_the_first_failure(live_server):
    wrong = Request(name="wrong", url="{{base}}/get", assertions=(status_is(201),))
    after = Request(name="after", url="{{base}}/get")
    bailed = Run(plan_of(live_server, wrong, after, bail=True)).run()
    assert [r.name for r in bailed.results] == ["wrong"] and bailed.bailed
    whole = Run(plan_of(live_server, wrong, after)).run()
    assert [r.name for r in whole.results] == ["wrong", "after"] and not whole.bailed
    assert [r.passed for r in whole.results] == [False, True]


def test_with_no_assertions_a_response_passes_and_with_assertions_they_decide(live_server):
    missing = Request(name="404", url="{{base}}/status/404")
    checked = missing.with_changes(name="checked", assertions=(status_is(200),))
    refused = Request(name="refused", url="http://127.0.0.1:1/")
    summary = Run(plan_of(live_server, missing, checked, refused)).run()
    assert [r.passed for r in summary.results] == [True, False, False]
    assert summary.results[2].error_kind == ErrorKind.CONNECTION_REFUSED.value
    assert summary.failed_count == 2 and summary.assertion_counts == (0, 1)


def test_delay_is_waited_between_requests(live_server):
    health = Request(url="{{base}}/health")
    started = time.perf_counter()
    summary = Run(plan_of(live_server, health, health, health, delay_ms=300)).run()
    assert time.perf_counter() - started >= 0.6  # two waits, none before the first
    assert summary.passed and len(summary.results) == 3


def test_cancel_stops_the_send_in_progress_and_the_run(live_server):
    slow = Request(name="slow", url="{{base}}/delay/8")
    never = Request(name="never", url="{{base}}/health")
    run: Run

    def on_event(event: RunEvent) -> None:
        if isinstance(event, RequestStarted) and event.name == "slow":
            threading.Timer(0.3, run.cancel).start()

    run = Run(plan_of(live_server, Request(url="{{base}}/health"), slow, never), on_event)
    started = time.perf_counter()
    summary = run.run()
    assert time.perf_counter() - started < 5  # not the 8 s the server would take
    assert [r.name for r in summary.results] == ["", "slow"]
    assert summary.results[1].error_kind == ErrorKind.CANCELLED.value
    assert summary.cancelled and not summary.passed


def test_a_cancel_during_the_delay_starts_no_other_request(live_server):
    health = Request(url="{{base}}/health")
    run: Run

    def on_event(event: RunEvent) -> None:
        if isinstance(event, RequestFinished):
            threading.Timer(0.1, run.cancel).start()

    run = Run(plan_of(live_server, health, health, delay_ms=5000), on_event)
    started = time.perf_counter()
    summary = run.run()
    assert time.perf_counter() - started < 3 and len(summary.results) == 1


def test_to_environment_captures_are_handed_to_the_front_end_raw(live_server):
    echo = Request(
        url="{{base}}/get?id=42",
        captures=(Capture("id", Subject.JSONPATH, "$.args.id", to_environment=True),),
    )
    summary = Run(plan_of(live_server, echo)).run()
    [written] = summary.to_environment
    assert (written.variable, written.value) == ("id", "42")


def test_folder_and_collection_checks_apply_to_every_request(live_server):
    inner = Folder("inner", items=(RequestItem(Request(name="a", url="{{base}}/status/404")),),
                   assertions=(status_is(200),))  # fmt: skip
    summary = Run(plan_of(live_server, inner)).run()
    [failed] = summary.results[0].failures
    assert failed.source == "folder inner" and failed.actual == "404"


class Hooks:
    """A real ScriptHooks: sets a variable before, adds an `expect` result after."""

    def __init__(self) -> None:
        self.seen: list[Mapping[str, str]] = []

    def before(self, request: Request, scripts, variables: Mapping[str, str]) -> BeforeScripts:
        self.seen.append(dict(variables))
        return BeforeScripts(request, {"from_script": "hello"}, ("set from_script",))

    def after(self, facts: ResponseFacts, scripts, variables, request=None) -> AfterScripts:
        passed = json.loads(facts.body)["args"]["x"] == variables["from_script"]
        return AfterScripts((AssertionResult("x echoed", passed, source="script"),), {}, ("done",))


def test_script_hooks_run_around_the_request_when_given(live_server):
    scripted = Request(
        name="scripted",
        url="{{base}}/get?x={{from_script}}",
        scripts=Scripts(pre_request="pass", post_response="pass"),
    )
    hooks = Hooks()
    summary = Run(plan_of(live_server, scripted, scripts=hooks)).run()
    [result] = summary.results
    assert result.url.endswith("/get?x=hello") and result.passed
    assert [a.label for a in result.results] == ["x echoed"]
    assert result.console == ("set from_script", "done")
    assert hooks.seen[0]["base"] == live_server
    # Not given: the scripts do not run, the variable stays unresolved.
    [plain] = Run(plan_of(live_server, scripted)).run().results
    assert plain.unresolved == ("from_script",) and plain.console == ()


def test_a_pre_request_script_error_fails_the_request_unsent(live_server):
    class Failing(Hooks):
        def before(self, request, scripts, variables):
            return BeforeScripts(request, error="NameError: name 'x' is not defined")

    scripted = Request(url="{{base}}/get", scripts=Scripts(pre_request="x"))
    [result] = Run(plan_of(live_server, scripted, scripts=Failing())).run().results
    assert result.status is None and result.error_kind == "script" and not result.passed
    assert "NameError" in result.error


# ---- memory ---------------------------------------------------------------------------

BODY = json.dumps({"id": 1, "padding": "x" * 64 * 1024}).encode()  # 64 KiB each


class Fast(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the run reuses one connection

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fast_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Fast)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(5)


def peak_of_run(base: str, count: int) -> tuple[int, int]:
    checked = Request(
        url="{{base}}/",
        assertions=(status_is(200), Assertion(Subject.JSONPATH, Operator.EQ, "1", argument="$.id")),
    )
    plan = plan_of(base, checked, iterations=count)
    tracemalloc.start()
    try:
        summary = Run(plan).run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert summary.passed and len(summary.results) == count
    return peak, sum(r.size for r in summary.results)


def test_memory_of_a_long_run_stays_flat(fast_server):
    """1,000 responses of 64 KiB (62.5 MiB of bodies, all checked): the peak is about
    that of 200, since no body outlives its checks (kept bodies would pass 40 MiB)."""
    small, _ = peak_of_run(fast_server, 200)
    large, bodies = peak_of_run(fast_server, 1000)
    assert bodies > 60 * 1024 * 1024
    assert large < 40 * 1024 * 1024, large
    assert large - small < 16 * 1024 * 1024, (small, large)


def test_a_kept_response_keeps_its_body(live_server, tmp_path):
    kept: list[tuple[RunResult, object]] = []
    summary = Run(
        plan_of(live_server, Request(url="{{base}}/json")),
        keep_response=lambda result, response: kept.append((result, response)) or True,
    ).run()
    [(result, response)] = kept
    assert result.url == summary.results[0].url and json.loads(response.read_body())  # type: ignore[attr-defined]


def test_each_kept_response_comes_with_its_own_turn(live_server):
    kept: list[RunResult] = []
    summary = Run(
        plan_of(live_server, Request(url="{{base}}/json"), iterations=2),
        keep_response=lambda result, _response: kept.append(result) or False,
    ).run()
    assert [(r.iteration, r.index) for r in kept] == [(1, 0), (2, 0)]
    assert [r.iteration for r in summary.results] == [1, 2]


def test_prepared_is_what_the_first_turn_sends(live_server):
    plan = plan_of(live_server, Request(name="h", url="{{base}}/health"))
    [(folder, item, prepared)] = plan.prepared()
    assert (folder, item.name) == ((), "h") and prepared.request.url == f"{live_server}/health"


def test_reports_are_written_for_each_kind(live_server, tmp_path: Path):
    summary = Run(plan_of(live_server, Request(url="{{base}}/health"))).run()
    for kind in ("junit", "json", "html"):
        path = tmp_path / "deep" / f"r.{kind}"
        write_report(kind, path, summary)
        assert path.stat().st_size > 100


@pytest.mark.parametrize("secret", [True, False])
def test_a_secret_capture_is_kept_from_other_origins_on_a_redirect(live_server, secret):
    """A captured secret joins the sensitive values of the later sends: a header
    carrying it is not sent on to another origin (localhost after 127.0.0.1). The
    same capture not marked secret goes on: the check can fail."""
    login, _me = login_then_me()
    login = login.with_changes(
        captures=(Capture("token", Subject.JSONPATH, "$.access_token", secret=secret),)
    )
    port = live_server.rsplit(":", 1)[1]
    away = Request(
        name="away",
        url=f"{{{{base}}}}/redirect-to?url=http://localhost:{port}/headers",
        headers=(Pair("X-Token", "{{token}}"),),
    )
    bodies: dict[str, bytes] = {}

    def keep(result: RunResult, response) -> bool:
        bodies[result.name] = response.read_body()
        return False

    summary = Run(plan_of(live_server, login, away), keep_response=keep).run()
    assert summary.passed and summary.results[1].final_url.endswith("/headers")
    headers = json.loads(bodies["away"])["headers"]
    assert ("X-Token" in headers) is not secret


def test_a_secret_cut_by_the_shortening_of_a_value_is_still_masked():
    """The checks cut long values to SHOWN_VALUE_CHARS with "…"; a secret straddling
    the cut would leave its first characters unmasked."""
    from explorer.application.checking import mask_result, mask_text
    from explorer.core.checks.results import SHOWN_VALUE_CHARS
    from explorer.core.resolve.secret_forms import SecretMask

    secret = "s3cr3t-VALUE-0123456789"
    mask = SecretMask({secret})
    text = ("x" * (SHOWN_VALUE_CHARS - 10) + secret)[: SHOWN_VALUE_CHARS - 1] + "…"
    assert secret[:9] in text
    shown = mask_result(AssertionResult("body", False, actual=text), mask).actual
    assert secret[:3] not in shown and shown.endswith("•••…")
    assert mask_text("ends with s3c…", mask) == "ends with •••…"
    assert mask_text("ends with s3…", mask) == "ends with s3…"  # two characters: kept
    assert mask_text("ends with s3c…", SecretMask({"zz" + secret})) == "ends with s3c…"
    assert mask_text("whole s3cr3t-VALUE-0123456789 here", mask) == "whole ••• here"


def test_a_long_captured_value_is_cut_in_the_result_but_whole_for_the_next_request(
    live_server,
):
    from explorer.core.checks.results import SHOWN_VALUE_CHARS

    whole = Request(name="whole", url="{{base}}/json", captures=(Capture("doc", Subject.BODY),))
    echo = Request(
        name="echo",
        method="POST",
        url="{{base}}/post",
        body=Body(kind=BodyKind.RAW, text="{{doc}}", content_type="application/json"),
        assertions=(Assertion(Subject.JSONPATH, Operator.EQ, "Practice Library",
                              argument="$.json.library.name"),),
    )  # fmt: skip
    summary = Run(plan_of(live_server, whole, echo)).run()
    [captured] = summary.results[0].captured
    assert captured.value is not None and len(captured.value) == SHOWN_VALUE_CHARS
    assert summary.passed, summary.results[1].failures
