"""The URL and the Params table have one source of truth on disk: a query written in the
URL of a request file is not sent twice after the request is edited and saved."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from PySide6.QtCore import QThreadPool

from explorer.core.collection import Collection
from explorer.core.storage.collection_files import save_collection


def test_a_hand_written_query_is_sent_once_after_edit_save_and_reload(
    window, qtbot, tmp_path: Path, live_server: str
):
    folder = tmp_path / "hand"
    save_collection(Collection("Hand written"), folder)
    (folder / "q.yaml").write_text(f"name: q\nmethod: GET\nurl: {live_server}/get?x=1\n")
    window.panels.open_collection_folder(folder)
    tabs = window.workspace_tabs
    root = folder.resolve()
    tab = tabs.open_request(root, "q.yaml")
    assert tab.editor.url_edit.text() == f"{live_server}/get?x=1"

    tab.editor.url_edit.setFocus()
    tab.editor.url_edit.end(False)
    qtbot.keyClicks(tab.editor.url_edit, "&y=2")
    with qtbot.waitSignal(tabs.save_finished, timeout=10_000) as saved:
        assert tabs.save(tab)
    assert saved.args[1]  # the file is written off the GUI thread; this is its outcome

    data = yaml.safe_load((folder / "q.yaml").read_text())
    assert data["url"] == f"{live_server}/get"
    assert data["params"] == [{"name": "x", "value": "1"}, {"name": "y", "value": "2"}]

    tabs.reload_from_disk(tab)
    assert tab.editor.url_edit.text() == f"{live_server}/get?x=1&y=2"
    with qtbot.waitSignal(tab.runner.finished, timeout=15_000):
        tab.send()
    arrived = json.loads(tab.last_response.read_body())
    assert arrived["query_string"] == "x=1&y=2"
    assert QThreadPool.globalInstance().waitForDone(10_000)
