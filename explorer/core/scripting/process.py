"""Running one script job in a child process, with a wall-time limit, always answering.

The child (`child`) is started in isolated mode in its own process group (session), so
that at the time limit the whole group can be killed, grandchildren included. The job
goes in on stdin, the answer is read from stdout up to a bound; nothing touches a file.
Every failure (the child would not start, was killed, died, answered nonsense) becomes a
`ChildAnswer` with a one-line error: this function raises nothing for what a script does.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.core.scripting.protocol import (
    ANSWER_SLACK_BYTES,
    PROTOCOL_VERSION,
    AnswerError,
    ScriptLimits,
    check_answer,
    limits_to_data,
)

# Imports the child from the root it is given (argv[1]), whatever else is installed.
BOOTSTRAP = (
    "import sys;sys.path.insert(0,sys.argv[1]);"
    "from explorer.core.scripting.child import main;main()"
)
PACKAGE_ROOT = str(Path(__file__).resolve().parents[3])
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ChildAnswer:
    """What came back: `error` is "" when every script ran to its end. `data` holds the
    checked answer fields (console, variables, results, request) when there was one."""

    error: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    elapsed_ms: float = 0.0


def _seconds(value: float) -> str:
    return f"{value:g} s"


def run_child(job: dict[str, Any], limits: ScriptLimits, cwd: Path) -> ChildAnswer:
    """Run `job` (kind, scripts, request, response, variables) in a child whose working
    directory is `cwd`; wait at most `limits.time_limit` seconds."""
    started = time.perf_counter()
    message = json.dumps(
        {**job, "version": PROTOCOL_VERSION, "limits": limits_to_data(limits)}, ensure_ascii=False
    ).encode("utf-8", "replace")
    cap = ANSWER_SLACK_BYTES + 2 * len(message)
    try:
        child = subprocess.Popen(
            [sys.executable, "-I", "-c", BOOTSTRAP, PACKAGE_ROOT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=(os.name == "posix"),
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
        )
    except OSError as error:
        return ChildAnswer(f"the script process could not start: {error}")
    output = bytearray()
    too_big = threading.Event()

    def feed() -> None:
        assert child.stdin is not None
        with contextlib.suppress(OSError):
            child.stdin.write(message)
        with contextlib.suppress(OSError):
            child.stdin.close()

    def drain() -> None:
        assert child.stdout is not None
        while chunk := os.read(child.stdout.fileno(), READ_CHUNK):
            output.extend(chunk)
            if len(output) > cap:
                too_big.set()
                _kill(child)
                break

    threads = [
        threading.Thread(target=feed, daemon=True),
        threading.Thread(target=drain, daemon=True),
    ]
    for thread in threads:
        thread.start()
    timed_out = False
    try:
        child.wait(timeout=limits.time_limit)
    except subprocess.TimeoutExpired:
        timed_out = True
    _kill(child)  # grandchildren a script left behind go too
    child.wait()
    for thread in threads:
        thread.join(timeout=2)
    if not threads[1].is_alive():  # else a grandchild that left the group holds the pipe
        with contextlib.suppress(OSError):
            child.stdout.close()  # type: ignore[union-attr]
    elapsed = (time.perf_counter() - started) * 1000
    if timed_out:
        return ChildAnswer(
            f"stopped after the time limit of {_seconds(limits.time_limit)}", elapsed_ms=elapsed
        )
    if too_big.is_set():
        return ChildAnswer(
            "the script process answered more than allowed; it was stopped", elapsed_ms=elapsed
        )
    return _read_answer(bytes(output), child.returncode, job["kind"], limits, elapsed)


def _read_answer(
    output: bytes, status: int | None, kind: str, limits: ScriptLimits, elapsed: float
) -> ChildAnswer:
    if not output:
        return ChildAnswer(_death(status, limits), elapsed_ms=elapsed)
    try:
        value = json.loads(output.decode("utf-8"))
        if isinstance(value, dict) and isinstance(value.get("fatal"), str):
            line = " ".join(value["fatal"].split())[:300]
            return ChildAnswer(f"the script process failed: {line}", elapsed_ms=elapsed)
        data = check_answer(value, kind, limits.max_results)
    except (UnicodeDecodeError, ValueError) as error:  # AnswerError is a ValueError
        reason = (
            str(error)
            if isinstance(error, AnswerError)
            else "the script process answered something unreadable"
        )
        return ChildAnswer(reason, elapsed_ms=elapsed)
    return ChildAnswer(data["error"], data, elapsed)


def _death(status: int | None, limits: ScriptLimits) -> str:
    """Why a child ended without an answer, in words."""
    if status is not None and status < 0:
        number = -status
        if number == getattr(signal, "SIGXCPU", None):
            return f"stopped: it used more than {limits.cpu_seconds()} s of CPU time"
        name = (
            signal.Signals(number).name
            if number in signal.Signals._value2member_map_
            else str(number)
        )
        return f"the script process was killed ({name})"
    return f"the script process ended without an answer (exit status {status})"


def _kill(child: subprocess.Popen[bytes]) -> None:
    """Kill the child's whole process group (POSIX), or the child itself."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
    else:
        with contextlib.suppress(OSError):
            child.kill()
