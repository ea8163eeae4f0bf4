"""Cancelling a send from another thread.

Kept apart from `transport` so that the window can make and use a token without
importing requests (which the worker thread imports on the first send).
"""

from __future__ import annotations

import contextlib
import socket
import threading

from explorer.core.exchange import ErrorKind, SendError


class CancelToken:
    """Lets another thread stop a send: the socket in use is shut down at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._sockets: list[socket.socket] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Stop the send; safe to call from any thread, any number of times."""
        with self._lock:
            self._cancelled = True
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def watch(self, sock: socket.socket) -> None:
        """Remember a socket that a cancel must shut down."""
        with self._lock:
            if sock not in self._sockets:
                self._sockets.append(sock)
            cancelled = self._cancelled
        if cancelled:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def check(self) -> None:
        if self._cancelled:
            raise SendError(ErrorKind.CANCELLED, "The request was cancelled")
