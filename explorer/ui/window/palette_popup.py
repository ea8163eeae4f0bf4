"""The command palette's popup: a search field over a list of results, near the top
of the main window, as VS Code and Postman show theirs.

It only shows: searching is `core/palette/index`, and what a chosen entry does is the
window's (`command_palette`). Each row is drawn by `_RowDelegate` in two lines: a kind
tag (a request's method in its colour, a history entry's status, "Command", "Env")
and the label with the matched characters in bold and the link colour, the shortcut
at the right; the detail (collection ▸ folder, URL, when) muted underneath. The model
holds at most `index.RESULTS` rows, so one keystroke resets fifty rows, not thousands.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.palette.fuzzy import MAX_QUERY
from explorer.core.palette.index import PREFIXES, Kind, Result
from explorer.ui.widgets.palette import STATUS_ROLES
from explorer.ui.widgets.theme import palette

Index = QModelIndex | QPersistentModelIndex
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1
VISIBLE_ROWS = 10
_TOP = 48  # from the window's top: over the tool bar, under the menu bar
_WIDEST_TAGS = ("Command", "↺ failed", "PATCH", "↺ 200")
_PAD = 8
_KIND_TAGS = {Kind.ACTION: "Command", Kind.ENVIRONMENT: "Env"}
_PLURALS = {Kind.ACTION: "commands", Kind.HISTORY: "history", Kind.ENVIRONMENT: "environments"}
HINT = "Only one kind: " + " · ".join(
    f"{prefix}\u00a0{_PLURALS.get(kind, 'requests')}" for prefix, kind in PREFIXES.items()
)
KEYS = "↑↓ move · Enter open · Esc close"


class ResultModel(QAbstractListModel):
    """The rows of the last search."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.results: list[Result] = []

    def set_results(self, results: Sequence[Result]) -> None:
        self.beginResetModel()
        self.results = list(results)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's
        return 0 if parent.isValid() else len(self.results)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.results):
            return None
        result = self.results[index.row()]
        if role == RESULT_ROLE:
            return result
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            entry = result.entry
            return " ".join(p for p in (entry.kind.value, entry.label, entry.detail) if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            entry = result.entry
            return f"{entry.label}\n{entry.detail}" if entry.detail else entry.label
        return None


def kind_tag(result: Result) -> tuple[str, str]:
    """The tag at the left of a row and the palette role it is drawn in."""
    entry = result.entry
    if entry.kind is Kind.REQUEST:
        method = entry.tag.upper() or "GET"
        return {"DELETE": "DEL", "OPTIONS": "OPT"}.get(method, method)[:6], "method"
    if entry.kind is Kind.HISTORY:
        status = entry.tag
        role = STATUS_ROLES.get(f"{status[:1]}xx", "error") if status.isdigit() else "error"
        return f"↺ {status}", role
    return _KIND_TAGS[entry.kind], "muted"


class _RowDelegate(QStyledItemDelegate):
    """Two lines per result: tag, highlighted label and shortcut; muted detail."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        return QSize(200, 2 * QFontMetrics(option.font).height() + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        result = index.data(RESULT_ROLE)
        if not isinstance(result, Result):
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        colours = palette()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_colour = opt.palette.color(text_role)
        muted = text_colour if selected else QColor(colours.muted)
        accent = QColor(colours.link)  # readable on both themes' grey selection too
        font = QFont(opt.font)
        metrics = QFontMetrics(font)
        line = metrics.height()
        rect = opt.rect.adjusted(_PAD, 5, -_PAD, -5)
        top = QRect(rect.left(), rect.top(), rect.width(), line)
        bottom = QRect(rect.left(), rect.top() + line, rect.width(), line)
        painter.save()

        tag, role = kind_tag(result)
        small = QFont(font)
        small.setBold(True)
        small.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
        small_metrics = QFontMetrics(small)
        tag_width = max(small_metrics.horizontalAdvance(t) for t in _WIDEST_TAGS) + 2 * _PAD
        painter.setFont(small)
        colour = colours.method(result.entry.tag) if role == "method" else getattr(colours, role)
        painter.setPen(text_colour if selected else QColor(colour))
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(QRect(top.left(), top.top(), tag_width, line), align, tag)

        hint = result.entry.hint
        right = top.right()
        if hint:
            painter.setFont(font)
            painter.setPen(muted)
            width = metrics.horizontalAdvance(hint)
            painter.drawText(
                QRect(right - width, top.top(), width, line),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                hint,
            )
            right -= width + 2 * _PAD
        left = top.left() + tag_width
        _draw_highlighted(
            painter,
            QRect(left, top.top(), max(right - left, 0), line),
            result.entry.label,
            result.label_positions,
            font,
            text_colour,
            accent,
        )
        _draw_highlighted(
            painter,
            QRect(left, bottom.top(), max(bottom.right() - left, 0), line),
            result.entry.detail,
            result.detail_positions,
            font,
            muted,
            accent,
        )
        painter.restore()


def _draw_highlighted(
    painter: QPainter,
    rect: QRect,
    text: str,
    positions: Sequence[int],
    font: QFont,
    colour: QColor,
    accent: QColor,
) -> None:
    """`text` in `rect` on one line, the characters at `positions` bold in `accent`,
    elided with "…" where it does not fit."""
    bold = QFont(font)
    bold.setBold(True)
    plain_metrics, bold_metrics = QFontMetrics(font), QFontMetrics(bold)
    marked = set(positions)
    x, limit = rect.left(), rect.right()
    ellipsis = plain_metrics.horizontalAdvance("…")
    start = 0
    align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    while start < len(text):
        highlighted = start in marked
        end = start + 1
        while end < len(text) and (end in marked) == highlighted:
            end += 1
        run = text[start:end]
        metrics = bold_metrics if highlighted else plain_metrics
        width = metrics.horizontalAdvance(run)
        last = end >= len(text)
        if x + width > limit - (0 if last else ellipsis):
            room = max(limit - x - ellipsis, 0)
            run = metrics.elidedText(run + "…", Qt.TextElideMode.ElideRight, room + ellipsis)
            painter.setFont(bold if highlighted else font)
            painter.setPen(accent if highlighted else colour)
            painter.drawText(QRect(x, rect.top(), limit - x, rect.height()), align, run)
            return
        painter.setFont(bold if highlighted else font)
        painter.setPen(accent if highlighted else colour)
        painter.drawText(QRect(x, rect.top(), width + 1, rect.height()), align, run)
        x += width
        start = end


class PalettePopup(QFrame):
    """The popup: `query_changed(text)` as the user types, `chosen(result)` on Enter
    or a click. Esc or a click outside closes it (Qt.Popup)."""

    query_changed = Signal(str)
    chosen = Signal(object)  # Result

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("commandPalette")
        self.setAccessibleName("Command palette")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search the command palette")
        self.search.setPlaceholderText("Search requests, history, environments, commands…")
        self.search.setMaxLength(MAX_QUERY)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.query_changed)
        self.search.installEventFilter(self)
        self.model = ResultModel(self)
        self.list = QListView(self)
        self.list.setAccessibleName("Command palette results")
        self.list.setModel(self.model)
        self.list.setItemDelegate(_RowDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)  # the row under the pointer is lit, as in menus
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.clicked.connect(self._choose_index)
        self._max_rows = VISIBLE_ROWS
        self.status = QLabel(HINT, self)
        self.status.setAccessibleName("Command palette hint")
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)

    def show_results(self, results: Sequence[Result], status: str) -> None:
        """Replace the rows (the first one selected) and the line under them; the
        list is as tall as its rows, up to VISIBLE_ROWS."""
        self.model.set_results(results)
        if results:
            self.list.setCurrentIndex(self.model.index(0))
        self.status.setText(status)
        self._fit_list()

    def _fit_list(self) -> None:
        rows = min(max(self.model.rowCount(), 1), self._max_rows)
        height = rows * self._row_height() + 2 * self.list.frameWidth()
        if self.list.height() != height:
            self.list.setFixedHeight(height)
            self._fit_height()

    def _fit_height(self) -> None:
        # Not adjustSize(): that caps a window at two thirds of the screen, and does not
        # ask the wrapped hint line how tall it is at this width.
        self.resize(self.width(), self._natural_height())

    def _natural_height(self) -> int:
        layout = self.layout()
        if layout is None:
            return self.sizeHint().height()
        layout.activate()
        if layout.hasHeightForWidth():
            return layout.totalHeightForWidth(self.width())
        return layout.totalSizeHint().height()

    def _row_height(self) -> int:
        return 2 * QFontMetrics(self.list.font()).height() + 10

    def current(self) -> Result | None:
        value = self.list.currentIndex().data(RESULT_ROLE)
        return value if isinstance(value, Result) else None

    def open_over(self, window: QWidget) -> None:
        """Show centred near the top of `window`, the field focused."""
        self.setStyleSheet(
            f"QFrame#commandPalette {{ border: 1px solid {palette().muted}; border-radius: 4px; }}"
        )
        width = min(720, max(window.width() - 80, 320))
        self.setFixedWidth(width)
        # At 1280×720 (or a large text scale) ten rows would reach past the window: as
        # many as fit under the search field and above the hint line.
        self._max_rows = 1
        self._fit_list()
        chrome = self._natural_height() - self.list.height()
        room = window.height() - _TOP - chrome - 8
        self._max_rows = max(min(VISIBLE_ROWS, room // self._row_height()), 3)
        self._fit_list()
        self._fit_height()
        origin = window.mapToGlobal(window.rect().topLeft())
        self.move(origin.x() + (window.width() - width) // 2, origin.y() + _TOP)
        self.show()  # a Qt.Popup takes the keyboard without being activated
        self.search.setFocus(Qt.FocusReason.PopupFocusReason)

    def move_selection(self, step: int) -> None:
        """Move the current row by `step`, clamped to the list."""
        rows = self.model.rowCount()
        if not rows:
            return
        row = min(max(self.list.currentIndex().row() + step, 0), rows - 1)
        self.list.setCurrentIndex(self.model.index(row))

    def _page(self) -> int:
        return max(self.list.viewport().height() // self._row_height() - 1, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            steps = {
                Qt.Key.Key_Down: 1,
                Qt.Key.Key_Up: -1,
                Qt.Key.Key_PageDown: self._page(),
                Qt.Key.Key_PageUp: -self._page(),
            }
            if key in steps:
                self.move_selection(steps[Qt.Key(key)])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose_index(self.list.currentIndex())
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def _choose_index(self, index: QModelIndex) -> None:
        result = index.data(RESULT_ROLE) if index.isValid() else None
        if isinstance(result, Result):
            self.close()
            self.chosen.emit(result)
