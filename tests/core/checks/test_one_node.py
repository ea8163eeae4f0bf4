"""A query that may select several values (a JSONPath filter or wildcard) and selected
one is compared as that value, as Hurl compares it; a singular query's list is not."""

from __future__ import annotations

import orjson
import pytest

from explorer.core.checks.evaluate import evaluate
from explorer.core.checks.results import ResponseFacts
from explorer.core.model import Assertion, Operator, Subject

from .conftest import make_context

DOCUMENT = {"users": [{"id": 1, "name": "Bob"}, {"id": 2, "name": "Ann"}], "tags": ["x"]}


def _facts() -> ResponseFacts:
    body = orjson.dumps(DOCUMENT)
    return ResponseFacts(
        status=200, body=body, body_size=len(body), content_type="application/json"
    )


@pytest.mark.parametrize(
    ("path", "operator", "expected", "passes"),
    [
        ("$.users[?(@.id == 1)].name", Operator.EQ, '"Bob"', True),
        ("$.users[?(@.id == 1)].name", Operator.EQ, '["Bob"]', True),
        ("$.users[?(@.id == 1)].name", Operator.NE, '"Bob"', False),
        ("$.users[?(@.id == 1)].name", Operator.STARTS_WITH, "Bo", True),
        ("$.users[?(@.id == 2)].id", Operator.GT, "1", True),
        ("$.users[*].name", Operator.EQ, '"Bob"', False),  # two values: a list
        ("$.users[?(@.id == 1)].name", Operator.COUNT, "1", True),  # count sees the list
        ("$.tags", Operator.EQ, '"x"', False),  # singular: the list itself
    ],
)
def test_a_one_node_result_is_compared_as_its_value(
    path: str, operator: Operator, expected: str, passes: bool
) -> None:
    result = evaluate(
        Assertion(Subject.JSONPATH, operator, expected, path), _facts(), make_context()
    )
    assert result.passed is passes, (result.actual, result.message)
