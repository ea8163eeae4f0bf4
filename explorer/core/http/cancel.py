"""Stopping a send from another thread: a cancel by the user, or the send's deadline.

Kept apart from `transport` so that the window can make and use a token without
importing requests (which the worker thread imports on the first send).

A blocked socket call (connect, TLS handshake, waiting for headers, reading the body)
returns at once when its socket is shut down from another thread. The token keeps its
own duplicate of each socket's descriptor: the socket object that urllib3 hands over
may be replaced while it is in use (wrapping it for TLS detaches the plain socket), but
a shutdown through any descriptor of a connection stops every call blocked on it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading

from explorer.core.http.exchange import ErrorKind, SendError

CANCELLED = "cancelled"
DEADLINE = "deadline"
FINISHED = "finished"


# One lock for every token: its sections are a few list operations and shutdowns, and
# a token is made per send (a lock each cost a load test's users a few per cent).
_LOCK = threading.Lock()


class CancelToken:
    """Lets another thread stop a send: the sockets in use are shut down at once."""

    def __init__(self) -> None:
        self._lock = _LOCK
        self._reason = ""
        self.why = ""  # what `finish` was given: the mark of the ended stream
        self._sockets: list[socket.socket] = []
        self._borrowed: list[socket.socket] = []  # watched, not ours to close

    @property
    def cancelled(self) -> bool:
        """True once the user cancelled (not when the deadline passed)."""
        return self._reason == CANCELLED

    @property
    def expired(self) -> bool:
        """True once the send's deadline passed (and it was not cancelled first)."""
        return self._reason == DEADLINE

    @property
    def finished(self) -> bool:
        """True once the reader ended an open-ended body (an event stream) on purpose:
        the user's Stop on a live stream, a run that collected enough. Not a cancel: the
        response so far is delivered and checked."""
        return self._reason == FINISHED

    @property
    def stopped(self) -> bool:
        """True once the send must stop, for either reason."""
        return bool(self._reason)

    def cancel(self) -> None:
        """Stop the send; safe to call from any thread, any number of times."""
        self._stop(CANCELLED)

    def finish(self, why: str) -> None:
        """End an event stream where it is, its Response (marked `why`) delivered; a
        send that has no stream yet stops as a cancel does."""
        self.why = why
        self._stop(FINISHED)

    def expire(self) -> None:
        """The send's deadline passed: stop it as a cancel does, reported as a timeout."""
        self._stop(DEADLINE)

    def _stop(self, reason: str) -> None:
        with self._lock:
            if not self._reason:
                self._reason = reason
            # Under the lock: `release` cannot close a duplicate between the two steps.
            for sock in (*self._sockets, *self._borrowed):
                _shut(sock)

    def watch(self, sock: socket.socket, duplicate: bool = True) -> None:
        """Remember a socket that a stop must shut down (shut it now if already stopped).

        `duplicate` False keeps `sock` itself, for a socket that stays its connection's
        own object for the whole send (a plain one, connected: nothing will wrap it).
        Duplicating a descriptor costs more than a small request to a local server
        (a load test's users send thousands a second)."""
        if duplicate:
            try:
                sock = socket.socket(fileno=os.dup(sock.fileno()))
            except OSError:
                return  # already closed: nothing left to stop
        with self._lock:
            (self._sockets if duplicate else self._borrowed).append(sock)
            if self._reason:
                _shut(sock)

    def release(self) -> None:
        """The send is over: close the duplicates (the connections themselves stay)."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
            self._borrowed = []
            for sock in sockets:
                sock.close()

    def check(self) -> None:
        """Raise the SendError of a stopped send."""
        if self._reason in (CANCELLED, FINISHED):
            raise SendError(ErrorKind.CANCELLED, "The request was cancelled")
        if self._reason == DEADLINE:
            raise SendError(ErrorKind.TOTAL_TIMEOUT, "The request passed its total time limit")


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
