"""The load runs saved in the data folder: a list, newest first; open a run's HTML
report; select two and compare them (totals, then p50/p95/rps of each request, with the
change from the older run to the newer).

The folder is read off the GUI thread (a `BackgroundQueue` job).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.load_runs.compare import Change, compare_requests, compare_totals
from explorer.core.load_runs.saved import SavedRun, list_runs
from explorer.qt.background import BackgroundQueue
from explorer.ui.load.live_tables import RIGHT, milliseconds
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.theme import palette


def run_result(run: SavedRun) -> str:
    """ "passed", "thresholds failed", "stopped" … in a word or two."""
    if run.finished is None:
        return run.problem
    if run.finished.failed_thresholds:
        return "thresholds failed"
    if run.finished.reason == "stopped":
        return "stopped"
    if run.finished.reason == "error":
        return "error"
    if run.finished.total.requests and run.finished.total.failures == run.finished.total.requests:
        return "all failed"
    return "passed" if run.finished.thresholds else "done"


def shown_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return milliseconds(value)
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "/s":
        return f"{value:.1f}/s"
    if unit == "s":
        return f"{value:.1f} s"
    return f"{value:,.0f}"


class PastRuns(QWidget):
    """Saved runs, their reports and a comparison of two."""

    compared = Signal()

    def __init__(self, data_dir: Path, queue: BackgroundQueue, parent: QWidget | None = None):
        super().__init__(parent)
        self.data_dir = data_dir
        self.queue = queue
        self.runs: list[SavedRun] = []
        # Replaceable in tests: how a report is opened.
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl

        self.table = QTableWidget(0, 8, self)
        self.table.setHorizontalHeaderLabels(
            ["Started", "Run", "Setup", "Requests", "Req/s", "p95", "Errors", "Result"]
        )
        self.table.setAccessibleName("Saved load runs")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_report())

        self.refresh_button = QPushButton("Refresh", self)
        self.report_button = QPushButton("Open report", self)
        self.report_button.setToolTip("Open the run's HTML report in the web browser")
        self.folder_button = QPushButton("Open folder", self)
        self.compare_button = QPushButton("Compare", self)
        self.compare_button.setToolTip("Select two runs: the older is the baseline")
        self.refresh_button.clicked.connect(self.refresh)
        self.report_button.clicked.connect(self.open_report)
        self.folder_button.clicked.connect(self.open_folder)
        self.compare_button.clicked.connect(self.compare_selected)
        self.message = MessageLabel("muted", self)

        buttons = QHBoxLayout()
        for button in (self.refresh_button, self.report_button, self.folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.compare_button)

        self.comparison_title = QLabel("Select two runs and Compare.", self)
        self.comparison_title.setWordWrap(True)
        self.comparison = QTableWidget(0, 4, self)
        self.comparison.setHorizontalHeaderLabels(["", "Baseline", "Compared", "Change"])
        self.comparison.setAccessibleName("Comparison of two load runs")
        self.comparison.verticalHeader().setVisible(False)
        self.comparison.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.comparison.setWordWrap(False)
        cheader = self.comparison.horizontalHeader()
        cheader.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        cheader.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.message)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.comparison_title)
        bottom_layout.addWidget(self.comparison, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        self._selection_changed()

    # -- listing --------------------------------------------------------------------

    def refresh(self) -> None:
        folder = self.data_dir
        self.queue.run(lambda: list_runs(folder), self.show_runs, self._failed)

    def _failed(self, error: Exception) -> None:
        self.message.show_message(f"The saved runs could not be read: {error}", "error")

    def show_runs(self, runs: list[SavedRun]) -> None:
        self.runs = runs
        self.table.setRowCount(len(runs))
        for index, run in enumerate(runs):
            total = run.finished.total if run.finished else None
            cells = [
                run.started,
                run.name,
                run.setup,
                f"{total.requests:,}" if total else "—",
                f"{total.rps:.1f}" if total else "—",
                milliseconds(total.p95) if total else "—",
                f"{total.error_share * 100:.2f} %" if total else "—",
                run_result(run),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (3, 4, 5, 6):
                    item.setTextAlignment(RIGHT)
                if column == 7 and text not in ("passed", "done"):
                    item.setForeground(palette().qcolor("error" if "fail" in text else "muted"))
                self.table.setItem(index, column, item)
        self.message.show_message(
            "" if runs else "No saved load runs yet: each run is kept here when it ends."
        )
        self._selection_changed()

    def selected_runs(self) -> list[SavedRun]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.runs[row] for row in rows if row < len(self.runs)]

    def _selection_changed(self) -> None:
        chosen = self.selected_runs()
        one = len(chosen) == 1
        self.report_button.setEnabled(one and chosen[0].report is not None)
        self.folder_button.setEnabled(one)
        two = len(chosen) == 2 and all(run.finished is not None for run in chosen)
        self.compare_button.setEnabled(two)

    # -- actions --------------------------------------------------------------------

    def open_report(self) -> None:
        chosen = self.selected_runs()
        report = chosen[0].report if len(chosen) == 1 else None
        if report is None:
            return
        if not self.open_url(QUrl.fromLocalFile(str(report))):
            self.message.show_message(f"No web browser could open {report}", "warning")

    def open_folder(self) -> None:
        chosen = self.selected_runs()
        if len(chosen) == 1:
            self.open_url(QUrl.fromLocalFile(str(chosen[0].folder)))

    def compare_selected(self) -> None:
        chosen = self.selected_runs()
        if len(chosen) != 2:
            return
        newer, older = chosen  # listed newest first
        self.compare(older, newer)

    def compare(self, baseline: SavedRun, other: SavedRun) -> None:
        if baseline.finished is None or other.finished is None:
            return
        self.comparison_title.setText(
            f"Baseline: {baseline.started} {baseline.name}{_setup(baseline)}    "
            f"Compared: {other.started} {other.name}{_setup(other)}"
        )
        rows: list[tuple[str, Change | None]] = [
            (change.label, change) for change in compare_totals(baseline.finished, other.finished)
        ]
        for request in compare_requests(baseline.finished, other.finished):
            rows.append((request.name, None))
            rows += [(f"    {c.label}", c) for c in (request.p50, request.p95, request.rps)]
        self._fill_comparison(rows)
        self.compared.emit()

    def _fill_comparison(self, rows: Sequence[tuple[str, Change | None]]) -> None:
        table = self.comparison
        table.clearSpans()
        table.setRowCount(len(rows))
        worse, better = palette().qcolor("error"), palette().qcolor("success")
        for index, (label, change) in enumerate(rows):
            head = QTableWidgetItem(label)
            if change is None:  # a request's name, over its three measures
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                table.setItem(index, 0, head)
                for column in (1, 2, 3):
                    table.setItem(index, column, QTableWidgetItem(""))
                continue
            table.setItem(index, 0, head)
            cells = (
                shown_value(change.before, change.unit),
                shown_value(change.after, change.unit),
                change.change,
            )
            for column, text in enumerate(cells, start=1):
                item = QTableWidgetItem(text)
                item.setTextAlignment(RIGHT)
                if column == 3 and change.worse:
                    item.setForeground(worse)
                elif column == 3 and change.better:
                    item.setForeground(better)
                table.setItem(index, column, item)


def _setup(run: SavedRun) -> str:
    return f" ({run.setup})" if run.setup else ""
