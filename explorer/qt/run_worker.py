"""Run a collection off the GUI thread and hand its results to the GUI thread in batches.

The run engine (`explorer.application.running`) calls back once per request, from a
worker thread. A signal per result would post 10,000 events to the GUI thread, each
waking the model and the view: instead the worker turns each result into a small
`RunRow` (no body), appends it to a list under a lock, and a timer on the GUI thread
takes the whole list every `FLUSH_MS` and emits it as one `batch`. The window then
inserts a batch of rows at once, so however fast the run goes the GUI thread does one
bounded piece of work per tick (docs/ARCHITECTURE.md, invariant 2).

Memory stays bounded whatever the length of the run: rows hold no body, and whole
responses are kept (by `ResponseStore`) only for the first `KEEP_FAILED` failures and
the latest result, each without a body larger than `KEEP_BODY_BYTES`; every other
response is dropped on the worker thread (its spooled body file removed).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

if TYPE_CHECKING:
    from explorer.application.running import RunPlan, RunResult
    from explorer.core.checks.results import AssertionResult, CapturedValue
    from explorer.core.http.exchange import Response

FLUSH_MS = 60  # how often results reach the GUI thread during a run
KEEP_FAILED = 25  # whole responses kept for the first failures (to open as a response)
KEEP_BODY_BYTES = 1024 * 1024  # a kept response's body larger than this is dropped

Emit = Callable[[object], None]
# What the worker runs: the engine's run, given where each event goes; it returns the
# run's summary (handed to `finished`).
RunJob = Callable[[Emit], object]


@dataclass(frozen=True)
class RunRow:
    """One request's result as the window keeps it: the engine's `RunResult` (no body,
    no secret) and `serial`, the order it arrived in (from 0)."""

    serial: int
    result: RunResult

    @property
    def iteration(self) -> int:
        """The iteration, from 1."""
        return self.result.iteration

    @property
    def position(self) -> int:
        """Which request of the run's selection it was (from 0)."""
        return self.result.index

    @property
    def name(self) -> str:
        return self.result.name

    @property
    def folder(self) -> str:
        return " / ".join(self.result.folder)

    @property
    def method(self) -> str:
        return self.result.method

    @property
    def url(self) -> str:
        return self.result.url

    @property
    def status(self) -> int:
        return self.result.status or 0

    @property
    def answered(self) -> bool:
        """A response came (even if a script then failed)."""
        return self.result.status is not None

    @property
    def error(self) -> str:
        return self.result.error

    @property
    def assertions(self) -> tuple[AssertionResult, ...]:
        return self.result.results

    @property
    def captured(self) -> tuple[CapturedValue, ...]:
        return self.result.captured

    @property
    def checks_failed(self) -> int:
        return sum(not a.passed for a in self.result.results)

    @property
    def checks_passed(self) -> int:
        return sum(a.passed for a in self.result.results)

    @property
    def passed(self) -> bool:
        """Got a response, no script failed and every assertion passed."""
        return self.result.passed


class ResponseStore:
    """The few whole responses a run keeps, for "Open as response"; thread-safe.

    Kept: the responses of the first `keep_failed` failed results, and the latest
    result's. A body over `body_limit` bytes is dropped from a kept response (its
    headers, status and timing stay) and `note` says so. The engine hands each response
    over before it tells the result (`take`), the result then says whether it failed
    (`settle`)."""

    def __init__(self, keep_failed: int = KEEP_FAILED, body_limit: int = KEEP_BODY_BYTES) -> None:
        self.keep_failed = keep_failed
        self.body_limit = body_limit
        self._lock = threading.Lock()
        self._pending: dict[tuple[int, int], Response] = {}  # (iteration, index)
        self._failed: dict[int, Response] = {}
        self._latest: tuple[int, Response] | None = None
        self._notes: dict[int, str] = {}
        self._trimmed: dict[tuple[int, int], str] = {}

    def take(self, result: RunResult, response: Response) -> bool:
        """The engine's `keep_response`: hold `response` until its result is told. True:
        the store owns it now (a spooled body file is deleted here)."""
        key = (result.iteration, result.index)
        if response.body_path is not None or len(response.body) > self.body_limit:
            _discard(response)
            note = (
                f"The body ({response.body_size:,} bytes) was not kept: a run keeps "
                f"bodies up to {self.body_limit // 1024:,} KiB."
            )
            response = replace(response, body=b"", body_path=None)
            with self._lock:
                self._trimmed[key] = note
        with self._lock:
            self._pending[key] = response
        return True

    def settle(self, serial: int, result: RunResult) -> None:
        """`result` (numbered `serial`) is told: keep its response if it failed and
        there is room, and as the latest; the previous latest goes unless kept."""
        key = (result.iteration, result.index)
        with self._lock:
            response = self._pending.pop(key, None)
            note = self._trimmed.pop(key, "")
            if response is None:
                return
            if note:
                self._notes[serial] = note
            if not result.passed and len(self._failed) < self.keep_failed:
                self._failed[serial] = response
            previous, self._latest = self._latest, (serial, response)
            if previous is not None and previous[0] not in self._failed:
                self._notes.pop(previous[0], None)

    def get(self, serial: int) -> Response | None:
        with self._lock:
            return self._get(serial)

    def _get(self, serial: int) -> Response | None:
        if self._latest is not None and self._latest[0] == serial:
            return self._latest[1]
        return self._failed.get(serial)

    def note(self, serial: int) -> str:
        """Why the response of `serial` is missing or incomplete ("" when whole)."""
        with self._lock:
            if self._get(serial) is None:
                return (
                    f"Its response was not kept: a run keeps whole responses only for its "
                    f"first {self.keep_failed} failures and its latest result."
                )
            return self._notes.get(serial, "")

    def kept(self) -> int:
        """How many responses are held now."""
        with self._lock:
            latest = 1 if self._latest and self._latest[0] not in self._failed else 0
            return len(self._failed) + latest + len(self._pending)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
            self._failed.clear()
            self._latest = None
            self._notes.clear()
            self._trimmed.clear()


