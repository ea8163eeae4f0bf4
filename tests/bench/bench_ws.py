"""A WebSocket receiving 10,000 messages a second, live in a request tab, with the window
responsive.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_ws.py [--seconds 3]

The server is websockets' own (`websockets.sync.server.serve`, written outside the
project) in a process of its own, so that its work does not share this process's GIL:
on connect it sends small JSON messages ({"n": …}) on a fixed schedule, 10 every
millisecond, then closes with 1000. A real RequestTab (1280×720, dark theme), whose
response tabs a first short connection has built, connects (method WS) and shows the
messages live until the server closes; a 5 ms PreciseTimer on the GUI thread records
every gap of the event loop. Reported: messages shown, the rate, the longest gap and the
99th percentile.

Goal (issue 17): 10,000 incoming messages a second keep the window responsive (no GUI
stall over 50 ms).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GapMeter, idle_request_tab_gaps, percentile, table  # noqa: E402

SERVER = """
import sys, threading, time
from websockets.sync.server import serve

RATE, SECONDS = int(sys.argv[1]), float(sys.argv[2])

def handler(ws):
    _, _, count = ws.request.path.partition("count=")
    total = int(count) if count else int(RATE * SECONDS)
    start, sent = time.perf_counter(), 0
    while sent < total:
        due = min(total, int((time.perf_counter() - start) * RATE) + 1)
        while sent < due:
            ws.send('{"n": %d, "kind": "tick", "text": "message of a steady stream"}' % sent)
            sent += 1
        time.sleep(0.001)
    ws.close(1000, "done")

with serve(handler, "127.0.0.1", 0) as server:
    print("ws://127.0.0.1:%d" % server.socket.getsockname()[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
"""


def measure(rate: int, seconds: float) -> list[str]:
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
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(rate), str(seconds)], cwd=ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    try:
        tab = RequestTab()
        tab.resize(1280, 720)
        tab.show()
        meter = GapMeter()
        loop = QEventLoop()

        def connect_until_closed(target: str) -> None:
            tab.load(Request(method="WS", url=target))
            tab.send()
            QTimer.singleShot(int(seconds * 1000) + 20_000, loop.quit)
            session = tab._websocket
            assert session is not None
            session.closed.connect(loop.quit)
            session.failed.connect(loop.quit)
            loop.exec()

        # A first short connection builds the response tabs and the live panel. Then one
        # full collection, as a window open for a while has had (qt/gc_guard): otherwise
        # the next collection of the young generations scans all that start-up made
        # (45 ms here), which no stream of a window in use meets.
        connect_until_closed(url + "/?count=20")
        import gc

        gc.collect()
        started = time.perf_counter()
        meter.start()
        connect_until_closed(url + "/")
        wall = time.perf_counter() - started
        QTimer.singleShot(200, loop.quit)  # the last batch reaches the table
        loop.exec()
        meter.stop()
        panel = tab._ws_panel
        assert panel is not None
        shown = [m for m in panel.log.model.messages() if m.direction == "in"]
        gaps_ms = [g * 1000 for g in meter.gaps]
        tab.shutdown()
        QThreadPool.globalInstance().waitForDone(5000)
        return [
            f"{rate:,}/s for {seconds:g} s",
            f"{len(shown):,}",
            f"{len(shown) / wall:,.0f}/s",
            f"{max(gaps_ms):.1f} ms",
            f"{percentile(gaps_ms, 0.99):.1f} ms",
        ]
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.terminate()
        server.wait(5)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rate", type=int, default=10_000)
    args = parser.parse_args()
    rows = [measure(args.rate, args.seconds)]
    longest, p99 = idle_request_tab_gaps()
    rows.append(["(baseline: the tab idle)", "-", "-", f"{longest:.1f} ms", f"{p99:.1f} ms"])
    print(
        table(
            "WebSocket messages live in a request tab, from websockets' own server "
            "(goal: longest GUI gap ≤ 50 ms)",
            ["stream", "messages shown", "rate", "longest gap", "p99 gap"],
            rows,
        )
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
