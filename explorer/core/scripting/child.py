"""The script child: reads one job (JSON) on stdin, runs its scripts, writes one answer.

Started by `process` as `python -I -c BOOTSTRAP ROOT`: isolated mode (no PYTHON*
environment variables, no user site directory, not the current directory on sys.path);
the bootstrap puts this package's root on sys.path just long enough to import this
module, so the child runs this very code and not another installed copy.

The answer goes to a private duplicate of the original stdout; file descriptors 1 and 2
are pointed at /dev/null and sys.stdout/sys.stderr at the bounded console, so nothing a
script prints can mix with the answer. Standard library only.
"""

from __future__ import annotations

import builtins
import json
import os
import sys
import traceback
from typing import Any

from explorer.core.scripting.api import (
    Console,
    ConsoleStream,
    Results,
    ScriptRequest,
    ScriptResponse,
    StopScript,
    Variables,
    make_expect,
    make_test,
)
from explorer.core.scripting.protocol import POST, PROTOCOL_VERSION

MESSAGE_CHARS = 300  # of an error's message in the one-line error


def _private_output() -> int:
    """A duplicate of stdout for the answer; fds 0, 1 and 2 then lead nowhere."""
    answer_fd = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (1, 2):
        os.dup2(null, fd)
    os.close(null)
    return answer_fd


def _apply_limits(limits: dict[str, Any]) -> None:
    try:
        import resource
    except ImportError:  # not a POSIX system: the parent's wall limit only
        return
    # No core file: SIGXCPU (the CPU limit) would dump one into the working directory,
    # which is the collection's folder.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    memory = int(limits.get("memory_bytes", 0))
    if memory > 0 and hasattr(resource, "RLIMIT_AS"):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.get("cpu_seconds", 0))
    if cpu > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _one_line(text: str) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MESSAGE_CHARS else line[: MESSAGE_CHARS - 1] + "…"


class Layer:
    """One script (of the collection, a folder or the request) and how to name a place
    in it."""

    def __init__(self, label: str, code: str) -> None:
        self.label, self.code = label, code
        self.filename = f"<{label}>"

    def where(self, error: BaseException) -> str:
        """`line N: Kind: message`, N the deepest line of this script in the traceback."""
        line = None
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename == self.filename:
                line = frame.lineno
        if isinstance(error, SyntaxError) and error.filename == self.filename:
            line = error.lineno
            message = error.msg
        else:
            message = str(error)
        kind = type(error).__name__
        text = f"{kind}: {_one_line(message)}" if message else kind
        return f"line {line}: {text}" if line else text

    def trace(self, error: BaseException) -> list[str]:
        """The traceback of the script's own frames only (not this program's)."""
        lines = ["Traceback (the script's lines):"]
        if isinstance(error, SyntaxError) and error.filename == self.filename:
            lines.append(f"  line {error.lineno}")
            if error.text:
                lines.append(f"    {error.text.strip()}")
            lines.append(f"SyntaxError: {_one_line(error.msg)}")
            return lines
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename != self.filename:
                continue
            lines.append(f"  line {frame.lineno}, in {frame.name}")
            source = self.code.splitlines()[frame.lineno - 1].strip() if frame.lineno else ""
            if source:
                lines.append(f"    {source}")
        lines.append(f"{type(error).__name__}: {_one_line(str(error))}")
        return lines


def run_job(job: dict[str, Any], console: Console) -> dict[str, Any]:
    """Run the job's scripts in order, sharing `request` and `variables`; the first
    failing script ends the run (the later ones would see a half-done state)."""
    limits = job["limits"]
    results = Results(int(limits.get("max_results", 1000)))
    variables = Variables(job["variables"])
    request = ScriptRequest(job["request"])
    response = ScriptResponse(job["response"]) if job["kind"] == POST else None
    expect = make_expect(results)
    error = ""
    for script in job["scripts"]:
        layer = Layer(script["label"], script["code"])
        names: dict[str, Any] = {
            "__name__": "__script__",
            "__builtins__": builtins,
            "request": request,
            "variables": variables,
            "expect": expect,
            "test": make_test(results, layer.where),
            "console": console,
        }
        if response is not None:
            names["response"] = response
        try:
            code = compile(layer.code, layer.filename, "exec")
            exec(code, names)
        except StopScript:
            pass
        except SystemExit as stop:
            if stop.code not in (None, 0):
                error = f"{layer.label}: exit({stop.code!r})"
        except BaseException as failure:  # noqa: BLE001 - the user's code may raise anything
            names.clear()  # frees what a memory bomb held, so the answer can be written
            error = f"{layer.label}, {layer.where(failure)}"
            console.flush()
            for line in layer.trace(failure):
                console.write(line + "\n")
        names.clear()
        if error:
            break
    console.flush()
    return {
        "version": PROTOCOL_VERSION,
        "error": error,
        "console": console.lines,
        "variables_set": variables.changed,
        "secrets_set": sorted(variables.secrets & set(variables.changed)),
        "variables_unset": sorted(variables.unset_names),
        "results": results.items,
        "request": request.to_data(),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.path and sys.path[0] == sys.argv[1]:
        del sys.path[0]  # the bootstrap's entry: scripts import what any program would
    sys.argv = ["script"]
    answer_fd = _private_output()
    try:
        job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        limits = job["limits"]
        console = Console(
            int(limits["console_lines"]), int(limits["console_chars"]), int(limits["line_chars"])
        )
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)  # input() sees the end at once
        sys.stdout = sys.stderr = ConsoleStream(console)
        _apply_limits(limits)
        answer = run_job(job, console)
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8", "replace")
    except BaseException as failure:  # noqa: BLE001 - any failure still gets one answer
        data = json.dumps(
            {"version": PROTOCOL_VERSION, "fatal": f"{type(failure).__name__}: {failure}"}
        ).encode()
    with os.fdopen(answer_fd, "wb") as out:
        out.write(data)
    _save_measurement()
    os._exit(0)  # threads a script started do not keep the child alive


def _save_measurement() -> None:
    """When coverage measures this child (the test suite does), save what it measured:
    `os._exit` skips the exit hook that would. Nothing happens in normal use."""
    coverage = sys.modules.get("coverage")
    current = getattr(getattr(coverage, "Coverage", None), "current", None)
    measuring = current() if callable(current) else None
    if measuring is not None:
        measuring.stop()
        measuring.save()


if __name__ == "__main__":
    main()
