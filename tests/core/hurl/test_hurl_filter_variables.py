"""Hurl writes {{variables}} in filter arguments (`nth {{index}}`, `replaceRegex
"{{pattern}}" "x"`): the checks replace them after the filter is parsed, so a value is
taken as it is (a backslash is no escape) and an index is an integer. Both failed before
(the index '{{i}}' was not an integer; the pattern stayed '{{d}}')."""

from __future__ import annotations

from explorer.core.checks.evaluate import CheckContext, capture, evaluate
from explorer.core.checks.results import ResponseFacts
from explorer.core.model import Assertion, Capture, Operator, Subject

BODY = b'{"id": "123", "list": [1, 2, 3]}'
VALUES = {"i": "1", "last": "-1", "d": "\\d", "sep": "2"}


def context() -> CheckContext:
    def resolve(text: str) -> str:
        for name, value in VALUES.items():
            text = text.replace("{{" + name + "}}", value)
        return text

    return CheckContext(resolve=resolve, variable=VALUES.get)


def facts() -> ResponseFacts:
    return ResponseFacts(
        status=200, body=BODY, body_size=len(BODY), content_type="application/json"
    )


def check(argument: str, filters: tuple[str, ...], expected: str) -> bool:
    assertion = Assertion(Subject.JSONPATH, Operator.EQ, expected, argument, filters)
    result = evaluate(assertion, facts(), context())
    assert result.message == "" or result.passed, result.message
    return result.passed


def test_an_index_from_a_variable():
    assert check("$.list", ("nth {{i}}",), "2")
    assert check("$.list", ("nth {{last}}",), "3")
    assert not check("$.list", ("nth {{i}}",), "3")


def test_a_pattern_from_a_variable_keeps_its_backslash():
    assert check("$.id", ('replaceRegex "{{d}}" "x"',), '"xxx"')


def test_a_number_like_value_stays_the_same_text_in_a_text_argument():
    assert check("$.id", ('split "{{sep}}"', "count"), "2")


def test_captures_resolve_them_too():
    taken = capture(
        Capture("second", Subject.JSONPATH, "$.list", ("nth {{i}}",)), facts(), context()
    )
    assert taken.value == "2"
