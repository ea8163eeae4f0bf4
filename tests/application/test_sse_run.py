"""Event streams in a run (application/streams/sse_run): collected until N events or T
seconds, their times at the server's rate, and checked as a JSON array; against a paced
raw-socket server written outside the project."""

from __future__ import annotations

import itertools
import json
import statistics

from explorer.application.running import Run, RunPlan, whole_collection
from explorer.core.collection import Collection, RequestItem
from explorer.core.http.exchange import Response
from explorer.core.model import Assertion, Operator, Request, Stream, Subject
from tests.support.sse_server import PacedEventServer


def run_one(request: Request) -> tuple[object, list[Response]]:
    collection = Collection(name="Streams", items=(RequestItem(request),))
    kept: list[Response] = []

    def keep(_shown: object, response: Response) -> bool:
        kept.append(response)
        return True

    plan = RunPlan(collection, whole_collection(collection))
    summary = Run(plan, keep_response=keep).run()
    return summary, kept


def count_is(n: int) -> Assertion:
    return Assertion(Subject.JSONPATH, Operator.COUNT, str(n), argument="$")


def test_a_count_ends_an_endless_stream_and_the_checks_read_the_events() -> None:
    checks = (
        count_is(4),
        Assertion(Subject.JSONPATH, Operator.EQ, "2", argument="$[2].json.n"),
        Assertion(Subject.JSONPATH, Operator.EQ, '"tick"', argument="$[0].type"),
        Assertion(Subject.HEADER, Operator.CONTAINS, "event-stream", argument="Content-Type"),
    )
    with PacedEventServer(count=0, interval=0.002) as server:
        request = Request(url=server.url, assertions=checks, stream=Stream(collect_messages=4))
        summary, kept = run_one(request)
    (result,) = summary.results  # type: ignore[attr-defined]
    assert result.passed, result.failures
    assert kept[0].stopped == "collected 4 events"
    assert kept[0].body.startswith(b"id: 0\n")  # the raw text stays the body


def test_a_time_limit_collects_at_the_servers_rate() -> None:
    interval = 0.02
    with PacedEventServer(count=0, interval=interval) as server:
        request = Request(url=server.url, stream=Stream(collect_seconds=0.15))
        request = request.with_changes(assertions=(count_is(-1),))  # fails: shows the array
        summary, kept = run_one(request)
    (response,) = kept
    assert response.stopped == "collected for 0.15 s"
    events = response.events or ()
    assert 4 <= len(events) <= 9
    gaps = [b.at_ms - a.at_ms for a, b in itertools.pairwise(events)]
    assert abs(statistics.median(gaps) - interval * 1000) < 3
    (result,) = summary.results  # type: ignore[attr-defined]
    (failure,) = result.failures
    assert failure.actual.startswith('[{"at_ms":')  # the checks read the events
    assert json.loads(response.body.split(b"data: ", 1)[1].split(b"\n", 1)[0]) == {"n": 0}
