"""The collections sidebar and Ctrl+S, driven through the window, checked on disk."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QSettings, Qt, QThreadPool

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Pair, Request
from explorer.core.storage.collection_files import save_collection
from explorer.ui.sidebar.collection_model import KIND_ROLE
from explorer.ui.window.main_window import MainWindow


def make_window(qtbot, home: Path) -> MainWindow:
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def window(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    yield window
    window.close()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def tree_names(window: MainWindow) -> list[str]:
    """Every row of the sidebar, depth-first, as 'kind:text'."""
    model = window.panels.sidebar.model
    found: list[str] = []

    def walk(parent) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            found.append(f"{index.data(KIND_ROLE)}:{index.data()}")
            walk(index)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return found


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_ctrl_s_saves_a_new_tab_into_the_default_collection(qtbot, window, tmp_path):
    tabs = window.workspace_tabs
    default_root = window.workspace.default_root.resolve()
    asked: list[tuple[str, Path]] = []

    def choose(name: str, root: Path, folder: str):
        asked.append((name, root))
        return root, folder, "Health check"

    tabs.ask_save_target = choose
    tab = window.current_tab()
    tab.editor.url_edit.setText("http://127.0.0.1:5000/health?verbose=1")
    with qtbot.waitSignal(window.workspace_tabs.save_finished, timeout=10_000) as saved:
        window.save_action.trigger()
    assert saved.args[1]  # the file is written off the GUI thread; this is its outcome

    assert asked == [("GET /health", default_root)]
    data = load(default_root / "health-check.yaml")
    assert data["name"] == "Health check"
    assert data["url"] == "http://127.0.0.1:5000/health"
    assert data["params"] == [{"name": "verbose", "value": "1"}]
    assert not tab.is_modified()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "GET Health check"
    assert "request:Health check" in tree_names(window)

    # A second Ctrl+S writes the same file, without asking again.
    tab.editor.url_edit.setText("http://127.0.0.1:5000/health?verbose=2")
    assert tab.is_modified()
    with qtbot.waitSignal(window.workspace_tabs.save_finished, timeout=10_000) as saved:
        window.save_action.trigger()
    assert saved.args[1]  # the file is written off the GUI thread; this is its outcome
    assert len(asked) == 1
    assert load(default_root / "health-check.yaml")["params"][0]["value"] == "2"
    assert sorted(p.name for p in default_root.glob("*.yaml")) == [
        "collection.yaml",
        "health-check.yaml",
    ]


def outcome(qtbot, sidebar, start) -> object:
    """Start a sidebar change and wait for its outcome: it is written off the GUI
    thread. The item's path now, or None when it failed."""
    with qtbot.waitSignal(sidebar.finished, timeout=10_000) as finished:
        start()
    return finished.args[1]


