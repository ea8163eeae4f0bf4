"""Bruno's `assert` rows and `vars:post-response` rows <-> Assertion and Capture rows.

A Bruno assertion is `LEFT: OPERATOR VALUE`: LEFT a JavaScript expression on the
response (`res.status`, `res.body.items[0].id`, `res.headers["content-type"]`,
`res.responseTime`), OPERATOR one of Bruno's (eq, neq, gt, ..., isDefined, isJson) and
VALUE a literal (`200`, `"text"`, `'text'`, `true`, `null`, text with `{{variables}}`).
A post-response variable is `name: EXPRESSION`, the same kind of expression.

What maps has the same meaning on both sides (Bruno's assert runtime, @usebruno/js
assert-runtime.js, was read for each operator: `isTruthy` is `=== true` there, `in`
takes `a,b` or `[a, b]`, `matches` takes `re` or `/re/`). What does not is returned as
None, and the caller keeps the row verbatim and says so.
"""

from __future__ import annotations

import json
import re

from explorer.core.model import Assertion, Capture, Operator, Subject
from explorer.core.translate.paths import (
    javascript_access,
    jmespath_segments,
    jsonpath,
    jsonpath_segments,
    lodash_segments,
)

_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_HEADER = re.compile(r"""res\.headers(?:\.([A-Za-z_$][\w$]*)|\[\s*(['"])(.*?)\2\s*\])""")
_CALL = re.compile(r"""res\(\s*(['"])(.*?)\1\s*\)""")

# Operators with a value, and their rows (operator, negate).
_BINARY: dict[str, tuple[Operator, bool]] = {
    "eq": (Operator.EQ, False),
    "neq": (Operator.NE, False),
    "gt": (Operator.GT, False),
    "gte": (Operator.GE, False),
    "lt": (Operator.LT, False),
    "lte": (Operator.LE, False),
    "contains": (Operator.CONTAINS, False),
    "notContains": (Operator.CONTAINS, True),
    "startsWith": (Operator.STARTS_WITH, False),
    "endsWith": (Operator.ENDS_WITH, False),
    "length": (Operator.COUNT, False),
}
# Operators without a value: (operator, expected, negate).
_UNARY: dict[str, tuple[Operator, str, bool]] = {
    "isDefined": (Operator.EXISTS, "", False),
    "isUndefined": (Operator.EXISTS, "", True),
    "isNull": (Operator.IS_TYPE, "null", False),
    "isNumber": (Operator.IS_TYPE, "number", False),
    "isString": (Operator.IS_TYPE, "string", False),
    "isBoolean": (Operator.IS_TYPE, "boolean", False),
    "isArray": (Operator.IS_TYPE, "list", False),
    "isEmpty": (Operator.IS_TYPE, "empty", False),
    "isNotEmpty": (Operator.IS_TYPE, "empty", True),
    "isTruthy": (Operator.EQ, "true", False),  # Bruno: expect(lhs).to.be.true
    "isFalsy": (Operator.EQ, "false", False),  # Bruno: expect(lhs).to.be.false
}
_KNOWN = frozenset({*_BINARY, *_UNARY, "in", "notIn", "matches", "notMatches", "between"})
# Bruno operators no row says the same: `isJson` is "an object or an array".
_UNMAPPED = frozenset({"isJson"})


# ---- Bruno -> rows ----------------------------------------------------------------------


def subject_of(expression: str) -> tuple[Subject, str] | None:
    """The subject and argument of a Bruno response expression, or None."""
    text = expression.strip()
    if text == "res.status":
        return Subject.STATUS, ""
    if text == "res.responseTime":
        return Subject.DURATION, ""
    if text == "res.url":
        return Subject.URL, ""
    header = _HEADER.fullmatch(text)
    if header:
        return Subject.HEADER, header.group(1) or header.group(3)
    call = _CALL.fullmatch(text)
    if call:
        segments = lodash_segments(call.group(2))
        return (Subject.JSONPATH, jsonpath(segments)) if segments is not None else None
    if text == "res.body" or text.startswith(("res.body.", "res.body[")):
        rest = text[len("res.body") :]
        segments = lodash_segments(rest[1:] if rest.startswith(".") else rest)
        if segments is None or "length" in segments:
            return None  # `.length` is an array's length in JavaScript, not a key
        return Subject.JSONPATH, jsonpath(segments)
    return None


def literal(text: str) -> str | None:
    """A Bruno value as our expected value (JSON where it is one), or None for what
    Bruno evaluates as JavaScript we do not read (`${...}`, `undefined`)."""
    value = text.strip()
    if "${" in value or value == "undefined" or "`" in value:
        return None
    if value in ("true", "false", "null") or _NUMBER.fullmatch(value):
        return value
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return json.dumps(value[1:-1], ensure_ascii=False)
    try:
        json.loads(value)
    except ValueError:
        return value  # plain text: Bruno's template literal is that text
    return json.dumps(value, ensure_ascii=False)  # `[1]` is text in Bruno, not a list


