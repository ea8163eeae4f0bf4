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
