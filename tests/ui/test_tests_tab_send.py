"""After a Send in the window: the response's Tests tab lists each assertion passed or
failed with its actual value (failures first, a count in the tab's title), the check
runs on the send's worker thread (never the GUI thread), captured values feed the next
send's `{{variables}}`, a secret capture is masked in the Tests tab and redacted from
the history, and a capture marked "to environment" is written to the active
environment. The real window, the real practice server, real files."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import yaml

from explorer.application import checking
from explorer.core.collection import Collection, Environment, RequestItem, Variable
from explorer.core.model import Assertion, Body, BodyKind, Capture, Operator, Pair, Request, Subject
from explorer.core.storage.collection_files import save_collection
from explorer.ui.response.tests_view import FAILED, PASSED, SECRET_MARK
from tests.support.threads import record_threads

LOGIN_BODY = json.dumps({"username": "ada", "password": "analytical"})


def send_and_check(qtbot, tab) -> None:
    """Send and wait until the response's checks are shown."""
    with qtbot.waitSignals([tab.runner.finished, tab.runner.checked], timeout=15_000):
        tab.send()


def results_shown(tab) -> list[list[str]]:
    return tab.response_view.parts.tests_view.results_table.row_texts()


def latest_entry(window):
    history = window.workspace.history
    return history.get(history.search(limit=1)[0].id)


def title_of_tests(tab) -> str:
    parts = tab.response_view.parts
    return parts.tabText(parts.indexOf(parts.tests_view))


def test_passed_and_failed_assertions_are_listed_failures_first(qtbot, window, live_server):
    tab = window.current_tab()
    tab.editor.set_request(Request(url=f"{live_server}/anything/x?q=1", assertions=(
        Assertion(Subject.STATUS, Operator.EQ, "200"),
        Assertion(Subject.JSONPATH, Operator.EQ, '"POST"', "$.method"),
        Assertion(Subject.JSONPATH, Operator.EQ, "2", "$.args.q"),
        Assertion(Subject.HEADER, Operator.CONTAINS, "json", "Content-Type"),
        Assertion(Subject.STATUS, Operator.EQ, "500", enabled=False),  # not checked
    )))  # fmt: skip

    send_and_check(qtbot, tab)

    rows = results_shown(tab)
    assert [row[0] for row in rows] == [FAILED, FAILED, PASSED, PASSED]
    assert rows[0][1:] == ['jsonpath $.method == "POST"', '"POST"', "GET", "request"]
    assert rows[1][1:] == ["jsonpath $.args.q == 2", "2", "1", "request"]
    assert rows[2][1:] == ["status == 200", "200", "200", "request"]
    assert title_of_tests(tab) == "Tests 2/4"
    summary = tab.response_view.parts.tests_view.summary.text()
    assert summary == "2 of 4 assertions failed."


def test_the_check_runs_off_the_gui_thread(qtbot, window, live_server, monkeypatch):
    threads = record_threads(monkeypatch, checking, ("check_response",), delay=0.2)
    tab = window.current_tab()
    ok = Assertion(Subject.STATUS, Operator.EQ, "200")
    tab.editor.set_request(Request(url=f"{live_server}/anything", assertions=(ok,)))
    with qtbot.waitSignal(tab.runner.finished, timeout=10_000):
        tab.send()
    # The response is shown while its check is still running elsewhere.
    assert title_of_tests(tab) == "Tests …"
    qtbot.waitUntil(lambda: title_of_tests(tab) == "Tests 1/1", timeout=10_000)
    assert len(threads["check_response"]) == 1
    assert threads["check_response"][0] is not threading.main_thread()


def test_a_request_without_assertions_is_not_checked(qtbot, window, live_server, monkeypatch):
    threads = record_threads(monkeypatch, checking, ("check_response",))
    tab = window.current_tab()
    tab.editor.url_edit.setText(f"{live_server}/anything")
    with qtbot.waitSignal(window.workspace.history_changed, timeout=10_000):
        tab.send()
    assert threads["check_response"] == []
    assert title_of_tests(tab) == "Tests"


@pytest.fixture
def api(window, tmp_path, live_server) -> Path:
    """A collection whose login captures a secret token that the next request uses."""
    login = Request(
        "POST", "{{base}}/auth/token", name="Login",
        headers=(Pair("Content-Type", "application/json"),),
        body=Body(kind=BodyKind.RAW, text=LOGIN_BODY, content_type="application/json"),
        assertions=(Assertion(Subject.STATUS, Operator.EQ, "200"),
                    Assertion(Subject.JSONPATH, Operator.EXISTS, "", "$.access_token")),
        captures=(Capture("token", Subject.JSONPATH, "$.access_token", secret=True),
                  Capture("kind", Subject.JSONPATH, "$.token_type", to_environment=True)),
    )  # fmt: skip
    me = Request(
        "GET", "{{base}}/auth/me", name="Me",
        headers=(Pair("Authorization", "Bearer {{token}}"),),
        assertions=(Assertion(Subject.JSONPATH, Operator.EQ, "ada", "$.username"),),
    )  # fmt: skip
    collection = Collection(
        "API", items=(RequestItem(login), RequestItem(me)),
        variables=(Variable("base", live_server),),
        environments=(Environment("local", (Variable("kind", "none"),)),),
    )  # fmt: skip
    folder = tmp_path / "api"
    save_collection(collection, folder)
    window.panels.open_collection_folder(folder)
    window.workspace.set_active_environment("local")
    return folder.resolve()


