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

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

if TYPE_CHECKING:
    from explorer.core.checks.results import AssertionResult, CapturedValue
    from explorer.core.http.cancel import CancelToken
    from explorer.core.http.exchange import Response

FLUSH_MS = 60  # how often results reach the GUI thread during a run
KEEP_FAILED = 25  # whole responses kept for the first failures (to open as a response)
KEEP_BODY_BYTES = 1024 * 1024  # a kept response's body larger than this is dropped

Emit = Callable[[object], None]
# What the worker runs: the engine's call, given a cancel token and where each event
# goes; it returns the run's summary (anything; handed to `finished`).
RunJob = Callable[["CancelToken", Emit], object]


@dataclass(frozen=True)
class RunRow:
    """One request's result as the window keeps it: what the results list shows, no
    body. `serial` numbers results in the order they arrived (from 0); `position` is
    the request's place in the run's list of requests (which request it was)."""

    serial: int
    iteration: int
    position: int
    name: str
    folder: str
    method: str
    url: str
    status: int = 0
    reason: str = ""
    elapsed_ms: float = 0.0
    size: int = 0
    error: str = ""
    assertions: tuple[AssertionResult, ...] = ()
    captured: tuple[CapturedValue, ...] = ()
    source: object = None  # the engine's result without its response (for reports)

    @property
    def checks_failed(self) -> int:
        return sum(not a.passed for a in self.assertions)

    @property
    def checks_passed(self) -> int:
        return sum(a.passed for a in self.assertions)

    @property
    def passed(self) -> bool:
        """Got a response and every assertion passed."""
        return not self.error and not self.checks_failed


class ResponseStore:
    """The few whole responses a run keeps, for "Open as response"; thread-safe.

    Kept: the responses of the first `keep_failed` failed results, and the latest
    result's. A body over `body_limit` bytes is dropped from a kept response (its
    headers, status and timing stay) and `note` says so."""

    def __init__(self, keep_failed: int = KEEP_FAILED, body_limit: int = KEEP_BODY_BYTES) -> None:
        self.keep_failed = keep_failed
        self.body_limit = body_limit
        self._lock = threading.Lock()
        self._failed: dict[int, Response] = {}
        self._latest: tuple[int, Response] | None = None
        self._notes: dict[int, str] = {}

    def offer(self, serial: int, response: Response | None, failed: bool) -> None:
        """Keep `response` of result `serial` if the policy says so; drop the rest."""
        if response is None:
            return
        trimmed = self._trim(serial, response)
        with self._lock:
            dropped = self._latest
            self._latest = (serial, trimmed)
            if failed and len(self._failed) < self.keep_failed:
                self._failed[serial] = trimmed
        if dropped is not None and dropped[0] not in self._failed:
            _discard(dropped[1])

    def get(self, serial: int) -> Response | None:
        with self._lock:
            if self._latest is not None and self._latest[0] == serial:
                return self._latest[1]
            return self._failed.get(serial)

    def note(self, serial: int) -> str:
        """Why the response of `serial` is missing or incomplete ("" when whole)."""
        with self._lock:
            if self.get_unlocked(serial) is None:
                return (
                    f"Not kept: a run keeps whole responses only for its first "
                    f"{self.keep_failed} failures and its latest result."
                )
            return self._notes.get(serial, "")

    def get_unlocked(self, serial: int) -> Response | None:
        if self._latest is not None and self._latest[0] == serial:
            return self._latest[1]
        return self._failed.get(serial)

    def kept(self) -> int:
        with self._lock:
            latest = 1 if self._latest and self._latest[0] not in self._failed else 0
            return len(self._failed) + latest

    def clear(self) -> None:
        with self._lock:
            kept = list(self._failed.values())
            if self._latest is not None:
                kept.append(self._latest[1])
            self._failed.clear()
            self._latest = None
            self._notes.clear()
        for response in kept:
            _discard(response)

    def _trim(self, serial: int, response: Response) -> Response:
        if response.body_path is None and len(response.body) <= self.body_limit:
            return response
        _discard(response)
        with self._lock:
            self._notes[serial] = (
                f"The body ({response.body_size:,} bytes) was not kept: a run keeps "
                f"bodies up to {self.body_limit // 1024:,} KiB."
            )
        return replace(response, body=b"", body_path=None)


