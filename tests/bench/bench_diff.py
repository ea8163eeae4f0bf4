"""Comparing two large responses, against baselines measured in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_diff.py [--megabytes 5]

Inputs, generated deterministically: two JSON documents of about 5 MB (an array of
records) with about 1 % of the records changed (a changed field, a removed key, an added
key, one record inserted and one deleted), and two texts of about 5 MB (log lines) with
about 1 % of the lines changed. Median of 3 runs each:

- structural JSON diff (`core/diff/json_diff`, both documents already parsed), and the
  whole comparison the dialog waits for (`application/comparing.compare`: parse, diff,
  pretty lines, line diff);
- the line diff of the two texts (`core/diff/text_diff`), and as a baseline
  `difflib.SequenceMatcher` on a quarter of the pretty JSON lines (on the whole it takes
  minutes: it grows quadratically with their repeated lines), with ours on the same;
- in a fresh process per run, the dialog as the window opens it (offscreen, 1280x720,
  the app's GUI-thread garbage collector installed): time to "Comparing…" shown, time to
  filled, and the longest gap of a 5 ms PreciseTimer on the event loop from opening to
  filled (the GUI stall), for the JSON and the text pair; the baseline is the same timer
  on an idle event loop for 2 s (on a loaded machine scheduling alone makes gaps).
  Bodies this large are compared in a child process (application/comparing's
  `compare_for_window`); what is left on the window's side is reading the answer (two
  joined strings, split) and filling the model.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RUNS = 3


def json_pair(megabytes: float) -> tuple[bytes, bytes]:
    """Two JSON arrays of about `megabytes` MB, about 1 % of the records changed."""
    rng = random.Random(15)
    records, size, i = [], 2, 0
    while size < megabytes * 1_000_000:
        record = {
            "id": i,
            "name": f"user {i}",
            "email": f"user{i}@example.com",
            "active": i % 3 == 0,
            "score": (i * 7919 % 100000) / 100,
            "tags": [f"t{(i * 31 + k) % 97}" for k in range(3)],
            "address": {"street": f"{i % 999} Main St", "city": "Springfield", "zip": i % 90000},
        }
        size += len(json.dumps(record)) + 1
        records.append(record)
        i += 1
    changed = json.loads(json.dumps(records))
    for number in rng.sample(range(len(changed)), len(changed) // 100):
        record = changed[number]
        kind = number % 3
        if kind == 0:
            record["name"] = f"renamed {number}"
        elif kind == 1:
            del record["email"]
        else:
            record["verified"] = True
    changed.insert(len(changed) // 2, {"id": -1, "name": "inserted"})
    del changed[len(changed) // 3]
    return json.dumps(records).encode(), json.dumps(changed, indent=1).encode()


def text_pair(megabytes: float) -> tuple[bytes, bytes]:
    """Two logs of about `megabytes` MB, about 1 % of the lines changed."""
    rng = random.Random(16)
    lines, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        line = f"2026-12-05T04:{i % 60:02d}:{i % 59:02d} INFO request {i} took {i % 977} ms"
        size += len(line) + 1
        lines.append(line)
        i += 1
    changed = list(lines)
    for number in rng.sample(range(len(changed)), len(changed) // 100):
        changed[number] = changed[number].replace("INFO", "WARN") + " (slow)"
    return "\n".join(lines).encode(), "\n".join(changed).encode()


def _side(label: str, body: bytes, content_type: str):  # type: ignore[no-untyped-def]
    from explorer.application.comparing import Side

    return Side(label, 200, "OK", 12.0, len(body), (("Content-Type", content_type),), body)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def case_core(megabytes: float) -> list[list[str]]:
    from explorer.application.comparing import compare
    from explorer.core.diff.json_diff import diff_json
    from explorer.core.diff.text_diff import diff_lines
    from explorer.core.text.content import parse_json

    rows = []
    left, right = json_pair(megabytes)
    values = parse_json(left), parse_json(right)
    times, totals = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        structure = diff_json(*values)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        whole = compare(_side("a", left, "application/json"), _side("b", right, "application/json"))
        totals.append(time.perf_counter() - start)
    size = f"{len(left) / 1e6:.1f} + {len(right) / 1e6:.1f} MB"
    rows.append(["JSON: structural diff (parsed)", size, f"{_median(times):.2f} s",
                 f"{structure.total:,} changes"])  # fmt: skip
    rows.append(["JSON: whole comparison", size, f"{_median(totals):.2f} s",
                 f"{len(whole.body.left_lines):,} lines, {whole.body.lines.changed_blocks:,} "
                 f"blocks, exact={whole.body.lines.exact}"])  # fmt: skip

    left, right = text_pair(megabytes)
    a, b = left.decode().splitlines(), right.decode().splitlines()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        lines = diff_lines(a, b)
        times.append(time.perf_counter() - start)
    size = f"{len(left) / 1e6:.1f} + {len(right) / 1e6:.1f} MB"
    result = f"{len(a):,} lines, {lines.changed_blocks:,} blocks, exact={lines.exact}"
    rows.append(["text: line diff", size, f"{_median(times):.2f} s", result])
    # difflib on the pretty JSON lines (many repeated lines: "},", "{", "]"): a quarter
    # (about 11 s here; 1/10 took 0.9 s, so the whole would take minutes).
    a, b = list(whole.body.left_lines), list(whole.body.right_lines)
    part = len(a) // 4
    start = time.perf_counter()
    ours = diff_lines(a[:part], b[:part])
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    baseline = difflib.SequenceMatcher(None, a[:part], b[:part]).get_opcodes()
    difflib_s = time.perf_counter() - start
    theirs = sum(1 for op in baseline if op[0] != "equal")
    rows.append(["pretty JSON 1/4: ours", f"{part:,} lines", f"{ours_s:.3f} s",
                 f"{ours.changed_blocks} blocks"])  # fmt: skip
    rows.append(["pretty JSON 1/4: difflib", f"{part:,} lines", f"{difflib_s:.3f} s",
                 f"{theirs} blocks ({difflib_s / max(ours_s, 1e-9):.0f}x ours)"])  # fmt: skip
    return rows


def case_gui(kind: str, megabytes: float) -> dict:
    """One dialog in this (fresh) process: times and the longest event-loop gap."""
    from PySide6.QtWidgets import QApplication

    from explorer.application.comparing import Source
    from explorer.qt.gc_guard import install
    from explorer.ui.dialogs.response_diff import ResponseDiffDialog
    from tests.bench.common import GapMeter

    app = QApplication.instance() or QApplication([])
    install(app)
    if kind == "idle":
        return _idle_gaps(app)
    left, right = json_pair(megabytes) if kind == "json" else text_pair(megabytes)
    mime = "application/json" if kind == "json" else "text/plain"
    sources = [
        Source("a", "Left", lambda: _side("Left", left, mime)),
        Source("b", "Right", lambda: _side("Right", right, mime)),
    ]
    meter = GapMeter()
    meter.start()
    start = time.perf_counter()
    dialog = ResponseDiffDialog(sources, "a", "b")
    dialog.resize(1280, 720)
    dialog.show()
    app.processEvents()
    shown = time.perf_counter() - start
    meter.reset()  # opening any dialog costs its first paint: the stall counted is the fill's
    arrived = dialog._arrived  # timed: the GUI thread's share of the fill
    fill: list[float] = []

    def timed(number: int, comparison: object) -> None:
        begun = time.perf_counter()
        arrived(number, comparison)
        fill.append(time.perf_counter() - begun)

    dialog._arrived = timed  # type: ignore[method-assign]
    while dialog.comparing and time.perf_counter() - start < 120:
        app.processEvents()
        time.sleep(0.001)
    for _ in range(3):  # the filled dialog painted, scrolled to the first change
        app.processEvents()
        time.sleep(0.01)
    filled = time.perf_counter() - start
    meter.stop()
    assert dialog.comparison is not None, dialog.problem
    return {
        "shown_ms": shown * 1000,
        "filled_s": filled,
        "stall_ms": meter.longest_ms(),
        "fill_ms": sum(fill) * 1000,
    }


def _idle_gaps(app) -> dict:  # type: ignore[no-untyped-def]
    """The baseline: the same timer on an idle event loop for 2 s (what the machine's
    load alone costs)."""
    from tests.bench.common import GapMeter

    meter = GapMeter()
    meter.start()
    start = time.perf_counter()
    while time.perf_counter() - start < 2:
        app.processEvents()
        time.sleep(0.001)
    meter.stop()
    return {"shown_ms": 0.0, "filled_s": 0.0, "stall_ms": meter.longest_ms(), "fill_ms": 0.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--gui", choices=["json", "text", "idle"])
    args = parser.parse_args()
    if args.gui:
        print(json.dumps(case_gui(args.gui, args.megabytes)))
        return
    from tests.bench.common import table

    rows = case_core(args.megabytes)
    print(table(f"Response diff: two ~{args.megabytes:g} MB bodies, ~1 % changed (median of "
                f"{RUNS})", ["case", "input", "time", "result"], rows))  # fmt: skip
    gui_rows = []
    for kind in ("json", "text", "idle"):
        runs = []
        for _ in range(RUNS):
            done = subprocess.run(
                [sys.executable, __file__, "--gui", kind, "--megabytes", str(args.megabytes)],
                capture_output=True, text=True, check=True, cwd=ROOT,
            )  # fmt: skip
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        gui_rows.append([
            kind,
            f"{_median([r['shown_ms'] for r in runs]):.0f} ms",
            f"{_median([r['filled_s'] for r in runs]):.2f} s",
            f"{_median([r['stall_ms'] for r in runs]):.0f} ms "
            f"(max {max(r['stall_ms'] for r in runs):.0f})",
            f"{_median([r['fill_ms'] for r in runs]):.0f} ms",
        ])  # fmt: skip
    header = ["bodies", "Comparing… shown", "filled", "longest GUI stall", "GUI thread's fill"]
    title = "The compare dialog filling (offscreen, 1280x720, fresh process per run)"
    print(table(title, header, gui_rows))


if __name__ == "__main__":
    main()
