"""A run's data file (explorer.core.data_file): CSV and JSON rows, bounded, one-line
errors; and a short Hypothesis fuzz: any text is rows or one DataFileError."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core import data_file
from explorer.core.data_file import (
    DataFileError,
    parse_csv_rows,
    parse_json_rows,
    read_data_file,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or 150


def test_csv_rows_with_quotes_blank_lines_and_short_rows(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes('\ufeffname, city\n"Lovelace, Ada",London\n\nGrace\n'.encode())
    assert read_data_file(path) == (
        {"name": "Lovelace, Ada", "city": "London"},
        {"name": "Grace", "city": ""},
    )


def test_json_rows_values_become_text(tmp_path):
    path = tmp_path / "rows.json"
    path.write_text('[{"id": 3, "ok": true, "tags": ["a"], "who": "ada", "none": null}]')
    assert read_data_file(path) == (
        {"id": "3", "ok": "true", "tags": '["a"]', "who": "ada", "none": "null"},
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("a,,b\n", "line 1: a column has no name"),
        ("a,a\n1,2\n", "line 1: the column 'a' is named twice"),
        ("a\n1,2\n", "line 2: 2 values for 1 columns"),
    ],
)
def test_csv_errors_say_where(text, message):
    with pytest.raises(DataFileError, match=message):
        parse_csv_rows(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{}", "expected a JSON array of objects"),
        ("[1]", "item 1 is not an object"),
        ("[{", "not valid JSON \\(line 1\\)"),
        ("[" * 100_000, "not valid JSON|nested too deeply"),
    ],
)
def test_json_errors_say_what(text, message):
    with pytest.raises(DataFileError, match=message):
        parse_json_rows(text)


def test_bounds(tmp_path, monkeypatch):
    monkeypatch.setattr(data_file, "MAX_ROWS", 3)
    with pytest.raises(DataFileError, match="more than 3 rows"):
        parse_csv_rows("a\n1\n2\n3\n4\n")
    with pytest.raises(DataFileError, match="more than 3 rows"):
        parse_json_rows("[{}, {}, {}, {}]")
    monkeypatch.setattr(data_file, "MAX_DATA_BYTES", 10)
    big = tmp_path / "big.csv"
    big.write_text("a\n" + "1\n" * 10)
    with pytest.raises(DataFileError, match="larger than"):
        read_data_file(big)
    with pytest.raises(DataFileError, match="no such file"):
        read_data_file(tmp_path / "missing.csv")
    (tmp_path / "latin.csv").write_bytes(b"a\n\xe9\n")
    monkeypatch.setattr(data_file, "MAX_DATA_BYTES", 1000)
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_data_file(tmp_path / "latin.csv")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab,"\n\r[]{}:1 \x00é'), max_size=200))
def test_any_text_is_rows_or_one_error(text):
    for parse in (parse_csv_rows, parse_json_rows):
        try:
            rows = parse(text)
        except DataFileError as error:
            assert "\n" not in str(error) and str(error)
        else:
            assert all(isinstance(v, str) for row in rows for v in row.values())
