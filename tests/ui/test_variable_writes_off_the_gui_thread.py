"""The window never writes files on the GUI thread (docs/ARCHITECTURE.md, invariant 2):
globals, a collection's variables and environments, a collection's or folder's
settings and remembered file approvals are written on the workspace's background queue.
The real window, real files; the writing functions are wrapped only to see which thread
they ran on."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import yaml

from explorer.application import editing
from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Body, BodyKind, Pair, Request
from explorer.core.resolve.file_access import FileApprovals
from explorer.core.storage.collection_files import save_collection
from explorer.ui.dialogs.container_settings import ContainerSettingsDialog
from explorer.ui.widgets.variables_table import NAME, VALUE
from tests.support.threads import record_threads

WRITERS = ("replace_globals", "replace_collection_variables", "replace_environments",
           "save_container", "rename_item")  # fmt: skip


@pytest.fixture
def threads(monkeypatch) -> dict[str, list[threading.Thread]]:
    """The threads each writing use case ran on (the write itself is real)."""
    return record_threads(monkeypatch, editing, WRITERS, delay=0.05)


def off_the_gui_thread(ran: list[threading.Thread]) -> bool:
    return bool(ran) and threading.main_thread() not in ran


@pytest.fixture
def api(window, tmp_path) -> Path:
    folder = tmp_path / "api"
    save_collection(Collection("API", items=(Folder("Users"),)), folder)
    window.panels.open_collection_folder(folder)
    return folder.resolve()


def type_variable(table, row: int, name: str, value: str) -> None:
    table.set_cell(row, NAME, name)
    table.set_cell(row, VALUE, value)


def test_variables_and_environments_are_saved_off_the_gui_thread(
    qtbot, window, tmp_path, api, threads
):
    dialog = window.panels.edit_variables(api)
    dialog.add_environment("local")
    type_variable(dialog.table, 0, "host", "localhost:5000")
    dialog.scope_list.setCurrentRow(0)
    type_variable(dialog.table, 0, "team", "blue")
    dialog.scope_list.setCurrentRow(1)
    type_variable(dialog.table, 0, "version", "v2")

    with qtbot.waitSignal(dialog.applied, timeout=10_000) as applied:
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        assert dialog.isVisible()  # open until the files are written

    assert applied.args == [True]
    assert not dialog.isVisible()
    local = yaml.safe_load((api / "environments" / "local.yaml").read_text(encoding="utf-8"))
    assert local["variables"] == [{"name": "host", "value": "localhost:5000"}]
    collection = yaml.safe_load((api / "collection.yaml").read_text(encoding="utf-8"))
    assert collection["variables"] == [{"name": "version", "value": "v2"}]
    globals_ = yaml.safe_load((tmp_path / "globals.yaml").read_text(encoding="utf-8"))
    assert globals_["variables"] == [{"name": "team", "value": "blue"}]
    assert [v.name for v in window.workspace.globals.variables] == ["team"]
    combo = window.panels.environment_combo
    assert "local" in [combo.itemText(i) for i in range(combo.count())]
    for name in ("replace_globals", "replace_collection_variables", "replace_environments"):
        assert off_the_gui_thread(threads[name]), name


def test_a_failed_variables_save_keeps_the_dialog_open_and_says_why(qtbot, window, api, threads):
    dialog = window.panels.edit_variables(api)
    dialog.scope_list.setCurrentRow(1)
    type_variable(dialog.table, 0, "version", "v3")
    (api / "collection.yaml").write_text("name: API\nvariables: [oops", encoding="utf-8")

    with qtbot.waitSignal(dialog.applied, timeout=10_000) as applied:
        dialog.save_and_close()

    assert applied.args == [False]
    assert dialog.isVisible()
    assert dialog.message.text().startswith("Not saved:")
    assert "\n" not in dialog.message.text()
    assert [v.value for v in dialog.table.variables() if v.name] == ["v3"]  # kept


def test_container_settings_are_saved_and_the_folder_renamed_off_the_gui_thread(
    qtbot, window, api, threads
):
    dialog = ContainerSettingsDialog(window.workspace, api, "users", window)
    qtbot.addWidget(dialog)
    dialog.headers_editor.table.add_row(Pair("X-Team", "blue"))
    dialog.name_edit.setText("People")

    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        assert dialog.save()

    assert saved.args == [True], dialog.message.text()
    assert dialog.rel == "people"
    on_disk = yaml.safe_load((api / "people" / "folder.yaml").read_text(encoding="utf-8"))
    assert on_disk["headers"] == [{"name": "X-Team", "value": "blue"}]
    assert off_the_gui_thread(threads["save_container"])
    assert off_the_gui_thread(threads["rename_item"])


def test_a_remembered_file_approval_is_written_off_the_gui_thread(
    qtbot, window, tmp_path, monkeypatch, live_server
):
    ran: list[threading.Thread] = []
    real = FileApprovals.approve

    def spy(self, root, files):
        ran.append(threading.current_thread())
        return real(self, root, files)

    monkeypatch.setattr(FileApprovals, "approve", spy)
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"outside")
    folder = tmp_path / "cloned"
    request = Request("POST", f"{live_server}/anything", name="upload",
                      body=Body(BodyKind.BINARY, file=str(outside)))  # fmt: skip
    save_collection(Collection("Cloned", items=(RequestItem(request),)), folder)
    window.panels.open_collection_folder(folder)
    tabs = window.workspace_tabs
    asked: list[list[Path]] = []
    tabs.confirm_files = lambda paths, name: asked.append(paths) or (True, True)
    tab = tabs.open_request(folder.resolve(), "upload.yaml")

    assert tabs.prepare(tab, tab.editor.request()) is not None
    assert tabs.prepare(tab, tab.editor.request()) is not None  # not asked again meanwhile
    approvals = window.workspace.data_dir / "file_approvals.json"
    qtbot.waitUntil(approvals.exists, timeout=10_000)

    assert len(asked) == 1
    assert str(outside.resolve()) in approvals.read_text(encoding="utf-8")
    assert ran and threading.main_thread() not in ran
