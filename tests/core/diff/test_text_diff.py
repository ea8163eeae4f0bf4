"""The bounded line diff: valid opcodes always, exact on ordinary inputs, fast on big ones."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.diff import text_diff
from explorer.core.diff.budget import Budget, Stopped
from explorer.core.diff.headers_diff import State, diff_headers
from explorer.core.diff.text_diff import diff_lines

FAST = settings(max_examples=80, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))  # fmt: skip
LINES = st.lists(st.sampled_from(["a", "b", "c", "{", "}", "x = 1", ""]) | st.text(max_size=3),
                 max_size=40)  # fmt: skip


def _check(left, right, result):
    """The opcodes cover both sides in order, equal blocks are equal, and applying
    them to the left gives the right."""
    at_left = at_right = 0
    rebuilt = []
    for tag, i1, i2, j1, j2 in result.opcodes:
        assert (i1, j1) == (at_left, at_right)
        assert tag in {"equal", "replace", "delete", "insert"}
        if tag == "equal":
            assert left[i1:i2] == right[j1:j2]
        if tag == "delete":
            assert j1 == j2 and i2 > i1
        if tag == "insert":
            assert i1 == i2 and j2 > j1
        rebuilt += right[j1:j2]
        at_left, at_right = i2, j2
    assert (at_left, at_right) == (len(left), len(right))
    assert rebuilt == right


@FAST
@given(LINES, LINES)
def test_opcodes_always_turn_the_left_into_the_right(left, right):
    result = diff_lines(left, right)
    _check(left, right, result)
    assert result.exact
    same = diff_lines(left, left)
    assert same.changed_blocks == 0


@FAST
@given(LINES, LINES, LINES)
def test_common_lines_around_a_change_are_kept_equal(head, middle, tail):
    result = diff_lines([*head, "left only", *tail], head + middle + tail)
    assert result.opcodes[0][0] == "equal" or not head
    assert result.changed_blocks == 1


def test_a_big_text_with_scattered_changes_is_exact():
    left = [f"line {n}" for n in range(100_000)]
    right = list(left)
    for n in range(0, 100_000, 1_000):
        right[n] = f"changed {n}"
    result = diff_lines(left, right)
    _check(left, right, result)
    assert result.exact and result.changed_blocks == 100


def test_past_the_work_limit_it_says_it_is_not_line_by_line(monkeypatch):
    monkeypatch.setattr(text_diff, "SMALL_GAP", 10)
    left = ["x", "y"] * 50  # no unique line: patience finds no anchor
    right = ["y", "x"] * 50
    result = diff_lines(left, right)
    _check(left, right, result)
    assert not result.exact


def test_too_many_lines_are_one_block(monkeypatch):
    monkeypatch.setattr(text_diff, "MAX_LINES", 5)
    left, right = list("abcdefgh"), list("abcdefgX")
    result = diff_lines(left, right)
    _check(left, right, result)
    assert not result.exact


def test_headers_compare_case_insensitively_and_keep_repeats():
    left = [("Content-Type", "a/json"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("X", "1")]
    right = [("content-type", "a/json"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=3"),
             ("Set-Cookie", "c=4"), ("Y", "2")]  # fmt: skip
    rows = [(row.name, row.left, row.right, row.state) for row in diff_headers(left, right)]
    assert rows == [
        ("Content-Type", "a/json", "a/json", State.SAME),
        ("Set-Cookie", "a=1", "a=1", State.SAME),
        ("Set-Cookie", "b=2", "b=3", State.CHANGED),
        ("X", "1", None, State.REMOVED),
        ("Set-Cookie", None, "c=4", State.ADDED),
        ("Y", None, "2", State.ADDED),
    ]
    assert all(row.state is State.SAME for row in diff_headers(left, left))


def test_a_stopped_budget_stops_the_line_diff():
    budget = Budget()
    budget.stop()
    try:
        diff_lines(["a", "b"], ["b", "a"], budget)
    except Stopped:
        return
    raise AssertionError("not stopped")


HEADERS = st.lists(
    st.tuples(st.sampled_from(["A", "a", "Set-Cookie", "set-cookie", "X"]), st.text(max_size=2)),
    max_size=8,
)


@FAST
@given(HEADERS, HEADERS)
def test_every_header_of_each_side_is_in_exactly_one_row(left, right):
    rows = diff_headers(left, right)
    assert sorted(r.left for r in rows if r.left is not None) == sorted(v for _n, v in left)
    assert sorted(r.right for r in rows if r.right is not None) == sorted(v for _n, v in right)
    for row in rows:
        if row.state is State.SAME:
            assert row.left == row.right
        if row.state is State.CHANGED:
            assert row.left != row.right and None not in (row.left, row.right)
    assert all(row.state is State.SAME for row in diff_headers(left, left))
