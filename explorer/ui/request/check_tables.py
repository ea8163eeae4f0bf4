"""The assertions and captures tables of the Tests tab.

One row per assertion (`jsonpath $.id > 0`) or capture (`token ← jsonpath $.token`),
edited in place: the subject and the operator are picked from a list, the other cells
are typed, the flags are checkboxes. `{{variables}}` in the argument and expected cells
are highlighted as in every other field. Rows the request inherits from its folders and
collection are listed read-only under the table, with where they come from, as the
Headers tab lists inherited headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import Assertion, Capture, Operator, Subject
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fitting import fit_popup
from explorer.ui.widgets.key_value_table import set_up_row_table
from explorer.ui.widgets.variable_highlight import ScopesProvider

Index = QModelIndex | QPersistentModelIndex
Cell = str | bool
_E = TypeVar("_E", Subject, Operator)

# Subjects that need an argument (a name, an expression, a schema), with what it is.
ARGUMENT_OF = {
    Subject.HEADER: "a header name",
    Subject.JSONPATH: "a JSONPath such as $.items[0].id",
    Subject.JMESPATH: "a JMESPath such as items[0].id",
    Subject.XPATH: "an XPath such as //title",
    Subject.REGEX: "a regular expression",
    Subject.COOKIE: "a cookie name",
    Subject.JSON_SCHEMA: "a JSON Schema, inline or a file in the collection",
    Subject.OPENAPI: "SPEC#METHOD /path, SPEC a file in the collection",
    Subject.VARIABLE: "a variable name",
}
# Operators that compare with nothing: the expected cell is left empty.
WITHOUT_EXPECTED = frozenset({Operator.EXISTS, Operator.VALID})
TYPE_NAMES = ("string", "integer", "float", "number", "boolean", "null", "list", "object",
              "date", "empty")  # fmt: skip
# The longest text a cell takes from a pasted or dropped value: a table row is no place
# for a body (and a long cell slows every repaint).
CELL_LIMIT = 64 * 1024


def filters_text(filters: Sequence[str]) -> str:
    """Filters as one cell: `nth 0 | regex "(\\d+)"` (a `|` inside quotes is kept)."""
    return " | ".join(filters)


def parse_filters(text: str) -> tuple[str, ...]:
    """The filters of a cell written by `filters_text`: split at each `|` outside double
    quotes (a backslash escapes the next character inside them); blanks dropped."""
    filters: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "|" and not quoted:
            filters.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    filters.append("".join(current).strip())
    return tuple(f for f in filters if f)


def describe_assertion(assertion: Assertion) -> str:
    """One line for a row, e.g. `jsonpath $.id | count not > 0` (its name if it has one)."""
    if assertion.name:
        return assertion.name
    parts = [assertion.subject.value]
    if assertion.argument:
        parts.append(assertion.argument)
    if assertion.filters:
        parts.append("| " + filters_text(assertion.filters))
    if assertion.negate:
        parts.append("not")
    parts.append(assertion.operator.value)
    if assertion.expected and assertion.operator not in WITHOUT_EXPECTED:
        parts.append(assertion.expected)
    return " ".join(parts)


def describe_capture(capture: Capture) -> str:
    """One line for a capture row, e.g. `token ← jsonpath $.token (secret)`."""
    source = capture.subject.value + (f" {capture.argument}" if capture.argument else "")
    if capture.filters:
        source += " | " + filters_text(capture.filters)
    flags = [w for w, on in (("secret", capture.secret), ("to environment",
             capture.to_environment)) if on]  # fmt: skip
    return f"{capture.variable} ← {source}" + (f" ({', '.join(flags)})" if flags else "")


def assertion_problem(assertion: Assertion) -> str:
    """Why a row cannot check anything as written, or "" (a hint, never a refusal)."""
    if not assertion.enabled:
        return ""
    if assertion.subject in ARGUMENT_OF and not assertion.argument.strip():
        return f"{assertion.subject.value} needs {ARGUMENT_OF[assertion.subject]}"
    if assertion.operator == Operator.IS_TYPE and assertion.expected not in TYPE_NAMES:
        return "isType expects one of " + ", ".join(TYPE_NAMES)
    if assertion.operator == Operator.VALID and assertion.subject not in (
        Subject.JSON_SCHEMA,
        Subject.OPENAPI,
    ):
        return "valid is for jsonschema and openapi"
    return ""


def capture_problem(capture: Capture) -> str:
    """Why a capture row cannot set a variable as written, or ""."""
    if not capture.enabled:
        return ""
    if not capture.variable.strip():
        return "a capture needs a variable name"
    if "{" in capture.variable or "}" in capture.variable:
        return "a variable name is written without {{ }}"
    if capture.subject in ARGUMENT_OF and not capture.argument.strip():
        return f"{capture.subject.value} needs {ARGUMENT_OF[capture.subject]}"
    return ""


@dataclass(frozen=True)
class Column:
    """One column of a rows table: a checkbox, a typed cell or a choice from a list."""

    title: str
    kind: str  # "check", "text" or "choice"
    width: int
    tip: str
    choices: tuple[str, ...] = ()
    variables: bool = False  # {{variables}} highlighted in it


class _ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a drop-down of its column's choices."""

    def __init__(self, choices: tuple[str, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(  # noqa: N802 (Qt override)
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(list(self._choices))
        fit_popup(combo, box=False)  # the cell is as wide as its column; the list fits
        combo.setAccessibleName(str(index.model().headerData(index.column(),
                                    Qt.Orientation.Horizontal)))  # fmt: skip
        # A choice made is a choice committed: no need to click elsewhere first.
        combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))

    def setModelData(  # noqa: N802 (Qt override)
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class RowsTable(QWidget):
    """Editable rows of checks with Add, Remove and Move buttons, a line of hints about
    rows that cannot work as written, and the inherited rows read-only below.
    Subclasses turn rows into cells and back. `changed` fires on every edit."""

    changed = Signal()
    COLUMNS: tuple[Column, ...] = ()
    WHAT = "row"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self._scopes: ScopesProvider | None = None
        columns = self.COLUMNS
        self.table = QTableWidget(0, len(columns), self)
        self.table.setHorizontalHeaderLabels([c.title for c in columns])
        self.table.setAccessibleName(f"{self.WHAT.capitalize()}s table")
        for number, column in enumerate(columns):
            header_item = self.table.horizontalHeaderItem(number)
            if header_item is not None:
                header_item.setToolTip(column.tip)
            if column.kind == "choice":
                self.table.setItemDelegateForColumn(
                    number, _ChoiceDelegate(column.choices, self.table)
                )
        header = self.table.horizontalHeader()
        for number, column in enumerate(columns):
            header.setSectionResizeMode(number, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(number, column.width)
        header.setStretchLastSection(True)
        set_up_row_table(self.table)
        self.table.itemChanged.connect(self._on_item_changed)

        self.add_button = self._button("Add", f"Add a {self.WHAT}", self._on_add)
        self.remove_button = self._button("Remove", f"Remove the selected {self.WHAT}s",
                                          self.remove_selected)  # fmt: skip
        self.up_button = self._button("Move up", f"Move the {self.WHAT} up",
                                      lambda: self.move_current(-1))  # fmt: skip
        self.down_button = self._button("Move down", f"Move the {self.WHAT} down",
                                        lambda: self.move_current(1))  # fmt: skip
        self.hints = MessageLabel("warning", self)
        self.hints.setAccessibleName(f"{self.WHAT.capitalize()} hints")
        self._build_inherited()

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.hints)
        layout.addWidget(self.inherited_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.inherited_table, 1)

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.clicked.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return button

    def _build_inherited(self) -> None:
        self.inherited_toggle = QToolButton(self)
        self.inherited_toggle.setCheckable(True)
        self.inherited_toggle.setChecked(True)
        self.inherited_toggle.setAutoRaise(True)
        self.inherited_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.inherited_toggle.setAccessibleName(f"Show inherited {self.WHAT}s")
        self.inherited_toggle.toggled.connect(lambda _on: self._fit_inherited())
        self.inherited_table = QTableWidget(0, 2, self)
        self.inherited_table.setHorizontalHeaderLabels([self.WHAT.capitalize(), "From"])
        self.inherited_table.setAccessibleName(f"Inherited {self.WHAT}s")
        self.inherited_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.inherited_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.inherited_table.verticalHeader().setVisible(False)
        self.inherited_table.verticalHeader().setDefaultSectionSize(22)
        self.inherited_table.setTabKeyNavigation(False)
        header = self.inherited_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.set_inherited([])

    # -- rows ----------------------------------------------------------------------------

    def _to_cells(self, row: object) -> list[Cell]:
        raise NotImplementedError

    def _from_cells(self, cells: list[Cell]) -> object:
        raise NotImplementedError

    def _problem(self, row: object) -> str:
        return ""

    def _new_row(self) -> object:
        raise NotImplementedError

    def cells(self, row: int) -> list[Cell]:
        """The cells of a row: text, or True/False for a checkbox."""
        found: list[Cell] = []
        for number, column in enumerate(self.COLUMNS):
            item = self.table.item(row, number)
            if column.kind == "check":
                found.append(item is not None and item.checkState() == Qt.CheckState.Checked)
            else:
                found.append(item.text()[:CELL_LIMIT] if item is not None else "")
        return found

    def rows(self) -> tuple:
        """Every row, in order."""
        return tuple(self._from_cells(self.cells(r)) for r in range(self.table.rowCount()))

    def set_rows(self, rows: Sequence[object]) -> None:
        """Replace all rows, without emitting `changed`."""
        self._updating = True
        try:
            self.table.setRowCount(0)
            for row in rows:
                self._insert(self.table.rowCount(), row)
        finally:
            self._updating = False
        self._show_hints()

    def add_row(self, row: object, edit_column: int = -1) -> int:
        """Append `row`, select it and emit `changed`; returns its index."""
        self._updating = True
        try:
            index = self.table.rowCount()
            self._insert(index, row)
        finally:
            self._updating = False
        self.table.setCurrentCell(index, max(edit_column, 1))
        item = self.table.item(index, 1)
        if item is not None:
            self.table.scrollToItem(item)
        self._on_edited()
        return index

    def _insert(self, index: int, row: object) -> None:
        self.table.insertRow(index)
        for number, (column, value) in enumerate(zip(self.COLUMNS, self._to_cells(row),
                                                     strict=True)):  # fmt: skip
            item = QTableWidgetItem()
            if column.kind == "check":
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                              | Qt.ItemFlag.ItemIsSelectable)  # fmt: skip
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, column.title or "enabled")
                item.setToolTip(column.tip)
            else:
                item.setText(str(value))
            self.table.setItem(index, number, item)

    def remove_selected(self) -> None:
        """Remove the selected rows (or the current one)."""
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        if not rows:
            return
        self._updating = True
        try:
            for row in rows:
                self.table.removeRow(row)
        finally:
            self._updating = False
        self._on_edited()

    def move_current(self, step: int) -> bool:
        """Move the current row up (-1) or down (+1)."""
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return False
        rows = list(self.rows())
        rows[row], rows[target] = rows[target], rows[row]
        column = max(self.table.currentColumn(), 1)
        self.set_rows(rows)
        self.table.setCurrentCell(target, column)
        self._on_edited()
        return True

    def _on_add(self) -> None:
        self.add_row(self._new_row(), 1)
        item = self.table.item(self.table.currentRow(), self.table.currentColumn())
        if item is not None:
            self.table.editItem(item)

    def _on_item_changed(self, _item: QTableWidgetItem) -> None:
        if not self._updating:
            self._on_edited()

    def _on_edited(self) -> None:
        self._show_hints()
        self.changed.emit()

    def _show_hints(self) -> None:
        lines = []
        for number, row in enumerate(self.rows(), start=1):
            problem = self._problem(row)
            if problem:
                lines.append(f"Row {number}: {problem}.")
        self.hints.show_message("\n".join(lines[:5]) + ("\n…" if len(lines) > 5 else ""))

    # -- variables -----------------------------------------------------------------------

    def set_variable_scopes(self, provider: ScopesProvider | None) -> None:
        """Highlight `{{variables}}` in the argument and expected cells."""
        from explorer.ui.widgets.variable_delegate import VariableDelegate

        self._scopes = provider
        for number, column in enumerate(self.COLUMNS):
            if not column.variables:
                continue
            delegate = self.table.itemDelegateForColumn(number)
            if not isinstance(delegate, VariableDelegate):
                delegate = VariableDelegate(self.table)
                self.table.setItemDelegateForColumn(number, delegate)
            delegate.variable_scopes = provider
        self.table.viewport().update()

    def refresh_variables(self) -> None:
        """Repaint after the scopes changed."""
        self.table.viewport().update()

    # -- inherited -----------------------------------------------------------------------

    def set_inherited(self, rows: Sequence[tuple[str, str]]) -> None:
        """Show the rows inherited from folders and the collection: (row as text, from)."""
        table = self.inherited_table
        table.setRowCount(len(rows))
        for number, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(text)
                item.setForeground(self.palette().placeholderText())
                table.setItem(number, column, item)
        self.inherited_toggle.setText(f"Inherited from folders and the collection ({len(rows)})")
        self._fit_inherited()

    def inherited_rows(self) -> list[tuple[str, str]]:
        """The inherited rows shown, as (row, from)."""
        table = self.inherited_table
        return [
            (table.item(r, 0).text(), table.item(r, 1).text())  # type: ignore[union-attr]
            for r in range(table.rowCount())
        ]

    def _fit_inherited(self) -> None:
        table = self.inherited_table
        count = table.rowCount()
        self.inherited_toggle.setVisible(count > 0)
        shown = count > 0 and self.inherited_toggle.isChecked()
        lines = min(max(count, 1), 6)
        height = table.horizontalHeader().sizeHint().height() + lines * 22 + 2 * table.frameWidth()
        table.setMaximumHeight(height)
        table.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.inherited_toggle.setArrowType(arrow)


