"""Server-sent events in a run (and in `run`): collect, then check what was collected.

A request's response is an event stream only once its headers say so, so every send of
a run carries an `SseCollector` as its stream sink; the transport tells it of an event
stream alone. From the headers on, it ends the stream (through the send's cancel token,
`finish`: the Response of what arrived is delivered, not an error) when
`Stream.collect_messages` events arrived or `Stream.collect_seconds` passed since the
send started, whichever comes first. A stream the server ends sooner simply ends.

The checks of an event-stream response then read the events, not the raw text: its
facts' body is `core/streams.messages_json` of them (`$[0].json.n`, `$` with `count`),
in the window's Tests tab as in a run. The raw text stays the response's body (the
Body tab, the history).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from explorer.core.model import Stream
from explorer.core.streams import StreamMessage, messages_json

if TYPE_CHECKING:
    from explorer.core.checks.results import ResponseFacts
    from explorer.core.http.cancel import CancelToken
    from explorer.core.http.exchange import Response
    from explorer.core.http.sse import StreamHead

# The media type the checks of an event stream see: still the stream's (an `openapi`
# check matches the documented `text/event-stream` and judges the status and type, as
# the JSON schema of a stream is not the array's), read as UTF-8 (the array's encoding).
EVENTS_CONTENT_TYPE = "text/event-stream; charset=utf-8"
# The longest a run waits on one stream whatever collect_seconds says (0 = until the
# server ends it): a stream that never ends must not hold a CI job for ever.
MAX_COLLECT_SECONDS = 3600.0


# One lock for every collector (a few assignments under it): a collector is made per
# send of a run, which a load test's users make thousands of a second.
_LOCK = threading.Lock()


class SseCollector:
    """The stream sink of one send in a run: ends an event stream once enough came."""

    def __init__(self, stream: Stream, cancel: CancelToken) -> None:
        self.stream = stream
        self.cancel = cancel
        self.started = time.perf_counter()
        self.count = 0
        self._timer: threading.Timer | None = None
        self._lock = _LOCK
        self._closed = False

    def opened(self, head: StreamHead) -> None:
        """An event stream: from now on, its time is counted."""
        seconds = self.stream.collect_seconds
        if seconds <= 0:
            seconds = MAX_COLLECT_SECONDS
        left = max(seconds - (time.perf_counter() - self.started), 0.0)
        timer = threading.Timer(left, self._time_up, args=(seconds,))
        timer.daemon = True
        with self._lock:
            if self._closed:
                return
            self._timer = timer
        timer.start()

    def received(self, events: Sequence[StreamMessage]) -> None:
        self.count += len(events)
        wanted = self.stream.collect_messages
        if wanted and self.count >= wanted:
            self.cancel.finish(f"collected {wanted} event" + ("" if wanted == 1 else "s"))

    def _time_up(self, seconds: float) -> None:
        self.cancel.finish(f"collected for {seconds:g} s")

    def close(self) -> None:
        """The send is over: no timer outlives it."""
        with self._lock:
            self._closed = True
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()


def collected(response: Response, stream: Stream | None = None) -> tuple[StreamMessage, ...]:
    """The events of an event-stream response that its checks read: the first
    `collect_messages` of them when the request sets a count (one read may bring more)."""
    events = response.events or ()
    if stream is not None and stream.collect_messages:
        events = events[: stream.collect_messages]
    return events


def event_facts(
    facts: ResponseFacts, response: Response, stream: Stream | None = None
) -> ResponseFacts:
    """`facts` with the collected events as the body its checks read, for an event
    stream; unchanged for any other response."""
    if response.events is None:
        return facts
    from explorer.core.checks.facts import CHECK_BODY_LIMIT

    body = messages_json(collected(response, stream))
    complete = len(body) <= CHECK_BODY_LIMIT  # as a raw body past it: checks say so
    return replace(
        facts,
        body=body[:CHECK_BODY_LIMIT],
        body_complete=complete,
        content_type=EVENTS_CONTENT_TYPE,
    )
