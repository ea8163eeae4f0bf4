"""Smaller response tabs: headers, cookies, redirect chain, and the request as sent.

A header or cookie row's context menu offers "Assert this" and "Capture as variable…"
(`assert_requested(Assertion)`, `capture_requested(Capture)`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.http.exchange import Response, SentRequest
from explorer.core.http.response_meta import cookies_set
from explorer.core.model import Assertion, Subject
from explorer.core.units import human_duration, human_size
from explorer.ui.response.value_actions import (
    add_value_actions,
    ask_variable_name,
    named_assertion,
    named_capture,
    suggested_name,
)
from explorer.ui.widgets.fonts import monospace_font


class ReadOnlyTable(QTableWidget):
    """A table of text cells; Ctrl+C copies the selected rows as tab-separated lines."""

    def __init__(self, columns: list[str], name: str, parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.setHorizontalHeaderLabels(columns)
        self.setAccessibleName(name)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        for column in range(len(columns) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        copy = QShortcut(QKeySequence.StandardKey.Copy, self, self.copy_selection)
        # Set apart: PySide ignores a context passed with a slot. Window-wide, it would
        # take Ctrl+C from every widget that does not claim the key itself.
        copy.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def set_rows(self, rows: list[list[str]]) -> None:
        self.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value if len(value) > 40 else "")
                self.setItem(row, column, item)

    def row_texts(self) -> list[list[str]]:
        return [
            [_text(self.item(row, column)) for column in range(self.columnCount())]
            for row in range(self.rowCount())
        ]

    def copy_selection(self) -> None:
        rows = sorted({index.row() for index in self.selectedIndexes()}) or range(self.rowCount())
        lines = ["\t".join(self.row_texts()[row]) for row in rows]
        QApplication.clipboard().setText("\n".join(lines))


class NamedValuesTable(ReadOnlyTable):
    """Rows whose first two columns are a name and its value (headers, cookies), with
    "Assert this" and "Capture as variable…" in their context menu."""

    assert_requested = Signal(object)  # Assertion
    capture_requested = Signal(object)  # Capture
    SUBJECT = Subject.HEADER

    def __init__(self, columns: list[str], name: str, parent: QWidget | None = None) -> None:
        super().__init__(columns, name, parent)
        self.ask_name = ask_variable_name  # replaceable in tests
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)

    def value_menu(self, row: int) -> QMenu:
        """The context menu of `row`: Copy, then the value actions."""
        menu = QMenu(self)
        copy = menu.addAction("Copy")
        copy.triggered.connect(lambda _checked=False: self.copy_selection())
        valid = 0 <= row < self.rowCount()
        add_value_actions(
            menu,
            valid,
            lambda: self._assert_row(row),
            lambda: self._capture_row(row),
            "" if valid else "Right-click a row",
            self._row_assertion(row) if valid else None,
        )
        return menu

    def _on_context_menu(self, pos: QPoint) -> None:
        row = self.rowAt(pos.y())
        if row >= 0:
            self.selectRow(row)
        menu = self.value_menu(row)
        menu.exec(self.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _name_value(self, row: int) -> tuple[str, str]:
        return _text(self.item(row, 0)), _text(self.item(row, 1))

    def _row_assertion(self, row: int) -> Assertion:
        name, value = self._name_value(row)
        repeated = sum(
            _text(self.item(r, 0)).lower() == name.lower() for r in range(self.rowCount())
        ) > 1  # fmt: skip
        return named_assertion(self.SUBJECT, name, value, repeated)

    def _assert_row(self, row: int) -> None:
        self.assert_requested.emit(self._row_assertion(row))

    def _capture_row(self, row: int) -> None:
        name, _value = self._name_value(row)
        variable = self.ask_name(self, suggested_name(name))
        if variable:
            self.capture_requested.emit(named_capture(variable, self.SUBJECT, name))


class HeadersTable(NamedValuesTable):
    """Response headers in wire order; duplicates (Set-Cookie …) kept.

    Values wrap onto as many lines as they need, so a long Link or Content-Security-Policy
    can be read in place (they used to be cut with "…"); a response has at most a few
    hundred headers (http.client refuses more), so measuring every row stays cheap.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(["Name", "Value"], "Response headers", parent)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def set_response(self, response: Response) -> None:
        self.set_rows([[name, value] for name, value in response.headers])


