"""The whole slice as a person uses it: the window, the Server menu, Send, the response."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from explorer.core.model import Body, BodyKind
from explorer.qt.server_controller import ServerState
from tests.support.processes import children_of, command_line, is_alive

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def send_and_wait(qtbot, window, method: str, url: str, body: str = "") -> None:
    tab = window.current_tab()
    tab.editor.method_combo.setCurrentText(method)
    tab.editor.url_edit.setText(url)
    if body:
        json_body = Body(kind=BodyKind.RAW, text=body, content_type="application/json")
        tab.editor.body_editor.set_value(json_body)
    with qtbot.waitSignal(tab.runner.finished, timeout=15_000):
        window.send_action.trigger()


def test_start_server_send_get_and_post_then_stop(qtbot, window):
    with qtbot.waitSignal(window.server.ready, timeout=20_000):
        window.start_server_action.trigger()
    url = window.server.url
    assert url in window.server_status.text()
    assert not window.start_server_action.isEnabled()
    tab = window.current_tab()
    # The URL field suggests the server as `{{base_url}}/` only once its environment is
    # chosen (issue #15): offered, not chosen here, so the field stays empty.
    assert tab.editor.url_edit.text() == ""

    send_and_wait(qtbot, window, "GET", f"{url}/api/todos")
    view = tab.response_view
    assert view.summary.status_label.text() == "200 OK"
    assert view.summary.time_label.text().startswith("Time ")
    assert view.summary.size_label.text().startswith("Size ")
    qtbot.waitUntil(lambda: "title" in view.body_view.plain_text(), timeout=10_000)
    body = view.body_view.plain_text()
    todos = json.loads(body)
    first_title = todos["data"][0]["title"]
    assert first_title in body
    assert "\n  " in body  # pretty-printed
    header_names = [
        view.headers_table.item(r, 0).text() for r in range(view.headers_table.rowCount())
    ]
    assert "Content-Type" in header_names

    send_and_wait(qtbot, window, "POST", f"{url}/api/todos", '{"title": "Write the tests"}')
    assert view.summary.status_label.text() == "201 CREATED"
    location = tab.last_response.header("Location")
    assert "/api/todos/" in location
    qtbot.waitUntil(lambda: "Write the tests" in view.body_view.plain_text(), timeout=10_000)

    # The Server menu shows the server's own output, the POST's log line included.
    assert not window.show_log_action.isChecked()
    window.show_log_action.trigger()
    assert window.log_dock.isVisible() and window.show_log_action.isChecked()
    qtbot.waitUntil(lambda: "POST /api/todos" in window.server_log.toPlainText(), timeout=5000)
    window.log_dock.close()  # its own close button
    assert not window.show_log_action.isChecked()

    pid = window.server.pid
    window.stop_server_action.trigger()
    assert window.server.state == ServerState.STOPPED
    deadline = time.monotonic() + 3
    while is_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_alive(pid)
    assert "stopped" in window.server_status.text()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:1/", "Connection refused"),
        ("htp://x", "Unsupported URL scheme"),
        ("", "The URL is empty"),
    ],
)
def test_errors_are_shown_and_the_window_keeps_working(qtbot, window, url, words):
    tab = window.current_tab()
    tab.editor.url_edit.setText(url)
    with qtbot.waitSignal(tab.runner.failed, timeout=10_000):
        window.send_action.trigger()
    assert words in tab.response_view.error_page.title_label.text()
    assert tab.response_view.error_page.detail_label.text()
    assert tab.editor.send_button.text() == "Send"
    assert tab.editor.url_edit.isEnabled()


def test_cancel_turns_cancel_back_into_send(qtbot, window, live_server):
    tab = window.current_tab()
    tab.editor.url_edit.setText(f"{live_server}/delay/3")
    window.send_action.trigger()
    assert tab.editor.send_button.text() == "Cancel"
    with qtbot.waitSignal(tab.runner.cancelled, timeout=2000):
        window.cancel_action.trigger()
    assert tab.editor.send_button.text() == "Send"
    assert tab.response_view.summary.status_label.text() == "Cancelled"


def test_scheme_is_added_visibly(qtbot, window, live_server):
    tab = window.current_tab()
    tab.editor.url_edit.setText(live_server.removeprefix("http://") + "/health")
    with qtbot.waitSignal(tab.runner.finished, timeout=10_000):
        window.send_action.trigger()
    assert tab.editor.url_edit.text() == live_server + "/health"
    assert tab.editor.scheme_note.isVisibleTo(tab)


def test_theme_is_remembered(qtbot, window, tmp_path):
    window.light_action.trigger()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("theme") == "light"
    window.dark_action.trigger()
    assert (
        QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat).value("theme")
        == "dark"
    )


def test_open_server_log_is_reopened_next_time(qtbot, window, tmp_path):
    from explorer.ui.window.main_window import MainWindow

    window.show_log_action.trigger()
    window.close()  # saves the layout
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    assert again.log_dock.isVisible() and again.show_log_action.isChecked()
    again.close()


def test_response_tabs_are_built_while_idle_not_when_the_first_response_arrives(qtbot, window):
    # Building them takes ~30 ms: done in an idle turn once a tab is shown.
    qtbot.waitUntil(lambda: window.current_tab().response_view._parts is not None)
    tab = window.new_tab()
    assert tab.response_view._parts is None
    qtbot.waitUntil(lambda: tab.response_view._parts is not None)


def test_controls_have_accessible_names(window):
    editor = window.current_tab().editor
    for widget in (
        editor.method_combo,
        editor.url_edit,
        editor.send_button,
        editor.tabs,
        editor.params_table.table,
        editor.headers_editor,
        editor.body_editor.kind_combo,
        editor.auth_editor,
        editor.settings_editor,
    ):
        assert widget.accessibleName()


def _wait_for_server_child(app_pid: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in children_of(app_pid):
            if "bundled_server" in command_line(child):
                return child
        time.sleep(0.1)
    raise AssertionError("the app did not start the sample server")


@pytest.mark.parametrize("how", ["close", "sigkill"])
def test_server_never_outlives_the_app(tmp_path, how):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", API_EXPLORER_HOME=str(tmp_path))
    app = subprocess.Popen(
        [sys.executable, "main.py", "--start-server"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        server_pid = _wait_for_server_child(app.pid, 20)
        time.sleep(0.5)
        app.send_signal(signal.SIGKILL if how == "sigkill" else signal.SIGTERM)
        app.wait(10)
        deadline = time.monotonic() + 2
        while is_alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not is_alive(server_pid), f"server {server_pid} outlived the app ({how})"
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(5)
