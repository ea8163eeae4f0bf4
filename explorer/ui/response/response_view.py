"""The response panel: a summary line, then tabs for the body and the headers, and the
results of the request's tests and the output of its scripts.

A failed request is shown in the same place, as a message that says what failed, after
how long, and what to try.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.units import human_duration, human_size
from explorer.ui.widgets.theme import palette

if TYPE_CHECKING:
    # Only for annotations: the response types are loaded with the first send.
    from collections.abc import Sequence

    from explorer.core.checks.results import AssertionResult, CapturedValue
    from explorer.core.explain.findings import Pointer
    from explorer.core.http.exchange import Response, SendError
    from explorer.core.http.sse import StreamHead
    from explorer.ui.response.streams.sse_panel import LiveEvents, SsePanel
    from explorer.ui.widgets.feedback import MessageLabel

_EMPTY, _RESULT, _ERROR = 0, 1, 2
_BRACKETED = re.compile(r"^(.*) \((\d+)\)$")  # "Headers (9)"


class ResponseView(QWidget):
    """Shows one response or one error.

    Until the first request only the placeholder exists: the summary line, the response
    tabs and the error page are built on first use, so start-up pays only for what it
    shows (docs/ARCHITECTURE.md: Start-up).

    `assert_requested(Assertion)` and `capture_requested(Capture)`: the user asked, from
    the body, a header or a cookie, for a row checking or capturing that value.
    """

    assert_requested = Signal(object)
    capture_requested = Signal(object)
    # The user asked to see the workspace's cookie jar (the Cookies tab's button), or to
    # compare this response with another (the summary's Compare… button); the window
    # opens what they ask for.
    manage_cookies_requested = Signal()
    compare_requested = Signal()
    # From the Explain tab: "Read the lesson" (a lesson's slug; the Learn panel opens
    # it) and "Manage…" of its silenced rules (the window opens Preferences ▸ Explain).
    lesson_requested = Signal(str)
    explain_settings_requested = Signal()
    # From the Events tab of an event stream: Stop (the stream ends, what arrived
    # stays) and Reconnect (send again with Last-Event-ID: the id given).
    stream_stop_requested = Signal()
    reconnect_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._response: Response | None = None
        self._summary: ResponseSummary | None = None
        self._parts: ResponseParts | None = None
        self._error_page: ErrorPage | None = None
        self._pointer_note: MessageLabel | None = None
        self._pointed = False  # point_at has marked something since the last response

        self.placeholder = QLabel(
            "Send a request to see its response here.\n\n"
            "Ctrl+Enter sends, Esc cancels. Server ▸ Start sample server gives you a "
            "practice API to try.",
            self,
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAccessibleName("No response yet")

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(QWidget(self))  # replaced by the response tabs on first use
        self.pages.addWidget(QWidget(self))  # replaced by the error page on first use

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 8, 8, 4)
        self._layout.addWidget(self.pages, 1)

    @property
    def summary(self) -> ResponseSummary:
        """The line above the response (status, time, size …), built on first use."""
        if self._summary is None:
            self._summary = ResponseSummary(self)
            self._summary.compare_button.clicked.connect(self.compare_requested)
            self._layout.insertWidget(0, self._summary)
        return self._summary

    @property
    def parts(self) -> ResponseParts:
        """The response tabs, built on first use."""
        if self._parts is None:
            self._parts = ResponseParts(self)
            self._parts.assert_requested.connect(self.assert_requested)
            self._parts.capture_requested.connect(self.capture_requested)
            self._parts.cookies_page.manage_requested.connect(self.manage_cookies_requested)
            explain = self._parts.explain_view
            explain.lesson_requested.connect(self.lesson_requested)
            explain.manage_requested.connect(self.explain_settings_requested)
            explain.pointer_requested.connect(self.point_at)
            self._parts.stream_stop_requested.connect(self.stream_stop_requested)
            self._parts.reconnect_requested.connect(self.reconnect_requested)
            self._replace_page(_RESULT, self._parts)
        return self._parts

    @property
    def error_page(self) -> ErrorPage:
        """What failed and what to try, built the first time a request fails."""
        if self._error_page is None:
            self._error_page = ErrorPage(self)
            self._replace_page(_ERROR, self._error_page)
        return self._error_page

    def _replace_page(self, index: int, page: QWidget) -> None:
        old = self.pages.widget(index)
        self.pages.insertWidget(index, page)
        if old is not None:
            self.pages.removeWidget(old)
            old.deleteLater()

    def shutdown(self) -> None:
        """Stop background work of the body view; safe to call more than once."""
        if self._parts is not None:
            self._parts.shutdown()

    @property
    def body_view(self) -> QWidget:
        return self.parts.body_view

    @property
    def headers_table(self) -> QWidget:
        return self.parts.headers_table

    def show_waiting(self) -> None:
        """A request is on its way: the last response stays, greyed out, until the new
        one replaces it."""
        self.pages.setEnabled(False)
        self.summary.show_waiting()

    def show_progress(self, received: int, total: int | None) -> None:
        """Bytes of the body received so far."""
        self.summary.show_progress(received, total)

    def refresh_colours(self) -> None:
        """Re-colour the summary (and the timing legend) after a theme change."""
        if self._parts is not None:
            self._parts.timing_view.refresh_colours()
        if self.pages.currentIndex() == _RESULT and self._response is not None:
            self.summary.colour_status(self._response.status_class)
        elif self.pages.currentIndex() == _ERROR:
            self.summary.colour_status("error")
            self.error_page.recolour()

    def show_response(self, response: Response) -> None:
        """Show a complete response."""
        self._response = response
        self._forget_pointing()
        self.summary.show_response(response)
        self.parts.show_live(None)
        self.parts.set_response(response)
        self.pages.setCurrentIndex(_RESULT)
        self.pages.setEnabled(True)

    def show_stream(self, head: StreamHead, live: LiveEvents) -> None:
        """An event stream's headers arrived: its status and headers now, and the Events
        tab, live, until the whole response replaces them (`show_response`)."""
        self._response = None  # nothing to point at until the response is whole
        self._forget_pointing()
        self.summary.show_stream(head)
        self.parts.show_stream(head, live)
        self.pages.setCurrentIndex(_RESULT)
        self.pages.setEnabled(True)

    def end_stream(self, why: str) -> None:
        """A live stream's send failed or was cancelled."""
        if self._parts is not None and self._parts.events_panel is not None:
            self._parts.events_panel.end(why)

    def show_live(self, page: QWidget, title: str) -> None:
        """A live page (a WebSocket's message log) as the first tab, in the Body tab's
        place, after `show_response` showed its handshake; the next response takes it
        away."""
        self.parts.show_live(page, title)

    def show_checking(self, what: str = "Checking the response…") -> None:
        """The response is shown; its checks (and scripts) still run off the GUI thread."""
        self.parts.show_checking(what)

    def show_checks(
        self, results: Sequence[AssertionResult], captured: Sequence[CapturedValue]
    ) -> None:
        """The outcome of the checks, masked: results in the Tests tab, its title a count."""
        self.parts.show_checks(results, captured)

    def show_check_failure(self, message: str) -> None:
        """The checks could not run (one line)."""
        self.parts.show_check_failure(message)

    def show_console(self, lines: Sequence[str], error: str = "", status: str = "") -> None:
        """What the scripts of this send printed (masked), and their error."""
        self.parts.show_console(lines, error, status)

    def show_error(self, error: SendError) -> None:
        """Show why the request failed, after how long, and what to try."""
        self._response = None
        self._forget_pointing()
        self.summary.show_error(error)
        self.error_page.show_error(error)
        self.pages.setCurrentIndex(_ERROR)
        self.pages.setEnabled(True)

    def clear(self) -> None:
        self._response = None
        self._forget_pointing()
        if self._summary is not None:
            self._summary.clear()
        if self._parts is not None:
            self._parts.clear()
        self.pages.setCurrentIndex(_EMPTY)
        self.pages.setEnabled(True)

    # -- pointing at a part ----------------------------------------------------------

    def point_at(self, pointer: Pointer) -> bool:
        """Show the part of the response `pointer` names and mark it for a moment: the
        status, a header or cookie row, a value of the body, a timing phase, the
        redirect chain, a finding of the Explain tab. False when the response shown
        lacks it: its tab is shown with one line saying so ("This response has no ETag
        header"); False too, and nothing changes, when no response is shown.

        The Explain tab's "Show in response" and the lessons' "Try it" call it."""
        if self._response is None or self._parts is None or self.pages.currentIndex() != _RESULT:
            return False
        from explorer.ui.response import pointing

        self._pointed = True
        parts, name = self._parts, pointer.name.strip()
        missing = ""
        if pointer.kind == "status":
            label = self.summary.status_label
            pointing.flash(self.summary, label.geometry().adjusted(-2, -2, 2, 2))
        elif pointer.kind == "header":
            parts.setCurrentWidget(parts.headers_table)
            rows = pointing.rows_named(parts.headers_table, name) if name else []
            pointing.point_at_rows(parts.headers_table, rows)
            missing = f"This response has no {name} header." if name and not rows else ""
        elif pointer.kind == "cookie":
            parts.setCurrentWidget(parts.cookies_page)
            table = parts.cookies_table
            rows = [r for r in range(table.rowCount()) if _cell(table, r) == name] if name else []
            pointing.point_at_rows(table, rows)
            missing = f"This response set no cookie named {name}." if name and not rows else ""
        elif pointer.kind == "body":
            parts.setCurrentWidget(parts.body_view)
            if self._response.body_size == 0:
                missing = "This response has no body."
            elif name and not parts.body_view.reveal_path(name):
                missing = f"The body has no value at {name}."
        elif pointer.kind == "timing":
            parts.setCurrentWidget(parts.timing_view)
            row = parts.timing_view.phase_row(name) if name else None
            if row is not None:
                pointing.point_at_tree_item(parts.timing_view.tree, row)
            elif name:
                missing = _no_phase(name, self._response.timing.reused)
        elif pointer.kind == "redirects":
            parts.setCurrentWidget(parts.redirects_table)
            hops = len(self._response.hops)
            pointing.point_at_rows(parts.redirects_table, list(range(hops)))
            missing = "" if hops else "This response came without redirects."
        elif pointer.kind == "explain":
            parts.setCurrentWidget(parts.explain_view)
            if name and not parts.explain_view.select_rule(name):
                missing = f"Explain has nothing to say about {name} for this response."
        else:
            return False
        self._say_where(missing)
        return not missing

    def _forget_pointing(self) -> None:
        """A new response (or none): the note and the marks were about the last one."""
        self._say_where("")
        if self._pointed:  # findChildren only when there may be marks to find
            from explorer.ui.response.pointing import clear_marks

            clear_marks(self)
            self._pointed = False

    def _say_where(self, text: str) -> None:
        """The one line under the summary saying a part pointed at is not there."""
        if self._pointer_note is None:
            if not text:
                return
            from explorer.ui.widgets.feedback import MessageLabel

            self._pointer_note = MessageLabel("warning", self)
            self._pointer_note.setAccessibleName("Pointer note")
            self._pointer_note.setContentsMargins(2, 4, 2, 0)
            self._layout.insertWidget(self._layout.indexOf(self.pages), self._pointer_note)
        self._pointer_note.show_message(text)

    def pointer_note(self) -> str:
        """The line saying a part pointed at is missing ("" when none is shown)."""
        note = self._pointer_note
        return note.text() if note is not None and note.isVisibleTo(self) else ""


