"""Assertions and captures as a JetBrains response handler (`> {% … %}`) that JetBrains'
HTTP Client and httpyac run, and that `jetbrains_handlers` reads back into the same rows.

Each assertion becomes `client.assert(<boolean>, "<name>")` inside `client.test(name,
function () { … })`; each capture `client.global.set("name", <value>)`. The response is
`response.status`, `response.headers.valueOf("X")`, `response.body` (the text) and
`response.body.a?.[0]` (the JSON value, optional chaining so a missing member is
`undefined`). What has no such form (XPath, schemas, cookies, durations, filters other
than `count`, disabled rows…) is left out and listed in the `Script`'s losses.
"""

from __future__ import annotations

import json
import re

from explorer.core.model import Assertion, Capture, Operator, Subject
from explorer.core.translate.check_blocks import RowLoss, Script, check_blocks
from explorer.core.translate.javascript import js_string
from explorer.core.translate.paths import javascript_access, jsonpath_segments

__all__ = ["jetbrains_handler"]

_VARIABLE_ONLY = re.compile(r"\{\{\s*([A-Za-z_][\w.\-]*)\s*\}\}")
_BINARY = {
    Operator.EQ: "===",
    Operator.NE: "!==",
    Operator.LT: "<",
    Operator.LE: "<=",
    Operator.GT: ">",
    Operator.GE: ">=",
}
_METHODS = {
    Operator.CONTAINS: "includes",
    Operator.STARTS_WITH: "startsWith",
    Operator.ENDS_WITH: "endsWith",
}
_TYPEOF = {"string": "string", "number": "number", "boolean": "boolean", "object": "object"}


def jetbrains_handler(
    assertions: tuple[Assertion, ...], captures: tuple[Capture, ...], kept: str, owner: str
) -> Script:
    """The handler of one request (`owner` names it in the losses): the rows, then the
    kept JetBrains script verbatim."""
    lines, losses = check_blocks(
        assertions,
        captures,
        owner,
        "client.test",
        lambda assertion, name: f"client.assert({_assertion(assertion)}, {js_string(name)});",
        _capture,
    )
    if kept.strip():
        lines += kept.rstrip("\n").split("\n")
    return Script(tuple(lines), tuple(losses))


def _assertion(assertion: Assertion) -> str:
    operator, expected = assertion.operator, assertion.expected
    value = _value(assertion.subject, assertion.argument, assertion.filters)
    if operator in _BINARY:
        if assertion.subject == Subject.JSONPATH and _is_structured(expected):
            raise RowLoss("JavaScript compares objects and lists by identity, not by value")
        check = f"{value} {_BINARY[operator]} {_expected(expected, assertion.subject)}"
    elif operator in _METHODS:
        check = f"{value}.{_METHODS[operator]}({_expected(expected, assertion.subject)})"
    elif operator == Operator.EXISTS and assertion.subject == Subject.HEADER:
        check = value
    elif operator == Operator.MATCHES:
        check = f"{_regex(expected)}.test({value})"
    elif operator == Operator.IS_TYPE:
        check = _type(value, expected)
    else:
        raise RowLoss(f"the operator {operator.value} has no JetBrains form here")
    return f"!({check})" if assertion.negate else check


def _value(subject: Subject, argument: str, filters: tuple[str, ...]) -> str:
    if filters and filters != ("count",):
        raise RowLoss(f"the filters {' | '.join(filters)} have no JetBrains form")
    if subject == Subject.STATUS:
        value = "response.status"
    elif subject == Subject.HEADER:
        value = f"response.headers.valueOf({js_string(argument)})"
    elif subject == Subject.BODY:
        value = "response.body"
    elif subject == Subject.JSONPATH:
        segments = jsonpath_segments(argument)
        if segments is None:
            raise RowLoss(f"the jsonpath {argument!r} is not a plain path")
        value = "response.body" + javascript_access(segments)
    else:
        raise RowLoss(f"the subject {subject.value} has no JetBrains form")
    if filters == ("count",):
        value += "?.length" if subject == Subject.JSONPATH else ".length"
    return value


def _is_structured(expected: str) -> bool:
    try:
        return isinstance(json.loads(expected), dict | list)
    except ValueError:
        return False


def _expected(expected: str, subject: Subject) -> str:
    """An expected value as JavaScript: a variable, a JSON literal, or a string. A
    header or the body is text, so `200` is compared as the text "200" there."""
    only = _VARIABLE_ONLY.fullmatch(expected.strip())
    if only:
        return f"client.global.get({js_string(only.group(1))})"
    if "{{" in expected:
        raise RowLoss("the expected value mixes text and variables")
    if subject in (Subject.HEADER, Subject.BODY):
        return js_string(expected)
    try:
        value = json.loads(expected)
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError:
        return js_string(expected)


def _regex(pattern: str) -> str:
    flags = ""
    inline = re.match(r"\(\?([ims]+)\)", pattern)
    if inline:
        flags, pattern = inline.group(1), pattern[inline.end() :]
    if "\n" in pattern or not pattern or "{{" in pattern:
        raise RowLoss("the pattern cannot be written as a JavaScript regular expression")
    # A `/` ends a regex literal: escape the unescaped ones.
    source = re.sub(r"(?<!\\)((?:\\\\)*)/", r"\1\\/", pattern)
    return f"/{source}/{flags}"


def _type(value: str, expected: str) -> str:
    kind = expected.strip().lower()
    if kind in _TYPEOF:
        return f'typeof {value} === "{_TYPEOF[kind]}"'
    if kind == "list":
        return f"Array.isArray({value})"
    if kind == "integer":
        return f"Number.isInteger({value})"
    raise RowLoss(f"the type {expected!r} has no JavaScript check")


def _capture(capture: Capture) -> str:
    value = _value(capture.subject, capture.argument, capture.filters)
    return f"client.global.set({js_string(capture.variable)}, {value});"
