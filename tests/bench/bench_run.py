"""`python -m explorer run` of 200 sequential GETs with two assertions each, as a whole
process, against a plain `requests.Session` loop making the same checks (a whole
process too), both against the practice server in the same run. Goal: at most 1.3×.

When newman is installed (NEWMAN=path, or `npm install --prefix .tools newman`), the
same 200 requests and checks run with it as well, for reference (not part of the goal).
The same run with `--explain` (every response explained by every rule) is shown apart.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common import ROOT, median, python, table

RUNS = 7
REQUESTS = 200
NAME = "Practice Library"  # what /json's $.library.name holds


def run_process(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds from spawn to exit and the child's CPU seconds (user + system): on
    a shared machine the wall time swings with the load, the CPU time much less."""
    import subprocess
    import time

    started = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_utime + usage.ru_stime


def _newman() -> str | None:
    for candidate in (
        os.environ.get("NEWMAN", ""),
        str(ROOT / ".tools" / "node_modules" / ".bin" / "newman"),  # npm install --prefix .tools
        shutil.which("newman") or "",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _collection(folder: Path, url: str) -> None:
    from explorer.core.collection import Collection, RequestItem
    from explorer.core.model import Assertion, Operator, Request, Subject
    from explorer.core.storage.collection_files import CollectionStore

    checks = (
        Assertion(Subject.STATUS, Operator.EQ, "200"),
        Assertion(Subject.JSONPATH, Operator.EQ, NAME, argument="$.library.name"),
    )
    items = tuple(
        RequestItem(Request(name=f"get {i:03}", url=url, assertions=checks))
        for i in range(REQUESTS)
    )
    CollectionStore(folder).save(Collection(name="bench", items=items))


def _empty_collection(folder: Path) -> None:
    """A collection without requests: what `run` costs before its first request
    (start-up, imports, reading the settings), shown apart from the goal."""
    from explorer.core.collection import Collection
    from explorer.core.storage.collection_files import CollectionStore

    CollectionStore(folder).save(Collection(name="empty"))


def _loop_script(path: Path, url: str) -> None:
    path.write_text(
        "import sys, requests\n"
        "session = requests.Session()\n"
        "failed = 0\n"
        f"for _ in range({REQUESTS}):\n"
        f"    r = session.get({url!r})\n"
        "    failed += r.status_code != 200\n"
        f"    failed += r.json()['library']['name'] != {NAME!r}\n"
        "sys.exit(1 if failed else 0)\n"
    )


def _postman(path: Path, url: str) -> None:
    test = [
        "pm.test('status', () => pm.response.to.have.status(200));",
        f"pm.test('name', () => pm.expect(pm.response.json().library.name).to.eql({NAME!r}));",
    ]
    item = {
        "request": {"method": "GET", "url": url},
        "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": test}}],
    }
    document = {
        "info": {
            "name": "bench",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [{**item, "name": f"get {i:03}"} for i in range(REQUESTS)],
    }
    path.write_text(json.dumps(document))


def main() -> str:
    import logging

    from werkzeug.serving import make_server

    from bundled_server import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.port}/json"
    work = Path(tempfile.mkdtemp(prefix="bench-run-"))
    _collection(work / "bench", url)
    _loop_script(work / "loop.py", url)
    _empty_collection(work / "empty")
    env = {"API_EXPLORER_HOME": str(work / "home"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    commands = {
        "python loop_requests.py (Session, same checks)": [python(), str(work / "loop.py")],
        "python -m explorer run bench/": [python(), "-m", "explorer", "run", str(work / "bench")],
        "python -m explorer run bench/ --explain (not in the goal)": [
            python(), "-m", "explorer", "run", str(work / "bench"), "--explain",
        ],
        "python -m explorer run empty/ (start-up only)": [
            python(), "-m", "explorer", "run", str(work / "empty"),
        ],
    }  # fmt: skip
    newman = _newman()
    if newman:
        _postman(work / "bench.postman_collection.json", url)
        commands["newman run (reference)"] = [
            newman, "run", str(work / "bench.postman_collection.json"), "--reporters", "cli",
        ]  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for args in commands.values():  # warm the page cache and the server
        run_process(args, env)
    for _ in range(RUNS):
        for name, args in commands.items():
            wall, used = run_process(args, env)
            times[name].append(wall)
            cpu[name].append(used)
    server.shutdown()
    shutil.rmtree(work, ignore_errors=True)
    loop = "python loop_requests.py (Session, same checks)"
    base, base_cpu = median(times[loop]), median(cpu[loop])
    rows = [
        [
            name,
            f"{median(values):.2f} s",
            f"{median(values) / base:.2f}×",
            f"{median(cpu[name]):.2f} s ({median(cpu[name]) / base_cpu:.2f}×)",
        ]
        for name, values in times.items()
    ]
    title = (
        f"run: {REQUESTS} GETs with two assertions each, whole process "
        f"(median of {RUNS}, goal ≤ 1.3× the requests loop)"
    )
    header = ["command", "median", "ratio to the requests loop", "CPU (ratio)"]
    return table(title, header, rows)


if __name__ == "__main__":
    print(main())
