"""Event streams through the transport: events as they arrive, at the server's rate,
and a stream that ends early (stop, collected enough, size limit) as the Response of
what arrived, against a paced raw-socket server written outside the project."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from pathlib import Path

import pytest

from explorer.core.http.cancel import CancelToken
from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.sse import StreamHead
from explorer.core.http.transport import Transport
from explorer.core.model import Options, Request
from explorer.core.streams import StreamMessage
from tests.support.canned_server import canned, raw_server
from tests.support.sse_server import PacedEventServer


@pytest.fixture(scope="module")
def transport(tmp_path_factory: pytest.TempPathFactory):
    transport = Transport(spool_dir=tmp_path_factory.mktemp("spool"))
    yield transport
    transport.close()


class Sink:
    """Records what the transport tells it; may stop the send after `stop_after` events."""

    def __init__(self, cancel: CancelToken | None = None, stop_after: int = 0) -> None:
        self.heads: list[StreamHead] = []
        self.events: list[StreamMessage] = []
        self.calls: list[str] = []
        self.cancel = cancel
        self.stop_after = stop_after

    def opened(self, head: StreamHead) -> None:
        self.heads.append(head)
        self.calls.append("opened")

    def received(self, events: Sequence[StreamMessage]) -> None:
        self.events += events
        self.calls.append("received")
        if self.cancel is not None and len(self.events) >= self.stop_after:
            self.cancel.finish(f"collected {len(self.events)} events")


def test_events_arrive_at_the_servers_rate(transport: Transport) -> None:
    interval = 0.01
    with PacedEventServer(count=25, interval=interval) as server:
        sink = Sink()
        response = transport.send(Request(url=server.url), stream_sink=sink)
        sent_at = list(server.sent_at)
    assert response.stopped == ""  # the server closed it
    assert response.events is not None and len(response.events) == 25
    assert [e.data for e in response.events[:2]] == ['{"n": 0}', '{"n": 1}']
    assert (response.events[3].type, response.events[3].id) == ("tick", "3")
    assert sink.calls[0] == "opened" and sink.heads[0].status == 200
    assert [e.id for e in sink.events] == [e.id for e in response.events]
    # The gaps between events are the server's, within a few ms (medians: one late
    # wake-up of either thread on a busy machine must not decide it).
    gaps = [b.at_ms - a.at_ms for a, b in itertools.pairwise(response.events)]
    assert abs(statistics.median(gaps) - interval * 1000) < 3
    server_gaps = [(b - a) * 1000 for a, b in itertools.pairwise(sent_at)]
    assert statistics.median(abs(g - s) for g, s in zip(gaps, server_gaps, strict=True)) < 3
    timing = response.timing
    assert timing.first_event is not None
    assert timing.wait <= timing.first_event <= timing.total
    assert response.body.count(b"event: tick") == 25


def test_finishing_ends_the_stream_with_what_arrived(transport: Transport) -> None:
    with PacedEventServer(count=0, interval=0.005) as server:
        cancel = CancelToken()
        sink = Sink(cancel, stop_after=3)
        response = transport.send(Request(url=server.url), cancel, stream_sink=sink)
    assert response.status == 200
    assert response.stopped.startswith("collected")
    assert response.events is not None and len(response.events) >= 3
    assert response.body.startswith(b"id: 0\nevent: tick\n")
    assert not cancel.cancelled and cancel.finished


def test_a_stream_past_the_body_limit_ends_with_the_body_so_far(transport: Transport) -> None:
    with PacedEventServer(count=0, interval=0.001) as server:
        options = Options(max_body_size=2000)
        response = transport.send(Request(url=server.url, options=options), stream_sink=Sink())
    assert response.stopped.startswith("body size limit")
    assert 0 < response.body_size <= 2000
    assert response.events


def test_a_cancel_before_the_headers_is_still_an_error(transport: Transport) -> None:
    cancel = CancelToken()
    cancel.finish("stopped by you")
    with PacedEventServer(count=1, interval=0.001) as server, pytest.raises(SendError) as caught:
        transport.send(Request(url=server.url), cancel, stream_sink=Sink())
    assert caught.value.kind == ErrorKind.CANCELLED


def test_only_the_final_response_is_a_stream(transport: Transport) -> None:
    stream = canned(200, "OK", [("Content-Type", "text/event-stream")], b"data: x\n\n")
    moved = canned(302, "Found", [("Location", "/s"), ("Content-Type", "text/event-stream")])
    plain = canned(200, "OK", [("Content-Type", "text/plain")], b"data: x\n\n")
    with raw_server({"/r": moved, "/s": stream, "/p": plain}) as server:
        sink = Sink()
        response = transport.send(Request(url=server.url + "/r"), stream_sink=sink)
        other = transport.send(Request(url=server.url + "/p"), stream_sink=sink)
    assert len(sink.heads) == 1 and sink.heads[0].url.endswith("/s")
    assert response.events is not None and [e.data for e in response.events] == ["x"]
    assert other.events is None and other.timing.first_event is None


def test_the_spool_keeps_a_long_stream_bounded(tmp_path: Path) -> None:
    transport = Transport(spool_dir=tmp_path, spool_threshold=500)
    try:
        with PacedEventServer(count=60, interval=0.0) as server:
            response = transport.send(Request(url=server.url), stream_sink=Sink())
    finally:
        transport.close()
    assert response.body_path is not None and response.body == b""
    assert response.events is not None and len(response.events) == 60


def test_the_servers_retry_reaches_the_response(transport: Transport) -> None:
    with PacedEventServer(count=1, interval=0.0, retry_ms=2500) as server:
        response = transport.send(Request(url=server.url), stream_sink=Sink())
    assert response.retry_ms == 2500
