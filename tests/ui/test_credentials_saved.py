"""Saving a request whose auth holds a typed password: the file gets `{{name}}`, the
editor says where the value went, and the request still authenticates."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from urllib.parse import quote, quote_plus

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from explorer.core.collection import RequestItem
from explorer.core.model import Auth, AuthKind, Request
from explorer.ui.dialogs.import_dialog import ImportDialog

PASSWORD = "s3cret-Pw+9"


def holding(folder: Path, secret: str, user: str) -> list[str]:
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    raw = {f.encode() for f in forms} | {
        base64.b64encode(t.encode()) for t in (secret, f"{user}:{secret}")
    }
    return [
        str(p) for p in folder.rglob("*") if p.is_file() and any(r in p.read_bytes() for r in raw)
    ]


def raise_it(what: str, error: Exception) -> None:
    raise error


def test_a_typed_password_is_saved_as_a_secret_variable_and_still_sent(qtbot, window, live_server):
    tabs = window.workspace_tabs
    tabs.ask_save_target = lambda name, root, folder: (root, folder, "Who am I")
    tabs._report = raise_it  # a message box would wait for a click forever
    tab = window.current_tab()
    tab.editor.url_edit.setText(f"{live_server}/anything")
    editor = tab.editor.auth_editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData(AuthKind.BASIC))
    qtbot.keyClicks(editor.username_edit, "ada")
    qtbot.keyClicks(editor.password_field.line_edit, PASSWORD)

    with qtbot.waitSignal(tabs.save_finished, timeout=10_000) as saved:
        assert tabs.save(tab)
    assert saved.args[1]  # the file is written off the GUI thread; this is its outcome

    root = window.workspace.default_root
    assert holding(root, PASSWORD, "ada") == []
    assert editor.password_field.line_edit.text() == "{{basic_password}}"
    assert "{{basic_password}}" in editor.moved_label.text() and not editor.moved_label.isHidden()
    assert not tab.is_modified()
    with qtbot.waitSignal(tab.runner.finished, timeout=15_000):
        tab.send()
    assert tab.last_response.status == 200
    arrived = json.loads(tab.last_response.read_body())["headers"]
    assert (
        arrived["Authorization"] == "Basic " + base64.b64encode(f"ada:{PASSWORD}".encode()).decode()
    )

    # The next edit of the auth makes the note about the last save go away.
    qtbot.keyClicks(editor.username_edit, "x")
    assert editor.moved_label.isHidden()


def test_window_import_says_what_moves_and_writes_no_credential(qtbot, window, monkeypatch):
    curl = f"curl -u ada:{PASSWORD} -H 'Authorization: Bearer tok-9f8e7d6c' http://h.test/x"
    summaries: list[str] = []

    def fake_exec(dialog: ImportDialog) -> int:
        dialog.paste_edit.setFocus()
        dialog.paste_edit.insertPlainText(curl)
        qtbot.waitUntil(dialog.import_button.isEnabled, timeout=5000)
        summaries.append(dialog.summary_label.text())
        QTest.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return 1

    monkeypatch.setattr(ImportDialog, "exec", fake_exec)
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information", lambda *a, **k: None)
    with qtbot.waitSignal(window.interop.imported, timeout=10_000) as written:
        assert window.interop.import_file()
    folder = written.args[0]

    assert folder is not None
    assert (
        "will move 2 credentials to secret variables: {{bearer_token}}, {{basic_password}}"
        in (summaries[0])
    )
    assert "moved 2 credentials" in window.statusBar().currentMessage()
    assert holding(folder, PASSWORD, "ada") == [] and holding(folder, "tok-9f8e7d6c", "") == []
    opened = window.workspace.collections[folder.resolve()]
    values = {v.name: v.value for v in opened.collection.variables if v.secret}
    assert values == {"basic_password": PASSWORD, "bearer_token": "tok-9f8e7d6c"}


def test_a_request_moved_to_another_collection_takes_its_credential_along(window, tmp_path):
    workspace = window.workspace
    first = workspace.create_collection(tmp_path / "one", "One").root
    second = workspace.create_collection(tmp_path / "two", "Two").root
    auth = Auth(AuthKind.BEARER, token="tok-moving-along-42")
    rel = workspace.add_item(first, "", RequestItem(Request(name="R", auth=auth)))

    new_rel = workspace.move_item(first, rel, second, "", None)

    assert holding(first, "tok-moving-along-42", "") == []
    assert holding(second, "tok-moving-along-42", "") == []
    assert not (first / rel).exists()
    moved = workspace.info(second, new_rel).item.request
    assert moved.auth.token == "{{bearer_token}}"
    values = {v.name: v.value for v in workspace.collections[second].collection.variables}
    assert values == {"bearer_token": "tok-moving-along-42"}
