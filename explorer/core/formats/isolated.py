"""Converting an import in a child process, so that a conversion nobody waits for any
more (the import dialog was closed, or its source changed) can be stopped at once.

A thread cannot be stopped half-way through parsing a 200 MB document or walking a
pathological schema; a process can be killed. The child runs this module: it reads one
pickled `ParseJob` on stdin, converts through the guarded entry point (`convert`), and
writes one pickled answer on stdout. It imports no Qt.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import explorer
from explorer.core.formats import FormatError, Imported, convert, convert_folder, read_import_file


@dataclass(frozen=True)
class ParseJob:
    """What to convert: `text`, else the file at `path`, else the collection folder of
    another tool at `folder` (Bruno's). `format` None means detect."""

    text: str | None = None
    path: str | None = None
    filename: str | None = None
    format: str | None = None
    base_dir: str | None = None
    folder: str | None = None


class ParseCancelled(Exception):
    """The conversion was cancelled; nobody wants its result."""


class IsolatedParse:
    """One conversion in its own process. `result()` waits for it (call it off the GUI
    thread); `cancel()` kills the process from any thread, and `result()` then raises
    ParseCancelled."""

    def __init__(self, job: ParseJob) -> None:
        self._job = job
        self._lock = threading.Lock()
        self._cancelled = False
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_child_environment(),
        )

    def result(self) -> Imported:
        """The converted import; raises FormatError or ParseCancelled."""
        try:
            output, _ = self._process.communicate(pickle.dumps(self._job))
        except (BrokenPipeError, OSError):
            output = b""  # killed while it was still reading the job
        if self._cancelled:
            raise ParseCancelled
        try:
            answer = pickle.loads(output)
        except Exception:  # noqa: BLE001 - a child that died answers nothing readable
            code = self._process.returncode
            raise FormatError(f"The converter stopped unexpectedly (exit status {code})") from None
        if answer[0] == "error":
            raise FormatError(answer[1], answer[2])
        imported = answer[1]
        if not isinstance(imported, Imported):  # the child is this module: never expected
            raise FormatError("The converter answered something that is not an import")
        return imported

    def cancel(self) -> None:
        """Stop the conversion now; its result is never delivered."""
        with self._lock:
            self._cancelled = True
            if self._process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()


def _child_environment() -> dict[str, str]:
    # The child must import this very `explorer`, wherever it was started from.
    root = str(Path(explorer.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
    return env


Answer = tuple[str, Imported] | tuple[str, str, str]


def run_job(job: ParseJob) -> Answer:
    """The child's answer for `job`: ("ok", Imported) or ("error", message, location)."""
    try:
        if job.folder is not None:
            return ("ok", _convert_folder(job.folder, job.format))
        text = job.text if job.text is not None else _read(job.path or "")
        return ("ok", convert(text, job.format, job.filename, job.base_dir))
    except FormatError as error:
        return ("error", error.message, error.location)


def _convert_folder(folder: str, format: str | None) -> Imported:
    imported = convert_folder(folder)
    if format is not None and imported.format != format:
        raise FormatError(f"{folder} is a {imported.format} collection folder, not {format}")
    return imported


def _read(path: str) -> str:
    try:
        return read_import_file(Path(path))
    except FormatError as error:
        raise FormatError(f"{path}: {error.message}", error.location) from None


def _main() -> None:
    job = pickle.load(sys.stdin.buffer)
    answer = run_job(job)
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _main()
