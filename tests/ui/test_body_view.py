"""BodyView with real bodies: pretty/raw/hex/preview, find, filter, folding, a 20 MB body
that must not stall the event loop, replacing a body while formatting, save and copy."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage

from explorer.ui.response.body_view import BodyView

GIF_1PX = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    b'<rect width="40" height="20" fill="red"/></svg>'
)


@pytest.fixture
def view(qtbot):
    widget = BodyView()
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    yield widget
    widget.shutdown()
    assert not widget.formatter.is_running()


def _show(qtbot, view, data, content_type, path=None):
    with qtbot.waitSignal(view.formatted, timeout=30000):
        view.set_body(data, path, content_type)


def _lines(view) -> list[str]:
    doc = view.text_view.document()
    return [doc.read(*doc.line_span(i)).decode("utf-8", "replace") for i in range(doc.line_count)]


def test_json_pretty_and_raw(qtbot, view):
    body = b'{"name":"caf\xc3\xa9","items":[1,2]}'
    _show(qtbot, view, body, "application/json")
    assert view.mode() == "pretty"
    assert _lines(view) == [
        "{",
        '  "name": "caf\u00e9",',
        '  "items": [',
        "    1,",
        "    2",
        "  ]",
        "}",
    ]
    with qtbot.waitSignal(view.formatted, timeout=10000):
        view.mode_buttons["raw"].click()
    assert _lines(view) == [body.decode()]


def test_xml_and_html_pretty(qtbot, view):
    _show(qtbot, view, b"<a><b>x</b><c/></a>", "application/xml")
    assert _lines(view) == ["<a>", "  <b>x</b>", "  <c/>", "</a>"]
    _show(qtbot, view, b"<html><body><p>Hi</p></body></html>", "text/html; charset=utf-8")
    assert _lines(view) == ["<html>", "  <body>", "    <p>Hi</p>", "  </body>", "</html>"]


def test_html_preview_loads_nothing_remote(qtbot, view):
    html = b'<html><body><h1>Title</h1><img src="http://example.com/x.png"><script>document.write("bad")</script></body></html>'
    _show(qtbot, view, html, "text/html")
    view.set_mode("preview")
    browser = view.preview.browser
    assert view.preview.currentWidget() is browser
    assert "Title" in browser.toPlainText()
    assert "bad" not in browser.toPlainText().replace("document.write", "")
    assert "http://example.com/x.png" in browser.refused


def test_invalid_utf8_is_shown_with_replacement_characters(qtbot, view):
    _show(qtbot, view, b"ok \xff\xfe end\nline2 \xe2\x82", "text/plain; charset=utf-8")
    layout = view.text_view._layout(0)
    assert layout.text == "ok \ufffd\ufffd end"
    view.text_view.select_all()
    assert view.text_view.selected_text().count("\ufffd") == 3


def test_binary_defaults_to_hex(qtbot, view):
    view.set_body(bytes(range(256)) * 4, None, "application/octet-stream")
    assert view.mode() == "hex"
    assert not view.mode_buttons["pretty"].isEnabled()
    lines = _lines(view)
    assert len(lines) == 64
    assert lines[1].startswith("00000010  10 11 12 13")


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp", "gif", "svg"])
def test_image_preview(qtbot, view, fmt):
    if fmt == "gif":
        data = GIF_1PX
    elif fmt == "svg":
        data = SVG
    else:
        image = QImage(64, 32, QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.blue)
        array = QByteArray()
        buffer = QBuffer(array)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        assert image.save(buffer, fmt.upper())
        data = bytes(array.data())
    mime = "image/svg+xml" if fmt == "svg" else f"image/{fmt}"
    view.set_body(data, None, mime)
    if fmt == "svg":
        view.set_mode("preview")
    assert view.mode() == "preview"
    shown = view.preview.image_view.image
    assert not shown.isNull(), view.preview.message.text()
    assert shown.width() == {"gif": 1, "svg": 40}.get(fmt, 64)


def test_find_next_previous_and_count(qtbot, view):
    body = json.dumps({"a": "needle", "b": ["x", "Needle", "needle"], "c": "NEEDLE"}).encode()
    _show(qtbot, view, body, "application/json")
    view.open_find()
    view.find_bar.edit.setText("needle")
    qtbot.waitUntil(lambda: view.search.complete and view.search.count == 4, timeout=5000)
    view.find_next()
    first = view.text_view.current_match
    assert view.text_view.selected_text().lower() == "needle"
    view.find_next()
    assert view.text_view.current_match == (first + 1) % 4
    view.find_previous()
    assert view.text_view.current_match == first
    assert view.find_bar.count.text() == f"{first + 1} of 4"
    view.find_bar.case.setChecked(True)
    qtbot.waitUntil(lambda: view.search.complete and view.search.count == 2, timeout=5000)


@pytest.mark.parametrize(
    ("good", "bad", "message"),
    [
        ("items[?p > `10`].n", "items[?p >", "Filter: Incomplete expression"),  # JMESPath
        ("$.items[?@.p > 10].n", "$.items[?@.p >", "Filter: JSONPath: unexpected end"),
    ],
)
def test_filter_and_bad_expression(qtbot, view, good, bad, message):
    body = json.dumps({"items": [{"n": "a", "p": 5}, {"n": "b", "p": 15}]}).encode()
    _show(qtbot, view, body, "application/json")
    view.filter_edit.setText(good)
    with qtbot.waitSignal(view.formatted, timeout=10000):
        view.apply_filter()
    assert _lines(view) == ["[", '  "b"', "]"]
    assert "Filtered" in view.status.text()
    view.filter_edit.setText(bad)
    view.apply_filter()
    assert view.filter_message().startswith(message)
    # The last good result would read as the bad expression's (#15): the whole body is
    # shown under the error instead.
    qtbot.waitUntil(lambda: len(_lines(view)) > 3, timeout=10000)
    assert _lines(view)[0] == "{" and "Filtered" not in view.status.text()
    view.filter_edit.setText("")
    view.apply_filter()
    assert len(_lines(view)) > 3 and view.filter_message() == ""


def test_find_previous_from_the_top_goes_to_the_last_match_once_the_end_is_searched(qtbot, view):
    # In a large body the search takes a while: Shift+Enter from the top must not stop
    # at the last match found so far (or the first), but wait for the real last one.
    line = b"filler text without the word\n"
    body = b"needle first\n" + line * 100_000 + b"needle middle\n" + line * 10 + b"needle last\n"
    _show(qtbot, view, body, "text/plain")
    view.open_find()
    view.find_bar.edit.setText("needle")
    view.find_bar.flush()  # the search starts; nothing scanned yet
    view.find_previous()
    qtbot.waitUntil(lambda: view.search.complete and view.text_view.current_match >= 0)
    assert view.search.count == 3
    assert view.text_view.current_match == 2
    assert view.find_bar.count.text() == "3 of 3"
    start, end = view.text_view.selection()
    assert view.text_view.document().read(start, end + 5) == b"needle last"


def test_filter_that_would_not_fit_in_memory_says_why_and_does_not_start(qtbot, view):
    body = json.dumps([{"id": i} for i in range(2000)]).encode()
    _show(qtbot, view, body, "application/json")
    view.available_memory = lambda: 900 << 20  # what a small machine has free
    view.filter_edit.setText("[-1].id")
    view.apply_filter()
    message = view.filter_message()
    assert message.startswith("Filter: Filtering needs about 100 MB of memory for this")
    assert "900 MB is free" in message
    assert not view.is_formatting() and "Filtered" not in view.status.text()
    assert _lines(view)[0] == "["  # the whole body, as it was
    view.available_memory = lambda: None  # unknown: it is tried
    with qtbot.waitSignal(view.formatted, timeout=10000):
        view.apply_filter()
    assert _lines(view) == ["1999"] and view.filter_message() == ""


def test_folding_hides_and_restores_lines(qtbot, view):
    body = json.dumps({"a": {"x": 1, "y": 2}, "b": [1, 2, 3], "c": 0}).encode()
    _show(qtbot, view, body, "application/json")
    tv = view.text_view
    qtbot.waitUntil(lambda: len(tv.folds.starts) == 3)
    total = tv.document().line_count
    assert tv.visible_lines()[:4] == [0, 1, 2, 3]
    assert tv.toggle_fold(1)  # "a": {  … }
    assert tv.folds.visible_count(total) == total - 3
    assert tv.visible_lines()[:3] == [0, 1, 5]
    assert not tv.toggle_fold(2)  # no fold starts on a plain member line
    # a click on the gutter marker expands it again
    y = 1 * tv._line_height + tv._line_height / 2
    x = tv._number_right + tv._fold_width / 2 + tv._metrics.cell * 0.6
    qtbot.mouseClick(tv.viewport(), Qt.MouseButton.LeftButton, pos=QPointF(x, y).toPoint())
    assert tv.folds.visible_count(total) == total
    assert tv.visible_lines()[:4] == [0, 1, 2, 3]


def test_word_wrap_splits_long_lines(qtbot, view):
    long_line = ("word " * 200).strip()
    _show(qtbot, view, long_line.encode(), "text/plain")
    tv = view.text_view
    assert tv._layout(0).row_count == 1
    view.wrap_box.setChecked(True)
    layout = tv._layout(0)
    assert layout.row_count > 5
    rows = [layout.text[slice(*layout.row_range(r))] for r in range(layout.row_count)]
    assert "".join(rows) == long_line
    assert all(row.endswith(" ") for row in rows[:-1])  # broken between words


def test_keyboard_selection_and_copy(qtbot, view):
    _show(qtbot, view, b"first line\nsecond line", "text/plain")
    tv = view.text_view
    tv.setFocus()
    qtbot.keyClick(tv, Qt.Key.Key_Down)
    qtbot.keyClick(tv, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    assert tv.selected_text() == "second line"
    qtbot.keyClick(tv, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "second line"


def test_save_large_body_copies_its_file(qtbot, view, tmp_path):
    source = tmp_path / "spooled.bin"
    source.write_bytes(bytes(range(256)) * 40000)
    view.set_body(None, source, "application/octet-stream")
    target = tmp_path / "saved.bin"
    with qtbot.waitSignal(view.saved, timeout=10000):
        view.save_body_to(target)
    assert target.read_bytes() == source.read_bytes()


def test_save_of_a_body_in_memory_writes_its_exact_bytes(qtbot, view, tmp_path):
    body = b'{"a": [1, 2, 3]}\r\n\x00\xff'
    view.set_body(body, None, "application/octet-stream")
    target = tmp_path / "saved.bin"
    with qtbot.waitSignal(view.saved, timeout=10000) as saved:
        view.save_body_to(target)
    assert saved.args == [str(target)]
    assert target.read_bytes() == body
    assert view.status.text() == f"Saved to {target}"


def test_save_into_a_missing_folder_says_why_in_one_line(qtbot, view, tmp_path):
    view.set_body(b"body", None, "text/plain")
    target = tmp_path / "missing" / "saved.txt"
    with qtbot.waitSignal(view.save_failed, timeout=10000) as failed:
        view.save_body_to(target)
    [message] = failed.args
    assert message == f"Could not save to {target}: No such file or directory"
    assert view.status.text() == message
    assert not target.exists()


def test_the_window_leaves_the_gui_thread_only_through_the_queues():
    """No raw threads in the ui: short jobs go to the background queue (qt/background),
    large bodies to the formatter process (docs/ARCHITECTURE.md)."""
    ui = Path(__file__).resolve().parents[2] / "explorer" / "ui"
    raw = [
        path.relative_to(ui).as_posix()
        for path in sorted(ui.rglob("*.py"))
        if "threading.Thread" in path.read_text(encoding="utf-8")
    ]
    assert raw == []


def test_second_body_while_first_formats_shows_only_the_second(qtbot, view, tmp_path):
    first = tmp_path / "first.json"
    first.write_bytes(orjson.dumps([{"id": i, "who": "first"} for i in range(200000)]))
    view.set_body(None, first, "application/json")
    second = orjson.dumps([{"id": i, "who": "second"} for i in range(100000)])
    with qtbot.waitSignal(view.formatted, timeout=30000):
        view.set_body(second, None, "application/json")
    qtbot.wait(300)
    doc = view.text_view.document()
    assert (
        doc.line_count
        == orjson.dumps(orjson.loads(second), option=orjson.OPT_INDENT_2).count(b"\n") + 1
    )
    assert b"second" in doc.read(0, 200) and b"first" not in doc.read(0, doc.size)


def test_20mb_body_flows_without_stalling(qtbot, view, tmp_path):
    records = [
        {"id": i, "name": f"user {i}", "tags": ["a", "b"], "n": {"x": i * 0.5}}
        for i in range(290000)
    ]
    path = tmp_path / "20mb.json"
    path.write_bytes(orjson.dumps(records))
    assert path.stat().st_size > 20_000_000
    del records
    gaps = []
    last = [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=5, timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    timer.start()
    try:
        last[0] = time.perf_counter()
        with qtbot.waitSignal(view.formatted, timeout=60000):
            view.set_body(None, path, "application/json")
        tv = view.text_view
        tv.setFocus()
        qtbot.keyClick(tv, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(100)
    finally:
        timer.stop()
    doc = tv.document()
    assert doc.line_count - 1 in tv.visible_lines()
    assert doc.read(*doc.line_span(doc.line_count - 1)) == b"]"
    assert max(gaps) < 0.5, f"longest event-loop gap {max(gaps) * 1000:.0f} ms"


@pytest.mark.parametrize("expression", ["items[?p > `10`].n", "$.items[?@.p > 10].n"])
def test_copy_copies_the_filter_result_shown(qtbot, view, expression):
    body = json.dumps({"items": [{"n": "a", "p": 5}, {"n": "b", "p": 15}], "secret": "x"})
    _show(qtbot, view, body.encode(), "application/json")
    view.filter_edit.setText(expression)
    with qtbot.waitSignal(view.formatted, timeout=10000):
        view.apply_filter()
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "\n".join(_lines(view)) == '[\n  "b"\n]'
    assert "filtered" in view.status.text()
    # No filter: the whole body again.
    view.filter_edit.setText("")
    view.apply_filter()  # the pretty text is kept: shown at once
    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == body


def test_folds_of_a_child_formatted_body_are_mapped_and_leave_no_file(qtbot, view):
    """Over the in-process size the folds come from the child's file, mapped, not read:
    it is unlinked at once, folding, locating a value and find in a folded part work
    from the mapping (and from a mapped fold tree), and nothing stays behind."""
    records = [{"id": i, "tags": ["a", "b"], "note": "needle" if i == 4321 else "x"}
               for i in range(6000)]  # fmt: skip
    body = json.dumps(records).encode()
    assert len(body) > 256 << 10
    with qtbot.waitSignal(view.paths_ready, timeout=30000):
        view.set_body(body, None, "application/json")
    tv = view.text_view
    assert isinstance(tv.folds.starts, memoryview) and tv.folds.pages is not None
    folder = tv.document().source.path.parent
    assert [p.name.split("-")[0] for p in folder.iterdir()] == ["output"]
    assert len(tv.folds.starts) == 1 + 6000 * 2  # the array; per record: itself, "tags"
    record = 1 + 4321 * 8  # after "[", 8 lines a record: {, id, tags [, a, b, ], note, }
    doc = tv.document()
    assert doc.read(*doc.line_span(record)).strip() == b"{"
    assert doc.read(*doc.line_span(record + 6)).strip() == b'"note": "needle"'
    assert tv.folds.fold_at(record) == record + 7
    assert view.location_at_line(record + 6).path == (4321, "note")
    total = tv.document().line_count
    assert tv.toggle_fold(record) and tv.folds.visible_count(total) == total - 7
    view.open_find()
    view.find_bar.edit.setText("needle")
    qtbot.waitUntil(lambda: view.search.complete and view.search.count == 1, timeout=5000)
    view.find_next()
    assert view.text_view.selected_text() == "needle"
    assert not tv.folds.is_hidden(record + 6)  # the fold opened to show the match
    view.clear()
    assert list(folder.iterdir()) == []
