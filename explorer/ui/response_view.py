"""The response panel: a summary line, then tabs for the body and the headers.

A failed request is shown in the same place, as a message that says what failed, after
how long, and what to try.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import Response, SendError
from explorer.core.units import human_duration, human_size
from explorer.ui.theme import colour

_EMPTY, _RESULT, _ERROR = 0, 1, 2


class ResponseView(QWidget):
    """Shows one response or one error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._response: Response | None = None
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
        self.tls_badge.setVisible(False)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Download progress")
        self.progress.setMaximumWidth(260)
        self.progress.setVisible(False)

        summary = QHBoxLayout()
        summary.setContentsMargins(0, 0, 0, 0)
        summary.addWidget(self.status_label)
        summary.addWidget(self.time_label)
        summary.addWidget(self.size_label)
        summary.addWidget(self.version_label)
        summary.addWidget(self.remote_label)
        summary.addWidget(self.tls_badge)
        summary.addStretch(1)
        summary.addWidget(self.progress)

        self._parts: ResponseParts | None = None

        self.placeholder = QLabel(
            "Send a request to see its response here.\n\n"
            "Ctrl+Enter sends, Esc cancels. Server ▸ Start sample server gives you a "
            "practice API to try.",
            self,
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAccessibleName("No response yet")

        self.error_title = QLabel("", self)
        self.error_title.setObjectName("errorTitle")
        self.error_title.setWordWrap(True)
        self.error_title.setAccessibleName("Error")
        self.error_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_detail = QLabel("", self)
        self.error_detail.setWordWrap(True)
        self.error_detail.setAccessibleName("Error details")
        self.error_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error_page = QWidget(self)
        error_layout = QVBoxLayout(error_page)
        error_layout.setContentsMargins(12, 16, 12, 12)
        error_layout.addWidget(self.error_title)
        error_layout.addWidget(self.error_detail)
        error_layout.addStretch(1)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(QWidget(self))  # replaced by the response tabs on first use
        self.pages.addWidget(error_page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(summary)
        layout.addWidget(self.pages, 1)
        self._set_summary_visible(False)

    @property
    def parts(self) -> ResponseParts:
        """The response tabs, built on first use: start-up only pays for what it shows."""
        if self._parts is None:
            self._parts = ResponseParts(self)
            old = self.pages.widget(_RESULT)
            self.pages.insertWidget(_RESULT, self._parts)
            self.pages.removeWidget(old)
            old.deleteLater()
        return self._parts

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

    def _metric(self, name: str) -> QLabel:
        label = QLabel("", self)
        label.setObjectName("metric")
        label.setAccessibleName(name)
        return label

    def show_waiting(self) -> None:
        """A request is on its way."""
        self._started = time.perf_counter()
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Waiting…")

    def show_progress(self, received: int, total: int | None) -> None:
        """Bytes of the body received so far."""
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

    def refresh_colours(self) -> None:
        """Re-colour the summary after a theme change."""
        if self.pages.currentIndex() == _RESULT and self._response is not None:
            self._colour_status(self._response.status_class)
        elif self.pages.currentIndex() == _ERROR:
            self._colour_status("error")
            self.error_title.setStyleSheet(f"color: {colour('error')};")

    def _colour_status(self, status_class: str) -> None:
        known = ("1xx", "2xx", "3xx", "4xx", "5xx", "error")
        text_colour = colour(status_class if status_class in known else "5xx")
        self.status_label.setStyleSheet(f"color: {text_colour}; border: 1px solid {text_colour};")

    def show_response(self, response: Response) -> None:
        """Show a complete response."""
        self._response = response
        self.progress.setVisible(False)
        self._set_summary_visible(True)
        self.status_label.setText(f"{response.status} {response.reason}".strip())
        self._colour_status(response.status_class)
        self.status_label.setToolTip(f"Status class {response.status_class}")
        self.time_label.setText(f"Time {human_duration(response.elapsed_ms)}")
        size = f"Size {human_size(response.body_size)}"
        if response.wire_size and response.wire_size != response.body_size:
            size += f" ({human_size(response.wire_size)} on the wire)"
        self.size_label.setText(size)
        self.version_label.setText(response.http_version)
        self.remote_label.setText(response.remote_address)
        self.remote_label.setVisible(bool(response.remote_address))
        self.tls_badge.setVisible(not response.tls_verified)
        self.tls_badge.setStyleSheet(
            f"color: {colour('warning')}; border: 1px solid {colour('warning')};"
        )
        self.parts.set_response(response)
        self.pages.setCurrentIndex(_RESULT)

    def show_error(self, error: SendError) -> None:
        """Show why the request failed, after how long, and what to try."""
        self._response = None
        self.progress.setVisible(False)
        self._set_summary_visible(True)
        error_colour = colour("error")
        self.status_label.setText("Error" if error.kind.value != "cancelled" else "Cancelled")
        self._colour_status("error")
        self.time_label.setText(f"after {human_duration(error.elapsed_ms)}")
        self.size_label.setText("")
        self.version_label.setText("")
        self.remote_label.setVisible(False)
        self.tls_badge.setVisible(False)
        self.error_title.setText(error.message)
        self.error_title.setStyleSheet(f"color: {error_colour};")
        detail = error.hint
        kind = error.kind.value.replace("_", " ")
        self.error_detail.setText(
            f"{detail}\n\nKind of failure: {kind}." if detail else f"Kind: {kind}."
        )
        self.pages.setCurrentIndex(_ERROR)

    def clear(self) -> None:
        self._response = None
        self._set_summary_visible(False)
        self.progress.setVisible(False)
        if self._parts is not None:
            self._parts.clear()
        self.pages.setCurrentIndex(_EMPTY)

    def _set_summary_visible(self, visible: bool) -> None:
        for label in (
            self.status_label,
            self.time_label,
            self.size_label,
            self.version_label,
            self.remote_label,
        ):
            label.setVisible(visible)
        if not visible:
            self.tls_badge.setVisible(False)


class ResponseParts(QTabWidget):
    """The tabs of a complete response: body, headers, cookies, timing, redirects, request."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from explorer.ui.body_view import BodyView
        from explorer.ui.response_details import (
            CookiesTable,
            HeadersTable,
            RedirectsTable,
            SentRequestView,
        )
        from explorer.ui.timing_view import TimingView

        self.setAccessibleName("Response parts")
        self.body_view = BodyView(self)
        self.headers_table = HeadersTable(self)
        self.cookies_table = CookiesTable(self)
        self.timing_view = TimingView(self)
        self.redirects_table = RedirectsTable(self)
        self.sent_view = SentRequestView(self)
        self.addTab(self.body_view, "Body")
        self.addTab(self.headers_table, "Headers")
        self.addTab(self.cookies_table, "Cookies")
        self.addTab(self.timing_view, "Timing")
        self.addTab(self.redirects_table, "Redirects")
        self.addTab(self.sent_view, "Request")

    def set_response(self, response: Response) -> None:
        self.headers_table.set_response(response)
        self.setTabText(1, f"Headers ({len(response.headers)})")
        cookies = self.cookies_table.set_response(response)
        self.setTabText(2, f"Cookies ({cookies})" if cookies else "Cookies")
        self.timing_view.set_response(response)
        hops = self.redirects_table.set_response(response)
        self.setTabText(4, f"Redirects ({hops})" if hops else "Redirects")
        self.sent_view.set_response(response)
        self.body_view.set_body(response.body, response.body_path, response.content_type)

    def clear(self) -> None:
        self.body_view.clear()
        self.headers_table.setRowCount(0)
        self.timing_view.clear()

    def shutdown(self) -> None:
        """Stop the body's formatter process (call before the view goes away)."""
        self.body_view.shutdown()
