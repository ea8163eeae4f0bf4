"""An editable table of variables: enabled, name, value and a "secret" flag per row.

Secret values are masked (in the cell and while editing) until "reveal" is turned on.
There is always one empty row at the bottom: typing into it adds a variable.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from explorer.core.collection import Variable

ENABLED, NAME, VALUE, SECRET = 0, 1, 2, 3
MASK = "••••••••"


class _ValueDelegate(QStyledItemDelegate):
    """Masks the values of secret rows unless the table reveals them."""

    def __init__(self, table: VariablesTable) -> None:
        super().__init__(table)
        self.table = table

    def _masked(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        return self.table.is_secret_row(index.row()) and not self.table.revealed

    def initStyleOption(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if self._masked(index) and option.text:
            option.text = MASK

    def createEditor(  # noqa: N802 - Qt's name
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.setAccessibleName("Variable value")
            if self._masked(index):
                editor.setEchoMode(QLineEdit.EchoMode.Password)
        return editor


class VariablesTable(QTableWidget):
    """Rows of variables. `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.revealed = False
        self._updating = False
        self.setHorizontalHeaderLabels(["", "Name", "Value", "Secret"])
        self.setAccessibleName("Variables table")
        self.setAccessibleDescription(
            "Each row is one variable: enabled, name, value, and whether it is secret. "
            "Secret values are kept out of collection files. Type in the last row to add one."
        )
        header = self.horizontalHeader()
        header.setSectionResizeMode(ENABLED, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(ENABLED, 28)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(NAME, 180)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SECRET, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setItemDelegateForColumn(VALUE, _ValueDelegate(self))
        self.itemChanged.connect(self._on_item_changed)
        self.set_variables(())

    def set_variables(self, variables: tuple[Variable, ...] | list[Variable]) -> None:
        """Show `variables` (and the empty row for a new one)."""
        self._updating = True
        try:
            self.setRowCount(0)
            for variable in variables:
                self._append(variable)
            self._append(None)
        finally:
            self._updating = False

    def variables(self) -> tuple[Variable, ...]:
        """The variables as edited; rows without a name are left out."""
        found = []
        for row in range(self.rowCount()):
            name = self._text(row, NAME).strip()
            if not name:
                continue
            found.append(
                Variable(
                    name=name,
                    value=self._text(row, VALUE),
                    secret=self._checked(row, SECRET),
                    enabled=self._checked(row, ENABLED),
                )
            )
        return tuple(found)

    def set_revealed(self, revealed: bool) -> None:
        """Show secret values in clear (True) or masked (False)."""
        self.revealed = revealed
        self.viewport().update()

    def is_secret_row(self, row: int) -> bool:
        """Whether the row at `row` is marked secret."""
        return self._checked(row, SECRET)

    def remove_selected(self) -> None:
        """Delete the selected rows (never the empty last row)."""
        rows = sorted({i.row() for i in self.selectedIndexes()}, reverse=True)
        for row in rows:
            if row < self.rowCount() - 1:
                self.removeRow(row)
        if rows:
            self.changed.emit()

    def _append(self, variable: Variable | None) -> None:
        row = self.rowCount()
        self.insertRow(row)
        enabled = QTableWidgetItem()
        enabled.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        on = variable is None or variable.enabled
        enabled.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        enabled.setData(Qt.ItemDataRole.AccessibleTextRole, "Enabled")
        self.setItem(row, ENABLED, enabled)
        self.setItem(row, NAME, QTableWidgetItem(variable.name if variable else ""))
        self.setItem(row, VALUE, QTableWidgetItem(variable.value if variable else ""))
        secret = QTableWidgetItem()
        secret.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        is_secret = variable is not None and variable.secret
        secret.setCheckState(Qt.CheckState.Checked if is_secret else Qt.CheckState.Unchecked)
        secret.setData(Qt.ItemDataRole.AccessibleTextRole, "Secret")
        secret.setToolTip("Secret: the value stays in the local secret store, never in a file")
        self.setItem(row, SECRET, secret)

    def _on_item_changed(self, _item: QTableWidgetItem) -> None:
        if self._updating:
            return
        last = self.rowCount() - 1
        if self._text(last, NAME) or self._text(last, VALUE):
            self._updating = True
            try:
                self._append(None)
            finally:
                self._updating = False
        self.viewport().update()
        self.changed.emit()

    def _text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def _checked(self, row: int, column: int) -> bool:
        item = self.item(row, column)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def set_cell(self, row: int, column: int, text: str) -> None:
        """Type `text` into a cell, as the user would (for tests and scripting)."""
        item = self.item(row, column)
        if item is not None:
            item.setText(text)

    def set_checked(self, row: int, column: int, checked: bool) -> None:
        """Tick or clear a checkbox cell (enabled or secret)."""
        item = self.item(row, column)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
