"""Helpers shared by the benchmark scripts: medians, tables, child-process timing."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def median(values: list[float]) -> float:
    return statistics.median(values)


def run_process(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds from spawn to exit, and the child's peak RSS in MiB."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024.0


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0–1) of `values` lie; 0 for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, ready to paste into BENCHMARKS.md."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    out = [f"### {title}", "", line(header), rule]
    out += [line(r) for r in rows]
    return "\n".join(out) + "\n"


def compile_bytecode() -> None:
    """Compile the project's modules to `__pycache__` first, as `pip install` does for
    the libraries in site-packages: start-up is then measured the way an installed app
    starts, not with Python recompiling every source file (this machine sets
    PYTHONDONTWRITEBYTECODE, so nothing is cached otherwise). Unchanged files are
    skipped."""
    import compileall

    for package in ("explorer", "bundled_server"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def python() -> str:
    return sys.executable


def offscreen_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


class GapMeter:
    """How long the GUI thread's event loop kept a 5 ms timer waiting: `gaps` holds the
    time between ticks (seconds), so the longest is the longest stall. Qt is imported
    when one is made (the CLI benchmarks do not load it)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer(interval=5, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self.reset()
        self._timer.start()

    def reset(self) -> None:
        """Forget the gaps so far; the next one counts from now."""
        self.gaps.clear()
        self._last = time.perf_counter()

    def stop(self) -> None:
        self._timer.stop()

    def longest_ms(self) -> float:
        return max(self.gaps) * 1000 if self.gaps else float("nan")

    def p99_ms(self) -> float:
        return percentile(self.gaps, 0.99) * 1000


def idle_request_tab_gaps(seconds: float = 3.0) -> tuple[float, float]:
    """The longest and 99th-percentile gap (ms) of a 5 ms timer while a request tab
    (1280×720) stands open and idle: the baseline the machine itself adds, measured in
    the same run as the streams it is compared with."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from explorer.ui.window.request_tab import RequestTab

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    tab = RequestTab()
    tab.resize(1280, 720)
    tab.show()
    meter = GapMeter()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    meter.start()
    loop.exec()
    meter.stop()
    tab.shutdown()
    return meter.longest_ms(), meter.p99_ms()


def start_practice_server() -> tuple[object, str]:
    """The practice server on a free port of 127.0.0.1, in this process's threads (a
    benchmark's baseline and the app then share one machine's cores the same way);
    returns the server (to shut down) and its base URL."""
    import logging
    import threading

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from bundled_server import create_app

    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.port}"


def iter_content_seconds(url: str) -> tuple[float, int]:
    """The download baseline of bench_download and bench_gigabyte: requests'
    `iter_content(64 KiB)` of `url` into memory; seconds and bytes received."""
    import requests

    started = time.perf_counter()
    buffer = bytearray()
    with requests.get(url, stream=True) as response:
        for chunk in response.iter_content(65536):
            buffer += chunk
    return time.perf_counter() - started, len(buffer)
