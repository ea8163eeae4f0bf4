"""The parent reads the child's answer as untrusted input: any bytes, and any JSON shaped
almost like an answer, give a `ChildAnswer` with a one-line error or a checked answer,
never an exception. (`make fuzz` runs more examples via FUZZ_EXAMPLES.)"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.scripting.process import _read_answer
from explorer.core.scripting.protocol import POST, PRE, ScriptLimits

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or 200
VALID: dict[str, Any] = {
    "version": 1,
    "error": "",
    "console": ["a"],
    "variables_set": {"a": "1"},
    "secrets_set": ["a"],
    "variables_unset": [],
    "results": [{"label": "t", "passed": True, "actual": "", "expected": "", "message": ""}],
    "request": {"method": "GET", "url": "u", "headers": [["a", "b"]], "params": [], "body": None},
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def check(output: bytes, kind: str) -> None:
    answer = _read_answer(output, 0, kind, ScriptLimits(), 1.0)
    assert "\n" not in answer.error
    if answer.data:
        assert isinstance(answer.data["console"], list)
        assert all(isinstance(r["passed"], bool) for r in answer.data["results"])


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes(output: bytes) -> None:
    check(output, PRE)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.sampled_from(sorted(VALID)), json_values, st.sampled_from([PRE, POST]))
def test_an_answer_with_one_field_replaced(key: str, value: Any, kind: str) -> None:
    check(json.dumps({**VALID, key: value}).encode(), kind)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.sampled_from(["headers", "params", "body", "method"]), json_values)
def test_a_request_with_one_field_replaced(key: str, value: Any) -> None:
    answer = {**VALID, "request": {**VALID["request"], key: value}}
    check(json.dumps(answer).encode(), PRE)


def test_the_valid_answer_is_read() -> None:
    answer = _read_answer(json.dumps(VALID).encode(), 0, PRE, ScriptLimits(), 1.0)
    assert answer.error == ""
    assert answer.data["request"]["headers"] == [("a", "b")]
