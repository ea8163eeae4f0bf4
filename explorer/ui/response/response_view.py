"""The response panel: a summary line, then tabs for the body and the headers, and the
results of the request's tests and the output of its scripts.

A failed request is shown in the same place, as a message that says what failed, after
how long, and what to try.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
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
    from explorer.core.http.exchange import Response, SendError

_EMPTY, _RESULT, _ERROR = 0, 1, 2


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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._response: Response | None = None
        self._summary: ResponseSummary | None = None
        self._parts: ResponseParts | None = None
        self._error_page: ErrorPage | None = None

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
        self.summary.show_response(response)
        self.parts.set_response(response)
        self.pages.setCurrentIndex(_RESULT)
        self.pages.setEnabled(True)

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
        self.summary.show_error(error)
        self.error_page.show_error(error)
        self.pages.setCurrentIndex(_ERROR)
        self.pages.setEnabled(True)

    def clear(self) -> None:
        self._response = None
        if self._summary is not None:
            self._summary.clear()
        if self._parts is not None:
            self._parts.clear()
        self.pages.setCurrentIndex(_EMPTY)
        self.pages.setEnabled(True)


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
        dropped = []
        for label in self._droppable:
            if self._row.sizeHint().width() <= self.width():
                break
            if label.isVisibleTo(self):
                label.setVisible(False)
                dropped.append(label.text())
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
        self.status_label.setText(f"{response.status} {response.reason}".strip())
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

    def show_error(self, error: SendError) -> None:
        self._show_metrics(True)
        self.status_label.setText("Error" if error.kind.value != "cancelled" else "Cancelled")
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
        self.status_label.setText("")  # no response: no status from an earlier one
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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from explorer.ui.response.body_view import BodyView
        from explorer.ui.response.console_view import ConsoleView
        from explorer.ui.response.response_details import (
            CookiesPage,
            HeadersTable,
            RedirectsTable,
            SentRequestView,
        )
        from explorer.ui.response.tests_view import TestsView
        from explorer.ui.response.timing_view import TimingView

        self.setAccessibleName("Response parts")
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
        self.addTab(self.console_view, "Console")
        for source in (self.body_view, self.headers_table, self.cookies_table):
            source.assert_requested.connect(self.assert_requested)
            source.capture_requested.connect(self.capture_requested)
        self.setTabVisible(self.indexOf(self.console_view), False)  # until a script runs

    def set_response(self, response: Response) -> None:
        self.headers_table.set_response(response)
        self.setTabText(1, f"Headers ({len(response.headers)})")
        cookies = self.cookies_page.set_response(response)
        self.setTabText(2, f"Cookies ({cookies})" if cookies else "Cookies")
        self.timing_view.set_response(response)
        hops = self.redirects_table.set_response(response)
        self.setTabText(4, f"Redirects ({hops})" if hops else "Redirects")
        self.sent_view.set_response(response)
        self.body_view.set_body(
            response.body, response.body_path, response.content_type, response.url
        )
        if response.body_size == 0:
            self.body_view.explain_empty(empty_body_sentence(response))
        # A new response: until its checks report, none are shown for it.
        self.tests_view.clear()
        self.setTabText(self.indexOf(self.tests_view), "Tests")
        self.console_view.clear()

    def show_checking(self, what: str) -> None:
        self.tests_view.show_checking(what)
        self.setTabText(self.indexOf(self.tests_view), "Tests …")

    def show_checks(
        self, results: Sequence[AssertionResult], captured: Sequence[CapturedValue]
    ) -> None:
        from explorer.ui.response.tests_view import badge

        self.tests_view.set_results(results, captured)
        self.setTabText(self.indexOf(self.tests_view), badge(results))

    def show_check_failure(self, message: str) -> None:
        self.tests_view.show_failure(message)
        self.setTabText(self.indexOf(self.tests_view), "Tests !")

    def show_console(self, lines: Sequence[str], error: str, status: str) -> None:
        index = self.indexOf(self.console_view)
        self.setTabVisible(index, True)
        self.console_view.show_lines(lines, error, status)
        self.setTabText(index, "Console !" if error else "Console")

    def clear(self) -> None:
        self.body_view.clear()
        self.headers_table.setRowCount(0)
        self.cookies_page.clear()
        self.timing_view.clear()

    def shutdown(self) -> None:
        """Stop the body's formatter process (call before the view goes away)."""
        self.body_view.shutdown()
