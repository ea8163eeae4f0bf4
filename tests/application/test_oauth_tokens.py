"""OAuth 2.0 in a send: the token taken from the local secret store, refreshed when
expired, fetched without a person for client credentials and the password grant,
refused in one line for the code grant without one; attached as header or query; never
in a collection file, the history or `run`'s output. Against Authlib's reference server."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from explorer.application.oauth import ensure_token, token_source, with_token
from explorer.application.sending import Place, PreparedSend, prepare_send
from explorer.cli import main
from explorer.core.auth.oauth2 import OAuth2Failure
from explorer.core.auth.tokens import STORE_KEY, Token, TokenStore, token_name
from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, OAuth2, OAuth2Grant, Request
from explorer.core.storage.collection_files import CollectionStore
from explorer.core.storage.secrets import SecretStore
from tests.support.oauth_server import running_provider


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


def oauth(provider, grant=OAuth2Grant.CLIENT_CREDENTIALS, **changes) -> Auth:
    settings = OAuth2(
        grant=grant,
        auth_url=f"{provider.url}/authorize",
        token_url=f"{provider.url}/token",
        client_id="app",
        client_secret="app-secret",
        scope="read",
        **changes,
    )
    return Auth(AuthKind.OAUTH2, username="alice", password="wonderland", oauth2=settings)


def grants_asked(provider) -> list[str]:
    return [seen["grant_type"] for seen in provider.state.token_requests]


def test_client_credentials_are_fetched_once_then_reused(provider, tmp_path):
    store = TokenStore(SecretStore(tmp_path / "secrets.json"))
    auth = oauth(provider)
    before = len(provider.state.token_requests)
    first = ensure_token(auth, store)
    assert ensure_token(auth, store) == first
    assert grants_asked(provider)[before:] == ["client_credentials"]
    raw = json.loads((tmp_path / "secrets.json").read_text())["secrets"][STORE_KEY][""]
    assert list(raw) == [token_name(auth.oauth2)]  # keyed by a digest, not by the URL


def test_an_expired_token_is_refreshed_and_the_new_one_kept(provider, tmp_path):
    store = TokenStore(SecretStore(tmp_path / "secrets.json"))
    auth = oauth(provider, OAuth2Grant.PASSWORD)
    first = ensure_token(auth, store)
    assert first.refresh_token
    later = first.expires_at + 1  # type: ignore[operator]
    before = len(provider.state.token_requests)
    second = ensure_token(auth, store, now=later)
    assert grants_asked(provider)[before:] == ["refresh_token"]
    assert second.access_token != first.access_token
    assert store.get(auth.oauth2, "alice") == second
    # Another user of the same client has a token of their own.
    assert store.get(auth.oauth2, "bob") is None


def test_the_code_grant_needs_a_person_without_a_token(provider, tmp_path):
    store = TokenStore(SecretStore(tmp_path / "secrets.json"))
    auth = oauth(provider, OAuth2Grant.AUTHORIZATION_CODE)
    with pytest.raises(OAuth2Failure, match="get a token in the window first"):
        ensure_token(auth, store)
    store.put(auth.oauth2, Token("old", refresh_token="revoked", expires_at=1.0))
    with pytest.raises(OAuth2Failure, match=r"invalid_grant.*Get a new token in the window"):
        ensure_token(auth, store)


def test_the_token_is_attached_to_the_request_to_send_only(recording_server, tmp_path):
    from explorer.application.history import record_sent
    from explorer.application.sending import send
    from explorer.core.http.transport import Transport
    from explorer.core.storage.history import History

    for token_in in ("header", "query"):
        settings = OAuth2(token_in=token_in, header_prefix="Token", query_param="at")
        written = Request(
            url=f"{recording_server.url}/data", auth=Auth(AuthKind.OAUTH2, oauth2=settings)
        )
        token = Token("tok-123", refresh_token="rt-456")
        prepared = with_token(prepare_send(written, Place(), []), token)
        assert prepared.written.auth.token == ""
        assert {"tok-123", "rt-456"} <= prepared.sensitive
        response = send(Transport(), prepared)
        # The history keeps neither (the query's token is a sensitive value of the send).
        history = History(tmp_path / f"history-{token_in}.sqlite3")
        record_sent(history, prepared, response)
        history.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("history-*"))
    assert b"tok-123" not in stored and stored
    by_header, by_query = recording_server.take()
    assert by_header.header_text("Authorization") == "Token tok-123" and by_header.query == []
    assert by_query.query == [("at", "tok-123")]
    assert by_query.header_text("Authorization") is None


def test_run_gets_a_client_credentials_token_headless(provider, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("API_EXPLORER_HOME", str(home))
    secret = Variable("oauth_secret", "app-secret", secret=True)
    auth = oauth(provider)
    auth = replace(auth, oauth2=replace(auth.oauth2, client_secret="{{oauth_secret}}"))
    request = Request(name="me", url=f"{provider.url}/api/me", auth=auth)
    collection = Collection("Api", variables=(secret,), items=(RequestItem(request),))
    folder = tmp_path / "api"
    store = CollectionStore(folder)
    store.save(collection)
    SecretStore(home / "secrets.json").keep(store.collection_key, collection)

    assert main(["run", str(folder)]) == 0
    printed = capsys.readouterr()
    assert "200" in printed.out
    tokens = [t.access_token for t in provider.state.tokens]
    files = "".join(p.read_text() for p in folder.rglob("*") if p.is_file())
    assert not any(token in printed.out + printed.err + files for token in tokens)
    assert "app-secret" not in files

    # The code grant cannot be done headless: one line, exit status 1.
    code = replace(auth, oauth2=replace(auth.oauth2, grant=OAuth2Grant.AUTHORIZATION_CODE))
    store.save(replace(collection, items=(RequestItem(request.with_changes(auth=code)),)))
    assert main(["run", str(folder)]) == 1
    printed = capsys.readouterr()
    assert "get a token in the window first" in printed.out + printed.err
    assert "Traceback" not in printed.err


def test_the_engines_token_source_leaves_other_auth_alone(tmp_path):
    source = token_source(SecretStore(tmp_path / "secrets.json"))
    prepared = PreparedSend.as_is(Request(url="http://127.0.0.1/", auth=Auth(AuthKind.BEARER)))
    assert source(prepared) is prepared


def test_two_sends_with_an_expired_token_refresh_it_once(provider, tmp_path):
    import threading

    store = TokenStore(SecretStore(tmp_path / "secrets.json"))
    auth = oauth(provider, OAuth2Grant.PASSWORD)
    first = ensure_token(auth, store)
    store.put(auth.oauth2, replace(first, expires_at=1.0), "alice")  # expired long ago
    before = len(provider.state.token_requests)
    got: list[Token] = []
    sends = [threading.Thread(target=lambda: got.append(ensure_token(auth, store))) for _ in "ab"]
    for send in sends:
        send.start()
    for send in sends:
        send.join(5)
    assert grants_asked(provider)[before:] == ["refresh_token"]
    assert len(got) == 2 and got[0] == got[1]
