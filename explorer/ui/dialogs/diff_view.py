"""The two bodies of a comparison side by side, and the list of JSON changes.

Both sides are one table (left line number, left line, right line number, right line),
so they scroll together by construction. The table's model computes each row from the
line diff's opcodes when Qt asks for it (a bisect over the blocks), so 560,000 rows cost
a few blocks of memory and the view paints only the rows on screen; no text document
holds the bodies (Qt's text widgets stall for seconds on megabytes). A line is shown up
to `SHOWN_CHARS` characters, in full (up to `TIP_CHARS`) in its tooltip.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from explorer.core.diff.json_diff import Change, Kind
from explorer.core.diff.text_diff import Opcode
from explorer.ui.widgets.fonts import monospace_font
from explorer.ui.widgets.theme import palette

SHOWN_CHARS = 1_000
TIP_CHARS = 4_000
_LEFT_NUMBER, _LEFT, _RIGHT_NUMBER, _RIGHT = range(4)
# (first, end) of the characters that differ between a changed line and the line facing
# it, on this side; the delegate tints them again.
SEGMENT_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


def _shown(line: str, limit: int) -> str:
    if len(line) <= limit:
        return line
    return f"{line[:limit]}… ({len(line) - limit:,} more characters)"


class _TitledTableModel(QAbstractTableModel):
    """A flat table with one column per title in `titles` and `row_count()` rows."""

    titles: tuple[str, ...] = ()

    def row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.titles)

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = 0
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.titles[section]
        return None


class SideBySideModel(_TitledTableModel):
    """Rows of the aligned line diff: a changed block pairs its lines, the longer side's
    extra lines face an empty cell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._left: Sequence[str] = ()
        self._right: Sequence[str] = ()
        self._blocks: list[Opcode] = []
        self._starts: list[int] = []  # the first row of each block
        self._rows = 0
        self.titles = ("", "Left", "", "Right")

    def set_lines(
        self,
        left: Sequence[str],
        right: Sequence[str],
        opcodes: Sequence[Opcode],
        titles: tuple[str, str] = ("Left", "Right"),
    ) -> None:
        self.beginResetModel()
        self._left, self._right = left, right
        self._blocks, self._starts = [], []
        row = 0
        for block in opcodes:
            _tag, i1, i2, j1, j2 = block
            self._blocks.append(block)
            self._starts.append(row)
            row += max(i2 - i1, j2 - j1)
        self._rows = row
        self.titles = ("", titles[0], "", titles[1])
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)

    def change_rows(self) -> list[int]:
        """The first row of each changed block, top to bottom."""
        return [
            start
            for start, block in zip(self._starts, self._blocks, strict=True)
            if block[0] != "equal"
        ]

    def row_of_left(self, line: int) -> int:
        return self._row_of(line, 1)

    def row_of_right(self, line: int) -> int:
        return self._row_of(line, 3)

    def _row_of(self, line: int, side: int) -> int:
        for start, block in zip(self._starts, self._blocks, strict=True):
            first, end = block[side], block[side + 1]
            assert isinstance(first, int) and isinstance(end, int)
            if first <= line < end:
                return start + line - first
        return 0

    def row_count(self) -> int:
        return self._rows

    def line_at(self, row: int) -> tuple[int | None, int | None, str]:
        """(left line index or None, right line index or None, the block's tag)."""
        number = bisect.bisect_right(self._starts, row) - 1
        tag, i1, i2, j1, j2 = self._blocks[number]
        offset = row - self._starts[number]
        left = i1 + offset if offset < i2 - i1 else None
        right = j1 + offset if offset < j2 - j1 else None
        return left, right, tag

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        left, right, tag = self.line_at(index.row())
        column = index.column()
        line = left if column in (_LEFT_NUMBER, _LEFT) else right
        lines = self._left if column in (_LEFT_NUMBER, _LEFT) else self._right
        if role == Qt.ItemDataRole.DisplayRole:
            if line is None:
                return ""
            if column in (_LEFT_NUMBER, _RIGHT_NUMBER):
                return str(line + 1)
            return _shown(lines[line], SHOWN_CHARS)
        if role == Qt.ItemDataRole.ToolTipRole and column in (_LEFT, _RIGHT) and line is not None:
            return _shown(lines[line], TIP_CHARS)
        if role == SEGMENT_ROLE and column in (_LEFT, _RIGHT) and tag == "replace":
            if left is None or right is None:
                return None
            first, ends = _differing(
                self._left[left][:SHOWN_CHARS], self._right[right][:SHOWN_CHARS]
            )
            return (first, ends[0] if column == _LEFT else ends[1])
        if role == Qt.ItemDataRole.BackgroundRole and tag != "equal" and line is not None:
            if left is not None and right is not None:
                return _brush("diff_changed")
            return _brush("diff_removed" if left is not None else "diff_added")
        if role == Qt.ItemDataRole.ForegroundRole and column in (_LEFT_NUMBER, _RIGHT_NUMBER):
            return _brush("muted")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (_LEFT_NUMBER, _RIGHT_NUMBER):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _differing(left: str, right: str) -> tuple[int, tuple[int, int]]:
    """Where two lines stop sharing their start, and where each one's differing part
    ends (the shared end taken off): "line 20" and "line twenty" -> (5, (7, 11))."""
    first = 0
    shortest = min(len(left), len(right))
    while first < shortest and left[first] == right[first]:
        first += 1
    tail = 0
    while tail < shortest - first and left[-1 - tail] == right[-1 - tail]:
        tail += 1
    return first, (len(left) - tail, len(right) - tail)


