"""Large JSON bodies in the body viewer, against baselines measured in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_large_json.py [--sizes 1 10 50 100]

For each size (MB of compact JSON, generated deterministically in a temp dir and handed to
BodyView as a spooled file) and each of 3 runs, a fresh process shows the body in a
1000x700 BodyView while a 5 ms PreciseTimer records event-loop gaps, then jumps to the
end of the text. Reported (median of the runs): time to the first painted pretty screen,
time to fully formatted (text and folds), longest GUI stall, peak RSS of the GUI process
and its ratio to the body size. Baselines in the same run: in-process
`orjson.loads + dumps(OPT_INDENT_2)` of the same body, and `QPlainTextEdit.setPlainText`
of the pretty text (1 and 10 MB only: beyond that it takes seconds to minutes).
The whole run is kept to about five minutes: 100 MB is skipped if it would not fit.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = 3
TIME_BUDGET_S = 300


def generate(path: Path, megabytes: int) -> None:
    """A deterministic JSON array of records of about `megabytes` MB."""
    import orjson

    target = megabytes * 1_000_000
    records, size, i = [], 2, 0
    while size < target:
        record = {
            "id": i,
            "name": f"user {i}",
            "email": f"user{i}@example.com",
            "active": i % 3 == 0,
            "score": (i * 7919 % 100000) / 100,
            "tags": [f"t{(i * 31 + k) % 97}" for k in range(3)],
            "address": {"street": f"{i % 999} Main St", "city": "Springfield", "zip": i % 90000},
            "note": "caf\u00e9 \u2603 " + "lorem ipsum " * (i % 4),
        }
        size += len(orjson.dumps(record)) + 1
        records.append(record)
        i += 1
    path.write_bytes(orjson.dumps(records))


def _peak_rss_mb() -> float:
    # VmHWM, not ru_maxrss: after fork+exec Linux carries the parent's RSS into
    # ru_maxrss, which made the bench's own memory look like the viewer's.
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def case_viewer(path: Path) -> dict:
    """One viewer run in this (fresh) process."""
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from explorer.ui.response.body_view import BodyView

    view = BodyView()
    view.resize(1000, 700)
    view.show()
    app.processEvents()
    marks: dict[str, float] = {}
    gaps: list[float] = []
    last = [0.0]

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if (
                event.type() == QEvent.Type.Paint
                and "first_screen" not in marks
                and view.text_view.document() is not None
                and view.text_view.document().size > 0
            ):
                marks["first_screen"] = time.perf_counter()
            return False

    idle_rss = _current_rss_mb()
    watch = PaintWatch()
    view.text_view.viewport().installEventFilter(watch)

    worst = [0.0, 0.0]  # longest gap and when it ended

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        if gaps[-1] > worst[0]:
            worst[:] = [gaps[-1], now]
        last[0] = now

    timer = QTimer(interval=5, timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    view.formatted.connect(lambda: marks.setdefault("formatted", time.perf_counter()))
    timer.start()
    start = last[0] = time.perf_counter()
    view.set_body(None, path, "application/json")
    deadline = start + 240
    while "formatted" not in marks and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    settle = time.perf_counter() + 0.5
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.001)
    # Scroll to the middle with the scrollbar and to the end with Ctrl+End.
    bar = view.text_view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    app.processEvents()
    view.text_view.setFocus()
    QTest.keyClick(view.text_view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    settle = time.perf_counter() + 0.3
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    doc = view.text_view.document()
    reached_end = doc is not None and doc.line_count - 1 in view.text_view.visible_lines()
    view.shutdown()
    return {
        "first_screen_s": marks.get("first_screen", float("nan")) - start,
        "formatted_s": marks.get("formatted", float("nan")) - start,
        "stall_ms": max(gaps) * 1000 if gaps else float("nan"),
        "stall_at_s": worst[1] - start,
        "rss_mb": _peak_rss_mb(),
        "idle_rss_mb": idle_rss,
        "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "reached_end": reached_end,
    }


def case_orjson(path: Path) -> dict:
    """In-process orjson loads + indented dumps (the formatting floor)."""
    import orjson

    data = path.read_bytes()
    start = time.perf_counter()
    orjson.dumps(orjson.loads(data), option=orjson.OPT_INDENT_2)
    return {"orjson_s": time.perf_counter() - start}


def case_plaintext(path: Path) -> dict:
    """QPlainTextEdit.setPlainText of the pretty text: its duration is the stall."""
    import orjson
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    app = QApplication.instance() or QApplication([])
    text = orjson.dumps(orjson.loads(path.read_bytes()), option=orjson.OPT_INDENT_2).decode()
    edit = QPlainTextEdit()
    edit.resize(1000, 700)
    edit.show()
    app.processEvents()
    start = time.perf_counter()
    edit.setPlainText(text)
    stall = time.perf_counter() - start
    app.processEvents()
    return {"plain_stall_ms": stall * 1000, "plain_total_s": time.perf_counter() - start}


def _run_case(case: str, path: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, __file__, "--case", case, "--file", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(rows: list[dict], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def main() -> None:
    """Generate bodies, run every case in fresh processes, print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--case")
    parser.add_argument("--file", type=Path)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 10, 50, 100])
    parser.add_argument("--generate", type=int)
    args = parser.parse_args()
    if args.generate:
        generate(args.file, args.generate)
        return
    if args.case:
        cases = {"viewer": case_viewer, "orjson": case_orjson, "plaintext": case_plaintext}
        print(json.dumps(cases[args.case](args.file)))
        return
    began = time.perf_counter()
    table, skipped = [], []
    with tempfile.TemporaryDirectory(prefix="bench-json-") as tmp:
        per_mb = 0.0
        for size in args.sizes:
            estimate = per_mb * size
            if per_mb and time.perf_counter() - began + estimate > TIME_BUDGET_S:
                skipped.append(size)
                continue
            case_start = time.perf_counter()
            path = Path(tmp) / f"{size}mb.json"
            # In a child, so this process stays small (see _peak_rss_mb).
            subprocess.run(
                [sys.executable, __file__, "--generate", str(size), "--file", str(path)],
                check=True,
                timeout=300,
            )
            viewer = [_run_case("viewer", path) for _ in range(RUNS)]
            floor = [_run_case("orjson", path) for _ in range(RUNS)]
            plain = [_run_case("plaintext", path) for _ in range(RUNS)] if size <= 10 else []
            body_mb = path.stat().st_size / 2**20
            table.append((size, body_mb, viewer, floor, plain))
            per_mb = (time.perf_counter() - case_start) / size
            path.unlink()
    print(
        "| body | first screen | formatted | longest stall | peak RSS (GUI) | RSS / body "
        "| growth over idle | child peak RSS | reached end | orjson in-process "
        "| QPlainTextEdit stall |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size, body_mb, viewer, floor, plain in table:
        rss = _median(viewer, "rss_mb")
        plain_text = f"{_median(plain, 'plain_stall_ms'):.0f} ms" if plain else "not run"
        print(
            f"| {size} MB | {_median(viewer, 'first_screen_s'):.2f} s "
            f"| {_median(viewer, 'formatted_s'):.2f} s | {_median(viewer, 'stall_ms'):.0f} ms "
            f"(max {max(r['stall_ms'] for r in viewer):.0f}) | {rss:.0f} MB "
            f"| {rss / body_mb:.1f}x | {rss - _median(viewer, 'idle_rss_mb'):.0f} MB "
            f"| {_median(viewer, 'child_rss_mb'):.0f} MB "
            f"| {all(r['reached_end'] for r in viewer)} | {_median(floor, 'orjson_s'):.2f} s "
            f"| {plain_text} |"
        )
    print(f"\nmedian of {RUNS} runs each; total {time.perf_counter() - began:.0f} s")
    if skipped:
        print(f"skipped (would exceed the {TIME_BUDGET_S} s budget): {skipped} MB")


if __name__ == "__main__":
    main()
