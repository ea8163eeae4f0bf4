"""The streaming JSON formatter makes the text and folds the whole-document one makes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.text import format_worker, json_stream
from explorer.core.text.content import ContentError, ContentKind, json_folds, pretty_json
from explorer.core.text.format_worker import FileSink, FormatJob, produce
from explorer.core.text.json_stream import FoldCollector, NotStreamable, stream_pretty_json


@pytest.fixture(autouse=True)
def tiny_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows of a few bytes, so small documents take every path: many runs, siblings
    entered because they do not fit, strings longer than a window."""
    monkeypatch.setattr(json_stream, "WINDOW", 48)
    monkeypatch.setattr(json_stream, "FIRST_WINDOW", 16)


def stream(document: bytes, read_size: int = 7) -> tuple[bytes, tuple[list[int], list[int]]]:
    """The streamed text and its folds, reading `read_size` bytes at a time at most."""
    source = io.BytesIO(document)
    parts: list[bytes] = []
    folds = FoldCollector()

    def write(text: bytes) -> None:
        parts.append(text)
        folds.feed(text)

    stream_pretty_json(lambda n: source.read(min(n, read_size)), write)
    starts, ends = folds.finish()
    return b"".join(parts), (list(starts), list(ends))


def assert_same_as_whole(document: bytes) -> None:
    text, folds = stream(document)
    expected = pretty_json(document)
    assert text == expected
    starts, ends = json_folds(expected)
    assert folds == (list(starts), list(ends))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=40,
)


@settings(max_examples=120, deadline=None)
@given(
    value=st.lists(JSON_VALUES, max_size=8) | st.dictionaries(st.text(max_size=8), JSON_VALUES),
    style=st.sampled_from(["orjson", "spaced", "ascii"]),
)
def test_random_documents_come_out_as_the_whole_document_formatter_makes_them(
    value: object, style: str
) -> None:
    if style == "orjson":
        document = orjson.dumps(value)
    elif style == "spaced":  # already pretty, with other white space
        document = json.dumps(value, indent="\t", ensure_ascii=False).encode()
    else:  # every non-ASCII character as a \\u escape
        document = json.dumps(value, indent=3).encode()
    assert_same_as_whole(document)


@pytest.mark.parametrize(
    "document",
    [
        b"[1.0, 1e5, 1E+2, -0, -0.0, 0.10, 2.5e-300, 12345678901234567890123]",
        b'{"s": "caf\\u00e9 \\/ \\ud83d\\ude00 \\"q\\" \\t", "k\\u00e9y": [true, false, null]}',
        b'\xef\xbb\xbf  {"bom": [ [], {}, [[]], {"a": {}} ] }  ',
        b"[" + b"[" * 40 + b"1" + b"]" * 40 + b"]",  # deeper than the run finder balances
        b'{"long": "' + b"x" * 500 + b'", "after": [' + b'"y",' * 30 + b"0]}",
        b"[NaN, -Infinity, 1]",
        b'["\\ud800", 1]',  # only the standard library's parser takes a lone surrogate
        b'{"a,": ",{", "b]": "[}", "c\\\\": "\\\\", "d": "\\\\\\""}',
        # The guessed end of a run (the last ",[" in the window) falls inside a string.
        b"[" + b'[1], "a,[b", [2], "c,[", ' * 12 + b"[3]]",
    ],
)
def test_tricky_documents_come_out_as_the_whole_document_formatter_makes_them(
    document: bytes,
) -> None:
    assert_same_as_whole(document)


@pytest.mark.parametrize(
    "document",
    [
        b"[1,2,,3]",
        b"[1 2]",
        b'{"a": 1,}',
        b'{"a" 1}',
        b"[1, 2",
        b'{"a": [1, 2]} x',
        b'[{"a": 1}, {"b": 2]]',
        b'[\n  "caf\xc3\xa9",\n  tru\n]',
        b'["' + b"z" * 200 + b'", "unterminated]',
        b'[{"id": 1},\n {"id": 2},\n {"id": 3,,}]',
    ],
)
def test_invalid_documents_give_the_whole_document_formatters_message(document: bytes) -> None:
    with pytest.raises(ContentError) as streamed:
        stream(document)
    with pytest.raises(ContentError) as whole:
        pretty_json(document)
    assert streamed.value.message == whole.value.message


def test_nesting_deeper_than_the_limit_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(json_stream, "MAX_DEPTH", 30)
    with pytest.raises(ContentError, match=r"^Not formatted: nested deeper than 30 levels$"):
        stream(b"[" * 40 + b"]" * 40)


def test_a_document_too_deep_for_the_writers_is_refused_not_a_traceback() -> None:
    # 1000 levels parse, but neither orjson (255) nor the standard library (Python's
    # stack) could write them: that was a RecursionError out of pretty_json.
    with pytest.raises(ContentError, match=r"^Not formatted: nested too deeply$"):
        pretty_json(b"[" * 1000 + b"]" * 1000)


def test_a_document_that_is_not_a_container_is_left_to_the_whole_document_formatter() -> None:
    with pytest.raises(NotStreamable):
        stream(b'  "just a string"')


def test_a_string_over_the_limit_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_stream, "MAX_VALUE", 100)
    with pytest.raises(ContentError, match=r"^Not formatted: a value over 0 MB$"):
        stream(b'["' + b"x" * 1000 + b'"]')


def run_worker(tmp_path: Path, document: bytes) -> tuple[str, bytes, object]:
    source = tmp_path / "body.json"
    source.write_bytes(document)
    events: list[dict[str, object]] = []
    sink = FileSink(tmp_path / "out.txt", events.append)
    notice, folds_of = produce(source, FormatJob("pretty", ContentKind.JSON), sink)
    sink.close()
    folds = folds_of() if folds_of is not None else None
    return notice, (tmp_path / "out.txt").read_bytes(), folds


def test_the_worker_streams_large_files_with_the_same_text_and_folds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = orjson.dumps({"data": [{"id": i, "tags": ["a", "b"]} for i in range(200)]})
    monkeypatch.setattr(format_worker, "STREAM_FROM", 0)
    notice, text, folds = run_worker(tmp_path, document)
    assert (notice, text) == ("", pretty_json(document))
    assert folds == json_folds(text)


def test_the_worker_shows_invalid_large_json_as_received_with_the_old_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = b'{"data": [' + b'{"id": 1}, ' * 50 + b'{"id": 2}}'
    monkeypatch.setattr(format_worker, "STREAM_FROM", 0)
    notice, text, folds = run_worker(tmp_path, document)
    with pytest.raises(ContentError) as whole:
        pretty_json(document)
    assert notice == f"{whole.value.message}; showing the body as received."
    assert (text, folds) == (document, None)
