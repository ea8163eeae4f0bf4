"""Start and stop the bundled practice server as a child process.

The child (`python -m bundled_server --port PORT`) binds the port itself and prints one
JSON ready line with its URL, so there is no race between choosing a port and using it.
The window asks for the port of its preferences (`SERVER_PORT_SETTING`, 8765 unless
changed: saved URLs and history entries stay valid from run to run) with
`fallback=True`: when that port is taken the child binds a free one instead and its
ready line says so (`port_in_use`), which `fell_back_from` reports. We then check
`/health` before calling it running. Its stdin is a pipe that we never
write to: when this process dies, however it dies, the pipe closes and the child exits.
"""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    # Imported where a process is made: the window is built (and first painted) long
    # before the server is started, if it ever is.
    from PySide6.QtCore import QProcess
    from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply

_PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The sample server's port in the preferences (QSettings) and its default; 0 means any
# free port. The Preferences dialog edits this key.
SERVER_PORT_SETTING = "server/port"
DEFAULT_SERVER_PORT = 8765
# Terminal escape sequences (Werkzeug colours its request lines): CSI "ESC [ ... letter",
# OSC "ESC ] ... BEL/ST", and two-character ones. The log view shows text, not codes.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
START_TIMEOUT_MS = 15_000
LOG_LIMIT = 2000  # lines of server output kept for the log view and error messages


class ServerState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"
    FAILED = "failed"


