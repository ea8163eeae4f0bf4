"""A server not written in the project (the standard library's ThreadingHTTPServer) for
the load tests: it counts every request it receives, answers after a known delay, and
plays a login: `POST /login` returns {"token": "t-<n>"}, a distinct token per call, and
`GET /me` answers 200 only with `Authorization: Bearer <a token it gave>` (else 401).

    with counting_server(delay=0.02) as server:
        server.url, server.count, server.seen_tokens
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Counter:
    url: str = ""
    delay: float = 0.0
    count: int = 0
    given: set[str] = field(default_factory=set)
    seen_tokens: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.count = 0
            self.given.clear()
            self.seen_tokens.clear()


@contextmanager
def counting_server(delay: float = 0.0) -> Iterator[Counter]:
    counter = Counter(delay=delay)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real server
        # One write per response with Nagle off: else the client's delayed ACK adds 40 ms.
        disable_nagle_algorithm = True
        wbufsize = 64 * 1024

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes) -> None:
            time.sleep(counter.delay)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            with counter.lock:
                counter.count += 1
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ")
                if self.path.startswith("/me"):
                    counter.seen_tokens.append(token)
                    ok = token in counter.given
                else:
                    ok = True
            if self.path.startswith("/status/"):
                self._answer(int(self.path.rsplit("/", 1)[1]), b"{}")
            elif ok:
                self._answer(200, b'{"ok": true}')
            else:
                self._answer(401, b'{"ok": false}')

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with counter.lock:
                counter.count += 1
                token = f"t-{len(counter.given) + 1}"
                counter.given.add(token)
            self._answer(200, json.dumps({"token": token}).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    counter.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield counter
    finally:
        server.shutdown()
        server.server_close()
