"""The URL field and the Params table stay in step, as a person edits either."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from explorer.core.model import Pair, Request
from explorer.ui.request.request_editor import RequestEditor
from explorer.ui.widgets.key_value_table import KeyValueTable


@pytest.fixture
def editor(qtbot):
    editor = RequestEditor()
    qtbot.addWidget(editor)
    editor.show()
    return editor


def table_rows(editor) -> list[tuple[str, str, bool]]:
    return [(p.name, p.value, p.enabled) for p in editor.params_table.pairs()]


def test_typing_a_query_fills_the_table(qtbot, editor):
    qtbot.keyClicks(editor.url_edit, "http://h/search?q=a%20b&tag=x&tag=y")
    assert table_rows(editor) == [("q", "a b", True), ("tag", "x", True), ("tag", "y", True)]
    request = editor.request()
    assert request.url == "http://h/search"
    assert request.params == (Pair("q", "a b"), Pair("tag", "x"), Pair("tag", "y"))


def test_editing_the_table_rewrites_the_url(qtbot, editor):
    editor.url_edit.setText("http://h/search?q=1")
    item = editor.params_table.table.item(0, 2)
    item.setText("a&b c")
    assert editor.url_edit.text() == "http://h/search?q=a%26b%20c"
    # A new row typed into the blank row at the bottom.
    editor.params_table.table.item(1, 1).setText("page")
    editor.params_table.table.item(1, 2).setText("2")
    assert editor.url_edit.text() == "http://h/search?q=a%26b%20c&page=2"


def test_disabling_a_row_removes_it_from_the_url_but_keeps_it(qtbot, editor):
    editor.url_edit.setText("http://h/p?a=1&b=2")
    editor.params_table.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    assert editor.url_edit.text() == "http://h/p?b=2"
    assert table_rows(editor) == [("a", "1", False), ("b", "2", True)]
    # Typing in the URL afterwards keeps the disabled row where it was.
    editor.url_edit.setText("http://h/p?b=3&c=4")
    assert table_rows(editor) == [("a", "1", False), ("b", "3", True), ("c", "4", True)]
    assert editor.request().url == "http://h/p"


def test_unicode_and_reserved_characters_round_trip(qtbot, editor):
    editor.url_edit.setText("http://h/p")
    editor.params_table.add_row(Pair("k", "한국 & = # +"))
    assert editor.url_edit.text() == "http://h/p?k=%ED%95%9C%EA%B5%AD%20%26%20%3D%20%23%20%2B"
    editor.url_edit.setText(editor.url_edit.text())
    assert table_rows(editor) == [("k", "한국 & = # +", True)]


def test_path_parameters_get_their_own_table(qtbot, editor):
    qtbot.keyClicks(editor.url_edit, "http://h/users/:id/items/:item")
    assert editor.path_params_table.isVisibleTo(editor)
    rows = [p.name for p in editor.path_params_table.pairs()]
    assert rows == ["id", "item"]
    editor.path_params_table.table.item(0, 2).setText("42")
    assert editor.request().path_params[0] == Pair("id", "42")


def test_path_parameter_table_appears_and_goes_with_the_url(qtbot, editor):
    # Built on first need, with the variable highlighting the workspace gave the editor.
    editor.variable_scopes = list
    editor.url_edit.setText("http://h/users")
    assert "Path parameters table" not in table_names(editor)
    editor.url_edit.setText("http://h/users/:id")
    assert editor.path_params_table.isVisibleTo(editor)
    delegate = editor.path_params_table.table.itemDelegateForColumn(2)
    assert getattr(delegate, "variable_scopes", None) is list
    editor.url_edit.setText("http://h/users")
    assert not editor.path_params_table.isVisibleTo(editor)
    assert editor.request().path_params == ()


def table_names(editor) -> list[str]:
    return [t.table.accessibleName() for t in editor.findChildren(KeyValueTable)]


def test_set_request_shows_everything(qtbot, editor):
    request = Request(
        method="PATCH",
        url="http://h/items/:id",
        params=(Pair("a", "1"), Pair("off", "0", enabled=False)),
        path_params=(Pair("id", "7"),),
        headers=(Pair("X-A", "1"),),
    )
    editor.set_request(request)
    assert editor.url_edit.text() == "http://h/items/:id?a=1"
    assert editor.method_combo.currentText() == "PATCH"
    got = editor.request()
    assert (got.method, got.url, got.params, got.path_params, got.headers) == (
        request.method,
        request.url,
        request.params,
        request.path_params,
        request.headers,
    )


def test_custom_method_is_upper_cased_as_typed(qtbot, editor):
    editor.method_combo.lineEdit().clear()
    qtbot.keyClicks(editor.method_combo.lineEdit(), "purge")
    assert editor.request().method == "PURGE"


def test_pasting_a_curl_command_fills_in_the_request(qtbot, editor):
    editor.url_edit.setText(
        "curl -X POST 'https://api.example.com/v1/items?draft=1' "
        "-H 'Accept: application/json' -u ada:pw --json '{\"name\": \"lamp\"}'"
    )
    request = editor.request()
    assert request.method == "POST"
    assert request.url == "https://api.example.com/v1/items"
    assert request.params == (Pair("draft", "1"),)
    assert request.body.text == '{"name": "lamp"}'
    assert request.auth.username == "ada"
    assert editor.url_edit.text() == "https://api.example.com/v1/items?draft=1"
    assert "curl" in editor.scheme_note.text()


def test_reordering_rows_rewrites_the_url(qtbot, editor):
    editor.url_edit.setText("http://h/p?a=1&b=2&c=3")
    table = editor.params_table
    table.table.setCurrentCell(2, 1)
    editor.activateWindow()
    table.table.setFocus()
    qtbot.waitUntil(table.table.hasFocus)
    qtbot.keyClick(table.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert editor.url_edit.text() == "http://h/p?a=1&c=3&b=2"
    table.table.setCurrentCell(0, 1)
    table.down_button.click()
    assert editor.url_edit.text() == "http://h/p?c=3&a=1&b=2"
    assert table.move_current(-1) is True
    assert table.move_current(-1) is False  # already first


def test_tab_titles_keep_their_counts_when_a_tab_is_first_opened(qtbot, editor):
    from explorer.core.model import Assertion, Auth, AuthKind, Body, BodyKind, Subject

    editor.resize(900, 500)  # wide enough for every label in full (they shorten when not)
    editor.set_request(
        Request(
            url="http://h/",
            headers=(Pair("A", "1"), Pair("B", "2")),
            body=Body(kind=BodyKind.RAW, text="{}", content_type="application/json"),
            auth=Auth(kind=AuthKind.BEARER, token="t"),
            assertions=(Assertion(Subject.STATUS, expected="200"),),
        )
    )
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
    titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert titles == [
        "Params", "Headers (2)", "Body (raw)", "Auth (bearer)", "Settings", "Tests (1)", "Docs"
    ]  # fmt: skip


def test_choosing_graphql_on_a_get_makes_it_a_post_and_other_methods_stay(editor):
    from explorer.core.model import BodyKind

    body = editor.body_editor
    body.kind_combo.setCurrentIndex(body.kind_combo.findData(BodyKind.GRAPHQL))
    assert editor.request().method == "POST"
    body.kind_combo.setCurrentIndex(body.kind_combo.findData(BodyKind.NONE))
    editor.method_combo.setCurrentText("PUT")
    body.kind_combo.setCurrentIndex(body.kind_combo.findData(BodyKind.GRAPHQL))
    assert editor.request().method == "PUT"
    editor.set_request(Request(method="GET", url="http://x/graphql"))  # shown, not chosen
    assert editor.request().method == "GET"
