"""Property-based fuzzing of the checks: evaluate, capture and the filters on arbitrary
bodies, content types, expressions, expected values and filter texts.

The property: a result comes back (an AssertionResult or a CapturedValue whose message,
when there is one, is one line), never an exception, within a time bound. The normal
suite runs a short version; `make fuzz` sets FUZZ_EXAMPLES to run many more.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.checks.evaluate import CheckContext, capture, evaluate
from explorer.core.checks.filters import apply_filters
from explorer.core.checks.results import ResponseFacts
from explorer.core.checks.values import CheckProblem
from explorer.core.model import Assertion, Capture, Operator, Subject
from tests.support.time_limit import time_bound

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
SECONDS_PER_EXAMPLE = 20

CONTEXT = CheckContext(resolve=lambda text: text, variable=lambda name: "7", root=None)
CONTENT_TYPES = st.sampled_from(
    ["application/json", "application/xml", "text/html; charset=utf-8", "text/plain", ""]
)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)
BODIES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    JSONISH.map(lambda value: repr(value).replace("'", '"').encode()),
    st.sampled_from([b"<a><b>1</b><b>2</b></a>", b"<html><p>x</p>", b"[" * 3000, b'{"a":' * 900]),
)
EXPRESSIONS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["$.a", "$..b", "$[0]", "a.b", "//b", "count(//b)", "(\\d+)", "$[?@>1]"]),
)
FILTERS = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(["count", "nth 0", "nth -1", 'split ","', "toInt", "toFloat",
                         'regex "(\\d)"', "base64Decode", "urlDecode", 'jsonpath "$.a"',
                         'xpath "//b"', 'toDate "%Y"', "daysBeforeNow", "first", "last",
                         'replace "a" "b"', "htmlUnescape", "toString"]),
    ),
    max_size=3,
)  # fmt: skip


def facts(body: bytes, content_type: str, complete: bool) -> ResponseFacts:
    return ResponseFacts(
        status=200, headers=(("Content-Type", content_type), ("X", "1")), body=body,
        body_size=len(body), body_complete=complete, content_type=content_type,
        cookies=(("c", "v"),),
    )  # fmt: skip


@settings(
    max_examples=EXAMPLES or 1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    body=BODIES,
    content_type=CONTENT_TYPES,
    complete=st.booleans(),
    subject=st.sampled_from(list(Subject)),
    operator=st.sampled_from(list(Operator)),
    argument=EXPRESSIONS,
    expected=st.one_of(st.text(max_size=20), JSONISH.map(repr)),
    filters=FILTERS,
    negate=st.booleans(),
)
def test_evaluate_and_capture_never_raise(
    body: bytes,
    content_type: str,
    complete: bool,
    subject: Subject,
    operator: Operator,
    argument: str,
    expected: str,
    filters: list[str],
    negate: bool,
) -> None:
    response = facts(body, content_type, complete)
    assertion = Assertion(subject, operator, expected, argument, tuple(filters), negate)
    with time_bound(SECONDS_PER_EXAMPLE, "a check"):
        result = evaluate(assertion, response, CONTEXT)
        taken = capture(Capture("v", subject, argument, tuple(filters)), response, CONTEXT)
    assert isinstance(result.passed, bool)
    assert "\n" not in result.message and "\n" not in result.actual
    assert (taken.value is None) == bool(taken.message)
    assert "\n" not in taken.message
    if result.message.startswith("The check failed unexpectedly"):
        raise AssertionError(result.message)
    if taken.message.startswith("The capture failed unexpectedly"):
        raise AssertionError(taken.message)


@settings(max_examples=EXAMPLES or 300, deadline=None)
@given(value=st.one_of(JSONISH, st.binary(max_size=50)), filters=FILTERS)
def test_filters_give_a_value_or_a_one_line_problem(value: object, filters: list[str]) -> None:
    with time_bound(SECONDS_PER_EXAMPLE, "a check"):
        try:
            apply_filters(value, filters)
        except CheckProblem as problem:
            assert problem.message and "\n" not in problem.message


SIMPLE_SEGMENTS = st.lists(
    st.one_of(
        st.from_regex(r"\.[A-Za-z_][A-Za-z0-9_]{0,3}", fullmatch=True),
        st.integers(-4, 4).map(lambda index: f"[{index}]"),
        st.text("ab '\"", max_size=3).filter(lambda t: "'" not in t).map(lambda t: f"['{t}']"),
        st.sampled_from(["[01]", "[-0]", "[ 1 ]", ".a b", "[*]", "..a", "['a\\'b']"]),
    ),
    max_size=4,
)


@settings(max_examples=EXAMPLES or 300, deadline=None)
@given(document=JSONISH, segments=SIMPLE_SEGMENTS)
def test_the_simple_jsonpath_reader_agrees_with_python_jsonpath(
    document: object, segments: list[str]
) -> None:
    import jsonpath

    from explorer.core.checks.queries import jsonpath_query, simple_jsonpath
    from explorer.core.checks.values import MISSING

    expression = "$" + "".join(segments)
    if simple_jsonpath(expression) is None:
        return  # the library's alone
    try:
        path = jsonpath.compile(expression)
    except jsonpath.JSONPathError as error:
        raise AssertionError(f"{expression!r} read as simple, refused by RFC 9535") from error
    assert isinstance(path, jsonpath.JSONPath) and path.singular_query()
    # The library reads a text document as JSON: wrapped, it is taken as a value.
    matches = (
        path.findall(document)
        if isinstance(document, list | dict)
        else ([document] if not segments else [])
    )
    ours = jsonpath_query(document, expression)
    assert (ours is MISSING and matches == []) or [ours] == matches, expression
