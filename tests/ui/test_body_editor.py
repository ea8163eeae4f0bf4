"""The Body tab: what a user types and picks becomes the `Body` that is sent."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QWidget

from explorer.core.model import Body, BodyKind, Pair, Part
from explorer.core.text.body_text import TextProblem, json_problem, prettify_json, prettify_xml
from explorer.ui.request.body_editor import KINDS, BodyEditor
from explorer.ui.widgets.feedback import problem_of
from explorer.ui.widgets.file_picker import FilePicker
from explorer.ui.widgets.theme import Theme, current_theme, palette


@pytest.fixture
def editor(qtbot):
    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    return widget


def choose_kind(qtbot, editor: BodyEditor, kind: BodyKind) -> None:
    """Pick a kind with the keyboard, as a user would."""
    target = [k for _, k in KINDS].index(kind)
    editor.kind_combo.setFocus()
    while editor.kind_combo.currentIndex() < target:
        qtbot.keyClick(editor.kind_combo, Qt.Key.Key_Down)
    while editor.kind_combo.currentIndex() > target:
        qtbot.keyClick(editor.kind_combo, Qt.Key.Key_Up)


def test_typing_json_makes_a_raw_body(qtbot, editor):
    with qtbot.waitSignal(editor.changed):
        choose_kind(qtbot, editor, BodyKind.RAW)
    qtbot.keyClicks(editor.raw_editor.editor, '{"title": "x"}')
    body = editor.value()
    assert body.kind == BodyKind.RAW
    assert body.text == '{"title": "x"}'
    assert body.content_type == "application/json"
    assert editor.content_type_hint() == "application/json"


def test_language_sets_content_type_and_prettify_availability(qtbot, editor):
    choose_kind(qtbot, editor, BodyKind.RAW)
    combo = editor.raw_editor.language_combo
    expected = {
        "XML": ("application/xml", True),
        "HTML": ("text/html", False),
        "Plain text": ("text/plain", False),
        "JavaScript": ("application/javascript", False),
        "JSON": ("application/json", True),
    }
    for label, (content_type, can_prettify) in expected.items():
        with qtbot.waitSignal(editor.changed):
            combo.setCurrentIndex(combo.findText(label))
        assert editor.value().content_type == content_type
        assert editor.content_type_hint() == content_type
        assert editor.raw_editor.prettify_button.isEnabled() is can_prettify


@pytest.mark.parametrize(
    ("text", "line", "column", "reason"),
    [
        ('{"a": 1,}', 1, 9, "Expecting property name enclosed in double quotes"),
        ('{\n  "a": 1,\n  "b": tru\n}', 3, 8, "Expecting value"),
        ("[1, 2", 1, 6, "Expecting ',' delimiter"),
        ('{"a" 1}', 1, 6, "Expecting ':' delimiter"),
    ],
)
def test_invalid_json_is_reported_with_line_and_column(qtbot, editor, text, line, column, reason):
    choose_kind(qtbot, editor, BodyKind.RAW)
    qtbot.keyClicks(editor.raw_editor.editor, text.replace("\n", ""))
    editor.raw_editor.editor.setPlainText(text)  # newlines exactly as given
    message = editor.raw_editor.message
    qtbot.waitUntil(lambda: message.isVisible(), timeout=2000)
    assert message.text().startswith(f"Invalid JSON at line {line}, column {column}: {reason}")
    marked = editor.raw_editor.editor.extraSelections()
    assert [s.cursor.blockNumber() for s in marked] == [line - 1]
    # Still sendable: the text is the body as typed.
    assert editor.value().text == text


def test_json_check_waits_for_a_typing_pause_then_clears(qtbot, editor):
    choose_kind(qtbot, editor, BodyKind.RAW)
    raw = editor.raw_editor
    qtbot.keyClicks(raw.editor, "{")
    assert not raw.message.isVisible()  # not on the keystroke itself
    qtbot.waitUntil(lambda: raw.message.isVisible(), timeout=2000)
    qtbot.keyClicks(raw.editor, "}")
    qtbot.waitUntil(lambda: not raw.message.isVisible(), timeout=2000)
    assert raw.problem() is None
    assert raw.editor.extraSelections() == []


def test_prettify_json_keeps_order_numbers_and_is_undoable(qtbot, editor):
    source = '{"b":1.10,"a":[1e5,{}],"b":"x, y: {"}'
    editor.set_value(Body(kind=BodyKind.RAW, text=source, content_type="application/json"))
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.raw_editor.prettify_button, Qt.MouseButton.LeftButton)
    assert editor.value().text == (
        '{\n  "b": 1.10,\n  "a": [\n    1e5,\n    {}\n  ],\n  "b": "x, y: {"\n}'
    )
    editor.raw_editor.editor.undo()
    assert editor.value().text == source


def test_prettify_of_broken_json_reports_and_keeps_the_text(qtbot, editor):
    source = '{"a": [1, 2}'
    editor.set_value(Body(kind=BodyKind.RAW, text=source, content_type="application/json"))
    assert editor.raw_editor.prettify() is False
    assert editor.value().text == source
    assert editor.raw_editor.message.text().startswith("Cannot prettify: Invalid JSON at line 1")


def test_prettify_xml_keeps_prefixes_comments_and_declaration(qtbot, editor):
    source = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<s:a xmlns:s="u"> <b x="1">t</b><!--c--></s:a>'
    )
    editor.set_value(Body(kind=BodyKind.RAW, text=source, content_type="application/xml"))
    assert editor.raw_editor.prettify() is True
    assert editor.value().text == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<s:a xmlns:s="u">\n  <b x="1">t</b>\n  <!--c-->\n</s:a>\n'
    )


def test_prettify_of_broken_xml_names_the_place():
    with pytest.raises(TextProblem) as raised:
        prettify_xml("<a>\n  <b></a>")
    assert (raised.value.line, raised.value.column) == (2, 8)
    assert "mismatched tag" in str(raised.value)


def test_json_helpers_agree_with_each_other():
    assert json_problem("") is None
    assert json_problem("  ") is None
    pretty = prettify_json('[{"k": [true, null, "]"]}]')
    assert json_problem(pretty) is None
    assert pretty == '[\n  {\n    "k": [\n      true,\n      null,\n      "]"\n    ]\n  }\n]'


def test_switching_kinds_back_and_forth_loses_nothing(qtbot, editor, tmp_path):
    data = tmp_path / "data.bin"
    data.write_bytes(b"\x00\x01")
    choose_kind(qtbot, editor, BodyKind.RAW)
    qtbot.keyClicks(editor.raw_editor.editor, "hello")
    choose_kind(qtbot, editor, BodyKind.FORM)
    editor.form_table.add_row(Pair("q", "1"))
    choose_kind(qtbot, editor, BodyKind.MULTIPART)
    qtbot.keyClicks(editor.multipart_table.row(0).name, "field")
    choose_kind(qtbot, editor, BodyKind.BINARY)
    qtbot.keyClicks(editor.binary_editor.file_picker.line_edit, str(data))
    choose_kind(qtbot, editor, BodyKind.NONE)
    assert editor.value() == Body(
        kind=BodyKind.NONE,
        text="hello",
        form=(Pair("q", "1"),),
        parts=(Part("field"),),
        file=str(data),
    )
    choose_kind(qtbot, editor, BodyKind.RAW)
    assert editor.raw_editor.editor.toPlainText() == "hello"


ROUND_TRIPS = [
    Body(),
    Body(kind=BodyKind.RAW, text='{"a": 1}', content_type="application/json"),
    Body(kind=BodyKind.RAW, text="<a/>", content_type="application/xml"),
    Body(kind=BodyKind.RAW, text="<p>", content_type="text/html"),
    Body(kind=BodyKind.RAW, text="plain", content_type="text/plain"),
    Body(kind=BodyKind.RAW, text="let a", content_type="application/javascript"),
    Body(kind=BodyKind.RAW, text="{}", content_type="application/vnd.api+json"),
    Body(kind=BodyKind.FORM, form=(Pair("a", "1"), Pair("a", "2", False), Pair("b", ""))),
    Body(
        kind=BodyKind.MULTIPART,
        parts=(
            Part("title", "hello"),
            Part("avatar", file="/no/such/file.png", content_type="image/png"),
            Part("off", "x", enabled=False),
        ),
    ),
    Body(kind=BodyKind.BINARY, file="/no/such/file.bin", content_type="image/png"),
    Body(kind=BodyKind.BINARY, file="/no/such/file.bin"),
]


@pytest.mark.parametrize("body", ROUND_TRIPS, ids=lambda b: b.kind.value)
def test_set_value_round_trips_and_is_silent(qtbot, editor, body):
    with qtbot.assertNotEmitted(editor.changed, wait=50):
        editor.set_value(body)
    assert editor.value() == body


def test_unknown_raw_type_is_kept_and_coloured_as_its_family(editor):
    editor.set_value(Body(kind=BodyKind.RAW, text="{}", content_type="application/vnd.api+json"))
    assert editor.raw_editor.language() == "json"
    assert editor.raw_editor.highlighter.language_rules == "json"
    assert editor.raw_editor.language_combo.currentText() == "application/vnd.api+json"


def test_multipart_parts_built_by_the_user(qtbot, editor, tmp_path):
    upload = tmp_path / "photo.png"
    upload.write_bytes(b"png")
    choose_kind(qtbot, editor, BodyKind.MULTIPART)
    table = editor.multipart_table
    first = table.row(0)
    qtbot.keyClicks(first.name, "title")
    qtbot.keyClicks(first.value, "Hello")
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    second = table.row(1)
    qtbot.keyClicks(second.name, "photo")
    second.kind.setCurrentIndex(1)
    assert second.stack.currentWidget() is second.file
    qtbot.keyClicks(second.file.line_edit, str(upload))
    qtbot.keyClicks(second.content_type, "image/png")
    assert editor.value().parts == (
        Part("title", "Hello"),
        Part("photo", file=str(upload), content_type="image/png"),
    )
    assert editor.content_type_hint() == "multipart/form-data"
    assert editor.problems() == []


def test_multipart_missing_file_is_flagged_and_rows_can_be_removed(qtbot, editor, tmp_path):
    missing = str(tmp_path / "gone.txt")
    editor.set_value(
        Body(kind=BodyKind.MULTIPART, parts=(Part("a", "1"), Part("doc", file=missing)))
    )
    row = editor.multipart_table.row(1)
    assert problem_of(row.file.line_edit) == "Part file: file not found"
    assert editor.problems() == ["Part 2 (doc): file not found"]
    assert editor.multipart_table.problems_label.isVisible()
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(row.remove, Qt.MouseButton.LeftButton)
    assert editor.value().parts == (Part("a", "1"),)
    assert editor.problems() == []
    assert editor.multipart_table.row(0).remove.accessibleName() == "Remove part 1"


def test_binary_file_shows_its_size_or_not_found(qtbot, editor, tmp_path):
    data = tmp_path / "blob.bin"
    data.write_bytes(b"x" * 2048)
    choose_kind(qtbot, editor, BodyKind.BINARY)
    binary = editor.binary_editor
    qtbot.keyClicks(binary.file_picker.line_edit, str(data))
    assert binary.size_label.text() == "2.0 KB"
    assert editor.content_type_hint() == "application/octet-stream"
    qtbot.keyClicks(binary.content_type_edit, "image/png")
    assert editor.value() == Body(kind=BodyKind.BINARY, file=str(data), content_type="image/png")
    assert editor.content_type_hint() == "image/png"
    qtbot.keyClicks(binary.file_picker.line_edit, ".old")
    assert binary.size_label.text() == "File not found"
    assert binary.size_label.role == "error"
    assert editor.problems() == ["Body file: file not found"]


def test_content_type_hint_follows_the_kind(qtbot, editor):
    hints = {
        BodyKind.NONE: "",
        BodyKind.RAW: "application/json",
        BodyKind.FORM: "application/x-www-form-urlencoded",
        BodyKind.MULTIPART: "multipart/form-data",
        BodyKind.BINARY: "application/octet-stream",
    }
    for kind, hint in hints.items():
        choose_kind(qtbot, editor, kind)
        assert editor.content_type_hint() == hint
        assert editor.hint_label.text() == (f"Content-Type: {hint}" if hint else "")


def test_browse_fills_the_path_from_a_file_dialog(qtbot, tmp_path):
    chosen = tmp_path / "cert.pem"
    chosen.write_text("x")
    picker = FilePicker("Client certificate")
    qtbot.addWidget(picker)
    picker.show()
    picker.set_path(str(tmp_path / "old.pem"))  # the dialog opens in its folder
    qtbot.mouseClick(picker.browse_button, Qt.MouseButton.LeftButton)
    dialog = picker.findChild(QFileDialog)
    assert dialog.isVisible()
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert dialog.directory().absolutePath() == str(tmp_path)
    dialog.selectFile(str(chosen))
    with qtbot.waitSignal(picker.changed, timeout=5000):
        dialog.accept()
    assert picker.path() == str(chosen)
    assert picker.problem() == ""


def test_json_is_coloured_by_role(qtbot, editor):
    editor.set_value(
        Body(kind=BodyKind.RAW, text='{"key": "text"}', content_type="application/json")
    )
    qtbot.waitUntil(
        lambda: bool(editor.raw_editor.editor.document().firstBlock().layout().formats())
    )
    formats = editor.raw_editor.editor.document().firstBlock().layout().formats()
    colours = {(f.start, f.length): f.format.foreground().color() for f in formats}
    scheme = palette(current_theme())
    assert colours[(1, 5)] == QColor(scheme.syntax_key)
    assert colours[(8, 6)] == QColor(scheme.syntax_string)


def test_every_control_has_an_accessible_name(editor):
    for kind in BodyKind:
        editor.set_value(Body(kind=kind, parts=(Part("a"), Part("b", file="x"))))
        for child in editor.findChildren(QWidget):
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isVisibleTo(editor):
                name = child.accessibleName() or child.parentWidget().accessibleName()
                assert name, f"{type(child).__name__} without an accessible name"


def test_raw_page_tab_order(editor):
    editor.set_value(Body(kind=BodyKind.RAW))
    raw = editor.raw_editor
    order = [raw.language_combo]
    widget = raw.language_combo
    for _ in range(2):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert order == [raw.language_combo, raw.prettify_button, raw.editor]


def test_highlighter_follows_a_theme_switch(qtbot, editor, qapp):
    from explorer.ui.widgets.theme import apply_theme

    editor.set_value(Body(kind=BodyKind.RAW, text='{"k": 1}', content_type="application/json"))
    before = current_theme()
    other = Theme.LIGHT if before == Theme.DARK else Theme.DARK
    try:
        apply_theme(qapp, other)
        block = editor.raw_editor.editor.document().firstBlock()

        def number_colour() -> QColor:
            ranges = block.layout().formats()
            return next(f.format.foreground().color() for f in ranges if f.start == 6)

        qtbot.waitUntil(lambda: number_colour() == QColor(palette(other).syntax_number))
    finally:
        qapp.setStyleSheet("")
        qapp.setProperty("explorerTheme", None)


def test_value_kinds_are_enums_not_plain_strings(qtbot):
    # Qt stores combo data as QString: a StrEnum comes back as str and broke saving.
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData(BodyKind.RAW))
    assert type(editor.value().kind) is BodyKind
