"""The parts of a multipart/form-data body, one row of controls per part.

Rows of real widgets rather than a QTableWidget: each part needs a checkbox, a Text/File
switch, a text field or a file picker, and a content type, and every one of them must be
reachable with Tab and carry its own accessible name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import Part
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.file_picker import FilePicker
from explorer.ui.widgets.fitting import fit_popup
from explorer.ui.widgets.variable_highlight import ScopesProvider, VariableHighlighter

_TEXT, _FILE = 0, 1
_HEADERS = ("", "Name", "Type", "Value", "Content type", "")


class PartRow:
    """The controls of one part; they live in the table's grid."""

    def __init__(self, parent: QWidget, part: Part) -> None:
        self.enabled = QCheckBox(parent)
        self.name = QLineEdit(parent)
        self.name.setPlaceholderText("name")
        self.kind = QComboBox(parent)
        self.kind.addItems(["Text", "File"])
        fit_popup(self.kind)  # "Text" and "File" whole, not "Te" and "Fil"
        self.value = QLineEdit(parent)
        self.value.setPlaceholderText("value")
        self.file = FilePicker("Part file", parent, compact=True)
        self.stack = QStackedWidget(parent)
        self.stack.addWidget(self.value)
        self.stack.addWidget(self.file)
        self.content_type = QLineEdit(parent)
        self.content_type.setPlaceholderText("auto")
        self.remove = QToolButton(parent)
        self.remove.setText("✕")
        self.remove.setAutoRaise(True)
        self.fill(part)
        self.kind.currentIndexChanged.connect(self.stack.setCurrentIndex)

    def widgets(self) -> list[QWidget]:
        """Grid columns, left to right (also the Tab order)."""
        return [self.enabled, self.name, self.kind, self.stack, self.content_type, self.remove]

    def focus_chain(self) -> list[QWidget]:
        """The row's focusable controls in Tab order."""
        return [
            self.enabled,
            self.name,
            self.kind,
            self.value,
            self.file.line_edit,
            self.file.browse_button,
            self.content_type,
            self.remove,
        ]

    def fill(self, part: Part) -> None:
        """Show `part`; the text of a file part stays empty and vice versa."""
        self.enabled.setChecked(part.enabled)
        self.name.setText(part.name)
        self.value.setText(part.value)
        self.file.set_path(part.file)
        self.kind.setCurrentIndex(_FILE if part.is_file else _TEXT)
        self.stack.setCurrentIndex(self.kind.currentIndex())
        self.content_type.setText(part.content_type)

    def part(self) -> Part:
        """The part as edited: a file part carries only its path, a text part its value."""
        is_file = self.kind.currentIndex() == _FILE
        return Part(
            name=self.name.text(),
            value="" if is_file else self.value.text(),
            file=self.file.path() if is_file else "",
            content_type=self.content_type.text().strip(),
            enabled=self.enabled.isChecked(),
        )

    def set_number(self, number: int) -> None:
        """Accessible names say which part a control belongs to."""
        self.enabled.setAccessibleName(f"Part {number} enabled")
        self.name.setAccessibleName(f"Part {number} name")
        self.kind.setAccessibleName(f"Part {number} type")
        self.value.setAccessibleName(f"Part {number} value")
        self.file.line_edit.setAccessibleName(f"Part {number} file path")
        self.file.browse_button.setAccessibleName(f"Browse for part {number} file")
        self.content_type.setAccessibleName(f"Part {number} content type")
        self.remove.setAccessibleName(f"Remove part {number}")
        self.remove.setToolTip(f"Remove part {number}")

    def problem(self) -> str:
        """What is wrong with the part's file, if it is a file part."""
        if self.kind.currentIndex() != _FILE or not self.enabled.isChecked():
            return ""
        if not self.file.path().strip():
            return "no file chosen"
        return self.file.problem()


