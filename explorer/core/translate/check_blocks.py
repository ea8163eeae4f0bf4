"""The shape both JavaScript test exports share (Postman's `pm.test`, JetBrains'
`client.test`): enabled assertions grouped into named test blocks, then one line per
capture, then the kept foreign script; every row without a faithful form is left out
with a sentence saying why.

The dialects differ only in the statement an assertion or a capture becomes, which each
export passes in; a statement function raises `RowLoss` for a row it cannot write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from explorer.core.model import Assertion, Capture
from explorer.core.translate.expressions import default_name
from explorer.core.translate.javascript import js_string

__all__ = ["RowLoss", "Script", "check_blocks"]

_INDENT = "    "


@dataclass(frozen=True)
class Script:
    """A test script written from rows (its lines) and what could not be written in it."""

    lines: tuple[str, ...] = ()
    losses: tuple[str, ...] = ()


class RowLoss(Exception):
    """This row has no faithful form in the target dialect; the message says why."""


def check_blocks(
    assertions: Iterable[Assertion],
    captures: Iterable[Capture],
    owner: str,
    test_function: str,
    assertion_statement: Callable[[Assertion, str], str],
    capture_statement: Callable[[Capture], str],
) -> tuple[list[str], list[str]]:
    """The script lines and the losses for the rows of one request, folder or
    collection (`owner` names it in the losses). Consecutive assertions of the same
    given name share one `test_function(name, function () { … })` block, so a test with
    three expectations goes back out as one; `assertion_statement(row, name)` and
    `capture_statement(row)` write one line each."""
    lines: list[str] = []
    losses: list[str] = []
    groups: list[tuple[str, list[str]]] = []
    for assertion in assertions:
        name = assertion.name or default_name(assertion)
        try:
            if not assertion.enabled:
                raise RowLoss("it is disabled")
            statement = assertion_statement(assertion, name)
        except RowLoss as why:
            losses.append(
                f"The assertion `{default_name(assertion)}` of {owner} was not exported: {why}."
            )
            continue
        if assertion.name and groups and groups[-1][0] == name:
            groups[-1][1].append(statement)
        else:
            groups.append((name, [statement]))
    for name, statements in groups:
        lines.append(f"{test_function}({js_string(name)}, function () {{")
        lines += [_INDENT + statement for statement in statements]
        lines.append("});")
    for capture in captures:
        try:
            if not capture.enabled:
                raise RowLoss("it is disabled")
            lines.append(capture_statement(capture))
        except RowLoss as why:
            losses.append(
                f"The capture of {capture.variable!r} in {owner} was not exported: {why}."
            )
    return lines, losses
