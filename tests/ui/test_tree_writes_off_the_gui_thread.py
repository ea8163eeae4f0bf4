"""The window never writes files on the GUI thread (docs/ARCHITECTURE.md, invariant 2):
the collections tree's changes (new collection, new folder and request, rename,
duplicate, move, delete and its undo) are written on the workspace's background queue
and the tree follows when each result arrives. The real window, real files; the
application functions are wrapped only to see which thread they ran on."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from explorer.application import editing
from tests.support.threads import record_threads

WRITERS = ("create_collection", "add_item", "rename_item", "rename_collection",
           "move_item", "delete_item")  # fmt: skip


@pytest.fixture
def threads(monkeypatch) -> dict[str, list[threading.Thread]]:
    """The threads each writing use case ran on (the write itself is real)."""
    return record_threads(monkeypatch, editing, WRITERS)


def outcome(qtbot, sidebar, start) -> object:
    with qtbot.waitSignal(sidebar.finished, timeout=10_000) as finished:
        start()
    return finished.args[1]


def test_every_tree_change_is_written_off_the_gui_thread(qtbot, window, tmp_path, threads):
    sidebar = window.panels.sidebar
    errors: list[str] = []
    sidebar.report = lambda what, error: errors.append(f"{what}: {error}")
    folder = tmp_path / "tree"
    with qtbot.waitSignal(window.workspace.collections_changed, timeout=10_000):
        window.panels.new_collection(folder, "Tree")
    root = folder.resolve()
    assert root in window.workspace.collections

    sidebar.select(root, "")
    assert outcome(qtbot, sidebar, lambda: sidebar.new_folder("Box")) == "box"
    sidebar.select(root, "")
    rel = outcome(qtbot, sidebar, lambda: sidebar.new_request("Ping"))
    assert rel == "ping.yaml" and (folder / rel).is_file()
    index = sidebar.model.find(root, rel)
    edit = Qt.ItemDataRole.EditRole
    assert outcome(qtbot, sidebar, lambda: sidebar.model.setData(index, "Pong", edit)) == (
        "pong.yaml"
    )
    top = sidebar.model.find(root, "")
    assert outcome(qtbot, sidebar, lambda: sidebar.model.setData(top, "Tree 2", edit)) == ""
    assert window.workspace.collections[root].name == "Tree 2"
    sidebar.select(root, "pong.yaml")
    assert outcome(qtbot, sidebar, sidebar.duplicate) == "pong-copy.yaml"
    model = sidebar.model
    data = model.mimeData([model.find(root, "pong-copy.yaml")])
    box = model.find(root, "box")
    moved = outcome(qtbot, sidebar, lambda: model.dropMimeData(data, Qt.DropAction.MoveAction,
                                                                 -1, -1, box))  # fmt: skip
    assert moved == "box/pong-copy.yaml" and (folder / moved).is_file()
    sidebar.select(root, moved)
    sidebar.confirm_delete = lambda what: True
    assert outcome(qtbot, sidebar, sidebar.delete) == moved
    assert not (folder / moved).exists()
    assert outcome(qtbot, sidebar, window.panels.undo_action.trigger) == moved
    assert (folder / moved).is_file()

    # Into another collection: added there, deleted here, both read again.
    other = tmp_path / "other"
    with qtbot.waitSignal(window.workspace.collections_changed, timeout=10_000):
        window.panels.new_collection(other, "Other")
    data = model.mimeData([model.find(root, "pong.yaml")])
    target = model.find(other.resolve(), "")
    moved = outcome(qtbot, sidebar, lambda: model.dropMimeData(data, Qt.DropAction.MoveAction,
                                                                 -1, -1, target))  # fmt: skip
    assert errors == []
    assert moved == "pong.yaml" and (other / "pong.yaml").is_file()
    assert not (folder / "pong.yaml").exists()
    assert window.workspace.info(other.resolve(), "pong.yaml") is not None
    assert window.workspace.info(root, "pong.yaml") is None

    assert errors == []
    for name in WRITERS:
        assert threads[name], name
        assert threading.main_thread() not in threads[name], name
