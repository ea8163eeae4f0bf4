"""Download throughput of a 100 MiB body: the app's transport against raw requests.

The source is a minimal socket server on loopback that writes a prepared buffer, so the
client is what is measured (a Python WSGI server tops out well below the client). The
app's transport streams 64 KiB chunks, reports throttled progress and spools the body to
a temp file past its threshold; the baseline is `iter_content(64 KiB)` into memory.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common import iter_content_seconds, median, table

SIZE = 100 * 1024 * 1024
RUNS = 5


def blast_server() -> tuple[socket.socket, str]:
    payload = memoryview(b"x" * SIZE)
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {SIZE}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n".encode()  # noqa: E501
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                try:
                    conn.sendall(head)
                    conn.sendall(payload)
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}/"


def main() -> str:

    from explorer.core.http.transport import Transport
    from explorer.core.model import Request

    listener, url = blast_server()
    spool = Path(tempfile.mkdtemp(prefix="bench-spool-"))
    transport = Transport(spool_dir=spool)
    updates: list[int] = []

    def app() -> float:
        started = time.perf_counter()
        response = transport.send(Request(url=url), progress=lambda r, t: updates.append(r))
        elapsed = time.perf_counter() - started
        assert response.body_size == SIZE
        if response.body_path:
            response.body_path.unlink()
        return elapsed

    def raw() -> float:
        seconds, received = iter_content_seconds(url)
        assert received == SIZE
        return seconds

    app(), raw()
    app_times, raw_times = [], []
    for _ in range(RUNS):
        raw_times.append(raw())
        app_times.append(app())
    listener.close()
    mib = SIZE / (1024 * 1024)
    r, a = mib / median(raw_times), mib / median(app_times)
    per_run = len(updates) / (RUNS + 1)
    rows = [
        ["requests iter_content(64 KiB) into memory (baseline)", f"{r:.0f} MiB/s", "1.00×"],
        [
            f"API Explorer transport, spooled to disk, ~{per_run:.0f} progress updates",
            f"{a:.0f} MiB/s",
            f"{a / r:.2f}×",
        ],
    ]
    return table(
        f"Download of 100 MiB on loopback (median of {RUNS}, goal ≥ 0.9×)",
        ["client", "throughput", "ratio"],
        rows,
    )


if __name__ == "__main__":
    print(main())
