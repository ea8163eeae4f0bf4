"""The shared header syntax (explorer/core/explain/header_syntax.py), for what the rules
use it for. Each helper's tests are grouped by the rules that rely on them."""

from __future__ import annotations

from datetime import UTC, datetime

from explorer.core.explain.header_syntax import http_date, media_type, split_list

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