class CookiesTable(NamedValuesTable):
    """Cookies the response sets, with their attributes."""

    SUBJECT = Subject.COOKIE

    def __init__(self, parent: QWidget | None = None) -> None:
        columns = ["Name", "Value", "Domain", "Path", "Expires", "Secure", "HttpOnly", "SameSite"]
        super().__init__(columns, "Response cookies", parent)

    def set_response(self, response: Response) -> int:
        cookies = cookies_set(response)
        yes_no = {True: "yes", False: "no"}
        self.set_rows(
            [
                [
                    c.name,
                    c.value,
                    c.domain,
                    c.path,
                    c.expires,
                    yes_no[c.secure],
                    yes_no[c.http_only],
                    c.same_site,
                ]
                for c in cookies
            ]
        )
        return len(cookies)


class CookiesPage(QWidget):
    """The Cookies tab: the cookies this response set, or a sentence saying it set none,
    and the way to the workspace's cookie jar (`manage_requested`), which the window
    opens."""

    manage_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = CookiesTable(self)
        self.summary_label = QLabel("", self)
        self.summary_label.setAccessibleName("Cookies summary")
        self.summary_label.setWordWrap(True)
        self.manage_button = QPushButton("Manage cookies…", self)
        self.manage_button.setToolTip(
            "See, edit, add and delete the cookies the workspace keeps and sends"
        )
        self.manage_button.clicked.connect(self.manage_requested)
        self.empty_label = QLabel(
            "This response set no cookies.\n\nCookies the workspace already keeps are "
            "sent with every request to their domain: Manage cookies… shows them.",
            self,
        )
        self.empty_label.setAccessibleName("No cookies")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.manage_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        self.set_count(0)

    def set_response(self, response: Response) -> int:
        count = self.table.set_response(response)
        self.set_count(count)
        return count

    def set_count(self, count: int) -> None:
        self.table.setVisible(count > 0)
        self.empty_label.setVisible(count == 0)
        plural = "" if count == 1 else "s"
        self.summary_label.setText(f"{count} cookie{plural} set along the way" if count else "")

    def clear(self) -> None:
        self.table.setRowCount(0)
        self.set_count(0)


class RedirectsTable(ReadOnlyTable):
    """The chain of hops that led to the final response."""

    def __init__(self, parent: QWidget | None = None) -> None:
        # "Not sent on": credentials withheld from the next hop, another origin. It comes
        # before the long URLs so that it is in view in a narrow response pane.
        columns = ["#", "Status", "Method", "Time", "Not sent on", "URL", "Location"]
        super().__init__(columns, "Redirect chain", parent)

    def set_response(self, response: Response) -> int:
        rows = [
            [str(n), f"{hop.status} {hop.reason}", hop.sent.method,
             human_duration(hop.timing.total), ", ".join(hop.withheld), hop.url, hop.location]
            for n, hop in enumerate(response.hops, start=1)
        ]  # fmt: skip
        final = [
            str(len(rows) + 1), f"{response.status} {response.reason}", response.sent.method,
            human_duration(response.timing.total), "", response.url, "(final)",
        ]  # fmt: skip
        self.set_rows([*rows, final])
        return len(rows)


class SentRequestView(QPlainTextEdit):
    """The final request exactly as it went out: request line, every header, the body."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFont(monospace_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setAccessibleName("Request as sent")

    def set_response(self, response: Response) -> None:
        self.setPlainText(describe_sent(response.sent, response.http_version))


BODY_PREVIEW = 64 * 1024


def describe_sent(sent: SentRequest, version: str = "HTTP/1.1") -> str:
    """The request as text, the way it looks on the wire."""
    parts = urlsplit(sent.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{sent.method} {target} {version}"]
    lines += [f"{name}: {value}" for name, value in sent.headers]
    text = "\n".join(lines) + "\n\n"
    if sent.body_size:
        shown = sent.body[:BODY_PREVIEW]
        if b"\0" in shown:
            text += f"[{human_size(sent.body_size)} of binary data]"
        else:
            text += shown.decode("utf-8", errors="replace")
            if sent.body_size > len(shown):
                text += f"\n[… {human_size(sent.body_size - len(shown))} more]"
    return text


def _text(item: QTableWidgetItem | None) -> str:
    """A cell's text ("" for a cell without an item)."""
    return item.text() if item is not None else ""
