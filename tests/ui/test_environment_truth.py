"""What the environment selector shows is what every send uses (issue #15).

The toolbar used to show an environment of one collection while a scratch tab resolved
`{{base_url}}` only in the default collection's environment of that name: "Sample
server" shown, `{{base_url}}` unresolved "in any scope". Environments of two collections
that share a name were one unlabelled row."""

from __future__ import annotations

from pathlib import Path

from explorer.core.collection import Collection, Environment, RequestItem, Variable
from explorer.core.model import Pair, Request
from explorer.core.storage.collection_files import save_collection


def shop(folder: Path, name: str, base_url: str, headers: tuple[Pair, ...] = ()) -> Path:
    """A collection called `name` with one environment "dev" holding `base_url`."""
    save_collection(
        Collection(
            name,
            headers=headers,
            items=(RequestItem(Request("GET", "{{base_url}}/one", name="One")),),
            environments=(Environment("dev", (Variable("base_url", base_url),)),),
        ),
        folder,
    )
    return folder.resolve()


def test_a_scratch_tab_sends_with_the_selected_environment(qtbot, window, tmp_path,
                                                           recording_server):  # fmt: skip
    root = shop(tmp_path / "shop", "Shop", recording_server.url)
    window.panels.open_collection_folder(root)
    combo = window.panels.environment_combo
    row = combo.findData("dev")
    combo.setCurrentIndex(row)
    combo.activated.emit(row)  # as a click in the list does
    asked: list[list[str]] = []
    window.workspace_tabs.confirm_unresolved = lambda names: bool(asked.append(names))
    tab = window.current_tab()  # a new tab, saved nowhere
    tab.editor.url_edit.setText("{{base_url}}/from-scratch")
    with qtbot.waitSignal(tab.runner.finished, timeout=10_000):
        tab.send()
    assert asked == []  # nothing was unresolved
    assert [r.path for r in recording_server.take()] == ["/from-scratch"]
    assert window.workspace.active_environment_root == root
    assert combo.label() == "dev — Shop"


def test_same_named_environments_of_two_collections_are_told_apart(qtbot, window, tmp_path):
    first = shop(tmp_path / "a", "Shop", "http://127.0.0.1:1")
    second = shop(tmp_path / "b", "Billing", "http://127.0.0.1:2")
    window.panels.open_collection_folder(first)
    window.panels.open_collection_folder(second)
    labels = {(c.root, c.label) for c in window.workspace.environment_choices()}
    assert {(first, "dev — Shop"), (second, "dev — Billing")} <= labels
    combo = window.panels.environment_combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    # Grouped: each collection's header row, then its environments.
    assert texts.index("Billing") < texts.index("Shop")
    assert texts[texts.index("Shop") + 1] == "dev"
    window.workspace.select_environment(second, "dev")
    assert combo.label() == "dev — Billing"
    session = window.workspace_tabs.session()  # remembered with its collection
    assert (session.active_environment, session.active_environment_collection) == (
        "dev",
        str(second),
    )
    # A request of the other collection uses the selected one: the toolbar's choice.
    scopes = window.workspace.scopes(first)
    assert [s.name for s in scopes][-1] == "environment dev (Billing)"
    assert scopes[-1].values["base_url"] == "http://127.0.0.1:2"


def test_an_environment_that_goes_away_is_unselected_and_said(qtbot, window, tmp_path):
    root = shop(tmp_path / "shop", "Shop", "http://127.0.0.1:1")
    window.panels.open_collection_folder(root)
    window.workspace.select_environment(root, "dev")
    window.workspace.save_environments(root, [Environment("prod")], {"prod": "dev"})
    assert window.workspace.active_environment == "prod"  # renamed: still the one
    assert "now called “prod”" in window.statusBar().currentMessage()
    window.workspace.save_environments(root, [], {})
    assert window.workspace.active_environment == ""
    assert window.panels.environment_combo.label() == "No environment"
    assert "“prod” of Shop was removed" in window.statusBar().currentMessage()


def test_the_unresolved_hover_names_the_scopes_looked_in(qtbot, window):
    from explorer.ui.widgets.variable_highlight import describe

    tip = describe("base_url", window.workspace.scopes(None))
    assert tip == (
        "{{base_url}} is not defined in global or collection Scratch (no environment is selected)"
    )