SUBJECTS = tuple(s.value for s in Subject)
OPERATORS = tuple(o.value for o in Operator)


class AssertionsTable(RowsTable):
    """The assertions of a request, folder or collection."""

    WHAT = "assertion"
    # What a row says comes first (subject, argument, not, operator, expected), so it
    # reads whole in a narrow editor; filters and the name, used less, come last.
    COLUMNS = (
        Column("", "check", 28, "Enabled: a disabled assertion is kept but not checked"),
        Column("Subject", "choice", 80, "What is checked in the response", SUBJECTS),
        Column("Argument", "text", 112, "The header or cookie name, the JSONPath, JMESPath "
               "or XPath expression, the regular expression, the schema", variables=True),
        Column("Not", "check", 34, "Turns the operator into its opposite (not contains)"),
        Column("Operator", "choice", 68, "How the value is compared", OPERATORS),
        Column("Expected", "text", 100, "Read as JSON when it is JSON (200, true, \"text\", "
               "[1, 2]), else as text; {{variables}} are resolved", variables=True),
        Column("Filters", "text", 90, 'Applied to the value before it is compared, '
               'separated by |, e.g. count, nth 0, regex "(\\d+)", split ","'),
        Column("Name", "text", 90, "What reports call it (empty: the row as written)"),
    )  # fmt: skip

    def _to_cells(self, row: object) -> list[Cell]:
        assert isinstance(row, Assertion)
        return [row.enabled, row.subject.value, row.argument, row.negate,
                row.operator.value, row.expected, filters_text(row.filters), row.name]  # fmt: skip

    def _from_cells(self, cells: list[Cell]) -> Assertion:
        enabled, subject, argument, negate, operator, expected, filters, name = cells
        return Assertion(
            subject=_member(Subject, str(subject), Subject.STATUS),
            operator=_member(Operator, str(operator), Operator.EQ),
            expected=str(expected),
            argument=str(argument),
            filters=parse_filters(str(filters)),
            negate=bool(negate),
            enabled=bool(enabled),
            name=str(name).strip(),
        )

    def _problem(self, row: object) -> str:
        assert isinstance(row, Assertion)
        return assertion_problem(row)

    def _new_row(self) -> Assertion:
        # The first check most people write; a later one starts from the body.
        if not self.table.rowCount():
            return Assertion(Subject.STATUS, Operator.EQ, "200")
        return Assertion(Subject.JSONPATH, Operator.EQ, "", "$.")


