"""Server-sent events at 1,000 a second, live in a request tab, with the window responsive.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_sse.py [--seconds 5]

Two servers, each in a process of its own (so that their work does not share this
process's GIL): the practice server's `/sse?count=N&interval=0.001`, and a raw-socket
server written outside the project (tests/support/sse_server.PacedEventServer) writing
one event every millisecond on a fixed schedule. A real RequestTab (1280×720, dark
theme), whose response tabs a first short stream has built, sends the request and
shows the stream live until it ends; a 5 ms PreciseTimer
on the GUI thread records every gap of the event loop. Reported: the longest gap and the
99th percentile, the events shown, the rate, and how the events' times (at_ms) follow
the server's 1 ms interval (median gap and p99).

Goal (issue 17): no GUI stall over 50 ms at 1,000 events a second.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GapMeter, idle_request_tab_gaps, percentile, table  # noqa: E402

RAW_SERVER = """
import sys, time
from tests.support.sse_server import PacedEventServer
server = PacedEventServer(count=int(sys.argv[1]), interval=0.001)
print(server.url, flush=True)
sys.stdin.read()
server.close()
"""


def start(kind: str, count: int) -> tuple[subprocess.Popen[str], str]:
    if kind == "practice":
        args = [sys.executable, "-m", "bundled_server", "--port", "0"]
    else:
        args = [sys.executable, "-c", RAW_SERVER, str(count)]
    server = subprocess.Popen(
        args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    line = server.stdout.readline()
    if kind == "practice":
        return server, json.loads(line)["url"] + f"/sse?count={count}&interval=0.001"
    return server, line.strip()


def measure(kind: str, seconds: float) -> list[str]:
    from PySide6.QtCore import QEventLoop, QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    from explorer.core.model import Request
    from explorer.qt.gc_guard import install
    from explorer.ui.widgets.theme import Theme, apply_theme
    from explorer.ui.window.request_tab import RequestTab

    apply_theme(app, Theme.DARK)
    install(app)
    count = int(seconds * 1000)
    server, url = start(kind, count)
    warm_up = url.replace(f"count={count}", "count=5") if kind == "practice" else url + "?count=5"
    try:
        tab = RequestTab()
        tab.resize(1280, 720)
        tab.show()
        meter = GapMeter()
        loop = QEventLoop()
        tab.runner.finished.connect(loop.quit)
        tab.runner.failed.connect(loop.quit)
        # A first stream of a few events builds the response tabs (as any first
        # response of a tab does, stream or not): the measure is of a stream itself.
        tab.load(Request(url=warm_up))
        tab.send()
        loop.exec()
        tab.load(Request(url=url))
        QTimer.singleShot(int(seconds * 1000) + 20_000, loop.quit)
        started = time.perf_counter()
        meter.start()
        tab.send()
        loop.exec()
        meter.stop()
        wall = time.perf_counter() - started
        panel = tab.response_view.parts.events_panel
        shown = panel.view.model.messages() if panel is not None else []
        gaps_ms = [g * 1000 for g in meter.gaps]
        event_gaps = [b.at_ms - a.at_ms for a, b in itertools.pairwise(shown)]
        tab.shutdown()
        QThreadPool.globalInstance().waitForDone(5000)
        return [
            kind,
            f"{len(shown):,}",
            f"{len(shown) / wall:,.0f}/s",
            f"{max(gaps_ms):.1f} ms",
            f"{percentile(gaps_ms, 0.99):.1f} ms",
            f"{statistics.median(event_gaps):.2f} ms" if event_gaps else "-",
            f"{percentile(event_gaps, 0.99):.2f} ms" if event_gaps else "-",
        ]
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.terminate()
        server.wait(5)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    rows = [measure(kind, args.seconds) for kind in ("practice", "raw")]
    longest, p99 = idle_request_tab_gaps()
    idle = ["(baseline: the tab idle)", "-", "-", f"{longest:.1f} ms", f"{p99:.1f} ms"]
    rows.append([*idle, "-", "-"])
    print(
        table(
            f"Server-sent events at 1,000/s for {args.seconds:g} s, live in a request tab "
            "(goal: longest GUI gap ≤ 50 ms)",
            ["server", "events shown", "rate", "longest gap", "p99 gap",
             "event gap (median)", "event gap p99"],
            rows,
        )
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
