"""The list of a run's results, drawn without Python while the run goes.

While a run's thread works (Python: sending, checking), every call from Qt into Python
on the GUI thread must win the GIL back, which can take the thread's whole switch
interval (5 ms) each time. A view over a Python model calls into Python for each cell
and role it paints, some hundreds of times a screen: with a run going, one repaint
took up to 0.8 s. So the view here shows a small C++ model (`QStandardItemModel`)
holding only the rows on screen, filled from `RunResultsModel.cell` in one Python call
(`refill`) when the results or the scroll position change; painting, hovering and
selecting then stay in C++. The scroll bar and the keys that move through the list
are this widget's own, over all the results. It also keeps the memory constant: a
screenful of items, whatever the number of results.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QStandardItem,
    QStandardItemModel,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QScrollBar,
    QTableView,
    QWidget,
)

from explorer.ui.runner.results_model import COLUMNS, RunResultsModel, mark_icon
from explorer.ui.widgets.theme import palette

WHEEL_ROWS = 3  # rows scrolled by one notch of the wheel


class ResultsList(QWidget):
    """A table of the results in `model`, showing `visible_rows()` of them from
    `offset`. `current` is the model row chosen (-1 for none)."""

    current_changed = Signal(int)  # model row, or -1
    activated = Signal(int)  # model row double-clicked or Enter pressed
    expand_clicked = Signal(int)  # model row whose marker was clicked

    def __init__(self, model: RunResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.offset = 0
        self.current = -1
        self._brushes: dict[str, QBrush] = {}
        self._italic = QFont()
        self._italic.setItalic(True)
        self.shown = QStandardItemModel(0, len(COLUMNS), self)
        self.shown.setHorizontalHeaderLabels(list(COLUMNS))

        self.view = QTableView(self)
        self.view.setAccessibleName("Run results")
        self.view.setModel(self.shown)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.scroll_bar = QScrollBar(Qt.Orientation.Vertical, self)
        self.scroll_bar.setAccessibleName("Scroll the results")
        self.scroll_bar.valueChanged.connect(self._on_scrolled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.scroll_bar)

        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(self)
        self.view.doubleClicked.connect(
            lambda index: self.activated.emit(self.offset + index.row())
        )
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current)
        model.rowsInserted.connect(self._on_inserted)
        for signal in (model.rowsRemoved, model.modelReset, model.dataChanged):
            signal.connect(self.refill)

    # ---- what is on screen --------------------------------------------------------------

    def row_height(self) -> int:
        return self.view.verticalHeader().defaultSectionSize()

    def visible_rows(self) -> int:
        """Whole rows that fit (at least one)."""
        height = self.view.viewport().height()
        return max(1, height // max(1, self.row_height()))

    def window_row(self, row: int) -> int:
        """The row of the shown model where model row `row` is, or -1."""
        at = row - self.offset
        return at if 0 <= at < self.shown.rowCount() else -1

    def _on_inserted(self, _parent: QModelIndex, first: int, _last: int) -> None:
        """Rows below the screen (passes arriving while the top is shown) change only
        the scroll bar; anything else is shown again."""
        if first > self.offset + self.visible_rows():
            self._update_range()
        else:
            self.refill()

    def _update_range(self) -> None:
        total, visible = self.model.rowCount(), self.visible_rows()
        self.scroll_bar.blockSignals(True)
        self.scroll_bar.setRange(0, max(0, total - visible))
        self.scroll_bar.setPageStep(visible)
        self.scroll_bar.setValue(self.offset)
        self.scroll_bar.setVisible(total > visible)
        self.scroll_bar.blockSignals(False)

    def refill(self, *_args: object) -> None:
        """Show the results from `offset` (kept in range), the current one selected."""
        total = self.model.rowCount()
        visible = self.visible_rows()
        self.offset = min(self.offset, max(0, total - visible))
        self._update_range()
        if self.current >= total:
            self.current = -1
        count = min(visible + 1, total - self.offset)  # one more, partly shown
        if self.shown.rowCount() != count:
            self.shown.setRowCount(count)
        colours = palette()
        for r in range(count):
            for column in range(len(COLUMNS)):
                self._set(r, column, self.offset + r, colours)
        self._select_current()

    def _set(self, r: int, column: int, row: int, colours: object) -> None:
        cell = self.model.cell(row, column)
        item = self.shown.item(r, column)
        if item is None:
            item = QStandardItem()
            item.setEditable(False)
            self.shown.setItem(r, column, item)
        if item.text() != cell.text:
            item.setText(cell.text)
        key = (cell.role, cell.icon, cell.small_icon, cell.align, cell.italic)
        if item.data(Qt.ItemDataRole.UserRole) != key:
            item.setData(key, Qt.ItemDataRole.UserRole)
            if cell.role:
                item.setForeground(self._brush(cell.role))
            else:  # the view's own text colour (an empty brush would paint black)
                item.setData(None, Qt.ItemDataRole.ForegroundRole)
            item.setIcon(mark_icon(cell.icon, cell.small_icon) if cell.icon else QIcon())
            item.setTextAlignment(
                Qt.AlignmentFlag(cell.align)
                if cell.align
                else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            )
            item.setFont(self._italic if cell.italic else QFont())

    def _brush(self, role: str) -> QBrush:
        brush = self._brushes.get(role)
        if brush is None:
            brush = self._brushes[role] = QBrush(QColor(getattr(palette(), role)))
        return brush

    def refresh_colours(self) -> None:
        """The theme changed: colours and marks again."""
        self._brushes.clear()
        for r in range(self.shown.rowCount()):
            for column in range(len(COLUMNS)):
                item = self.shown.item(r, column)
                if item is not None:
                    item.setData(None, Qt.ItemDataRole.UserRole)
        self.refill()

    # ---- moving ---------------------------------------------------------------------------

    def scroll_to(self, row: int) -> None:
        """Make model row `row` visible."""
        visible = self.visible_rows()
        if row < self.offset:
            self.offset = row
        elif row >= self.offset + visible:
            self.offset = row - visible + 1
        self.refill()

    def set_current(self, row: int) -> None:
        """Choose model row `row` (-1: none) and show it."""
        total = self.model.rowCount()
        row = -1 if total == 0 else max(0, min(row, total - 1))
        changed = row != self.current
        self.current = row
        if row >= 0:
            self.scroll_to(row)
        else:
            self._select_current()
        if changed:
            self.current_changed.emit(row)

    def _select_current(self) -> None:
        at = self.window_row(self.current) if self.current >= 0 else -1
        selection = self.view.selectionModel()
        selection.blockSignals(True)
        if at >= 0:
            self.view.setCurrentIndex(self.shown.index(at, 1))
            self.view.selectRow(at)
        else:
            self.view.clearSelection()
            self.view.setCurrentIndex(QModelIndex())
        selection.blockSignals(False)
        self.view.viewport().update()

    def _on_double_clicked(self, index: QModelIndex) -> None:
        self.activated.emit(self.offset + index.row())

    def _on_view_current(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if index.isValid():
            self.set_current(self.offset + index.row())

    def _on_scrolled(self, value: int) -> None:
        if value != self.offset:
            self.offset = value
            self.refill()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if watched is self.view.viewport():
            if kind == QEvent.Type.Wheel:
                assert isinstance(event, QWheelEvent)
                notches = event.angleDelta().y() / 120
                self.scroll_bar.setValue(self.offset - round(notches * WHEEL_ROWS))
                return True
            if kind == QEvent.Type.Resize:
                self.refill()
            if kind == QEvent.Type.MouseButtonRelease:
                assert isinstance(event, QMouseEvent)
                index = self.view.indexAt(event.position().toPoint())
                if index.isValid() and index.column() == 0:
                    self.expand_clicked.emit(self.offset + index.row())
        elif watched is self.view and kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key, page = event.key(), self.visible_rows()
        moves: dict[int, int] = {
            int(Qt.Key.Key_Up): self.current - 1,
            int(Qt.Key.Key_Down): self.current + 1,
            int(Qt.Key.Key_PageUp): self.current - page,
            int(Qt.Key.Key_PageDown): self.current + page,
            int(Qt.Key.Key_Home): 0,
            int(Qt.Key.Key_End): self.model.rowCount() - 1,
        }
        if int(key) in moves:
            self.set_current(max(0, moves[int(key)]))
            return True
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Space) and self.current >= 0:
            expanded = self.model.is_expanded(self.current)
            if key == Qt.Key.Key_Space or (key == Qt.Key.Key_Right) != expanded:
                self.expand_clicked.emit(self.current)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current >= 0:
            self.activated.emit(self.current)
            return True
        return False
