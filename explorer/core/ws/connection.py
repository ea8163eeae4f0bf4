"""One WebSocket connection: opened over a socket we open (so each phase is timed), the
upgrade done by websockets' sync client, then messages both ways as `StreamMessage`s.

Threads: `open_connection` and `WsConnection.receive` block and run on a worker (the
window's session thread, or the run's thread); `send`, `ping` and `close` may be called
from another thread (websockets' sync connection locks its writes). websockets reads the
socket on a thread of its own; control frames seen there (ping, pong, close) reach
`on_message` from it, data messages from the thread in `receive`.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.frames import Close, Frame, Opcode
from websockets.http11 import Response as WsResponse
from websockets.protocol import State
from websockets.sync.client import ClientConnection, connect

from explorer.core.http.exchange import Response, SentRequest, Timing
from explorer.core.model import Request
from explorer.core.streams import StreamMessage
from explorer.core.ws import sockets
from explorer.core.ws.handshake import handshake_headers, websocket_url
from explorer.core.ws.messages import DEFAULT_MAX_MESSAGE, close_text, data_message
from explorer.core.ws.problems import describe_open_error

MessageSink = Callable[[StreamMessage], None]
# At most this many received messages wait inside websockets for `receive` to take them;
# past it websockets stops reading the socket (TCP then slows the server down).
MAX_QUEUED = 1024
# How long a close waits for the server's close frame before dropping the socket.
CLOSE_TIMEOUT = 2.0


@dataclass(frozen=True)
class Closed:
    """How a connection ended: the close codes and reasons each side sent (None: no
    close frame), and a one-line summary for the state line."""

    code: int | None
    reason: str
    by_server: bool
    summary: str


class _TimedConnection(ClientConnection):
    """websockets' client connection that times the upgrade and shows control frames."""

    def __init__(self, *args: Any, watcher: _Watcher, **kwargs: Any) -> None:
        self.watcher = watcher
        super().__init__(*args, **kwargs)

    def handshake(self, *args: Any, **kwargs: Any) -> None:
        self.watcher.upgrade_started = time.perf_counter()
        super().handshake(*args, **kwargs)

    def send_data(self) -> None:
        super().send_data()
        if self.watcher.upgrade_sent == 0.0:  # the first write is the upgrade request
            self.watcher.upgrade_sent = time.perf_counter()

    def process_event(self, event: Any) -> None:
        if self.response is None:
            self.watcher.response_at = time.perf_counter()
        elif isinstance(event, Frame) and event.opcode in _CONTROL:
            self.watcher.control(event)
        super().process_event(event)


# The close frame is logged by `receive`, after the messages that came before it.
_CONTROL = (Opcode.PING, Opcode.PONG)


class _Watcher:
    """Times of the upgrade, pings waiting for their pong, and where messages go."""

    def __init__(self, sink: MessageSink) -> None:
        self.sink = sink
        self.upgrade_started = 0.0
        self.upgrade_sent = 0.0
        self.response_at = 0.0
        self.opened = 0.0  # perf_counter when the upgrade succeeded: at_ms counts from it
        self.pings: dict[bytes, float] = {}
        self.lock = threading.Lock()

    def at_ms(self) -> float:
        return (time.perf_counter() - self.opened) * 1000.0 if self.opened else 0.0

    def control(self, frame: Frame) -> None:
        data = bytes(frame.data)
        kind = "pong" if frame.opcode == Opcode.PONG else "ping"
        text = data.decode("utf-8", "replace")
        if kind == "pong":
            with self.lock:
                sent = self.pings.pop(data, None)
            if sent is not None:
                text = f"round trip {(time.perf_counter() - sent) * 1000.0:.1f} ms"
        self.sink(StreamMessage(self.at_ms(), "in", kind, text, size=len(data)))


