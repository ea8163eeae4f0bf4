"""/sse as a lesson in the event-stream format: read by the app's own parser."""

from __future__ import annotations

import json

from explorer.core.http.sse import EventStreamParser

from .conftest import assert_problem


def events(client, query: str, **headers: str):
    parser = EventStreamParser()
    found = parser.feed(client.get(f"/sse?{query}", headers=headers).get_data())
    return found, parser


def test_a_stream_teaches_types_ids_json_and_retry(client) -> None:
    found, parser = events(client, "count=4&interval=0")
    assert [(e.type, e.id) for e in found] == [
        ("message", "0"), ("tick", "1"), ("tick", "2"), ("done", "3")
    ]  # fmt: skip
    first = json.loads(found[0].data)  # two data: lines, joined by a newline
    assert "\n" in found[0].data and (first["n"], first["of"]) == (0, 4)
    assert json.loads(found[3].data)["n"] == 3
    assert parser.retry_ms == 2000 and parser.last_event_id == "3"


def test_a_reconnect_resumes_after_the_last_event_id(client) -> None:
    found, _parser = events(client, "count=2&interval=0", **{"Last-Event-ID": "41"})
    assert [e.id for e in found] == ["42", "43"]
    found, _parser = events(client, "count=1&interval=0", **{"Last-Event-ID": "x"})
    assert [e.id for e in found] == ["0"]


def test_count_interval_and_total_time_are_bounded(client) -> None:
    assert len(events(client, "count=10000&interval=0")[0]) == 10_000
    assert_problem(client.get("/sse?count=10001&interval=0"), 400)
    assert_problem(client.get("/sse?count=2&interval=11"), 400)
    assert_problem(client.get("/sse?count=8&interval=10"), 400)  # 70 s
    assert_problem(client.get("/sse?interval=-1"), 400)
