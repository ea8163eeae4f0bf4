"""An editable table of name/value rows, each with an "enabled" checkbox.

Used for headers, query parameters, form fields and variables. There is always one
empty row at the bottom: typing into it adds a row, as in Postman and Insomnia.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import Pair

if TYPE_CHECKING:
    from explorer.ui.widgets.variable_highlight import ScopesProvider

_ENABLED, _NAME, _VALUE = 0, 1, 2


def set_up_row_table(table: QTableWidget) -> None:
    """How every table of editable rows behaves: whole rows selected, no row numbers,
    editing by typing or double click, Tab leaving the table (not walking its cells)."""
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
        | QAbstractItemView.EditTrigger.SelectedClicked
    )
    table.setTabKeyNavigation(False)


class KeyValueTable(QWidget):
    """Rows of (enabled, name, value). `changed` fires on every edit."""

    changed = Signal()

    def __init__(
        self,
        what: str,
        name_label: str = "Name",
        value_label: str = "Value",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._what = what
        self._updating = False
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["", name_label, value_label])
        self.table.setAccessibleName(f"{what} table")
        self.table.setAccessibleDescription(
            f"Each row is one {what.lower().rstrip('s')}: a checkbox to enable it, a name "
            "and a value. Type in the last row to add one."
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(_ENABLED, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(_ENABLED, 28)
        header.setSectionResizeMode(_NAME, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(_NAME, 200)
        header.setStretchLastSection(True)
        set_up_row_table(self.table)
        self.table.itemChanged.connect(self._on_item_changed)

        self.add_button = QPushButton("Add", self)
        self.add_button.setAccessibleName(f"Add {what.lower().rstrip('s')}")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setAccessibleName(f"Remove selected {what.lower()}")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.up_button = QPushButton("Move up", self)
        self.up_button.setAccessibleName(f"Move the selected {what.lower().rstrip('s')} up")
        self.up_button.setToolTip("Move the selected row up (Ctrl+Up)")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton("Move down", self)
        self.down_button.setAccessibleName(f"Move the selected {what.lower().rstrip('s')} down")
        self.down_button.setToolTip("Move the selected row down (Ctrl+Down)")
        self.down_button.clicked.connect(lambda: self.move_current(1))
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.move_current(step))

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._ensure_blank_row()

    def set_variable_scopes(self, provider: ScopesProvider | None) -> None:
        """Highlight `{{variables}}` in the name and value cells, resolved against the
        scopes `provider` returns (None turns the highlighting off)."""
        # Imported here: the workspace calls this after the first paint, and the
        # variable machinery is not needed to show an empty table.
        from explorer.ui.widgets.variable_delegate import VariableDelegate, VariableDelegateMixin

        for column in (_NAME, _VALUE):
            delegate = self.table.itemDelegateForColumn(column)
            if not isinstance(delegate, VariableDelegateMixin):
                delegate = VariableDelegate(self.table)
                self.table.setItemDelegateForColumn(column, delegate)
            delegate.variable_scopes = provider
        self.refresh_variables()

    def refresh_variables(self) -> None:
        """Repaint the cells after the scopes changed."""
        self.table.viewport().update()

    def pairs(self) -> tuple[Pair, ...]:
        """The rows that have a name or a value, in order."""
        rows = []
        for row in range(self.table.rowCount()):
            name = self._text(row, _NAME)
            value = self._text(row, _VALUE)
            if not name and not value:
                continue
            check = self.table.item(row, _ENABLED)
            enabled = check is None or check.checkState() == Qt.CheckState.Checked
            rows.append(Pair(name, value, enabled))
        return tuple(rows)

    def set_pairs(self, pairs: tuple[Pair, ...] | list[Pair]) -> None:
        """Replace all rows, without emitting `changed`."""
        self._updating = True
        try:
            self.table.setRowCount(0)
            for pair in pairs:
                self._append_row(pair)
            self._ensure_blank_row()
        finally:
            self._updating = False

    def add_row(self, pair: Pair) -> None:
        """Add a row above the blank one and emit `changed`."""
        self._updating = True
        try:
            blank = self.table.rowCount() - 1
            self.table.insertRow(blank)
            self._fill_row(blank, pair)
        finally:
            self._updating = False
        self.changed.emit()

    def move_current(self, step: int) -> bool:
        """Move the current row up (-1) or down (+1); the blank last row stays last."""
        row = self.table.currentRow()
        target = row + step
        last_filled = self.table.rowCount() - 2
        if row < 0 or row > last_filled or not 0 <= target <= last_filled:
            return False
        pairs = list(self._all_rows())
        pairs[row], pairs[target] = pairs[target], pairs[row]
        column = max(self.table.currentColumn(), 0)
        self.set_pairs(pairs)
        self.table.setCurrentCell(target, column)
        self.changed.emit()
        return True

    def _all_rows(self) -> list[Pair]:
        rows = []
        for row in range(self.table.rowCount() - 1):
            check = self.table.item(row, _ENABLED)
            enabled = check is None or check.checkState() == Qt.CheckState.Checked
            rows.append(Pair(self._text(row, _NAME), self._text(row, _VALUE), enabled))
        return rows

    def _append_row(self, pair: Pair) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._fill_row(row, pair)

    def _fill_row(self, row: int, pair: Pair) -> None:
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        check.setCheckState(Qt.CheckState.Checked if pair.enabled else Qt.CheckState.Unchecked)
        check.setData(Qt.ItemDataRole.AccessibleTextRole, "enabled")
        self.table.setItem(row, _ENABLED, check)
        self.table.setItem(row, _NAME, QTableWidgetItem(pair.name))
        self.table.setItem(row, _VALUE, QTableWidgetItem(pair.value))

    def _ensure_blank_row(self) -> None:
        last = self.table.rowCount() - 1
        if last < 0 or self._text(last, _NAME) or self._text(last, _VALUE):
            self._append_row(Pair("", ""))

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _on_item_changed(self, _item: QTableWidgetItem) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self._ensure_blank_row()
        finally:
            self._updating = False
        self.changed.emit()

    def _on_add_clicked(self) -> None:
        last = self.table.rowCount() - 1
        self.table.setCurrentCell(last, _NAME)
        item = self.table.item(last, _NAME)
        if item is not None:  # the empty row at the end always has its items
            self.table.editItem(item)

    def _on_remove_clicked(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        self._updating = True
        try:
            for row in rows:
                if row < self.table.rowCount() - 1:
                    self.table.removeRow(row)
            self._ensure_blank_row()
        finally:
            self._updating = False
        if rows:
            self.changed.emit()