def _discard(response: Response) -> None:
    """A response the run does not keep whole: its spooled body file goes now."""
    if response.body_path is not None:
        response.body_path.unlink(missing_ok=True)


class _Carrier(QObject):
    """Created on the GUI thread; the worker's signals are queued to it."""

    done = Signal(object, object)  # summary, exception or None
    collect = Signal()  # the run asks for a garbage collection (made on the GUI thread)


class _RunTask(QRunnable):
    def __init__(self, job: RunJob, emit: Emit, carrier: _Carrier) -> None:
        super().__init__()
        self._job, self._emit, self._carrier = job, emit, carrier

    def run(self) -> None:
        try:
            summary = self._job(self._emit)
        except Exception as error:  # noqa: BLE001 - handed to the GUI thread, never lost
            self._carrier.done.emit(None, error)
        else:
            self._carrier.done.emit(summary, None)


class RunWorker(QObject):
    """Runs one job at a time on a thread of its own; what it emits arrives in batches.

    `batch(list)`: the events emitted since the last tick, in order. `finished(summary)`
    follows the last batch of a run (cancelled or not); `failed(message)` when the job
    raised."""

    started = Signal()
    batch = Signal(list)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, flush_ms: int = FLUSH_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._pending: list[object] = []
        self._stop: Callable[[], None] | None = None
        self._carrier = _Carrier(self)
        self._carrier.done.connect(self._on_done)
        self._carrier.collect.connect(_collect_young)
        self._timer = QTimer(self)
        self._timer.setInterval(flush_ms)
        self._timer.timeout.connect(self.flush)

    @property
    def running(self) -> bool:
        return self._stop is not None

    def start(self, job: RunJob, stop: Callable[[], None]) -> None:
        """Run `job` on the worker thread; `stop` (callable from any thread) makes it
        return soon. A run still going is stopped first."""
        self.cancel()
        self._pool.waitForDone()  # the stopped run has returned (it stops at once)
        with self._lock:
            self._pending = []
        self._stop = stop
        self._timer.start()
        self.started.emit()
        self._pool.start(_RunTask(job, self._append, self._carrier))

    def cancel(self) -> None:
        """Ask the run to stop; the request in flight is cut off. `finished` follows."""
        if self._stop is not None:
            self._stop()

    def collect_later(self) -> None:
        """From the run's thread: have the GUI thread collect garbage (a collection on
        another thread could free a Qt object there; explorer.qt.gc_guard)."""
        self._carrier.collect.emit()

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until the job has returned (at close). False if time ran out."""
        return self._pool.waitForDone(msecs)

    def _append(self, event: object) -> None:
        """Called on the worker thread: queue `event` for the next tick."""
        with self._lock:
            self._pending.append(event)

    def flush(self) -> None:
        """Hand what arrived since the last tick to the GUI thread, as one batch."""
        with self._lock:
            events, self._pending = self._pending, []
        if events:
            self.batch.emit(events)

    def _on_done(self, summary: object, error: Exception | None) -> None:
        self._timer.stop()
        self.flush()
        self._stop = None
        if error is not None:
            self.failed.emit(f"The run stopped: {error}")
        else:
            self.finished.emit(summary)


# ---- the engine's events as rows -----------------------------------------------------


def _collect_young() -> None:
    """The engine's periodic collection, on the GUI thread: the young generations, where
    the cycles a check leaves (python-jsonpath's matches) are; older ones are left to
    explorer.qt.gc_guard's own schedule, which a full pass of the whole window's
    objects here would only duplicate at the cost of a stall."""
    import gc

    gc.collect(1)


def engine_job(
    plan: RunPlan, store: ResponseStore, collect: Callable[[], None] | None = None
) -> tuple[RunJob, Callable[[], None]]:
    """A job for `RunWorker.start` that runs `plan` through the one engine
    (`explorer.application.running.Run`), and the function that stops it. On the worker
    thread each finished request becomes a `RunRow` (its response offered to `store`);
    the other events are not passed on: the window shows results, and the summary
    comes back as the job's value. `collect` is called where the engine would collect
    garbage (see `RunWorker.collect_later`)."""
    from explorer.application.running import RequestFinished, Run

    serials = itertools.count()
    sink: list[Emit] = []  # where rows go: the worker's, once the job starts

    def on_event(event: object) -> None:
        if isinstance(event, RequestFinished):
            row = RunRow(next(serials), event.result)
            store.settle(row.serial, row.result)
            sink[0](row)

    def job(emit: Emit) -> object:
        sink.append(emit)
        return run.run()

    run = Run(plan, on_event, keep_response=store.take, collect=collect)
    return job, run.cancel
