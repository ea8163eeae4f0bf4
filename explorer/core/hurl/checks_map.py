"""Between Hurl's asserts and captures and the model's Assertion and Capture rows.

`jsonpath "$.x" count == 2` is Assertion(JSONPATH, EQ, "2", "$.x", ("count",)). The
expected value keeps Hurl's type as JSON text: `== "1"` is `"1"` (a string), `== 1` is
`1`, `== true` is `true`, `== {{x}}` stays `{{x}}` (the variable's value is read as JSON
once resolved, as Hurl reads an untyped template). Hurl forms the model has no row for
(md5, certificate, ip, redirects nth, ...) are reported,
not guessed.
"""

from __future__ import annotations

import json
import re

from explorer.core.hurl.parser import quote
from explorer.core.hurl.syntax import AssertLine, CaptureLine, Query, Value
from explorer.core.model import Assertion, Capture, Operator, Subject


class NotCarried(Exception):
    """A Hurl assert or capture that has no row in the model; the message says why."""


_SUBJECTS = {
    "status": Subject.STATUS,
    "version": Subject.VERSION,
    "url": Subject.URL,
    "header": Subject.HEADER,
    "cookie": Subject.COOKIE,
    "body": Subject.BODY,
    "xpath": Subject.XPATH,
    "jsonpath": Subject.JSONPATH,
    "regex": Subject.REGEX,
    "variable": Subject.VARIABLE,
    "duration": Subject.DURATION,
    "sha256": Subject.SHA256,
}
_OPERATORS = {
    "==": Operator.EQ,
    "!=": Operator.NE,
    ">": Operator.GT,
    ">=": Operator.GE,
    "<": Operator.LT,
    "<=": Operator.LE,
    "startsWith": Operator.STARTS_WITH,
    "endsWith": Operator.ENDS_WITH,
    "contains": Operator.CONTAINS,
    "includes": Operator.CONTAINS,  # Hurl's older name for "the list contains"
    "matches": Operator.MATCHES,
    "exists": Operator.EXISTS,
}
# Hurl's type predicates -> the isType names of the model (explorer.core.checks.compare).
TYPE_PREDICATES = {
    "isInteger": "integer",
    "isFloat": "float",
    "isNumber": "number",
    "isBoolean": "boolean",
    "isString": "string",
    "isList": "list",
    "isObject": "object",
    "isCollection": "collection",
    "isIsoDate": "date",
    "isDate": "date",  # Hurl: a date made by toDate; the model's "date" takes those too
    "isEmpty": "empty",
    "isUuid": "uuid",
    "isIpv4": "ipv4",
    "isIpv6": "ipv6",
}


_ALIGNED_HEX = ("==", "!=", "startsWith", "endsWith")


def subject_of(query: Query, filters: tuple[str, ...]) -> tuple[Subject, str, tuple[str, ...]]:
    """(subject, argument, filters) of a Hurl query and its filters."""
    if query.kind == "bytes" and filters[:1] == ("count",):
        return Subject.SIZE, "", filters[1:]  # `bytes count` is the body's size
    if query.kind == "redirects" and filters[:1] == ("count",):
        return Subject.REDIRECTS, "", filters[1:]
    if query.kind == "bytes":
        return Subject.BODY, "", filters  # what it may be compared with: see assertion_of
    subject = _SUBJECTS.get(query.kind)
    if subject is None:
        raise NotCarried(f"the {query.kind} query has no equivalent")
    return subject, query.argument, filters


def expected_of(value: Value, subject: Subject, to_hex: bool = False) -> str:
    """A predicate value as the model's `expected` text (JSON for typed values)."""
    if value.kind in ("number", "boolean", "null", "template"):
        return value.text
    if value.kind in ("string", "regex"):
        return json.dumps(value.text, ensure_ascii=False)
    if value.kind == "hex" and (subject == Subject.SHA256 or to_hex):
        return json.dumps(value.text)
    if value.kind == "hex":
        raise NotCarried("comparing bytes with this predicate is not carried")
    raise NotCarried("comparing with a file's content is not carried")


def assertion_of(line: AssertLine) -> Assertion:
    """The model's row for a Hurl assert; NotCarried when it has none."""
    subject, argument, filters = subject_of(line.query, line.filters)
    predicate = line.predicate
    compares_bytes = line.value is not None and line.value.kind == "hex"
    if compares_bytes and subject != Subject.SHA256 and predicate in _ALIGNED_HEX:
        # `... == hex,3c3e;`: the same test on the bytes written as hex (toHex), which
        # keeps one byte to two digits, so equality and both ends line up.
        filters = (*filters, "toHex")
        if line.query.kind == "bytes":
            subject = Subject.BODY
    elif line.query.kind == "bytes" and subject != Subject.SIZE:
        if line.value is None or line.value.kind not in ("string", "regex"):
            raise NotCarried("the bytes query compared with bytes is not carried")
        subject = Subject.BODY  # `bytes contains "text"`: the same test on the text
    if predicate in TYPE_PREDICATES:
        operator, expected = Operator.IS_TYPE, TYPE_PREDICATES[predicate]
    elif predicate in _OPERATORS:
        operator = _OPERATORS[predicate]
        expected = "" if line.value is None else expected_of(line.value, subject, compares_bytes)
    else:
        raise NotCarried(f"the {predicate} predicate has no equivalent")
    return Assertion(subject, operator, expected, argument, filters, line.negate)


