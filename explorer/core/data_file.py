"""A run's data file: one iteration per row, each column a variable.

CSV (the first row names the columns) or JSON (an array of objects). Values become
text: a JSON string as it is, any other JSON value as JSON (`3`, `true`, `null`,
`[1, 2]`). Everything is bounded (file size, rows, columns, one value's length) and
whatever is wrong with the file is one `DataFileError` line that says where.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

MAX_DATA_BYTES = 32 * 1024 * 1024  # a larger file is not a table of test inputs
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_VALUE_CHARS = 1024 * 1024  # what one variable may hold (core/resolve/variables)

Row = dict[str, str]


class DataFileError(ValueError):
    """The data file cannot be used; `str()` is one line for a person."""


def read_data_file(path: Path) -> tuple[Row, ...]:
    """The rows of the CSV or JSON file at `path` (JSON when its name ends in .json or
    its text starts with `[`, else CSV)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_DATA_BYTES + 1)
    except FileNotFoundError:
        raise DataFileError("no such file") from None
    except IsADirectoryError:
        raise DataFileError("is a folder, not a file") from None
    except OSError as error:
        raise DataFileError(f"cannot read it ({error.strerror or error})") from None
    if len(data) > MAX_DATA_BYTES:
        raise DataFileError(f"the file is larger than {MAX_DATA_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataFileError(f"not UTF-8 text (byte {error.start})") from None
    if path.suffix.lower() == ".json" or text.lstrip()[:1] == "[":
        return parse_json_rows(text)
    return parse_csv_rows(text)


def parse_json_rows(text: str) -> tuple[Row, ...]:
    """An array of objects as rows."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise DataFileError("the JSON is nested too deeply") from None
    except ValueError as error:
        line = getattr(error, "lineno", None)
        where = f" (line {line})" if line else ""
        raise DataFileError(f"not valid JSON{where}") from None
    if not isinstance(document, list):
        raise DataFileError("expected a JSON array of objects, one per iteration")
    _check_rows(len(document))
    rows = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            raise DataFileError(f"item {number} is not an object")
        if len(item) > MAX_COLUMNS:
            raise DataFileError(f"item {number} has more than {MAX_COLUMNS} keys")
        rows.append({str(k): _value(v, f"item {number}, {k!r}") for k, v in item.items()})
    return tuple(rows)


def parse_csv_rows(text: str) -> tuple[Row, ...]:
    """A CSV table (first row: the column names) as rows; a row shorter than the
    header leaves its last columns empty, a longer one is an error."""
    if not text.strip():
        raise DataFileError("the file is empty: expected a header row of column names")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        if len(header) > MAX_COLUMNS:
            raise DataFileError(f"more than {MAX_COLUMNS} columns")
        names = [name.strip() for name in header]
        if any(not name for name in names):
            raise DataFileError("line 1: a column has no name")
        duplicate = next((n for n in names if names.count(n) > 1), None)
        if duplicate is not None:
            raise DataFileError(f"line 1: the column {duplicate!r} is named twice")
        rows: list[Row] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line (often the last one) is no iteration
            where = f"line {reader.line_num}"
            if len(cells) > len(names):
                raise DataFileError(f"{where}: {len(cells)} values for {len(names)} columns")
            _check_rows(len(rows) + 1)
            cells += [""] * (len(names) - len(cells))
            rows.append({n: _value(c, where) for n, c in zip(names, cells, strict=True)})
    except csv.Error as error:
        raise DataFileError(f"line {reader.line_num}: {error}") from None
    return tuple(rows)


def _check_rows(count: int) -> None:
    if count > MAX_ROWS:
        raise DataFileError(f"more than {MAX_ROWS:,} rows")


def _value(value: object, where: str) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > MAX_VALUE_CHARS:
        raise DataFileError(f"{where}: a value is longer than {MAX_VALUE_CHARS:,} characters")
    return text
