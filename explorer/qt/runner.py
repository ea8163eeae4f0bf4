"""Run sends on a thread pool and deliver the results on the GUI thread.

Each send gets an increasing id. The worker's signals live on a carrier QObject created
on the GUI thread, so Qt queues them to the GUI thread; the runner re-emits them as its
own signals there. Only the newest send of a runner is current: results of an older or
cancelled send are dropped, so a stale response never overwrites a newer one.

A send may bring work to do with its response on the same worker thread (`after`:
checking the response's assertions and captures, a post-response script), so the GUI
thread never parses a body for it. Its result follows the response as `checked`, for
every send whose response was delivered, even if a newer send started meanwhile: the
tab still records that exchange, and needs the result to do so.

A send may carry a stream sink (core/http/sse.EventSink), told on the worker of an event
stream's headers and events as they arrive. `stop_stream` ends such a stream without
dropping it: its Response (what arrived) is delivered and checked as any other.

A runner given the workspace's `CookieStore` (`use_cookies`) sends with its one jar, so
every tab shares the cookies; after each send the worker writes the jar if it changed.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

if TYPE_CHECKING:
    from explorer.core.http.cancel import CancelToken
    from explorer.core.http.cookie_store import CookieStore
    from explorer.core.http.exchange import Response
    from explorer.core.http.sse import EventSink
    from explorer.core.http.transport import Transport
    from explorer.core.model import Request


class _Carrier(QObject):
    """Signals of one worker. Created on the GUI thread, emitted from the worker."""

    progressed = Signal(int, int, object)  # send id, bytes received, total or None
    succeeded = Signal(int, object)  # send id, Response
    failed = Signal(int, object)  # send id, SendError
    checked = Signal(int, object)  # send id, what `after` returned (or the exception)


# Work on a response, run on the worker thread after the send (see the module's docstring).
AfterSend = Callable[["Response"], object]


class _SendTask(QRunnable):
    def __init__(
        self,
        send_id: int,
        transport: Callable[[], Transport],
        request: Request,
        cancel: CancelToken,
        carrier: _Carrier,
        sensitive: frozenset[str] = frozenset(),
        after: AfterSend | None = None,
        cookies: CookieStore | None = None,
        stream_sink: EventSink | None = None,
    ) -> None:
        super().__init__()
        self._stream_sink = stream_sink
        self._cookies = cookies
        self._sensitive = sensitive
        self._after = after
        self._send_id = send_id
        self._transport = transport
        self._request = request
        self._cancel = cancel
        self._carrier = carrier

    def run(self) -> None:
        from explorer.core.http.exchange import ErrorKind, SendError

        def report(received: int, total: int | None) -> None:
            self._carrier.progressed.emit(self._send_id, received, total)

        try:
            # The sink only when there is one: a transport standing in for the real one
            # (a test's) may not know the keyword.
            streaming = {"stream_sink": self._stream_sink} if self._stream_sink else {}
            response = self._transport().send(
                self._request, self._cancel, report, sensitive=self._sensitive, **streaming
            )
        except SendError as error:
            self._carrier.failed.emit(self._send_id, error)
        except Exception as exc:  # noqa: BLE001 - a worker must never die silently
            unexpected = SendError(ErrorKind.OTHER, f"Unexpected error: {exc!r}")
            self._carrier.failed.emit(self._send_id, unexpected)
        else:
            self._carrier.succeeded.emit(self._send_id, response)
            # A send cancelled meanwhile has its response dropped: nothing to check.
            if self._after is not None and not self._cancel.cancelled:
                self._carrier.checked.emit(self._send_id, self._run_after(response))
        finally:
            # A failed send may have stored cookies too (on a redirect's hop).
            if self._cookies is not None:
                self._cookies.save_if_changed()

    def _run_after(self, response: Response) -> object:
        assert self._after is not None
        try:
            return self._after(response)
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, never lost
            return exc


class RequestRunner(QObject):
    """Sends one request at a time for one editor; results arrive on the GUI thread."""

    started = Signal(int)  # send id
    progressed = Signal(int, int, object)  # send id, bytes received, total (int) or None
    finished = Signal(int, object)  # send id, Response
    failed = Signal(int, object)  # send id, SendError
    cancelled = Signal(int)  # send id
    # What the send's `after` returned (an exception it raised is passed as the value),
    # after `finished` for that send; never for a send whose response was dropped.
    checked = Signal(int, object)

    _ids = itertools.count(1)

    def __init__(
        self,
        transport: Transport | None = None,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._transport = transport
        self._own_transport = transport is None
        self._cookies: CookieStore | None = None
        self._transport_lock = threading.Lock()
        self._pool = pool or QThreadPool.globalInstance()
        self._current_id = 0
        self._current_cancel: CancelToken | None = None
        # Sends with an `after`: until their response arrives, then until it is checked.
        self._pending_after: set[int] = set()
        self._delivered: set[int] = set()
        self._carrier = _Carrier(self)
        self._carrier.progressed.connect(self._on_progressed)
        self._carrier.succeeded.connect(self._on_succeeded)
        self._carrier.failed.connect(self._on_failed)
        self._carrier.checked.connect(self._on_checked)

    @property
    def busy(self) -> bool:
        return self._current_cancel is not None

    def use_cookies(self, cookies: CookieStore) -> None:
        """Send with the jar of `cookies` (the workspace's) from the next send on."""
        with self._transport_lock:
            self._cookies = cookies
            if self._own_transport:
                self._transport = None  # made again, with that jar, by the next send

    def _shared_transport(self) -> Transport:
        """The transport, made on the first send by the worker thread that needs it:
        importing requests takes some 60 ms that the window should not wait for (and
        reading the cookie file is disk work)."""
        with self._transport_lock:
            if self._transport is None:
                from explorer.core.http.transport import Transport

                jar = self._cookies.jar() if self._cookies is not None else None
                self._transport = Transport(cookies=jar)
            return self._transport

    def send(
        self,
        request: Request,
        sensitive: Collection[str] = (),
        after: AfterSend | None = None,
        stream_sink: EventSink | None = None,
    ) -> int:
        """Start sending `request`, cancelling the one in flight. Returns the send id.

        `sensitive`: the secret values this send uses (kept from other hosts on redirect).
        `after(response)`: run on the worker once the response is delivered; its result
        (or exception) follows as `checked`. It must touch only data safe to share.
        `stream_sink`: told of an event stream as it arrives (on the worker).
        """
        from explorer.core.http.cancel import CancelToken

        self.cancel()
        self._current_id = next(self._ids)
        self._current_cancel = CancelToken()
        task = _SendTask(
            self._current_id,
            self._shared_transport,
            request,
            self._current_cancel,
            self._carrier,
            frozenset(sensitive),
            after,
            self._cookies,
            stream_sink,
        )
        if after is not None:
            self._pending_after.add(self._current_id)
        self._pool.start(task)
        self.started.emit(self._current_id)
        return self._current_id

    def cancel(self) -> None:
        """Stop the send in flight, if any; its result will never be delivered."""
        if self._current_cancel is None:
            return
        self._current_cancel.cancel()
        self._current_cancel = None
        self.cancelled.emit(self._current_id)

    def stop_stream(self, why: str = "stopped by you") -> None:
        """End the event stream in flight where it is: unlike `cancel`, its Response (what
        arrived, marked `why`) is still delivered, then checked. A send whose headers
        have not come yet fails as cancelled."""
        if self._current_cancel is not None:
            self._current_cancel.finish(why)

    def _is_current(self, send_id: int) -> bool:
        return send_id == self._current_id and self._current_cancel is not None

    def _on_progressed(self, send_id: int, received: int, total: object) -> None:
        if self._is_current(send_id):
            self.progressed.emit(send_id, received, total)

    def _on_succeeded(self, send_id: int, response: object) -> None:
        current = self._is_current(send_id)
        if send_id in self._pending_after:
            self._pending_after.discard(send_id)
            if current:  # a dropped response's check is dropped too
                self._delivered.add(send_id)
        if current:
            self._current_cancel = None
            self.finished.emit(send_id, response)

    def _on_checked(self, send_id: int, result: object) -> None:
        if send_id in self._delivered:
            self._delivered.discard(send_id)
            self.checked.emit(send_id, result)

    def _on_failed(self, send_id: int, error: object) -> None:
        self._pending_after.discard(send_id)  # nothing to check
        if self._is_current(send_id):
            self._current_cancel = None
            self.failed.emit(send_id, error)
