"""The window never writes files on the GUI thread (docs/ARCHITECTURE.md, invariant 2):
saving a request (Ctrl+S, a new request, a conflict answered "overwrite", Save before
closing a tab, a save just before the window closes) is written on the workspace's
background queue and its outcome shown when it arrives. The real window, real files;
the application functions are wrapped only to see which thread they ran on."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import yaml

from explorer.application import editing
from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Request
from explorer.core.storage.collection_files import save_collection
from tests.support.threads import record_threads


@pytest.fixture
def threads(monkeypatch) -> dict[str, list[threading.Thread]]:
    """The threads each writing use case ran on (the write itself is real)."""
    return record_threads(monkeypatch, editing, ("save_request", "add_item"), delay=0.05)


def open_shop(window, folder: Path) -> Path:
    save_collection(Collection("Shop", items=(RequestItem(Request(url="http://x/a", name="A")),)),
                    folder)  # fmt: skip
    window.panels.open_collection_folder(folder)
    return folder.resolve()


def url_on_disk(path: Path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["url"]


def test_ctrl_s_writes_the_request_off_the_gui_thread(qtbot, window, tmp_path, threads):
    root = open_shop(window, tmp_path / "shop")
    tab = window.workspace_tabs.open_request(root, "a.yaml")
    tab.editor.url_edit.setText("http://x/a-edited")

    window.save_action.trigger()
    assert tab.is_modified()  # not yet: the write is still running elsewhere
    qtbot.waitUntil(lambda: not tab.is_modified(), timeout=10_000)

    assert url_on_disk(root / "a.yaml") == "http://x/a-edited"
    assert threads["save_request"] and threading.main_thread() not in threads["save_request"]
    assert "Saved “A”" in window.statusBar().currentMessage()


def test_a_new_request_is_added_off_the_gui_thread(qtbot, window, tmp_path, threads):
    root = open_shop(window, tmp_path / "shop")
    tabs = window.workspace_tabs
    tabs.ask_save_target = lambda name, _root, folder: (root, "", "Fresh")
    tab = window.current_tab()
    tab.editor.url_edit.setText("http://x/fresh")

    window.save_action.trigger()
    qtbot.waitUntil(lambda: tabs.binding(tab).rel == "fresh.yaml", timeout=10_000)

    assert url_on_disk(root / "fresh.yaml") == "http://x/fresh"
    assert not tab.is_modified()
    assert threads["add_item"] and threading.main_thread() not in threads["add_item"]


def test_edits_typed_while_the_save_runs_stay_unsaved(qtbot, window, tmp_path, threads):
    root = open_shop(window, tmp_path / "shop")
    tabs = window.workspace_tabs
    tab = tabs.open_request(root, "a.yaml")
    tab.editor.url_edit.setText("http://x/first")

    with qtbot.waitSignal(tabs.save_finished, timeout=10_000) as saved:
        window.save_action.trigger()
        tab.editor.url_edit.setText("http://x/second")  # typed before the write is done
    assert saved.args == [tab, True]

    assert url_on_disk(root / "a.yaml") == "http://x/first"
    assert tab.editor.url_edit.text() == "http://x/second"  # nothing typed is lost
    assert tab.is_modified()
    with qtbot.waitSignal(tabs.save_finished, timeout=10_000):
        window.save_action.trigger()
    assert url_on_disk(root / "a.yaml") == "http://x/second"
    assert not tab.is_modified()


def test_a_conflict_is_asked_on_the_gui_thread_and_overwritten_off_it(
    qtbot, window, tmp_path, threads
):
    root = open_shop(window, tmp_path / "shop")
    tabs = window.workspace_tabs
    tab = tabs.open_request(root, "a.yaml")
    tab.editor.url_edit.setText("http://x/mine")
    time.sleep(0.01)  # a different mtime even on coarse file systems
    theirs = yaml.safe_load((root / "a.yaml").read_text(encoding="utf-8"))
    theirs["url"] = "http://x/theirs"
    (root / "a.yaml").write_text(yaml.safe_dump(theirs), encoding="utf-8")
    asked: list[threading.Thread] = []
    tabs.resolve_conflict = lambda error: asked.append(threading.current_thread()) or "overwrite"

    with qtbot.waitSignal(tabs.save_finished, timeout=10_000) as saved:
        window.save_action.trigger()  # at once: before the file watcher has noticed

    assert saved.args == [tab, True]
    assert asked == [threading.main_thread()]
    assert url_on_disk(root / "a.yaml") == "http://x/mine"
    assert len(threads["save_request"]) == 2  # refused, then forced
    assert threading.main_thread() not in threads["save_request"]


def test_a_failed_save_keeps_the_tab_modified_and_says_why(qtbot, window, tmp_path, threads):
    root = open_shop(window, tmp_path / "shop")
    tabs = window.workspace_tabs
    tab = tabs.open_request(root, "a.yaml")
    tab.editor.url_edit.setText("http://x/mine")
    (root / "a.yaml").unlink()  # gone before the write: nothing to overwrite safely
    tabs.resolve_conflict = lambda error: "cancel"

    with qtbot.waitSignal(tabs.save_finished, timeout=10_000) as saved:
        window.save_action.trigger()

    assert saved.args == [tab, False]
    assert tab.is_modified()
    assert tab.editor.url_edit.text() == "http://x/mine"
    assert threading.main_thread() not in threads["save_request"]


def test_save_before_closing_a_tab_closes_it_once_written(qtbot, window, tmp_path, threads):
    root = open_shop(window, tmp_path / "shop")
    tabs = window.workspace_tabs
    tab = tabs.open_request(root, "a.yaml")
    window.new_tab()
    window.tabs.setCurrentWidget(tab)
    tab.editor.url_edit.setText("http://x/closing")
    window.ask_unsaved = lambda _tab: "save"

    assert window.tabs.count() == 2
    window.close_tab(window.tabs.indexOf(tab))
    assert window.tabs.indexOf(tab) >= 0  # still open while its file is written
    qtbot.waitUntil(lambda: window.tabs.count() == 1, timeout=10_000)

    assert url_on_disk(root / "a.yaml") == "http://x/closing"
    assert threading.main_thread() not in threads["save_request"]


def test_a_tab_whose_save_fails_stays_open(qtbot, window, tmp_path, threads):
    root = open_shop(window, tmp_path / "shop")
    tabs = window.workspace_tabs
    tab = tabs.open_request(root, "a.yaml")
    window.new_tab()
    tab.editor.url_edit.setText("http://x/closing")
    time.sleep(0.01)
    (root / "a.yaml").write_text("name: A\nmethod: GET\nurl: http://x/theirs\n", encoding="utf-8")
    tabs.resolve_conflict = lambda error: "cancel"
    window.ask_unsaved = lambda _tab: "save"

    with qtbot.waitSignal(tabs.save_finished, timeout=10_000) as saved:
        window.close_tab(window.tabs.indexOf(tab))

    assert saved.args == [tab, False]
    assert window.tabs.indexOf(tab) >= 0
    assert tab.editor.url_edit.text() == "http://x/closing"
    assert url_on_disk(root / "a.yaml") == "http://x/theirs"


def test_a_save_issued_just_before_close_is_on_disk(qtbot, window, tmp_path, threads):
    root = open_shop(window, tmp_path / "shop")
    tab = window.workspace_tabs.open_request(root, "a.yaml")
    tab.editor.url_edit.setText("http://x/last-word")

    window.save_action.trigger()
    window.close()  # at once: the write is still queued or running

    assert url_on_disk(root / "a.yaml") == "http://x/last-word"
    assert threads["save_request"] and threading.main_thread() not in threads["save_request"]


def test_a_save_issued_just_before_quit_is_on_disk(qtbot, window, tmp_path, threads):
    from PySide6.QtWidgets import QApplication

    root = open_shop(window, tmp_path / "shop")
    tab = window.workspace_tabs.open_request(root, "a.yaml")
    tab.editor.url_edit.setText("http://x/quitting")

    window.save_action.trigger()
    QApplication.instance().aboutToQuit.emit()  # what app.quit() says before it returns

    assert url_on_disk(root / "a.yaml") == "http://x/quitting"
    assert not tab.is_modified()  # the outcome was handed out before the drafts were
    assert threads["save_request"] and threading.main_thread() not in threads["save_request"]


def test_the_close_question_names_the_tab_as_its_tab_does(window, tmp_path):
    root = open_shop(window, tmp_path / "shop")
    tab = window.workspace_tabs.open_request(root, "a.yaml")
    tab.editor.url_edit.setText("http://x/renamed/path")

    title = window.tabs.tabText(window.tabs.indexOf(tab))
    assert "A" in title.split()
    assert window.unsaved_question(tab) == "Save changes to “A” before closing?"
    assert "/renamed/path" not in window.unsaved_question(tab)
