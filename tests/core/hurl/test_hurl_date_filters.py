"""Dates as Hurl's filters see them: a cookie's Expires is a date (dateFormat takes it
without toDate), and chrono's %.f writes no fraction for whole seconds. Both failed
before ("... is not a date", and "22:23:01.000000Z")."""

from __future__ import annotations

from explorer.core.checks.filters import apply_filters


def test_an_http_date_is_a_date():
    value = "Thu, 13 Jan 2078 22:23:01 GMT"
    assert apply_filters(value, ['dateFormat "%Y-%m-%d %H:%M"']) == "2078-01-13 22:23"


def test_fractional_seconds_as_chrono_writes_them():
    fmt = ['dateFormat "%Y-%m-%dT%H:%M:%S%.fZ"']
    assert apply_filters("2078-01-13T22:23:01Z", fmt) == "2078-01-13T22:23:01Z"
    assert apply_filters("2023-01-23T18:25:43.511Z", fmt) == "2023-01-23T18:25:43.511Z"
    assert apply_filters("2023-01-23T18:25:43.511200Z", fmt) == "2023-01-23T18:25:43.511200Z"


def test_to_date_keeps_dates_in_utc():
    """Hurl's filter.hurl: +0200 read, written back as UTC (failed: 09:07:46 +0200)."""
    filters = ['toDate "%Y-%m-%dT%H:%M:%S%z"', 'dateFormat "%a %b %d %H:%M:%S %Y %z"']
    assert apply_filters("2020-08-27T09:07:46+0200", filters) == "Thu Aug 27 07:07:46 2020 +0000"