def _discard(response: Response) -> None:
    """A response the run does not keep: its spooled body file goes now."""
    if response.body_path is not None:
        response.body_path.unlink(missing_ok=True)


class _Carrier(QObject):
    """Created on the GUI thread; the worker's signals are queued to it."""

    done = Signal(object, object)  # summary, exception or None


class _RunTask(QRunnable):
    def __init__(self, job: RunJob, cancel: CancelToken, emit: Emit, carrier: _Carrier) -> None:
        super().__init__()
        self._job, self._cancel, self._emit, self._carrier = job, cancel, emit, carrier

    def run(self) -> None:
        try:
            summary = self._job(self._cancel, self._emit)
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
        self._cancel: CancelToken | None = None
        self._carrier = _Carrier(self)
        self._carrier.done.connect(self._on_done)
        self._timer = QTimer(self)
        self._timer.setInterval(flush_ms)
        self._timer.timeout.connect(self.flush)
        self.started_at = 0.0

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def start(self, job: RunJob) -> None:
        """Run `job` on the worker thread (a run still going is cancelled first)."""
        from explorer.core.http.cancel import CancelToken

        self.cancel()
        self._pool.waitForDone()  # the cancelled run has returned (it stops at once)
        with self._lock:
            self._pending = []
        self._cancel = CancelToken()
        self.started_at = time.perf_counter()
        self._timer.start()
        self.started.emit()
        self._pool.start(_RunTask(job, self._cancel, self._append, self._carrier))

    def cancel(self) -> None:
        """Ask the run to stop; the request in flight is cut off. `finished` follows."""
        if self._cancel is not None:
            self._cancel.cancel()

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
        self._cancel = None
        if error is not None:
            self.failed.emit(f"The run stopped: {error}")
        else:
            self.finished.emit(summary)


# ---- the engine's results as rows ------------------------------------------------------


class RowMaker:
    """On the worker thread: turns the engine's result of one request into a `RunRow`
    (secret captures masked), offers its response to the `ResponseStore` and keeps
    nothing else of it."""

    def __init__(self, store: ResponseStore) -> None:
        self.store = store
        self._serial = 0
        self._secret_values: set[str] = set()

    def __call__(self, result: object) -> RunRow:
        from explorer.application.run_standin import RequestResult
        from explorer.core.resolve.secret_forms import MASK, SecretMask

        assert isinstance(result, RequestResult)
        serial, self._serial = self._serial, self._serial + 1
        captured = []
        for value in result.captured:
            if value.secret and value.value is not None:
                self._secret_values.add(value.value)
                value = replace(value, value=MASK)
            captured.append(value)
        assertions = result.assertions
        if self._secret_values:
            mask = SecretMask(self._secret_values)
            assertions = tuple(
                replace(a, actual=mask(a.actual), expected=mask(a.expected)) for a in assertions
            )
        row = RunRow(
            serial=serial,
            iteration=result.iteration,
            position=result.position,
            name=result.name,
            folder=" / ".join(result.folder),
            method=result.method,
            url=result.url,
            status=result.status,
            reason=result.reason,
            elapsed_ms=result.elapsed_ms,
            size=result.body_size,
            error=result.error,
            assertions=assertions,
            captured=tuple(captured),
            source=replace(result, response=None, assertions=assertions, captured=tuple(captured)),
        )
        self.store.offer(serial, result.response, failed=not row.passed)
        return row


def engine_job(run: Callable[[CancelToken, Emit], object], store: ResponseStore) -> RunJob:
    """A job for `RunWorker.start`: `run(cancel, on_event)` calls the engine; each
    request's result becomes a `RunRow` on the worker thread, other events pass as
    they are."""
    from explorer.application.run_standin import RequestResult

    make_row = RowMaker(store)

    def job(cancel: CancelToken, emit: Emit) -> object:
        def on_event(event: object) -> None:
            emit(make_row(event) if isinstance(event, RequestResult) else event)

        return run(cancel, on_event)

    return job
