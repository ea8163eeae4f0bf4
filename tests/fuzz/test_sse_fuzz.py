"""Property-based fuzzing of the event-stream parser (core/http/sse).

The properties: any bytes, cut into chunks anywhere, give the same events, last event id
and reconnection time as the whole body read at once (a CRLF or a UTF-8 sequence split
between two reads included); the parser never raises; no event's data passes its bound
by more than the cut mark. `make fuzz` sets FUZZ_EXAMPLES to run many more.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.http.sse import CUT_MARK, EventStreamParser
from tests.support.time_limit import time_bound

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
MAX_CHARS = 40  # small, so that cutting is exercised often
PIECES = st.sampled_from(
    [b"data:", b"data: ", b"event: ", b"id: ", b"id", b"retry: ", b"retry: 12", b":",
     b"\r", b"\n", b"\r\n", b"\n\n", b"\x00", b"\xef\xbb\xbf", b"\xc3", b"\xa9", b"\xff",
     b"x" * 50, b"{\"a\": 1}", b"\xe4\xb8\xad", b" ", b"message"]
) | st.binary(max_size=6)  # fmt: skip
BODIES = st.lists(PIECES, max_size=30).map(b"".join)


def read(body: bytes, cuts: list[int]) -> tuple[list[tuple[str, str, str, int]], str, object]:
    parser = EventStreamParser(max_chars=MAX_CHARS)
    events = []
    start = 0
    for cut in [*sorted(set(cuts)), len(body)]:
        events += parser.feed(body[start:cut])
        start = cut
    parser.close()
    found = [(e.type, e.data, e.id, e.size) for e in events]
    return found, parser.last_event_id, parser.retry_ms


@settings(
    max_examples=EXAMPLES or 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(body=BODIES, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=8))
def test_any_chunking_gives_the_same_events(body: bytes, cuts: list[int]) -> None:
    cuts = [cut % (len(body) + 1) for cut in cuts]
    with time_bound(10, "parsing an event stream"):
        whole = read(body, [])
        chunked = read(body, cuts)
        bytewise = read(body, list(range(len(body))))
    assert chunked == whole
    assert bytewise == whole
    for _type, data, _id, _size in whole[0]:
        assert len(data.removesuffix(CUT_MARK)) <= MAX_CHARS
