"""Messages of a stream, handed from the thread that reads them to the GUI thread in
batches (docs/ARCHITECTURE.md: Streams).

A server may send thousands of events or frames a second. One queued signal per message
would flood the GUI thread's event queue and stall the window; instead the reading thread
appends to a plain deque (thread-safe for append and popleft) and a timer on the GUI
thread takes everything that arrived, at most every BATCH_INTERVAL_MS, as one list.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.core.streams import MAX_KEPT_MESSAGES, StreamMessage

# Twenty batches a second: live to the eye, and few enough that a batch of thousands of
# rows costs one model insertion rather than thousands.
BATCH_INTERVAL_MS = 50
# At most this many messages per batch, so one batch never holds the GUI thread long;
# the rest wait for the next tick.
MAX_BATCH = 5_000


class StreamBatcher(QObject):
    """Collects messages from any thread; `arrived` gives them to the GUI thread."""

    arrived = Signal(list)  # list[StreamMessage], in arrival order

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Bounded: a GUI thread that cannot keep up drops the oldest, never the process.
        self._pending: deque[StreamMessage] = deque(maxlen=MAX_KEPT_MESSAGES)
        self._timer = QTimer(self)
        self._timer.setInterval(BATCH_INTERVAL_MS)
        self._timer.timeout.connect(self.flush)
        self._timer.start()

    def put(self, message: StreamMessage) -> None:
        """Queue one message; safe from any thread."""
        self._pending.append(message)

    def flush(self) -> None:
        """Emit what has arrived (GUI thread); nothing when nothing did."""
        batch: list[StreamMessage] = []
        pending = self._pending
        while pending and len(batch) < MAX_BATCH:
            batch.append(pending.popleft())
        if batch:
            self.arrived.emit(batch)

    def stop(self) -> None:
        """Hand over what is left and stop the timer."""
        self._timer.stop()
        while self._pending:
            self.flush()
