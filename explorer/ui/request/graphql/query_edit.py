"""The query editor: completion from the schema as you type (Ctrl+Space asks), and the
problems of the last check underlined where they are, explained on hover.

The candidates come from `explorer.core.graphql.completion`, worked out on the GUI
thread: the walk starts at the definition the cursor is in and is bounded, so a keystroke
costs well under a frame (tests/bench/bench_graphql_editor.py measures it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QStandardItem,
    QStandardItemModel,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextEdit,
    QToolTip,
    QWidget,
)

from explorer.ui.request.raw_body_editor import CodeEdit
from explorer.ui.widgets.theme import palette
from explorer.ui.widgets.variable_highlight import utf16_index

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from explorer.core.graphql.completion import Candidate, Completion
    from explorer.core.graphql.validation import Problem

_CANDIDATE = Qt.ItemDataRole.UserRole + 1
_DETAIL = Qt.ItemDataRole.UserRole + 2
_DEPRECATED = Qt.ItemDataRole.UserRole + 3
# Typing these opens the list (besides letters): a variable, a directive, arguments.
_OPENERS = "$@("
_NAME_CHARS = frozenset("_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def python_index(text: str, position: int) -> int:
    """A Qt position (UTF-16 units) in `text` as a Python index."""
    if text.isascii():
        return position
    return len(text.encode("utf-16-le")[: position * 2].decode("utf-16-le", "ignore"))


class CandidateDelegate(QStyledItemDelegate):
    """A candidate's name, and its type or kind on the right in the muted colour."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        detail = str(index.data(_DETAIL) or "")
        if not detail:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect: QRect = option.rect.adjusted(0, 0, -8, 0)
        painter.save()
        colour = (
            option.palette.highlightedText().color() if selected else (palette().qcolor("muted"))
        )
        painter.setPen(colour)
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), detail
        )
        painter.restore()

    def sizeHint(  # noqa: N802 (Qt override)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        detail = str(index.data(_DETAIL) or "")
        extra = option.fontMetrics.horizontalAdvance(detail) + 32 if detail else 0
        return QSize(size.width() + extra, size.height() + 2)


class _TabChooser(QObject):
    """Tab in the list chooses the current candidate, as in every code editor (the
    completer would let the editor move the focus on)."""

    def __init__(self, parent: QObject, choose: Callable[[], None]) -> None:
        super().__init__(parent)
        self._choose = choose

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Tab:
                self._choose()
                return True
        return False


class QueryEdit(CodeEdit):
    """A GraphQL editor completing against `schema` (None: keywords only)."""

    completion_shown = Signal(int)  # how many candidates the list shows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema: GraphQLSchema | None = None
        self._completion: Completion | None = None
        self._problems: list[tuple[int, int, str]] = []  # (start, end, message) in Qt units
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        popup = self.completer.popup()  # the completer's own: it owns and deletes it
        assert popup is not None
        self.popup: QAbstractItemView = popup
        self.popup.setItemDelegate(CandidateDelegate(self.popup))
        self.popup.setAccessibleName("GraphQL completions")
        self._tab_chooser = _TabChooser(self.popup, lambda: self._insert(self.popup.currentIndex()))
        self.popup.installEventFilter(self._tab_chooser)
        self.completer.activated[QModelIndex].connect(self._insert)  # type: ignore[index]
        self.completer.highlighted[QModelIndex].connect(self._explain)  # type: ignore[index]

    # -- completion ----------------------------------------------------------------------

    def completion_popup_visible(self) -> bool:
        return self.popup.isVisible()

    def candidates(self) -> list[str]:
        """The labels the list offers (for tests and the accessible description)."""
        return [self.model.item(row).text() for row in range(self.model.rowCount())]

    def show_completion(self, asked: bool = False) -> int:
        """Offer what may be typed at the cursor; returns how many candidates are shown.
        Unasked (while typing), nothing is shown when the only candidate is the word."""
        from explorer.core.graphql.completion import complete

        text = self.toPlainText()
        cursor = python_index(text, self.textCursor().position())
        result = complete(self.schema, text, cursor)
        shown = list(result.candidates)
        if not asked and len(shown) == 1 and shown[0].text.strip() == result.prefix:
            shown = []
        self._completion = result
        self.model.clear()
        for number, candidate in enumerate(shown):
            item = QStandardItem(candidate.label)
            item.setData(number, _CANDIDATE)
            item.setData(candidate.detail, _DETAIL)
            item.setEditable(False)
            if candidate.deprecated:
                font = item.font()
                font.setStrikeOut(True)
                item.setFont(font)
            tip = candidate.documentation or candidate.kind
            if candidate.deprecated:
                tip += " (deprecated)"
            item.setToolTip(tip)
            self.model.appendRow(item)
        popup = self.popup
        if not shown:
            popup.hide()
            self.completion_shown.emit(0)
            return 0
        self.completer.setCompletionPrefix("")
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
        rect = self.cursorRect()
        width = min(520, max(260, popup.sizeHintForColumn(0) + 24))
        rect.setWidth(width)
        self.completer.complete(rect)
        self.completion_shown.emit(len(shown))
        return len(shown)

    def _candidate(self, index: QModelIndex) -> Candidate | None:
        if self._completion is None or not index.isValid():
            return None
        number = index.data(_CANDIDATE)
        candidates = self._completion.candidates
        if not isinstance(number, int) or not 0 <= number < len(candidates):
            return None
        return candidates[number]

    def choose(self, row: int) -> None:
        """Insert the candidate at `row` of the list (what Enter does on it)."""
        self._insert(self.completer.completionModel().index(row, 0))

    def _insert(self, index: QModelIndex) -> None:
        candidate = self._candidate(index)
        completion = self._completion
        if candidate is None or completion is None:
            return
        text = self.toPlainText()
        cursor = self.textCursor()
        cursor.setPosition(utf16_index(text, completion.start))
        cursor.setPosition(utf16_index(text, completion.end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(candidate.text)
        self.setTextCursor(cursor)
        self.popup.hide()
        if candidate.text.endswith((": ", "on ", "{ ")):
            self.show_completion()  # what comes next: a value, a type, a field

    def _explain(self, index: QModelIndex) -> None:
        candidate = self._candidate(index)
        if candidate is not None:
            self.popup.setToolTip(candidate.documentation)

    # -- problems ------------------------------------------------------------------------

    def set_problems(self, problems: list[Problem]) -> None:
        """Underline each problem at its line:column (the word there, or one character)."""
        document = self.document()
        self._problems = []
        selections = []
        wave = QTextCharFormat()
        wave.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        colour: QColor = palette().qcolor("error")
        wave.setUnderlineColor(colour)
        tint = QColor(colour)
        tint.setAlpha(45)  # the wave alone is a hairline on a dark theme
        wave.setBackground(tint)
        for problem in problems:
            if problem.line <= 0:
                continue
            block = document.findBlockByNumber(problem.line - 1)
            if not block.isValid():
                block = document.lastBlock()
            line = block.text()
            column = min(max(problem.column - 1, 0), len(line))
            end = column
            while end < len(line) and line[end] in _NAME_CHARS:
                end += 1
            if end == column:  # a punctuator, or the end of the line: one character
                if column >= len(line) and column > 0:
                    column -= 1
                end = min(column + 1, len(line))
            start_at = block.position() + utf16_index(line, column)
            end_at = block.position() + utf16_index(line, end)
            if end_at <= start_at:
                continue
            selection = QTextEdit.ExtraSelection()
            selection.format = wave
            cursor = QTextCursor(document)
            cursor.setPosition(start_at)
            cursor.setPosition(end_at, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
            self._problems.append((start_at, end_at, str(problem)))
        self.setExtraSelections(selections)

    def problem_spans(self) -> list[tuple[int, int, str]]:
        """The underlined spans as (start, end, message), in Qt positions."""
        return list(self._problems)

    # -- events --------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """A hover over an underlined word says its problem."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.cursorForPosition(self.viewport().mapFrom(self, event.pos())).position()
            messages = [m for s, e, m in self._problems if s <= position <= e]
            if messages:
                QToolTip.showText(event.globalPos(), "\n".join(messages[:5]), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Keys for the list go to it; Ctrl+Space asks; typing a name updates the list."""
        popup = self.popup
        if popup.isVisible() and event.key() in (
            Qt.Key.Key_Enter,
            Qt.Key.Key_Return,
            Qt.Key.Key_Escape,
            Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
        ):
            event.ignore()  # the completer acts on them
            return
        if event.key() == Qt.Key.Key_Space and event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
        ):
            self.show_completion(asked=True)
            return
        super().keyPressEvent(event)
        typed = event.text()
        if event.matches(QKeySequence.StandardKey.Undo) or not typed:
            if popup.isVisible() and event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
                self.show_completion()
            return
        last = typed[-1]
        if (last in _NAME_CHARS and not last.isdigit()) or last in _OPENERS:
            self.show_completion()
        elif popup.isVisible():
            popup.hide()
