"""`python -m explorer load` of a one-request collection against a hand-written Locust
file making the same request and check (Locust's HttpUser, `catch_response` and a
status check), same users, same duration, one process each, alternating. Goal: the
collection's load reaches at least 0.8× the hand-written file's requests per second.

The target is a raw asyncio socket server in its own process answering every request
with a fixed keep-alive response (no HTTP library, no parsing beyond the end of the
headers): it serves many times what one Locust process can send, so the load generator,
not the target, is what is measured.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common import ROOT, median, table

RUNS = int(os.environ.get("BENCH_LOAD_RUNS", 5))  # the machine is shared: a median of 5
USERS = 10
SECONDS = 5
TARGET = textwrap.dedent(
    """
    import asyncio, sys
    ANSWER = (b"HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n"
              b"Content-Length: 12\\r\\n\\r\\n{\\"ok\\": true}")  # 12 bytes
    async def serve(reader, writer):
        buffer = b""
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                buffer += data
                while b"\\r\\n\\r\\n" in buffer:
                    _, buffer = buffer.split(b"\\r\\n\\r\\n", 1)
                    writer.write(ANSWER)
        except ConnectionError:
            pass
        writer.close()
    async def main():
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()
    asyncio.run(main())
    """
)
LOCUSTFILE = textwrap.dedent(
    """
    from locust import HttpUser, constant, task

    class Items(HttpUser):
        wait_time = constant(0)

        @task
        def items(self):
            with self.client.get("/items", name="items", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"status == 200: got {response.status_code}")
    """
)


def _collection(folder: Path, url: str) -> None:
    from explorer.core.collection import Collection, RequestItem
    from explorer.core.model import Assertion, Operator, Request, Subject
    from explorer.core.storage.collection_files import CollectionStore

    check = (Assertion(Subject.STATUS, Operator.EQ, "200"),)
    request = Request(name="items", url=f"{url}/items", assertions=check)
    CollectionStore(folder).save(Collection(name="bench", items=(RequestItem(request),)))


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _ours(folder: Path, env: dict[str, str]) -> tuple[int, int]:
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "load", str(folder), "--users", str(USERS),
         "--spawn-rate", str(USERS), "--duration", f"{SECONDS}s", "--progress", "json"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    total = json.loads(result.stdout.splitlines()[-1])["total"]
    return total["requests"], total["failures"]


def _locust(locustfile: Path, url: str, env: dict[str, str]) -> tuple[int, int]:
    result = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "--host", url,
         "-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS}s", "--json", "--loglevel",
         "ERROR"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    entries = json.loads(result.stdout)
    return sum(e["num_requests"] for e in entries), sum(e["num_failures"] for e in entries)


def main() -> str:
    target = subprocess.Popen(
        [sys.executable, "-c", TARGET], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert target.stdout is not None
        url = f"http://127.0.0.1:{target.stdout.readline().strip()}"
        with tempfile.TemporaryDirectory() as scratch:
            home = Path(scratch)
            env = dict(os.environ, API_EXPLORER_HOME=str(home / "home"))
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
            folder = home / "collection"
            _collection(folder, url)
            locustfile = home / "locustfile.py"
            locustfile.write_text(LOCUSTFILE)
            ours, theirs, our_cpu, their_cpu = [], [], [], []
            for _ in range(RUNS):
                cpu = _children_cpu()
                requests, failures = _locust(locustfile, url, env)
                assert failures == 0, failures
                theirs.append(requests / SECONDS)
                their_cpu.append((_children_cpu() - cpu) / requests * 1e6)
                cpu = _children_cpu()
                requests, failures = _ours(folder, env)
                assert failures == 0, failures
                ours.append(requests / SECONDS)
                our_cpu.append((_children_cpu() - cpu) / requests * 1e6)
    finally:
        target.terminate()
        target.wait()
    ratio = median(ours) / median(theirs)
    rows = [
        ["hand-written locustfile (HttpUser)", f"{median(theirs):,.0f}", "1.00",
         f"{median(their_cpu):,.0f}"],
        ["`explorer load` of the collection", f"{median(ours):,.0f}", f"{ratio:.2f}",
         f"{median(our_cpu):,.0f}"],
    ]  # fmt: skip
    title = (
        f"Load test: requests per second, {USERS} users, {SECONDS} s, one process, "
        f"median of {RUNS} (goal ≥ 0.8×)"
    )
    header = ["generator", "requests/s", "ratio", "CPU µs/request (all its processes)"]
    return table(title, header, rows)


if __name__ == "__main__":
    print(main())
