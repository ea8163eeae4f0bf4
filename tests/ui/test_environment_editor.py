"""The Variables and environments dialog, checked on disk and in the secret store."""

from __future__ import annotations

import json

import yaml
from PySide6.QtWidgets import QStyleOptionViewItem

from explorer.core.collection import Collection
from explorer.core.storage.collection_files import save_collection
from explorer.ui.widgets.variables_table import MASK, NAME, SECRET, VALUE

TOKEN = "s3cret-Token-77"
GLOBAL_KEY = "global-Key-55"


def type_variable(table, row: int, name: str, value: str, secret: bool = False) -> None:
    table.set_cell(row, NAME, name)
    table.set_cell(row, VALUE, value)
    table.set_checked(row, SECRET, secret)


def shown_value(table, row: int) -> str:
    option = QStyleOptionViewItem()
    table.itemDelegateForColumn(VALUE).initStyleOption(option, table.model().index(row, VALUE))
    return option.text


def test_environments_are_added_renamed_duplicated_deleted_and_secrets_kept_apart(
    qtbot, window, tmp_path
):
    folder = tmp_path / "api"
    save_collection(Collection("API"), folder)
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    dialog = window.panels.edit_variables(root)
    assert dialog.collection_combo.currentText() == "API"

    dialog.add_environment("local")
    assert dialog.scope_list.currentItem().text() == "Environment: local"
    type_variable(dialog.table, 0, "token", TOKEN, secret=True)
    type_variable(dialog.table, 1, "host", "localhost:5000")
    assert dialog.table.rowCount() == 3  # always one empty row to type into
    assert shown_value(dialog.table, 0) == MASK
    assert shown_value(dialog.table, 1) == "localhost:5000"
    dialog.reveal_check.setChecked(True)
    assert shown_value(dialog.table, 0) == TOKEN
    dialog.reveal_check.setChecked(False)

    dialog.rename("dev")
    dialog.duplicate("staging")
    dialog.add_environment("doomed")
    dialog.delete()
    assert [dialog.scope_list.item(i).text() for i in range(dialog.scope_list.count())] == [
        "Global variables",
        "Collection variables",
        "Environment: dev",
        "Environment: staging",
    ]
    dialog.scope_list.setCurrentRow(0)
    type_variable(dialog.table, 0, "api_key", GLOBAL_KEY, secret=True)
    dialog.scope_list.setCurrentRow(1)
    type_variable(dialog.table, 0, "version", "v2")
    with qtbot.waitSignal(dialog.applied, timeout=10_000) as applied:
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert applied.args == [True]  # written off the GUI thread; this is its outcome
    assert not dialog.isVisible()  # closed once on disk

    environments = folder / "environments"
    assert sorted(p.name for p in environments.iterdir()) == ["dev.yaml", "staging.yaml"]
    dev = yaml.safe_load((environments / "dev.yaml").read_text())
    assert dev["variables"] == [
        {"name": "token", "secret": True},
        {"name": "host", "value": "localhost:5000"},
    ]
    assert yaml.safe_load((folder / "collection.yaml").read_text())["variables"] == [
        {"name": "version", "value": "v2"}
    ]
    assert yaml.safe_load((tmp_path / "globals.yaml").read_text())["variables"] == [
        {"name": "api_key", "secret": True}
    ]
    for path in [*folder.rglob("*"), tmp_path / "globals.yaml", tmp_path / "settings.ini"]:
        if path.is_file():
            text = path.read_bytes()
            assert TOKEN.encode() not in text and GLOBAL_KEY.encode() not in text, path
    stored = json.loads((tmp_path / "secrets.json").read_text())["secrets"]
    key = window.workspace.collections[root].store.collection_key
    assert stored[key] == {"dev": {"token": TOKEN}, "staging": {"token": TOKEN}}
    assert stored["global"] == {"": {"api_key": GLOBAL_KEY}}

    combo = window.panels.environment_combo
    # Grouped under their collection's header (issue #15), which cannot be chosen.
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "No environment",
        "API",
        "dev",
        "staging",
    ]
    assert combo.index_of(root, "dev") == 2 and not combo.model().item(1).isSelectable()

    # Reopened, the secret value comes back from the store (masked), then is deleted.
    dialog = window.panels.edit_variables(root)
    dialog.scope_list.setCurrentRow(2)
    assert dialog.table.variables()[0].value == TOKEN
    dialog.delete()
    dialog.delete()
    with qtbot.waitSignal(dialog.applied, timeout=10_000) as applied:
        assert dialog.apply()
    assert applied.args == [True]
    assert not any(environments.iterdir())
    stored = json.loads((tmp_path / "secrets.json").read_text())["secrets"]
    assert key not in stored
