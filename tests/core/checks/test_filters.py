"""Hurl's filters, one by one and chained, and bad filters as one-line messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from explorer.core.checks.filters import FILTER_NAMES, apply_filters, parse_filter
from explorer.core.checks.values import MISSING, CheckProblem


@pytest.mark.parametrize(
    ("value", "filters", "expected"),
    [
        ([1, 2, 3], ["count"], 3),
        ({"a": 1}, ["count"], 1),
        ("abc", ["count"], 3),
        ([10, 20, 30], ["nth 1"], 20),
        ([10, 20, 30], ["nth -1"], 30),
        ([10, 20, 30], ["first"], 10),
        ([10, 20, 30], ["last"], 30),
        ("id=42;x", [r'regex "id=(\d+)"'], "42"),
        ("id=42;x", [r"regex /id=(\d+)/"], "42"),
        ("id=42;x", [r"regex /\d+/"], "42"),  # no group: the whole match
        ("a, b, c", ['split ", "'], ["a", "b", "c"]),
        ("a, b, c", ['split ", "', "count"], 3),
        ("a, b, c", ['split ", "', "nth 2"], "c"),
        ("http://x/y", ['replace "http://" "https://"'], "https://x/y"),
        ("a1b22", [r'replaceRegex "\d+" "#"'], "a#b#"),
        ("a1b22", [r'replaceRegex /\d/ "x"'], "axbxx"),
        ("42", ["toInt"], 42),
        (42.9, ["toInt"], 42),
        ("3.14", ["toFloat"], 3.14),
        (42, ["toString"], "42"),
        ([1, "a"], ["toString"], '[1,"a"]'),
        ("a%20b%2Fc", ["urlDecode"], "a b/c"),
        ("a b/c?d=é", ["urlEncode"], "a%20b/c%3Fd%3D%C3%A9"),
        ("https://h/p?a=1&b=two", ['urlQueryParam "b"'], "two"),
        ("aGVsbG8=", ["base64Decode"], b"hello"),
        ("aGVsbG8", ["base64Decode", "utf8Decode"], "hello"),  # padding optional
        ("hello", ["base64Encode"], "aGVsbG8="),
        ("<<???>>", ["base64UrlSafeEncode"], "PDw_Pz8-Pg"),
        ("PDw_Pz8-Pg", ["base64UrlSafeDecode", "utf8Decode"], "<<???>>"),
        ("шелл", ["utf8Encode", "toHex"], "d188d0b5d0bbd0bb"),
        ("a > b & c", ["htmlEscape"], "a &gt; b &amp; c"),
        ("Foo &copy; bar &#x1D306;", ["htmlUnescape"], "Foo © bar 𝌆"),
        ("caf\u00e9", ["utf8Encode", 'decode "latin-1"'], "cafÃ©"),
        ('{"books": [{"name": "Dune"}]}', ['jsonpath "$.books[0].name"'], "Dune"),
        ('{"books": [{"name": "Dune"}]}', ['jsonpath "$.books"', "count"], 1),
        ("<p><b>x</b><b>y</b></p>", ['xpath "count(//b)"'], 2),
        ("<p><b>x</b><b>y</b></p>", ['xpath "string(//b[2])"'], "y"),
        ("2023-01-23T18:25:43Z", ['toDate "%+"', 'dateFormat "%A"'], "Monday"),
        ("23/01/2023", ['toDate "%d/%m/%Y"', 'format "%Y-%m-%d"'], "2023-01-23"),
        (
            "Mon, 23 Jan 2023 18:25:43 GMT",
            ['toDate "%a, %d %b %Y %H:%M:%S GMT"', 'dateFormat "%H"'],
            "18",
        ),
        ("2023-01-23T18:25:43.511Z", ['toDate "%Y-%m-%dT%H:%M:%S%.fZ"', 'dateFormat "%S"'], "43"),
        ("no digits", [r'regex "(\d+)"'], MISSING),
    ],
)
def test_filters(value: object, filters: list[str], expected: object) -> None:
    assert apply_filters(value, filters) == expected


def test_days_before_and_after_now() -> None:
    now = datetime.now(UTC)
    past = (now - timedelta(days=10, hours=1)).isoformat()
    future = (now + timedelta(days=5, hours=1)).isoformat()
    assert apply_filters(past, ["daysBeforeNow"]) == 10
    assert apply_filters(future, ["daysAfterNow"]) == 5


def test_every_filter_of_hurl_is_known() -> None:
    hurl = {
        "base64Decode", "base64Encode", "base64UrlSafeDecode", "base64UrlSafeEncode", "count",
        "daysAfterNow", "daysBeforeNow", "decode", "first", "dateFormat", "format",
        "htmlEscape", "htmlUnescape", "jsonpath", "last", "location", "nth", "regex",
        "replace", "replaceRegex", "split", "toDate", "toFloat", "toHex", "toInt",
        "toString", "urlDecode", "urlEncode", "urlQueryParam", "utf8Decode", "utf8Encode",
        "xpath",
    }  # fmt: skip
    assert hurl == set(FILTER_NAMES)


def test_parse_filter() -> None:
    assert parse_filter("nth 0") == ("nth", [0])
    assert parse_filter('replace "a \\"b\\"" "c"') == ("replace", ['a "b"', "c"])
    assert parse_filter(r"regex /a\/b(\d)/") == ("regex", [r"a/b(\d)"])
    assert parse_filter(r'regex "(\d+)"') == ("regex", [r"(\d+)"])  # kept as a regex wants


@pytest.mark.parametrize(
    ("value", "filters", "message"),
    [
        ([1], ["nth 5"], "Filter nth: index 5 is out of range (the list has 1)"),
        ([1], ["nth x"], "Filter nth: the index 'x' is not an integer"),
        ("abc", ["toInt"], "Filter toInt: 'abc' is not an integer"),
        ("abc", ["toFloat"], "Filter toFloat: 'abc' is not a number"),
        (True, ["toInt"], "Filter toInt: expects a number or a text, got a boolean"),
        ("x", ["split"], "Filter split takes 1 argument, got 0"),
        ("x", ["count 3"], "Filter count takes no argument, got 1"),
        ("x", ["sparkle"], "Unknown filter 'sparkle'"),
        ("x", ['regex "("'], "Filter regex: bad regular expression '('"),
        ("!!", ["base64Decode"], "Filter base64Decode: not Base64"),
        ("x", ['jsonpath "$.a"'], "Filter jsonpath: The value is not JSON"),
        ("x", ['toDate "%Y"'], "Filter toDate: 'x' does not match '%Y'"),
        ("x", ['decode "nope"'], "Filter decode: unknown encoding 'nope'"),
        ([1, 2], ["urlEncode"], "Filter urlEncode: expects a text, got a list"),
        (MISSING, ["count"], "Filter count: there is no value to filter"),
        ("x", ['split "'], "Filter 'split \"': cannot read it from position 7"),
        ("x", ["nth 1"] * 40, "Too many filters (40; at most 32)"),
    ],
)
def test_bad_filters_are_one_line_messages(value: object, filters: list[str], message: str):
    with pytest.raises(CheckProblem) as caught:
        apply_filters(value, filters)
    assert caught.value.message.startswith(message), caught.value.message
    assert "\n" not in caught.value.message
