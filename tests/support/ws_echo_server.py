"""A WebSocket echo server from a well-known library (websockets' own sync server) on
127.0.0.1, the outside server the client is checked against: it echoes each message,
answers `close:CODE:REASON` by closing with that code, `drop` by ending the socket without
a close frame, and refuses the path /refuse."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Response
from websockets.sync.server import ServerConnection, serve


def _echo(connection: ServerConnection) -> None:
    try:
        for message in connection:
            if message == "drop":  # the connection lost: no close frame, the socket ends
                connection.close_socket()
                return
            if isinstance(message, str) and message.startswith("close:"):
                _, code, reason = message.split(":", 2)
                connection.close(int(code), reason)
                return
            connection.send(message)
    except ConnectionClosed:
        pass  # a client that dropped the connection (the tests' aborts)


def _refuse(connection: ServerConnection, request: Any) -> Response | None:
    if request.path == "/refuse":
        body = b"no sockets for you"
        return Response(403, "Forbidden", Headers([("Content-Length", str(len(body)))]), body)
    return None


@contextmanager
def ws_echo_server() -> Iterator[str]:
    """The server's ws:// URL while it runs; it echoes on every path but /refuse."""
    with serve(_echo, "127.0.0.1", 0, process_request=_refuse, subprotocols=None) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        try:
            yield f"ws://127.0.0.1:{port}"
        finally:
            server.shutdown()
            thread.join(5)