def test_create_rename_duplicate_delete_undo_and_move(qtbot, window, tmp_path):
    sidebar = window.panels.sidebar
    folder = tmp_path / "my-api"
    with qtbot.waitSignal(window.workspace.collections_changed, timeout=10_000):
        assert window.panels.new_collection(folder, "My API")  # written off the GUI thread
    root = folder.resolve()
    assert load(folder / "collection.yaml")["name"] == "My API"
    assert "collection:My API" in tree_names(window)
    assert str(root) in window.workspace.recent_collections()

    sidebar.select(root, "")
    assert outcome(qtbot, sidebar, lambda: sidebar.new_folder("Users")) == "users"
    assert (folder / "users" / "folder.yaml").is_file()
    rel = outcome(qtbot, sidebar, lambda: sidebar.new_request("List users"))  # opened in a tab
    assert rel == "users/list-users.yaml"
    assert window.workspace_tabs.find_tab(root, rel) is window.current_tab()

    # Rename in place (what F2 + typing + Enter does to the model).
    index = sidebar.model.find(root, rel)
    outcome(
        qtbot, sidebar, lambda: sidebar.model.setData(index, "All users", Qt.ItemDataRole.EditRole)
    )
    assert not (folder / rel).exists()
    renamed = "users/all-users.yaml"
    assert load(folder / renamed)["name"] == "All users"
    assert window.workspace_tabs.bindings[window.current_tab()].rel == renamed
    assert window.tabs.tabText(window.tabs.currentIndex()) == "GET All users"

    sidebar.select(root, renamed)
    copy = outcome(qtbot, sidebar, sidebar.duplicate)
    assert copy == "users/all-users-copy.yaml"
    assert load(folder / copy)["name"] == "All users copy"

    # Delete asks first; refusing keeps the file.
    sidebar.select(root, copy)
    sidebar.confirm_delete = lambda what: False
    assert not sidebar.delete()
    assert (folder / copy).exists()
    sidebar.confirm_delete = lambda what: "All users copy" in what
    assert outcome(qtbot, sidebar, sidebar.delete) == copy
    assert not (folder / copy).exists()
    assert "request:All users copy" not in tree_names(window)
    assert outcome(qtbot, sidebar, window.panels.undo_action.trigger) == copy
    assert load(folder / copy)["name"] == "All users copy"
    assert load(folder / "users" / "folder.yaml")["order"] == ["all-users.yaml", copy.split("/")[1]]
    assert outcome(qtbot, sidebar, window.panels.redo_action.trigger) == copy
    assert not (folder / copy).exists()

    # Drag the request out of the folder to the top of the collection.
    model = sidebar.model
    source = model.find(root, renamed)
    data = model.mimeData([source])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.find(root, ""))
    assert not model.canDropMimeData(
        model.mimeData([model.find(root, "users")]),
        Qt.DropAction.MoveAction,
        0,
        0,
        model.find(root, "users"),
    )  # a folder cannot go into itself
    drop = model.find(root, "")
    outcome(qtbot, sidebar, lambda: model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, drop))
    assert (folder / "all-users.yaml").is_file()
    assert not (folder / renamed).exists()
    assert load(folder / "collection.yaml")["order"][0] == "all-users.yaml"
    assert window.workspace_tabs.bindings[window.current_tab()].rel == "all-users.yaml"
    # ... and back into the folder by dropping it onto the folder.
    back = model.mimeData([model.find(root, "all-users.yaml")])
    users = model.find(root, "users")
    outcome(
        qtbot, sidebar, lambda: model.dropMimeData(back, Qt.DropAction.MoveAction, -1, -1, users)
    )
    assert (folder / renamed).is_file()


def test_open_reuses_the_tab_and_filter_matches_url_and_method(window, tmp_path):
    folder = tmp_path / "shop"
    save_collection(
        Collection(
            "Shop",
            items=(
                RequestItem(Request("GET", "http://x/orders", name="Orders")),
                Folder(
                    "Admin", items=(RequestItem(Request("DELETE", "http://x/c", name="Purge")),)
                ),
            ),
        ),
        folder,
    )
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    tabs = window.workspace_tabs
    first = tabs.open_request(root, "orders.yaml")
    assert first is window.current_tab()
    assert window.tabs.count() == 1  # the blank start tab was reused
    window.new_tab()
    assert tabs.open_request(root, "orders.yaml") is first
    assert window.tabs.count() == 2

    sidebar = window.panels.sidebar
    sidebar.filter_edit.setText("delete")
    proxy = sidebar.proxy
    shown = []
    stack = [proxy.index(r, 0) for r in range(proxy.rowCount())]
    while stack:
        index = stack.pop()
        shown.append(index.data())
        stack += [proxy.index(r, 0, index) for r in range(proxy.rowCount(index))]
    assert "Purge" in shown and "Orders" not in shown and "Admin" in shown


def test_a_corrupt_file_is_shown_in_red_and_never_touched(qtbot, window, tmp_path):
    folder = tmp_path / "broken-api"
    save_collection(Collection("Broken", items=(RequestItem(Request(name="Good")),)), folder)
    bad = folder / "bad.yaml"
    bad.write_bytes(b"name: [unclosed\nurl: http://x\n")
    before = bad.read_bytes()
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    names = tree_names(window)
    assert "problem:bad.yaml (cannot be read)" in names
    index = window.panels.sidebar.model.find(root, "bad.yaml")
    assert not index.isValid()  # problem rows are not items one can open or move
    assert "bad.yaml:2" in window.statusBar().currentMessage()
    sidebar = window.panels.sidebar
    sidebar.select(root, "")
    assert outcome(qtbot, sidebar, lambda: sidebar.new_request("Another")) == "another.yaml"
    window.workspace.rename_collection(root, "Broken but fine")
    assert bad.read_bytes() == before
    assert load(folder / "collection.yaml")["name"] == "Broken but fine"


