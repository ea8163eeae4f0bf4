"""The Headers tab: table with completion, bulk edit, problems, automatic headers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QStyleOptionViewItem

from explorer.core.model import Pair
from explorer.ui.request.header_completion import NAME_COLUMN, VALUE_COLUMN
from explorer.ui.request.headers_editor import HeadersEditor, pairs_to_text, text_to_pairs
from explorer.ui.widgets.theme import colour


@pytest.fixture
def editor(qtbot):
    widget = HeadersEditor()
    qtbot.addWidget(widget)
    widget.resize(600, 500)
    widget.show()
    return widget


def type_into_cell(qtbot, editor: HeadersEditor, row: int, column: int, text: str) -> QLineEdit:
    """Open the cell's editor as a double click would, type, and leave it open."""
    view = editor.table.table
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    cell = view.indexWidget(index)
    assert isinstance(cell, QLineEdit)
    qtbot.keyClicks(cell, text)
    return cell


def commit(qtbot, cell: QLineEdit) -> None:
    """Press Enter in an open cell editor; the view commits on its next turn."""
    view = cell.parentWidget().parentWidget()
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def test_typing_a_header_in_the_table(qtbot, editor):
    with qtbot.waitSignal(editor.changed):
        commit(qtbot, type_into_cell(qtbot, editor, 0, NAME_COLUMN, "X-Trace"))
    commit(qtbot, type_into_cell(qtbot, editor, 0, VALUE_COLUMN, "abc"))
    assert editor.value() == (Pair("X-Trace", "abc"),)


def test_name_cells_complete_common_header_names(qtbot, editor):
    cell = type_into_cell(qtbot, editor, 0, NAME_COLUMN, "")
    words = cell.completer().model().stringList()
    for name in ("Accept", "Content-Type", "Cache-Control", "Authorization", "User-Agent"):
        assert name in words
    assert len(words) >= 40
    assert cell.completer().caseSensitivity() == Qt.CaseSensitivity.CaseInsensitive


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Content-Type", "application/json"),
        ("accept", "*/*"),
        ("Cache-Control", "no-cache"),
        ("Accept-Encoding", "gzip, deflate"),
        ("Connection", "keep-alive"),
    ],
)
def test_value_cells_complete_values_for_the_rows_header(qtbot, editor, name, expected):
    editor.set_value((Pair(name, ""),))
    cell = type_into_cell(qtbot, editor, 0, VALUE_COLUMN, "")
    assert expected in cell.completer().model().stringList()


def test_value_cells_of_other_headers_offer_nothing(qtbot, editor):
    editor.set_value((Pair("X-Custom", ""),))
    cell = type_into_cell(qtbot, editor, 0, VALUE_COLUMN, "")
    assert cell.completer() is None


PAIRS = (
    Pair("Accept", "application/json"),
    Pair("X-Dup", "1"),
    Pair("X-Dup", "2"),
    Pair("X-Off", "gone", enabled=False),
    Pair("X-Colon", "a: b"),
    Pair("X-Space", " padded"),
    Pair("X-Empty", ""),
    Pair("X-Dup", "3", enabled=False),
)
TEXT = (
    "Accept: application/json\n"
    "X-Dup: 1\n"
    "X-Dup: 2\n"
    "# X-Off: gone\n"
    "X-Colon: a: b\n"
    "X-Space:  padded\n"
    "X-Empty:\n"
    "# X-Dup: 3"
)


def test_bulk_text_conversion_is_exact_both_ways():
    assert pairs_to_text(PAIRS) == TEXT
    assert text_to_pairs(TEXT) == PAIRS
    assert text_to_pairs("\n  \nA:1\n#B:2\n") == (Pair("A", "1"), Pair("B", "2", False))


def test_bulk_edit_round_trip_keeps_order_duplicates_and_disabled_rows(qtbot, editor):
    editor.set_value(PAIRS)
    with qtbot.assertNotEmitted(editor.changed, wait=50):
        qtbot.mouseClick(editor.bulk_button, Qt.MouseButton.LeftButton)
    assert editor.is_bulk()
    assert editor.stack.currentWidget() is editor.bulk_edit
    assert editor.bulk_edit.toPlainText() == TEXT
    assert editor.value() == PAIRS
    editor.bulk_edit.moveCursor(editor.bulk_edit.textCursor().MoveOperation.End)
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(editor.bulk_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.bulk_edit, "X-New: yes")
    qtbot.mouseClick(editor.bulk_button, Qt.MouseButton.LeftButton)
    assert not editor.is_bulk()
    assert editor.table.pairs() == (*PAIRS, Pair("X-New", "yes"))
    assert editor.value() == (*PAIRS, Pair("X-New", "yes"))


