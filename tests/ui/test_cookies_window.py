"""Cookies in the real window: one jar for every tab, kept across a restart (0600), the
manager's changes counting from the next send, and a request that leaves the jar out.
Real sends to the practice server and the recording server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import stat

import pytest
from PySide6.QtCore import QSettings, QThreadPool

from explorer.core.http.cookie_jar import CookieFields, cookies_of
from explorer.core.model import Options, Request
from explorer.core.storage.codec import options_from_data, options_to_data
from explorer.ui.window.request_tab import RequestTab


def send(qtbot, tab: RequestTab, url: str, options: Options | None = None) -> None:
    tab.load(Request(url=url, options=options or Options()))
    with qtbot.waitSignal(tab.runner.finished, timeout=15_000):
        tab.send()
    # The jar is written on the send's worker thread, after the response is handed on.
    assert QThreadPool.globalInstance().waitForDone(10_000)


def cookies_seen(tab: RequestTab) -> dict[str, str]:
    assert tab.last_response is not None
    return json.loads(tab.last_response.read_body())["cookies"]


def test_a_cookie_set_in_one_tab_is_sent_by_another_and_kept(window, qtbot, live_server):
    """Fails on the old code: each tab's runner had a jar of its own."""
    first = window.current_tab()
    second = window.new_tab()
    send(qtbot, first, f"{live_server}/cookies/set?flavour=oat")
    send(qtbot, second, f"{live_server}/cookies")
    assert cookies_seen(second) == {"flavour": "oat"}

    path = window.workspace.data_dir / "cookies.txt"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    from explorer.qt.workspace import Workspace

    settings = QSettings(str(window.workspace.data_dir / "other.ini"), QSettings.Format.IniFormat)
    again = Workspace(window.workspace.data_dir, settings)
    try:
        assert [(c.name, c.value) for c in cookies_of(again.cookies.jar())] == [("flavour", "oat")]
    finally:
        again.close()

    # The request's Settings switch: no cookie from the jar, none kept from the answer.
    second.load(Request(url=f"{live_server}/cookies/set?other=1"))
    page = second.editor.settings_editor
    page.cookies_check.setChecked(False)
    assert second.editor.request().options.send_cookies is False
    with qtbot.waitSignal(second.runner.finished, timeout=15_000):
        second.send()
    assert cookies_seen(second) == {"other": "1"}  # carried within its own redirect only
    assert QThreadPool.globalInstance().waitForDone(10_000)
    assert [c.name for c in cookies_of(window.workspace.cookies.jar())] == ["flavour"]


def test_the_manager_adds_edits_and_deletes_for_the_next_send(window, qtbot, recording_server):
    tab = window.current_tab()
    window.cookie_actions.action.trigger()
    manager = window.cookie_actions.dialog
    assert manager is not None
    qtbot.waitUntil(lambda: manager.add_button.isEnabled(), timeout=10_000)
    assert "jar is empty" in manager.empty_note.text()

    typed = CookieFields("token", "abc", "127.0.0.1", http_only=True)
    manager.ask_cookie = lambda _cookie, _domain: typed
    manager.add_cookie()
    assert manager.domain_list.count() == 2  # "All domains", 127.0.0.1
    assert manager.table.item(0, 1).text() == "abc"
    send(qtbot, tab, f"{recording_server.url}/one")
    assert recording_server.take()[-1].header_text("Cookie") == "token=abc"

    manager.table.selectRow(0)
    manager.ask_cookie = lambda cookie, _domain: CookieFields(
        "token", "xyz", cookie.domain, cookie.path
    )
    manager.edit_selected()
    send(qtbot, tab, f"{recording_server.url}/two")
    assert recording_server.take()[-1].header_text("Cookie") == "token=xyz"

    manager.search_edit.setText("nothing-like-it")
    assert manager.table.rowCount() == 0 and "No cookie matches" in manager.empty_note.text()
    manager.search_edit.setText("tok")
    manager.table.selectRow(0)
    manager.delete_selected()
    send(qtbot, tab, f"{recording_server.url}/three")
    assert recording_server.take()[-1].header("Cookie") is None
    qtbot.waitUntil(lambda: "token" not in window.workspace.cookies.path.read_text(), timeout=5000)

    manager.ask_cookie = lambda _cookie, _domain: CookieFields("a", "1", "example.com")
    manager.add_cookie()
    manager.confirm = lambda _question: False
    manager.clear_all()
    assert len(cookies_of(window.workspace.cookies.jar())) == 1  # declined: nothing lost
    manager.confirm = lambda _question: True
    manager.clear_all()
    assert cookies_of(window.workspace.cookies.jar()) == []


def test_the_response_opens_the_manager(window, qtbot):
    window.current_tab().response_view.manage_cookies_requested.emit()
    assert window.cookie_actions.dialog is not None
    assert window.cookie_actions.dialog.isVisible()
    assert window.cookie_actions.action in window.request_menu.actions()


def test_an_unreadable_jar_is_reported_in_the_status_bar(qtbot, tmp_path):
    from explorer.ui.window.main_window import MainWindow

    (tmp_path / "cookies.txt").write_text("not\ta cookie line\n", encoding="utf-8")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: "cookie file" in window.statusBar().currentMessage(), timeout=5000)
        assert "kept as cookies.txt.unreadable-" in window.statusBar().currentMessage()
        assert any(p.name.startswith("cookies.txt.unreadable-") for p in tmp_path.iterdir())
    finally:
        window.close()


@pytest.mark.parametrize("send_cookies", [True, False])
def test_the_switch_is_written_only_when_off(send_cookies):
    data = options_to_data(Options(send_cookies=send_cookies))
    assert data == ({} if send_cookies else {"send_cookies": False})
    assert options_from_data(data).send_cookies is send_cookies
