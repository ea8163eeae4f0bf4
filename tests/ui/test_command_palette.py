"""The command palette in the real window: Ctrl+K from an editor, then a request of a
second collection, a history entry, an environment and a menu command, each opened or
chosen by typing and Enter, as a user would, with real collections on disk and the
real history database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from explorer.core.collection import Collection, Environment, Folder, RequestItem
from explorer.core.model import Request
from explorer.core.storage.collection_files import save_collection
from tests.ui.test_history_panel import exchange


def _collection(name: str, folder: str, requests: list[tuple[str, str, str]]) -> Collection:
    items = tuple(RequestItem(Request(m, "{{base_url}}" + u, name=n)) for n, m, u in requests)
    return Collection(name, (Folder(folder, items),), environments=(Environment("Staging"),))


@pytest.fixture
def palette_window(window, tmp_path):
    shop = _collection("Shop", "Orders", [("List orders", "GET", "/api/orders")])
    billing = _collection("Billing", "Invoices", [("Pay invoice", "POST", "/v2/invoices/1/pay")])
    for folder, collection in (("shop", shop), ("billing", billing)):
        save_collection(collection, tmp_path / folder)
        window.workspace.open_collection(tmp_path / folder)
    return window


def open_palette(qtbot, window):
    """Ctrl+K with the focus in the URL editor; the index loaded."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    editor = window.current_tab().editor.url_edit
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window._command_palette
    assert palette is not None and palette.popup.isVisible()
    assert palette.wait_loaded()
    return palette


def choose(qtbot, palette, query: str) -> None:
    qtbot.keyClicks(palette.popup.search, query)
    qtbot.keyClick(palette.popup.search, Qt.Key.Key_Return)
    assert not palette.popup.isVisible()


def test_ctrl_k_finds_a_request_of_a_second_collection_and_enter_opens_it(
    qtbot, palette_window, tmp_path
):
    window = palette_window
    palette = open_palette(qtbot, window)
    assert window.current_tab().editor.url_edit.text() == ""  # Ctrl+K was not editing
    qtbot.keyClicks(palette.popup.search, "pay inv")
    first = palette.popup.current()
    assert first is not None and first.entry.label == "Pay invoice"
    assert first.entry.detail.startswith("Billing ▸ Invoices")
    qtbot.keyClick(palette.popup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace_tabs.binding(window.current_tab()).root is not None)
    binding = window.workspace_tabs.binding(window.current_tab())
    assert binding.root == (tmp_path / "billing").resolve()
    assert window.current_tab().editor.request().name == "Pay invoice"

    # Esc closes; Ctrl+P opens it too, with the last choice first.
    palette = open_palette(qtbot, window)
    qtbot.keyClick(palette.popup.search, Qt.Key.Key_Escape)
    assert not palette.popup.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    editor = window.current_tab().editor.url_edit
    qtbot.keyClick(editor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert palette.popup.isVisible()
    assert palette.popup.current().entry.label == "Pay invoice"
    palette.popup.close()


def test_a_request_shown_in_the_preview_tab_is_pinned_when_chosen(qtbot, palette_window, tmp_path):
    window = palette_window
    root = (tmp_path / "shop").resolve()
    rel = next(
        r
        for r, i in window.workspace.collections[root].items.items()
        if i.item.name == "List orders"
    )
    previewed = window.workspace_tabs.preview_request(root, rel)  # a single click in the tree
    assert window.workspace_tabs.preview is previewed
    choose(qtbot, open_palette(qtbot, window), "list orders")
    qtbot.waitUntil(lambda: window.workspace_tabs.preview is None)  # as a double click does
    assert window.current_tab() is previewed


def test_ctrl_k_opens_the_palette_from_the_body_editor_and_leaves_its_text(qtbot, window):
    from explorer.core.model import Body, BodyKind

    tab = window.current_tab()
    tab.editor.set_request(Request("POST", "http://x/", body=Body(BodyKind.RAW, "keep this")))
    tab.editor.tabs.setCurrentIndex(2)  # Body
    code = tab.editor.body_editor.raw_editor.editor
    qtbot.waitUntil(code.isVisible)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    code.setFocus()
    code.moveCursor(code.textCursor().MoveOperation.Start)
    qtbot.keyClick(code, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window._command_palette is not None and window._command_palette.popup.isVisible()
    assert code.toPlainText() == "keep this"
    window._command_palette.popup.close()


def test_a_history_entry_an_environment_and_a_command(qtbot, palette_window):
    window = palette_window
    for body in (b'{"n": 0}', b'{"n": 1}'):  # two sends of one URL: one entry, the newest
        window.workspace.record(*exchange("http://127.0.0.1:9/api/orders?page=2", body))
    palette = open_palette(qtbot, window)
    listed = palette.index.search("#orders")
    assert [r.entry.detail.endswith("· 2 sends") for r in listed] == [True]

    choose(qtbot, palette, "#orders page")
    qtbot.waitUntil(
        lambda: window.current_tab().response_view.summary.status_label.text() == "200 OK"
    )
    body = window.current_tab().response_view.body_view
    qtbot.waitUntil(lambda: '"n": 1' in body.plain_text())  # the newer of the two sends
    assert window.current_tab().editor.request().url.startswith("http://127.0.0.1:9/api/orders")

    palette = open_palette(qtbot, window)
    choose(qtbot, palette, "@stag")
    qtbot.waitUntil(lambda: window.workspace.active_environment == "Staging")
    assert window.panels.environment_combo.currentText() == "Staging"

    tabs_before = window.tabs.count()
    palette = open_palette(qtbot, window)
    qtbot.keyClicks(palette.popup.search, ">new req tab")
    assert palette.popup.current().entry.hint == "Ctrl+T"
    qtbot.keyClick(palette.popup.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.count() == tabs_before + 1)


def test_the_palette_is_in_the_view_menu_and_lists_the_menus_commands(qtbot, palette_window):
    window = palette_window
    assert window.palette_action in window.view_menu.actions()
    assert window.palette_action.text() == "Command &palette…"
    palette = open_palette(qtbot, window)
    commands = [r.entry.label for r in palette.index.search(">")]
    assert "Save request" in commands and "Light theme" in commands
    assert "Command palette…" not in commands
    from explorer.ui.window.command_palette import request_rows

    assert len(request_rows(window.workspace)) == 2
    assert len(request_rows(window.workspace, limit=1)) == 1  # the index is bounded
    qtbot.keyClicks(palette.popup.search, "zzzzqqq")
    assert palette.popup.model.rowCount() == 0
    assert "Nothing matches" in palette.popup.status.text()
    qtbot.keyClick(palette.popup.search, Qt.Key.Key_Escape)


@pytest.mark.parametrize("scale", [1, 2])
def test_the_popup_stays_inside_a_1280_by_720_window_at_any_text_size(qtbot, tmp_path, scale):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from explorer.ui.window.main_window import MainWindow

    app = QApplication.instance()
    font = app.font()
    bigger = app.font()
    bigger.setPointSizeF(font.pointSizeF() * scale)
    app.setFont(bigger)
    try:
        window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        popup = window.open_command_palette().popup
        inside = window.geometry()
        assert inside.contains(popup.geometry()), (inside, popup.geometry())
        for part in (popup.search, popup.list, popup.status):  # none cut off at the bottom
            assert popup.rect().contains(part.geometry()), part
        rows = popup.list.viewport().height() // popup.list.sizeHintForRow(0)
        assert rows >= 3 and popup.list.viewport().height() % popup.list.sizeHintForRow(0) == 0
        popup.close()
        window.close()
    finally:
        app.setFont(font)
