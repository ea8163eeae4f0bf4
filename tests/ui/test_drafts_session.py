"""Typing is autosaved; a new window on the same data brings the tabs back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QThreadPool

from explorer.core.collection import Collection, Environment, RequestItem
from explorer.core.model import Request
from explorer.core.storage.collection_files import save_collection
from explorer.core.storage.session import load_session
from explorer.ui.window.main_window import MainWindow


def open_window(qtbot, home) -> MainWindow:
    window = MainWindow(QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture(autouse=True)
def _no_threads_left():
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000)


def test_typing_is_autosaved_and_restored_with_the_environment(qtbot, tmp_path):
    folder = tmp_path / "api"
    save_collection(
        Collection(
            "API",
            items=(RequestItem(Request("GET", "http://x/one", name="One")),),
            environments=(Environment("staging"),),
        ),
        folder,
    )
    first = open_window(qtbot, tmp_path)
    first.panels.open_collection_folder(folder)
    first.workspace.set_active_environment("staging")
    saved_tab = first.workspace_tabs.open_request(folder.resolve(), "one.yaml")
    saved_tab.editor.url_edit.setText("http://x/one-edited")
    scratch = first.new_tab()
    qtbot.keyClicks(scratch.editor.url_edit, "localhost:5000/typed")

    session_file = tmp_path / "session.json"
    qtbot.waitUntil(lambda: session_file.exists(), timeout=3000)
    qtbot.waitUntil(
        lambda: (
            [t.request.url for t in load_session(session_file).tabs]
            == ["http://x/one-edited", "localhost:5000/typed"]
        ),
        timeout=3000,
    )
    # The first window is not closed (no closeEvent): as after a crash, only the
    # autosave counts.
    second = open_window(qtbot, tmp_path)
    try:
        assert second.tabs.count() == 2
        assert second.tabs.currentIndex() == 1
        restored_saved, restored_scratch = second.tabs.widget(0), second.tabs.widget(1)
        assert restored_saved.editor.url_edit.text() == "http://x/one-edited"
        assert restored_saved.is_modified()  # still differs from one.yaml
        assert second.workspace_tabs.bindings[restored_saved].rel == "one.yaml"
        assert second.tabs.tabText(0) == "GET One ●"
        assert restored_scratch.editor.url_edit.text() == "localhost:5000/typed"
        assert second.workspace.active_environment == "staging"
        assert second.panels.environment_combo.currentText() == "staging"
        # Saving the restored tab writes the edit into the collection file.
        second.tabs.setCurrentIndex(0)
        with qtbot.waitSignal(second.workspace_tabs.save_finished, timeout=10_000) as saved:
            second.save_action.trigger()
        assert saved.args[1]  # written off the GUI thread; this is its outcome
        assert "url: http://x/one-edited" in (folder / "one.yaml").read_text()
        assert not restored_saved.is_modified()
    finally:
        second.close()


def test_a_save_writes_the_drafts_first_and_a_draft_equal_to_the_file_comes_back_saved(
    qtbot, tmp_path, monkeypatch
):
    """A crash between a save's two writes (drafts, then the file) must never bring back
    a draft older than the file as an unsaved edit over the newer save (the SIGKILL test
    caught "saved/26" shown over a file holding "saved/27")."""
    from explorer.application import editing

    folder = tmp_path / "api"
    save_collection(
        Collection("API", items=(RequestItem(Request("GET", "http://x/one", name="One")),)),
        folder,
    )
    session_file = tmp_path / "session.json"
    on_disk_when_the_file_was_written: list[bytes] = []
    real_save = editing.save_request

    def save_request(*args, **kwargs):
        on_disk_when_the_file_was_written.append(
            session_file.read_bytes() if session_file.exists() else b""
        )
        return real_save(*args, **kwargs)

    monkeypatch.setattr(editing, "save_request", save_request)
    first = open_window(qtbot, tmp_path)
    first.panels.open_collection_folder(folder)
    tab = first.workspace_tabs.open_request(folder.resolve(), "one.yaml")
    tab.editor.url_edit.setText("http://x/two")
    with qtbot.waitSignal(first.workspace_tabs.save_finished, timeout=10_000):
        first.workspace_tabs.save(tab)
    drafts = on_disk_when_the_file_was_written[-1]
    assert drafts, "the drafts were not on disk before the file"
    first.close()  # its own last writes done before the crash is staged
    assert QThreadPool.globalInstance().waitForDone(10_000)
    session_file.write_bytes(drafts)  # the crash: the drafts of that moment, the new file
    draft = load_session(session_file).tabs[0]
    assert (draft.request.url, draft.modified) == ("http://x/two", True)
    assert "url: http://x/two" in (folder / "one.yaml").read_text()
    second = open_window(qtbot, tmp_path)
    try:
        restored = second.tabs.widget(0)
        assert restored.editor.url_edit.text() == "http://x/two"
        assert not restored.is_modified()  # the draft is what the file holds
    finally:
        second.close()
