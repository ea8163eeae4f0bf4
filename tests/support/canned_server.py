"""A raw-socket HTTP/1.1 server on 127.0.0.1 that answers each path with a response
written byte for byte: the mistakes no framework lets a test make (a 201 without
Location, a Set-Cookie the explainer must not quote into a report) for the explainer's
run tests. One request per connection (`Connection: close`), each on its own thread.

    with CannedServer({"/created": canned(201, "Created", [("Content-Type", "text/plain")],
                                           b"made")}) as server:
        server.url + "/created"
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Mapping, Sequence

from tests.support.hostile_server import HostileServer

NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def canned(
    status: int, reason: str, headers: Sequence[tuple[str, str]] = (), body: bytes = b""
) -> bytes:
    """A whole response: the status line, `headers` as given, Content-Length and
    Connection: close added, then `body`."""
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{name}: {value}" for name, value in headers)]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class CannedServer:
    """Answers `responses[path]` (the path without its query), 404 for anything else."""

    def __init__(self, responses: Mapping[str, bytes]) -> None:
        self.responses = dict(responses)
        self._server = HostileServer(self._answer)
        self.url = f"http://127.0.0.1:{self._server.port}"
        self.paths: list[str] = []  # every path asked for, in order
        self._lock = threading.Lock()

    def _answer(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")[1:]
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        while len(body) < length:  # read the request body so the client is not reset
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
        path = target.split("?", 1)[0]
        with self._lock:
            self.paths.append(path)
        conn.sendall(self.responses.get(path, NOT_FOUND))

    def close(self) -> None:
        self._server.close()

    def __enter__(self) -> CannedServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
