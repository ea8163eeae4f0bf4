"""Sending from a collection: scopes, inheritance, the unresolved warning, the history
(searched, reopened, redacted) against the practice server in a thread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, Pair, Request
from explorer.core.storage.collection_files import save_collection

SECRET = "tok-SECRET-9f83"


@pytest.fixture
def echo_collection(window, tmp_path, live_server) -> Path:
    folder = tmp_path / "echo-api"
    request = Request(
        "GET",
        "{{base}}/anything/{{who}}",
        params=(Pair("q", "{{greeting}}"),),
        auth=Auth(kind=AuthKind.INHERIT),
        name="Echo who",
    )
    save_collection(
        Collection(
            "Echo API",
            auth=Auth(kind=AuthKind.BEARER, token="{{token}}"),
            items=(
                Folder(
                    "Echo", headers=(Pair("X-Folder", "{{who}}"),), items=(RequestItem(request),)
                ),
            ),
        ),
        folder,
    )
    workspace = window.workspace
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    workspace.save_globals([Variable("greeting", "hello-global"), Variable("who", "global-who")])
    workspace.save_collection_variables(root, [Variable("base", live_server)])
    workspace.save_environments(
        root,
        [Environment("local", (Variable("token", SECRET, secret=True), Variable("who", "ada")))],
        {},
    )
    combo = window.panels.environment_combo
    index = combo.findData("local")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert workspace.active_environment == "local"
    return root


def send(qtbot, window, tab) -> None:
    """Send, and wait until the exchange is in the history too (stored off the GUI
    thread)."""
    window.tabs.setCurrentWidget(tab)
    signals = [tab.runner.finished, window.workspace.history_changed]
    with qtbot.waitSignals(signals, timeout=10_000):
        window.send_action.trigger()


def files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()]


def test_variables_and_inheritance_are_applied_and_secrets_stay_out(
    qtbot, window, echo_collection, tmp_path
):
    tab = window.workspace_tabs.open_request(echo_collection, "echo/echo-who.yaml")
    send(qtbot, window, tab)
    echoed = json.loads(tab.last_response.read_body())
    assert echoed["path"] == "/anything/ada"  # environment beats global
    assert echoed["args"] == {"q": "hello-global"}  # global
    assert echoed["headers"]["Authorization"] == f"Bearer {SECRET}"  # collection auth
    assert echoed["headers"]["X-Folder"] == "ada"  # folder header, resolved

    # Hovering the URL explains each variable; the secret stays masked.
    binding = window.workspace_tabs.bindings[tab]
    url_highlighter = next(h for h in binding.highlighters if h.edit is tab.editor.url_edit)
    assert [(name, ok) for _s, _e, name, ok in url_highlighter.spans()] == [
        ("base", True),
        ("who", True),
        ("greeting", True),
    ]
    from explorer.ui.widgets.variable_highlight import describe

    scopes = window.workspace.scopes(echo_collection)
    # The hover says where the environment lives (issue #15).
    assert describe("who", scopes) == "{{who}} = ada\nfrom environment local (Echo API)"
    assert SECRET not in describe("token", scopes)
    assert "not defined" in describe("nope", scopes)

    window.workspace_tabs.save_session()
    window.workspace.history.close()
    for path in files_under(echo_collection) + files_under(tmp_path):
        if path.name == "secrets.json":
            continue
        assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET in (tmp_path / "secrets.json").read_text()
    assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600


def test_unresolved_variables_warn_before_sending(qtbot, window, echo_collection, live_server):
    tab = window.current_tab()
    tab.editor.url_edit.setText(live_server + "/anything/{{nobody}}")
    asked: list[list[str]] = []
    window.workspace_tabs.confirm_unresolved = lambda names: asked.append(names) or False
    before = window.workspace.history.count()
    window.send_action.trigger()
    assert asked == [["nobody"]]
    assert not tab.editor.busy  # cancelled: nothing was sent
    assert window.workspace.history.count() == before

    window.workspace_tabs.confirm_unresolved = lambda names: asked.append(names) or True
    send(qtbot, window, tab)
    assert json.loads(tab.last_response.read_body())["path"] == "/anything/{{nobody}}"
    assert window.workspace.history.count() == before + 1


def test_history_is_searched_and_reopened_with_its_response(
    qtbot, window, echo_collection, live_server
):
    tab = window.workspace_tabs.open_request(echo_collection, "echo/echo-who.yaml")
    send(qtbot, window, tab)
    tab.editor.url_edit.setText(live_server + "/status/404")
    send(qtbot, window, tab)
    panel = window.panels.history_panel
    assert panel.tree.topLevelItem(0).text(0) == "Today"
    assert panel.tree.topLevelItem(0).childCount() == 2

    panel.search_edit.setText("hello-global")  # a word of the echoed body
    panel.refresh()
    group = panel.tree.topLevelItem(0)
    assert group.childCount() == 1
    assert "/anything/ada" in group.child(0).text(0)
    panel.search_edit.setText("404")
    panel.refresh()
    assert panel.tree.topLevelItem(0).child(0).text(1) == "404"

    panel.search_edit.setText("hello-global")
    panel.refresh()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0).child(0))
    count = window.tabs.count()
    panel.open_button.click()
    assert window.tabs.count() == count + 1
    reopened = window.current_tab()
    assert reopened.editor.url_edit.text() == "{{base}}/anything/{{who}}?q={{greeting}}"
    assert reopened.response_view.summary.status_label.text().startswith("200")
    body_view = reopened.response_view.body_view
    qtbot.waitUntil(lambda: "hello-global" in body_view.plain_text(), timeout=5000)

    panel.tree.setCurrentItem(panel.tree.topLevelItem(0).child(0))
    with qtbot.waitSignal(panel.deleted, timeout=10_000) as deleted:  # off the GUI thread
        assert panel.delete_selected() == 1
    assert deleted.args == [1]
    panel.search_edit.setText("")
    panel.refresh()
    assert window.workspace.history.count() == 1
    panel.confirm_clear = lambda: True
    with qtbot.waitSignal(panel.deleted, timeout=10_000) as deleted:
        panel.clear_button.click()
    assert deleted.args == [1]
    assert window.workspace.history.count() == 0
    assert panel.tree.topLevelItemCount() == 0