class ChangedPartDelegate(QStyledItemDelegate):
    """Paints a cell as usual, then tints the characters that differ from the facing
    line once more, so a changed value stands out within its changed line."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().paint(painter, option, index)
        segment = index.data(SEGMENT_ROLE)
        if not segment or segment[0] >= segment[1]:
            return
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        view = option.widget
        style = view.style() if view is not None else None
        if style is None:
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, view)
        metrics = QFontMetrics(item.font)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        start = box.left() + margin + metrics.horizontalAdvance(text[: segment[0]])
        width = max(metrics.horizontalAdvance(text[segment[0] : segment[1]]), 2)
        painter.save()
        painter.setClipRect(box)
        painter.fillRect(start, box.top() + 1, width, box.height() - 2, _brush("diff_changed"))
        painter.restore()


def _brush(role: str) -> QBrush:
    return QBrush(QColor(getattr(palette(), role)))


class SideBySideView(QTableView):
    """The side-by-side table: fixed row heights, fixed-width font, whole rows selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Bodies side by side")
        self.diff_model = SideBySideModel(self)
        self.setModel(self.diff_model)
        self.setFont(monospace_font())
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        _fixed_rows(self, 4)  # no per-row measuring: 500,000 rows cost nothing
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        for column in (_LEFT, _RIGHT):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column in (_LEFT_NUMBER, _RIGHT_NUMBER):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self._changed_part = ChangedPartDelegate(self)
        for column in (_LEFT, _RIGHT):
            self.setItemDelegateForColumn(column, self._changed_part)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        # Not an event filter: that would take every event of the view through Python,
        # each waiting for the GIL while the comparison runs on its thread.
        super().changeEvent(event)
        if event.type() in _RESTYLED:
            _fixed_rows(self, 4)

    def set_lines(
        self,
        left: Sequence[str],
        right: Sequence[str],
        opcodes: Sequence[Opcode],
        titles: tuple[str, str],
    ) -> None:
        self.diff_model.set_lines(left, right, opcodes, titles)
        digits = len(str(max(len(left), len(right), 1)))
        width = self.fontMetrics().horizontalAdvance("9" * digits) + 14
        for column in (_LEFT_NUMBER, _RIGHT_NUMBER):
            self.setColumnWidth(column, width)

    def go_to_row(self, row: int) -> None:
        """Make `row` the current one and scroll it to the middle. Only its line numbers
        are selected, so the lines keep their added/removed/changed colour."""
        index = self.diff_model.index(row, _LEFT)
        if not index.isValid():
            return
        numbers = QItemSelection()
        for column in (_LEFT_NUMBER, _RIGHT_NUMBER):
            cell = self.diff_model.index(row, column)
            numbers.select(cell, cell)
        chosen = self.selectionModel()
        chosen.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        chosen.select(numbers, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def current_row(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1


def _fixed_rows(view: QTableView, padding: int) -> None:
    """Every row as tall as one line of the view's font, without measuring any row. The
    header's minimum would otherwise follow the header's own font (larger at 200 %
    text), and the style sheet's font is known only once polished; the views call this
    again when their font or style changes (Preferences)."""
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setMinimumSectionSize(1)
    view.ensurePolished()
    rows.setDefaultSectionSize(QFontMetrics(view.font()).height() + padding)


_RESTYLED = (QEvent.Type.FontChange, QEvent.Type.StyleChange)


_KIND_ROLE = {
    Kind.ADDED: "success",
    Kind.REMOVED: "error",
    Kind.CHANGED: "warning",
    Kind.TYPE_CHANGED: "warning",
}


class ChangesModel(_TitledTableModel):
    """The structural changes of a JSON comparison: path, kind, left, right."""

    titles = ("Path", "Change", "Left", "Right")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.changes: Sequence[Change] = ()

    def set_changes(self, changes: Sequence[Change]) -> None:
        self.beginResetModel()
        self.changes = changes
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.changes)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        change = self.changes[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (change.path, change.kind.value, change.left or "—", change.right or "—")[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return _brush(_KIND_ROLE[change.kind])
        return None


class ChangesView(QTableView):
    """The list of JSON changes; activating one asks to show it (`change_chosen`)."""

    change_chosen = Signal(object)  # Change

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("JSON changes")
        self.changes_model = ChangesModel(self)
        self.setModel(self.changes_model)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        _fixed_rows(self, 8)
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        columns.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        columns.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(1, self.fontMetrics().horizontalAdvance("type changed") + 24)
        self.activated.connect(self._chosen)
        self.clicked.connect(self._chosen)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in _RESTYLED:
            _fixed_rows(self, 8)

    def _chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.change_chosen.emit(self.changes_model.changes[index.row()])
