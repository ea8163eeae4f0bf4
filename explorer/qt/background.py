"""Run work off the GUI thread, one job after another, and hear back on the GUI thread.

The one way the window runs short jobs off the GUI thread (sends have `runner`, large
bodies the formatter process): file and database work that can take longer than a frame,
such as storing a response in the history, writing an imported or generated collection,
an export or saved code, or waiting for an import's converter process. The window keeps
painting and answering while it runs (docs/ARCHITECTURE.md, invariant 2). Jobs run in the
order they were queued, on one thread of their own. The job's result, or the exception
it raised, is handed to a callback on the GUI thread.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, QThreadPool, Signal

OnDone = Callable[[Any], None]
OnError = Callable[[Exception], None]


class _Carrier(QObject):
    """Lives on the GUI thread: its signal, emitted by a worker, is queued to it."""

    arrived = Signal(int, object, object)  # job number, result, exception (or None)


class _Job(QRunnable):
    def __init__(self, number: int, work: Callable[[], object], carrier: _Carrier) -> None:
        super().__init__()
        self._number = number
        self._work = work
        self._carrier = carrier

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # noqa: BLE001 - handed to the GUI thread, never lost
            self._carrier.arrived.emit(self._number, None, error)
        else:
            self._carrier.arrived.emit(self._number, result, None)


class BackgroundQueue(QObject):
    """Jobs run one at a time, in order, on a thread of its own."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._carrier = _Carrier(self)
        self._carrier.arrived.connect(self._deliver)
        self._numbers = itertools.count()
        self._waiting: dict[int, tuple[OnDone | None, OnError | None]] = {}

    def run(
        self,
        work: Callable[[], object],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
    ) -> None:
        """Queue `work`; `on_done(result)` or `on_error(exception)` follows on the GUI
        thread. `work` must only touch data that is safe to share (docs/ARCHITECTURE.md, inv. 3)."""
        number = next(self._numbers)
        self._waiting[number] = (on_done, on_error)
        self._pool.start(_Job(number, work, self._carrier))

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until every queued job has run (at quit). False if time ran out."""
        return self._pool.waitForDone(msecs)

    def finish(self, msecs: int = 10_000) -> bool:
        """Block until every queued job has run, then hand out their results at once
        instead of on a later turn of the event loop (at close: the callbacks run while
        their window still exists). False if time ran out."""
        done = self._pool.waitForDone(msecs)
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)  # _deliver is ours
        return done

    def _deliver(self, number: int, result: object, error: Exception | None) -> None:
        on_done, on_error = self._waiting.pop(number)
        if error is not None:
            if on_error is None:
                raise error
            on_error(error)
        elif on_done is not None:
            on_done(result)
