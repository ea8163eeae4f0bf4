"""Reading JavaScript expressions about a response as subjects, expected values and
assertions; shared by the Postman and JetBrains translators, which differ only in how a
script names the response (`pm.response.json()` vs `response.body`) and variables.

A `Reader` turns
- an expression naming part of the response into a `Ref` (subject, argument, filters);
- a literal or a variable lookup into an expected value (`200`, `"text"`, `{{id}}`);
- a boolean expression (`responseCode.code === 200 && responseBody.has("x")`) or a chai
  chain (`.to.not.be.above(3)`) into assertions.
Anything else raises `Unconvertible`, and the statement is kept as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from explorer.core.model import Assertion, Capture, Operator, Subject
from explorer.core.translate.javascript import (
    Link,
    Unconvertible,
    chain,
    literal,
    string_value,
    text,
)
from explorer.core.translate.paths import MAX_SEGMENTS, Segment, jsonpath

if TYPE_CHECKING:
    from tree_sitter import Node


@dataclass(frozen=True)
class Ref:
    """Part of the response: a subject, with a path into the JSON body for JSONPATH."""

    subject: Subject
    argument: str = ""
    filters: tuple[str, ...] = ()
    segments: tuple[Segment, ...] = ()

    def extend(self, links: list[Link]) -> Ref:
        """This part followed by member accesses: deeper into JSON, or `.length`."""
        ref = self
        for position, link in enumerate(links):
            last = position == len(links) - 1
            if ref.filters:  # nothing can follow `.length`
                raise Unconvertible("after length")
            if link.kind == "prop" and link.name == "length" and last:
                ref = replace(ref, filters=("count",))
            elif link.kind == "prop" and link.name == "toString" and position == len(links) - 2:
                if links[-1].kind != "call" or links[-1].args:
                    raise Unconvertible("toString")
                return ref  # a capture's value is text anyway
            elif ref.subject != Subject.JSONPATH or len(ref.segments) >= MAX_SEGMENTS:
                raise Unconvertible("member of a non-JSON value")
            elif link.kind == "prop":
                ref = replace(ref, segments=(*ref.segments, link.name))
            elif link.kind == "index" and link.index is not None:
                if isinstance(link.index, int) and link.index < 0:
                    raise Unconvertible("negative index")
                ref = replace(ref, segments=(*ref.segments, link.index))
            else:
                raise Unconvertible("computed member")
        return ref

    def parts(self) -> tuple[Subject, str, tuple[str, ...]]:
        """(subject, argument, filters) for a row."""
        if self.subject == Subject.JSONPATH:
            return self.subject, jsonpath(self.segments), self.filters
        return self.subject, self.argument, self.filters

    def assertion(self, operator: Operator, expected: str = "", negate: bool = False) -> Assertion:
        subject, argument, filters = self.parts()
        return Assertion(subject, operator, expected, argument, filters, negate)

    def capture(self, variable: str, to_environment: bool) -> Capture:
        subject, argument, filters = self.parts()
        return Capture(variable, subject, argument, filters, to_environment=to_environment)


JSON_ROOT = Ref(Subject.JSONPATH)


def encode_expected(value: Any) -> str:
    """A JSON value as `Assertion.expected` text: read back as the same value (a string
    that would parse as JSON is quoted, any other string stays plain text)."""
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


LANGUAGE_CHAINS = frozenset(
    (
        *("to", "be", "been", "is", "that", "which", "and", "has", "have", "with", "at"),
        *("of", "same", "but", "does", "still", "also", "deep", "own", "nested"),
        *("ordered", "any", "all", "itself"),
    )
)
_COMPARE = {
    "eql": Operator.EQ,
    "equal": Operator.EQ,
    "equals": Operator.EQ,
    "eq": Operator.EQ,
    "include": Operator.CONTAINS,
    "includes": Operator.CONTAINS,
    "contain": Operator.CONTAINS,
    "contains": Operator.CONTAINS,
    "string": Operator.CONTAINS,
    "above": Operator.GT,
    "gt": Operator.GT,
    "greaterThan": Operator.GT,
    "below": Operator.LT,
    "lt": Operator.LT,
    "lessThan": Operator.LT,
    "least": Operator.GE,
    "gte": Operator.GE,
    "greaterThanOrEqual": Operator.GE,
    "most": Operator.LE,
    "lte": Operator.LE,
    "lessThanOrEqual": Operator.LE,
    "lengthOf": Operator.COUNT,
    "length": Operator.COUNT,
}
# chai's type names -> Operator.IS_TYPE's.
TYPES = {
    "string": "string",
    "number": "number",
    "boolean": "boolean",
    "array": "list",
    "object": "object",
    "null": "null",
}
_BINARY = {
    "===": Operator.EQ,
    "==": Operator.EQ,
    "!==": Operator.NE,
    "!=": Operator.NE,
    "<": Operator.LT,
    "<=": Operator.LE,
    ">": Operator.GT,
    ">=": Operator.GE,
}
_SWAPPED = {
    Operator.LT: Operator.GT,
    Operator.LE: Operator.GE,
    Operator.GT: Operator.LT,
    Operator.GE: Operator.LE,
}
_STRING_METHODS = {
    "includes": Operator.CONTAINS,
    "has": Operator.CONTAINS,
    "startsWith": Operator.STARTS_WITH,
    "endsWith": Operator.ENDS_WITH,
}


@dataclass
class Reader:
    """Reads expressions of one script; `aliases` are names bound to parts of the response
    (`var jsonData = pm.response.json();`), per function scope."""

    aliases: dict[str, Ref] = field(default_factory=dict)

    def child(self) -> Reader:
        """A reader for a nested function: it sees the outer aliases, adds its own."""
        return replace(self, aliases=dict(self.aliases))

    # What each tool defines -------------------------------------------------------------

    def root(self, name: str, links: list[Link]) -> tuple[Ref, int]:
        """The part of the response that the chain `name.links…` starts with, and how
        many links that took. Unconvertible when it names none."""
        raise Unconvertible(name)

    def variable(self, name: str, links: list[Link]) -> str:
        """The `{{name}}` a variable lookup `name.links…` reads; Unconvertible if none."""
        raise Unconvertible(name)

    # Shared ----------------------------------------------------------------------------

    def resolve(self, node: Node) -> Ref:
        """The part of the response `node` names."""
        root, links = chain(node)
        if root.type != "identifier":
            raise Unconvertible(root.type)
        name = text(root)
        if name in self.aliases:
            return self.aliases[name].extend(links)
        ref, used = self.root(name, links)
        return ref.extend(links[used:])

    def expected(self, node: Node) -> str:
        """`node` as an expected value: a literal, or a variable lookup as `{{name}}`."""
        try:
            return encode_expected(literal(node))
        except Unconvertible:
            pass
        root, links = chain(node)
        if root.type != "identifier":
            raise Unconvertible(root.type)
        return self.variable(text(root), links)

    def pattern(self, node: Node) -> str:
        """A regular expression literal or `new RegExp("…"[, "i"])` as a pattern text."""
        if node.type == "regex":
            source = text(node.child_by_field_name("pattern") or node)
            flags_node = node.child_by_field_name("flags")
            flags = text(flags_node) if flags_node is not None else ""
        elif (
            node.type == "new_expression"
            and text(node.child_by_field_name("constructor") or node) == "RegExp"
        ):
            args_node = node.child_by_field_name("arguments")
            args = [
                a for a in (args_node.named_children if args_node else []) if a.type != "comment"
            ]
            if not 1 <= len(args) <= 2:
                raise Unconvertible("RegExp arguments")
            source = string_value(args[0])
            flags = string_value(args[1]) if len(args) == 2 else ""
        else:
            raise Unconvertible("not a regular expression")
        if set(flags) - {"i", "g", "m", "s", "u"}:
            raise Unconvertible("regex flags")
        inline = "".join(flag for flag in "ims" if flag in flags)
        return f"(?{inline}){source}" if inline else source

    def chai(self, ref: Ref, links: list[Link], negate: bool = False) -> list[Assertion]:
        """The assertions of a chai chain after `expect(<ref>)`: `.to.not.eql(3)` …"""
        out: list[Assertion] = []
        index = 0
        while index < len(links):
            link = links[index]
            if link.kind != "prop":
                raise Unconvertible("chain")
            word = link.name
            call = (
                links[index + 1]
                if index + 1 < len(links) and links[index + 1].kind == "call"
                else None
            )
            index += 2 if call is not None else 1
            if word in LANGUAGE_CHAINS and call is None:
                continue
            if word == "not" and call is None:
                negate = not negate
                continue
            if call is None:
                if word in ("lengthOf", "length"):
                    ref = ref.extend([Link("prop", "length")])
                    continue
                out.append(self._flag(ref, word, negate))
                continue
            args = list(call.args)
            if word == "property" and len(args) in (1, 2):
                ref = ref.extend([Link("index", index=string_value(args[0]))])
                if len(args) == 2:
                    out.append(self._compare(ref, Operator.EQ, self.expected(args[1]), negate))
                elif index >= len(links):
                    out.append(ref.assertion(Operator.EXISTS, negate=negate))
                continue
            if word in ("a", "an") and len(args) == 1:
                kind = TYPES.get(string_value(args[0]).lower())
                if kind is None:
                    raise Unconvertible("type")
                out.append(ref.assertion(Operator.IS_TYPE, kind, negate))
            elif word in ("match", "matches") and len(args) == 1:
                out.append(ref.assertion(Operator.MATCHES, self.pattern(args[0]), negate))
            elif word == "within" and len(args) == 2 and not negate:
                out.append(ref.assertion(Operator.GE, self.expected(args[0])))
                out.append(ref.assertion(Operator.LE, self.expected(args[1])))
            elif word in _COMPARE and len(args) == 1:
                out.append(self._compare(ref, _COMPARE[word], self.expected(args[0]), negate))
            else:
                raise Unconvertible(word)
        if not out:
            raise Unconvertible("no assertion")
        return out

    def _flag(self, ref: Ref, word: str, negate: bool) -> Assertion:
        if word == "exist":
            return ref.assertion(Operator.EXISTS, negate=negate)
        if word == "undefined":
            return ref.assertion(Operator.EXISTS, negate=not negate)
        if word in ("true", "false", "null"):
            return self._compare(ref, Operator.EQ, word, negate)
        if word == "empty":
            return ref.assertion(Operator.IS_TYPE, "empty", negate)
        raise Unconvertible(word)

    @staticmethod
    def _compare(ref: Ref, operator: Operator, expected: str, negate: bool) -> Assertion:
        if operator == Operator.EQ and negate:  # `not.eql` reads better as `!=`
            return ref.assertion(Operator.NE, expected)
        return ref.assertion(operator, expected, negate)

    def boolean(self, node: Node, negate: bool = False) -> list[Assertion]:
        """The assertions a boolean expression states (`a === 1 && b.has("x")`)."""
        kind = node.type
        if kind == "parenthesized_expression" and node.named_child_count == 1:
            return self.boolean(node.named_children[0], negate)
        if kind == "unary_expression":
            operator = text(node.child_by_field_name("operator") or node)
            argument = node.child_by_field_name("argument")
            if operator == "!" and argument is not None:
                return self.boolean(argument, not negate)
            raise Unconvertible(operator)
        if kind == "binary_expression":
            return self._binary(node, negate)
        if kind == "call_expression":
            try:
                return [self._call(node, negate)]
            except Unconvertible:
                pass  # perhaps a header or cookie read, true when present
        ref = self.resolve(node)
        if ref.subject not in (Subject.HEADER, Subject.COOKIE):
            raise Unconvertible("truthiness")
        return [ref.assertion(Operator.EXISTS, negate=negate)]

    def _binary(self, node: Node, negate: bool) -> list[Assertion]:
        operator = text(node.child_by_field_name("operator") or node)
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            raise Unconvertible("operand")
        if operator == "&&" and not negate:
            return self.boolean(left) + self.boolean(right)
        if operator not in _BINARY:
            raise Unconvertible(operator)
        if (
            left.type == "unary_expression"
            and text(left.child_by_field_name("operator") or left) == "typeof"
        ):
            argument = left.child_by_field_name("argument")
            if argument is None or operator not in ("===", "==", "!==", "!="):
                raise Unconvertible("typeof")
            kind = TYPES.get(string_value(right))
            if kind is None:
                raise Unconvertible("type")
            flip = _BINARY[operator] == Operator.NE
            return [self.resolve(argument).assertion(Operator.IS_TYPE, kind, negate != flip)]
        index_of = self._index_of(left, operator, right)
        if index_of is not None:
            return [index_of if not negate else replace(index_of, negate=not index_of.negate)]
        compare = _BINARY[operator]
        try:
            ref, other = self.resolve(left), right
        except Unconvertible:
            ref, other = self.resolve(right), left
            compare = _SWAPPED.get(compare, compare)
        expected = self.expected(other)
        if negate and compare in (Operator.EQ, Operator.NE):
            compare = Operator.NE if compare == Operator.EQ else Operator.EQ
            negate = False
        return [ref.assertion(compare, expected, negate)]

    def _index_of(self, left: Node, operator: str, right: Node) -> Assertion | None:
        """`text.indexOf("x") !== -1` (and `> -1`, `>= 0`, `=== -1`) as contains."""
        if left.type != "call_expression":
            return None
        function = left.child_by_field_name("function")
        if function is None or function.type != "member_expression":
            return None
        method = function.child_by_field_name("property")
        if method is None or text(method) != "indexOf":
            return None
        try:
            bound = literal(right)
        except Unconvertible:
            return None
        if not isinstance(bound, int) or isinstance(bound, bool):
            raise Unconvertible("indexOf")
        found = {("!==", -1), ("!=", -1), (">", -1), (">=", 0)}
        missing = {("===", -1), ("==", -1), ("<", 0)}
        if (operator, bound) not in found | missing:
            raise Unconvertible("indexOf")
        args = (left.child_by_field_name("arguments") or left).named_children
        target = function.child_by_field_name("object")
        if len(args) != 1 or target is None:
            raise Unconvertible("indexOf")
        ref = self.resolve(target)
        return ref.assertion(
            Operator.CONTAINS, self.expected(args[0]), (operator, bound) in missing
        )

    def _call(self, node: Node, negate: bool) -> Assertion:
        function = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        args = [a for a in (args_node.named_children if args_node else []) if a.type != "comment"]
        if function is None or function.type != "member_expression" or len(args) != 1:
            raise Unconvertible("call")
        method = text(function.child_by_field_name("property") or function)
        target = function.child_by_field_name("object")
        if target is None:
            raise Unconvertible("call")
        owner = text(target)
        if owner == "Number" and method == "isInteger":
            return self.resolve(args[0]).assertion(Operator.IS_TYPE, "integer", negate)
        if owner == "Array" and method == "isArray":
            return self.resolve(args[0]).assertion(Operator.IS_TYPE, "list", negate)
        if method == "test" and target.type == "regex":
            return self.resolve(args[0]).assertion(Operator.MATCHES, self.pattern(target), negate)
        if method in _STRING_METHODS:
            ref = self.resolve(target)
            return ref.assertion(_STRING_METHODS[method], self.expected(args[0]), negate)
        raise Unconvertible(method)


def default_name(assertion: Assertion) -> str:
    """What an unnamed assertion is called in an exported script (`status == 200`,
    `not jsonpath $.items | count > 3`); an import that finds this name leaves it unnamed."""
    parts = [assertion.subject.value]
    if assertion.argument:
        parts.append(" ".join(assertion.argument.split()))
    parts += [f"| {name}" for name in assertion.filters]
    parts.append(assertion.operator.value)
    if assertion.expected:
        parts.append(assertion.expected)
    line = " ".join(parts)
    return f"not {line}" if assertion.negate else line