def assertions_of(name: str, rhs: str, enabled: bool) -> tuple[Assertion, ...] | None:
    """The rows of one Bruno assertion `name: rhs`, or None when it does not map."""
    found = subject_of(name)
    if found is None:
        return None
    subject, argument = found
    operator, _, value = rhs.strip().partition(" ")
    if operator in _UNMAPPED:
        return None
    if operator not in _KNOWN:
        operator, value = "eq", rhs.strip()
    value = value.strip()

    def row(op: Operator, expected: str = "", negate: bool = False) -> Assertion:
        return Assertion(subject, op, expected, argument, negate=negate, enabled=enabled)

    if operator in _UNARY:
        op, expected, negate = _UNARY[operator]
        return (row(op, expected, negate),)
    if operator in ("matches", "notMatches"):
        pattern = value[1:-1] if len(value) >= 2 and value[0] == value[-1] == "/" else value
        return (row(Operator.MATCHES, pattern, operator == "notMatches"),)
    if operator in ("in", "notIn", "between"):
        inner = value[1:-1] if value.startswith("[") and value.endswith("]") else value
        values = [literal(piece) for piece in inner.split(",")]
        if any(v is None for v in values) or not values:
            return None
        texts = [_as_text(v or "") for v in values]
        if operator == "between":
            if len(texts) != 2:
                return None
            return (row(Operator.GE, values[0] or ""), row(Operator.LE, values[1] or ""))
        pattern = "^(?:" + "|".join(re.escape(t) for t in texts) + ")$"
        return (row(Operator.MATCHES, pattern, operator == "notIn"),)
    converted = literal(value)
    if converted is None:
        return None
    op, negate = _BINARY[operator]
    return (row(op, converted, negate),)


def _as_text(expected: str) -> str:
    try:
        parsed = json.loads(expected)
    except ValueError:
        return expected
    return parsed if isinstance(parsed, str) else expected


def capture_of(name: str, expression: str, enabled: bool) -> Capture | None:
    """The capture of one `vars:post-response` row, or None when it does not map."""
    found = subject_of(expression)
    if found is None:
        return None
    subject, argument = found
    return Capture(name.lstrip("@"), subject, argument, enabled=enabled)


# ---- rows -> Bruno ----------------------------------------------------------------------


def expression_of(subject: Subject, argument: str) -> str | None:
    """The Bruno expression of a subject, or None when Bruno has none."""
    if subject == Subject.STATUS:
        return "res.status"
    if subject == Subject.DURATION:
        return "res.responseTime"
    if subject == Subject.HEADER and argument:
        return f"res.headers[{json.dumps(argument.lower())}]"  # axios lower-cases names
    if subject in (Subject.JSONPATH, Subject.JMESPATH):
        plain = jsonpath_segments if subject == Subject.JSONPATH else jmespath_segments
        segments = plain(argument)
        if segments is None:
            return None  # filters, wildcards, projections: JavaScript, not a path
        return "res.body" + javascript_access(segments, optional=False)
    return None


_REVERSE_BINARY: dict[tuple[Operator, bool], str] = {
    (op, negate): name for name, (op, negate) in _BINARY.items()
}
_REVERSE_BINARY.update(
    {
        (Operator.NE, True): "eq",
        (Operator.EQ, True): "neq",
        (Operator.GT, True): "lte",
        (Operator.GE, True): "lt",
        (Operator.LT, True): "gte",
        (Operator.LE, True): "gt",
        (Operator.MATCHES, False): "matches",
        (Operator.MATCHES, True): "notMatches",
    }
)
_REVERSE_UNARY = {(op, expected, negate): name for name, (op, expected, negate) in _UNARY.items()}
_TYPE_ALIASES = {"integer": "number", "float": "number"}


def bruno_assertion(assertion: Assertion) -> tuple[str, str] | None:
    """An assertion as a Bruno `assert` row (name, value), or None when Bruno cannot say it."""
    if assertion.filters:
        return None
    left = expression_of(assertion.subject, assertion.argument)
    if left is None or ":" in left or "\n" in left:
        return None  # an assert row's name ends at its first `:`
    op, negate = assertion.operator, assertion.negate
    if op in (Operator.EXISTS, Operator.IS_TYPE):
        expected = _TYPE_ALIASES.get(assertion.expected.strip(), assertion.expected.strip())
        name = _REVERSE_UNARY.get((op, expected if op == Operator.IS_TYPE else "", negate))
        if name is None or (assertion.expected.strip() == "integer"):
            return None  # integer is narrower than Bruno's isNumber
        return left, name
    name = _REVERSE_BINARY.get((op, negate))
    if name is None:
        return None
    if op == Operator.MATCHES:
        return left, f"{name} {assertion.expected}"
    value = _bruno_literal(assertion.expected)
    if value is None:
        return None
    return left, f"{name} {value}".rstrip()


def _bruno_literal(expected: str) -> str | None:
    """Our expected value as a Bruno literal: JSON scalars as they are, strings quoted."""
    text = expected.strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        if "\n" in text or "${" in text or "`" in text:
            return None
        return text  # plain text, perhaps with {{variables}}: Bruno reads it the same
    if isinstance(parsed, str):
        if '"' in parsed and "'" in parsed:
            return None
        quote = "'" if '"' in parsed else '"'
        return f"{quote}{parsed}{quote}"
    if isinstance(parsed, (dict, list)):
        return None  # Bruno's eq is ===: an object or list never equals
    return text


def bruno_capture(capture: Capture) -> tuple[str, str] | None:
    """A capture as a `vars:post-response` row (name, expression), or None."""
    if capture.filters:
        return None
    expression = expression_of(capture.subject, capture.argument)
    return (capture.variable, expression) if expression else None
