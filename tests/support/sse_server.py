"""An event stream at a known rate from a server that shares no code with the project:
a raw socket on 127.0.0.1 that answers every request with `text/event-stream` and then
writes `count` events, one every `interval` seconds on a fixed schedule (event i is due
at start + i * interval, so a late one does not push the rest back), noting when each
left. Each event is `id: <n>`, `event: tick`, `data: {"n": <n>}`. With count 0 it writes
until the client goes away; a request's `?count=N` overrides the count for its stream.
The requests' Last-Event-ID headers are kept.

    with PacedEventServer(count=20, interval=0.01) as server:
        send(server.url)  ... server.sent_at[i] (perf_counter) for event i
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    b"Connection: close\r\n\r\n"
)
SLEEP_SLACK = 0.002  # sleep until this close to a due time, then spin: sleeps overshoot


class PacedEventServer:
    """Serves one event stream per connection, one connection at a time."""

    def __init__(self, count: int, interval: float, *, retry_ms: int = 0) -> None:
        self.count = count
        self.interval = interval
        self.retry_ms = retry_ms
        self.sent_at: list[float] = []  # perf_counter when each event of the last stream left
        self.last_event_ids: list[str] = []  # each request's Last-Event-ID ("" when none)
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._address = self._socket.getsockname()
        self.url = f"http://127.0.0.1:{self._address[1]}/events"
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            with connection:
                if self._stopping.is_set():
                    return
                with contextlib.suppress(OSError):
                    self._stream(connection)

    def _stream(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = connection.recv(4096)
            if not chunk:
                return
            head += chunk
        last_id = ""
        count = self.count
        target = head.split(b" ", 2)[1].decode("latin-1") if head.count(b" ") >= 2 else ""
        query = target.partition("?")[2]
        for pair in query.split("&"):
            name, _, value = pair.partition("=")
            if name == "count" and value.isdigit():
                count = int(value)
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"last-event-id":
                last_id = value.strip().decode("latin-1")
        self.last_event_ids.append(last_id)
        self.sent_at = []
        first = int(last_id) + 1 if last_id.isdigit() else 0
        connection.sendall(
            HEAD + (f"retry: {self.retry_ms}\n\n".encode() if self.retry_ms else b"")
        )
        start = time.perf_counter()
        number = 0
        while (count == 0 or number < count) and not self._stopping.is_set():
            due = start + number * self.interval
            while (left := due - time.perf_counter()) > 0:
                time.sleep(max(left - SLEEP_SLACK, 0) if left > SLEEP_SLACK else 0)
            n = first + number
            connection.sendall(f'id: {n}\nevent: tick\ndata: {{"n": {n}}}\n\n'.encode())
            self.sent_at.append(time.perf_counter())
            number += 1

    def close(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            socket.create_connection(self._address, timeout=1).close()
        self._socket.close()
        self._thread.join(5)

    def __enter__(self) -> PacedEventServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
