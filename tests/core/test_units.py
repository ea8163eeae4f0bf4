"""Sizes as the user types them (--max-body, Preferences) and as the app shows them."""

from __future__ import annotations

import pytest

from explorer.core.units import human_size, parse_size


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1024", 1024),
        ("0", 0),
        ("500k", 500 * 1024),
        ("64MB", 64 * 1024**2),
        ("64 mb", 64 * 1024**2),
        ("1GiB", 1024**3),
        ("1.5G", 3 * 1024**3 // 2),
        ("2TB", 2 * 1024**4),
        ("10B", 10),
    ],
)
def test_parse_size_reads_numbers_with_units(text: str, expected: int) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "MB", "abc", "-1MB", "10XB", "nan", "inf", "1 2MB", "1e999"])
def test_parse_size_rejects_what_is_not_a_size_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"Invalid size .*such as 500k, 64MB or 1GiB"):
        parse_size(text)


def test_a_parsed_size_reads_back_the_same_when_shown() -> None:
    assert human_size(parse_size("64MB")) == "64.0 MB"
