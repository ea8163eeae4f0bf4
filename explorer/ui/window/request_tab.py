"""One open request: its editor, its last response, and the runner that sends it.

One Send, one way (docs/ARCHITECTURE.md): the tab asks its `prepare_hook` (set by
`WorkspaceTabs`, which prepares through `explorer.application.sending`) for the request
to send; the tab alone keeps that `PreparedSend` while it is in flight; the runner sends
it; the result comes back to the tab once, which shows it and hands the prepared send
and its result on (`exchange_finished` / `exchange_failed`) to be recorded.

When the request has tests, the `after_hook` gives work for the send's worker thread
(checking the response); the response is shown at once, its results when that work is
done (`checks_finished`), and only then is the exchange handed on to be recorded, with
the values of secret captures among the values the history redacts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from explorer.core.model import Request
from explorer.qt.runner import RequestRunner
from explorer.ui.request.request_editor import RequestEditor
from explorer.ui.response.response_view import ResponseView

if TYPE_CHECKING:
    # Only for annotations: the response types and the preparation (inheritance,
    # variables, files) are loaded with the first send, not before the first paint.
    from explorer.application.sending import PreparedSend
    from explorer.core.http.exchange import Response, SendError
    from explorer.qt.runner import AfterSend


class RequestTab(QWidget):
    """Editor on the left, response on the right; sends on a worker thread."""

    response_received = Signal(object)  # Response
    exchange_finished = Signal(object, object)  # the PreparedSend, its Response
    exchange_failed = Signal(object, object)  # the PreparedSend, its SendError
    # The PreparedSend, its Response, the CheckOutcome (send_checks), and whether it is
    # still this tab's latest response (a newer send may have started meanwhile).
    checks_finished = Signal(object, object, object, bool)
    title_changed = Signal(str)

    # Set by the workspace: prepares the edited request for sending (inherited auth and
    # headers, variables, files), or returns None when the user chose not to send.
    # Without it the request is sent as the editor shows it.
    prepare_hook: Callable[[Request], PreparedSend | None] | None = None
    # Set by the workspace: the work on the response of a prepared send that runs on the
    # send's worker thread (its checks), or None when there is nothing to do.
    after_hook: Callable[[PreparedSend], AfterSend | None] | None = None
    # Set by the workspace: what comes before preparing a send (the request's scripts:
    # may they run, the pre-request ones run off the GUI thread). It calls the function
    # it is given, at once or later, with the request to prepare (None: do not send).
    pre_send_hook: Callable[[Request, Callable[[Request | None], None]], None] | None = None

    def __init__(self, runner: RequestRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner or RequestRunner(parent=self)
        self.editor = RequestEditor(self)
        self.response_view = ResponseView(self)
        self.last_response: Response | None = None
        self.last_error: SendError | None = None
        self._saved = self.editor.request()
        self._in_flight: PreparedSend | None = None  # the one place a send's state lives
        self._with_after: set[int] = set()  # sends whose response is checked on the worker
        # Responses shown whose checks still run: send id -> (prepared, response).
        self._checking: dict[int, tuple[PreparedSend, Response]] = {}
        self._latest = 0  # the send id of the response shown
        self._ticket = 0  # counts sends: a pre-send step answers only for the latest
        self._before_send = False  # waiting for the pre-send step (scripts)
        self._send_started = 0.0  # perf_counter of the last send: a cancel reports it

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.response_view)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.splitter)

        self.editor.send_requested.connect(self.send)
        self.editor.cancel_requested.connect(self.cancel)
        # The title and the unsaved marker compare whole requests (bodies included): work
        # them out when typing pauses, not on every keystroke.
        self._title_timer = QTimer(self)
        self._title_timer.setSingleShot(True)
        self._title_timer.setInterval(120)
        self._title_timer.timeout.connect(lambda: self.title_changed.emit(self.title()))
        self.editor.changed.connect(self._title_timer.start)
        self.runner.progressed.connect(self._on_progressed)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.checked.connect(self._on_checked)
        self.response_view.assert_requested.connect(self._on_assert_requested)
        self.response_view.capture_requested.connect(self._on_capture_requested)

    def title(self) -> str:
        """What the tab shows: method and the path of the URL."""
        request = self.editor.request()
        if request.name:
            return f"{request.method} {request.name}"
        url = request.url.split("://", 1)[-1]
        path = url[url.find("/") :] if "/" in url else url
        return f"{request.method} {path or 'New request'}"

    def is_modified(self) -> bool:
        """True when the editor differs from the request as last saved or opened."""
        return self.editor.request() != self._saved

    def mark_saved(self, request: Request | None = None) -> None:
        """`request` (by default the editor's) is now the saved one: a save written in
        the background passes what the editor showed when it was asked for, so edits
        typed since stay marked as not saved."""
        self._saved = request if request is not None else self.editor.request()
        self.title_changed.emit(self.title())

    def load(self, request: Request, saved: bool = True) -> None:
        """Show `request`; when `saved`, it counts as unmodified."""
        self.editor.set_request(request)
        if saved:
            self._saved = self.editor.request()
        self.title_changed.emit(self.title())

    def insert_bar(self, index: int, bar: QWidget) -> None:
        """Show `bar` (a location line, a notice) above the editor, at row `index`."""
        self._layout.insertWidget(index, bar)

    def send(self) -> None:
        """Send what the editor shows (cancelling a request in flight). When the
        `pre_send_hook` has work to do first (the request's pre-request scripts), the
        send goes on once it is done, unless a newer send or a cancel came meanwhile."""
        self.editor.apply_default_scheme()
        edited = self.editor.request()
        self._ticket += 1
        if self.pre_send_hook is None:
            self._send_edited(edited)
            return
        ticket = self._ticket
        self._before_send = True
        self.pre_send_hook(edited, lambda request: self._after_pre_send(ticket, request))
        if self._before_send and ticket == self._ticket:  # not answered at once: waiting
            self.runner.cancel()
            self._send_started = time.perf_counter()
            self.editor.set_busy(True)
            self.response_view.show_waiting()

    def _after_pre_send(self, ticket: int, request: Request | None) -> None:
        if ticket != self._ticket or not self._before_send:
            return  # a newer send, or a cancel, came meanwhile
        self._before_send = False
        if request is None:  # not to be sent (the user said no, a script failed)
            self.editor.set_busy(False)
            return
        self._send_edited(request)

    def _send_edited(self, edited: Request) -> None:
        if self.prepare_hook is None:
            from explorer.application.sending import PreparedSend

            prepared: PreparedSend | None = PreparedSend.as_is(edited)
        else:
            prepared = self.prepare_hook(edited)
        if prepared is None:
            return
        self.runner.cancel()  # the send in flight, if any, before this one takes its place
        self._in_flight = prepared
        self._send_started = time.perf_counter()
        self.editor.set_busy(True)
        self.response_view.show_waiting()
        after = self.after_hook(prepared) if self.after_hook is not None else None
        send_id = self.runner.send(prepared.request, prepared.sensitive, after)
        if after is not None:
            self._with_after.add(send_id)

    @property
    def in_flight(self) -> PreparedSend | None:
        """The send whose result the tab is waiting for, if any."""
        return self._in_flight

    def cancel(self) -> None:
        if self._before_send:  # the pre-request scripts' result will be ignored
            self._before_send = False
            self._ticket += 1
            self._on_cancelled(0)
        self.runner.cancel()

    def shutdown(self) -> None:
        """Cancel the send in flight and stop the response view's background work."""
        self.runner.cancel()
        self.response_view.shutdown()

    def _on_progressed(self, _send_id: int, received: int, total: object) -> None:
        self.response_view.show_progress(received, total if isinstance(total, int) else None)

    def _on_finished(self, send_id: int, response: Response) -> None:
        prepared, self._in_flight = self._in_flight, None
        self.editor.set_busy(False)
        self.last_response, self.last_error = response, None
        self._latest = send_id
        self.response_view.show_response(response)
        self.response_received.emit(response)
        if send_id in self._with_after:
            self._with_after.discard(send_id)
            if prepared is not None:  # handed on once its checks are done
                self._checking[send_id] = (prepared, response)
                self.response_view.show_checking()
                return
        if prepared is not None:
            self.exchange_finished.emit(prepared, response)

    def _on_checked(self, send_id: int, outcome: object) -> None:
        """The checks of a response shown are done (on the worker): show them if it is
        still the response shown, and hand the exchange on to be recorded."""
        from explorer.ui.window.send_checks import CheckOutcome

        entry = self._checking.pop(send_id, None)
        if entry is None:
            return
        prepared, response = entry
        latest = send_id == self._latest and self.last_response is response
        if not isinstance(outcome, CheckOutcome):
            if latest:
                reason = " ".join(str(outcome).split()) or type(outcome).__name__
                self.response_view.show_check_failure(reason)
            self.exchange_finished.emit(prepared, response)
            return
        if latest:
            self.response_view.show_checks(outcome.results, outcome.captured)
            if outcome.scripts_ran:
                self.response_view.show_console(
                    outcome.console, outcome.script_error, outcome.script_note
                )
        self.checks_finished.emit(prepared, response, outcome, latest)
        extra = outcome.sensitive - prepared.sensitive
        if extra:
            prepared = replace(prepared, sensitive=prepared.sensitive | extra)
        self.exchange_finished.emit(prepared, response)

    def _on_assert_requested(self, assertion: object) -> None:
        from explorer.core.model import Assertion

        if isinstance(assertion, Assertion):
            self.editor.show_tests().add_assertion(assertion)

    def _on_capture_requested(self, capture: object) -> None:
        from explorer.core.model import Capture

        if isinstance(capture, Capture):
            self.editor.show_tests().add_capture(capture)

    def _on_failed(self, send_id: int, error: SendError) -> None:
        self._with_after.discard(send_id)
        prepared, self._in_flight = self._in_flight, None
        self.editor.set_busy(False)
        self.last_response, self.last_error = None, error
        self.response_view.show_error(error)
        if prepared is not None:
            self.exchange_failed.emit(prepared, error)

    def _on_cancelled(self, send_id: int) -> None:
        from explorer.core.http.exchange import ErrorKind, SendError

        self._with_after.discard(send_id)
        self._in_flight = None  # its result will never come
        self.editor.set_busy(False)
        error = SendError(
            ErrorKind.CANCELLED,
            "The request was cancelled",
            "Nothing was received after the cancel; press Send to try again.",
            elapsed_ms=(time.perf_counter() - self._send_started) * 1000.0,
        )
        self.last_error = error
        self.response_view.show_error(error)
