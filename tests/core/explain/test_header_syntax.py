"""The shared header syntax (explorer/core/explain/header_syntax.py), for what the rules
use it for. Each helper's tests are grouped by the rules that rely on them."""

from __future__ import annotations

from datetime import UTC, datetime

from explorer.core.explain.header_syntax import (
    MAX_FIELD,
    delta_seconds,
    directives,
    entity_tag,
    http_date,
    media_type,
    split_list,
    unquote,
)

# --- status, content and problem rules (rules-a) ---


def test_allow_lists_split_on_commas_with_odd_spacing() -> None:
    assert split_list("GET,HEAD , OPTIONS,,") == ["GET", "HEAD", "OPTIONS"]
    assert split_list("") == []


def test_accept_members_keep_their_parameters_for_media_type() -> None:
    members = split_list("application/json;q=0.9, text/html; q=0, application/problem+json")
    parsed = [media_type(member) for member in members]
    assert parsed == [
        ("application/json", {"q": "0.9"}),
        ("text/html", {"q": "0"}),
        ("application/problem+json", {}),
    ]


def test_media_type_parameters_a_multipart_boundary_and_a_quoted_charset() -> None:
    assert media_type('multipart/byteranges; boundary="THIS STRING"') == (
        "multipart/byteranges",
        {"boundary": "THIS STRING"},
    )
    assert media_type('text/plain; charset="ISO-8859-1"') == (
        "text/plain",
        {"charset": "ISO-8859-1"},
    )
    assert media_type("text/plain;") == ("text/plain", {})


def test_retry_after_dates() -> None:
    assert http_date("Wed, 21 Oct 2026 07:28:00 GMT") == datetime(2026, 10, 21, 7, 28, tzinfo=UTC)
    assert http_date("120") is None
    assert http_date("2m") is None


# --- caching, conditional, cookie, security and CORS rules (rules-b) ---


def test_delta_seconds_are_ascii_digits_only() -> None:
    values = ("60", " 0 ", None, "", "-1", "1.5", "1e3", "\uff16", "\u00b2")
    assert [delta_seconds(v) for v in values] == [60, 0] + [None] * 7  # "\u00b2" used to raise


def test_quoted_directive_values_and_qualified_no_cache() -> None:
    assert unquote('"a\\"b"') == 'a"b'
    assert unquote("token") == "token"
    assert directives('no-cache="Set-Cookie, Set-Cookie2", max-age="60"') == {
        "no-cache": "Set-Cookie, Set-Cookie2",
        "max-age": "60",
    }


def test_entity_tag_spelling_mistakes_are_not_well_formed() -> None:
    for text in ('w/"a"', '"a', 'a"', '"a"b"', "", "W/a"):
        assert not entity_tag(text).well_formed, text
    assert entity_tag('  "a"  ').well_formed


def test_lists_are_cut_at_the_field_bound_and_xhtml_is_a_media_type() -> None:
    assert len(split_list("a," * MAX_FIELD)) == MAX_FIELD // 2
    assert media_type("application/xhtml+xml; charset=utf-8")[0] == "application/xhtml+xml"
