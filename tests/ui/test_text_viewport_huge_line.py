"""A line wider than a scroll bar can count (one line of a 1 GiB minified JSON is about
8 billion pixels; Qt's scroll bars hold 32-bit ints): the view still scrolls to its end.

The line is a sparse file of 400 MB (no disk used), handed over the way the formatter
hands text over (a growing TextBuffer told its size), so nothing reads it whole."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from explorer.core.text.text_buffer import BLOCK, TextBuffer
from explorer.ui.response.text_viewport import TextViewport

SIZE = 400_000_000 // BLOCK * BLOCK


def test_end_of_a_line_billions_of_pixels_wide_is_reached(qtbot, tmp_path):
    path = tmp_path / "one-line.json"
    with open(path, "wb") as handle:
        handle.truncate(SIZE)
    with open(path, "r+b") as handle:  # the last bytes say where we are
        os.pwrite(handle.fileno(), b"THE-END", SIZE - 7)
    buffer = TextBuffer(path=path, size=0)
    buffer.append_blocks(SIZE, [0] * (SIZE // BLOCK))
    buffer.mark_complete()
    view = TextViewport()
    qtbot.addWidget(view)
    view.resize(800, 400)
    view.show()
    view.set_document(buffer)
    qtbot.waitExposed(view)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(20)  # the deferred scroll-bar update runs
    bar = view.horizontalScrollBar()
    assert 0 < bar.maximum() < 2**31 and bar.value() > bar.maximum() * 0.99
    view.select_range(SIZE - 7, SIZE)
    assert view.selected_text() == "THE-END"
    buffer.close()
