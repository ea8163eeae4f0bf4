"""The Settings dialog of a collection and a folder: edited in the dialog, written to
the collection's files, inherited by requests sent to the practice server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import Qt

from explorer.core.collection import Collection, Folder, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, Pair, Request
from explorer.core.storage.collection_files import save_collection
from explorer.ui.dialogs.container_settings import ContainerSettingsDialog

SECRET = "tok-SECRET-41c7e"


@pytest.fixture
def shop(window, tmp_path, live_server) -> Path:
    """A collection: a request at the top, a folder with an inheriting request and one
    that sets its own X-Team header."""
    folder = tmp_path / "shop"
    inherit = Auth(kind=AuthKind.INHERIT)
    save_collection(
        Collection(
            "Shop",
            items=(
                RequestItem(
                    Request("GET", f"{live_server}/anything/top", auth=inherit, name="Top")
                ),
                Folder(
                    "Users",
                    items=(
                        RequestItem(
                            Request("GET", f"{live_server}/anything/u", auth=inherit, name="List")
                        ),
                        RequestItem(
                            Request(
                                "GET",
                                f"{live_server}/anything/own",
                                headers=(Pair("X-Team", "mine"),),
                                auth=inherit,
                                name="Own",
                            )
                        ),
                    ),
                ),
            ),
        ),
        folder,
    )
    assert window.panels.open_collection_folder(folder)
    root = folder.resolve()
    window.workspace.save_collection_variables(
        root,
        [Variable("team", "blue"), Variable("tok", "t-123"), Variable("token", SECRET, True)],
    )
    return root


def rel_of(window, root: Path, name: str) -> str:
    opened = window.workspace.collections[root]
    return next(rel for rel, info in opened.items.items() if info.item.name == name)


def send(qtbot, window, tab) -> dict:
    window.tabs.setCurrentWidget(tab)
    with qtbot.waitSignal(tab.runner.finished, timeout=10_000):
        window.send_action.trigger()
    return json.loads(tab.last_response.read_body())


def choose_auth(dialog: ContainerSettingsDialog, kind: AuthKind) -> None:
    combo = dialog.auth_editor.kind_combo
    combo.setCurrentIndex(combo.findData(kind))


def test_folder_headers_and_auth_set_in_the_dialog_are_sent(qtbot, window, shop):
    folder_rel = rel_of(window, shop, "Users")
    tabs = window.workspace_tabs
    listing = tabs.open_request(shop, rel_of(window, shop, "List"))
    assert "auth: none" in tabs.bindings[listing].location.text()

    dialog = ContainerSettingsDialog(window.workspace, shop, folder_rel, window)
    qtbot.addWidget(dialog)
    assert dialog.auth_editor.kind() == AuthKind.INHERIT  # a folder's default
    dialog.headers_editor.table.add_row(Pair("X-Team", "{{team}}"))
    choose_auth(dialog, AuthKind.BEARER)
    dialog.auth_editor.token_field.line_edit.setText("{{tok}}")
    dialog.description_edit.setPlainText("Everything about users\nsecond line")
    assert saved(qtbot, dialog), dialog.message.text()

    on_disk = yaml.safe_load((shop / folder_rel / "folder.yaml").read_text())
    assert on_disk["headers"] == [{"name": "X-Team", "value": "{{team}}"}]
    assert on_disk["auth"]["kind"] == "bearer" and on_disk["auth"]["token"] == "{{tok}}"
    assert on_disk["description"] == "Everything about users\nsecond line"

    # The open tab re-describes what it inherits, and sends it.
    assert "auth: bearer from folder Users" in tabs.bindings[listing].location.text()
    echoed = send(qtbot, window, listing)
    assert echoed["headers"]["X-Team"] == "blue"
    assert echoed["headers"]["Authorization"] == "Bearer t-123"

    own = tabs.open_request(shop, rel_of(window, shop, "Own"))
    echoed = send(qtbot, window, own)
    assert echoed["headers"]["X-Team"] == "mine"  # the request's own header wins
    assert echoed["headers"]["Authorization"] == "Bearer t-123"

    # The tab's editors, built when first opened, highlight variables too.
    delegate = listing.editor.headers_editor.table.table.itemDelegateForColumn(2)
    assert delegate.variable_scopes is not None
    assert delegate.variable_scopes()[-1].values["team"] == "blue"
    assert listing.editor.body_editor.raw_editor.variable_tips is not None

    # Opening the dialog again shows what was saved.
    again = ContainerSettingsDialog(window.workspace, shop, folder_rel, window)
    qtbot.addWidget(again)
    assert again.headers_editor.value() == (Pair("X-Team", "{{team}}"),)
    assert again.auth_editor.value().token == "{{tok}}"


def test_collection_settings_are_inherited_and_renamed(qtbot, window, shop):
    dialog = ContainerSettingsDialog(window.workspace, shop, "", window)
    qtbot.addWidget(dialog)
    kinds = [dialog.auth_editor.kind_combo.itemData(i) for i in range(4)]
    assert AuthKind.INHERIT not in kinds  # a collection has no parent
    dialog.name_edit.setText("Shop v2")
    dialog.headers_editor.table.add_row(Pair("X-Api-Version", "2"))
    choose_auth(dialog, AuthKind.API_KEY)
    dialog.auth_editor.key_name_edit.setText("X-Key")
    dialog.auth_editor.key_value_field.line_edit.setText("k-1")
    assert saved(qtbot, dialog), dialog.message.text()

    on_disk = yaml.safe_load((shop / "collection.yaml").read_text())
    assert on_disk["name"] == "Shop v2"
    assert on_disk["headers"] == [{"name": "X-Api-Version", "value": "2"}]
    assert window.workspace.collections[shop].name == "Shop v2"
    assert any("Shop v2" in row for row in sidebar_rows(window))

    tabs = window.workspace_tabs
    top = tabs.open_request(shop, rel_of(window, shop, "Top"))
    echoed = send(qtbot, window, top)
    assert echoed["headers"]["X-Api-Version"] == "2"
    assert echoed["headers"]["X-Key"] == "k-1"
    deep = tabs.open_request(shop, rel_of(window, shop, "List"))  # through the folder
    assert send(qtbot, window, deep)["headers"]["X-Key"] == "k-1"


def test_a_typed_secret_value_is_saved_as_its_secret_variable(qtbot, window, shop):
    # The value of the secret variable `token`, typed as a literal: the file gets the
    # variable's name (credentials never go into collection files), not a refusal.
    dialog = ContainerSettingsDialog(window.workspace, shop, "", window)
    qtbot.addWidget(dialog)
    choose_auth(dialog, AuthKind.BEARER)
    dialog.auth_editor.token_field.line_edit.setText(SECRET)
    assert saved(qtbot, dialog), dialog.message.text()
    assert SECRET not in (shop / "collection.yaml").read_text()
    assert "{{token}}" in (shop / "collection.yaml").read_text()

    dialog.auth_editor.token_field.line_edit.setText("{{token}}")
    assert saved(qtbot, dialog), dialog.message.text()
    assert SECRET not in (shop / "collection.yaml").read_text()
    assert "{{token}}" in (shop / "collection.yaml").read_text()


def test_a_file_changed_on_disk_asks_before_overwriting(qtbot, window, shop):
    folder_rel = rel_of(window, shop, "Users")
    dialog = ContainerSettingsDialog(window.workspace, shop, folder_rel, window)
    qtbot.addWidget(dialog)
    path = shop / folder_rel / "folder.yaml"
    outside = yaml.safe_load(path.read_text())
    outside["description"] = "edited in vim"
    path.write_text(yaml.safe_dump(outside))
    dialog.headers_editor.table.add_row(Pair("X-Mine", "1"))

    answers = ["cancel", "overwrite"]
    asked: list[Path] = []

    def answer(error) -> str:
        asked.append(error.path)
        return answers.pop(0)

    dialog.resolve_conflict = answer
    assert not saved(qtbot, dialog)
    assert yaml.safe_load(path.read_text())["description"] == "edited in vim"
    assert saved(qtbot, dialog)
    assert asked == [path, path]
    assert yaml.safe_load(path.read_text())["headers"] == [{"name": "X-Mine", "value": "1"}]


def saved(qtbot, dialog) -> bool:
    """Save, and wait for the outcome: the settings are written off the GUI thread."""
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as outcome:
        assert dialog.save(), dialog.message.text()
    return outcome.args[0]


def sidebar_rows(window) -> list[str]:
    model = window.panels.sidebar.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_sidebar_opens_settings_from_the_menu_action_and_enter(qtbot, window, shop):
    sidebar = window.panels.sidebar
    opened: list[tuple[Path, str]] = []
    sidebar.show_settings = lambda root, rel: opened.append((root, rel)) or True
    folder_rel = rel_of(window, shop, "Users")

    sidebar.select(shop, folder_rel)
    assert sidebar.settings_action.isEnabled()
    sidebar.settings_action.trigger()
    sidebar.view.setFocus()
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Return)
    sidebar.select(shop, "")
    qtbot.keyClick(sidebar.view, Qt.Key.Key_Return)
    assert opened == [(shop, folder_rel), (shop, folder_rel), (shop, "")]

    sidebar.select(shop, rel_of(window, shop, "Top"))
    assert not sidebar.settings_action.isEnabled()