class CapturesTable(RowsTable):
    """The captures of a request, folder or collection."""

    WHAT = "capture"
    COLUMNS = (
        Column("", "check", 28, "Enabled: a disabled capture is kept but not run"),
        Column("Variable", "text", 84, "The variable set, used as {{name}} by the next "
               "requests"),
        Column("Subject", "choice", 80, "Where the value is read in the response", SUBJECTS),
        Column("Argument", "text", 112, "The header or cookie name, the JSONPath, JMESPath "
               "or XPath expression, the regular expression", variables=True),
        Column("Secret", "check", 48, "Masked wherever a secret variable is, never stored "
               "in the history"),
        Column("To env", "check", 52, "Also written to the active environment (a secret "
               "one to the local secret store)"),
        Column("Filters", "text", 90, 'Applied to the value first, separated by |'),
    )  # fmt: skip

    def _to_cells(self, row: object) -> list[Cell]:
        assert isinstance(row, Capture)
        return [row.enabled, row.variable, row.subject.value, row.argument, row.secret,
                row.to_environment, filters_text(row.filters)]  # fmt: skip

    def _from_cells(self, cells: list[Cell]) -> Capture:
        enabled, variable, subject, argument, secret, to_environment, filters = cells
        return Capture(
            variable=str(variable).strip(),
            subject=_member(Subject, str(subject), Subject.JSONPATH),
            argument=str(argument),
            filters=parse_filters(str(filters)),
            secret=bool(secret),
            to_environment=bool(to_environment),
            enabled=bool(enabled),
        )

    def _problem(self, row: object) -> str:
        assert isinstance(row, Capture)
        return capture_problem(row)

    def _new_row(self) -> Capture:
        return Capture("", Subject.JSONPATH, "$.")


def _member(kind: type[_E], text: str, default: _E) -> _E:
    """The enum member written `text` (a cell typed by hand may hold anything)."""
    try:
        return kind(text.strip())
    except ValueError:
        return default
