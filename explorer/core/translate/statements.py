"""Walking a test script statement by statement: convert what a dialect knows, keep the
rest verbatim, count both.

A dialect (Postman, JetBrains) says which calls are test containers (`pm.test(name,
fn)`, `client.test(name, fn)`) and converts one statement into rows or raises
`Unconvertible`. The walker cuts every converted statement (and every container whose
statements all converted) out of the source text; what remains is the kept script. A
declaration that only names part of the response (`var jsonData = pm.response.json();`)
is not counted, and stays in the kept script only while a kept statement still uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from explorer.core.model import Assertion, Capture
from explorer.core.translate import Translation
from explorer.core.translate.expressions import Reader, default_name
from explorer.core.translate.javascript import Unconvertible, identifiers, parse, text

if TYPE_CHECKING:
    from tree_sitter import Node

MAX_STATEMENTS = 20_000  # statements read in one script; the rest are kept as they are
_DECLARATIONS = ("lexical_declaration", "variable_declaration")


class Dialect(Protocol):
    """What one tool's scripts look like."""

    def reader(self) -> Reader:
        """A fresh reader for a script's top level."""
        ...

    def container(self, statement: Node) -> tuple[str, list[Node]] | None:
        """(test name, its statements) when `statement` is a test container."""
        ...

    def statement(self, statement: Node, reader: Reader) -> tuple[list[Assertion], list[Capture]]:
        """The rows of one statement, or Unconvertible."""
        ...


@dataclass
class _Walk:
    dialect: Dialect
    data: bytes
    assertions: list[Assertion] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)
    removals: list[tuple[int, int]] = field(default_factory=list)
    kept_nodes: list[Node] = field(default_factory=list)
    aliases: list[tuple[Node, tuple[str, ...]]] = field(default_factory=list)
    converted: int = 0
    total: int = 0
    seen: int = 0

    def block(self, statements: list[Node], reader: Reader, name: str) -> bool:
        """Convert `statements`; True when every counted one converted."""
        complete = True
        for statement in statements:
            if statement.type in ("comment", "empty_statement"):
                continue
            self.seen += 1
            if self.seen > MAX_STATEMENTS:
                self.total += 1
                self.kept_nodes.append(statement)
                complete = False
                continue
            if statement.type in _DECLARATIONS and not statement.has_error:
                bound = self._declare(statement, reader)
                if bound is not None:
                    self.aliases.append((statement, bound))
                    continue
            container = self._container(statement)
            if container is not None:
                test_name, inner = container
                first = len(self.assertions)
                if self.block(inner, reader.child(), test_name):
                    self.removals.append((statement.start_byte, statement.end_byte))
                else:
                    complete = False
                made = self.assertions[first:]
                if len(made) == 1 and made[0].name == default_name(made[0]):
                    self.assertions[first] = replace(made[0], name="")
                continue
            self.total += 1
            try:
                if statement.has_error:
                    raise Unconvertible("syntax error")
                assertions, captures = self.dialect.statement(statement, reader)
            except (Unconvertible, RecursionError):
                self.kept_nodes.append(statement)
                complete = False
                continue
            self.converted += 1
            self.assertions += [replace(row, name=row.name or name) for row in assertions]
            self.captures += captures
            self.removals.append((statement.start_byte, statement.end_byte))
        return complete

    def _container(self, statement: Node) -> tuple[str, list[Node]] | None:
        if statement.has_error:
            return None
        try:
            return self.dialect.container(statement)
        except (Unconvertible, RecursionError):
            return None

    @staticmethod
    def _declare(statement: Node, reader: Reader) -> tuple[str, ...] | None:
        """Bind the names a declaration gives to parts of the response. Its names when
        every declarator is such an alias; None (a statement to count) otherwise."""
        names: list[str] = []
        complete = True
        for declarator in statement.named_children:
            if declarator.type == "comment":
                continue
            name = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if declarator.type != "variable_declarator" or name is None or value is None:
                complete = False
                continue
            if name.type != "identifier":
                complete = False
                continue
            try:
                reader.aliases[text(name)] = reader.resolve(value)
            except (Unconvertible, RecursionError):
                reader.aliases.pop(text(name), None)
                complete = False
                continue
            names.append(text(name))
        return tuple(names) if complete and names else None

    def kept(self) -> str:
        used: set[str] = set()
        for node in self.kept_nodes:
            used |= identifiers(node)
        removals = list(self.removals)
        for node, bound in self.aliases:
            if not used.intersection(bound):
                removals.append((node.start_byte, node.end_byte))
        return _cut(self.data, removals)


def translate(source: str, dialect: Dialect) -> Translation:
    """Convert one script of `dialect`; see `Translation`."""
    if not source.strip():
        return Translation()
    parsed = parse(source)
    if parsed is None:  # too large to read: kept whole, counted as one statement
        return Translation(kept=source, total=1)
    data, program = parsed
    walk = _Walk(dialect, data)
    walk.block(program.named_children, dialect.reader(), "")
    return Translation(
        tuple(walk.assertions),
        tuple(walk.captures),
        walk.kept(),
        walk.converted,
        walk.total,
    )


def _cut(data: bytes, removals: list[tuple[int, int]]) -> str:
    """`data` without the byte ranges `removals` (whole lines where a range fills its
    lines), as text; empty when only comments and blank lines remain."""
    spans = sorted(_whole_lines(data, start, end) for start, end in removals)
    out = []
    position = 0
    for start, end in spans:
        if start > position:
            out.append(data[position:start])
        position = max(position, end)
    out.append(data[position:])
    remaining = b"".join(out).decode("utf-8", "surrogatepass")
    remaining = re.sub(r"\n[ \t]*\n([ \t]*\n)+", "\n\n", remaining).strip("\n")
    parsed = parse(remaining)
    if parsed is None:
        return remaining
    if all(node.type == "comment" for node in parsed[1].named_children):
        return ""
    return remaining + "\n"


def _whole_lines(data: bytes, start: int, end: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    line_end = len(data) if line_end < 0 else line_end
    before = data[line_start:start]
    after = data[end:line_end]
    if before.strip() or after.strip(b" \t\r;"):
        return start, end
    return line_start, min(line_end + 1, len(data))
