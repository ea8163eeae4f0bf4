"""The JSONPath of a line of pretty JSON is exact: evaluated on the document (with the
same JSONPath library the checks use), it selects exactly the value shown on that
line, for any document: nested arrays, keys that need quoting, empty containers,
unicode. A closing bracket means its container; a line too far is a one-line refusal."""

from __future__ import annotations

import json

import jsonpath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.text.content import dump_json, json_folds
from explorer.core.text.json_location import FoldTree, LocationError, jsonpath_of, locate

_KEYS = st.one_of(
    st.sampled_from(["a", "b_1", "id", "it's", "a b", "$", "@", "a.b", "[0]", "", "*",
                     "back\\slash", 'quo"te', "tab\there", "new\nline", "ключ", "😀"]),
    st.text(max_size=6),
)  # fmt: skip
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False, width=32), st.text(max_size=8),
)  # fmt: skip
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=25,
)  # fmt: skip


def lines_of(document: object) -> tuple[list[bytes], FoldTree]:
    pretty = dump_json(document)
    starts, ends = json_folds(pretty)
    return pretty.split(b"\n"), FoldTree(starts, ends)


def reader(lines: list[bytes]):
    return lambda n: (lines[n], True)


def at(document: object, path: tuple) -> object:
    for part in path:
        document = document[part]  # type: ignore[index]
    return document


@settings(max_examples=150, deadline=None)
@given(_JSON)
def test_every_line_s_path_selects_exactly_its_value(document: object) -> None:
    lines, tree = lines_of(document)
    for number in range(len(lines)):
        found = locate(number, tree, reader(lines))
        value = at(document, found.path)  # the path leads to a value
        if isinstance(document, str):  # python-jsonpath would read a str as JSON text
            assert found.path == ()
            continue
        matches = jsonpath.findall(found.jsonpath, document)
        assert len(matches) == 1 and matches[0] == value, found.jsonpath
        if found.kind == "scalar":
            assert found.value() == value or (value != value)  # NaN is excluded anyway
        else:
            assert isinstance(value, dict if found.kind == "object" else list)


def test_nested_arrays_and_quoted_keys() -> None:
    document = {"users": [{"name": "ada", "tags": [[1, 2], [3, {"it's": True}]]},
                          {"a b": [None, {}, []]}]}  # fmt: skip
    lines, tree = lines_of(document)
    text = [line.decode() for line in lines]
    number = next(i for i, t in enumerate(text) if '"it\'s"' in t)
    found = locate(number, tree, reader(lines))
    assert found.jsonpath == "$.users[0].tags[1][1]['it\\'s']"
    assert found.text == "true"
    three = next(i for i, t in enumerate(text) if t.strip() == "3,")
    assert locate(three, tree, reader(lines)).jsonpath == "$.users[0].tags[1][0]"
    empty = next(i for i, t in enumerate(text) if t.strip() == "[]")
    found = locate(empty, tree, reader(lines))
    assert (found.jsonpath, found.kind, found.text) == ("$.users[1]['a b'][2]", "scalar", "[]")
    closer = len(lines) - 1  # the root's closing brace
    assert locate(closer, tree, reader(lines)).path == ()


def test_a_line_that_is_not_pretty_json_is_refused_in_one_line() -> None:
    lines = [b"<html>", b"  <body>", b"</html>"]
    with pytest.raises(LocationError) as caught:
        locate(1, FoldTree([], []), reader(lines))
    assert "\n" not in str(caught.value)


def test_a_value_deep_in_a_huge_array_costs_a_line_read_per_level() -> None:
    document = {"items": [{"n": i, "tags": [i]} for i in range(100_000)]}
    lines, tree = lines_of(document)
    read: list[int] = []

    def counting(n: int) -> tuple[bytes, bool]:
        read.append(n)
        return lines[n], True

    number = len(lines) - 5  # the last element's `0` inside "tags"... or near it
    found = locate(number, tree, counting)
    assert jsonpath.findall(found.jsonpath, document) == [at(document, found.path)]
    assert found.path[:2] == ("items", 99_999)
    assert len(read) <= len(found.path) + 2  # never a walk over the siblings


def test_a_long_line_gives_a_path_without_the_value() -> None:
    document = {"big": "x" * 100}
    lines, tree = lines_of(document)
    cut = lambda n: (lines[n][:20], len(lines[n]) <= 20)  # noqa: E731
    found = locate(1, tree, cut)
    assert (found.jsonpath, found.complete, found.text) == ("$.big", False, "")


