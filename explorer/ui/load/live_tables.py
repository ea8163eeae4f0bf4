"""The live tables of a load test: per request (requests, failures, rps, p50, p95, p99)
and errors (kind, request, message, count), refilled in place every second.

Rows are capped (`MAX_ROWS`): the protocol already bounds a line, and a table of
thousands of rows redrawn every second would cost the GUI thread more than a frame.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from explorer.core.load_runs.progress import ErrorRow, RequestStats, Totals
from explorer.ui.widgets.theme import palette

MAX_ROWS = 200
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def milliseconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _dense(table: QTableWidget) -> None:
    """Rows of one line of text: a run of 40 requests fits more than ten on screen."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)


def _set(table: QTableWidget, row: int, column: int, text: str, right: bool = False) -> None:
    item = table.item(row, column)
    if item is None:
        item = QTableWidgetItem()
        if right:
            item.setTextAlignment(RIGHT)
        table.setItem(row, column, item)
    if item.text() != text:
        item.setText(text)


class RequestTable(QTableWidget):
    """One row per request name, then the total."""

    HEADERS = ("Request", "Requests", "Failures", "Req/s", "p50", "p95", "p99")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.setAccessibleName("Requests of the load test")
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        _dense(self)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def show_rows(self, rows: Sequence[RequestStats], total: Totals | None) -> None:
        shown = list(rows[:MAX_ROWS])
        count = len(shown) + (1 if total is not None and shown else 0)
        self.setRowCount(count)
        for index, row in enumerate(shown):
            self._fill(index, row.name, row.totals)
        if total is not None and shown:
            self._fill(len(shown), "Total", total)
            item = self.item(len(shown), 0)
            if item is not None:
                font = item.font()
                font.setBold(True)
                item.setFont(font)

    def _fill(self, index: int, name: str, totals: Totals) -> None:
        _set(self, index, 0, name)
        _set(self, index, 1, f"{totals.requests:,}", right=True)
        _set(self, index, 2, f"{totals.failures:,}", right=True)
        _set(self, index, 3, f"{totals.rps:.1f}", right=True)
        _set(self, index, 4, milliseconds(totals.p50), right=True)
        _set(self, index, 5, milliseconds(totals.p95), right=True)
        _set(self, index, 6, milliseconds(totals.p99), right=True)
        failures = self.item(index, 2)
        if failures is not None:
            colour = palette().qcolor("error") if totals.failures else self.palette().text().color()
            failures.setForeground(colour)


class ErrorTable(QTableWidget):
    """One row per (kind, request, message), most frequent first."""

    HEADERS = ("Kind", "Request", "Message", "Count")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.setAccessibleName("Errors of the load test")
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        _dense(self)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)

    def show_rows(self, rows: Sequence[ErrorRow]) -> None:
        shown = sorted(rows, key=lambda row: -row.count)[:MAX_ROWS]
        self.setRowCount(len(shown))
        for index, row in enumerate(shown):
            _set(self, index, 0, row.kind)
            _set(self, index, 1, row.name)
            _set(self, index, 2, row.message)
            _set(self, index, 3, f"{row.count:,}", right=True)
            message = self.item(index, 2)
            if message is not None:
                message.setToolTip(row.message)
