"""SearchEngine on real documents: the fast literal scanner (bytes.find on the lowered
window) finds exactly what the case-folding regex finds, across window boundaries."""

from __future__ import annotations

import pytest

from explorer.core.text.find_query import compile_query
from explorer.core.text.text_buffer import HexDocument, TextBuffer
from explorer.qt.search import LITERAL_WINDOW, SearchEngine


def _body() -> bytes:
    # Matches in every case, right across the 1 MiB window edges, next to multi-byte
    # UTF-8 (é, ☃) that lower() must leave alone.
    parts = [b"caf\xc3\xa9 \xe2\x98\x83 filler line\n" * 110_000]
    text = bytearray(b"".join(parts))
    for edge in (LITERAL_WINDOW, 2 * LITERAL_WINDOW):
        for shift, word in ((-3, b"NeEdLe"), (-40, b"needle"), (7, b"NEEDLE")):
            text[edge + shift : edge + shift + 6] = word
    text += b"\xc3\xa9needleneedle\n"
    return bytes(text)


def _expected(data: bytes, query: str, case_sensitive: bool) -> list[int]:
    pattern, _ = compile_query(query, case_sensitive)
    return [m.start() for m in pattern.finditer(data)]


@pytest.mark.parametrize("case_sensitive", [False, True])
def test_literal_scan_finds_what_the_regex_finds(qtbot, case_sensitive):
    data = _body()
    assert len(data) > 2 * LITERAL_WINDOW
    engine = SearchEngine()
    engine.start(TextBuffer(data), "needle", case_sensitive)
    qtbot.waitUntil(lambda: engine.complete, timeout=5000)
    expected = _expected(data, "needle", case_sensitive)
    assert list(engine.starts) == expected
    assert list(engine.ends) == [start + 6 for start in expected]
    assert len(expected) == (8 if not case_sensitive else 4)


def test_hex_dump_is_searched_too(qtbot):
    from explorer.core.text.text_buffer import ByteSource

    doc = HexDocument(ByteSource(data=b"\x00" * 100_000 + b"AB"))
    engine = SearchEngine()
    engine.start(doc, "41 42", False)
    qtbot.waitUntil(lambda: engine.complete, timeout=5000)
    assert engine.count == 1


def test_matches_are_kept_compact_and_offsets_past_4_gib_widen_the_starts(qtbot, monkeypatch):
    """Starts in 4-byte items and lengths in 1-byte items (25 MB for the 5 million matches
    a common word has in 1 GiB, not 80); past 4 GiB the starts widen to 8 bytes, once,
    here with the 4 GiB mark moved to 1 MiB so a small document crosses it."""
    from explorer.qt import search

    data = _body()
    engine = SearchEngine()
    engine.start(TextBuffer(data), "needle", False)
    qtbot.waitUntil(lambda: engine.complete, timeout=5000)
    expected = _expected(data, "needle", False)
    assert (engine.starts.typecode, engine.lengths.typecode) == ("I", "B")
    assert engine.ends[-1] == expected[-1] + 6 and engine.ends[1:3] == [
        e + 6 for e in expected[1:3]
    ]
    monkeypatch.setattr(search, "_U32", LITERAL_WINDOW)
    engine.start(TextBuffer(data), "needle", False)
    qtbot.waitUntil(lambda: engine.complete, timeout=5000)
    assert engine.starts.typecode == "Q"
    assert list(engine.starts) == expected and list(engine.ends) == [s + 6 for s in expected]
    long_query = "filler line\ncaf\u00e9 \u2603 " * 20  # 440 bytes: 2-byte lengths
    engine.start(TextBuffer(data), long_query, True)
    qtbot.waitUntil(lambda: engine.complete, timeout=5000)
    assert engine.lengths.typecode == "H" and engine.count > 1000
    assert engine.ends[0] - engine.starts[0] == 440