def test_a_file_edited_on_disk_updates_the_tree_and_clean_tabs(qtbot, window, tmp_path):
    folder = tmp_path / "pulled"
    save_collection(
        Collection(
            "Pulled",
            items=(
                RequestItem(Request("GET", "http://x/a", name="A")),
                RequestItem(Request("GET", "http://x/b", name="B")),
            ),
        ),
        folder,
    )
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    tabs = window.workspace_tabs
    clean = tabs.open_request(root, "a.yaml")
    window.new_tab()
    edited = tabs.open_request(root, "b.yaml")
    edited.editor.url_edit.setText("http://x/b-mine")

    time.sleep(0.01)  # a different mtime even on coarse file systems
    a = load(folder / "a.yaml")
    a["url"] = "http://x/a-from-git"
    (folder / "a.yaml").write_text(yaml.safe_dump(a))
    b = load(folder / "b.yaml")
    b["url"] = "http://x/b-from-git"
    (folder / "b.yaml").write_text(yaml.safe_dump(b))
    (folder / "c.yaml").write_text("name: C\nmethod: PUT\nurl: http://x/c\n")

    qtbot.waitUntil(lambda: "request:C" in tree_names(window), timeout=5000)
    assert clean.editor.url_edit.text() == "http://x/a-from-git"
    assert not clean.is_modified()
    assert edited.editor.url_edit.text() == "http://x/b-mine"  # not clobbered
    assert edited.is_modified()
    notices = [w for w in edited.findChildren(object) if getattr(w, "objectName", None)]
    assert any(n.objectName() == "tabNotice" and n.isVisibleTo(edited) for n in notices)

    # Saving the modified tab now asks; "cancel" leaves the file as git wrote it.
    asked = []
    tabs.resolve_conflict = lambda error: asked.append(error.path) or "cancel"
    window.tabs.setCurrentWidget(edited)
    window.save_action.trigger()
    assert asked == [folder / "b.yaml"]
    assert load(folder / "b.yaml")["url"] == "http://x/b-from-git"
    tabs.resolve_conflict = lambda error: "overwrite"
    with qtbot.waitSignal(window.workspace_tabs.save_finished, timeout=10_000) as saved:
        window.save_action.trigger()
    assert saved.args[1]  # the file is written off the GUI thread; this is its outcome
    assert load(folder / "b.yaml")["url"] == "http://x/b-mine"


def test_inherited_headers_and_auth_are_explained(window, tmp_path):
    from explorer.core.model import Auth, AuthKind

    folder = tmp_path / "inherit"
    save_collection(
        Collection(
            "Inherit",
            headers=(Pair("X-Team", "core"),),
            auth=Auth(kind=AuthKind.BEARER, token="{{token}}"),
            items=(
                Folder(
                    "Admin",
                    headers=(Pair("X-Role", "admin"),),
                    items=(
                        RequestItem(
                            Request(
                                "GET", "http://x/", name="Who", auth=Auth(kind=AuthKind.INHERIT)
                            )
                        ),
                    ),
                ),
            ),
        ),
        folder,
    )
    window.panels.open_collection_folder(folder)
    tab = window.workspace_tabs.open_request(folder.resolve(), "admin/who.yaml")
    location = window.workspace_tabs.bindings[tab].location
    assert "Inherit › Admin › Who" in location.text()
    assert "auth: bearer from collection" in location.text()
    assert "2 inherited header(s)" in location.text()
    assert "X-Role: admin — from folder Admin" in location.toolTip()
    effective = window.workspace_tabs.effective(tab, window.workspace_tabs.full_request(tab))
    assert [(h.name, h.value) for h in effective.headers] == [
        ("X-Team", "core"),
        ("X-Role", "admin"),
    ]
    assert effective.auth.kind == AuthKind.BEARER
