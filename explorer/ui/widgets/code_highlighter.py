"""Syntax colouring for the raw body editor: a few regexes per language.

Regexes rather than a full lexer keep typing fast: Qt re-highlights only the edited
block (and the following ones while a block's state changes, as when a comment opens).
Block comments that span lines are carried through the block state. With a scopes
provider (`set_variable_scopes`), `{{variables}}` are coloured over any other rule, in
every language including plain text.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat, QTextDocument

from explorer.ui.widgets.theme import current_theme, palette
from explorer.ui.widgets.variable_highlight import (
    ScopesProvider,
    utf16_index,
    variable_format,
    variable_spans,
)

# Style names to palette roles: the response viewer's syntax roles, so a body reads
# alike on both sides.
STYLE_ROLES = {
    "key": "syntax_key",
    "string": "syntax_string",
    "number": "syntax_number",
    "keyword": "syntax_keyword",
    "tag": "syntax_tag",
    "attr": "syntax_attr",
    "comment": "syntax_comment",
}

_STRING = r'"(?:[^"\\\n]|\\.)*"?'
_NUMBER = r"-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b"
_RULES: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "json": [
        (re.compile(_NUMBER), "number"),
        (re.compile(r"\b(?:true|false|null)\b"), "keyword"),
        (re.compile(_STRING), "string"),
        (re.compile(_STRING + r"(?=\s*:)"), "key"),
    ],
    "markup": [
        (re.compile(r"</?[\w:.-]+|/?>"), "tag"),
        (re.compile(r"\b[\w:.-]+(?=\s*=)"), "attr"),
        (re.compile(r"=\s*(?:\"[^\"]*\"|'[^']*')"), "string"),
        (re.compile(r"&#?\w+;"), "keyword"),
        (re.compile(r"<[!?][^>-][^>]*>?"), "keyword"),
    ],
    "javascript": [
        (re.compile(_NUMBER), "number"),
        (
            re.compile(
                r"\b(?:async|await|break|case|catch|class|const|continue|default|delete|do|"
                r"else|export|extends|false|finally|for|function|if|import|in|instanceof|"
                r"let|new|null|of|return|super|switch|this|throw|true|try|typeof|undefined|"
                r"var|void|while|yield)\b"
            ),
            "keyword",
        ),
        (re.compile(r"'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\.)*`?|" + _STRING), "string"),
        (re.compile(r"//.*$"), "comment"),
    ],
    # Python scripts (pre-request and post-response): a line at a time, so a string
    # spanning lines (triple quotes) is coloured on its first line only.
    "python": [
        (re.compile(_NUMBER), "number"),
        (
            re.compile(
                r"\b(?:False|None|True|and|as|assert|async|await|break|class|continue|def|"
                r"del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|"
                r"nonlocal|not|or|pass|raise|return|try|while|with|yield)\b"
            ),
            "keyword",
        ),
        (re.compile(r"'(?:[^'\\\n]|\\.)*'?|" + _STRING), "string"),
        (re.compile(r"#.*$"), "comment"),
    ],
}
# Block comments: (opening, closing) per language; state 1 means "inside one".
_BLOCK_COMMENTS = {"markup": ("<!--", "-->"), "javascript": ("/*", "*/")}
_LANGUAGE_RULES = {
    "json": "json",
    "xml": "markup",
    "html": "markup",
    "javascript": "javascript",
    "python": "python",
}


class CodeHighlighter(QSyntaxHighlighter):
    """Colours JSON, XML, HTML, JavaScript or Python; plain text is left alone."""

    def __init__(self, document: QTextDocument, language: str = "text") -> None:
        super().__init__(document)
        self._rules_name = ""
        self._theme = current_theme()
        self._formats: dict[str, QTextCharFormat] = {}
        self._variable_scopes: ScopesProvider | None = None
        self._build_formats()
        self.set_language(language)

    @property
    def language_rules(self) -> str:
        """Which rule set is active: "json", "markup", "javascript", "python" or "" for none."""
        return self._rules_name

    def set_language(self, language: str) -> None:
        """Switch to `language` ("json", "xml", "html", "javascript", "python", "text")."""
        rules = _LANGUAGE_RULES.get(language, "")
        if rules != self._rules_name:
            self._rules_name = rules
            self.rehighlight()

    def set_variable_scopes(self, provider: ScopesProvider | None) -> None:
        """Colour `{{variables}}` resolved against the scopes `provider` returns."""
        self._variable_scopes = provider
        if "{{" in self.document().toPlainText():
            self.rehighlight()

    def follow_theme(self) -> None:
        """Re-colour if the application theme changed since the last colouring."""
        if current_theme() != self._theme:
            self._theme = current_theme()
            self._build_formats()
            self.rehighlight()

    def _build_formats(self) -> None:
        self._formats = {}
        colours = palette(self._theme)
        for name, role in STYLE_ROLES.items():
            fmt = QTextCharFormat()
            fmt.setForeground(colours.qcolor(role))
            if name == "comment":
                fmt.setFontItalic(True)
            self._formats[name] = fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        """Colour one line; later rules win where rules overlap."""
        self.setCurrentBlockState(0)
        if self._rules_name:
            for pattern, style in _RULES[self._rules_name]:
                for match in pattern.finditer(text):
                    self.setFormat(match.start(), match.end() - match.start(), self._formats[style])
            if self._rules_name in _BLOCK_COMMENTS:
                self._highlight_block_comments(text, *_BLOCK_COMMENTS[self._rules_name])
        if self._variable_scopes is not None and "{{" in text:
            self._highlight_variables(text)

    def _highlight_variables(self, text: str) -> None:
        assert self._variable_scopes is not None
        for start, end, _name, resolved in variable_spans(text, self._variable_scopes()):
            # setFormat counts UTF-16 units, as QString does.
            begin = utf16_index(text, start)
            self.setFormat(begin, utf16_index(text, end) - begin, variable_format(resolved))

    def _highlight_block_comments(self, text: str, opening: str, closing: str) -> None:
        start = 0 if self.previousBlockState() == 1 else text.find(opening)
        while start >= 0:
            skip = 0 if start == 0 and self.previousBlockState() == 1 else len(opening)
            end = text.find(closing, start + skip)
            if end < 0:
                self.setCurrentBlockState(1)
                self.setFormat(start, len(text) - start, self._formats["comment"])
                return
            length = end + len(closing) - start
            self.setFormat(start, length, self._formats["comment"])
            start = text.find(opening, start + length)
