"""Checking and prettifying a raw body's text (pure Python, used by the raw body editor).

Prettifying never changes what the text says: JSON is re-indented token by token, so
key order, duplicate keys and the spelling of numbers (1.10, 1e5) survive, which a
`json.loads` / `json.dumps` round trip would not guarantee.
"""

from __future__ import annotations

import json
import re
from xml.dom import minidom
from xml.parsers.expat import ExpatError


class TextProblem(Exception):
    """Why a text does not parse, with a 1-based line and column."""

    def __init__(self, language: str, line: int, column: int, reason: str) -> None:
        super().__init__(language, line, column, reason)
        self.language = language
        self.line = line
        self.column = column
        self.reason = reason

    def __str__(self) -> str:
        return f"Invalid {self.language} at line {self.line}, column {self.column}: {self.reason}"


def json_problem(text: str) -> TextProblem | None:
    """The first JSON syntax error in `text`, or None (an empty text is not an error)."""
    if not text.strip():
        return None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return TextProblem("JSON", exc.lineno, exc.colno, exc.msg)
    return None


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')


def prettify_json(text: str, indent: int = 2) -> str:
    """`text` re-indented; raises TextProblem when it is not valid JSON."""
    problem = json_problem(text)
    if problem is not None:
        raise problem
    out: list[str] = []
    depth = 0
    tokens = _JSON_TOKEN.findall(text)
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in "{[":
            out.append(token)
            if following in "}]" and following:
                continue  # keep {} and [] together
            depth += 1
            out.append("\n" + " " * indent * depth)
        elif token in "}]":
            if out and out[-1] not in "{[":
                depth -= 1
                out.append("\n" + " " * indent * depth)
            out.append(token)
        elif token == ",":
            out.append(",\n" + " " * indent * depth)
        elif token == ":":
            out.append(": ")
        else:
            out.append(token)
    return "".join(out)


def prettify_xml(text: str, indent: int = 2) -> str:
    """`text` re-indented, prefixes and declaration kept; raises TextProblem when it is
    not well-formed XML."""
    try:
        document = minidom.parseString(text.encode("utf-8"))
    except ExpatError as exc:
        # expat counts columns from 0.
        reason = str(exc).split(":", 1)[0]
        raise TextProblem("XML", exc.lineno, exc.offset + 1, reason) from exc
    if document.documentElement is not None:  # always, for well-formed XML
        _strip_layout_whitespace(document.documentElement)
    pretty = document.toprettyxml(indent=" " * indent)
    body = pretty.split("\n", 1)[1] if pretty.startswith("<?xml") else pretty
    declaration = re.match(r"\s*(<\?xml[^>]*\?>)", text)
    if declaration:
        body = declaration.group(1) + "\n" + body
    return body.rstrip("\n") + "\n"


def _strip_layout_whitespace(element: minidom.Element) -> None:
    """Drop whitespace-only text between child elements, so re-indenting does not add
    blank lines; text inside elements without child elements is left alone."""
    children = list(element.childNodes)
    has_elements = any(child.nodeType == child.ELEMENT_NODE for child in children)
    for child in children:
        if child.nodeType == child.ELEMENT_NODE:
            _strip_layout_whitespace(child)
        elif has_elements and child.nodeType == child.TEXT_NODE and not child.data.strip():
            element.removeChild(child)


def prettify(language: str, text: str) -> str:
    """Prettify `text` of `language` ("json" or "xml"); raises TextProblem on a syntax
    error and ValueError for a language that cannot be prettified."""
    if language == "json":
        return prettify_json(text)
    if language == "xml":
        return prettify_xml(text)
    raise ValueError(f"cannot prettify {language!r}")
