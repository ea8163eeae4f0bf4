"""Run sends on a thread pool and deliver the results on the GUI thread.

Each send gets an increasing id. The worker's signals live on a carrier QObject created
on the GUI thread, so Qt queues them to the GUI thread; the runner re-emits them as its
own signals there. Only the newest send of a runner is current: results of an older or
cancelled send are dropped, so a stale response never overwrites a newer one.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

if TYPE_CHECKING:
    from explorer.core.http.cancel import CancelToken
    from explorer.core.http.transport import Transport
    from explorer.core.model import Request


class _Carrier(QObject):
    """Signals of one worker. Created on the GUI thread, emitted from the worker."""

    progressed = Signal(int, int, object)  # send id, bytes received, total or None
    succeeded = Signal(int, object)  # send id, Response
    failed = Signal(int, object)  # send id, SendError


class _SendTask(QRunnable):
    def __init__(
        self,
        send_id: int,
        transport: Callable[[], Transport],
        request: Request,
        cancel: CancelToken,
        carrier: _Carrier,
        sensitive: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__()
        self._sensitive = sensitive
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
            response = self._transport().send(
                self._request, self._cancel, report, sensitive=self._sensitive
            )
        except SendError as error:
            self._carrier.failed.emit(self._send_id, error)
        except Exception as exc:  # noqa: BLE001 - a worker must never die silently
            unexpected = SendError(ErrorKind.OTHER, f"Unexpected error: {exc!r}")
            self._carrier.failed.emit(self._send_id, unexpected)
        else:
            self._carrier.succeeded.emit(self._send_id, response)


class RequestRunner(QObject):
    """Sends one request at a time for one editor; results arrive on the GUI thread."""

    started = Signal(int)  # send id
    progressed = Signal(int, int, object)  # send id, bytes received, total (int) or None
    finished = Signal(int, object)  # send id, Response
    failed = Signal(int, object)  # send id, SendError
    cancelled = Signal(int)  # send id

    _ids = itertools.count(1)

    def __init__(
        self,
        transport: Transport | None = None,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._transport = transport
        self._transport_lock = threading.Lock()
        self._pool = pool or QThreadPool.globalInstance()
        self._current_id = 0
        self._current_cancel: CancelToken | None = None
        self._carrier = _Carrier(self)
        self._carrier.progressed.connect(self._on_progressed)
        self._carrier.succeeded.connect(self._on_succeeded)
        self._carrier.failed.connect(self._on_failed)

    @property
    def busy(self) -> bool:
        return self._current_cancel is not None

    def _shared_transport(self) -> Transport:
        """The transport, made on the first send by the worker thread that needs it:
        importing requests takes some 60 ms that the window should not wait for."""
        with self._transport_lock:
            if self._transport is None:
                from explorer.core.http.transport import Transport

                self._transport = Transport()
            return self._transport

    def send(self, request: Request, sensitive: Collection[str] = ()) -> int:
        """Start sending `request`, cancelling the one in flight. Returns the send id.

        `sensitive`: the secret values this send uses (kept from other hosts on redirect).
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
        )
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

    def _is_current(self, send_id: int) -> bool:
        return send_id == self._current_id and self._current_cancel is not None

    def _on_progressed(self, send_id: int, received: int, total: object) -> None:
        if self._is_current(send_id):
            self.progressed.emit(send_id, received, total)

    def _on_succeeded(self, send_id: int, response: object) -> None:
        if self._is_current(send_id):
            self._current_cancel = None
            self.finished.emit(send_id, response)

    def _on_failed(self, send_id: int, error: object) -> None:
        if self._is_current(send_id):
            self._current_cancel = None
            self.failed.emit(send_id, error)
