"""JetBrains HTTP Client response handlers (`> {% … %}` after a request) as assertions
and captures.

The common forms are converted: `client.test(name, function () { … })` around
`client.assert(<boolean expression>, "message")`, and `client.global.set(name, <part of
the response>)`. The response is `response.status`, `response.body` (the text, or with
members `response.body.items[0].id` the JSON value), `response.headers.valueOf("X")`.
Everything else is kept verbatim, never run (see `statements`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.core.model import Assertion, Capture, Subject
from explorer.core.translate import Translation
from explorer.core.translate.expressions import JSON_ROOT, Reader, Ref
from explorer.core.translate.javascript import Link, Unconvertible, chain, names, string_value, text
from explorer.core.translate.statements import translate

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["translate_handler"]

_FUNCTIONS = ("function_expression", "function", "arrow_function")


def translate_handler(source: str) -> Translation:
    """One response handler's JavaScript as rows plus the statements kept as they were."""
    return translate(source, _JetBrains())


@dataclass
class _JetBrainsReader(Reader):
    def root(self, name: str, links: list[Link]) -> tuple[Ref, int]:
        words = names(links)
        if name == "response":
            if words[:1] == ["status"]:
                return Ref(Subject.STATUS), 1
            if words[:3] == ["headers", "valueOf", "()"] and len(links[2].args) == 1:
                return Ref(Subject.HEADER, string_value(links[2].args[0])), 3
            if words[:1] == ["body"]:
                if len(links) == 1:
                    return Ref(Subject.BODY), 1
                return JSON_ROOT, 1
        raise Unconvertible(name)

    def variable(self, name: str, links: list[Link]) -> str:
        words = names(links)
        if name == "client" and words == ["global", "get", "()"] and len(links[2].args) == 1:
            return "{{" + string_value(links[2].args[0]) + "}}"
        raise Unconvertible(name)


class _JetBrains:
    """The JetBrains dialect for `statements.translate`."""

    def reader(self) -> Reader:
        return _JetBrainsReader()

    def container(self, statement: Node) -> tuple[str, list[Node]] | None:
        expression = _expression(statement)
        if expression is None or expression.type != "call_expression":
            return None
        root, links = chain(expression)
        if text(root) != "client" or names(links) != ["test", "()"] or len(links[1].args) != 2:
            return None
        title, function = links[1].args
        body = function.child_by_field_name("body") if function.type in _FUNCTIONS else None
        if body is None:
            return None
        try:
            name = string_value(title)
        except Unconvertible:
            name = text(title)
        return name, (list(body.named_children) if body.type == "statement_block" else [body])

    def statement(self, statement: Node, reader: Reader) -> tuple[list[Assertion], list[Capture]]:
        expression = _expression(statement)
        if expression is None or expression.type != "call_expression":
            raise Unconvertible(statement.type)
        root, links = chain(expression)
        words = names(links)
        if text(root) != "client":
            raise Unconvertible(text(root))
        if words == ["assert", "()"] and 1 <= len(links[1].args) <= 2:
            return reader.boolean(links[1].args[0]), []
        if words == ["global", "set", "()"] and len(links[2].args) == 2:
            variable = string_value(links[2].args[0])
            if not variable.strip():
                raise Unconvertible("variable name")
            return [], [reader.resolve(links[2].args[1]).capture(variable, False)]
        raise Unconvertible(".".join(words))


def _expression(statement: Node) -> Node | None:
    if statement.type == "expression_statement":
        inner = [node for node in statement.named_children if node.type != "comment"]
        return inner[0] if len(inner) == 1 else None
    if statement.type.endswith("_expression"):
        return statement
    return None
