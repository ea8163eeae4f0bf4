"""Colouring of the visible lines: small per-line tokenizers and the palette's syntax roles.

Only the lines on screen are tokenized, each on its own (a comment spanning lines is
coloured on its first line only); that is what keeps colouring free for any body size.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QPalette

from explorer.ui.widgets.theme import palette_for

Token = tuple[int, int, str]  # start, end, style

_JSON = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*"?)(?P<colon>\s*:)?'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<keyword>\btrue\b|\bfalse\b|\bnull\b)"
    r"|(?P<punct>[{}\[\],:])"
)
_MARKUP = re.compile(
    r"(?P<comment><!--.*?(?:-->|$))"
    r"|(?P<cdata><!\[CDATA\[.*?(?:\]\]>|$))"
    r"|(?P<decl><[!?][^>]*>?)"
    r"|(?P<tag></?[\w:.-]+)(?P<attrs>[^>]*?)(?P<close>/?>|$)"
    r"|(?P<entity>&#?\w+;)"
)
_ATTR = re.compile(r"""(?P<attr>[\w:.-]+)(?:\s*=\s*(?P<value>"[^"]*"?|'[^']*'?|[^\s>]+))?""")


def tokenize_json(text: str) -> list[Token]:
    """Tokens of one line of (pretty) JSON."""
    tokens: list[Token] = []
    for m in _JSON.finditer(text):
        if m.group("string") is not None:
            style = "key" if m.group("colon") else "string"
            tokens.append((m.start("string"), m.end("string"), style))
            if m.group("colon"):
                tokens.append((m.end("colon") - 1, m.end("colon"), "punct"))
        else:
            style = m.lastgroup or "punct"
            tokens.append((m.start(), m.end(), style))
    return tokens


def tokenize_markup(text: str) -> list[Token]:
    """Tokens of one line of XML or HTML."""
    tokens: list[Token] = []
    for m in _MARKUP.finditer(text):
        kind = m.lastgroup
        if m.group("tag") is not None:
            tokens.append((m.start("tag"), m.end("tag"), "tag"))
            base = m.start("attrs")
            for a in _ATTR.finditer(m.group("attrs")):
                tokens.append((base + a.start("attr"), base + a.end("attr"), "attr"))
                if a.group("value") is not None:
                    tokens.append((base + a.start("value"), base + a.end("value"), "value"))
            if m.group("close"):
                tokens.append((m.start("close"), m.end("close"), "tag"))
        elif kind in ("comment", "cdata", "decl"):
            tokens.append((m.start(), m.end(), "comment" if kind != "decl" else "keyword"))
        elif kind == "entity":
            tokens.append((m.start(), m.end(), "keyword"))
    return tokens


def tokenize_hex(text: str) -> list[Token]:
    """Columns of a hex dump line: offset, bytes, ASCII."""
    return [(0, 8, "offset"), (60, len(text), "ascii")]


TOKENIZERS = {
    "json": tokenize_json,
    "xml": tokenize_markup,
    "html": tokenize_markup,
    "hex": tokenize_hex,
}

# Token styles to palette roles: attribute values and a hex dump's ASCII column read as
# strings, its offsets as comments.
_ROLES = {
    "key": "syntax_key",
    "string": "syntax_string",
    "number": "syntax_number",
    "keyword": "syntax_keyword",
    "punct": "syntax_punct",
    "tag": "syntax_tag",
    "attr": "syntax_attr",
    "value": "syntax_string",
    "comment": "syntax_comment",
    "offset": "syntax_comment",
    "ascii": "syntax_string",
}


def scheme(palette: QPalette) -> dict[str, QColor]:
    """Token colours that read well on the palette's background."""
    colours = palette_for(palette)
    return {style: colours.qcolor(role) for style, role in _ROLES.items()}