class ServerController(QObject):
    """Owns the practice server process and reports its state and output."""

    state_changed = Signal(str)  # a ServerState value
    ready = Signal(str)  # base URL, once /health answered
    failed = Signal(str)  # what went wrong, with the server's own last output
    output_received = Signal(str)  # one line of the server's stdout/stderr

    def __init__(self, port: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._port = port
        self._fallback = False
        self._fell_back_from = 0
        self._state = ServerState.STOPPED
        self._url = ""
        self._failure = ""  # a few words for the status bar after a failure
        self._log: list[str] = []
        self._partial = {"out": b"", "err": b""}
        self._process: QProcess | None = None
        self._network: QNetworkAccessManager | None = None  # made on first use
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.timeout.connect(self._on_start_timeout)

    @property
    def state(self) -> ServerState:
        return self._state

    @property
    def url(self) -> str:
        return self._url

    @property
    def failure(self) -> str:
        """What the last failure was, in a few words: "failed to start" or "stopped
        unexpectedly" (the `failed` signal carries the whole message)."""
        return self._failure

    @property
    def fell_back_from(self) -> int:
        """The port asked for when it was taken and the server runs on another; else 0."""
        return self._fell_back_from

    @property
    def pid(self) -> int:
        return int(self._process.processId()) if self._process else 0

    def start(self, port: int | None = None, fallback: bool = False) -> None:
        """Start the server on `port` (None: the last one; 0: any free port); `ready`
        or `failed` follows. With `fallback`, a taken port gives a free one instead of
        a failure (see `fell_back_from`)."""
        from PySide6.QtCore import QProcess, QProcessEnvironment

        if self._state in (ServerState.STARTING, ServerState.RUNNING):
            return
        if port is not None:
            self._port = port
        self._fallback = fallback
        self._fell_back_from = 0
        self._url = ""
        self._failure = ""
        self._partial = {"out": b"", "err": b""}
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("PYTHONUNBUFFERED", "1")
        process.setProcessEnvironment(environment)
        process.setWorkingDirectory(str(_PROJECT_ROOT))
        process.readyReadStandardOutput.connect(self._on_stdout)
        process.readyReadStandardError.connect(self._on_stderr)
        process.errorOccurred.connect(self._on_process_error)
        process.finished.connect(self._on_finished)
        self._process = process
        self._set_state(ServerState.STARTING)
        args = ["-m", "bundled_server", "--host", "127.0.0.1", "--port", str(self._port)]
        if self._fallback and self._port:
            args.append("--any-port-if-taken")
        self._append_log("$ python " + " ".join(args))
        process.start(sys.executable, args)
        self._start_timer.start(START_TIMEOUT_MS)

    def stop(self, wait_ms: int = 3000) -> None:
        """Stop the server: terminate, wait, then kill. Blocks at most `wait_ms` twice."""
        process = self._process
        self._start_timer.stop()
        if process is None or process.state() == process.ProcessState.NotRunning:
            self._process = None
            if self._state != ServerState.FAILED:
                self._set_state(ServerState.STOPPED)
            return
        self._set_state(ServerState.STOPPING)
        process.terminate()
        if not process.waitForFinished(wait_ms):
            process.kill()
            process.waitForFinished(wait_ms)
        self._process = None
        self._url = ""
        self._set_state(ServerState.STOPPED)

    def _set_state(self, state: ServerState) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state.value)

    def _append_log(self, line: str) -> None:
        line = strip_ansi(line)
        self._log.append(line)
        del self._log[:-LOG_LIMIT]
        self.output_received.emit(line)

    def _read_lines(self, stream: str, data: bytes) -> list[str]:
        buffered = self._partial[stream] + data
        *lines, rest = buffered.split(b"\n")
        self._partial[stream] = rest
        return [line.decode("utf-8", "replace").rstrip("\r") for line in lines]

    def _on_stdout(self) -> None:
        if self._process is None:
            return
        data = bytes(self._process.readAllStandardOutput().data())
        for line in self._read_lines("out", data):
            self._append_log(line)
            if self._state == ServerState.STARTING and not self._url:
                self._maybe_ready(line)

    def _on_stderr(self) -> None:
        if self._process is None:
            return
        data = bytes(self._process.readAllStandardError().data())
        for line in self._read_lines("err", data):
            self._append_log(line)

    def _maybe_ready(self, line: str) -> None:
        import json  # only once the server talks, not at start-up

        try:
            message = json.loads(line)
        except ValueError:
            return
        if isinstance(message, dict) and message.get("event") == "ready":
            self._url = str(message.get("url", "")).rstrip("/")
            taken = message.get("port_in_use")
            self._fell_back_from = taken if isinstance(taken, int) else 0
            self._check_health()

    def _check_health(self) -> None:
        # QtNetwork keeps this off the GUI thread's critical path without importing
        # requests at start-up; it is one tiny local request.
        from PySide6.QtNetwork import QNetworkAccessManager, QNetworkRequest

        if self._network is None:
            self._network = QNetworkAccessManager(self)
        reply = self._network.get(QNetworkRequest(f"{self._url}/health"))
        reply.finished.connect(lambda: self._on_health_reply(reply))

    def _on_health_reply(self, reply: QNetworkReply) -> None:
        from PySide6.QtNetwork import QNetworkReply, QNetworkRequest

        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        error = reply.errorString() if reply.error() != QNetworkReply.NetworkError.NoError else ""
        reply.deleteLater()
        if self._state != ServerState.STARTING:
            return
        self._start_timer.stop()
        if status == 200:
            self._set_state(ServerState.RUNNING)
            self.ready.emit(self._url)
        else:
            self._fail(f"The server started but {self._url}/health answered {status or error}")

    def _on_start_timeout(self) -> None:
        if self._state == ServerState.STARTING:
            self._fail(f"The server did not become ready within {START_TIMEOUT_MS // 1000} s")
            self.stop()
            self._set_state(ServerState.FAILED)

    def _on_process_error(self, error: QProcess.ProcessError) -> None:
        from PySide6.QtCore import QProcess

        if error == QProcess.ProcessError.FailedToStart and self._state == ServerState.STARTING:
            self._fail(f"Could not start {sys.executable}: the program failed to start")

    def _on_finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        # Read what is left first: the reason for an early exit is usually the last line.
        self._on_stdout()
        self._on_stderr()
        for stream in ("out", "err"):
            if self._partial[stream]:
                self._append_log(self._partial[stream].decode("utf-8", "replace"))
                self._partial[stream] = b""
        if self._state in (ServerState.STARTING, ServerState.RUNNING):
            how = exit_description(exit_code, crashed=_is_crash(status))
            if self._state == ServerState.RUNNING:
                self._url = ""
                self._fail(
                    f"The practice server stopped unexpectedly: {how}.", "stopped unexpectedly"
                )
            else:
                self._fail(f"The practice server could not start: {how}.")
        self._process = None

    def _fail(self, message: str, summary: str = "failed to start") -> None:
        self._start_timer.stop()
        tail = "\n".join(line for line in self._log[-12:] if line.strip())
        self._failure = summary
        self._set_state(ServerState.FAILED)
        self.failed.emit(f"{message}\n\nServer output:\n{tail}" if tail else message)


def strip_ansi(text: str) -> str:
    """`text` without terminal escape sequences (colours, cursor moves)."""
    return _ANSI.sub("", text) if "\x1b" in text else text


def configured_port(value: object) -> int:
    """The port a QSettings value names: a whole number 0..65535, else the default
    (QSettings answers strings from an INI file, and anything from a hand edit)."""
    try:
        port = int(str(value))
    except (TypeError, ValueError):
        return DEFAULT_SERVER_PORT
    return port if 0 <= port <= 65535 else DEFAULT_SERVER_PORT


def _is_crash(status: object) -> bool:
    from PySide6.QtCore import QProcess

    return status == QProcess.ExitStatus.CrashExit


def exit_description(code: int, *, crashed: bool) -> str:
    """How a child ended, in words. On Unix, Qt reports a death by signal as CrashExit
    with the signal number as its code: that is "killed by signal 9 (SIGKILL)", never
    "exit code 9"."""
    if not crashed:
        return f"it exited with code {code}"
    if sys.platform == "win32":
        return f"it crashed (code {code:#x})"
    import signal

    try:
        name = signal.Signals(code).name
    except ValueError:
        return f"killed by signal {code}"
    return f"killed by signal {code} ({name})"
