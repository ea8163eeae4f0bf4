"""Formats response bodies off the GUI process and hands the text over as it arrives.

`Formatter` runs `python -m explorer.core.text.format_worker` in a QProcess and turns its
progress lines into a growing `TextBuffer` backed by the child's output file. Small bodies
(well under a frame of work) are formatted in-process instead, which saves the child's
start-up time; the signals are the same either way and always arrive from the event loop.

Ownership: the TextBuffer handed out by `first_screen_ready` (and again in `finished`)
belongs to the receiver, who calls `close()` on it when it is no longer shown; the
Formatter deletes its temporary directory at `shutdown()`.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from explorer.core.http import spool
from explorer.core.text.content import ContentKind, FilterError
from explorer.core.text.format_worker import FormatJob, format_in_memory
from explorer.core.text.mapped_arrays import MappedArrays
from explorer.core.text.text_buffer import TextBuffer

# Bodies up to these sizes are formatted in-process, well inside one frame: 256 KB of JSON
# takes ≈10 ms with its folding ranges (at 1 MB that was a measured 55 ms stall), and the
# pure-Python markup printers manage roughly 2-5 MB/s.
IN_PROCESS_LIMITS = {
    ContentKind.JSON: 256 << 10,
    ContentKind.TEXT: 256 << 10,
    ContentKind.XML: 48 << 10,
    ContentKind.HTML: 48 << 10,
}
_WRITE_SLICE = 1 << 20
_WRITE_BUDGET_S = 0.008
_SERIAL = "format_serial"  # QProcess property: the job a child process works for


@dataclass
class FoldRanges:
    """Folding ranges (object/array first and last lines), sorted by first line.

    From the child process they are `memoryview`s over the folds file, mapped rather
    than read (`pages`): ~78 MB for a 1 GiB body, which read on the GUI thread stalled
    it 50-140 ms and stayed in the heap. Either kind is a sequence of ints."""

    starts: Sequence[int] = field(default_factory=lambda: array("I"))
    ends: Sequence[int] = field(default_factory=lambda: array("I"))
    pages: MappedArrays | None = None

    def __len__(self) -> int:
        return len(self.starts)


@dataclass
class FormatResult:
    """A finished format: the text, an optional notice, folds, and when things happened."""

    job: FormatJob
    buffer: TextBuffer
    notice: str = ""
    folds: FoldRanges | None = None
    started: float = 0.0  # time.perf_counter() values
    first_screen: float = 0.0
    text_done: float = 0.0
    done: float = 0.0
    in_process: bool = False


def _project_root() -> str:
    return str(Path(__file__).resolve().parents[2])


class Formatter(QObject):
    """Formats one body at a time; starting another drops the previous one's results.

    Signals (all on the GUI thread):
    - first_screen_ready(TextBuffer): the first slice of text is readable.
    - progress(int, int): text bytes ready so far, and the total once known (else 0).
    - finished(FormatResult): all text (and folds) are in.
    - failed(str): nothing to show, with the reason (bad filter, crashed worker).
    """

    first_screen_ready = Signal(object)
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tmpdir: Path | None = None
        self._serial = 0
        self._proc: QProcess | None = None
        self._dying: list[QProcess] = []
        self._result: FormatResult | None = None
        self._paths: dict[str, Path] = {}
        self._pending_write: tuple[bytes, int, object] | None = None
        self._stdout_tail = b""

    # -- public API ----------------------------------------------------------------

    def start(self, job: FormatJob, data: bytes | None = None, path: Path | None = None) -> None:
        """Format a body given in memory (`data`) or in a file (`path`)."""
        self.cancel()
        self._serial += 1
        serial = self._serial
        size = len(data) if data is not None else (path.stat().st_size if path else 0)
        limit = IN_PROCESS_LIMITS.get(job.kind, 256 << 10)
        if size <= limit or (data is None and path is None):
            body = data if data is not None else (path.read_bytes() if path else b"")
            QTimer.singleShot(0, self, lambda: self._run_in_process(serial, job, body))
            return
        self._result = FormatResult(job, TextBuffer(b""), started=time.perf_counter())
        if path is not None:
            self._launch(serial, job, path)
        else:
            self._begin_write(serial, job, data or b"")

    def cancel(self) -> None:
        """Stop the current job; nothing more is emitted for it."""
        self._serial += 1
        self._pending_write = None
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.readyReadStandardOutput.disconnect()
            proc.kill()
            self._dying.append(proc)
        result, self._result = self._result, None
        if result is not None and result.first_screen == 0.0:
            result.buffer.owns_file = True  # never handed out: ours to delete
            result.buffer.close()
        for key in ("input", "folds"):
            if key in self._paths:
                self._paths.pop(key).unlink(missing_ok=True)
        self._paths.clear()

    def is_running(self) -> bool:
        """True while a job has not finished or failed."""
        return self._result is not None

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Cancel, wait for every child process to exit, and delete temporary files."""
        self.cancel()
        for proc in self._dying:
            if proc.state() != QProcess.ProcessState.NotRunning:
                proc.kill()
                proc.waitForFinished(timeout_ms)
        self._dying.clear()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    # -- in-process path -----------------------------------------------------------

    def _run_in_process(self, serial: int, job: FormatJob, body: bytes) -> None:
        if serial != self._serial:
            return
        started = time.perf_counter()
        try:
            out = format_in_memory(body, job)
        except FilterError as exc:
            self.failed.emit(exc.message)
            return
        buffer = TextBuffer(out.text)
        folds = FoldRanges(*out.folds) if out.folds else None
        now = time.perf_counter()
        result = FormatResult(job, buffer, out.notice, folds, started, now, now, now, True)
        self.first_screen_ready.emit(buffer)
        if serial == self._serial:
            self.progress.emit(buffer.size, buffer.size)
            self.finished.emit(result)

    # -- child process path --------------------------------------------------------

    def _temp(self, name: str) -> Path:
        if self._tmpdir is None:
            # In the process's spool folder: removed at exit, or at the next start after a
            # crash, like the bodies it formats.
            self._tmpdir = Path(tempfile.mkdtemp(prefix="format-", dir=spool.process_folder()))
        return self._tmpdir / f"{name}-{self._serial}"

    def _begin_write(self, serial: int, job: FormatJob, data: bytes) -> None:
        """A large in-memory body goes to a file for the child, 1 MiB per step."""
        path = self._temp("input")
        self._paths["input"] = path
        path.write_bytes(b"")
        self._pending_write = (data, 0, job)
        QTimer.singleShot(0, self, lambda: self._write_step(serial))

    def _write_step(self, serial: int) -> None:
        if serial != self._serial or self._pending_write is None:
            return
        data, offset, job = self._pending_write
        deadline = time.perf_counter() + _WRITE_BUDGET_S
        with open(self._paths["input"], "ab") as handle:
            while offset < len(data) and time.perf_counter() < deadline:
                handle.write(data[offset : offset + _WRITE_SLICE])
                offset += _WRITE_SLICE
        if offset < len(data):
            self._pending_write = (data, offset, job)
            QTimer.singleShot(0, self, lambda: self._write_step(serial))
            return
        self._pending_write = None
        self._launch(serial, job, self._paths["input"])  # type: ignore[arg-type]

    def _launch(self, serial: int, job: FormatJob, source: Path) -> None:
        output, folds = self._temp("output"), self._temp("folds")
        output.write_bytes(b"")
        self._paths["output"], self._paths["folds"] = output, folds
        assert self._result is not None
        self._result.buffer = TextBuffer(path=output, size=0, owns_file=False)
        proc = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        root = _project_root()
        old = env.value("PYTHONPATH", "")
        env.insert("PYTHONPATH", root + (":" + old if old else ""))
        proc.setProcessEnvironment(env)
        # Bound methods, not lambdas: a lambda holding `self` in a connection of its own
        # child made a cycle through C++ that Python cannot see, so a Formatter nobody held
        # was freed inside its child's deferred delete, which then deleted the child a
        # second time (a crash in the next event loop). The job's serial rides on the
        # process, and each slot reads it back from sender().
        proc.setProperty(_SERIAL, serial)
        proc.readyReadStandardOutput.connect(self._on_process_output)
        proc.finished.connect(self._on_process_finished)
        proc.errorOccurred.connect(self._on_process_error)
        args = ["-m", "explorer.core.text.format_worker", "--input", str(source)]
        args += ["--output", str(output), "--folds", str(folds), *job.args()]
        self._proc = proc
        self._stdout_tail = b""
        proc.start(sys.executable, args)

    def _sending_process(self) -> tuple[int, QProcess] | None:
        proc = self.sender()
        if not isinstance(proc, QProcess):
            return None
        return int(proc.property(_SERIAL)), proc

    def _on_process_output(self) -> None:
        if (sent := self._sending_process()) is not None:
            self._on_output(*sent)

    def _on_process_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        if (sent := self._sending_process()) is not None:
            self._on_exit(*sent, code)

    def _on_process_error(self, error: QProcess.ProcessError) -> None:
        if (sent := self._sending_process()) is not None:
            self._on_error(*sent, error)

    def _on_output(self, serial: int, proc: QProcess) -> None:
        if serial != self._serial or proc is not self._proc:
            return
        data = self._stdout_tail + bytes(proc.readAllStandardOutput().data())
        *lines, self._stdout_tail = data.split(b"\n")
        grew = False
        for line in lines:
            if serial != self._serial:
                return
            event = json.loads(line)
            grew |= self._handle(serial, event)
        if grew and serial == self._serial and self._result is not None:
            buffer = self._result.buffer
            total = buffer.size if buffer.complete else 0
            self.progress.emit(buffer.size, total)

    def _handle(self, serial: int, event: dict) -> bool:
        """Apply one worker event; True when the text grew."""
        result = self._result
        assert result is not None
        kind = event["event"]
        if kind == "data":
            result.buffer.append_blocks(event["size"], event["blocks"])
            if result.first_screen == 0.0:
                self._first_screen(result)
            return True
        if kind == "reset":
            result.buffer.reset()
            return True
        if kind == "notice":
            result.notice = event["message"]
        elif kind == "text_done":
            result.buffer.mark_complete()
            result.text_done = time.perf_counter()
            if result.first_screen == 0.0:
                self._first_screen(result)
            return True
        elif kind == "folds":
            try:
                result.folds = self._read_folds(event["count"])
            except (OSError, ValueError):
                result.folds = None  # the text is whole: shown without folding
        elif kind == "error":
            self._fail(event["message"])
        elif kind == "done":
            result.done = time.perf_counter()
            self._finish(serial)
        return False

    def _first_screen(self, result: FormatResult) -> None:
        result.first_screen = time.perf_counter()
        result.buffer.owns_file = True  # the receiver's from now on
        self.first_screen_ready.emit(result.buffer)

    def _read_folds(self, count: int) -> FoldRanges:
        """Map the folds file (O(1), nothing read); it is unlinked at once, and the
        mapping goes when the last view of it does."""
        pages = MappedArrays.open(self._paths.pop("folds"), count)
        starts, ends = pages.views
        return FoldRanges(starts, ends, pages)

    def _finish(self, serial: int) -> None:
        result, self._result = self._result, None
        proc, self._proc = self._proc, None
        if proc is not None:
            self._dying.append(proc)
        self._paths.pop("folds", Path("/nonexistent")).unlink(missing_ok=True)
        self._paths.pop("input", Path("/nonexistent")).unlink(missing_ok=True)
        if result is not None and serial == self._serial:
            self.progress.emit(result.buffer.size, result.buffer.size)
            self.finished.emit(result)

    def _fail(self, message: str) -> None:
        """The current job ends without a result."""
        self.cancel()
        self.failed.emit(message)

    def _on_exit(self, serial: int, proc: QProcess, code: int) -> None:
        if proc in self._dying:
            self._dying.remove(proc)
            proc.deleteLater()
            return
        if serial != self._serial or proc is not self._proc:
            return
        self._on_output(serial, proc)  # lines that arrived with the exit
        if serial == self._serial and self._proc is proc:
            # It exited without saying "done" or "error": it crashed or was killed.
            self._proc = None
            proc.deleteLater()
            stderr = bytes(proc.readAllStandardError().data()).decode("utf-8", "replace")
            detail = stderr.strip().splitlines()[-1] if stderr.strip() else ""
            self._fail(f"The formatter stopped unexpectedly (exit code {code}). {detail}".strip())

    def _on_error(self, serial: int, proc: QProcess, error: QProcess.ProcessError) -> None:
        if serial != self._serial or proc is not self._proc:
            return
        if error == QProcess.ProcessError.FailedToStart:
            self._proc = None
            proc.deleteLater()
            self._fail(f"Could not start the formatter: {proc.errorString()}")
