"""dump_yaml's libyaml path writes exactly what the pure-Python emitter writes.

The fast path exists for speed (an import of 10,000 requests); the file format must not
depend on which path wrote a file, or the next save of a request would rewrite it."""

from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.storage import yaml_io
from explorer.core.storage.yaml_io import dump_yaml

pytestmark = pytest.mark.skipif(yaml_io._FastDumper is None, reason="PyYAML without libyaml")

TRICKY = [*list(" :-#'\"\n\t|>{}[],&*!%@`\\é☃\r"), "true", "null", "1.5", "0x1f", "~", "---"]
words = st.lists(st.sampled_from([*TRICKY, *string.ascii_letters[:6]]), max_size=14).map("".join)
texts = st.one_of(
    st.text(max_size=40),
    words,
    st.sampled_from(
        ["yes", "no", "on", "2024-01-01", "1e3", "- x", "a: b", "a #b", "", " lead", "trail ",
         "multi\nline\n", "x" * 120, ("word " * 30).strip(), "é" * 60, "𐀀", "\ufeffbom"]
    ),
)  # fmt: skip
scalars = st.one_of(texts, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
field_names = st.sampled_from(["name", "value", "url", "headers", "params", "body", "auth", "a"])
keys = st.one_of(field_names, texts)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=25,
)
documents = st.dictionaries(keys, values, min_size=1, max_size=6)
# Mostly keys of the ordinary shape, so that most examples take the libyaml path.
ordinary = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(field_names, inner, max_size=4)
    ),
    max_leaves=25,
)
ordinary_documents = st.dictionaries(field_names, ordinary, min_size=1, max_size=6)


OPTIONS = yaml_io._DUMP_OPTIONS


def pure(data: dict) -> str:
    return yaml.dump(data, Dumper=yaml_io._Dumper, **OPTIONS)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(documents, ordinary_documents))
def test_the_fast_path_writes_what_the_pure_emitter_writes(data):
    text = dump_yaml(data)
    assert text == pure(data)
    if yaml_io._is_ordinary(data):  # the pure emitter has rare misses of its own (U+0085)
        assert yaml.safe_load(text) == data


def test_a_kept_trailing_newline_is_written_as_the_pure_emitter_writes_it():
    # libyaml closes such a document with "..." even when more keys follow.
    data = {"name": "\n", "value": ""}
    assert dump_yaml(data) == pure(data) == "name: |2+\n\nvalue: ''\n"


@pytest.mark.parametrize(
    "data",
    [
        # A key after a list item's block scalar ends the block (found by the property).
        {"name": [{"name": "0\n", "value": [""]}]},
        {"items": [{"text": "a\nb\n", "tags": ["x"], "more": {"k": "v"}}], "after": 1},
        {"items": ["a\nb\n", ["c"], "d\n"]},
    ],
)
def test_a_block_scalar_in_a_list_item_ends_where_the_pure_emitter_ends_it(data):
    assert yaml_io._is_ordinary(data)
    assert dump_yaml(data) == pure(data)


def test_a_request_with_nested_lists_and_a_block_scalar_takes_the_fast_path():
    data = {
        "name": "Create",
        "headers": [{"name": "Accept", "value": "application/json"}],
        "body": {"kind": "raw", "text": "line one\n- not a list item\nkey: not a key\n"},
        "items": [{"parts": [{"name": "a", "tags": ["x", "y"]}]}, "plain"],
    }
    assert yaml_io._is_ordinary(data)
    fast = yaml_io._indent_sequences(yaml.dump(data, Dumper=yaml_io._FastDumper, **OPTIONS))
    text = dump_yaml(data)
    assert text == fast == pure(data)
    if yaml_io._is_ordinary(data):  # the pure emitter has rare misses of its own (U+0085)
        assert yaml.safe_load(text) == data
    assert "headers:\n  - name: Accept\n    value: application/json\n" in text
