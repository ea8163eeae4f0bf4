"""The request's Tests tab: assertions, captures and scripts edited in the real window,
saved into the request's file through the usual save path and shown again when it is
opened; what folders and the collection add is listed read-only with its source; a
folder's own tests are edited in its settings dialog."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Assertion, Capture, Operator, Request, Scripts, Subject
from explorer.core.storage.collection_files import save_collection
from explorer.core.text.json_location import literal_expected
from explorer.ui.dialogs.container_settings import ContainerSettingsDialog
from explorer.ui.request.check_tables import filters_text, parse_filters

STATUS_OK = Assertion(Subject.STATUS, Operator.EQ, "200")


def open_collection(window, folder: Path, collection: Collection) -> Path:
    save_collection(collection, folder)
    window.panels.open_collection_folder(folder)
    return folder.resolve()


def on_disk(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def set_cell(table, row: int, column: int, text: str) -> None:
    """What typing into a cell does: the item's text changes (itemChanged follows)."""
    table.table.item(row, column).setText(text)


def test_assertions_edited_in_the_tests_tab_are_saved_and_shown_again(qtbot, window, tmp_path):
    root = open_collection(window, tmp_path / "shop",
                           Collection("Shop", items=(RequestItem(Request(url="http://x/a",
                                                                         name="A")),)))  # fmt: skip
    tabs = window.workspace_tabs
    tab = tabs.open_request(root, "a.yaml")
    editor = tab.editor.show_tests()
    assertions = editor.assertions_table

    qtbot.mouseClick(assertions.add_button, Qt.MouseButton.LeftButton)
    assert assertions.rows() == (STATUS_OK,)  # the first row offered: status == 200
    assertions.add_row(Assertion(Subject.JSONPATH, Operator.EQ, "", "$."))
    set_cell(assertions, 1, 2, "$.items[0].name")  # argument
    assertions.table.item(1, 3).setCheckState(Qt.CheckState.Checked)  # not
    set_cell(assertions, 1, 4, "contains")
    set_cell(assertions, 1, 5, "{{expected_name}}")
    set_cell(assertions, 1, 6, 'nth 0 | regex "a|b"')  # filters, a | inside quotes
    editor.captures_table.add_row(Capture("token", Subject.JSONPATH, "$.token", secret=True))
    editor.post_edit.setPlainText("print(response.status)\n")
    qtbot.waitUntil(tab.is_modified, timeout=2_000)
    qtbot.waitUntil(lambda: tab.editor.tabs.tabText(5) == "Tests (3 + script)", timeout=2_000)

    with qtbot.waitSignal(tabs.save_finished, timeout=10_000) as saved:
        window.save_action.trigger()
    assert saved.args == [tab, True]
    data = on_disk(root / "a.yaml")
    assert data["assertions"] == [
        {"subject": "status", "operator": "==", "expected": "200"},
        {"subject": "jsonpath", "argument": "$.items[0].name", "filters": ["nth 0", 'regex "a|b"'],
         "operator": "contains", "expected": "{{expected_name}}", "negate": True},
    ]  # fmt: skip
    assert data["captures"] == [
        {"variable": "token", "subject": "jsonpath", "argument": "$.token", "secret": True}
    ]
    assert data["scripts"] == {"post_response": "print(response.status)\n"}
    assert not tab.is_modified()

    # Opened again from the file, in a fresh tab: the same rows.
    window.close_tab(window.tabs.indexOf(tab))
    again = tabs.open_request(root, "a.yaml")
    shown = again.editor.tests_editor
    assert shown.assertions_table.rows()[1] == Assertion(
        Subject.JSONPATH, Operator.CONTAINS, "{{expected_name}}", "$.items[0].name",
        ("nth 0", 'regex "a|b"'), negate=True,
    )  # fmt: skip
    assert shown.captures_table.rows() == (Capture("token", Subject.JSONPATH, "$.token",
                                                   secret=True),)  # fmt: skip
    assert shown.post_edit.toPlainText() == "print(response.status)\n"
    assert not again.is_modified()


def test_the_subject_and_operator_are_picked_from_a_list(qtbot, window):
    editor = window.current_tab().editor.show_tests()
    table = editor.assertions_table
    table.add_row(STATUS_OK)
    view = table.table
    view.setCurrentCell(0, 4)
    view.editItem(view.item(0, 4))
    combo = view.findChild(QComboBox)
    assert combo is not None
    assert [combo.itemText(i) for i in range(combo.count())] == [o.value for o in Operator]
    combo.setCurrentText("<=")
    combo.activated.emit(combo.currentIndex())  # what picking an entry does
    assert table.rows()[0].operator == Operator.LE


