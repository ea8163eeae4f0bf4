"""Which responses are compared: the previous one of a request, a history entry (its
body possibly cut by the history), a failed entry; on a real SQLite history."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.application.comparing import (
    CompareError,
    Side,
    compare,
    compare_in_child,
    previous_entry,
    previous_of_entry,
    side_from_entry,
    side_from_response,
)
from explorer.core.diff.budget import Budget, Stopped
from explorer.core.http.exchange import Response, SentRequest, Timing
from explorer.core.model import Request
from explorer.core.storage.history import History

URL = "http://127.0.0.1:9/items"


def _response(body: bytes, elapsed: float, url: str = URL) -> Response:
    sent = SentRequest("GET", url, (), b"", 0)
    return Response(
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        url=url,
        headers=(("Content-Type", "application/json"),),
        body=body,
        body_size=len(body),
        wire_size=len(body),
        timing=Timing(total=elapsed),
        sent=sent,
        elapsed_ms=elapsed,
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    db = History(tmp_path_factory.mktemp("compare") / "history.sqlite3", body_cap=64)
    yield db
    db.close()


def test_the_previous_response_skips_the_one_shown_and_other_requests(history):
    first = history.add(_response(b'{"n": 1}', 10.0), timestamp=1000.0)
    history.add(_response(b'{"n": 9}', 11.0, URL + "/other"), timestamp=1001.0)
    shown = _response(b'{"n": 2}', 12.0)
    second = history.add(shown, timestamp=1002.0)
    assert previous_entry(history, "GET", URL, shown) == first
    # Not stored yet (the history queue is behind): the newest is the previous one.
    assert previous_entry(history, "GET", URL, _response(b"{}", 13.0)) == second
    assert previous_of_entry(history, second) == first
    assert previous_of_entry(history, first) is None

    comparison = compare(side_from_entry(history, first), side_from_response(shown, "This"))
    assert [change.path for change in comparison.body.json.changes] == ["$.n"]
    assert comparison.header_changes == 0


def test_a_cut_body_says_so_and_a_failed_entry_is_one_line(history):
    cut = history.add(_response(b'{"long": "' + b"x" * 200 + b'"}', 5.0, URL + "/big"))
    side = side_from_entry(history, cut)
    assert len(side.body) == 64 and "kept only the first 64 B" in side.note
    assert side.size == 212
    comparison = compare(side, side_from_response(_response(b"{}", 1.0), "Now"))
    assert comparison.body.mode == "text"  # the cut JSON does not parse
    assert any("Not valid JSON" in note for note in comparison.body.notes)

    failed = history.add_failure(Request(method="GET", url=URL), "Connection refused")
    with pytest.raises(CompareError, match="got no response: Connection refused"):
        side_from_entry(history, failed)
    with pytest.raises(CompareError, match="no longer exists"):
        side_from_entry(history, 999_999)


BODIES = st.binary(max_size=120) | st.sampled_from(
    [b"", b"{}", b"[1, 2]", b'{"a": [true, null]}', b"\xff\xfe{", b"<html>", b"a\nb\r\nc"]
)
TYPES = st.sampled_from(
    ["", "application/json", "text/plain; charset=latin-1", "text/html", "image/png",
     "application/json; charset=nonsense"]
)  # fmt: skip


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(BODIES, TYPES, BODIES, TYPES)
def test_any_two_bodies_compare_without_raising(left, left_type, right, right_type):
    sides = [
        Side(name, 200, "OK", 1.0, len(body), (("Content-Type", kind),), body)
        for name, body, kind in (("L", left, left_type), ("R", right, right_type))
    ]
    comparison = compare(*sides)
    assert comparison.body.mode in {"json", "text", "binary", "empty"}
    if comparison.body.identical:
        assert comparison.body_changes == 0
    same = compare(sides[0], sides[0])
    assert same.body_changes == 0 and same.header_changes == 0


def test_a_child_process_compares_as_the_thread_does_and_a_stop_kills_it():
    left = Side("L", 200, "OK", 1.0, 0, (("Content-Type", "application/json"),),
                b'{"items": [1, 2, 3], "n": "a"}')  # fmt: skip
    right = Side("R", 201, "Created", 2.0, 0, (("Content-Type", "application/json"),),
                 b'{"items": [1, 5], "n": "a", "new": true}')  # fmt: skip
    here = compare(left, right)
    there = compare_in_child(left, right, Budget())
    assert there == here  # lines, opcodes, changes, line maps: all of it
    empty = Side("E", 204, "No Content", 1.0, 0, (), b"")
    assert compare_in_child(empty, empty, Budget()) == compare(empty, empty)

    stopped = Budget()
    stopped.stop()
    with pytest.raises(Stopped):
        compare_in_child(left, right, stopped)
