"""JavaScript as the translators read it: a tree-sitter parse, bounded, and small readers
of literals and member chains.

tree-sitter is used (not a pure-Python ES5 parser) because it is kept up to date with the
language (arrow functions, optional chaining, template strings all occur in real test
scripts) and because it recovers from syntax errors: a script with one broken line still
gives a tree in which every other statement can be converted. Nothing here runs code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

MAX_SCRIPT_CHARS = 512 * 1024  # one test script; larger ones are kept whole, not parsed
MAX_CHAIN = 64  # links of one member/call chain that are read
MAX_LITERAL_DEPTH = 32  # nesting of an array/object literal read as an expected value
MAX_WALK_NODES = 200_000  # nodes visited when collecting identifiers


class Unconvertible(Exception):
    """This statement or expression has no equivalent; keep it as it is."""


@lru_cache(maxsize=1)
def _parser() -> Parser:
    import tree_sitter
    import tree_sitter_javascript

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))


def parse(source: str) -> tuple[bytes, Node] | None:
    """The UTF-8 bytes of `source` and its program node; None when it is too large."""
    if len(source) > MAX_SCRIPT_CHARS:
        return None
    data = source.encode("utf-8", "surrogatepass")
    return data, _parser().parse(data).root_node


def text(node: Node) -> str:
    """The source text of `node`."""
    raw = node.text
    return raw.decode("utf-8", "replace") if raw is not None else ""


def field(node: Node, name: str) -> Node:
    """The child in field `name`, or Unconvertible when the tree has none there."""
    found = node.child_by_field_name(name)
    if found is None:
        raise Unconvertible(name)
    return found


def arguments(node: Node) -> list[Node]:
    """The argument nodes of an `arguments` node (no comments, no spread)."""
    out = [arg for arg in node.named_children if arg.type != "comment"]
    if any(arg.type == "spread_element" for arg in out):
        raise Unconvertible("spread")
    return out


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(sequence: str) -> str:
    body = sequence[1:]
    if body[:1] in _ESCAPES and len(body) == 1:
        return _ESCAPES[body]
    if body.startswith("u{") and body.endswith("}"):
        return _code_point(body[2:-1])
    if body[:1] in ("u", "x") and len(body) > 1:
        return _code_point(body[1:])
    if body.startswith(("\n", "\r")):  # a line continuation
        return ""
    return body


def _code_point(digits: str) -> str:
    try:
        value = int(digits, 16)
        return chr(value)
    except (ValueError, OverflowError):
        raise Unconvertible("escape") from None


def string_value(node: Node) -> str:
    """The value of a string literal or a template string without substitutions."""
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return string_value(node.named_children[0])
    if node.type not in ("string", "template_string") or node.has_error:
        raise Unconvertible("not a string")
    parts = []
    for part in node.named_children:
        if part.type == "string_fragment":
            parts.append(text(part))
        elif part.type == "escape_sequence":
            parts.append(_unescape(text(part)))
        else:  # a ${substitution} or something unexpected
            raise Unconvertible("template substitution")
    return "".join(parts)


_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?")


def number_value(node: Node) -> int | float:
    """The value of a decimal number literal (with a leading minus)."""
    if node.type == "unary_expression" and text(field(node, "operator")) in ("-", "+"):
        value = number_value(field(node, "argument"))
        return -value if text(field(node, "operator")) == "-" else value
    if node.type != "number":
        raise Unconvertible("not a number")
    raw = text(node).replace("_", "")
    if not _NUMBER.fullmatch(raw):
        raise Unconvertible("number form")
    if re.fullmatch(r"[0-9]+", raw) or (re.fullmatch(r"[0-9]+\.0*", raw)):
        return int(raw.split(".")[0])
    value = float(raw)
    if value != value or value in (float("inf"), float("-inf")):
        raise Unconvertible("number")
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def literal(node: Node, depth: int = 0) -> Any:
    """The JSON value of a literal: string, number, true/false/null, and arrays and
    objects of literals. Unconvertible for anything else (identifiers, calls, ...)."""
    if depth > MAX_LITERAL_DEPTH:
        raise Unconvertible("too deep")
    kind = node.type
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return literal(node.named_children[0], depth + 1)
    if kind in ("string", "template_string"):
        return string_value(node)
    if kind in ("number", "unary_expression"):
        return number_value(node)
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "null":
        return None
    if kind == "array":
        return [literal(item, depth + 1) for item in node.named_children if item.type != "comment"]
    if kind == "object":
        out: dict[str, Any] = {}
        for pair in node.named_children:
            if pair.type == "comment":
                continue
            if pair.type != "pair":
                raise Unconvertible("object member")
            key = field(pair, "key")
            if key.type in ("property_identifier", "identifier"):
                name = text(key)
            elif key.type == "number":
                name = str(number_value(key))
            else:
                name = string_value(key)
            out[name] = literal(field(pair, "value"), depth + 1)
        return out
    raise Unconvertible(kind)


@dataclass(frozen=True)
class Link:
    """One link of a member chain: `.name`, `[index]` or a call `(...)`."""

    kind: str  # "prop", "index" or "call"
    name: str = ""  # the property name ("prop"), or the index as text ("index")
    index: int | str | None = None  # a literal index: a number or a string
    args: tuple[Node, ...] = ()  # the argument nodes of a call


def chain(node: Node) -> tuple[Node, list[Link]]:
    """`a.b[0].c(x)` as its root node (`a`) and its links, outermost last."""
    links: list[Link] = []
    while len(links) <= MAX_CHAIN:
        kind = node.type
        if kind == "member_expression":
            prop = field(node, "property")
            links.append(Link("prop", text(prop)))
            node = field(node, "object")
        elif kind == "subscript_expression":
            index = field(node, "index")
            value: int | str | None
            try:
                value = literal(index)
            except Unconvertible:
                value = None
            if not isinstance(value, (int, str)) or isinstance(value, bool):
                value = None
            links.append(Link("index", text(index), value))
            node = field(node, "object")
        elif kind == "call_expression":
            args = field(node, "arguments")
            if args.type != "arguments":  # a tagged template
                raise Unconvertible("tagged template")
            links.append(Link("call", args=tuple(arguments(args))))
            node = field(node, "function")
        elif kind in ("parenthesized_expression", "non_null_expression") and (
            node.named_child_count == 1
        ):
            node = node.named_children[0]
        else:
            links.reverse()
            return node, links
    raise Unconvertible("chain too long")


def names(links: list[Link]) -> list[str]:
    """The links as words: property names, `()` for calls, `[]` for indexes."""
    return [
        link.name if link.kind == "prop" else "()" if link.kind == "call" else "[]"
        for link in links
    ]


def identifiers(node: Node) -> set[str]:
    """Every identifier used under `node` (bounded)."""
    found: set[str] = set()
    pending = [node]
    visited = 0
    while pending and visited < MAX_WALK_NODES:
        current = pending.pop()
        visited += 1
        if current.type in ("identifier", "shorthand_property_identifier"):
            found.add(text(current))
        pending.extend(current.named_children)
    return found


def js_string(value: str) -> str:
    """`value` as a JavaScript string literal."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
