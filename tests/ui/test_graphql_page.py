"""The GraphQL page of the Body tab on the real widgets: completion as you type, problems
marked where they are, a skeleton from the schema browser that validates, the schema
fetched from a GraphQL server written outside the project (ariadne, a real socket), and
the body kept whole through value()/set_value()."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from explorer.core.model import Body, BodyKind, GraphQL, Request
from explorer.qt import schema_fetch
from explorer.ui.request.body_editor import BodyEditor
from explorer.ui.request.graphql.graphql_page import GraphQLPage
from explorer.ui.request.request_editor import RequestEditor
from tests.support.graphql_sample import SDL
from tests.support.graphql_server import GraphQLServer, graphql_server


@pytest.fixture(scope="module")
def server() -> Iterator[GraphQLServer]:
    with graphql_server() as running:
        yield running


@pytest.fixture
def page(qtbot, tmp_path: Path) -> GraphQLPage:
    """A page with the sample schema read from an SDL file."""
    widget = GraphQLPage()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    schema_file = tmp_path / "schema.graphql"
    schema_file.write_text(SDL, encoding="utf-8")
    with qtbot.waitSignal(widget.schema_changed, timeout=5000):
        widget.load_sdl(schema_file)
    assert widget.fetched() is not None
    return widget


def checked(qtbot, page: GraphQLPage) -> None:
    with qtbot.waitSignal(page.checked, timeout=5000):
        page.check_now()


def test_typing_offers_the_fields_of_the_type_at_the_cursor(qtbot, page: GraphQLPage) -> None:
    editor = page.query_edit
    editor.setFocus()
    qtbot.keyClicks(editor, "{ it")
    assert editor.completion_popup_visible()
    assert editor.candidates() == ["items", "item"]
    qtbot.keyClick(editor.popup, Qt.Key.Key_Return)
    assert editor.toPlainText() == "{ items"
    assert not editor.completion_popup_visible()
    qtbot.keyClicks(editor, "(r")
    assert editor.candidates() == ["role"]
    qtbot.keyClick(editor.popup, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "{ items(role: "
    assert editor.candidates() == ["ADMIN", "MEMBER"]  # the value comes next


def test_ctrl_space_asks_and_nothing_comes_inside_a_string(qtbot, page: GraphQLPage) -> None:
    editor = page.query_edit
    editor.setPlainText('{ item(id: "1") { ')
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert editor.candidates()[:3] == ["id", "name", "price"]
    editor.setPlainText('{ item(id: "')
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "it")
    assert not editor.completion_popup_visible()


def test_an_unknown_field_is_marked_with_its_line_and_column(qtbot, page: GraphQLPage) -> None:
    page.query_edit.setPlainText("{\n  items {\n    nme\n  }\n}")
    checked(qtbot, page)
    message = "3:5 Cannot query field 'nme' on type 'Item'. Did you mean 'name'?"
    assert page.query_message.text() == message
    assert page.query_message.isVisible()
    ((start, end, said),) = page.query_edit.problem_spans()
    assert page.query_edit.toPlainText()[start:end] == "nme"
    assert said == message
    # Hovering the word says it too.
    cursor = page.query_edit.textCursor()
    cursor.setPosition(start + 1)
    point = page.query_edit.viewport().mapTo(
        page.query_edit, page.query_edit.cursorRect(cursor).center()
    )
    hover = QHelpEvent(QEvent.Type.ToolTip, point, page.query_edit.mapToGlobal(point))
    QApplication.sendEvent(page.query_edit, hover)
    assert QToolTip.text() == message
    page.query_edit.setPlainText("{\n  items {\n    name\n  }\n}")
    checked(qtbot, page)
    assert page.query_message.text() == "" and page.query_edit.problem_spans() == []


def test_a_field_from_the_browser_inserts_a_skeleton_that_validates(
    qtbot, page: GraphQLPage
) -> None:
    assert page.browser.select("Query", "item")
    assert "One item by its id." in page.browser.docs.toPlainText()
    qtbot.mouseClick(page.browser.insert_button, Qt.MouseButton.LeftButton)
    assert page.query_edit.toPlainText().startswith("query Item($id: ID!) {\n  item(id: $id) {")
    assert page.variables_edit.toPlainText() == '{\n  "id": ""\n}'
    checked(qtbot, page)
    report = page.report()
    assert report is not None and report.parsed and report.problems == ()
    # A second one goes after the first, named as the operation to send; the variables
    # the user already has stay.
    assert page.browser.select("Mutation", "createItem")
    page.browser.tree.itemDoubleClicked.emit(page.browser.tree.currentItem(), 0)
    assert "mutation CreateItem($input: ItemInput!)" in page.query_edit.toPlainText()
    assert page.value().operation_name == "CreateItem"
    checked(qtbot, page)
    assert page.report().problems == ()
    assert page.operation_combo.count() == 2


def test_a_field_goes_into_the_selection_set_at_the_cursor(qtbot, page: GraphQLPage) -> None:
    text = "query Mine {\n  users {\n    id\n  }\n  \n}\n"
    page.query_edit.setPlainText(text)
    cursor = page.query_edit.textCursor()
    cursor.setPosition(text.index("  \n}") + 2)
    page.query_edit.setTextCursor(cursor)
    page.variables_edit.setPlainText('{"keep": 1}')
    assert page.browser.select("Query", "item")
    qtbot.mouseClick(page.browser.insert_button, Qt.MouseButton.LeftButton)
    assert page.query_edit.toPlainText().startswith(
        "query Mine($id: ID!) {\n  users {\n    id\n  }\n  item(id: $id) {\n    id\n"
    )
    assert json.loads(page.variables_edit.toPlainText()) == {"id": "", "keep": 1}
    page.query_edit.undo()  # one step takes it all back
    assert page.query_edit.toPlainText() == text
    # A field of another type has no place at the top of a query: it says where it goes.
    page.insert_skeleton("User", "role")
    assert page.query_edit.toPlainText() == text
    assert page.query_message.text().startswith("To insert User.role, put the cursor inside")


def test_fetch_schema_from_a_real_graphql_server(qtbot, server: GraphQLServer) -> None:
    editor = RequestEditor()
    qtbot.addWidget(editor)
    editor.resize(1000, 700)
    editor.show()
    editor.set_request(Request(method="POST", url=server.url, body=Body(kind=BodyKind.GRAPHQL)))
    page = editor.body_editor.graphql_page
    with qtbot.waitSignal(page.schema_changed, timeout=10_000):
        qtbot.mouseClick(page.fetch_button, Qt.MouseButton.LeftButton)
    assert page.status.text().startswith(f"Schema: 8 types from {server.url}, fetched ")
    assert server.received[-1].method == "POST"
    assert b"IntrospectionQuery" in server.received[-1].body
    assert page.browser.select("Query", "book")
    assert "One book" in page.browser.docs.toPlainText()
    assert schema_fetch.cached(server.url) is page.fetched()
    # Another request shown in the same editor does not keep this URL's schema; shown
    # again, the request gets it back from the session's cache.
    fetched = page.fetched()
    editor.set_request(
        Request(method="POST", url=server.base + "/other", body=Body(kind=BodyKind.GRAPHQL))
    )
    qtbot.waitUntil(lambda: page.fetched() is None)
    assert page.status.text() == "No schema: completion offers keywords only."
    assert page.browser.schema is None
    editor.set_request(Request(method="POST", url=server.url, body=Body(kind=BodyKind.GRAPHQL)))
    qtbot.waitUntil(lambda: page.fetched() is fetched)
    # Another page on the same URL has it at once (the session's cache).
    other = RequestEditor()
    qtbot.addWidget(other)
    other.set_request(Request(method="POST", url=server.url, body=Body(kind=BodyKind.GRAPHQL)))
    other.show()
    other.tabs.setCurrentIndex(2)
    assert other.body_editor.graphql_page.fetched() is page.fetched()


def test_in_the_window_the_fetch_is_prepared_as_a_send(
    qtbot, window, server: GraphQLServer
) -> None:
    """The window's own preparation: unresolved variables are asked about (and a No
    sends nothing), as for Send."""
    tab = window.new_tab()
    url = server.url + "?trace={{not_defined}}"
    tab.editor.set_request(Request(method="POST", url=url, body=Body(kind=BodyKind.GRAPHQL)))
    page = tab.editor.body_editor.graphql_page
    asked: list[list[str]] = []
    window.workspace_tabs.confirm_unresolved = lambda names: asked.append(names) or False
    received = len(server.received)
    page.fetch_schema()
    assert asked == [["not_defined"]]
    assert page.fetch_button.isEnabled() and not page.fetcher.busy
    assert len(server.received) == received  # nothing went out
    window.workspace_tabs.confirm_unresolved = lambda names: True
    with qtbot.waitSignal(page.schema_changed, timeout=10_000):
        page.fetch_schema()
    assert page.fetched() is not None
    assert server.received[-1].query_string == "trace=%7B%7Bnot_defined%7D%7D"


def test_a_failed_fetch_says_why_in_one_line(qtbot, server: GraphQLServer) -> None:
    editor = RequestEditor()
    qtbot.addWidget(editor)
    editor.show()
    editor.set_request(Request(method="POST", url=server.base + "/nothing"))
    page = editor.body_editor.graphql_page
    with qtbot.waitSignal(page.schema_changed, timeout=10_000):
        page.fetch_schema()
    assert page.status.text() == "Schema not fetched: the server answered 404 Not Found"
    assert page.fetched() is None


def test_a_bad_schema_file_says_why(qtbot, tmp_path: Path) -> None:
    page = GraphQLPage()
    qtbot.addWidget(page)
    bad = tmp_path / "bad.graphql"
    bad.write_text("type Query {\n  a: Int\n", encoding="utf-8")
    with qtbot.waitSignal(page.schema_changed, timeout=5000):
        page.load_sdl(bad)
    assert page.status.text() == (
        "Schema file not read: 3:1 Syntax Error: Expected Name, found <EOF>."
    )
    assert page.value().schema_file == str(bad)  # kept: the user chose it


def test_the_body_round_trips_with_its_schema_file(qtbot, tmp_path: Path) -> None:
    editor = BodyEditor()
    qtbot.addWidget(editor)
    (tmp_path / "schema.graphql").write_text(SDL, encoding="utf-8")
    editor.graphql_page.root_hook = lambda: tmp_path
    body = Body(
        kind=BodyKind.GRAPHQL,
        graphql=GraphQL(
            query="query One($id: ID!) { item(id: $id) { name } }",
            variables='{"id": "{{item_id}}"}',
            operation_name="One",
            schema_file="schema.graphql",
        ),
    )
    with qtbot.waitSignal(editor.graphql_page.schema_changed, timeout=5000):
        editor.set_value(body)
    assert editor.value().kind == BodyKind.GRAPHQL
    assert editor.value().graphql == body.graphql
    assert editor.graphql_page.fetched() is not None  # the file was read
    assert editor.content_type_hint() == "application/json"
