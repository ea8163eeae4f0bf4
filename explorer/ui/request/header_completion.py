"""Completion and problem marking for the cells of a headers table.

The delegate paints a row whose header cannot be sent in the error colour and explains
why in a tooltip. It reads the row at paint time instead of storing colours in the
items, because changing an item would count as an edit of the table.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from explorer.ui.widgets.theme import colour

COMMON_HEADER_NAMES = (
    "Accept",
    "Accept-Charset",
    "Accept-Encoding",
    "Accept-Language",
    "Access-Control-Request-Headers",
    "Access-Control-Request-Method",
    "Authorization",
    "Cache-Control",
    "Connection",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-MD5",
    "Content-Type",
    "Cookie",
    "Date",
    "DNT",
    "Expect",
    "Forwarded",
    "From",
    "Host",
    "If-Match",
    "If-Modified-Since",
    "If-None-Match",
    "If-Range",
    "If-Unmodified-Since",
    "Idempotency-Key",
    "Keep-Alive",
    "Max-Forwards",
    "Origin",
    "Pragma",
    "Prefer",
    "Proxy-Authorization",
    "Range",
    "Referer",
    "TE",
    "Upgrade",
    "User-Agent",
    "Via",
    "X-API-Key",
    "X-Correlation-ID",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-HTTP-Method-Override",
    "X-Request-ID",
    "X-Requested-With",
)

_MEDIA_TYPES = (
    "application/json",
    "application/xml",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
    "text/html",
    "text/csv",
    "application/javascript",
    "application/octet-stream",
    "application/problem+json",
    "application/merge-patch+json",
    "application/json-patch+json",
    "application/ld+json",
    "application/graphql",
    "application/pdf",
    "image/png",
    "image/jpeg",
)
HEADER_VALUE_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "content-type": (*_MEDIA_TYPES[:14], "application/json; charset=utf-8"),
    "accept": (
        "*/*",
        "application/json",
        "application/xml",
        "text/html",
        "text/plain",
        "application/problem+json",
        "application/json, text/plain, */*",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "image/*",
        "text/event-stream",
    ),
    "cache-control": (
        "no-cache",
        "no-store",
        "max-age=0",
        "max-age=3600",
        "must-revalidate",
        "no-transform",
        "only-if-cached",
        "max-stale",
        "min-fresh=60",
    ),
    "accept-encoding": ("gzip, deflate", "gzip, deflate, br", "gzip", "deflate", "br", "identity"),
    "connection": ("keep-alive", "close"),
}

NAME_COLUMN, VALUE_COLUMN = 1, 2  # KeyValueTable's columns: enabled, name, value


def value_suggestions(name: str) -> tuple[str, ...]:
    """Values worth offering for header `name` (any case); () for unknown headers."""
    return HEADER_VALUE_SUGGESTIONS.get(name.strip().lower(), ())


def _completer(words: tuple[str, ...], parent: QWidget) -> QCompleter:
    completer = QCompleter(list(words), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return completer


RowProblem = Callable[[int], str]


class HeaderCellDelegate(QStyledItemDelegate):
    """Editor with completion for the name or value column, and problem marking.

    `row_problem(row)` says what is wrong with a row ("" when nothing is).
    """

    def __init__(self, column: int, row_problem: RowProblem, parent: QAbstractItemView) -> None:
        super().__init__(parent)
        self._column = column
        self._row_problem = row_problem

    def createEditor(  # noqa: N802 (Qt override)
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        """A line edit completing header names, or the values known for the row's name."""
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if self._column == NAME_COLUMN:
            editor.setAccessibleName("Header name")
            words: tuple[str, ...] = COMMON_HEADER_NAMES
        else:
            editor.setAccessibleName("Header value")
            name = index.sibling(index.row(), NAME_COLUMN).data() or ""
            words = value_suggestions(str(name))
        if words:
            editor.setCompleter(_completer(words, editor))
        return editor

    def cell_message(self, index: QModelIndex | QPersistentModelIndex) -> tuple[str, str]:
        """(theme colour, text) of what to say about a cell: the row's problem in the
        error colour, or ("", "") when there is nothing to say. Subclasses add notes."""
        problem = self._row_problem(index.row())
        return ("error", problem) if problem else ("", "")

    def initStyleOption(  # noqa: N802 (Qt override)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Paint a cell that has something to say in its message's colour."""
        super().initStyleOption(option, index)
        role, _text = self.cell_message(index)
        if role:
            painted = QColor(colour(role))
            option.palette.setColor(QPalette.ColorRole.Text, painted)
            option.palette.setColor(QPalette.ColorRole.HighlightedText, painted)

    def helpEvent(  # noqa: N802 (Qt override)
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """Explain the cell's message in a tooltip."""
        _role, text = self.cell_message(index) if event.type() == QEvent.Type.ToolTip else ("", "")
        if text:
            QToolTip.showText(event.globalPos(), text[0].upper() + text[1:], view)
            return True
        return super().helpEvent(event, view, option, index)