def _cell(table: QWidget, row: int) -> str:
    item = table.item(row, 0)  # type: ignore[attr-defined]
    return item.text() if item is not None else ""


def _no_phase(phase: str, reused: bool) -> str:
    from explorer.ui.response.timing_view import PHASES

    names = dict(PHASES)
    if phase not in names:
        return f"There is no timing phase called {phase}."
    if reused and phase in ("dns", "connect", "tls"):
        return f"No {names[phase]} here: the request reused an open connection."
    return f"The final exchange had no {names[phase]} phase."


class ResponseSummary(QWidget):
    """Status (coloured by class), time, size (decoded and on the wire), HTTP version,
    remote address, a badge when TLS was not verified; and the download progress while
    the body arrives."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._started = time.perf_counter()
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("statusBadge")
        self.status_label.setAccessibleName("Status")
        self.time_label = self._metric("Time")
        self.size_label = self._metric("Size")
        self.version_label = self._metric("HTTP version")
        self.remote_label = self._metric("Remote address")
        self.tls_badge = QLabel("TLS NOT VERIFIED", self)
        self.tls_badge.setObjectName("statusBadge")
        self.tls_badge.setAccessibleName("TLS verification off")
        self.tls_badge.setToolTip(
            "Certificate verification was turned off for this request: the server's "
            "identity was not checked."
        )
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Download progress")
        self.progress.setMinimumWidth(220)  # room for "1.4 MB of 3.8 MB · 960 KB/s"
        self.progress.setMaximumWidth(300)
        self.compare_button = QToolButton(self)
        self.compare_button.setText("Compare…")
        self.compare_button.setAccessibleName("Compare responses")
        self.compare_button.setToolTip(
            "Compare this response with the previous one of this request, or with another"
        )

        layout = self._row = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in self._metrics():
            layout.addWidget(widget)
        layout.addWidget(self.tls_badge)
        layout.addStretch(1)
        layout.addWidget(self.progress)
        layout.addWidget(self.compare_button)
        # The line never asks for more width than the pane has (it used to hold the
        # response pane at 564 px, 1,020 px at 200% text): what does not fit is dropped,
        # least useful first, and listed in the status's tooltip.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._droppable = (self.remote_label, self.version_label, self.size_label)
        self._wanted: dict[QWidget, bool] = {}
        self._status_tip = ""
        self._status_text = ""  # "304 NOT MODIFIED": shortened to "304" when narrow
        self.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _want(self, label: QWidget, visible: bool) -> None:
        self._wanted[label] = visible
        label.setVisible(visible)

    def _fit(self) -> None:
        """Show every wanted metric that fits; drop from the least useful end."""
        for label in self._droppable:
            label.setVisible(self._wanted.get(label, False))
        self.status_label.setText(self._status_text)
        self._row.invalidate()  # the row's size hint is cached from the shorter text
        dropped = []
        for label in self._droppable:
            if self._row.sizeHint().width() <= self.width():
                break
            if label.isVisibleTo(self):
                label.setVisible(False)
                dropped.append(label.text())
        # Last, the reason phrase: "304 NOT M" cut by the pane's edge told less than
        # "304" does (the whole line stays in the tooltip).
        code = self._status_text.split(" ", 1)[0]
        # Only once shown: before its first layout the line is as narrow as a new widget.
        narrow = self.isVisible() and self._row.sizeHint().width() > self.width()
        if code != self._status_text and narrow:
            self.status_label.setText(code)
            dropped.insert(0, self._status_text)
        self.status_label.setToolTip(
            "\n".join([self._status_tip, *dropped]) if dropped else self._status_tip
        )

    def _metric(self, name: str) -> QLabel:
        label = QLabel("", self)
        label.setObjectName("metric")
        label.setAccessibleName(name)
        return label

    def _metrics(self) -> tuple[QLabel, ...]:
        return (
            self.status_label,
            self.time_label,
            self.size_label,
            self.version_label,
            self.remote_label,
        )

    def show_waiting(self) -> None:
        # The metrics of the previous response would read as this request's.
        self._started = time.perf_counter()
        self._show_metrics(False)
        self.tls_badge.setVisible(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Waiting…")

    def show_progress(self, received: int, total: int | None) -> None:
        self.progress.setVisible(True)
        elapsed = max(time.perf_counter() - self._started, 1e-6)
        rate = f" · {human_size(int(received / elapsed))}/s"
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(received * 1000 / max(total, 1)))
            self.progress.setFormat(f"{human_size(received)} of {human_size(total)}{rate}")
        else:
            self.progress.setRange(0, 0)
            self.progress.setFormat(f"{human_size(received)}{rate}")

    def colour_status(self, status_class: str) -> None:
        text_colour = palette().status(status_class)  # an unknown class reads as an error
        self.status_label.setStyleSheet(f"color: {text_colour}; border: 1px solid {text_colour};")

    def show_response(self, response: Response) -> None:
        self._show_metrics(True)
        self.compare_button.setVisible(True)
        self._status_tip = f"Status class {response.status_class}"
        self._status_text = f"{response.status} {response.reason}".strip()
        self.colour_status(response.status_class)
        self.time_label.setText(f"Time {human_duration(response.elapsed_ms)}")
        size = f"Size {human_size(response.body_size)}"
        if response.wire_size and response.wire_size != response.body_size:
            size += f" ({human_size(response.wire_size)} on the wire)"
        self.size_label.setText(size)
        self.version_label.setText(response.http_version)
        self.remote_label.setText(response.remote_address)
        self._want(self.remote_label, bool(response.remote_address))
        # Plain http from the start gets no badge; http after https and unverified TLS do.
        badge, explanation = response.tls_warning()
        self.tls_badge.setText(badge)
        self.tls_badge.setToolTip(explanation)
        self.tls_badge.setAccessibleName(explanation.split(":")[0] if explanation else "")
        self.tls_badge.setVisible(bool(badge))
        self.tls_badge.setStyleSheet(
            f"color: {palette().warning}; border: 1px solid {palette().warning};"
        )
        self._fit()

    def show_stream(self, head: StreamHead) -> None:
        """An event stream, live: status, version, when the headers came; the bytes as
        they arrive on the progress bar."""
        self._show_metrics(True)
        status_class = f"{head.status // 100}xx"
        self._status_tip = f"Status class {status_class}"
        self._status_text = f"{head.status} {head.reason}".strip()
        self.colour_status(status_class)
        self.time_label.setText(f"Headers {human_duration(head.elapsed_ms)}")
        self._want(self.size_label, False)
        self.version_label.setText(head.http_version)
        self._want(self.remote_label, False)
        self.tls_badge.setVisible(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Streaming…")
        self._fit()

    def show_error(self, error: SendError) -> None:
        self._show_metrics(True)
        self._status_text = "Error" if error.kind.value != "cancelled" else "Cancelled"
        self._status_tip = ""
        self.colour_status("error")
        self.time_label.setText(f"after {human_duration(error.elapsed_ms)}")
        for label in (self.size_label, self.version_label, self.remote_label):
            self._want(label, False)
        self.tls_badge.setVisible(False)
        self._fit()

    def clear(self) -> None:
        self._show_metrics(False)
        self.tls_badge.setVisible(False)
        self._status_text = ""  # no response: no status from an earlier one
        self._status_tip = ""
        self.status_label.setStyleSheet("")
        self._fit()

    def _show_metrics(self, visible: bool) -> None:
        self.progress.setVisible(False)
        self.compare_button.setVisible(False)  # shown again by show_response
        for label in self._metrics():
            self._want(label, visible)


class ErrorPage(QWidget):
    """A failed request: what failed, after how long, and what to try."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel("", self)
        self.title_label.setObjectName("errorTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setAccessibleName("Error")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label = QLabel("", self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setAccessibleName("Error details")
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 16, 12, 12)
        layout.addWidget(self.title_label)
        layout.addWidget(self.detail_label)
        layout.addStretch(1)

    def show_error(self, error: SendError) -> None:
        self.title_label.setText(error.message)
        self.recolour()
        kind = error.kind.value.replace("_", " ")
        self.detail_label.setText(
            f"{error.hint}\n\nKind of failure: {kind}." if error.hint else f"Kind: {kind}."
        )

    def recolour(self) -> None:
        self.title_label.setStyleSheet(f"color: {palette().error};")


