"""URL field <-> Params table sync, path parameters, scheme defaulting."""

from __future__ import annotations

import pytest

from explorer.core.model import Pair
from explorer.core.urls import (
    join_url,
    merge_params,
    merge_path_params,
    path_param_names,
    split_url,
    with_default_scheme,
)


@pytest.mark.parametrize(
    ("url", "base", "pairs"),
    [
        ("http://h/p", "http://h/p", []),
        ("http://h/p?a=1&b=2", "http://h/p", [("a", "1"), ("b", "2")]),
        ("http://h/p?a=1&a=2", "http://h/p", [("a", "1"), ("a", "2")]),
        ("http://h/p?q=a%20b%26c", "http://h/p", [("q", "a b&c")]),
        ("http://h/p?q=%ED%95%9C", "http://h/p", [("q", "한")]),
        ("http://h/p?q=1+1", "http://h/p", [("q", "1+1")]),
        ("http://h/p?flag&x=", "http://h/p", [("flag", ""), ("x", "")]),
        ("http://h/p?a=1#top", "http://h/p#top", [("a", "1")]),
        ("http://h/p?a==b", "http://h/p", [("a", "=b")]),
        ("{{base}}/p?id={{id}}", "{{base}}/p", [("id", "{{id}}")]),
    ],
)
def test_split_url(url, base, pairs):
    assert split_url(url) == (base, tuple(Pair(n, v) for n, v in pairs))


@pytest.mark.parametrize(
    "pairs",
    [
        [("q", "a b")],
        [("q", "a&b=c#d?e")],
        [("k", "한국어"), ("k", "2")],
        [("plus", "1+1"), ("pct", "100%")],
        [("id", "{{id}}")],
        [("empty", "")],
    ],
)
def test_table_to_url_to_table_is_exact(pairs):
    params = tuple(Pair(n, v) for n, v in pairs)
    url = join_url("http://h/p", params)
    assert split_url(url) == ("http://h/p", params)


def test_disabled_rows_stay_out_of_the_url_and_in_the_table():
    table = (Pair("a", "1"), Pair("off", "x", enabled=False), Pair("b", "2"))
    url = join_url("http://h/p", table)
    assert url == "http://h/p?a=1&b=2"
    # The user edits the URL: b changes, c is added; the disabled row stays in place.
    _, typed = split_url("http://h/p?a=1&b=3&c=4")
    assert merge_params(table, typed) == (
        Pair("a", "1"),
        Pair("off", "x", enabled=False),
        Pair("b", "3"),
        Pair("c", "4"),
    )


def test_removing_from_the_url_removes_enabled_rows():
    table = (Pair("a", "1"), Pair("b", "2"), Pair("off", "x", enabled=False))
    assert merge_params(table, (Pair("a", "1"),)) == (Pair("a", "1"), Pair("off", "x", False))


def test_path_params_found_and_values_kept():
    assert path_param_names("http://h:8080/users/:id/items/:item?x=:no") == ["id", "item"]
    current = (Pair("id", "42"), Pair("gone", "1"))
    assert merge_path_params("http://h/users/:id/:slug", current) == (
        Pair("id", "42"),
        Pair("slug", ""),
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("example.com", "http://example.com"),
        ("  localhost:5000/x ", "http://localhost:5000/x"),
        ("https://a", "https://a"),
        ("{{base_url}}/x", "{{base_url}}/x"),
        ("", ""),
    ],
)
def test_default_scheme(typed, expected):
    assert with_default_scheme(typed) == expected