class MultipartTable(QWidget):
    """Edits a tuple of `Part`s; `changed` fires on every user edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PartRow] = []
        self._variable_scopes: ScopesProvider | None = None
        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        for column, title in enumerate(_HEADERS):
            label = QLabel(title, self._grid_host)
            label.setEnabled(False)  # the muted look of a table header
            self._grid.addWidget(label, 0, column)
        self._grid.setColumnStretch(1, 2)
        self._grid.setColumnStretch(3, 4)
        self._grid.setColumnStretch(4, 2)
        self._grid.setRowStretch(1, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._grid_host)
        scroll.setAccessibleName("Multipart parts")
        self.add_button = QPushButton("Add part", self)
        self.add_button.setAccessibleName("Add part")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.problems_label = MessageLabel("error", self)
        self.problems_label.setAccessibleName("Multipart problems")
        self.changed.connect(self._show_problems)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems_label)
        layout.addLayout(buttons)

    def parts(self) -> tuple[Part, ...]:
        """Every row with a name or content, in order."""
        parts = (row.part() for row in self._rows)
        return tuple(p for p in parts if p.name or p.value or p.file or p.content_type)

    def set_parts(self, parts: tuple[Part, ...] | list[Part]) -> None:
        """Replace all rows, without emitting `changed`."""
        for row in list(self._rows):
            self._drop(row)
        for part in parts:
            self._append(part)
        if not self._rows:
            self._append(Part(""))
        self._show_problems()

    def row_count(self) -> int:
        """How many rows are shown (an empty one included)."""
        return len(self._rows)

    def row(self, index: int) -> PartRow:
        """The controls of row `index`."""
        return self._rows[index]

    def problems(self) -> list[str]:
        """ "Part 2 (avatar): file not found" for every enabled file part that cannot be
        read."""
        found = []
        for number, row in enumerate(self._rows, start=1):
            problem = row.problem()
            if problem:
                found.append(f"Part {number} ({row.name.text() or 'no name'}): {problem}")
        return found

    def add_part(self, part: Part | None = None) -> PartRow:
        """Add a row at the end, focus its name and emit `changed`."""
        row = self._append(part or Part(""))
        row.name.setFocus()
        self.changed.emit()
        return row

    def set_variable_scopes(self, provider: ScopesProvider | None) -> None:
        """Highlight `{{variables}}` in the name and text fields, of new rows too."""
        first = self._variable_scopes is None
        self._variable_scopes = provider
        if first and provider is not None:
            for row in self._rows:
                self._highlight(row)

    def _highlight(self, row: PartRow) -> None:
        if self._variable_scopes is not None:
            for edit in (row.name, row.value):
                # Through a lambda: the provider may be replaced later.
                VariableHighlighter(edit, lambda: (self._variable_scopes or list)())

    def _append(self, part: Part) -> PartRow:
        row = PartRow(self._grid_host, part)
        self._highlight(row)
        self._rows.append(row)
        self._connect(row)
        self._relayout()
        return row

    def _connect(self, row: PartRow) -> None:
        row.enabled.toggled.connect(self.changed)
        row.name.textEdited.connect(self.changed)
        row.kind.currentIndexChanged.connect(self.changed)
        row.value.textEdited.connect(self.changed)
        row.file.changed.connect(self.changed)
        row.content_type.textEdited.connect(self.changed)
        row.remove.clicked.connect(lambda: self._on_remove_clicked(row))

    def _drop(self, row: PartRow) -> None:
        self._rows.remove(row)
        for widget in row.widgets():
            self._grid.removeWidget(widget)
            # Hidden at once: deleteLater waits for the event loop, and until then the
            # widget would still be painted where it was.
            widget.hide()
            widget.deleteLater()
        self._relayout()

    def _relayout(self) -> None:
        """Put the rows back in the grid in order, renumbered, stretch below the last."""
        for index in range(self._grid.rowCount()):
            self._grid.setRowStretch(index, 0)
        previous: QWidget | None = None
        for number, row in enumerate(self._rows, start=1):
            for column, widget in enumerate(row.widgets()):
                centred = column in (0, len(_HEADERS) - 1)
                alignment = Qt.AlignmentFlag.AlignCenter if centred else Qt.AlignmentFlag(0)
                self._grid.addWidget(widget, number, column, alignment)
            row.set_number(number)
            for widget in row.focus_chain():
                if previous is not None:
                    QWidget.setTabOrder(previous, widget)
                previous = widget
        if previous is not None:
            QWidget.setTabOrder(previous, self.add_button)
        self._grid.setRowStretch(len(self._rows) + 1, 1)

    def _show_problems(self) -> None:
        self.problems_label.show_message("\n".join(self.problems()))

    def _on_add_clicked(self) -> None:
        self.add_part()

    def _on_remove_clicked(self, row: PartRow) -> None:
        self._drop(row)
        if not self._rows:
            self._append(Part(""))
        self.changed.emit()
