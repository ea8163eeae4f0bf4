"""A user's regular expression cannot hang a run or the window: one that backtracks
without end on the body stops at the time limit with a message saying so."""

from __future__ import annotations

import time

from explorer.core.checks.evaluate import capture, evaluate
from explorer.core.checks.results import ResponseFacts
from explorer.core.checks.values import REGEX_SECONDS
from explorer.core.model import Assertion, Capture, Operator, Subject

from .conftest import make_context

# `(a|aa)+$` tries every way of splitting the run of a's before failing at the "b": with
# `re` this takes longer than the age of the universe.
HOSTILE = r"(a|aa)+$"
BODY = ("a" * 5000 + "b").encode()


def _facts() -> ResponseFacts:
    return ResponseFacts(status=200, body=BODY, body_size=len(BODY), content_type="text/plain")


def test_a_backtracking_regex_subject_fails_at_the_time_limit() -> None:
    started = time.monotonic()
    result = evaluate(
        Assertion(Subject.REGEX, Operator.EXISTS, argument=HOSTILE), _facts(), make_context()
    )
    assert not result.passed
    assert "took longer than" in result.message
    assert time.monotonic() - started < REGEX_SECONDS * 10


def test_a_backtracking_matches_operator_and_filter_fail_at_the_time_limit() -> None:
    matches = evaluate(Assertion(Subject.BODY, Operator.MATCHES, HOSTILE), _facts(), make_context())
    assert not matches.passed and "took longer than" in matches.message
    filtered = capture(
        Capture("x", Subject.BODY, filters=(f'regex "{HOSTILE}"',)), _facts(), make_context()
    )
    assert filtered.value is None and "took longer than" in filtered.message


def test_an_ordinary_regex_still_matches() -> None:
    result = evaluate(
        Assertion(Subject.REGEX, Operator.EQ, '"b"', argument=r"a(b)"), _facts(), make_context()
    )
    assert result.passed, result.message
