"""A stand-in for `python -m explorer load --progress json`, for the window's tests ONLY.

It speaks the protocol (HELPERS/ARCHITECTURE: started, stats, finished) so the window's
reading, drawing, stopping and saving can be tested in a few milliseconds; the end-to-end
test runs the real command. Usage: fake_load.py MODE load ARGS… where MODE is
  run    started, three stats lines, finished (every --fail-if fails) and exit 0 or 1;
  wait   started, one stats line, a bad line, then waits for SIGINT: finished
         "stopped", exit 130;
  broken a usage error: one line on stderr, exit 2;
  stubborn like wait, but deaf to SIGINT (only a kill ends it).
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

NAMES = ["GET items", "POST login"]


def say(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def totals(n: int, failures: int = 0, p95: float = 30.0) -> dict:
    return {
        "requests": n,
        "failures": failures,
        "rps": n / 2,
        "p50": 12.0,
        "p95": p95,
        "p99": p95 * 2,
    }


def stats(second: int) -> dict:
    errors = [{"kind": "http", "name": "POST login", "message": "status 503", "count": second}]
    return {
        "event": "stats",
        "elapsed": float(second),
        "users": 2,
        "total": totals(100 * second, second),
        "by_request": [
            {"name": name, **totals(50 * second, i * second)} for i, name in enumerate(NAMES)
        ],
        "errors": errors,
    }


def finished(reason: str, rules: list[str], reports: dict[str, str], p95: float) -> dict:
    for kind, path in reports.items():
        Path(path).write_text(f"<html>fake {kind}</html>" if kind == "html" else "a,b\n1,2\n")
    return {
        "event": "finished",
        "reason": reason,
        "elapsed": 3.0,
        "total": totals(300, 3, p95),
        "by_request": [{"name": name, **totals(150, 0, p95)} for name in NAMES],
        "errors": [{"kind": "http", "name": "POST login", "message": "status 503", "count": 3}],
        "thresholds": [{"rule": r, "passed": False, "actual": f"{p95:.0f} ms"} for r in rules],
        "reports": reports,
    }


def main(argv: list[str]) -> int:
    mode, args = argv[0], argv[2:]
    if mode == "broken":
        sys.stderr.write("error: no collection at nowhere\n")
        return 2
    rules = [args[i + 1] for i, a in enumerate(args) if a == "--fail-if"]
    reports = dict(args[i + 1].split(":", 1) for i, a in enumerate(args) if a == "--report")
    p95 = float(args[args.index("--users") + 1]) * 10  # lets a test make runs differ
    stop = threading.Event()
    if mode == "stubborn":
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGINT, lambda *_: stop.set())
    say({"event": "started", "users": 2, "spawn_rate": 2, "requests": NAMES})
    if mode == "run":
        for second in (1, 2, 3):
            say(stats(second))
        say(finished("duration", rules, reports, p95))
        return 1 if rules else 0
    say(stats(1))
    sys.stdout.write("Traceback (most recent call last): not a progress line\n")
    sys.stdout.flush()
    stop.wait(20)
    say(finished("stopped", rules, reports, p95))
    return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
