"""A raw-socket server on 127.0.0.1 that misbehaves as a handler says: never answer a TLS
handshake, send 100 Continue for ever, trickle a body, inflate a gzip bomb … No framework
lets a server misbehave like that. Used by the transport's tests and benchmarks."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

Handler = Callable[[socket.socket], None]


class HostileServer:
    """Accepts connections on 127.0.0.1 and hands each to `handler` on its own thread."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self.handler(conn)
        except OSError:
            pass  # the client went away: that is the point of most cases
        finally:
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.listener.close()
        for conn in self.connections:
            conn.close()


def read_request(conn: socket.socket) -> None:
    """Read up to the end of a request's headers (the body, if any, is left unread)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise OSError("client closed")
        data += chunk