class WsConnection:
    """An open WebSocket; `handshake` is the upgrade as a normal exchange."""

    def __init__(self, connection: ClientConnection, watcher: _Watcher, handshake: Response):
        self._connection = connection
        self._watcher = watcher
        self.handshake = handshake
        self._ping_count = 0

    @property
    def subprotocol(self) -> str:
        return self._connection.subprotocol or ""

    @property
    def open(self) -> bool:
        return self._connection.protocol.state is State.OPEN

    def send(self, data: str | bytes) -> None:
        """Send one text (str) or binary (bytes) message and log it. Raises
        ConnectionClosed when the connection is gone."""
        self._connection.send(data)
        self._watcher.sink(data_message(self._watcher.at_ms(), "out", data))

    def ping(self) -> None:
        """Send a ping; its pong is logged with the round trip."""
        self._ping_count += 1
        payload = f"ping {self._ping_count}".encode()
        with self._watcher.lock:
            self._watcher.pings[payload] = time.perf_counter()
        self._connection.ping(payload)
        self._watcher.sink(
            StreamMessage(self._watcher.at_ms(), "out", "ping", payload.decode(), size=len(payload))
        )

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Start the closing handshake (and log it); `receive` then returns."""
        if self.open:
            size = 2 + len(reason.encode("utf-8"))
            self._watcher.sink(
                StreamMessage(
                    self._watcher.at_ms(), "out", "close", close_text(code, reason), size=size
                )
            )
        self._connection.close(code, reason)

    def abort(self) -> None:
        """Drop the connection at once, without the closing handshake."""
        self._connection.close_socket()

    def receive(
        self, deadline: float | None = None, stop: Callable[[], bool] | None = None
    ) -> Closed | None:
        """Log incoming messages until the connection closes (its `Closed`), or until
        `deadline` (a perf_counter time) or `stop()` (None: still open)."""
        while True:
            timeout = None if deadline is None else deadline - time.perf_counter()
            if timeout is not None and timeout <= 0:
                return None
            if stop is not None and stop():
                return None
            try:
                data = self._connection.recv(timeout=timeout)
            except TimeoutError:
                return None
            except ConnectionClosed as exc:
                if exc.rcvd is not None:
                    text = close_text(exc.rcvd.code, exc.rcvd.reason)
                    size = 2 + len(exc.rcvd.reason.encode("utf-8"))
                    self._watcher.sink(
                        StreamMessage(self._watcher.at_ms(), "in", "close", text, size=size)
                    )
                return _closed(exc.rcvd, exc.sent, exc.rcvd_then_sent)
            self._watcher.sink(data_message(self._watcher.at_ms(), "in", data))


def _closed(rcvd: Close | None, sent: Close | None, rcvd_then_sent: bool | None) -> Closed:
    if rcvd is None:
        if sent is not None:
            return Closed(
                sent.code,
                sent.reason,
                False,
                f"Closed: {close_text(sent.code, sent.reason)} (no answer to the close)",
            )
        return Closed(
            None, "", False, "The connection was lost: the socket ended without a close frame"
        )
    by_server = bool(rcvd_then_sent) or sent is None
    who = "The server closed the connection" if by_server else "Closed"
    return Closed(rcvd.code, rcvd.reason, by_server, f"{who}: {close_text(rcvd.code, rcvd.reason)}")


def open_connection(
    request: Request, sink: MessageSink, max_size: int = DEFAULT_MAX_MESSAGE
) -> WsConnection:
    """Connect to `request`'s ws:// or wss:// URL (DNS, connect, TLS, upgrade: timed) and
    return the open connection. Raises SendError in plain language."""
    started = time.perf_counter()
    marks = sockets.SocketMarks()
    watcher = _Watcher(sink)
    try:
        url = websocket_url(request)
        headers = handshake_headers(request)
        parts = urlsplit(url)
        secure = parts.scheme == "wss"
        host = parts.hostname or ""
        port = parts.port or sockets.DEFAULT_PORTS[parts.scheme]
        timeout = request.options.timeout or None
        tls = sockets.TimedTls(sockets.tls_context(request.options), marks) if secure else None
        sock = sockets.open_tcp(host, port, timeout, marks)
        connection = connect(
            url,
            sock=sock,
            ssl=cast(Any, tls),
            server_hostname=host if secure else None,
            subprotocols=cast(Any, list(request.stream.subprotocols)) or None,
            additional_headers=headers,
            user_agent_header=None if _has(headers, "user-agent") else _USER_AGENT,
            proxy=None,
            open_timeout=timeout,
            ping_interval=None,  # only the pings the user sends: each is logged
            close_timeout=CLOSE_TIMEOUT,
            max_size=max_size,
            max_queue=MAX_QUEUED,
            create_connection=cast(Any, functools.partial(_TimedConnection, watcher=watcher)),
            legacy=True,
        )
    except Exception as exc:  # noqa: BLE001 - every failure becomes a SendError
        error = describe_open_error(exc, request)
        error.elapsed_ms = (time.perf_counter() - started) * 1000.0
        raise error from None
    watcher.opened = time.perf_counter()
    response = _handshake_response(connection, url, marks, watcher, started, secure, request)
    return WsConnection(connection, watcher, response)


_USER_AGENT = "API-Explorer (websockets)"


def _has(headers: list[tuple[str, str]], name: str) -> bool:
    return any(key.lower() == name for key, _ in headers)


def _handshake_response(
    connection: ClientConnection,
    url: str,
    marks: sockets.SocketMarks,
    watcher: _Watcher,
    started: float,
    secure: bool,
    request: Request,
) -> Response:
    sent_at = watcher.upgrade_sent or watcher.upgrade_started
    timing = Timing(
        dns=marks.dns,
        connect=marks.connect,
        tls=marks.tls,
        send=max(0.0, (sent_at - watcher.upgrade_started) * 1000.0),
        wait=max(0.0, (watcher.response_at - sent_at) * 1000.0),
        download=0.0,
        total=(watcher.opened - started) * 1000.0,
    )
    upgrade = connection.request
    response = cast(WsResponse, connection.response)
    sent_headers = tuple(upgrade.headers.raw_items()) if upgrade is not None else ()
    return Response(
        status=response.status_code,
        reason=response.reason_phrase,
        http_version="1.1",
        url=url,
        headers=tuple(response.headers.raw_items()),
        body=bytes(response.body or b""),
        body_size=len(response.body or b""),
        wire_size=0,
        timing=timing,
        sent=SentRequest("GET", url, sent_headers),
        remote_address=marks.remote_address,
        encrypted=secure,
        certificate_checked=secure and request.options.verify_tls,
        elapsed_ms=timing.total,
    )
