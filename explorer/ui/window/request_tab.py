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

Every send carries a `LiveEvents` sink (ui/response/streams/sse_panel): when the response
turns out to be an event stream, its status and headers show at once and its events
live in the Events tab; Stop (the Send button, Esc, the tab's own Stop) then ends the
stream with the Response of what arrived instead of dropping it, and Reconnect sends
the request again with `Last-Event-ID`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import Request
from explorer.qt.runner import RequestRunner
from explorer.ui.request.request_editor import RequestEditor
from explorer.ui.response.response_view import ResponseView
from explorer.ui.window.tab_notice import NoticeStack, TabNotice

if TYPE_CHECKING:
    # Only for annotations: the response types and the preparation (inheritance,
    # variables, files) are loaded with the first send, not before the first paint.
    from explorer.application.sending import PreparedSend
    from explorer.core.http.exchange import Response, SendError
    from explorer.core.http.sse import EventSink, StreamHead
    from explorer.core.model import SavedMessage
    from explorer.qt.runner import AfterSend
    from explorer.qt.ws_session import WsSession
    from explorer.ui.response.streams.sse_panel import LiveEvents
    from explorer.ui.response.streams.ws_panel import WsPanel


# The two ways to split a tab, and the share (in %) of the request and of the response.
SIDE_BY_SIDE = Qt.Orientation.Horizontal
STACKED = Qt.Orientation.Vertical
SPLIT_SHARES = {SIDE_BY_SIDE: (50, 50), STACKED: (40, 60)}
SPLIT_KEY = "layout/split"  # QSettings: "horizontal" (side by side) or "vertical"


def read_split(settings: QSettings) -> Qt.Orientation:
    """The split remembered in `settings` (side by side when none or unknown)."""
    return STACKED if settings.value(SPLIT_KEY) == "vertical" else SIDE_BY_SIDE


def write_split(settings: QSettings, orientation: Qt.Orientation) -> None:
    settings.setValue(SPLIT_KEY, "vertical" if orientation == STACKED else "horizontal")


class RequestTab(QWidget):
    """The request line across the top; below it the editor and the response, side by
    side or stacked; sends on a worker thread."""

    # The split toggle was clicked: the window switches every tab (and remembers it).
    split_toggle_requested = Signal()
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
        self._live: LiveEvents | None = None  # the sink of the send in flight
        self._streaming = False  # its response is an event stream, shown live
        self._websocket: WsSession | None = None  # a WS request's connection (see connect)
        self._ws_panel: WsPanel | None = None

        self.splitter = QSplitter(SIDE_BY_SIDE, self)
        self.splitter.setObjectName("requestResponseSplit")
        # The editor scrolls rather than holds the split (or the window) open: stacked at
        # 1280×720, its tallest pages (Headers, Tests) once pushed the window to 766 px.
        self.editor_scroll = EditorScroll(self.editor, self)
        self.splitter.addWidget(self.editor_scroll)
        self.splitter.addWidget(self.response_view)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        # Method, URL and Send across the whole tab, above the split: real URLs fit.
        self.request_line = self.editor.take_request_line()
        self.request_line.setContentsMargins(8, 8, 8, 0)
        self.split_button = SplitButton(self)
        self.split_button.clicked.connect(self.split_toggle_requested)
        self.editor.add_to_request_line(self.split_button)
        self.setTabOrder(self.editor.send_button, self.split_button)
        self.setTabOrder(self.split_button, self.editor.tabs)
        self.notices = NoticeStack(self)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.notices)
        self._layout.addWidget(self.request_line)
        self._layout.addWidget(self.splitter, 1)
        self._share_pending = True
        self.splitter.installEventFilter(self)
        self.set_split(SIDE_BY_SIDE)

        self.editor.send_requested.connect(self.send)
        self.editor.cancel_requested.connect(self.cancel)
        self.editor.message_send_requested.connect(self._send_saved_message)
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
        self.response_view.stream_stop_requested.connect(self.cancel)
        self.response_view.reconnect_requested.connect(self.reconnect)

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
        """Show `bar` (a location line, a notice) above the request line, at row
        `index`. Notices go to the tab's notice stack (newest first, two shown), so
        that several of them cannot push the request down the tab."""
        if isinstance(bar, TabNotice):
            self.notices.add(bar)
        else:
            self._layout.insertWidget(index, bar)

    @property
    def split(self) -> Qt.Orientation:
        """SIDE_BY_SIDE (request left, response right) or STACKED (request above)."""
        return self.splitter.orientation()

    def set_split(self, orientation: Qt.Orientation) -> None:
        """Lay the request and the response side by side or one above the other, each
        with its usual share of the room (the response gets the larger one)."""
        self.splitter.setOrientation(orientation)
        self.split_button.show_split(orientation)
        # A splitter not laid out yet clamps sizes to its default size: share it out
        # once it has its real size (then a resize keeps the proportions).
        self._share_pending = not self.splitter.isVisible()
        if not self._share_pending:
            self._share_split()

    def _share_split(self) -> None:
        orientation = self.splitter.orientation()
        request, response = SPLIT_SHARES[orientation]
        size = self.splitter.size()
        length = size.width() if orientation == SIDE_BY_SIDE else size.height()
        total = length - self.splitter.handleWidth()
        self.splitter.setSizes([total * request // 100, total * response // 100])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.splitter and event.type() == QEvent.Type.Show and self._share_pending:
            self._share_pending = False
            self._share_split()
        return super().eventFilter(watched, event)

    def send(self) -> None:
        """Send what the editor shows (cancelling a request in flight). When the
        `pre_send_hook` has work to do first (the request's pre-request scripts), the
        send goes on once it is done, unless a newer send or a cancel came meanwhile."""
        self.editor.apply_default_scheme()
        self._send_request(self.editor.request())

    def reconnect(self, last_event_id: str) -> None:
        """Send again what the editor shows, with `Last-Event-ID: last_event_id` (when
        one came), as an EventSource reconnects: a server that keeps ids resumes after
        it. The editor's headers are left as they are."""
        from explorer.core.http.sse import resumed

        self.editor.apply_default_scheme()
        self._send_request(resumed(self.editor.request(), last_event_id))

    def _send_request(self, edited: Request) -> None:
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
        self._drop_websocket()
        from explorer.core.model import is_websocket

        if is_websocket(prepared.request):
            self._connect(prepared)
            return
        self.runner.cancel()  # the send in flight, if any, before this one takes its place
        self._in_flight = prepared
        self._send_started = time.perf_counter()
        self.editor.set_busy(True)
        self.response_view.show_waiting()
        after = self.after_hook(prepared) if self.after_hook is not None else None
        sink = self._new_live()
        send_id = self.runner.send(prepared.request, prepared.sensitive, after, sink)
        if after is not None:
            self._with_after.add(send_id)

    @property
    def in_flight(self) -> PreparedSend | None:
        """The send whose result the tab is waiting for, if any."""
        return self._in_flight

    def cancel(self) -> None:
        session = self._websocket
        if session is not None:  # Disconnect (or stop connecting)
            if session.is_open:
                session.close()
            else:
                self._drop_websocket()
                self._on_cancelled(0)
            return
        if self._streaming and self.runner.busy:  # what arrived stays: see the docstring
            self.runner.stop_stream()
            return
        if self._before_send:  # the pre-request scripts' result will be ignored
            self._before_send = False
            self._ticket += 1
            self._on_cancelled(0)
        self.runner.cancel()

    def shutdown(self) -> None:
        """Cancel the send in flight and stop the response view's background work."""
        self._drop_websocket()
        self.runner.cancel()
        self._end_live()
        self.response_view.shutdown()

    # -- event streams -----------------------------------------------------------------

    def _new_live(self) -> EventSink:
        """A sink for the send about to start (the last one's let go): what the runner
        hands the transport."""
        from explorer.ui.response.streams.sse_panel import LiveEvents, sink_of

        self._end_live()
        live = self._live = LiveEvents(self)
        live.opened.connect(lambda head: self._on_stream_opened(live, head))
        return sink_of(live)

    def _end_live(self) -> None:
        """The send is over: its sink hands over what is left and stops."""
        live, self._live = self._live, None
        self._streaming = False
        if live is not None:
            live.close()
            live.deleteLater()

    def _on_stream_opened(self, live: LiveEvents, head: StreamHead) -> None:
        if live is not self._live:
            return  # an older send's
        self._streaming = True
        self.response_view.show_stream(head, live)
        button = self.editor.send_button  # Cancel becomes Stop: nothing is thrown away
        button.setText("Stop")
        button.setAccessibleName("Stop")
        button.setToolTip("Stop the event stream; the events that arrived stay (Esc)")

    # -- a WebSocket request (method WS) ------------------------------------------------

    def _connect(self, prepared: PreparedSend) -> None:
        """Open `prepared`'s WebSocket on a session's threads (qt/ws_session). Its
        handshake is shown and recorded as a send's response (101); its messages go to
        the live panel, in the Body tab's place; they are not kept in the history."""
        from explorer.application.streams.ws_run import max_message_size
        from explorer.qt.ws_session import WsSession
        from explorer.ui.response.streams.ws_panel import WsPanel

        self.runner.cancel()
        self._end_live()  # an event stream shown before
        session = WsSession(prepared.request, max_message_size(prepared.request), self)
        if self._ws_panel is None:
            self._ws_panel = WsPanel(self)
            self._ws_panel.resolve = self._resolved_message
        self._ws_panel.attach(session)
        session.opened.connect(lambda handshake: self._on_ws_opened(session, prepared, handshake))
        session.failed.connect(lambda error: self._on_ws_failed(session, prepared, error))
        session.closed.connect(lambda _summary: self._on_ws_closed(session))
        self._websocket = session
        self._in_flight = prepared
        self._send_started = time.perf_counter()
        self.editor.set_busy(True)
        self.response_view.show_waiting()
        session.start()

    def _on_ws_opened(
        self, session: WsSession, prepared: PreparedSend, handshake: Response
    ) -> None:
        if session is not self._websocket or self._ws_panel is None:
            return
        self._in_flight = None
        self.editor.set_busy(True, connected=True)
        self.last_response, self.last_error = handshake, None
        self.response_view.show_response(handshake)
        self.response_view.show_live(self._ws_panel, "Messages")
        self.response_received.emit(handshake)
        self.exchange_finished.emit(prepared, handshake)  # the handshake, to the history

    def _on_ws_failed(self, session: WsSession, prepared: PreparedSend, error: SendError) -> None:
        if session is not self._websocket:
            return
        self._websocket, self._in_flight = None, None
        self.editor.set_busy(False)
        self.last_response, self.last_error = None, error
        self.response_view.show_error(error)
        self.exchange_failed.emit(prepared, error)

    def _on_ws_closed(self, session: WsSession) -> None:
        if session is self._websocket:
            self._websocket = None
            self.editor.set_busy(False)

    def _drop_websocket(self) -> None:
        """End this tab's connection at once (a new send, the tab closes)."""
        session, self._websocket = self._websocket, None
        if session is not None:
            session.abort()
            session.batcher.stop()
            if self.editor.busy:
                self.editor.set_busy(False)

    def _send_saved_message(self, message: object) -> None:
        """The Messages tab's "Send now": through the live panel (checked, variables
        filled in)."""
        from explorer.core.model import SavedMessage

        if self._ws_panel is not None and isinstance(message, SavedMessage):
            self._ws_panel.send_message(message)

    def _resolved_message(self, message: SavedMessage) -> SavedMessage | None:
        """`message` with its {{variables}} filled in as a Send fills them (None: the user
        chose not to send with a variable undefined)."""
        if "{{" not in message.text or self.prepare_hook is None:
            return message
        from explorer.core.model import Stream

        edited = self.editor.request()
        prepared = self.prepare_hook(edited.with_changes(stream=Stream(messages=(message,))))
        if prepared is None or not prepared.request.stream.messages:
            return None
        return prepared.request.stream.messages[0]

    def _on_progressed(self, _send_id: int, received: int, total: object) -> None:
        self.response_view.show_progress(received, total if isinstance(total, int) else None)

    def _on_finished(self, send_id: int, response: Response) -> None:
        self._end_live()
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
        self._end_live()
        self._with_after.discard(send_id)
        prepared, self._in_flight = self._in_flight, None
        self.editor.set_busy(False)
        self.last_response, self.last_error = None, error
        self.response_view.show_error(error)
        if prepared is not None:
            self.exchange_failed.emit(prepared, error)

    def _on_cancelled(self, send_id: int) -> None:
        from explorer.core.http.exchange import ErrorKind, SendError

        self._end_live()
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


class SplitButton(QToolButton):
    """The small toggle at the end of the request line: it draws the layout a click
    switches to (two panes side by side, or one above the other) in the button's text
    colour, so it follows the theme without an icon file per theme."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("splitToggle")
        self.setAutoRaise(True)
        line = self.fontMetrics().height()  # grows with the text size, as the URL does
        self.setFixedSize(max(30, line + 12), max(30, line + 12))
        self._target = STACKED

    def show_split(self, current: Qt.Orientation) -> None:
        """The tab is now split `current`: offer the other way."""
        self._target = STACKED if current == SIDE_BY_SIDE else SIDE_BY_SIDE
        stacked = self._target == STACKED
        tip = (
            "Stack the response below the request"
            if stacked
            else "Put the request and the response side by side"
        )
        self.setToolTip(f"{tip} (View menu; every tab)")
        self.setAccessibleName("Stack request and response" if stacked else "Side by side")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        side = max(14, self.fontMetrics().height() * 4 // 5)
        box = QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)
        painter.drawRect(box)
        if self._target == STACKED:
            middle = box.top() + side // 2
            painter.drawLine(box.left(), middle, box.right(), middle)
        else:
            middle = box.left() + side // 2
            painter.drawLine(middle, box.top(), middle, box.bottom())
        painter.end()


class EditorScroll(QScrollArea):
    """Holds the request editor; scrolls it only when the pane is smaller than the
    editor's minimum. (Qt's resizable scroll area would hold it at its preferred height
    for the width as soon as a page wraps text, the Docs tab's note for one, and scroll
    when nothing needs it.)"""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorScroll")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidgetResizable(False)
        self.setWidget(editor)
        editor.installEventFilter(self)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:  # the area's size, or a scroll bar came or went
            self._fit()
        return super().viewportEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self, self._fit)  # once the editor's layout has its new minimum
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        editor = self.widget()
        if editor is None:
            return
        least = editor.minimumSizeHint().expandedTo(editor.minimumSize())
        # The room without scroll bars (a size, where viewport() would hand Python a
        # widget: its first call costs ~10 ms before the first paint), less a bar's
        # breadth where one is needed.
        room = self.maximumViewportSize()
        if least.height() > room.height():
            room.setWidth(room.width() - self.verticalScrollBar().sizeHint().width())
        if least.width() > room.width():
            room.setHeight(room.height() - self.horizontalScrollBar().sizeHint().height())
        size = room.expandedTo(least)
        if editor.size() != size:
            editor.resize(size)
