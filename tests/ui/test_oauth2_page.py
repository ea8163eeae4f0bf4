"""The Auth tab's OAuth 2.0 page against Authlib's reference authorization server: the
token panel gets, shows (masked, with expiry and scopes), refreshes and clears a token;
the code grant goes through the browser (here: requests following the authorization
URL) and the loopback listener; errors are one line; a sign-in can be cancelled. And a
Send in the real window takes its token from the store."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
import requests
from PySide6.QtWidgets import QLineEdit

from explorer.core.auth.oauth2 import Connection
from explorer.core.auth.tokens import TokenStore
from explorer.core.model import Auth, AuthKind, OAuth2, OAuth2Grant, Request
from explorer.core.storage.secrets import SecretStore
from explorer.qt.oauth_flow import OAuthJobs
from explorer.ui.request.auth.oauth2_page import OAuth2Page
from explorer.ui.request.auth_editor import AuthEditor
from tests.support.oauth_server import running_provider


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


class Host:
    """The window's part, with a private secret store."""

    def __init__(self, parent, path):
        self.jobs = OAuthJobs(parent)
        self.store = TokenStore(SecretStore(path))

    def resolved(self, _page, auth):
        return auth

    def token_store(self):
        return self.store

    def connection(self, _page, _auth):
        return Connection()


@pytest.fixture
def page(qtbot, tmp_path, monkeypatch):
    editor = AuthEditor()
    qtbot.addWidget(editor)
    host = Host(editor, tmp_path / "secrets.json")
    monkeypatch.setattr(OAuth2Page, "host", host)
    editor.show()
    page = editor.pages[AuthKind.OAUTH2]
    page.editor = editor
    page.test_host = host
    yield page
    page.cancel_sign_in()
    assert host.jobs.wait(5000)


def auth(provider, grant, **changes) -> Auth:
    settings = OAuth2(
        grant=grant,
        auth_url=f"{provider.url}/authorize",
        token_url=f"{provider.url}/token",
        client_id="app",
        client_secret="app-secret",
        scope="read",
    )
    return Auth(AuthKind.OAUTH2, oauth2=replace(settings, **changes))


def browser(qurl) -> bool:
    """The system browser: opens the URL, the consent is given, the redirect followed."""
    threading.Thread(target=requests.get, args=(qurl.toString(),), kwargs={"timeout": 5}).start()
    return True


def test_client_credentials_token_shown_masked_then_cleared(qtbot, page, provider):
    page.editor.set_value(auth(provider, OAuth2Grant.CLIENT_CREDENTIALS))
    assert not page.auth_url_edit.isVisible() and not page.username_edit.isVisible()
    qtbot.mouseClick(page.get_button, qtbot_left())
    qtbot.waitUntil(lambda: page.expiry_label.text() == "expires in 60 min", timeout=5000)
    token = page.token_field.line_edit.text()
    assert provider.state.by_access(token) is not None
    assert page.token_field.line_edit.echoMode() == QLineEdit.EchoMode.Password
    assert page.scopes_label.text() == "read" and page.refresh_label.text() == "no"
    assert not page.refresh_button.isEnabled()
    assert page.test_host.store.get(page.settings()) is not None

    qtbot.mouseClick(page.clear_button, qtbot_left())
    qtbot.waitUntil(lambda: page.expiry_label.text() == "no token yet", timeout=5000)
    assert page.test_host.store.get(page.settings()) is None
    assert page.token_field.line_edit.text() == ""


def test_code_grant_in_the_browser_then_refresh(qtbot, page, provider):
    page.open_url = browser
    page.editor.set_value(auth(provider, OAuth2Grant.AUTHORIZATION_CODE, scope="read write"))
    assert page.redirect_edit.placeholderText() == "loopback on 127.0.0.1 (automatic)"
    qtbot.mouseClick(page.get_button, qtbot_left())
    qtbot.waitUntil(lambda: page.refresh_label.text() == "yes", timeout=5000)
    first = page.token_field.line_edit.text()
    assert page.scopes_label.text() == "read write"
    assert provider.state.token_requests[-1]["code_verifier"]  # PKCE was used

    qtbot.mouseClick(page.refresh_button, qtbot_left())
    qtbot.waitUntil(lambda: page.status_label.text() == "Refreshed.", timeout=5000)
    assert page.token_field.line_edit.text() != first
    assert provider.state.token_requests[-1]["grant_type"] == "refresh_token"


def test_a_refusal_is_one_line_and_a_sign_in_can_be_cancelled(qtbot, page, provider):
    page.editor.set_value(auth(provider, OAuth2Grant.CLIENT_CREDENTIALS, client_secret="no"))
    qtbot.mouseClick(page.get_button, qtbot_left())
    qtbot.waitUntil(lambda: "invalid_client" in page.status_label.text(), timeout=5000)
    assert page.status_label.role == "error" and "\n" not in page.status_label.text()

    opened: list[str] = []
    page.open_url = lambda qurl: opened.append(qurl.toString()) or True
    page.editor.set_value(auth(provider, OAuth2Grant.AUTHORIZATION_CODE))
    qtbot.mouseClick(page.get_button, qtbot_left())
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert "Waiting for the sign-in in the browser" in page.status_label.text()
    assert page.cancel_button.isVisible() and not page.get_button.isEnabled()
    qtbot.mouseClick(page.cancel_button, qtbot_left())
    assert page.status_label.text() == "Sign-in cancelled." and page.get_button.isEnabled()
    assert page.test_host.jobs.wait(5000)  # the listener stopped waiting at once


def test_a_send_in_the_window_takes_its_token(qtbot, window, provider):
    tab = window.current_tab()
    password = replace(
        auth(provider, OAuth2Grant.PASSWORD), username="alice", password="wonderland"
    )
    request = Request(url=f"{provider.url}/api/me", auth=password)
    tab.editor.set_request(request)
    tab.send()
    qtbot.waitUntil(lambda: tab.last_response is not None, timeout=5000)
    assert tab.last_response.status == 200
    token = provider.state.tokens[-1].access_token
    assert ("Authorization", f"Bearer {token}") in tab.last_response.sent.headers
    assert tab.editor.request().auth.token == ""  # the token never reaches the editor

    # The code grant without a token: nothing is sent, the line says why.
    tab.editor.set_request(
        request.with_changes(auth=auth(provider, OAuth2Grant.AUTHORIZATION_CODE))
    )
    tab.send()
    error = tab.response_view.error_page.title_label
    qtbot.waitUntil(lambda: "get a token in the window first" in error.text(), timeout=5000)
    assert error.isVisible() and not tab.editor._busy


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_what_is_missing_is_said_in_one_line(qtbot, page):
    page.editor.set_value(Auth(AuthKind.OAUTH2))
    assert page.editor.problems() == [
        "OAuth 2.0: fill in the authorization URL, token URL and client ID"
    ]
    qtbot.mouseClick(page.get_button, qtbot_left())
    assert page.status_label.text() == page.editor.problems()[0]
