"""Compare two responses: a summary line, then the bodies side by side and the headers.

The window opens it with a list of `Source`s (a tab's response, history entries, "the
previous response of this request") and which two to compare; the two pickers at the top
choose others. Loading and comparing run on the dialog's own background thread with a
`Budget`: the dialog opens at once saying "Comparing…", fills when the work is done, and
stops the work when another pair is chosen or the dialog closes. JSON bodies also list
their structural changes (click one to see it); F7 and Shift+F7 step through the changed
blocks.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.application.comparing import (
    CompareError,
    Comparison,
    Side,
    Source,
    compare_for_window,
)
from explorer.core.diff.budget import Budget, Stopped
from explorer.core.diff.headers_diff import State
from explorer.core.diff.json_diff import Change, Kind
from explorer.core.units import human_duration, human_size
from explorer.qt.background import BackgroundQueue
from explorer.ui.dialogs.diff_view import ChangesView, SideBySideView
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.theme import palette

_STATE_ROLE = {
    State.CHANGED: "diff_changed",
    State.ADDED: "diff_added",
    State.REMOVED: "diff_removed",
}


class ResponseDiffDialog(QDialog):
    """Two responses compared; not modal, so the window stays usable beside it."""

    def __init__(
        self,
        sources: Sequence[Source],
        left: str,
        right: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare responses")
        self.setAccessibleName("Compare responses")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.comparison: Comparison | None = None
        self.problem = ""
        self._sources: list[Source] = []
        self._queue = BackgroundQueue(self)  # its own thread: history writes never wait
        self._budget = Budget()
        # Deleted with its parent (the window closing): the comparison stops first, so
        # the queue's thread, which the deletion waits for, ends at once.
        budgets = self._budgets = [self._budget]
        self.destroyed.connect(lambda _obj=None: _stop_all(budgets))
        self._round = 0
        self._change_rows: list[int] = []
        self._build()
        self.set_sources(sources, left, right)
        self.resize(1100, 700)

    # ---- building ---------------------------------------------------------------------

    def _build(self) -> None:
        self.left_picker = self._picker("Left response")
        self.right_picker = self._picker("Right response")
        swap = QToolButton(self)
        swap.setText("⇄")
        swap.setToolTip("Swap the two sides")
        swap.setAccessibleName("Swap sides")
        swap.clicked.connect(self.swap)
        pickers = QHBoxLayout()
        pickers.addWidget(QLabel("Left:", self))
        pickers.addWidget(self.left_picker, 1)
        pickers.addWidget(swap)
        pickers.addWidget(QLabel("Right:", self))
        pickers.addWidget(self.right_picker, 1)

        self.summary = QLabel(self)
        self.summary.setAccessibleName("Comparison summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes = MessageLabel("muted", self)
        self.notes.setAccessibleName("Comparison notes")
        self.notes.setWordWrap(True)
        self.notes.hide()

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._body_page(), "Body")
        self.headers_table = self._headers_table()
        self.tabs.addTab(self.headers_table, "Headers")

        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def _picker(self, name: str) -> QComboBox:
        picker = QComboBox(self)
        picker.setAccessibleName(name)
        picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        picker.setMinimumContentsLength(24)
        picker.activated.connect(lambda _index: self.start())
        return picker

    def _body_page(self) -> QWidget:
        page = QWidget(self)
        self.previous_button = QPushButton("Previous change", page)
        self.previous_button.setToolTip("The changed block above (Shift+F7)")
        self.previous_button.clicked.connect(self.previous_change)
        self.next_button = QPushButton("Next change", page)
        self.next_button.setToolTip("The changed block below (F7)")
        self.next_button.clicked.connect(self.next_change)
        self.position = QLabel(page)
        self.position.setAccessibleName("Change position")
        for keys, slot in (("F7", self.next_change), ("Shift+F7", self.previous_change)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 4, 0, 0)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.position, 1)

        self.lines = SideBySideView(page)
        self.changes = ChangesView(page)
        self.changes.change_chosen.connect(self.show_change)
        self.changes_title = QLabel(page)
        changes_box = self.changes_box = QWidget(page)
        box = QVBoxLayout(changes_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.changes_title)
        box.addWidget(self.changes, 1)
        self.split = QSplitter(Qt.Orientation.Vertical, page)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(changes_box)
        self.split.addWidget(self.lines)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 3)

        self.waiting = QLabel("Comparing…", page)
        self.waiting.setAccessibleName("Comparing")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body_pages = QStackedWidget(page)
        self.body_pages.addWidget(self.waiting)
        self.body_pages.addWidget(self.split)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.body_pages, 1)
        return page

    def _headers_table(self) -> QTableWidget:
        table = QTableWidget(0, 4, self)
        table.setAccessibleName("Headers compared")
        table.setHorizontalHeaderLabels(["Name", "Left", "Right", "Change"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        return table

    # ---- choosing ---------------------------------------------------------------------

    def set_sources(self, sources: Sequence[Source], left: str, right: str) -> None:
        """Offer `sources` in both pickers and compare `left` with `right` (keys)."""
        self._sources = list(sources)
        for picker, key in ((self.left_picker, left), (self.right_picker, right)):
            picker.clear()
            for source in self._sources:
                picker.addItem(source.label, source.key)
                picker.setItemData(picker.count() - 1, source.label, Qt.ItemDataRole.ToolTipRole)
            picker.setCurrentIndex(max(picker.findData(key), 0))
        self.start()

    def swap(self) -> None:
        left, right = self.left_picker.currentIndex(), self.right_picker.currentIndex()
        self.left_picker.setCurrentIndex(right)
        self.right_picker.setCurrentIndex(left)
        self.start()

    def start(self) -> None:
        """Compare the two chosen responses on the background thread (any comparison
        still running is stopped and its result dropped)."""
        self._budget.stop()
        self._round += 1
        self.comparison, self.problem = None, ""
        left, right = self._chosen(self.left_picker), self._chosen(self.right_picker)
        if left is None or right is None:
            self._show_problem("Nothing to compare: send the request or pick responses.")
            return
        if left.key == right.key:
            self._show_problem("Both sides are the same response: choose another one.")
            return
        self.summary.setText("Comparing…")
        self.notes.hide()
        self.body_pages.setCurrentWidget(self.waiting)
        self.waiting.setText("Comparing…")
        budget = self._budget = Budget()
        self._budgets[:] = [budget]
        number = self._round

        def work() -> Comparison:
            first = left.load()
            budget.check()
            return compare_for_window(first, right.load(), budget)

        self._queue.run(
            work,
            lambda result: self._arrived(number, result),
            lambda error: self._failed(number, error),
        )

    def _chosen(self, picker: QComboBox) -> Source | None:
        key = picker.currentData()
        return next((source for source in self._sources if source.key == key), None)

    @property
    def comparing(self) -> bool:
        return self.comparison is None and not self.problem

    # ---- showing ----------------------------------------------------------------------

    def _arrived(self, number: int, comparison: object) -> None:
        if number != self._round or not isinstance(comparison, Comparison):
            return  # an older comparison: another pair was chosen since
        self.comparison = comparison
        self._name_found(self.left_picker, comparison.left)
        self._name_found(self.right_picker, comparison.right)
        self.summary.setText(summary_text(comparison))
        body = comparison.body
        self.notes.setVisible(bool(body.notes))
        self.notes.setText("\n".join(body.notes))
        titles = (comparison.left.label, comparison.right.label)
        self.lines.set_lines(body.left_lines, body.right_lines, body.lines.opcodes, titles)
        self._change_rows = self.lines.diff_model.change_rows()
        structure = body.json
        self.changes.changes_model.set_changes(structure.changes if structure else ())
        any_change = structure is not None and structure.total > 0
        if any_change and not self.changes_box.isVisible():
            height = max(self.split.height(), 200)  # a third for the list, at any text size
            self.split.setSizes([height // 3, height - height // 3])
        self.changes_box.setVisible(any_change)
        if structure is not None:
            listed = len(structure.changes)
            more = f" (the first {listed:,} of {structure.total:,})" if structure.cut else ""
            self.changes_title.setText(
                f"{structure.total:,} JSON changes{more}: keys compared by name, "
                "arrays by index. Click one to see it below."
            )
        self._fill_headers(comparison)
        if body.mode in ("binary", "empty"):
            self.waiting.setText("\n".join(body.notes) or "Both bodies are empty.")
            self.body_pages.setCurrentWidget(self.waiting)
        else:
            self.body_pages.setCurrentWidget(self.split)
        self._update_position(-1)
        if self._change_rows:
            self.lines.go_to_row(self._change_rows[0])
            self._update_position(self._change_rows[0])

    def _name_found(self, picker: QComboBox, side: Side) -> None:
        """ "Previous response of this request" says which one it turned out to be."""
        source = self._chosen(picker)
        if source is not None and source.key.startswith("previous") and side.label:
            text = f"{source.label}: {side.label}"
            picker.setItemText(picker.currentIndex(), text)
            picker.setItemData(picker.currentIndex(), text, Qt.ItemDataRole.ToolTipRole)

    def _failed(self, number: int, error: Exception) -> None:
        if number != self._round or isinstance(error, Stopped):
            return
        if isinstance(error, CompareError):
            self._show_problem(str(error))
        else:  # a bug or an unreadable file: one line, never a traceback
            self._show_problem(f"The responses could not be compared: {error}")

    def _show_problem(self, text: str) -> None:
        self.problem = text
        self.summary.setText(text)
        self.waiting.setText(text)
        self.body_pages.setCurrentWidget(self.waiting)
        self.headers_table.setRowCount(0)
        self._change_rows = []
        self._update_position(-1)

    def _fill_headers(self, comparison: Comparison) -> None:
        table = self.headers_table
        rows = comparison.headers
        table.setRowCount(len(rows))
        labels = ["Name", comparison.left.label, comparison.right.label, "Change"]
        table.setHorizontalHeaderLabels(labels)
        colours = palette()
        for number, row in enumerate(rows):
            state = "" if row.state is State.SAME else row.state.value
            cells = (row.name, _value(row.left), _value(row.right), state)
            role = _STATE_ROLE.get(row.state)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{row.name}: {text}  ({row.state.value})")
                if role:
                    item.setBackground(QBrush(QColor(getattr(colours, role))))
                table.setItem(number, column, item)
        changed = comparison.header_changes
        self.tabs.setTabText(1, f"Headers ({changed} changed)" if changed else "Headers")
        self.tabs.setTabText(0, "Body" if comparison.body.identical else "Body (changed)")

    # ---- moving between changes -------------------------------------------------------

    def next_change(self) -> None:
        row = self.lines.current_row()
        later = [start for start in self._change_rows if start > row]
        if later:
            self.lines.go_to_row(later[0])
            self._update_position(later[0])

    def previous_change(self) -> None:
        row = self.lines.current_row()
        earlier = [start for start in self._change_rows if start < row]
        if earlier:
            self.lines.go_to_row(earlier[-1])
            self._update_position(earlier[-1])

    def show_change(self, change: Change) -> None:
        """Scroll the side-by-side view to where a JSON change is."""
        body = self.comparison.body if self.comparison else None
        if body is None:
            return
        model = self.lines.diff_model
        if change.kind is Kind.ADDED and change.where in body.right_at:
            row = model.row_of_right(body.right_at[change.where])
        elif change.where in body.left_at:
            row = model.row_of_left(body.left_at[change.where])
        else:
            return
        self.lines.go_to_row(row)
        self._update_position(row)

    def _update_position(self, row: int) -> None:
        total = len(self._change_rows)
        self.previous_button.setEnabled(total > 0)
        self.next_button.setEnabled(total > 0)
        if not total:
            self.position.setText("No changed lines" if self.comparison else "")
            return
        at = sum(1 for start in self._change_rows if start <= row)
        blocks = "changed block" if total == 1 else "changed blocks"
        self.position.setText(f"{at} of {total} {blocks}" if at else f"{total} {blocks}")

    def done(self, result: int) -> None:
        """Closing in any way (Close, Esc, the title bar) stops the comparison: the
        worker ends at its next check and its result is dropped; the dialog goes."""
        self._budget.stop()
        self._round += 1
        super().done(result)
        self.deleteLater()  # Esc only hides a dialog; this one is not reopened


def _stop_all(budgets: list[Budget]) -> None:
    for budget in budgets:
        budget.stop()


def summary_text(comparison: Comparison) -> str:
    """ "200 OK → 201 Created · 120 ms → 98 ms · 4.9 MB → 4.9 MB · 42 changes in the
    body (JSON) · 1 header changed"."""
    left, right = comparison.left, comparison.right
    body = comparison.body
    if body.identical:
        what = "identical bodies" if body.mode != "json" else "identical JSON"
    else:
        count = comparison.body_changes
        unit = {"json": "JSON changes", "text": "changed blocks of lines"}.get(body.mode, "")
        what = f"{count:,} {unit}" if unit else "different bodies"
    headers = comparison.header_changes
    header_words = (
        f"{headers} header{'s' if headers != 1 else ''} changed" if headers else ("same headers")
    )
    return " · ".join(
        (
            _pair(_status(left), _status(right)),
            _pair(human_duration(left.elapsed_ms), human_duration(right.elapsed_ms)),
            _pair(human_size(left.size), human_size(right.size)),
            what,
            header_words,
        )
    )


def _status(side: Side) -> str:
    return f"{side.status} {side.reason}".strip()


def _pair(left: str, right: str) -> str:
    return left if left == right else f"{left} → {right}"


def _value(value: str | None) -> str:
    return "—" if value is None else value
