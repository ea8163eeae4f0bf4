"""The sample server on a fixed port from the preferences, falling back to a free one
when it is taken (said in the status bar); its environment offered, never chosen for
the user; its log as text; Open in browser saying what happened (issue #15)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import requests
from PySide6.QtWidgets import QApplication

from explorer.core.collection import Collection, Environment
from explorer.core.storage.collection_files import save_collection
from explorer.qt.server_controller import (
    DEFAULT_SERVER_PORT,
    SERVER_PORT_SETTING,
    configured_port,
    strip_ansi,
)

pytestmark = pytest.mark.e2e


def test_a_taken_port_falls_back_the_selection_stays_and_the_log_is_text(
    qtbot, window, tmp_path: Path
):
    folder = tmp_path / "shop"
    save_collection(Collection("Shop", environments=(Environment("dev"),)), folder)
    window.panels.open_collection_folder(folder)
    window.workspace.select_environment(folder.resolve(), "dev")
    with socket.socket() as taken:  # a port we hold: the server cannot have it
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        window.settings.setValue(SERVER_PORT_SETTING, port)
        with qtbot.waitSignal(window.server.ready, timeout=20_000) as ready:
            window.start_server_action.trigger()
        url = ready.args[0]
        assert not url.endswith(f":{port}")
        assert window.server.fell_back_from == port
        assert requests.get(f"{url}/health", timeout=5).status_code == 200
        running_on = url.rsplit(":", 1)[1]
        assert f"Port {port} is in use: the sample server runs on {running_on}" in (
            window.statusBar().currentMessage()
        )
        # The Sample API is installed and its environment offered; the toolbar keeps
        # the user's choice.
        panels = window.panels
        qtbot.waitUntil(lambda: panels.offer_button is not None and panels.offer_button.isVisible(),
                        timeout=20_000)  # fmt: skip
        assert panels.environment_combo.label() == "dev — Shop"
        assert window.workspace.active_environment == "dev"
        assert f"sets base_url = {url} (not selected)" in window.statusBar().currentMessage()
        sample = window.workspace.collections[panels._offered[0]]
        assert sample.environment("Sample server").variables[0].value == url

        # Werkzeug colours a 404's log line: the log view shows it as text.
        assert requests.get(f"{url}/no-such-page", timeout=5).status_code == 404
        log = window.server_log
        qtbot.waitUntil(lambda: "/no-such-page" in log.toPlainText(), timeout=5000)
        line = next(x for x in log.toPlainText().splitlines() if "/no-such-page" in x)
        assert "\x1b" not in line and '"GET /no-such-page HTTP/1.1" 404' in line

        # Open in browser: what happened either way, never silence.
        opened: list[str] = []
        window.open_url = lambda target: bool(opened.append(target.toString()))
        window.open_server_action.trigger()
        assert opened == [f"{url}/"]
        assert f"No web browser could be started. {url}/ is copied" in (
            window.statusBar().currentMessage()
        )
        assert QApplication.clipboard().text() == f"{url}/"
        # Started is all Qt knows (xdg-open ran), not that a browser appeared: the
        # address is copied then too, and the line does not claim more.
        QApplication.clipboard().setText("")
        window.open_url = lambda _target: True
        window.open_server_action.trigger()
        assert window.statusBar().currentMessage() == (
            f"Sent {url}/ to the web browser (also copied, in case none opens)."
        )
        assert QApplication.clipboard().text() == f"{url}/"
        window.stop_server_action.trigger()
    assert not panels.offer_button.isVisible()  # no server, no offer


def test_escape_sequences_and_port_settings_are_read_plainly():
    coloured = '\x1b[33m127.0.0.1 - - "GET /x HTTP/1.1" 404 -\x1b[0m\x1b]0;t\x07'
    assert strip_ansi(coloured) == '127.0.0.1 - - "GET /x HTTP/1.1" 404 -'
    assert configured_port("9000") == 9000 and configured_port(0) == 0
    for bad in ("x", -1, 70000, None):
        assert configured_port(bad) == DEFAULT_SERVER_PORT
