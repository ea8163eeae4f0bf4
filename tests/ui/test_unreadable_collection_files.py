"""An unreadable request file does not keep the window from opening the collection: the
rest shows, the file is listed as a problem. The tests run as root, where mode 000 is
still readable: `permissions_enforced` makes the refusal real (see tests/support)."""

from __future__ import annotations

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Request
from explorer.core.storage.collection_files import save_collection
from tests.support.unreadable import make_unreadable, permissions_enforced


def test_the_window_opens_a_collection_with_an_unreadable_file(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    refusals: list[tuple] = []  # a refusal would be a modal box: recorded, not shown
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: refusals.append(args))
    folder = tmp_path / "api"
    names = ("first", "locked", "last")
    save_collection(Collection("API", items=tuple(RequestItem(Request(name=n)) for n in names)),
                    folder)  # fmt: skip
    make_unreadable(folder / "locked.yaml")
    with permissions_enforced():  # the load runs on this (the GUI) thread
        opened_it = window.panels.open_collection_folder(folder)
    assert opened_it and refusals == []
    opened = window.workspace.collections[folder.resolve()]
    assert [i.name for i in opened.collection.items] == ["first", "last"]
    [problem] = opened.problems
    assert problem.path.name == "locked.yaml" and "cannot be read" in problem.message
    assert "locked.yaml" in window.statusBar().currentMessage()
