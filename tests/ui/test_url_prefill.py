"""The URL field's suggestion while the sample server runs, and a full URL pasted into it.

The prefill used to stay in front of a paste: `http://127.0.0.1:PORT/http://…`. Each test
pastes for real (the clipboard and Ctrl+V into the focused field) in the real window.
The suggestion is `{{base_url}}/`, never a literal port (issue #15), and only where it
resolves to the server: once the Sample API's environment, offered when the server is
ready, is chosen.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

PASTED = "https://api.example.test/v1/items?page=2"
BASE = "{{base_url}}"  # what the suggestion starts with


def use_sample_server(qtbot, window) -> None:
    """Start the server and take the environment it offers, as a user does."""
    with qtbot.waitSignal(window.server.ready, timeout=20_000):
        window.start_server_action.trigger()
    panels = window.panels
    qtbot.waitUntil(lambda: panels.offer_button is not None and panels.offer_button.isVisible(),
                    timeout=20_000)  # fmt: skip
    panels.offer_button.click()
    assert window.workspace.active_environment == "Sample server"


@pytest.fixture
def running(qtbot, window):
    """The window with its sample server running and its environment chosen: (window,
    the suggestion's start)."""
    use_sample_server(qtbot, window)
    return window, BASE


def _paste(qtbot, edit, text: str) -> None:
    QApplication.clipboard().setText(text)
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _focus(qtbot, window, edit) -> None:
    window.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)


def test_new_tab_selects_the_prefill_so_a_paste_replaces_it(qtbot, running):
    window, url = running
    tab = window.new_tab()
    edit = tab.editor.url_edit
    assert edit.text() == url + "/"
    _focus(qtbot, window, edit)
    assert edit.selectedText() == url + "/"
    _paste(qtbot, edit, PASTED)
    assert edit.text() == PASTED
    assert [(p.name, p.value) for p in tab.editor.params_table.pairs()] == [("page", "2")]


@pytest.mark.parametrize("where", ["end", "middle"])
def test_a_full_url_pasted_inside_the_untouched_prefill_replaces_it(qtbot, running, where):
    window, _url = running
    edit = window.new_tab().editor.url_edit
    _focus(qtbot, window, edit)
    edit.deselect()  # as a click into the field does
    edit.setCursorPosition(len(edit.text()) if where == "end" else 9)
    _paste(qtbot, edit, PASTED)
    qtbot.waitUntil(lambda: edit.text() == PASTED, timeout=2000)
    params = window.current_tab().editor.params_table.pairs()
    assert [(p.name, p.value) for p in params] == [("page", "2")]


def test_a_tab_waiting_when_the_server_starts_gets_the_prefill_too(qtbot, window):
    edit = window.current_tab().editor.url_edit
    assert edit.text() == ""
    use_sample_server(qtbot, window)
    assert edit.text() == BASE + "/"
    _focus(qtbot, window, edit)
    edit.end(False)
    _paste(qtbot, edit, "curl https://api.example.test/v1/users -H 'Accept: text/plain'")
    qtbot.waitUntil(lambda: edit.text() == "https://api.example.test/v1/users", timeout=2000)


def test_a_path_or_typing_after_the_prefill_still_extends_it(qtbot, running):
    window, url = running
    edit = window.new_tab().editor.url_edit
    _focus(qtbot, window, edit)
    edit.end(False)
    _paste(qtbot, edit, "api/todos")
    qtbot.keyClicks(edit, "?done=true")
    qtbot.wait(50)
    assert edit.text() == f"{url}/api/todos?done=true"


def test_once_edited_a_pasted_url_is_inserted_as_usual(qtbot, running):
    """Only the untouched suggestion is replaced: an edited URL is the user's own."""
    window, url = running
    edit = window.new_tab().editor.url_edit
    _focus(qtbot, window, edit)
    edit.end(False)
    qtbot.keyClicks(edit, "x")
    _paste(qtbot, edit, "http://y/")
    qtbot.wait(50)
    assert edit.text() == f"{url}/xhttp://y/"


@pytest.mark.parametrize(
    ("typed", "expected_tail"), [("/api/todos", "/api/todos"), ("?q=1", "/?q=1")]
)
def test_a_path_typed_over_the_selected_prefill_continues_it(qtbot, running, typed, expected_tail):
    # The README's first steps: start the server, type /api/todos after its URL. With the
    # suggestion selected, the first "/" used to replace it, leaving "http:///api/todos".
    window, url = running
    edit = window.new_tab().editor.url_edit
    _focus(qtbot, window, edit)
    assert edit.selectedText() == url + "/"
    qtbot.keyClicks(edit, typed)
    assert edit.text() == url + expected_tail


def test_a_url_typed_over_the_selected_prefill_replaces_it(qtbot, running):
    window, _url = running
    edit = window.new_tab().editor.url_edit
    _focus(qtbot, window, edit)
    qtbot.keyClicks(edit, "example.test/x")
    assert edit.text() == "example.test/x"


def test_the_suggestion_alone_leaves_a_blank_tab_unmodified(qtbot, running):
    window, url = running
    tab = window.new_tab()
    assert tab.editor.url_edit.text() == url + "/"
    assert not tab.is_modified()
    assert "●" not in window.tabs.tabText(window.tabs.indexOf(tab))
    qtbot.keyClicks(tab.editor.url_edit, "api/todos")
    assert tab.is_modified()
