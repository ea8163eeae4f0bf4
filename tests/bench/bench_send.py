"""Send overhead: a small GET through the app's whole path against plain requests.

The app's path is: variables resolved, RequestRunner hands the request to the thread
pool, the instrumented transport sends it, the result comes back as a signal on the GUI
thread. The baseline is `requests.Session().get()` in the same process, to the same
server, interleaved in blocks so both see the same machine noise.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from common import median, start_practice_server, table

ROUNDS = 5
PER_ROUND = 100


def main() -> str:
    import requests
    from PySide6.QtCore import QCoreApplication, QEventLoop, QThreadPool

    from explorer.core.model import Pair, Request
    from explorer.core.resolve.variables import Scope, resolve_request
    from explorer.qt.runner import RequestRunner

    app = QCoreApplication.instance() or QCoreApplication([])
    server, base = start_practice_server()
    url = f"{base}/json"
    session = requests.Session()
    runner = RequestRunner()
    scopes = [Scope("environment", {"base": base})]
    template = Request(url="{{base}}/json", headers=(Pair("Accept", "application/json"),))
    loop = QEventLoop()
    runner.finished.connect(lambda *_: loop.quit())
    runner.failed.connect(lambda *_: loop.quit())

    def app_path() -> float:
        started = time.perf_counter()
        runner.send(resolve_request(template, scopes))
        loop.exec()
        return time.perf_counter() - started

    def plain() -> float:
        started = time.perf_counter()
        response = session.get(url, headers={"Accept": "application/json"})
        assert response.content
        return time.perf_counter() - started

    for _ in range(20):
        app_path(), plain()
    app_times: list[float] = []
    plain_times: list[float] = []
    for _ in range(ROUNDS):
        plain_times += [plain() for _ in range(PER_ROUND)]
        app_times += [app_path() for _ in range(PER_ROUND)]
    QThreadPool.globalInstance().waitForDone(5000)
    server.shutdown()
    del app
    p, a = median(plain_times) * 1000, median(app_times) * 1000
    app_label = "API Explorer: resolve → worker → timed transport → GUI signal"
    rows = [
        ["requests.Session().get() (baseline)", f"{p:.2f} ms", "1.00×"],
        [app_label, f"{a:.2f} ms", f"{a / p:.2f}×"],
    ]
    n = ROUNDS * PER_ROUND
    return table(
        f"Send overhead, small GET on loopback (median of {n}, goal ≤ 1.3×)",
        ["path", "median", "ratio"],
        rows,
    )


if __name__ == "__main__":
    print(main())
