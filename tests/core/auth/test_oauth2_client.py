"""The OAuth 2.0 client flows against Authlib's reference authorization server
(tests/support/oauth_server.py), with the loopback listener receiving the redirect for
real: every grant, both client authentications, the endpoint's errors as one line."""

from __future__ import annotations

import threading

import pytest
import requests

from explorer.core.auth import oauth2
from explorer.core.auth.loopback import LoopbackListener, listen_address
from explorer.core.auth.oauth2 import OAuth2Failure
from explorer.core.model import OAuth2, OAuth2Grant
from tests.support.oauth_server import running_provider


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


def settings(provider, **changes) -> OAuth2:
    values = dict(
        grant=OAuth2Grant.CLIENT_CREDENTIALS,
        auth_url=f"{provider.url}/authorize",
        token_url=f"{provider.url}/token",
        client_id="app",
        client_secret="app-secret",
        scope="read",
    )
    values.update(changes)
    return OAuth2(**values)


def follow_in_browser(url: str) -> threading.Thread:
    """What the person's browser does: open the authorization URL (consent given) and
    follow the redirect to the loopback listener."""
    thread = threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 5})
    thread.start()
    return thread


def test_client_credentials_with_basic_client_authentication(provider):
    token = oauth2.client_credentials(settings(provider))
    seen = provider.state.token_requests[-1]
    assert seen["grant_type"] == "client_credentials" and seen["_auth"].startswith("Basic ")
    assert "client_secret" not in seen
    assert token.scope == "read" and token.token_type.lower() == "bearer"
    assert token.expires_at is not None and not token.expired()
    answer = requests.get(
        f"{provider.url}/api/me", headers={"Authorization": f"Bearer {token.access_token}"}
    )
    assert answer.json() == {"client": "app", "user": None}


def test_client_credentials_in_the_body(provider):
    oauth2.client_credentials(settings(provider, client_auth="body"))
    seen = provider.state.token_requests[-1]
    assert seen["client_id"] == "app" and seen["client_secret"] == "app-secret"
    assert seen["_auth"] == ""


def test_password_grant(provider):
    token = oauth2.password_grant(
        settings(provider, grant=OAuth2Grant.PASSWORD), "alice", "wonderland"
    )
    assert token.refresh_token
    assert provider.state.by_access(token.access_token).user == "alice"


def test_the_endpoints_error_is_one_plain_line(provider):
    with pytest.raises(OAuth2Failure) as wrong_secret:
        oauth2.client_credentials(settings(provider, client_secret="nope"))
    message = str(wrong_secret.value)
    assert "\n" not in message
    assert "refused: invalid_client" in message and "client ID or secret is wrong" in message
    with pytest.raises(OAuth2Failure, match="invalid_scope"):
        oauth2.client_credentials(settings(provider, scope="admin"))


def test_unreachable_and_incomplete_settings(provider):
    with pytest.raises(OAuth2Failure, match=r"Could not reach the token endpoint .*refused"):
        oauth2.client_credentials(settings(provider, token_url="http://127.0.0.1:1/token"))
    with pytest.raises(OAuth2Failure, match="token URL is empty"):
        oauth2.client_credentials(settings(provider, token_url=""))
    with pytest.raises(OAuth2Failure, match="authorization URL is empty"):
        oauth2.authorization_request(settings(provider, auth_url=""), "http://127.0.0.1/x")


def test_an_oversized_answer_is_refused(provider):
    with pytest.raises(OAuth2Failure, match="answered more than 1024 KiB"):
        oauth2.client_credentials(settings(provider, token_url=f"{provider.url}/huge"))


def test_authorization_code_with_pkce_through_the_loopback_listener(provider):
    public = settings(
        provider,
        grant=OAuth2Grant.AUTHORIZATION_CODE,
        client_id="native",
        client_secret="",
        scope="read write",
    )
    with LoopbackListener() as listener:
        assert listener.redirect_uri.startswith("http://127.0.0.1:")
        started = oauth2.authorization_request(public, listener.redirect_uri)
        assert "code_challenge_method=S256" in started.url and started.state in started.url
        browser = follow_in_browser(started.url)
        code = listener.wait(started.state, timeout=5)
        browser.join(5)
    stored = provider.state.codes[code]
    assert stored.code_challenge_method == "S256" and stored.code_challenge
    token = oauth2.exchange_code(public, started, code)
    seen = provider.state.token_requests[-1]
    assert seen["code_verifier"] == started.code_verifier and seen["client_id"] == "native"
    assert token.scope == "read write" and token.refresh_token

    refreshed = oauth2.refresh(public, token.refresh_token)
    assert refreshed.access_token != token.access_token
    assert provider.state.token_requests[-1]["grant_type"] == "refresh_token"
    with pytest.raises(OAuth2Failure, match="invalid_grant"):  # the old one was revoked
        oauth2.refresh(public, token.refresh_token)


def test_a_redirect_with_another_state_is_refused():
    with LoopbackListener() as listener:
        answer: dict[str, requests.Response] = {}
        url = f"{listener.redirect_uri}?code=stolen&state=forged"
        browser = threading.Thread(target=lambda: answer.setdefault("r", requests.get(url)))
        browser.start()
        with pytest.raises(OAuth2Failure, match="another state than was sent"):
            listener.wait("expected", timeout=5)
        browser.join(5)
    assert answer["r"].status_code == 400 and "Sign-in failed" in answer["r"].text


def test_a_refusal_in_the_browser_and_a_cancel():
    with LoopbackListener("http://localhost:0/cb") as listener:
        port = listener._server.server_address[1]
        url = f"http://127.0.0.1:{port}/cb?error=access_denied&error_description=No+thanks&state=s"
        browser = threading.Thread(target=requests.get, args=(url,))
        browser.start()
        with pytest.raises(OAuth2Failure, match=r"refused: access_denied \(No thanks\)"):
            listener.wait("s", timeout=5)
        browser.join(5)
    with LoopbackListener() as listener:
        listener.cancel()
        with pytest.raises(OAuth2Failure, match="cancelled"):
            listener.wait("s")


def test_only_loopback_redirects_can_be_listened_on():
    assert listen_address("") == (0, "/callback")
    assert listen_address("http://127.0.0.1:8123/oauth/cb") == (8123, "/oauth/cb")
    with pytest.raises(OAuth2Failure, match="not on this machine"):
        listen_address("https://oauth.pstmn.io/v1/callback")


# pytest resets warning filters per test; the app keeps urllib3's warning off (oauth2.py).
@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_the_token_endpoint_is_reached_as_the_request_goes(provider, tmp_path):
    """A provider with a private CA or a self-signed certificate: the request's own TLS
    settings (Settings tab) apply to its token endpoint too."""
    from explorer.core.auth.oauth2 import Connection
    from explorer.core.model import Options
    from tests.support.oauth_server import create_app
    from tests.support.tls_server import self_signed_https_server

    with self_signed_https_server(tmp_path, create_app()) as (url, cert):
        secure = settings(provider, token_url=f"{url}/token")
        with pytest.raises(OAuth2Failure, match=r"failed the TLS check.*Settings tab"):
            oauth2.client_credentials(secure)
        unchecked = Connection.of(Options(verify_tls=False))
        assert oauth2.client_credentials(secure, unchecked).access_token
        trusted = Connection.of(Options(ca_bundle=str(cert)))
        assert oauth2.client_credentials(secure, trusted).access_token
    assert Connection.of(Options(timeout=5, proxy="http://p:3128")).session_options() == {
        "timeout": 5,
        "verify": True,
        "proxies": {"http": "http://p:3128", "https": "http://p:3128"},
    }
