"""A raw-socket HTTP/1.1 server on 127.0.0.1 that answers each path with a response
written byte for byte: the mistakes no framework lets a test make (a 201 without
Location, a 204 with a body, a Set-Cookie the explainer must not quote into a report).

    with raw_server({"/created": canned(201, "Created", [("Content-Type", "text/plain")],
                                        b"made")}) as server:
        server.url + "/created"
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def canned(
    status: int, reason: str, headers: Sequence[tuple[str, str]] = (), body: bytes = b""
) -> bytes:
    """A whole response: the status line, `headers` as given, Content-Length and
    Connection: close added, then `body`."""
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{name}: {value}" for name, value in headers)]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class RawServer:
    """A loopback HTTP/1.1 server that answers each path with fixed bytes.

    `responses` maps a path (without query) to the bytes to send, or to a list of them
    sent in turn (the last one repeats), for a resource whose answer changes. `delays`
    holds seconds to wait before answering a path. Without `keep_alive` each connection
    is closed after one answer; with it, the next request may come on the same one."""

    def __init__(
        self,
        responses: Mapping[str, bytes | list[bytes]],
        *,
        delays: Mapping[str, float] | None = None,
        keep_alive: bool = False,
    ) -> None:
        self.responses = {
            path: list(answer) if isinstance(answer, list) else [answer]
            for path, answer in responses.items()
        }
        self.delays = dict(delays or {})
        self.keep_alive = keep_alive
        self.connections = 0
        self.paths: list[str] = []  # every path asked for, in order
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._address = self._socket.getsockname()
        self._stopping = False
        self.url = f"http://127.0.0.1:{self._address[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return  # closed
            if self._stopping:
                connection.close()
                self._socket.close()
                return
            self.connections += 1
            with connection:
                connection.settimeout(5)
                try:
                    while self._answer(connection) and self.keep_alive:
                        pass
                except OSError:
                    continue

    def _answer(self, connection: socket.socket) -> bool:
        """Answer one request; False when the client closed the connection."""
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = connection.recv(4096)
            if not chunk:
                return False
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                length = int(value)
        while len(rest) < length:
            chunk = connection.recv(4096)
            if not chunk:
                return False
            rest += chunk
        path = head.split(b" ", 2)[1].decode("latin-1").split("?", 1)[0]
        self.paths.append(path)
        answers = self.responses.get(path, [NOT_FOUND])
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if path in self.delays:
            time.sleep(self.delays[path])
        connection.sendall(answer)
        return True

    def close(self) -> None:
        # A close() does not wake a thread blocked in accept(): a last connection does.
        self._stopping = True
        with contextlib.suppress(OSError):
            socket.create_connection(self._address, timeout=1).close()
        self._thread.join(5)

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@contextmanager
def raw_server(
    responses: Mapping[str, bytes | list[bytes]],
    *,
    delays: Mapping[str, float] | None = None,
    keep_alive: bool = False,
) -> Iterator[RawServer]:
    server = RawServer(responses, delays=delays, keep_alive=keep_alive)
    try:
        yield server
    finally:
        server.close()
