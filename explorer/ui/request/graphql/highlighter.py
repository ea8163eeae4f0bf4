"""GraphQL colouring for the query editor: a few regexes, in the palette's syntax roles.

A regex per kind of token rather than pygments' lexer: Qt re-highlights one line at a
time as it is typed, and only a block string (`\"\"\"…\"\"\"`) spans lines, carried in the
block state. `{{variables}}` keep the colouring every editor gives them.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QTextDocument

from explorer.ui.widgets.code_highlighter import CodeHighlighter

_RULES = [
    (re.compile(r"-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b"), "number"),
    # What may follow a colon or "on": a type name, a value or an argument's variable.
    (re.compile(r"(?<=:)\s*\[*\s*[A-Z]\w*|(?<=\bon)\s+\w+"), "tag"),
    (
        re.compile(
            r"\b(?:query|mutation|subscription|fragment|on|true|false|null|schema|type|input|"
            r"enum|interface|union|scalar|extend|implements|directive|repeatable)\b"
        ),
        "keyword",
    ),
    (re.compile(r"\b\w+(?=\s*:)"), "key"),  # an argument, an alias or an input field
    (re.compile(r"\$\w*"), "attr"),  # a variable
    (re.compile(r"@\w*"), "tag"),  # a directive
    (re.compile(r'"(?:[^"\\\n]|\\.)*"?'), "string"),
    (re.compile(r"#.*$"), "comment"),
]
_BLOCK = '"""'


class GraphQLHighlighter(CodeHighlighter):
    """Colours GraphQL (queries and SDL) with the same roles as the other editors."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document, "text")

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        """Colour one line; later rules win, block strings over everything."""
        self.setCurrentBlockState(0)
        for pattern, style in _RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self._formats[style])
        self._block_strings(text)
        if self._variable_scopes is not None and "{{" in text:
            self._highlight_variables(text)

    def _block_strings(self, text: str) -> None:
        inside = self.previousBlockState() == 1
        start = 0 if inside else text.find(_BLOCK)
        while start >= 0:
            end = text.find(_BLOCK, start if inside else start + 3)
            if end < 0:
                self.setCurrentBlockState(1)
                self.setFormat(start, len(text) - start, self._formats["string"])
                return
            self.setFormat(start, end + 3 - start, self._formats["string"])
            inside = False
            start = text.find(_BLOCK, end + 3)
