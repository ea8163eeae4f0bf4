"""The structural JSON diff: paths, kinds, key order ignored, arrays by index, bounds."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.diff import json_diff
from explorer.core.diff.budget import Budget, Stopped
from explorer.core.diff.json_diff import Kind, diff_json
from explorer.core.diff.json_lines import pretty_json, pretty_lines, pretty_pair
from explorer.core.text.json_location import jsonpath_of as json_path

FAST = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))  # fmt: skip

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=4), children, max_size=5)
    ),
    max_leaves=30,
)


def _at(value: object, where: tuple) -> object:
    """The value at `where`; KeyError/IndexError/TypeError when it is not there."""
    for key in where:
        if isinstance(key, int):
            assert isinstance(value, list)
            value = value[key]
        else:
            assert isinstance(value, dict)
            value = value[key]
    return value


@FAST
@given(JSON)
def test_a_value_has_no_difference_with_itself(value):
    assert diff_json(value, value).changes == ()
    assert diff_json(value, json.loads(json.dumps(value))).total == 0


@FAST
@given(JSON, JSON)
def test_every_reported_path_exists_on_the_side_it_names(left, right):
    result = diff_json(left, right)
    assert len(result.changes) <= json_diff.MAX_CHANGES
    same_text = json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)
    assert (result.total == 0) == same_text
    for change in result.changes:
        if change.kind is not Kind.ADDED:
            _at(left, change.where)
        if change.kind is not Kind.REMOVED:
            _at(right, change.where)
        if change.kind is Kind.ADDED:
            assert change.left == ""
        if change.kind is Kind.REMOVED:
            assert change.right == ""
        assert change.path.startswith("$")


@FAST
@given(JSON, JSON)
def test_pretty_lines_locate_every_changed_path(left, right):
    result = diff_json(left, right)
    wanted = [change.where for change in result.changes]
    for side, kinds in ((left, {Kind.REMOVED}), (right, {Kind.ADDED})):
        lines, found = pretty_json(side, wanted)
        slow_lines, slow_found = pretty_lines(side, wanted)
        # Python's printer is json.dumps's; orjson writes a few floats otherwise (1e-05
        # and 0.00001), so compare line counts there and the text here.
        assert slow_lines == json.dumps(side, indent=2, sort_keys=True,
                                        ensure_ascii=False).split("\n")  # fmt: skip
        assert len(lines) == len(slow_lines)
        assert found == slow_found
        for change in result.changes:
            if change.kind in kinds | {Kind.CHANGED, Kind.TYPE_CHANGED}:
                assert change.where in found
                assert 0 <= found[change.where] < len(lines)


def test_key_order_is_ignored_and_changes_are_named_by_path():
    left = {"b": 1, "a": {"x": [1, 2, 3], "gone": True}, "n": 1, "t": "1"}
    right = {"a": {"x": [1, 5], "new key": None}, "b": 1, "n": 2, "t": 1}
    found = [(c.path, c.kind, c.left, c.right) for c in diff_json(left, right).changes]
    assert found == [
        ("$.a.gone", Kind.REMOVED, "true", ""),
        ("$.a['new key']", Kind.ADDED, "", "null"),
        ("$.a.x[1]", Kind.CHANGED, "2", "5"),
        ("$.a.x[2]", Kind.REMOVED, "3", ""),
        ("$.n", Kind.CHANGED, "1", "2"),
        ("$.t", Kind.TYPE_CHANGED, '"1"', "1"),
    ]
    assert diff_json({"a": 1, "b": 2}, {"b": 2, "a": 1}).total == 0


def test_a_boolean_is_not_the_number_one():
    assert diff_json([True], [1]).changes[0].kind is Kind.TYPE_CHANGED
    assert diff_json({"a": [False]}, {"a": [0]}).total == 1


def test_paths_quote_what_is_not_an_identifier():
    assert json_path(()) == "$"
    assert json_path(("items", 3, "name")) == "$.items[3].name"
    assert json_path(("it's", "a\\b", "")) == "$['it\\'s']['a\\\\b']['']"


def test_the_list_is_bounded_and_the_rest_counted(monkeypatch):
    monkeypatch.setattr(json_diff, "MAX_CHANGES", 10)
    result = diff_json(list(range(50)), list(range(1, 51)))
    assert len(result.changes) == 10 and result.total == 50 and result.cut


def test_previews_are_short_even_for_a_huge_value():
    change = diff_json({}, {"big": ["x" * 100] * 10_000}).changes[0]
    assert len(change.right) <= json_diff.PREVIEW_CHARS
    assert change.right.startswith("[…")


def test_nesting_as_deep_as_a_parser_allows_is_walked():
    deep_left: object = 1
    deep_right: object = 2
    for _ in range(1_200):
        deep_left, deep_right = [deep_left], [deep_right]
    result = diff_json(deep_left, deep_right)
    assert result.total == 1 and len(result.changes[0].where) == 1_200
    _lines, found = pretty_json(deep_left, [result.changes[0].where])
    assert found[result.changes[0].where] == 1_200


def test_a_stopped_budget_stops_the_walk():
    budget = Budget()
    budget.stop()
    try:
        diff_json(list(range(10_000)), list(range(1, 10_001)), budget)
    except Stopped:
        return
    raise AssertionError("not stopped")


def test_both_sides_are_printed_alike_when_one_needs_python():
    (left, _), (right, _) = pretty_pair({"a": 1e-05}, {"a": 1e-05, "b": 2**70}, [])
    assert left[1].strip() == right[1].strip().rstrip(",")
