"""The window's history keeps requests as the user wrote them and no secret in any
encoding; every file the app writes in its data directory is 0600 (directory 0700),
with umask 022, after real use: sends, a failed send, drafts, globals, secrets,
preferences."""

from __future__ import annotations

import base64
import json
import os
import stat
from urllib.parse import quote, quote_plus

import pytest
from PySide6.QtCore import QThreadPool

from explorer.core.collection import Collection, Environment, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, Request
from explorer.core.storage.collection_files import save_collection
from explorer.gui import open_settings
from explorer.ui.window.main_window import MainWindow

pytestmark = pytest.mark.e2e
SECRET = 'k"ey\\ 50%+ñ-7f3a'  # quote, backslash, space, percent, plus, non-ASCII
PASSWORD = "pa55-Literal-c0de"


def forms(secret: str) -> list[bytes]:
    raw = secret.encode()
    texts = [
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        quote(secret, safe="").lower(),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    ]
    return [text.encode() for text in texts]


@pytest.fixture
def private_window(qtbot, tmp_path):
    """The real window on a data directory made as the app makes it, with umask 022."""
    old = os.umask(0o022)
    home = tmp_path / "data"
    window = MainWindow(open_settings(home))
    qtbot.addWidget(window)
    window.show()
    try:
        yield window, home
    finally:
        window.close()
        assert QThreadPool.globalInstance().waitForDone(10_000)
        os.umask(old)


def send(qtbot, window, tab) -> None:
    window.tabs.setCurrentWidget(tab)
    with qtbot.waitSignal(window.workspace.history_changed, timeout=15_000):
        window.send_action.trigger()


def test_history_and_data_files_hold_no_secret_and_are_private(
    qtbot, private_window, tmp_path, live_server
):
    window, home = private_window
    folder = tmp_path / "keys-api"
    written = Request(
        "GET",
        f"{live_server}/anything/keys",
        auth=Auth(AuthKind.API_KEY, key_name="key", key_value="{{api_key}}", key_in="query"),
        name="With key",
    )
    save_collection(Collection("Keys API", items=(RequestItem(written),)), folder)
    workspace = window.workspace
    window.panels.open_collection_folder(folder)
    root = folder.resolve()
    # Scratch tabs see globals only: the secret is a global there.
    workspace.save_globals(
        [Variable("greeting", "hello"), Variable("api_key", SECRET, secret=True)]
    )
    workspace.save_environments(
        root, [Environment("local", (Variable("api_key", SECRET, secret=True),))], {}
    )
    workspace.set_active_environment("local")

    tab = window.workspace_tabs.open_request(root, "with-key.yaml")
    send(qtbot, window, tab)
    echoed = json.loads(tab.last_response.read_body())
    assert echoed["args"] == {"key": SECRET}  # it went out, and came back echoed

    # A literal Basic password typed in a scratch tab, sent to the echo and to a port
    # where nothing listens (a failure is recorded too).
    scratch = window.new_tab()
    basic = Auth(AuthKind.BASIC, username="ada", password=PASSWORD)
    scratch.load(Request("GET", f"{live_server}/anything/basic", auth=basic), saved=False)
    send(qtbot, window, scratch)
    key = Auth(AuthKind.API_KEY, key_name="k", key_value="{{api_key}}", key_in="query")
    scratch.load(Request("GET", "http://127.0.0.1:9/{{greeting}}", auth=key), saved=False)
    send(qtbot, window, scratch)

    history = workspace.history
    first, second, third = (history.get(s.id) for s in reversed(history.search()))
    assert first.request.auth.key_value == "{{api_key}}"  # as written
    assert second.request.auth.password == "«redacted»"  # a literal credential
    assert third.summary.status == 0
    assert third.request.url == "http://127.0.0.1:9/{{greeting}}"
    assert third.request.auth.key_value == "{{api_key}}"
    assert "127.0.0.1:9/hello" in third.summary.url  # where it went, secret removed

    window.workspace_tabs.save_session()
    window.settings.sync()
    # Every file the app wrote, the history's -wal and -shm included (still open).
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in home.iterdir() if p.is_file()}
    expected = {
        "history.sqlite3",
        "history.sqlite3-wal",
        "history.sqlite3-shm",
        "session.json",
        "secrets.json",
        "globals.yaml",
        "settings.ini",
    }
    assert expected <= set(modes), modes
    assert {name: mode for name, mode in modes.items() if mode != 0o600} == {}
    assert stat.S_IMODE(home.stat().st_mode) == 0o700

    workspace.history.close()
    secrets_file = home / "secrets.json"
    for path in home.rglob("*"):
        if not path.is_file() or path == secrets_file:
            continue
        data = path.read_bytes()
        for form in [*forms(SECRET), *forms(PASSWORD), *forms(f"ada:{PASSWORD}")]:
            assert form not in data, (path.name, form)