def test_paths_are_written_plainly_where_they_can_be() -> None:
    assert jsonpath_of(()) == "$"
    assert jsonpath_of(("a", 0, "b_2")) == "$.a[0].b_2"
    assert jsonpath_of(("a.b", "", "x\ny")) == "$['a.b']['']['x\\ny']"
    assert json.loads('"\\u0001"') == "\x01"
    assert jsonpath_of(("\x01",)) == "$['\\u0001']"


_LINE = st.one_of(
    st.binary(max_size=30),
    st.sampled_from([b"{", b"}", b"[", b"]", b"  },", b'  "a": {', b'  "b": [', b"    1,",
                     b'  "k": "v"', b'  "\\', b'"x": ', b"    ]", b"null"]),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12), st.data())
def test_any_text_and_folds_give_a_location_or_a_one_line_refusal(lines, data) -> None:
    """Whatever the text and fold ranges (the viewer hands over what it has), an answer
    or a LocationError with one line, never another exception or a hang."""
    count = len(lines)
    pairs = data.draw(st.lists(st.tuples(st.integers(0, count), st.integers(0, count)),
                               max_size=6))  # fmt: skip
    pairs = sorted({(a, b) for a, b in pairs if a < b})
    tree = FoldTree([a for a, _ in pairs], [b for _, b in pairs])
    number = data.draw(st.integers(0, count - 1))
    try:
        found = locate(number, tree, lambda n: (lines[n], True) if n < count else (b"", True))
    except LocationError as error:
        assert "\n" not in str(error) and str(error)
    else:
        assert found.jsonpath.startswith("$")


# -- the way back: a JSONPath to its line (the Explain tab's "Show in response") ---------


@settings(max_examples=40, deadline=None)
@given(_JSON)
def test_every_line_s_path_leads_back_to_that_line(document: object) -> None:
    from explorer.core.text.json_location import line_of, parse_jsonpath

    lines, tree = lines_of(document)
    for number in range(len(lines)):
        found = locate(number, tree, reader(lines))
        if lines[number].strip() in (b"}", b"]", b"},", b"],"):
            continue  # a closing bracket stands for its container, which starts above
        assert parse_jsonpath(found.jsonpath) == found.path
        assert line_of(found.path, tree, reader(lines)) == number


def test_a_path_that_is_not_there_or_too_far_is_a_one_line_refusal() -> None:
    from explorer.core.text.json_location import line_of, parse_jsonpath

    lines, tree = lines_of({"items": list(range(100)), "name": "x"})
    read = reader(lines)
    assert lines[line_of(parse_jsonpath("$.items[42]"), tree, read)].strip() == b"42,"
    for missing in ("$.nope", "$.items[100]", "$.name.deeper", "$.items.key", "$[0]"):
        with pytest.raises(LocationError, match="not in this body"):
            line_of(parse_jsonpath(missing), tree, read)
    with pytest.raises(LocationError, match="too large"):
        line_of(parse_jsonpath("$.items[99]"), tree, read, limit=50)
    for bad in ("items", "$.items[*]", "$..name", "$[?(@.a)]", "$.a["):
        with pytest.raises(LocationError):
            parse_jsonpath(bad)


def test_the_fold_tree_of_many_folds_holds_two_arrays_beside_the_folds_given() -> None:
    # A 1 GiB body has ~10 million folds: each array of them is 39 MB of the window's
    # memory. The tree keeps the arrays it is given and adds parents and indexes only.
    import tracemalloc
    from array import array

    count = 20_000  # [ {…}, {…}, … ]: one outer fold holding `count` 3-line folds
    starts = array("I", [0, *range(1, 3 * count, 3)])
    ends = array("I", [3 * count + 1, *range(3, 3 * count + 1, 3)])
    tracemalloc.start()
    tree = FoldTree(starts, ends)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert tree.starts is starts and tree.ends is ends
    assert peak < 2.5 * 4 * len(starts)  # parent and index: 4 bytes a fold each
    assert tree.enclosing(3 * (count - 1) + 2) == (count, 0)  # the last object's middle
    assert tree.enclosing(3 * (count - 1) + 1) == (0, count - 1)


def test_a_fold_tree_built_in_steps_is_the_tree_built_at_once() -> None:
    # The window builds a large tree in slices of its GUI thread (no worker holding the
    # GIL against it): steps of any size give the same parents and indexes.
    pretty = dump_json(json.loads('{"a": [1, {"b": [2, 3]}, [4, [5]]], "c": {"d": {}}}'))
    starts, ends = json_folds(pretty)
    whole = FoldTree(starts, ends)
    stepped = FoldTree(starts, ends, build=False)
    assert not stepped.complete
    steps = 0
    while not stepped.build(2):
        steps += 1
    assert stepped.complete and steps >= 2
    assert stepped.parent == whole.parent and stepped.index == whole.index