def test_a_capture_feeds_the_next_send_and_a_secret_one_stays_masked(qtbot, window, api):
    tabs = window.workspace_tabs
    login = tabs.open_request(api, "login.yaml")
    with qtbot.waitSignal(window.workspace.history_changed, timeout=15_000):
        send_and_check(qtbot, login)
    assert title_of_tests(login) == "Tests 2/2"
    captured = login.response_view.parts.tests_view.captured_table.row_texts()
    assert captured[0] == ["token", SECRET_MARK, "request"]
    assert captured[1] == ["kind → environment", "Bearer", "request"]
    token = json.loads(login.last_response.body)["access_token"]
    assert token not in json.dumps(captured)
    shown = results_shown(login)
    assert shown[1][1:4] == ["jsonpath $.access_token exists", "", "•••"]  # actual masked
    assert token not in json.dumps(shown)
    scope = window.workspace.captured(api)
    assert scope is not None and scope.values["token"] == token and "token" in scope.secret

    # The history keeps the exchange with the captured secret redacted from the body.
    entry = latest_entry(window)
    assert entry.summary.url.endswith("/auth/token")
    assert token not in entry.response_body.decode("utf-8", "replace")

    me = tabs.open_request(api, "me.yaml")
    with qtbot.waitSignal(window.workspace.history_changed, timeout=15_000):
        send_and_check(qtbot, me)
    assert me.last_response.status == 200  # {{token}} resolved from the captured scope
    assert results_shown(me)[0][0] == PASSED
    sent = me.last_response.sent.headers
    assert ("Authorization", f"Bearer {token}") in sent
    entry = latest_entry(window)
    assert entry.summary.url.endswith("/auth/me")
    assert token not in json.dumps([entry.request_headers, entry.response_body.decode()])


def test_a_capture_marked_to_environment_is_written_there(qtbot, window, api):
    login = window.workspace_tabs.open_request(api, "login.yaml")
    send_and_check(qtbot, login)

    def written() -> bool:
        data = yaml.safe_load((api / "environments" / "local.yaml").read_text("utf-8"))
        return {"name": "kind", "value": "Bearer"} in data.get("variables", [])

    def shown() -> bool:
        environment = window.workspace.collections[api].environment("local")
        return environment.variables == (Variable("kind", "Bearer"),)

    qtbot.waitUntil(shown, timeout=10_000)  # the workspace reads it back after the write
    assert written()
    assert "into the environment local" in window.statusBar().currentMessage()


def test_captured_values_are_highlighted_as_defined(qtbot, window, api):
    me = window.workspace_tabs.open_request(api, "me.yaml")
    scopes_before = window.workspace.scopes(api)
    assert all(s.name != "captured" for s in scopes_before)
    login = window.workspace_tabs.open_request(api, "login.yaml")
    send_and_check(qtbot, login)
    names = [s.name for s in window.workspace.scopes(api)]
    # Named for people: which collection, and where the environment lives (issue #15).
    assert names == ["global", "collection API", "environment local (API)", "captured"]
    from explorer.ui.widgets.variable_highlight import describe

    tip = describe("token", window.workspace.scopes(api))
    assert "captured" in tip and "••" in tip  # a secret's value is masked in the hover
    del me


def test_captured_values_are_listed_in_the_variables_dialog(qtbot, window, api):
    login = window.workspace_tabs.open_request(api, "login.yaml")
    send_and_check(qtbot, login)
    dialog = window.panels.edit_variables(api)
    qtbot.addWidget(dialog)
    table = dialog.captured_table
    assert table.isVisibleTo(dialog)
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows == {"token": "••••••••", "kind": "Bearer"}  # the secret one masked
    assert "Captured in this window session (2)" in dialog.captured_label.text()
    dialog.reveal_check.setChecked(True)
    token = json.loads(login.last_response.body)["access_token"]
    assert table.item(0, 1).text() == token
    dialog.forget_button.click()
    assert window.workspace.captured(api) is None
    assert not table.isVisibleTo(dialog)


def test_the_result_marks_follow_a_theme_switch(qtbot, window, live_server, qapp):
    from PySide6.QtGui import QColor

    from explorer.ui.widgets.theme import Theme, apply_theme, current_theme, palette

    tab = window.current_tab()
    ok = Assertion(Subject.STATUS, Operator.EQ, "200")
    tab.editor.set_request(Request(url=f"{live_server}/anything", assertions=(ok,)))
    send_and_check(qtbot, tab)
    mark = tab.response_view.parts.tests_view.results_table.item(0, 0)
    before = current_theme()
    assert mark.foreground().color() == QColor(palette(before).success)
    other = Theme.LIGHT if before == Theme.DARK else Theme.DARK
    try:
        apply_theme(qapp, other)
        qtbot.waitUntil(lambda: mark.foreground().color() == QColor(palette(other).success))
    finally:
        qapp.setStyleSheet("")
        qapp.setProperty("explorerTheme", None)


def test_a_large_body_is_checked_in_a_child_process(qtbot, window, live_server, monkeypatch):
    """Parsing tens of MB of JSON holds the GIL: above ISOLATE_ABOVE the check runs in
    another process, so this process never calls check_response for it."""
    from explorer.application import isolated_check

    threads = record_threads(monkeypatch, checking, ("check_response",))
    size_mib = isolated_check.ISOLATE_ABOVE // (1024 * 1024) + 1
    tab = window.current_tab()
    tab.editor.set_request(Request(url=f"{live_server}/large/{size_mib}", assertions=(
        Assertion(Subject.JSONPATH, Operator.EQ, "1", "$[0].id"),
        Assertion(Subject.JSONPATH, Operator.EQ, "-1", "$[1].id"),
    )))  # fmt: skip
    send_and_check(qtbot, tab)
    assert tab.last_response.body_size > isolated_check.ISOLATE_ABOVE
    rows = results_shown(tab)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (FAILED, "jsonpath $[1].id == -1", "2"),
        (PASSED, "jsonpath $[0].id == 1", "1"),
    ]
    assert threads["check_response"] == []  # it ran in the child
