"""Run `python -m explorer load … --progress json` as a child process and read its lines.

Locust (and the gevent it brings, which patches the standard library) only ever runs in
that child: the window's process never imports it. The GUI thread never waits on the
child: stdout is read as it arrives, split into lines, each parsed by
`explorer.core.load_runs.progress` (the window redraws once per burst of lines, not
per line). A line is at most `MAX_LINE` bytes, and a bad line is one `problem` message
(at most `MAX_PROBLEMS` of them), never a traceback.

Stop sends SIGINT, on which the command stops its users, writes its reports and its
"finished" line and exits 130; a second Stop kills it.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from explorer.core.load_runs.progress import (
    MAX_LINE,
    Finished,
    ProtocolError,
    Started,
    Stats,
    parse_object,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QProcess

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAX_PROBLEMS = 20
STDERR_LINES = 50


class LoadProcess(QObject):
    """One load run in a child process; emits its protocol events as they arrive."""

    started_run = Signal(object)  # Started
    stats = Signal(object)  # Stats
    finished_run = Signal(object, object)  # Finished, and the line's JSON object (to save)
    problem = Signal(str)  # one line: a bad progress line, a failure to start
    ended = Signal(int, str)  # exit code (-1: crashed or killed), the last stderr line

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: QProcess | None = None
        self._buffer = b""
        self._skipping = False  # inside an over-long line: drop up to its newline
        self._problems = 0
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._err_buffer = b""
        self.interrupts = 0  # how many times Stop was asked in this run

    def is_running(self) -> bool:
        process = self._process
        return process is not None and process.state() != process.ProcessState.NotRunning

    def start(self, arguments: list[str], program: str = sys.executable) -> None:
        """Start `program arguments` (by default `python -m explorer …` is the caller's
        `["-m", "explorer", "load", …]`)."""
        from PySide6.QtCore import QProcess, QProcessEnvironment

        if self.is_running():
            return
        self._buffer, self._err_buffer, self._skipping = b"", b"", False
        self._problems = 0
        self._stderr.clear()
        self.interrupts = 0
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("PYTHONUNBUFFERED", "1")
        process.setProcessEnvironment(environment)
        process.setWorkingDirectory(str(PROJECT_ROOT))
        process.readyReadStandardOutput.connect(self._on_stdout)
        process.readyReadStandardError.connect(self._on_stderr)
        process.errorOccurred.connect(self._on_error)
        process.finished.connect(self._on_finished)
        self._process = process
        process.start(program, arguments)

    def stop(self) -> None:
        """First SIGINT (the command stops and writes its reports), then kill."""
        process = self._process
        if process is None or not self.is_running():
            return
        self.interrupts += 1
        pid = process.processId()
        if self.interrupts == 1 and pid > 0 and hasattr(signal, "SIGINT"):
            try:
                os.kill(pid, signal.SIGINT)
                return
            except OSError:
                pass
        process.kill()

    def shutdown(self, wait_ms: int = 5000) -> None:
        """At quit: SIGINT, wait up to `wait_ms` for the reports, then kill. Blocks."""
        process = self._process
        if process is None or not self.is_running():
            return
        self.stop()
        if not process.waitForFinished(wait_ms):
            process.kill()
            process.waitForFinished(1000)

    # -- reading --------------------------------------------------------------------

    def _on_stdout(self) -> None:
        process = self._process
        if process is None:
            return
        self._buffer += bytes(process.readAllStandardOutput().data())
        lines = self._buffer.split(b"\n")
        self._buffer = lines.pop()
        if len(self._buffer) > MAX_LINE:
            self._say(f"a progress line longer than {MAX_LINE} bytes (dropped)")
            self._buffer, self._skipping = b"", True
        for line in lines:
            if self._skipping:
                self._skipping = False
                continue
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                event = parse_object(data)
            except ProtocolError as error:
                self._say(f"bad progress line: {error}")
                continue
            except (ValueError, RecursionError):
                self._say(f"bad progress line: not JSON: {_preview(line)}")
                continue
            if isinstance(event, Stats):
                self.stats.emit(event)
            elif isinstance(event, Started):
                self.started_run.emit(event)
            elif isinstance(event, Finished):
                self.finished_run.emit(event, data)

    def _say(self, message: str) -> None:
        self._problems += 1
        if self._problems <= MAX_PROBLEMS:
            self.problem.emit(message)
        elif self._problems == MAX_PROBLEMS + 1:
            self.problem.emit("more bad progress lines (not shown)")

    def _on_stderr(self) -> None:
        process = self._process
        if process is None:
            return
        self._err_buffer += bytes(process.readAllStandardError().data())
        *lines, rest = self._err_buffer.split(b"\n")
        self._err_buffer = rest[-MAX_LINE:]
        for line in lines[-STDERR_LINES:]:
            text = line.decode("utf-8", "replace").strip()
            if text:
                self._stderr.append(text[:500])

    def _on_error(self, error: QProcess.ProcessError) -> None:
        from PySide6.QtCore import QProcess

        if error == QProcess.ProcessError.FailedToStart:
            self.problem.emit("The load test could not start: " + self._process_error())
            self._process = None
            self.ended.emit(-1, "")

    def _process_error(self) -> str:
        return self._process.errorString() if self._process is not None else ""

    def _on_finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        from PySide6.QtCore import QProcess

        self._on_stdout()
        self._on_stderr()
        if self._err_buffer.strip():
            self._stderr.append(self._err_buffer.decode("utf-8", "replace").strip()[:500])
            self._err_buffer = b""
        if self._buffer.strip() and not self._skipping:
            self._buffer += b"\n"  # a last line without its newline still counts
            self._on_stdout()
        crashed = status == QProcess.ExitStatus.CrashExit
        process, self._process = self._process, None
        if process is not None:
            process.deleteLater()
        self.ended.emit(-1 if crashed else exit_code, self._stderr[-1] if self._stderr else "")

    def stderr_lines(self) -> list[str]:
        """The child's last lines on stderr (bounded), to explain a failure."""
        return list(self._stderr)


def _preview(line: bytes) -> str:
    text = " ".join(line.decode("utf-8", "replace").split())
    return text[:80] + ("…" if len(text) > 80 else "")
