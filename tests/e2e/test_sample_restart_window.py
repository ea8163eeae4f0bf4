"""Restarting the practice server refreshes "Sample API" around what the user saved in it."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.e2e


def start_and_wait_for_sample(qtbot, window):
    window.statusBar().clearMessage()
    with qtbot.waitSignal(window.server.ready, timeout=20_000):
        window.start_server_action.trigger()
    qtbot.waitUntil(
        lambda: "collection is ready" in window.statusBar().currentMessage(), timeout=20_000
    )
    return next(c for c in window.workspace.collections.values() if c.name == "Sample API")


def test_a_request_saved_into_sample_api_survives_a_server_restart(qtbot, window):
    sample = start_and_wait_for_sample(qtbot, window)
    root = sample.root
    tabs = window.workspace_tabs
    tabs.ask_save_target = lambda name, _root, folder: (root, "", "My own request")
    tab = window.current_tab()
    tab.editor.url_edit.setText("{{base_url}}/health?mine=1")
    with qtbot.waitSignal(tabs.save_finished, timeout=10_000) as saved:
        assert tabs.save(tab)
    assert saved.args[1]  # the file is written off the GUI thread; this is its outcome
    mine = root / "my-own-request.yaml"
    saved = mine.read_bytes()
    window.stop_server_action.trigger()

    sample = start_and_wait_for_sample(qtbot, window)

    assert mine.read_bytes() == saved
    names = [item.name for item in sample.collection.items]
    assert names[-1] == "My own request"  # where it was saved: last in the collection
    assert yaml.safe_load(saved)["params"] == [{"name": "mine", "value": "1"}]
    environment = sample.environment("Sample server")
    assert environment.variables[0].value == window.server.url
    window.stop_server_action.trigger()
