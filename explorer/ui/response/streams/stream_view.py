"""The messages of a stream as a live table: server-sent events and WebSocket frames.

One row per message (time since start, direction, type, id, size, the data's first line);
the selected message in full below, pretty when it is JSON. Messages arrive in batches
(`qt/stream_batcher`), and a batch is one model insertion, so thousands a second cost
twenty insertions, not thousands. The table follows the newest message while it is
scrolled to the bottom, and stays where the reader put it otherwise. At most
MAX_KEPT_MESSAGES are kept; older ones are dropped and counted.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.streams import MAX_KEPT_MESSAGES, StreamMessage
from explorer.core.units import human_size
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fonts import monospace_font
from explorer.ui.widgets.theme import palette

COLUMNS = ("Time", "", "Type", "Id", "Size", "Data")
TIME, DIRECTION, TYPE, ID, SIZE, DATA = range(len(COLUMNS))
ARROWS = {"in": "↓", "out": "↑"}  # received, sent
# The Data column shows this much of a message; the detail pane shows it whole.
PREVIEW_CHARS = 200
# Pretty-printing a huge message on selection would stall: above this, shown as it came.
MAX_PRETTY_CHARS = 1 << 20

Index = QModelIndex | QPersistentModelIndex
# The roles `StreamModel.data` answers, as plain ints (an enum's attribute lookups cost
# more than the comparison, per cell and role of every repaint).
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_ROLES_SHOWN = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND, _ALIGNMENT})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


def preview(data: str) -> str:
    """The first line of `data`, cut to PREVIEW_CHARS, with "…" when there is more."""
    line, _newline, rest = data[: PREVIEW_CHARS + 1].partition("\n")
    cut = len(line) > PREVIEW_CHARS or bool(rest) or len(data) > PREVIEW_CHARS + 1
    return line[:PREVIEW_CHARS] + ("…" if cut else "")


def pretty(data: str) -> str:
    """`data` indented when it is JSON (and not huge); as it is otherwise."""
    if len(data) > MAX_PRETTY_CHARS:
        return data
    try:
        return json.dumps(json.loads(data), indent=2, ensure_ascii=False)
    except ValueError:
        return data


# A kept message as a plain tuple of its fields (StreamMessage's order). Python's cyclic
# garbage collector stops tracking a tuple of strings and numbers the first time it sees
# one, while it scans every dataclass instance on each collection of its generation: with
# 30,000 messages kept, one such collection on the GUI thread (qt/gc_guard) took 87 ms of
# a 10,000-a-second WebSocket (tests/bench/bench_ws.py).
_Row = tuple[float, str, str, str, str, int]


def _row(message: StreamMessage) -> _Row:
    return (message.at_ms, message.direction, message.type, message.data, message.id, message.size)


class StreamModel(QAbstractTableModel):
    """The kept messages, oldest first; `dropped` counts the ones let go."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._messages: deque[_Row] = deque()
        self.dropped = 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._messages)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Called for every role of every visible cell at each repaint (twenty a second
        # while a stream is live), on the GUI thread while a reading thread wants the
        # GIL too: the roles with nothing to say leave first, before touching the index.
        if role not in _ROLES_SHOWN:
            return None
        column = index.column()
        if role == _DISPLAY:
            row = index.row()
            if not 0 <= row < len(self._messages):
                return None
            return self._text(self._messages[row], column)
        if role == _ALIGNMENT:
            return _RIGHT if column in (TIME, SIZE) else None
        if column != DIRECTION or not index.isValid():
            return None
        direction = self._messages[index.row()][1]
        if role == _TOOLTIP:
            return "received" if direction == "in" else "sent"
        colours = palette()
        return colours.qcolor("success" if direction == "in" else "info")

    @staticmethod
    def _text(message: _Row, column: int) -> str:
        at_ms, direction, kind, data, ident, size = message
        if column == TIME:
            return f"{at_ms / 1000:.3f} s"
        if column == DIRECTION:
            return ARROWS.get(direction, direction)
        if column == TYPE:
            return kind
        if column == ID:
            return ident
        if column == SIZE:
            return human_size(size)
        return preview(data)

    def message(self, row: int) -> StreamMessage:
        return StreamMessage(*self._messages[row])

    def messages(self) -> list[StreamMessage]:
        return [StreamMessage(*row) for row in self._messages]

    def append(self, batch: Sequence[StreamMessage]) -> None:
        """Add a batch at the end, dropping the oldest past MAX_KEPT_MESSAGES."""
        if not batch:
            return
        batch = batch[-MAX_KEPT_MESSAGES:]
        excess = len(self._messages) + len(batch) - MAX_KEPT_MESSAGES
        if excess > 0:
            self.beginRemoveRows(QModelIndex(), 0, excess - 1)
            for _ in range(excess):
                self._messages.popleft()
            self.endRemoveRows()
            self.dropped += excess
        first = len(self._messages)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._messages.extend(map(_row, batch))
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._messages.clear()
        self.dropped = 0
        self.endResetModel()


class StreamView(QWidget):
    """The live table of a stream's messages, with the selected one in full."""

    def __init__(
        self, what: str = "Messages", parent: QWidget | None = None, *, summary: bool = True
    ) -> None:
        """`summary`: the count line above the table (off when the owner says it)."""
        super().__init__(parent)
        self.setAccessibleName(what)
        self._with_summary = summary
        self.model = StreamModel(self)
        self.table = QTableView(self)
        self.table.setAccessibleName(f"{what} table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Uniform rows: the view never measures a row's contents, whatever the count.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        widths = {
            TIME: metrics.horizontalAdvance("0000.000 s") + 16,
            DIRECTION: metrics.horizontalAdvance("↓") + 20,
            TYPE: metrics.horizontalAdvance("message") + 24,
            ID: metrics.horizontalAdvance("0000") + 24,
            SIZE: metrics.horizontalAdvance("1023 bytes") + 16,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.table.setFont(monospace_font())
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        # Following the newest is a state the reader changes by scrolling, not a look at
        # the scroll bar before each batch: a resize (or the tab shown for the first
        # time) moves the bottom away from where the bar is, and once stopped it.
        self._following = True
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)

        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName(f"Selected {what.lower().rstrip('s')}")
        self.detail.setFont(monospace_font())
        self.detail.setPlaceholderText("Select a message to see it whole.")
        self.summary = MessageLabel("muted", self)
        self.summary.setAccessibleName(f"{what} summary")

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if summary:
            layout.addWidget(self.summary)
        else:
            self.summary.hide()
        layout.addWidget(splitter, 1)
        self._show_summary()

    def append(self, batch: Sequence[StreamMessage]) -> None:
        """Show a batch of new messages; follow them when the table is at the bottom."""
        following = self._following
        self.model.append(batch)
        if following:
            self.table.scrollToBottom()
            self._following = True
        self._show_summary()

    def _scrolled(self, value: int) -> None:
        bar = self.table.verticalScrollBar()
        self._following = value >= bar.maximum() - 2

    def clear(self) -> None:
        self._following = True
        self.model.clear()
        self.detail.clear()
        self._show_summary()

    def _show_summary(self) -> None:
        if not self._with_summary:
            return
        count = self.model.rowCount()
        if not count:
            self.summary.show_message("No messages yet.")
            return
        words = f"{count:,} message" + ("" if count == 1 else "s")
        if self.model.dropped:
            words += f" (the oldest {self.model.dropped:,} let go to bound memory)"
        self.summary.show_message(words)

    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        message = self.model.message(current.row())
        self.detail.setPlainText(pretty(message.data))