def empty_body_sentence(response: Response) -> str:
    """Why a response has no body, in the words of its status or method."""
    if response.status == 204:
        return "204 No Content: this status never carries a body. The request succeeded."
    if response.status == 304:
        return (
            "304 Not Modified: no body is sent; the copy you already have (the one your "
            "If-None-Match or If-Modified-Since named) is still current."
        )
    if response.sent.method == "HEAD":
        return "A HEAD request gets the headers of the response only, never its body."
    if 100 <= response.status < 200:
        return f"{response.status} is an informational status: it has no body."
    return "The server sent an empty body."


class ResponseParts(QTabWidget):
    """The tabs of a complete response: body, headers, cookies, timing, redirects, request,
    and the tests' results and the scripts' console."""

    assert_requested = Signal(object)  # Assertion
    capture_requested = Signal(object)  # Capture
    stream_stop_requested = Signal()
    reconnect_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from explorer.ui.response.body_view import BodyView
        from explorer.ui.response.console_view import ConsoleView
        from explorer.ui.response.explain_view import ExplainView
        from explorer.ui.response.response_details import (
            CookiesPage,
            HeadersTable,
            RedirectsTable,
            SentRequestView,
        )
        from explorer.ui.response.tests_view import TestsView
        from explorer.ui.response.timing_view import TimingView

        self.setAccessibleName("Response parts")
        self._titles: dict[QWidget, str] = {}  # whole titles; the bar may show less
        self._folded: list[QWidget] = []  # empty tabs hidden to make room (see _fit_titles)
        self.body_view = BodyView(self)
        self.headers_table = HeadersTable(self)
        self.cookies_page = CookiesPage(self)
        self.cookies_table = self.cookies_page.table
        self.timing_view = TimingView(self)
        self.redirects_table = RedirectsTable(self)
        self.sent_view = SentRequestView(self)
        self.addTab(self.body_view, "Body")
        self.addTab(self.headers_table, "Headers")
        self.addTab(self.cookies_page, "Cookies")
        self.addTab(self.timing_view, "Timing")
        self.addTab(self.redirects_table, "Redirects")
        self.addTab(self.sent_view, "Request")
        self.tests_view = TestsView(self)
        self.console_view = ConsoleView(self)
        self.addTab(self.tests_view, "Tests")
        # What the exchange does right and wrong by HTTP's rules, worked out off the GUI
        # thread for every response; its title counts warnings and errors.
        self.explain_view = ExplainView(self)
        self.addTab(self.explain_view, "Explain")
        self.explain_view.counted.connect(self._on_explained)
        self.addTab(self.console_view, "Console")
        self._live: QWidget | None = None  # see show_live
        for source in (self.body_view, self.headers_table, self.cookies_table):
            source.assert_requested.connect(self.assert_requested)
            source.capture_requested.connect(self.capture_requested)
        self.setTabVisible(self.indexOf(self.console_view), False)  # until a script runs
        self.events_panel: SsePanel | None = None  # the first event stream makes it

    def _events(self) -> SsePanel:
        """The Events tab (first, before Body), made for the first event stream."""
        if self.events_panel is None:
            from explorer.ui.response.streams.sse_panel import SsePanel

            self.events_panel = SsePanel(self)
            self.events_panel.stop_requested.connect(self.stream_stop_requested)
            self.events_panel.reconnect_requested.connect(self.reconnect_requested)
            self.insertTab(0, self.events_panel, "Events")
        self.setTabVisible(self.indexOf(self.events_panel), True)
        return self.events_panel

    def show_stream(self, head: StreamHead, live: LiveEvents) -> None:
        """An event stream's headers: the other tabs emptied, the headers shown, the
        Events tab live and in front."""
        self.clear()
        content_type = next((v for n, v in head.headers if n.lower() == "content-type"), "")
        self.body_view.set_body(b"", None, content_type, head.url)
        self.body_view.explain_empty(
            "The stream is live: its events arrive in the Events tab. The raw text shows "
            "here when it ends (Stop keeps what arrived)."
        )
        self.headers_table.set_rows([[name, value] for name, value in head.headers])
        self.set_title(self.headers_table, f"Headers ({len(head.headers)})")
        self.tests_view.clear()
        self.set_title(self.tests_view, "Tests")
        panel = self._events()
        panel.start(live)
        self.set_title(panel, "Events")
        # Explain judges a whole exchange: back with the response. Meanwhile its room
        # lets the tab bar hold the Events tab too (a side-by-side pane at 1280 px).
        self.setTabVisible(self.indexOf(self.explain_view), False)
        self._fit_titles()
        self.setCurrentWidget(panel)

    def set_response(self, response: Response) -> None:
        self.setTabVisible(self.indexOf(self.explain_view), True)
        if response.events is not None:
            self._events().finish(response)
        elif self.events_panel is not None:
            if self.currentWidget() is self.events_panel:
                self.setCurrentWidget(self.body_view)
            self.setTabVisible(self.indexOf(self.events_panel), False)
        self.headers_table.set_response(response)
        self.set_title(self.headers_table, f"Headers ({len(response.headers)})")
        cookies = self.cookies_page.set_response(response)
        self.set_title(self.cookies_page, f"Cookies ({cookies})" if cookies else "Cookies")
        self.timing_view.set_response(response)
        hops = self.redirects_table.set_response(response)
        self.set_title(self.redirects_table, f"Redirects ({hops})" if hops else "Redirects")
        self.sent_view.set_response(response)
        self.body_view.set_body(
            response.body, response.body_path, response.content_type, response.url
        )
        if response.body_size == 0:
            self.body_view.explain_empty(empty_body_sentence(response))
        # A new response: until its checks report, none are shown for it.
        self.tests_view.clear()
        self.set_title(self.tests_view, "Tests")
        self.console_view.clear()
        self.explain_view.set_response(response)  # first: its old mark goes with it
        self.set_title(self.explain_view, "Explain")

    def show_live(self, page: QWidget | None, title: str = "") -> None:
        """`page` as the first tab, shown, with the Body tab hidden (a WebSocket has no
        body: its messages are the page); None takes the live page away again."""
        old = self._live
        if old is not None and old is not page:
            self.removeTab(self.indexOf(old))  # not deleted: its owner keeps it
            self._titles.pop(old, None)
        self._live = page
        self.setTabVisible(self.indexOf(self.body_view), page is None)
        if page is not None:
            if self.indexOf(page) < 0:
                self.insertTab(0, page, title)
            self.set_title(page, title)
            self.setCurrentWidget(page)

    def _on_explained(self, attention: int) -> None:
        """The Explain tab's title: "Explain (2)" for two warnings or errors; no count
        when there are only notes, or nothing."""
        title = f"Explain ({attention})" if attention else "Explain"
        self.set_title(self.explain_view, title)

    # -- titles that fit ---------------------------------------------------------------

    def title(self, widget: QWidget) -> str:
        """A tab's whole title ("Headers (9)"), whatever the tab bar shows for lack of
        room."""
        return self._titles.get(widget, self.tabText(self.indexOf(widget)))

    def set_title(self, widget: QWidget, title: str) -> None:
        self._titles[widget] = title
        self._fit_titles()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_titles()

    def _fit_titles(self) -> None:
        """The whole titles when they fit the pane; else, only as far as needed, the
        Explain tab as a mark and its count (the worst finding's mark, or a tick when
        there is nothing to say), then the counts without brackets ("Headers 9"), then
        without the counts but Explain's; the tooltip gives the whole title; last, the
        empty Cookies and Redirects tabs step aside. A side-by-side pane at 1280 px is
        460 px wide: nine whole titles put Explain behind the tab bar's scroll arrows,
        and a stream's Events tab makes ten."""
        explain = self.explain_view
        whole_explain = self.title(explain)
        count = whole_explain.removeprefix("Explain").strip(" ()")
        mark = explain.severity_mark()  # None until the findings are known
        room = self.width() - 4
        for folded in self._folded:
            self.setTabVisible(self.indexOf(folded), True)
        self._folded.clear()
        for step in range(4):
            compact = step >= 1 and mark is not None
            for index in range(self.count()):
                widget = self.widget(index)
                if widget is None:
                    continue
                whole = shown = self.title(widget)
                if widget is explain and compact:
                    shown = count
                if step == 2:
                    shown = _BRACKETED.sub(r"\1 \2", shown)
                elif step == 3 and widget is not explain:
                    shown = _BRACKETED.sub(r"\1", shown)
                if self.tabText(index) != shown:
                    self.setTabText(index, shown)
                tip = explain.mark_words() if widget is explain and compact else whole
                self.setTabToolTip(index, tip if shown != whole else "")
            self.setTabIcon(self.indexOf(explain), mark if compact and mark else QIcon())
            if self._needed_width() <= room:
                return
        # A live stream's tab makes one more: then the Cookies and Redirects tabs that have
        # nothing to show (no count in their titles) step aside until there is room.
        for widget in (self.redirects_table, self.cookies_page):
            index = self.indexOf(widget)
            empty = self.title(widget) in ("Cookies", "Redirects")
            if empty and self.isTabVisible(index) and widget is not self.currentWidget():
                self.setTabVisible(index, False)
                self._folded.append(widget)
                if self._needed_width() <= room:
                    return

    def _needed_width(self) -> int:
        bar = self.tabBar()
        return sum(bar.tabSizeHint(i).width() for i in range(self.count()) if self.isTabVisible(i))

    def show_checking(self, what: str) -> None:
        self.tests_view.show_checking(what)
        self.set_title(self.tests_view, "Tests …")

    def show_checks(
        self, results: Sequence[AssertionResult], captured: Sequence[CapturedValue]
    ) -> None:
        from explorer.ui.response.tests_view import badge

        self.tests_view.set_results(results, captured)
        self.set_title(self.tests_view, badge(results))

    def show_check_failure(self, message: str) -> None:
        self.tests_view.show_failure(message)
        self.set_title(self.tests_view, "Tests !")

    def show_console(self, lines: Sequence[str], error: str, status: str) -> None:
        index = self.indexOf(self.console_view)
        self.setTabVisible(index, True)
        self.console_view.show_lines(lines, error, status)
        self.set_title(self.console_view, "Console !" if error else "Console")

    def clear(self) -> None:
        self.show_live(None)
        self.body_view.clear()
        self.headers_table.setRowCount(0)
        self.cookies_page.clear()
        self.timing_view.clear()
        self.explain_view.clear()
        self.set_title(self.explain_view, "Explain")

    def shutdown(self) -> None:
        """Stop the body's formatter process and a run of the explainer's rules (call
        before the view goes away)."""
        self.body_view.shutdown()
        self.explain_view.shutdown()
