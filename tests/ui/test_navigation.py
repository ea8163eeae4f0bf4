"""Navigation (#15): preview tabs, the filters' Down key, Move to…, the list of open
tabs, names that collide, and a restart that brings back the active tab and the last
responses. Driven through the real window, on real files and a real SQLite history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import QApplication

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Request
from explorer.core.storage.collection_files import save_collection
from explorer.core.storage.session import load_session
from explorer.ui.sidebar.collection_model import DETAIL_ROLE, REL_ROLE
from explorer.ui.window.main_window import MainWindow
from explorer.ui.window.tab_switcher import PREVIEW


def make_window(qtbot, home: Path, **kwargs) -> MainWindow:
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, **kwargs)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    return window


@pytest.fixture
def window(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    yield window
    window.close()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def open_shop(window: MainWindow, folder: Path, base: str = "http://x") -> Path:
    save_collection(
        Collection(
            "Shop",
            items=(
                RequestItem(Request("GET", f"{base}/a", name="A")),
                RequestItem(Request("GET", f"{base}/b", name="B")),
                RequestItem(Request("GET", f"{base}/c", name="C")),
                Folder(
                    "Echo",
                    items=(
                        RequestItem(
                            Request(
                                "GET",
                                "{{base_url}}/anything",
                                name="Echo",
                                description="Echo the request back as JSON.",
                            )
                        ),
                        RequestItem(Request("POST", "{{base_url}}/anything/:rest", name="Echo")),
                        RequestItem(Request("GET", "{{base_url}}/uuid", name="UUID")),
                    ),
                ),
            ),
        ),
        folder,
    )
    window.panels.open_collection_folder(folder)
    return folder.resolve()


def row(window: MainWindow, root: Path, rel: str):
    sidebar = window.panels.sidebar
    return sidebar.proxy.mapFromSource(sidebar.model.find(root, rel))


def click(qtbot, window: MainWindow, root: Path, rel: str, double: bool = False) -> None:
    view = window.panels.sidebar.view
    index = row(window, root, rel)
    view.scrollTo(index)
    point = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def request_tabs(window: MainWindow) -> list[str]:
    tabs = window.workspace_tabs
    return [tabs.bindings[t].rel for t in tabs.tabs()]


def test_names_that_collide_in_a_folder_show_their_path_and_hover_shows_the_description(
    window, tmp_path
):
    root = open_shop(window, tmp_path / "shop")
    model = window.panels.sidebar.model
    rels = {info.item.name + info.item.request.method: rel
            for rel, info in window.workspace.collections[root].items.items()
            if isinstance(info.item, RequestItem)}  # fmt: skip
    echo_get, echo_post, uuid = (
        model.find(root, rels["EchoGET"]),
        model.find(root, rels["EchoPOST"]),
        model.find(root, rels["UUIDGET"]),
    )
    assert echo_get.data(DETAIL_ROLE) == "/anything"
    assert echo_post.data(DETAIL_ROLE) == "/anything/:rest"
    assert uuid.data(DETAIL_ROLE) is None  # its name is its own
    assert "Echo the request back as JSON." in echo_get.data(Qt.ItemDataRole.ToolTipRole)


def test_the_description_is_shown_and_edited_in_the_docs_tab(qtbot, window, tmp_path):
    root = open_shop(window, tmp_path / "shop")
    rel = next(r for r, i in window.workspace.collections[root].items.items()
               if isinstance(i.item, RequestItem) and i.item.request.description)  # fmt: skip
    tab = window.workspace_tabs.open_request(root, rel)
    last = tab.editor.tabs.count() - 1
    assert tab.editor.tabs.tabText(last) in ("Docs", "\u24d8", "Doc")  # shorter when narrow
    assert tab.editor.tabs.tabToolTip(last) == "Docs"
    docs = tab.editor.docs_editor
    assert docs.text_edit.toPlainText() == "Echo the request back as JSON."
    docs.text_edit.setPlainText("Echoes it back.")
    assert tab.is_modified()
    with qtbot.waitSignal(window.workspace_tabs.save_finished, timeout=10_000):
        window.save_action.trigger()
    assert window.workspace.info(root, rel).item.request.description == "Echoes it back."


def test_a_single_click_previews_and_the_next_one_replaces_it_until_pinned(qtbot, window, tmp_path):
    root = open_shop(window, tmp_path / "shop")
    bar = window.tabs.tabBar()
    click(qtbot, window, root, "a.yaml")
    assert request_tabs(window) == ["a.yaml"]  # the blank first tab was used
    preview = window.workspace_tabs.preview
    assert preview is window.current_tab() and bar.tabData(0) == PREVIEW
    assert window.panels.sidebar.view.hasFocus()  # arrows keep moving in the tree

    from explorer.ui.window.tab_notice import TabNotice

    notice = TabNotice("About A", [], "A's notice", preview)
    preview.insert_bar(1, notice)
    click(qtbot, window, root, "b.yaml")  # replaces the preview, and what was said of A
    assert request_tabs(window) == ["b.yaml"]
    assert window.workspace_tabs.preview is preview
    qtbot.waitUntil(lambda: not preview.findChildren(TabNotice), timeout=2000)

    click(qtbot, window, root, "b.yaml", double=True)  # a double click pins it
    assert window.workspace_tabs.preview is None and bar.tabData(0) is None
    click(qtbot, window, root, "c.yaml")
    assert request_tabs(window) == ["b.yaml", "c.yaml"]

    # An edit pins the preview: the next single click opens a new tab.
    window.current_tab().editor.url_edit.setText("http://x/c-edited")
    qtbot.waitUntil(lambda: window.workspace_tabs.preview is None, timeout=2000)
    click(qtbot, window, root, "a.yaml")
    assert request_tabs(window) == ["b.yaml", "c.yaml", "a.yaml"]
    assert window.workspace_tabs.preview is window.current_tab()
    # Enter on a tree row opens to keep: the preview showing it is pinned.
    window.panels.sidebar.view.setFocus()
    qtbot.keyClick(window.panels.sidebar.view, Qt.Key.Key_Return)
    assert window.workspace_tabs.preview is None
    assert request_tabs(window) == ["b.yaml", "c.yaml", "a.yaml"]


def test_down_in_the_filters_moves_into_the_results_and_enter_opens(qtbot, window, tmp_path):
    root = open_shop(window, tmp_path / "shop")
    sidebar = window.panels.sidebar
    sidebar.filter_edit.setFocus()
    qtbot.keyClicks(sidebar.filter_edit, "uuid")
    qtbot.keyClick(sidebar.filter_edit, Qt.Key.Key_Down)
    assert sidebar.view.hasFocus()
    assert sidebar.view.currentIndex().data(REL_ROLE).endswith("uuid.yaml")
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Return)
    assert request_tabs(window)[-1].endswith("uuid.yaml")
    assert window.workspace_tabs.preview is None  # opened to keep

    # The history's search box does the same.
    window.workspace.record_failure(Request("GET", "http://x/history-one"), "refused")
    history = window.panels.history_panel
    history.refresh()
    history.search_edit.setFocus()
    qtbot.keyClick(history.search_edit, Qt.Key.Key_Down)
    assert history.tree.hasFocus()
    assert history.selected_ids() == [history.history.by_day(limit=1)[0][1][0].id]
    del root


def test_a_filter_that_matches_nothing_says_so(qtbot, window, tmp_path):
    open_shop(window, tmp_path / "shop")
    sidebar = window.panels.sidebar
    sidebar.filter_edit.setText("no-such-thing")
    assert sidebar.no_match.isVisible() and not sidebar.view.isVisible()
    assert sidebar.no_match.text() == "No request matches “no-such-thing”"
    sidebar.filter_edit.setText("uuid")
    assert not sidebar.no_match.isVisible() and sidebar.view.isVisible()


def test_move_to_moves_through_the_workspace_and_the_open_tab_follows(qtbot, window, tmp_path):
    from explorer.ui.dialogs.move_dialog import MoveDialog

    root = open_shop(window, tmp_path / "shop")
    tab = window.workspace_tabs.open_request(root, "a.yaml")
    echo = next(rel for rel in window.workspace.collections[root].items if rel.count("/") == 0
                and window.workspace.info(root, rel).item.name == "Echo")  # fmt: skip
    # The chooser offers the collection and its folders, not the folder being moved.
    dialog = MoveDialog(window.workspace, root, echo, window)
    assert not dialog.choose(root, echo) and dialog.choose(root, "")
    assert dialog.target() is None  # it is there already: nothing to move
    dialog.deleteLater()
    dialog = MoveDialog(window.workspace, root, "a.yaml", window)
    assert dialog.choose(root, echo) and dialog.target() == (root, echo)
    dialog.deleteLater()

    sidebar = window.panels.sidebar
    sidebar.select(root, "a.yaml")
    sidebar.ask_move_target = lambda _root, _rel: (root, echo)
    with qtbot.waitSignal(sidebar.finished, timeout=10_000) as done:
        assert sidebar.move_action.isEnabled()
        sidebar.move_action.trigger()
    new_rel = done.args[1]
    assert new_rel == f"{echo}/a.yaml"
    assert (root / new_rel).is_file() and not (root / "a.yaml").exists()
    assert window.workspace_tabs.bindings[tab].rel == new_rel  # the tab follows


def test_the_corner_button_lists_every_tab_to_jump_to(qtbot, window, tmp_path):
    root = open_shop(window, tmp_path / "shop")
    for name in ("a", "b", "c"):
        window.workspace_tabs.open_request(root, f"{name}.yaml")
    window.current_tab().editor.url_edit.setText("http://x/c-edited")
    qtbot.waitUntil(lambda: "●" in window.tabs.tabText(2), timeout=2000)
    button = window.tab_list_button
    assert window.tabs.cornerWidget(Qt.Corner.TopRightCorner) is button
    button.fill()
    actions = button.menu_of_tabs.actions()
    assert [a.text() for a in actions] == ["GET A", "GET B", "GET C ●"]
    assert [a.isChecked() for a in actions] == [False, False, True]
    actions[0].trigger()
    assert window.tabs.currentIndex() == 0


def test_a_restart_brings_back_the_active_tab_and_its_last_response(qtbot, tmp_path, live_server):
    from explorer.qt.workspace import Workspace

    first = make_window(qtbot, tmp_path)
    root = open_shop(first, tmp_path / "shop", base=live_server)
    first.workspace_tabs.open_request(root, "b.yaml")
    sent = first.workspace_tabs.open_request(root, "a.yaml")
    sent.editor.url_edit.setText(f"{live_server}/uuid")
    sent.send()
    binding = first.workspace_tabs.bindings[sent]
    qtbot.waitUntil(lambda: binding.response_entry > 0, timeout=10_000)
    first.close()  # the second of two tabs is the active one
    session = load_session(tmp_path / "session.json")
    assert session.active_tab == 1
    assert [t.response_entry > 0 for t in session.tabs] == [False, True]

    # The window as the app makes it: a blank tab first, the workspace after the paint.
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    second = make_window(qtbot, tmp_path, workspace_factory=lambda: Workspace(tmp_path, settings))
    try:
        qtbot.waitUntil(lambda: second.workspace_tabs is not None, timeout=5000)
        active = second.current_tab()
        assert second.workspace_tabs.bindings[active].rel == "a.yaml"
        status = active.response_view.summary.status_label
        qtbot.waitUntil(lambda: status.text().startswith("200"), timeout=5000)
        other = second.tabs.widget(0)
        assert second.workspace_tabs.bindings[other].rel == "b.yaml"
        assert other.response_view.summary.status_label.text() == ""
    finally:
        second.close()
        QApplication.processEvents()
        assert QThreadPool.globalInstance().waitForDone(10_000)


def test_quit_with_modified_tabs_asks_once_naming_them_and_saves_them(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    root = open_shop(window, tmp_path / "shop")
    for name in ("a", "b"):
        tab = window.workspace_tabs.open_request(root, f"{name}.yaml")
        tab.editor.url_edit.setText(f"http://x/{name}-edited")
    window.new_tab().editor.url_edit.setText("http://x/scratch")
    asked: list[list] = []
    window.ask_quit = lambda tabs: asked.append(tabs) or "cancel"
    window.quit_action.trigger()
    assert window.isVisible() and len(asked) == 1  # one question; Cancel stays
    assert window.quit_question(asked[0]) == (
        "Save changes to these 3 requests before quitting?\n  • A\n  • B\n  • GET /scratch"
    )

    window.ask_quit = lambda _tabs: "save"
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert "http://x/a-edited" in (root / "a.yaml").read_text()
    assert "http://x/b-edited" in (root / "b.yaml").read_text()
    drafts = load_session(tmp_path / "session.json").tabs
    assert [(d.request.url, d.modified) for d in drafts if not d.item] == [
        ("http://x/scratch", True)  # saved nowhere: kept as a draft
    ]
    assert QThreadPool.globalInstance().waitForDone(10_000)
