"""Server-sent events, live: the Events tab of a `text/event-stream` response.

`LiveEvents` is the stream sink of one Send (core/http/sse.EventSink): the transport
calls it on the send's worker thread; it hands the headers over as a queued signal
(`opened`) and the events to a `StreamBatcher`, which gives them to the GUI thread in
batches every 50 ms, so a thousand events a second are twenty model insertions.

`SsePanel` shows them: a line with the count, the rate and the state (live, or why the
stream ended), Stop (the request's own Stop: what arrived stays) and Reconnect (the
same request again with `Last-Event-ID: <last id>`, as a browser's EventSource does, so
a server that keeps ids resumes after the last event seen), then the table of events
(time since the request was sent, type, id, size, data; the selected one whole, pretty
when JSON).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from explorer.core.streams import StreamMessage
from explorer.qt.stream_batcher import StreamBatcher
from explorer.ui.response.streams.stream_view import DIRECTION, StreamView
from explorer.ui.widgets.elided_label import ElidedLabel

if TYPE_CHECKING:
    from explorer.core.http.exchange import Response
    from explorer.core.http.sse import StreamHead

# The rate shown is over the events of about the last RATE_WINDOW seconds.
RATE_WINDOW = 2.0


class LiveEvents(QObject):
    """The sink of one send: `opened(StreamHead)` on the GUI thread once its response
    turns out to be an event stream; its events through `batcher.arrived`."""

    opened = Signal(object)  # StreamHead

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.batcher = StreamBatcher(self)
        self._closed = False

    # -- the EventSink, called on the send's worker thread -----------------------------

    def opened_on_worker(self, head: StreamHead) -> None:
        self.opened.emit(head)  # queued: this object lives on the GUI thread

    def received(self, events: Sequence[StreamMessage]) -> None:
        if not self._closed:
            for event in events:
                self.batcher.put(event)

    # -- the GUI thread ------------------------------------------------------------------

    def close(self) -> None:
        """The send is over: hand over what is left, stop the timer, take no more."""
        self._closed = True
        self.batcher.stop()


class _Sink:
    """LiveEvents as core's EventSink (`opened` is a signal there, a method here)."""

    def __init__(self, live: LiveEvents) -> None:
        self._live = live

    def opened(self, head: StreamHead) -> None:
        self._live.opened_on_worker(head)

    def received(self, events: Sequence[StreamMessage]) -> None:
        self._live.received(events)


def sink_of(live: LiveEvents) -> _Sink:
    """What the transport is given for `live`."""
    return _Sink(live)


class SsePanel(QWidget):
    """The events of one event stream as they arrive, with Stop and Reconnect."""

    stop_requested = Signal()
    reconnect_requested = Signal(str)  # the last event id ("" when none came)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Events")
        # One line whose text changes with every batch: an elided label, which never
        # asks its layout to change (a word-wrapped one relaid the window 20 times a
        # second, stalling it for tens of ms at 1,000 events a second).
        self.state = ElidedLabel("", self)
        self.state.setAccessibleName("Event stream state")
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setAccessibleName("Stop the event stream")
        self.stop_button.setToolTip("End the stream here; the events that arrived stay (Esc)")
        self.stop_button.clicked.connect(self.stop_requested)
        self.reconnect_button = QPushButton("Reconnect", self)
        self.reconnect_button.setAccessibleName("Reconnect with Last-Event-ID")
        self.reconnect_button.clicked.connect(self._reconnect)
        # The state line says what the view's own summary would, with the rate.
        self.view = StreamView("Events", self, summary=False)
        self.view.table.setColumnHidden(DIRECTION, True)  # every event comes in

        row = QHBoxLayout()
        row.setContentsMargins(0, 4, 0, 4)
        row.addWidget(self.state, 1)
        row.addWidget(self.stop_button)
        row.addWidget(self.reconnect_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)

        self.live = False
        self.ended = ""  # why the stream ended, once it did
        self.last_event_id = ""
        self.retry_ms: int | None = None  # what the stream's `retry:` asked for
        self._live_source: LiveEvents | None = None
        self._recent: deque[tuple[float, int]] = deque()  # (perf_counter, events) per batch
        self._show_state()

    # -- a stream ----------------------------------------------------------------------

    def start(self, live: LiveEvents | None = None) -> None:
        """A new stream: empty table, live, its events coming from `live`."""
        if self._live_source is not None:
            self._live_source.batcher.arrived.disconnect(self.append)
        self._live_source = live
        if live is not None:
            live.batcher.arrived.connect(self.append)
        self.view.clear()
        self.live, self.ended, self.last_event_id = True, "", ""
        self.retry_ms = None
        self._recent.clear()
        self._show_state()

    def append(self, batch: Sequence[StreamMessage]) -> None:
        """Events that arrived (a batch from the batcher, GUI thread)."""
        if not batch:
            return
        self.view.append(batch)
        self.last_event_id = batch[-1].id
        self._recent.append((time.perf_counter(), len(batch)))
        self._show_state()

    def finish(self, response: Response) -> None:
        """The send is over: the stream's final state (and, when the table missed some
        of its events, the response's own)."""
        if self._live_source is not None:
            self._live_source.batcher.arrived.disconnect(self.append)
            self._live_source = None
        events = response.events or ()
        if self.view.model.rowCount() + self.view.model.dropped != len(events) or not self.live:
            self.view.clear()
            self.view.append(events)
        if events:
            self.last_event_id = events[-1].id
        self.live = False
        self.ended = response.stopped or "the server closed the stream"
        self.retry_ms = response.retry_ms
        self._show_state()

    def end(self, why: str) -> None:
        """The send failed or was cancelled while live."""
        if self.live:
            self.live, self.ended = False, why
            self._show_state()

    # -- what the line says --------------------------------------------------------------

    def rate(self, now: float | None = None) -> float:
        """Events a second over about the last RATE_WINDOW seconds: those of the batches
        after the oldest one kept, over the time since it came (the oldest batch's own
        events arrived before that time, so counting them would overstate the rate)."""
        now = time.perf_counter() if now is None else now
        while self._recent and now - self._recent[0][0] > RATE_WINDOW:
            self._recent.popleft()
        if len(self._recent) < 2:
            return 0.0
        since = self._recent[0][0]
        return sum(count for _at, count in list(self._recent)[1:]) / max(now - since, 1e-3)

    def _show_state(self) -> None:
        model = self.view.model
        count = model.rowCount() + model.dropped
        words = f"{count:,} event" + ("" if count == 1 else "s")
        if self.live:
            words += f" · {self.rate():,.0f}/s · live"
        elif self.ended:
            words += f" · ended: {self.ended}"
        if self.last_event_id:
            words += f" · last id {self.last_event_id}"
        if model.dropped:
            words += f" · the oldest {model.dropped:,} let go to bound memory"
        self.state.setText(words)
        if self.stop_button.isEnabled() != self.live:
            self.stop_button.setEnabled(self.live)
            self.reconnect_button.setEnabled(not self.live)
        if not self.live:
            tip = "Send the request again"
            if self.last_event_id:
                tip += f" with Last-Event-ID: {self.last_event_id}, to resume after it"
            if self.retry_ms is not None:
                tip += f". The server asked to wait {self.retry_ms:,} ms before reconnecting"
            self.reconnect_button.setToolTip(tip)

    def _reconnect(self) -> None:
        self.reconnect_requested.emit(self.last_event_id)