def test_an_inherited_collection_header_is_listed_as_added_automatically(qtbot, window, tmp_path):
    root = shop(tmp_path / "shop", "Shop", "http://x", headers=(Pair("X-Team", "api"),))
    window.panels.open_collection_folder(root)
    tab = window.workspace_tabs.open_request(root, "one.yaml")
    editor = tab.editor
    editor.tabs.setCurrentWidget(editor.headers_editor)  # built on first use
    table = editor.headers_editor.automatic_table
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert ["X-Team", "api", "inherited from Shop"] in rows
    # A header of the same name typed in the request replaces it there.
    editor.headers_editor.set_value([Pair("X-Team", "mine")])
    qtbot.waitUntil(lambda: all(table.item(r, 0).text() != "X-Team"
                                for r in range(table.rowCount())), timeout=2000)  # fmt: skip


def test_export_success_is_said_in_the_success_colour(qtbot, tmp_path):
    from explorer.ui.dialogs.export_dialog import ExportDialog
    from explorer.ui.widgets.theme import colour

    dialog = ExportDialog(Collection("Shop", items=(RequestItem(Request(name="One")),)))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_format("bruno")  # a folder: the dialog stays to say where it went
    dialog.set_path(tmp_path / "out")
    dialog.export_button.click()
    assert dialog.finish_writing()
    label = dialog.status_label
    qtbot.waitUntil(lambda: "Wrote the folder" in label.text(), timeout=10_000)
    assert str(tmp_path / "out") in label.text()
    assert label.role == "success" and colour("success") in label.styleSheet()
    assert colour("error") not in label.styleSheet()
    (tmp_path / "file").write_text("x")
    dialog.set_path(tmp_path / "file")
    dialog.export_button.click()  # not an empty folder: refused, in red
    assert label.role == "error" and "not an empty folder" in label.text()


def test_the_palette_lists_and_selects_environments_by_collection(qtbot, window, tmp_path):
    from explorer.core.palette.index import Kind

    first = shop(tmp_path / "a", "Shop", "http://127.0.0.1:1")
    second = shop(tmp_path / "b", "Billing", "http://127.0.0.1:2")
    window.panels.open_collection_folder(first)
    window.panels.open_collection_folder(second)
    palette = window.open_command_palette()
    palette.popup.close()
    entries = palette._environment_entries()
    assert [(e.label, e.detail) for e in entries if e.kind == Kind.ENVIRONMENT][1:] == [
        ("dev", "in Billing"),
        ("dev", "in Shop"),
    ]
    shop_dev = next(e for e in entries if e.detail == "in Shop")
    palette.go(shop_dev)
    assert (window.workspace.active_environment_root, window.workspace.active_environment) == (
        first,
        "dev",
    )
    assert window.panels.environment_combo.label() == "dev — Shop"


def test_variables_of_a_scratch_tab_open_on_the_active_environments_collection(
    qtbot, window, tmp_path
):
    root = shop(tmp_path / "shop", "Shop", "http://x")
    window.panels.open_collection_folder(root)
    window.workspace.select_environment(root, "dev")
    dialog = window.panels.edit_variables()  # the current tab is saved nowhere
    assert dialog.root == root
    dialog.reject()


def test_the_active_environments_secrets_stay_out_of_other_collections_files(
    qtbot, window, tmp_path
):
    import pytest

    from explorer.core.storage.errors import SecretLeakError

    token = "tok-1234567890abcdef"
    folder = tmp_path / "vault"
    save_collection(Collection("Vault"), folder)
    vault = folder.resolve()
    other = shop(tmp_path / "shop", "Shop", "http://x")
    window.panels.open_collection_folder(vault)
    window.panels.open_collection_folder(other)
    secret = Environment("dev", (Variable("t", token, secret=True),))
    window.workspace.save_environments(vault, [secret], {})  # the value to the secret store
    window.workspace.select_environment(vault, "dev")  # applies to Shop's sends too
    with pytest.raises(SecretLeakError):
        window.workspace.save_request(other, "one.yaml", Request(url=f"http://x/?k={token}"), True)
    assert token not in (other / "one.yaml").read_text()


def test_a_last_sessions_environment_no_longer_open_is_said(qtbot, window, tmp_path):
    root = shop(tmp_path / "shop", "Shop", "http://x")
    workspace = window.workspace
    with qtbot.waitSignal(workspace.environment_notice) as notice:
        workspace.restore_environment("dev", root)  # its collection is not open
    assert workspace.active_environment == ""
    assert notice.args == [
        "The environment “dev” of the last session is not in any open collection: "
        "no environment is selected."
    ]
    window.panels.open_collection_folder(root)
    workspace.restore_environment("dev", None)  # an older session file: found by name
    assert (workspace.active_environment_root, workspace.active_environment) == (root, "dev")
