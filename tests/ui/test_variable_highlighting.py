"""`{{variables}}` highlighted in table cells and text editors, with hover tooltips."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QStyleOptionViewItem

from explorer.core.model import Pair, Part
from explorer.core.resolve.variables import Scope
from explorer.ui.request.headers_editor import HeadersEditor
from explorer.ui.request.multipart_table import MultipartTable
from explorer.ui.request.raw_body_editor import RawBodyEditor
from explorer.ui.widgets.key_value_table import KeyValueTable
from explorer.ui.widgets.theme import Theme, colour
from explorer.ui.widgets.variable_highlight import MASK, VariableHighlighter, variable_format

SCOPES = [
    Scope("global", {"host": "example.org"}),
    Scope("environment dev", {"token": "abc-123", "key": "k-9"}, frozenset({"key"})),
]
RESOLVED = variable_format(True, Theme.DARK).foreground().color()
ERROR = QColor(colour("error", Theme.DARK))


def scopes() -> list[Scope]:
    return SCOPES


def table_with(qtbot, rows: list[Pair], editor_class=KeyValueTable):
    widget = editor_class("Headers") if editor_class is KeyValueTable else editor_class()
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_variable_scopes(scopes)
    table = widget if editor_class is KeyValueTable else widget.table
    table.set_pairs(rows)
    return widget, table.table


def cell_tip(view, row: int, column: int, x: int) -> str:
    index = view.model().index(row, column)
    option = QStyleOptionViewItem()
    option.rect = view.visualRect(index)
    option.widget = view
    option.font = view.font()
    point = QPoint(option.rect.left() + x, option.rect.center().y())
    return view.itemDelegateForColumn(column).cell_tooltip(option, index, point)


def test_header_value_variables_are_painted_by_resolution(qtbot):
    editor, view = table_with(
        qtbot,
        [
            Pair("Authorization", "Bearer {{token}}"),
            Pair("X-Missing", "{{nobody}}"),
            Pair("X-Id", "{{$uuid}}"),
            Pair("X-Plain", "no variables"),
        ],
        HeadersEditor,
    )
    delegate = view.itemDelegateForColumn(2)
    model = view.model()
    [token] = delegate.format_ranges(model.index(0, 2))
    assert (token.start, token.length) == (len("Bearer "), len("{{token}}"))
    assert token.format.foreground().color() == RESOLVED
    [missing] = delegate.format_ranges(model.index(1, 2))
    assert missing.format.foreground().color() == ERROR
    assert missing.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    [dynamic] = delegate.format_ranges(model.index(2, 2))
    assert dynamic.format.foreground().color() == RESOLVED
    assert delegate.format_ranges(model.index(3, 2)) == []
    assert not editor.table.grab().isNull()  # the highlighted paint path runs


def test_cell_tooltips_explain_resolved_secret_and_missing_variables(qtbot):
    _table, view = table_with(
        qtbot, [Pair("{{host}}", "{{key}}"), Pair("q", "{{nobody}}")], KeyValueTable
    )
    assert cell_tip(view, 0, 1, 12) == "{{host}} = example.org\nfrom global"
    secret = cell_tip(view, 0, 2, 12)
    assert MASK in secret and "k-9" not in secret and "environment dev" in secret
    # The scopes looked in, by the names the window gives them (issue #15).
    assert "{{nobody}} is not defined in global or environment dev" in cell_tip(view, 1, 2, 12)
    assert cell_tip(view, 0, 2, 400) == ""  # past the end of the text


def test_cell_editor_highlights_while_typing(qtbot):
    _table, view = table_with(qtbot, [Pair("a", "{{token}}")], KeyValueTable)
    index = view.model().index(0, 2)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index) or view.focusWidget()
    [highlighter] = editor.findChildren(VariableHighlighter)
    assert highlighter.spans() == [(0, 9, "token", True)]


def body_formats(editor: RawBodyEditor, line: int = 0) -> list[tuple[int, int, QColor]]:
    block = editor.editor.document().findBlockByNumber(line)
    return [
        (r.start, r.length, r.format.foreground().color())
        for r in block.layout().formats()
        if r.format.background().color() == variable_format(True).background().color()
        or r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    ]


def test_raw_body_highlights_variables_over_json_strings(qtbot):
    editor = RawBodyEditor()
    qtbot.addWidget(editor)
    editor.set_variable_scopes(scopes)
    text = '{"auth": "{{token}}", "who": "{{nobody}}"}'
    editor.set_value(text, "application/json")
    token_at, nobody_at = text.index("{{token}}"), text.index("{{nobody}}")
    assert body_formats(editor) == [
        (token_at, len("{{token}}"), RESOLVED),
        (nobody_at, len("{{nobody}}"), ERROR),
    ]
    editor.set_value("plain {{host}}", "text/plain")
    assert body_formats(editor) == [(6, len("{{host}}"), RESOLVED)]


def test_raw_body_tooltip_follows_the_mouse(qtbot):
    editor = RawBodyEditor()
    qtbot.addWidget(editor)
    editor.resize(500, 200)
    editor.show()
    qtbot.waitExposed(editor)
    editor.set_variable_scopes(scopes)
    editor.set_value('{"a": "{{token}}"}', "application/json")

    def point_at(position: int) -> QPoint:
        cursor = QTextCursor(editor.editor.document())
        cursor.setPosition(position)
        rect = editor.editor.cursorRect(cursor)
        return QPoint(rect.left() + 2, rect.center().y())

    tips = editor.variable_tips
    assert tips.tooltip_at(point_at(10)) == "{{token}} = abc-123\nfrom environment dev"
    assert tips.tooltip_at(point_at(2)) == ""


def test_multipart_text_fields_are_highlighted_in_new_rows_too(qtbot):
    table = MultipartTable()
    qtbot.addWidget(table)
    table.set_parts([Part("{{host}}", "x")])
    table.set_variable_scopes(scopes)
    row = table.add_part(Part("f", "{{nobody}}"))
    [first] = table.row(0).name.findChildren(VariableHighlighter)
    [added] = row.value.findChildren(VariableHighlighter)
    assert first.spans() == [(0, 8, "host", True)]
    assert added.spans() == [(0, 10, "nobody", False)]


def test_headers_bulk_text_is_highlighted(qtbot):
    editor = HeadersEditor()
    qtbot.addWidget(editor)
    editor.set_variable_scopes(scopes)
    editor.set_value((Pair("X-Token", "{{token}}"),))
    editor.bulk_button.setChecked(True)
    block = editor.bulk_edit.document().firstBlock()
    starts = [(r.start, r.length) for r in block.layout().formats()]
    assert (len("X-Token: "), len("{{token}}")) in starts


def test_light_theme_uses_its_own_colours():
    dark = variable_format(True, Theme.DARK)
    light = variable_format(True, Theme.LIGHT)
    assert dark.foreground().color() != light.foreground().color()
    assert variable_format(False, Theme.LIGHT).foreground().color() == QColor(
        colour("error", Theme.LIGHT)
    )
