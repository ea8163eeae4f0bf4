"""The Headers tab: the key/value table with completion, a bulk-edit text mode, problem
marking, and the read-only list of headers that are added automatically."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.http.prepare import header_note, header_problem
from explorer.core.model import Pair
from explorer.ui.request.header_completion import NAME_COLUMN, VALUE_COLUMN, HeaderCellDelegate
from explorer.ui.request.raw_body_editor import CodeEdit
from explorer.ui.widgets.code_highlighter import CodeHighlighter
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fitting import scrolling_page
from explorer.ui.widgets.key_value_table import KeyValueTable
from explorer.ui.widgets.theme import palette
from explorer.ui.widgets.variable_delegate import VariableDelegateMixin
from explorer.ui.widgets.variable_highlight import ScopesProvider, TextVariableTips

DISABLED_PREFIX = "# "


class _MutedDelegate(QStyledItemDelegate):
    """Greys the text of read-only rows, in the colour of the current theme."""

    def initStyleOption(  # noqa: N802 (Qt override)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.palette.setColor(QPalette.ColorRole.Text, palette().qcolor("muted"))


class _HeaderCellDelegate(VariableDelegateMixin, HeaderCellDelegate):
    """Completion and problem marking, and `{{variables}}` highlighted; a value that
    can be sent but may not be understood (non-ASCII) is painted and explained as a
    warning."""

    row_note: Callable[[int], str] | None = None

    def cell_message(self, index: QModelIndex | QPersistentModelIndex) -> tuple[str, str]:
        role, text = super().cell_message(index)
        if role or self.row_note is None or index.column() != VALUE_COLUMN:
            return role, text
        note = self.row_note(index.row())
        return ("warning", note) if note else ("", "")


def pairs_to_text(pairs: tuple[Pair, ...] | list[Pair]) -> str:
    """`Name: value` lines; a disabled header is written `# Name: value`."""
    lines = []
    for pair in pairs:
        line = f"{pair.name}: {pair.value}" if pair.value else f"{pair.name}:"
        lines.append(line if pair.enabled else DISABLED_PREFIX + line)
    return "\n".join(lines)


def text_to_pairs(text: str) -> tuple[Pair, ...]:
    """Headers from `Name: value` lines; `#` disables a line, blank lines are skipped.
    Exactly one space after the colon is layout; more is kept as part of the value."""
    pairs = []
    for line in text.splitlines():
        if not line.strip():
            continue
        enabled = not line.lstrip().startswith("#")
        if not enabled:
            line = line.lstrip()[1:]
            line = line[1:] if line.startswith(" ") else line
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        pairs.append(Pair(name, value, enabled))
    return tuple(pairs)


def pair_note(pair: Pair) -> str:
    """A warning about an enabled header that can be sent, or ""."""
    if not pair.enabled or not pair.name.strip() or pair_problem(pair):
        return ""
    return header_note(pair.name.strip(), pair.value)


def pair_problem(pair: Pair) -> str:
    """Why an enabled header cannot be sent, or "" (as prepare checks it on send)."""
    if not pair.enabled or not (pair.name or pair.value):
        return ""
    return header_problem(pair.name.strip(), pair.value)


class HeadersEditor(QWidget):
    """Edits the request headers; `changed` fires on every user edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = KeyValueTable("Headers", parent=self)
        view = self.table.table
        for column in (NAME_COLUMN, VALUE_COLUMN):
            delegate = _HeaderCellDelegate(column, self._row_problem, view)
            delegate.row_note = self._row_note
            view.setItemDelegateForColumn(column, delegate)
        self.table.changed.connect(self._on_edited)

        self.bulk_edit = CodeEdit(self)
        self._bulk_highlighter: CodeHighlighter | None = None
        self._bulk_tips: TextVariableTips | None = None
        self.bulk_edit.setAccessibleName("Headers as text")
        self.bulk_edit.setPlaceholderText("Name: value, one per line\n# Disabled-Name: value")
        self.bulk_edit.textChanged.connect(self._on_bulk_text_changed)
        self.bulk_button = QPushButton("&Bulk edit", self)
        self.bulk_button.setCheckable(True)
        self.bulk_button.setAccessibleName("Bulk edit headers as text")
        self.bulk_button.setToolTip("Edit the headers as Name: value lines")
        self.bulk_button.toggled.connect(self._on_bulk_toggled)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.bulk_edit)
        self.problems_label = MessageLabel("error", self)
        self.problems_label.setAccessibleName("Header problems")
        self.notes_label = MessageLabel("warning", self)
        self.notes_label.setAccessibleName("Header warnings")
        self._build_automatic()
        self._lay_out()

    def _build_automatic(self) -> None:
        self.automatic_toggle = QToolButton(self)
        self.automatic_toggle.setCheckable(True)
        self.automatic_toggle.setChecked(True)
        self.automatic_toggle.setAutoRaise(True)
        self.automatic_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.automatic_toggle.setAccessibleName("Show headers added automatically")
        self.automatic_toggle.toggled.connect(self._on_automatic_toggled)
        self.automatic_table = QTableWidget(0, 3, self)
        self.automatic_table.setHorizontalHeaderLabels(["Name", "Value", "Added by"])
        self.automatic_table.setAccessibleName("Headers added automatically")
        self.automatic_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.automatic_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.automatic_table.verticalHeader().setVisible(False)
        self.automatic_table.verticalHeader().setDefaultSectionSize(22)
        self.automatic_table.setTabKeyNavigation(False)
        header = self.automatic_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 170)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.automatic_table.setItemDelegate(_MutedDelegate(self.automatic_table))
        self.set_automatic_headers([])

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addStretch(1)
        top.addWidget(self.bulk_button)
        # The page scrolls rather than holds the editor open: with the table of automatic
        # headers shown it wants ~260 px, more than a stacked split at 1280×720 gives.
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.stack, 3)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.automatic_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.automatic_table, 1)
        scrolling_page(self, page)
        self.setTabOrder(self.bulk_button, self.table.table)
        self.setTabOrder(self.table.table, self.table.add_button)
        self.setTabOrder(self.table.add_button, self.table.remove_button)
        self.setTabOrder(self.table.remove_button, self.bulk_edit)
        self.setTabOrder(self.bulk_edit, self.automatic_toggle)
        self.setTabOrder(self.automatic_toggle, self.automatic_table)

    # -- value ---------------------------------------------------------------------

    def is_bulk(self) -> bool:
        """True while the headers are edited as text."""
        return self.bulk_button.isChecked()

    def value(self) -> tuple[Pair, ...]:
        """The headers in order, disabled ones and duplicates included."""
        if self.is_bulk():
            return text_to_pairs(self.bulk_edit.toPlainText())
        return self.table.pairs()

    def set_value(self, pairs: tuple[Pair, ...] | list[Pair]) -> None:
        """Show `pairs`, without emitting `changed`."""
        self.table.set_pairs(pairs)
        self.bulk_edit.blockSignals(True)
        try:
            self.bulk_edit.setPlainText(pairs_to_text(pairs))
        finally:
            self.bulk_edit.blockSignals(False)
        self._show_problems()

    def set_variable_scopes(self, provider: ScopesProvider | None) -> None:
        """Highlight `{{variables}}` in the table and the bulk text (idempotent)."""
        self.table.set_variable_scopes(provider)
        if self._bulk_highlighter is None:
            self._bulk_highlighter = CodeHighlighter(self.bulk_edit.document(), "text")
        self._bulk_highlighter.set_variable_scopes(provider)
        if self._bulk_tips is None and provider is not None:
            self._bulk_tips = TextVariableTips(self.bulk_edit, provider)
        elif self._bulk_tips is not None and provider is not None:
            self._bulk_tips.scopes = provider

    def refresh_variables(self) -> None:
        """Re-colour the bulk text after the scopes changed (the table repaints itself)."""
        if self._bulk_highlighter is not None and "{{" in self.bulk_edit.toPlainText():
            self._bulk_highlighter.rehighlight()

    def problems(self) -> list[str]:
        """One line per enabled header that cannot be sent."""
        found = []
        for pair in self.value():
            problem = pair_problem(pair)
            if problem:
                found.append(problem[0].upper() + problem[1:])
        return found

    def notes(self) -> list[str]:
        """One line per enabled header that is sent but may not be understood."""
        return [note[0].upper() + note[1:] for note in map(pair_note, self.value()) if note]

    def set_automatic_headers(self, rows: list[tuple[str, str, str]]) -> None:
        """Show the headers added on send: (name, value, where it comes from). A name
        listed twice is sent once, as its first row says: inherited headers come first,
        and one of them replaces the default of the HTTP library (Accept: */*)."""
        seen: set[str] = set()
        unique = []
        for cells in rows:
            if cells[0].lower() not in seen:
                seen.add(cells[0].lower())
                unique.append(cells)
        rows = unique
        table = self.automatic_table
        table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(text)
                table.setItem(row, column, item)
        self.automatic_toggle.setText(f"Added automatically ({len(rows)})")
        self._fit_automatic_table()

    # -- reactions -----------------------------------------------------------------

    def _fit_automatic_table(self) -> None:
        """As tall as its rows (up to eight), so it never steals the table's room."""
        table = self.automatic_table
        shown = min(max(table.rowCount(), 1), 8)
        height = table.horizontalHeader().sizeHint().height() + shown * 22 + 2 * table.frameWidth()
        table.setMaximumHeight(height)
        shown_now = self.automatic_toggle.isChecked()
        table.setVisible(shown_now)
        arrow = Qt.ArrowType.DownArrow if shown_now else Qt.ArrowType.RightArrow
        self.automatic_toggle.setArrowType(arrow)

    def _row_problem(self, row: int) -> str:
        return pair_problem(self._row_pair(row))

    def _row_note(self, row: int) -> str:
        return pair_note(self._row_pair(row))

    def _row_pair(self, row: int) -> Pair:
        view = self.table.table
        name_item = view.item(row, NAME_COLUMN)
        value_item = view.item(row, VALUE_COLUMN)
        check = view.item(row, 0)
        return Pair(
            name_item.text() if name_item else "",
            value_item.text() if value_item else "",
            check is None or check.checkState() == Qt.CheckState.Checked,
        )

    def _show_problems(self) -> None:
        problems = self.problems()
        fix = "The request cannot be sent until you fix or disable: "
        text = fix + "; ".join(problems) if problems else ""
        self.problems_label.show_message(text)
        self.notes_label.show_message("\n".join(self.notes()))
        self.table.table.viewport().update()

    def _on_edited(self) -> None:
        self._show_problems()
        self.changed.emit()

    def _on_bulk_text_changed(self) -> None:
        if self.is_bulk():
            self._on_edited()

    def _on_bulk_toggled(self, bulk: bool) -> None:
        # Switching modes converts without loss, so it is not an edit: no `changed`.
        if bulk:
            self.bulk_edit.blockSignals(True)
            try:
                self.bulk_edit.setPlainText(pairs_to_text(self.table.pairs()))
            finally:
                self.bulk_edit.blockSignals(False)
            self.stack.setCurrentWidget(self.bulk_edit)
            self.bulk_edit.setFocus()
        else:
            self.table.set_pairs(text_to_pairs(self.bulk_edit.toPlainText()))
            self.stack.setCurrentWidget(self.table)
            self.table.table.setFocus()
        self._show_problems()

    def _on_automatic_toggled(self, _shown: bool) -> None:
        self._fit_automatic_table()