def capture_of(line: CaptureLine) -> Capture:
    """The model's row for a Hurl capture; NotCarried when it has none."""
    # `bytes` is captured as the body's text: the same bytes again for a UTF-8 body.
    subject, argument, filters = subject_of(line.query, line.filters)
    return Capture(line.name, subject, argument, filters, secret=line.redact)


# -- back to Hurl --------------------------------------------------------------------

_QUERY_WORDS = {subject: word for word, subject in _SUBJECTS.items()}
_WORD_OF_OPERATOR = {
    Operator.EQ: "==",
    Operator.NE: "!=",
    Operator.GT: ">",
    Operator.GE: ">=",
    Operator.LT: "<",
    Operator.LE: "<=",
    Operator.STARTS_WITH: "startsWith",
    Operator.ENDS_WITH: "endsWith",
    Operator.CONTAINS: "contains",
    Operator.MATCHES: "matches",
    Operator.EXISTS: "exists",
}
_QUOTED_ARGUMENT = (
    Subject.HEADER,
    Subject.COOKIE,
    Subject.XPATH,
    Subject.JSONPATH,
    Subject.REGEX,
    Subject.VARIABLE,
)
_PREDICATE_OF_TYPE = {
    name: predicate for predicate, name in TYPE_PREDICATES.items() if predicate != "isDate"
}


def query_text(subject: Subject, argument: str, filters: tuple[str, ...]) -> str:
    """A subject with its argument and filters as Hurl text; NotCarried if Hurl has none."""
    if subject == Subject.SIZE:
        words = ["bytes", "count"]
    elif subject == Subject.REDIRECTS:
        words = ["redirects", "count"]
    elif subject in _QUERY_WORDS:
        words = [_QUERY_WORDS[subject]]
        if subject in _QUOTED_ARGUMENT:
            words.append(quote(argument))
    else:
        raise NotCarried(f"Hurl has no {subject.value} query")
    return " ".join((*words, *filters))


def predicate_value_text(expected: str) -> str:
    """`expected` (JSON when it parses, else text) as a Hurl predicate value."""
    stripped = expected.strip()
    if stripped.startswith("{{") and stripped.endswith("}}") and stripped.count("{{") == 1:
        return stripped
    try:
        value = json.loads(expected)
    except ValueError:
        return quote(expected)
    if isinstance(value, str):
        return quote(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return stripped
    raise NotCarried("Hurl has no list or object values to compare with")


def assert_text(assertion: Assertion) -> str:
    """An assertion as one Hurl assert line; NotCarried when Hurl cannot say it."""
    filters = assertion.filters
    operator = assertion.operator
    if operator == Operator.COUNT:
        filters, operator = (*filters, "count"), Operator.EQ
    query = query_text(assertion.subject, assertion.argument, filters)
    negate = "not " if assertion.negate else ""
    if operator == Operator.IS_TYPE:
        predicate = _PREDICATE_OF_TYPE.get(assertion.expected.strip())
        if predicate is None:
            if assertion.expected.strip() == "null":
                return f"{query} {'!=' if assertion.negate else '=='} null"
            raise NotCarried(f"Hurl has no type test for {assertion.expected!r}")
        return f"{query} {negate}{predicate}"
    if operator == Operator.EXISTS:
        return f"{query} {negate}exists"
    word = _WORD_OF_OPERATOR.get(operator)
    if word is None:
        raise NotCarried(f"Hurl has no {operator.value} predicate")
    value = assertion.expected
    if assertion.subject == Subject.SHA256 and re.fullmatch(r'"[0-9a-fA-F]*"', value.strip()):
        return f"{query} {negate}{word} hex,{value.strip()[1:-1]};"  # Hurl compares bytes
    if operator == Operator.MATCHES or word in ("startsWith", "endsWith"):
        # Hurl wants a string here; a bare number or word is the same text quoted.
        # (contains takes any value: a list may hold a number or null.)
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = value
        if not isinstance(parsed, str) and not value.strip().startswith("{{"):
            value = json.dumps(value)
    return f"{query} {negate}{word} {predicate_value_text(value)}"


def capture_text(capture: Capture) -> str:
    """A capture as one Hurl capture line; NotCarried when Hurl cannot say it."""
    from explorer.core.hurl.reader import Reader

    name = capture.variable
    reader = Reader(name)
    try:
        written = reader.key_string()
    except Exception:  # noqa: BLE001 - any failure means the name is not a Hurl key
        written = ""
    if written != name or not reader.at_end():
        raise NotCarried(f"the variable name {name!r} cannot be written in Hurl")
    redact = " redact" if capture.secret else ""
    return f"{name}: {query_text(capture.subject, capture.argument, capture.filters)}{redact}"
