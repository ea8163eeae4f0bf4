"""A read-only, monospace view of source code lexed by pygments, in the palette's colours.

Meant for short texts such as generated code: the whole text is lexed once when it is
set (pygments lexes multi-line strings and heredocs correctly, which a per-line
highlighter cannot), and the token spans are handed to Qt block by block. The colours
follow the theme: the view re-colours itself when the application's style changes.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.style import Style, StyleMeta
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    _TokenType,
)
from pygments.util import ClassNotFound
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from explorer.ui.widgets.fonts import monospace_font
from explorer.ui.widgets.theme import Theme, current_theme, palette

# Pygments token types to palette roles: generated code is coloured like a body in the
# editor and the response viewer. Subtypes inherit (String.Double is a String); token
# types not listed keep the view's text colour.
TOKEN_ROLES = {
    Comment: "syntax_comment",
    Keyword: "syntax_keyword",
    Name.Builtin: "syntax_keyword",
    Name.Function: "syntax_key",
    Name.Class: "syntax_key",
    Name.Decorator: "syntax_attr",
    Name.Tag: "syntax_tag",
    Name.Attribute: "syntax_attr",
    Name.Variable: "syntax_attr",
    String: "syntax_string",
    Number: "syntax_number",
    Operator: "syntax_punct",
    Operator.Word: "syntax_keyword",
    Punctuation: "syntax_punct",
}


@cache
def palette_style(theme: Theme) -> StyleMeta:
    """A pygments style built from `theme`'s palette (foregrounds only)."""
    colours = palette(theme)
    styles = {kind: getattr(colours, role) for kind, role in TOKEN_ROLES.items()}
    styles[Comment] = f"italic {styles[Comment]}"
    return StyleMeta(f"{theme.value.title()}PaletteStyle", (Style,), {"styles": styles})


Span = tuple[int, int, _TokenType]  # start column, length, token type


def _lexer(name: str) -> Lexer:
    try:
        # No stripping: token offsets must match the text exactly as shown.
        return get_lexer_by_name(name, stripnl=False, stripall=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer()


def token_spans(code: str, lexer_name: str) -> dict[int, list[Span]]:
    """The coloured spans of `code` per line number (from 0), as pygments lexes it."""
    starts = [0]
    starts.extend(index + 1 for index, char in enumerate(code) if char == "\n")
    spans: dict[int, list[Span]] = {}
    for offset, kind, value in _lexer(lexer_name).get_tokens_unprocessed(code):
        end = offset + len(value)
        line = bisect_right(starts, offset) - 1
        # A token may cover several lines (a docstring, a heredoc): cut it per line.
        while offset < end and line < len(starts):
            line_end = starts[line + 1] - 1 if line + 1 < len(starts) else len(code)
            piece_end = min(end, line_end)
            if piece_end > offset:
                spans.setdefault(line, []).append((offset - starts[line], piece_end - offset, kind))
            line += 1
            offset = starts[line] if line < len(starts) else end
    return spans


def _char_format(style: StyleMeta, kind: _TokenType) -> QTextCharFormat:
    found = style.style_for_token(kind)
    char_format = QTextCharFormat()
    if found["color"]:
        char_format.setForeground(QColor(f"#{found['color']}"))
    if found["bold"]:
        char_format.setFontWeight(QFont.Weight.Bold)
    if found["italic"]:
        char_format.setFontItalic(True)
    return char_format


class _SpanHighlighter(QSyntaxHighlighter):
    """Applies precomputed token spans; Qt asks for one block (line) at a time."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._spans: dict[int, list[Span]] = {}
        self._style: StyleMeta = palette_style(Theme.DARK)
        self._formats: dict[_TokenType, QTextCharFormat] = {}

    def set_spans(self, spans: dict[int, list[Span]], theme: Theme) -> None:
        self._spans = spans
        self._style = palette_style(theme)
        self._formats = {}
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        for start, length, kind in self._spans.get(self.currentBlock().blockNumber(), ()):
            char_format = self._formats.get(kind)
            if char_format is None:
                char_format = self._formats[kind] = _char_format(self._style, kind)
            self.setFormat(start, length, char_format)


class HighlightedCode(QPlainTextEdit):
    """Read-only, monospace, coloured source code; select and copy work as usual."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFont(monospace_font())
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(True)  # Tab leaves the view instead of being typed
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._highlighter = _SpanHighlighter(self.document())
        self._lexer_name = "text"
        self._theme = current_theme()

    def set_code(self, code: str, lexer_name: str) -> None:
        """Show `code` coloured as the pygments language `lexer_name` (plain if unknown)."""
        self._lexer_name = lexer_name
        self._theme = current_theme()
        # Spans first: setPlainText highlights at once, with whatever spans are set.
        self._highlighter.set_spans({}, self._theme)
        self.setPlainText(code)
        self._highlighter.set_spans(token_spans(code, lexer_name), self._theme)

    def code(self) -> str:
        """The text shown."""
        return self.toPlainText()

    def lexer_name(self) -> str:
        """The pygments language the text is coloured as."""
        return self._lexer_name

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """Re-colour when the application switches theme (a style sheet change)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            # `apply_theme` records the new theme after the style sheet is set, i.e.
            # after this event: look once the change is complete.
            QTimer.singleShot(0, self, self._on_style_changed)

    def _on_style_changed(self) -> None:
        theme = current_theme()
        if theme != self._theme:
            self._theme = theme
            self._highlighter.set_spans(token_spans(self.toPlainText(), self._lexer_name), theme)