def test_inherited_rows_are_listed_read_only_with_their_source(qtbot, window, tmp_path):
    request = Request(url="http://x/me", name="Me", assertions=(STATUS_OK,))
    folder = Folder(name="Users", items=(RequestItem(request),),
                    assertions=(Assertion(Subject.DURATION, Operator.LT, "500"),),
                    captures=(Capture("who", Subject.HEADER, "X-User"),),
                    scripts=Scripts(pre_request="print('folder')\n"))  # fmt: skip
    collection = Collection("API", items=(folder,),
                            assertions=(Assertion(Subject.HEADER, Operator.EXISTS,
                                                  argument="Date"),))  # fmt: skip
    root = open_collection(window, tmp_path / "api", collection)
    tab = window.workspace_tabs.open_request(root, "users/me.yaml")
    editor = tab.editor.show_tests()

    assert editor.assertions_table.rows() == (STATUS_OK,)  # only its own are editable
    assert editor.assertions_table.inherited_rows() == [
        ("header Date exists", "collection"),
        ("duration < 500", "folder Users"),
    ]
    assert editor.captures_table.inherited_rows() == [("who ← header X-User", "folder Users")]
    assert editor.assertions_table.inherited_table.isVisibleTo(editor.assertions_table)
    note = editor.script_notes["pre-request"]
    assert "folder Users" in note.text() and "print('folder')" in note.toolTip()
    # Read-only: editing the inherited table is not possible.
    assert editor.assertions_table.inherited_table.editTriggers() == (
        editor.assertions_table.inherited_table.EditTrigger.NoEditTriggers
    )


def test_kept_scripts_are_shown_read_only_and_said_not_to_run(qtbot, window, tmp_path):
    request = Request(url="http://x/a", name="A",
                      scripts=Scripts(kept_post_response="pm.test('ok', () => {});"))  # fmt: skip
    root = open_collection(window, tmp_path / "c", Collection("C", items=(RequestItem(request),)))
    tab = window.workspace_tabs.open_request(root, "a.yaml")
    editor = tab.editor.show_tests()
    assert editor.sections.isTabVisible(3)
    assert "pm.test('ok'" in editor.kept_view.toPlainText()
    assert editor.kept_view.isReadOnly()
    assert "never run" in editor.kept_note.text() and "import" in editor.kept_note.text()
    editor.pre_edit.setPlainText("x = 1\n")
    assert tab.editor.request().scripts.kept_post_response == "pm.test('ok', () => {});"


def test_a_folder_s_tests_are_edited_in_its_settings(qtbot, window, tmp_path):
    folder = Folder(name="Users", items=(RequestItem(Request(url="http://x/me", name="Me")),))
    collection = Collection("API", items=(folder,), assertions=(STATUS_OK,))
    root = open_collection(window, tmp_path / "api", collection)
    dialog = ContainerSettingsDialog(window.workspace, root, "users", window)
    qtbot.addWidget(dialog)
    assert dialog.tests_editor.assertions_table.inherited_rows() == [
        ("status == 200", "collection")
    ]
    dialog.tests_editor.add_capture(Capture("who", Subject.HEADER, "X-User"))
    dialog.tests_editor.pre_edit.setPlainText("print('hi')\n")

    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        assert dialog.save()
    assert saved.args == [True], dialog.message.text()
    data = on_disk(root / "users" / "folder.yaml")
    assert data["captures"] == [{"variable": "who", "subject": "header", "argument": "X-User"}]
    assert data["scripts"] == {"pre_request": "print('hi')\n"}

    # A request in the folder now lists them as inherited.
    tab = window.workspace_tabs.open_request(root, "users/me.yaml")
    rows = tab.editor.show_tests().captures_table.inherited_rows()
    assert rows == [("who ← header X-User", "folder Users")]


def test_rows_that_cannot_work_get_a_hint_and_do_not_block_sending(qtbot, window):
    tab = window.current_tab()
    editor = tab.editor.show_tests()
    editor.assertions_table.add_row(Assertion(Subject.HEADER, Operator.EQ, "x"))
    editor.captures_table.add_row(Capture("{{bad}}", Subject.STATUS))
    assert "Row 1: header needs a header name." in editor.assertions_table.hints.text()
    assert "without {{ }}" in editor.captures_table.hints.text()
    assert tab.editor.problems() == []


def test_filters_and_expected_values_are_written_exactly():
    assert parse_filters('nth 0 | regex "a|b" |  | split ","') == ("nth 0", 'regex "a|b"',
                                                                     'split ","')  # fmt: skip
    assert parse_filters(r'regex "\"|x" | count') == (r'regex "\"|x"', "count")
    assert literal_expected("abc") == "abc"
    assert literal_expected("200") == '"200"'  # the text 200, not the number
    assert literal_expected("true") == '"true"'
    assert literal_expected(" padded") == '" padded"'
    assert literal_expected("") == '""'


_WORD = st.text(st.characters(codec="utf-8", exclude_characters='"\\|'), min_size=1, max_size=8)
_QUOTED = st.text(st.characters(codec="utf-8", exclude_characters='"\\'), max_size=8)
_FILTER = st.builds(lambda name, arg: f'{name.strip() or "f"} "{arg}"' if arg else
                    name.strip() or "f", _WORD, _QUOTED)  # fmt: skip


@given(st.lists(_FILTER, max_size=5))
def test_filters_survive_the_cell(filters: list[str]) -> None:
    assert parse_filters(filters_text(filters)) == tuple(filters)


@given(st.text(max_size=200))
def test_any_cell_text_gives_filters_without_blanks(text: str) -> None:
    found = parse_filters(text)
    assert all(f and f == f.strip() for f in found)