def test_invalid_headers_are_flagged_in_the_table_and_listed(qtbot, editor):
    editor.set_value((Pair("Good", "1"), Pair("Bad Name", "1"), Pair("Off Name", "1", False)))
    assert editor.problems() == ["Header name 'Bad Name' contains whitespace"]
    assert editor.problems_label.isVisible()
    assert "Bad Name" in editor.problems_label.text()
    view = editor.table.table
    delegate = view.itemDelegateForColumn(NAME_COLUMN)

    def text_colour(row: int) -> QColor:
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, view.model().index(row, NAME_COLUMN))
        return option.palette.color(QPalette.ColorRole.Text)

    assert text_colour(1) == QColor(colour("error"))
    assert text_colour(0) != QColor(colour("error"))
    assert text_colour(2) != QColor(colour("error"))  # disabled: not sent, not a problem
    cell = type_into_cell(qtbot, editor, 1, NAME_COLUMN, "")
    cell.setText("Bad-Name")
    commit(qtbot, cell)
    assert editor.problems() == []
    assert not editor.problems_label.isVisible()


def test_line_breaks_in_bulk_values_cannot_sneak_in(editor):
    editor.set_value((Pair("X-A", "1\r"),))
    assert editor.problems() == ["Header 'X-A' has a line break or NUL in its value"]


def test_set_value_round_trips_silently(qtbot, editor):
    with qtbot.assertNotEmitted(editor.changed, wait=50):
        editor.set_value(PAIRS)
    assert editor.value() == PAIRS
    editor.bulk_button.setChecked(True)
    with qtbot.assertNotEmitted(editor.changed, wait=50):
        editor.set_value(PAIRS[:2])
    assert editor.value() == PAIRS[:2]


def test_automatic_headers_are_shown_read_only_and_collapse(qtbot, editor):
    rows = [
        ("User-Agent", "python-requests/2.32.3", "requests"),
        ("Content-Type", "application/json", "body"),
    ]
    editor.set_automatic_headers(rows)
    table = editor.automatic_table
    shown = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
    assert shown == rows
    assert editor.automatic_toggle.text() == "Added automatically (2)"
    assert not table.item(0, 1).flags() & Qt.ItemFlag.ItemIsEditable
    assert table.isVisible()
    qtbot.mouseClick(editor.automatic_toggle, Qt.MouseButton.LeftButton)
    assert not table.isVisible()
    assert editor.value() == ()  # never part of the user's headers


def test_every_control_has_an_accessible_name(editor):
    from PySide6.QtWidgets import QWidget

    for bulk in (False, True):
        editor.bulk_button.setChecked(bulk)
        for child in editor.findChildren(QWidget):
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isVisibleTo(editor):
                name = child.accessibleName() or child.parentWidget().accessibleName()
                assert name, f"{type(child).__name__} has no accessible name"


def test_non_ascii_values_are_sent_but_flagged_as_utf8(qtbot, editor):
    editor.set_value((Pair("X-Name", "Jürgen"), Pair("X-Plain", "abc"), Pair("X-Off", "é", False)))
    assert editor.problems() == []  # it can be sent
    assert editor.notes() == [
        "Header 'X-Name' contains non-ASCII characters: sent as UTF-8 bytes (as curl does), "
        "which not every server accepts"
    ]
    assert editor.notes_label.isVisible() and "X-Name" in editor.notes_label.text()
    view = editor.table.table
    delegate = view.itemDelegateForColumn(VALUE_COLUMN)

    def text_colour(row: int) -> QColor:
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, view.model().index(row, VALUE_COLUMN))
        return option.palette.color(QPalette.ColorRole.Text)

    assert text_colour(0) == QColor(colour("warning"))
    assert text_colour(1) != QColor(colour("warning"))
    assert text_colour(2) != QColor(colour("warning"))  # disabled: not sent
    cell = type_into_cell(qtbot, editor, 0, VALUE_COLUMN, "")
    cell.setText("Juergen")
    commit(qtbot, cell)
    assert editor.notes() == [] and not editor.notes_label.isVisible()
