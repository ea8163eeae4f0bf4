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
        first.close()
