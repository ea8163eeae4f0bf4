"""One WebSocket connection of the window, between core/ws and the GUI thread.

A reading thread opens the connection (DNS, connect, TLS and the upgrade, all of which
may take seconds) and then reads messages until the connection ends; a writing thread
sends what the user asks for (a send could wait on a full socket buffer), so the GUI
thread never waits on the network (docs/ARCHITECTURE.md, invariant 2). Every message,
either way, goes through a `StreamBatcher`, which hands them to the GUI thread in
batches (`arrived`): 10,000 messages a second are twenty signals, not 10,000.

Signals (queued to the GUI thread; only frozen data crosses): `opened(Response)` with
the handshake, `failed(SendError)` when it could not open, `problem(str)` for a message
that could not be sent, `closed(str)` with a one-line summary once it has ended.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from explorer.qt.stream_batcher import StreamBatcher

if TYPE_CHECKING:
    from explorer.core.model import Request
    from explorer.core.ws.connection import WsConnection

_STOP = object()  # tells the writing thread to end


class WsSession(QObject):
    """Connects at `start()`; `send`, `ping` and `close` are safe to call at any time
    (before the connection opens they wait their turn; after it ended they are dropped)."""

    opened = Signal(object)  # the handshake's Response
    failed = Signal(object)  # SendError: the connection did not open
    problem = Signal(str)  # a message that could not be sent
    closed = Signal(str)  # how it ended, in one line

    def __init__(self, request: Request, max_size: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.max_size = max_size
        self.batcher = StreamBatcher(self)
        self.arrived = self.batcher.arrived
        self._commands: queue.Queue[object] = queue.Queue()
        self._connection: WsConnection | None = None
        self._ended = threading.Event()
        self._reader = threading.Thread(target=self._read, name="websocket-read", daemon=True)
        self._writer = threading.Thread(target=self._write, name="websocket-write", daemon=True)

    def start(self) -> None:
        self._reader.start()

    @property
    def is_open(self) -> bool:
        connection = self._connection
        return connection is not None and connection.open and not self._ended.is_set()

    def send(self, data: str | bytes) -> None:
        """Send a text (str) or binary (bytes) message."""
        self._commands.put(lambda c: c.send(data))

    def ping(self) -> None:
        self._commands.put(lambda c: c.ping())

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Start the closing handshake; `closed` follows when the server answers (or the
        close time-out passes)."""
        self._commands.put(lambda c: c.close(code, reason))

    def abort(self) -> None:
        """Drop the connection at once (the tab closes, the app quits)."""
        self._ended.set()
        self._commands.put(_STOP)
        connection = self._connection
        if connection is not None:
            connection.abort()

    def _read(self) -> None:
        from explorer.core.http.exchange import SendError
        from explorer.core.ws.connection import open_connection

        try:
            connection = open_connection(self.request, self.batcher.put, self.max_size)
        except SendError as error:
            self._ended.set()
            self.failed.emit(error)
            return
        self._connection = connection
        if self._ended.is_set():  # aborted while connecting
            connection.abort()
            return
        self.opened.emit(connection.handshake)
        self._writer.start()
        summary = "The connection ended."
        try:
            closed = connection.receive()
            if closed is not None:
                summary = closed.summary
        except Exception as error:  # noqa: BLE001 - any failure is one line in the window
            summary = (
                f"The connection failed: {' '.join(str(error).split()) or type(error).__name__}"
            )
        finally:
            self._ended.set()
            self._commands.put(_STOP)
        self.closed.emit(summary)

    def _write(self) -> None:
        from websockets.exceptions import ConnectionClosed

        connection = self._connection
        while True:
            command = self._commands.get()
            if command is _STOP or connection is None:
                return
            if self._ended.is_set():
                continue  # what was asked after the end is dropped
            run: Callable[[WsConnection], None] = command  # type: ignore[assignment]
            try:
                run(connection)
            except ConnectionClosed:
                self.problem.emit("Not sent: the connection has closed.")
            except Exception as error:  # noqa: BLE001 - one line where the user looks
                self.problem.emit(f"Not sent: {' '.join(str(error).split())}")
