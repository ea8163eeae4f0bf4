"""The collection runner in the window: 10,000 requests with the window responsive.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_runner_window.py [--requests N]

The practice server runs in its own process (`python -m bundled_server`), as the window
starts it, so its work does not share this process's GIL. A collection of 100 GET
requests to `/health`, each with two assertions, is run for N/100 iterations by the
real main window's runner (offscreen), clicked as a user would. A 5 ms PreciseTimer on
the GUI thread records every gap of the event loop; the longest is the worst stall a
user could feel. RSS is read before the run, every 100 ms during it and after it.

Goals (issue 13): no GUI stall over 50 ms, memory bounded (rows hold no body; at most
26 whole responses are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GapMeter, table  # noqa: E402

PER_ITERATION = 100


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "bundled_server", "--port", "0"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    ready = json.loads(server.stdout.readline())
    return server, ready["url"]


def measure(total: int, path: str = "/health", expect: str = "200") -> dict[str, float]:
    """One run of `total` GETs of `path`, each asserting its status is `expect`."""
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from explorer.core.collection import Collection, RequestItem
    from explorer.core.model import Assertion, Operator, Request, Subject
    from explorer.core.storage.collection_files import save_collection
    from explorer.ui.widgets.theme import Theme, apply_theme
    from explorer.ui.window.main_window import MainWindow

    assert isinstance(app, QApplication)
    apply_theme(app, Theme.DARK)
    from explorer.qt.gc_guard import install

    install(app)  # as explorer.gui does: the cyclic collector runs on the GUI thread
    work = Path(tempfile.mkdtemp(prefix="bench-runner-"))
    os.environ.pop("API_EXPLORER_HOME", None)
    os.environ["API_EXPLORER_HOME"] = str(work / "home")
    server, base = start_server()
    try:
        checks = (
            Assertion(Subject.STATUS, Operator.EQ, expect),
            Assertion(Subject.DURATION, Operator.LT, "5000"),
        )
        items = tuple(
            RequestItem(Request(name=f"Request {i}", url=f"{base}{path}", assertions=checks))
            for i in range(PER_ITERATION)
        )
        save_collection(Collection("Bench", items=items), work / "bench")
        settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.show()
        root = window.workspace.open_collection(work / "bench").root
        runner = window.run_actions.run(root, "")
        runner.resize(1280, 720)
        runner.setup.iterations_spin.setValue(max(1, total // PER_ITERATION))
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)

        rss = [_rss_mb()]
        before = rss[0]
        done = [False]

        meter = GapMeter()
        gaps = meter.gaps
        # Baseline in the same run: the same timer with the window open and idle, for
        # 3 s (how long the machine itself keeps the event loop waiting).
        idle = QEventLoop()
        QTimer.singleShot(3000, idle.quit)
        meter.start()
        idle.exec()
        meter.stop()
        idle_gaps = sorted(gaps)
        gaps.clear()
        sampler = QTimer(interval=100)
        sampler.timeout.connect(lambda: rss.append(_rss_mb()))
        # The window's own event loop runs (as in the app), not a Python polling loop:
        # every trip through Python on the GUI thread has to win the GIL back from the
        # run's thread, and a polling loop would add trips of its own.
        loop = QEventLoop()
        runner.worker.finished.connect(lambda _summary: done.__setitem__(0, True))
        runner.worker.finished.connect(loop.quit)
        QTimer.singleShot(900_000, loop.quit)
        meter.start()
        sampler.start()
        started = time.perf_counter()
        runner.setup.run_button.click()
        loop.exec()
        elapsed = time.perf_counter() - started
        meter.stop()
        sampler.stop()
        after = _rss_mb()
        model = runner.results.model
        counted = model.totals.requests
        passed = model.totals.passed
        gaps.sort()
        kept = runner.store.kept()
        runner.close()
        window.close()
        return {
            "kept": kept,
            "requests": counted,
            "passed": passed,
            "elapsed_s": elapsed,
            "per_second": counted / elapsed if elapsed else 0.0,
            "stall_ms": gaps[-1] * 1000 if gaps else float("nan"),
            "p99_gap_ms": gaps[int(len(gaps) * 0.99)] * 1000 if gaps else float("nan"),
            "rss_before_mb": before,
            "rss_peak_mb": max(rss),
            "rss_after_mb": after,
            "batches": model.batches,
            "idle_stall_ms": idle_gaps[-1] * 1000 if idle_gaps else float("nan"),
            "idle_p99_ms": idle_gaps[int(len(idle_gaps) * 0.99)] * 1000 if idle_gaps else 0.0,
        }
    finally:
        server.terminate()
        server.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=2_000, help="requests of the 256 KiB case")
    args = parser.parse_args()
    result = _in_child(args.requests, "/health", "200")
    large = _in_child(args.large, "/range/262144", "201") if args.large else None
    growth = result["rss_peak_mb"] - result["rss_before_mb"]
    rows = [
        ["requests run / passed", f"{result['requests']:,.0f} / {result['passed']:,.0f}", ""],
        [
            "wall time",
            f"{result['elapsed_s']:.1f} s ({result['per_second']:.0f} requests/s)",
            "",
        ],
        ["longest GUI stall (5 ms timer)", f"{result['stall_ms']:.1f} ms", "≤ 50 ms"],
        ["99th percentile timer gap", f"{result['p99_gap_ms']:.1f} ms", ""],
        [
            "baseline: the window idle, 3 s (longest / p99)",
            f"{result['idle_stall_ms']:.1f} / {result['idle_p99_ms']:.1f} ms",
            "",
        ],
        ["batches inserted into the model", f"{result['batches']:,.0f}", ""],
        [
            "RSS before → peak → after",
            f"{result['rss_before_mb']:.0f} → {result['rss_peak_mb']:.0f} → "
            f"{result['rss_after_mb']:.0f} MiB (growth {growth:.0f} MiB)",
            "bounded",
        ],
    ]
    if large is not None:
        large_growth = large["rss_peak_mb"] - large["rss_before_mb"]
        rows += [
            [
                f"{args.large:,} GETs of 256 KiB, every one failing: longest stall / p99",
                f"{large['stall_ms']:.1f} / {large['p99_gap_ms']:.1f} ms",
                "≤ 50 ms",
            ],
            [
                f"the same ({args.large * 0.25:,.0f} MiB of bodies): RSS growth",
                f"{large_growth:.0f} MiB, {large['kept']:.0f} responses kept",
                "bounded",
            ],
        ]
    title = (
        f"Collection runner in the window, {args.requests:,} GETs with two assertions each "
        "against the practice server (its own process)"
    )
    print(table(title, ["measure", "this run", "goal"], rows))
    return 0 if result["requests"] == args.requests else 1


def _in_child(total: int, path: str, expect: str) -> dict[str, float]:
    """`measure` in a fresh process, so one case's memory does not count in the next."""
    out = subprocess.run(
        [sys.executable, __file__, "--case", str(total), path, expect],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=1200,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--case":
        print(json.dumps(measure(int(sys.argv[2]), sys.argv[3], sys.argv[4])))
        sys.exit(0)
    sys.exit(main())
