"""The response's Tests tab: each assertion passed or failed, failures first, with the
expected and actual values and where the assertion is written; then the variables the
response set. Secret values arrive masked (the report is masked before it is shown);
a secret capture's value is never shown here whatever it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QVBoxLayout, QWidget

from explorer.core.checks.results import AssertionResult, CapturedValue
from explorer.ui.response.response_details import ReadOnlyTable
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.theme import palette

SECRET_MARK = "••••••••"
PASSED, FAILED = "✓", "✗"  # coloured; read as "passed" / "failed" by screen readers
NO_CHECKS = (
    "No assertions for this request. Add them in the request's Tests tab, or right-click "
    "a value of the body, a header or a cookie and choose Assert this."
)


def ordered(results: Sequence[AssertionResult]) -> list[AssertionResult]:
    """Failures first, each group in the order the assertions are written."""
    return [r for r in results if not r.passed] + [r for r in results if r.passed]


def badge(results: Sequence[AssertionResult]) -> str:
    """The tab's title: "Tests 3/4" (passed of all), "Tests" without assertions."""
    if not results:
        return "Tests"
    return f"Tests {sum(r.passed for r in results)}/{len(results)}"


class TestsView(QWidget):
    """Shows the outcome of checking one response."""

    __test__ = False  # a widget, not a pytest class

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Test results")
        self.summary = MessageLabel("muted", self)
        self.summary.setAccessibleName("Test summary")
        self.results_table = ReadOnlyTable(
            ["", "Assertion", "Expected", "Actual", "From"], "Assertion results", self
        )
        self.results_table.setWordWrap(False)
        # The assertion takes the room; values are cut (whole in their tooltip) so the
        # source stays in view in a narrow response pane.
        header = self.results_table.horizontalHeader()
        header.setStretchLastSection(False)
        modes = (QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch,
                 QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Interactive,
                 QHeaderView.ResizeMode.ResizeToContents)  # fmt: skip
        for column, mode in enumerate(modes):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(2, 80)
        header.resizeSection(3, 100)
        self.captured_label = QLabel("Captured variables", self)
        self.captured_table = ReadOnlyTable(["Variable", "Value", "From"], "Captured values",
                                            self)  # fmt: skip
        captured = QWidget(self)
        captured_layout = QVBoxLayout(captured)
        captured_layout.setContentsMargins(0, 4, 0, 0)
        captured_layout.addWidget(self.captured_label)
        captured_layout.addWidget(self.captured_table, 1)
        self._captured_page = captured
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.results_table)
        self.splitter.addWidget(captured)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self._results: tuple[AssertionResult, ...] = ()
        self.clear()

    # -- states --------------------------------------------------------------------------

    def clear(self, text: str = NO_CHECKS) -> None:
        """Nothing checked (`text` says why)."""
        self._results = ()
        self.results_table.set_rows([])
        self.captured_table.set_rows([])
        self._captured_page.setVisible(False)
        self.results_table.setVisible(False)
        self.summary.show_message(text, "muted")

    def show_checking(self, what: str = "Checking the response…") -> None:
        """The response arrived; its checks are still running (off the GUI thread)."""
        self.clear(what)

    def show_failure(self, message: str) -> None:
        """The checks could not run at all (a one-line reason)."""
        self.clear()
        self.summary.show_message(f"The checks could not run: {message}", "error")

    def set_results(
        self, results: Sequence[AssertionResult], captured: Sequence[CapturedValue]
    ) -> None:
        """Show checked results (already masked) and captured values."""
        self._results = tuple(results)
        rows = ordered(results)
        self.results_table.set_rows(
            [[PASSED if r.passed else FAILED, r.label, r.expected, _actual(r), r.source]
             for r in rows]
        )  # fmt: skip
        self._recolour()
        for number, result in enumerate(rows):
            item = self.results_table.item(number, 0)
            if item is None:
                continue
            word = "passed" if result.passed else "failed"
            item.setData(Qt.ItemDataRole.AccessibleTextRole, word)
            item.setToolTip(word)
            label = self.results_table.item(number, 1)
            if label is not None:
                label.setToolTip(result.label)
            if result.message:
                for column in range(self.results_table.columnCount()):
                    cell = self.results_table.item(number, column)
                    if cell is not None:
                        cell.setToolTip(result.message)
        self.results_table.setVisible(bool(rows))
        self.captured_table.set_rows([_captured_row(c) for c in captured])
        self._fit_captured(len(captured))
        self._captured_page.setVisible(bool(captured))
        failed = sum(not r.passed for r in results)
        if not results:
            text, role = ("No assertions; the captures below were taken." if captured
                          else NO_CHECKS), "muted"  # fmt: skip
        elif failed:
            text, role = f"{failed} of {len(results)} assertions failed.", "error"
        else:
            text, role = f"All {len(results)} assertions passed.", "success"
        self.summary.show_message(text, role)

    def _recolour(self) -> None:
        """The ✓ and ✗ in the colours of the current theme."""
        colours = palette()
        for number in range(self.results_table.rowCount()):
            item = self.results_table.item(number, 0)
            if item is not None:
                role = "success" if item.text() == PASSED else "error"
                item.setForeground(QBrush(colours.qcolor(role)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow a theme switch (after it is recorded: the next turn of the loop)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            QTimer.singleShot(0, self, self._recolour)

    def results(self) -> tuple[AssertionResult, ...]:
        """The results shown, as given."""
        return self._results

    def _fit_captured(self, count: int) -> None:
        """As tall as its rows (up to six): the results keep the rest of the room."""
        table = self.captured_table
        lines = min(max(count, 1), 6)
        row = table.verticalHeader().defaultSectionSize()
        header = table.horizontalHeader().sizeHint().height()
        height = header + lines * row + 2 * table.frameWidth() + 2
        table.setMinimumHeight(height)
        table.setMaximumHeight(height if count <= 6 else 16_777_215)
        self.splitter.setSizes([max(self.height() - height, 100), height + 28])


def _actual(result: AssertionResult) -> str:
    """The actual value, with why it could not be judged when that is the failure."""
    if result.message and not result.passed:
        return f"{result.actual} — {result.message}" if result.actual else result.message
    return result.actual


def _captured_row(value: CapturedValue) -> list[str]:
    if value.value is None:
        shown = f"(not set) {value.message}".strip()
    elif value.secret:
        shown = SECRET_MARK  # whatever the value, even if the mask missed a form of it
    else:
        shown = value.value
    target = value.variable + (" → environment" if value.to_environment else "")
    return [target, shown, value.source]
