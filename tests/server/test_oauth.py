"""The practice server's OAuth 2.0 authorization server, driven as a client would drive it.

The full authorization-code flow with PKCE runs over a real socket with `requests` (a
browser's cookies, the consent form, the redirect to a loopback port, the token
exchange); the rest uses Flask's test client on a fresh app per test. Expiry is seen by
moving the store's clock, never by sleeping.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import re
import secrets
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from bundled_server import create_app
from bundled_server.oauth.clients import is_loopback_redirect
from bundled_server.oauth.store import (
    ACCESS_TOKEN_LIFETIME,
    CODE_LIFETIME,
    MAX_CODES,
    MAX_TOKENS,
    AuthorizationCode,
    OAuthStore,
    new_token,
)
from explorer.core.explain import explain, facts_from_response
from explorer.core.explain.findings import Severity
from explorer.core.http.transport import Transport
from explorer.core.model import Body, BodyKind, Pair, Request

from .conftest import assert_problem

SERVICE = ("practice-service", "practice-secret")
REDIRECT = "http://127.0.0.1:53682/callback"


def pkce() -> tuple[str, str]:
    """A code_verifier and its S256 code_challenge (RFC 7636 §4.1, §4.2)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorization(challenge: str, **changes: str | None) -> dict[str, str]:
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": "explorer",
        "redirect_uri": REDIRECT,
        "scope": "profile read:items",
        "state": "st-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **changes,
    }
    return {key: value for key, value in params.items() if value is not None}


def form_of(page: str) -> tuple[str, str]:
    """(action, ticket) of the consent form."""
    action = re.search(r'<form class="consent-form" method="post" action="([^"]+)"', page)
    ticket = re.search(r'name="ticket" value="([^"]+)"', page)
    assert action and ticket, page
    return html.unescape(action.group(1)), ticket.group(1)


def code_from(location: str, state: str = "st-123") -> str:
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == REDIRECT
    query = parse_qs(parts.query)
    assert query["state"] == [state]
    return query["code"][0]


def approve(client: FlaskClient, params: dict[str, str], **login: str) -> Any:
    page = client.get("/oauth/authorize", query_string=params)
    assert page.status_code == 200, page.get_data(as_text=True)
    action, ticket = form_of(page.get_data(as_text=True))
    return client.post(action, data={"ticket": ticket, "decision": "approve", **login})


def code_for(client: FlaskClient, challenge: str, **changes: str | None) -> str:
    answer = approve(
        client, authorization(challenge, **changes), username="ada", password="analytical"
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return code_from(answer.headers["Location"])


def exchange(client: FlaskClient, code: str, verifier: str, **changes: str) -> Any:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": "explorer",
        "code_verifier": verifier,
        **changes,
    }
    return client.post("/oauth/token", data=data)


def service_token(client: FlaskClient, scope: str = "profile read:items") -> str:
    answer = client.post(
        "/oauth/token", data={"grant_type": "client_credentials", "scope": scope}, auth=SERVICE
    )
    assert answer.status_code == 200, answer.get_json()
    return str(answer.get_json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_error(answer: Any, status: int, error: str) -> dict[str, Any]:
    """An RFC 6749 §5.2 error: JSON {"error": …}, never cached."""
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.mimetype == "application/json"
    assert answer.headers["Cache-Control"] == "no-store"
    body: dict[str, Any] = answer.get_json()
    assert body["error"] == error, body
    return body


# --------------------------------------------------------------------------- a real socket


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(5)


def test_the_code_flow_with_pkce_end_to_end_as_a_browser_and_a_client(base_url: str) -> None:
    verifier, challenge = pkce()
    browser = requests.Session()
    params = authorization(challenge)
    page = browser.get(f"{base_url}/oauth/authorize", params=params, timeout=5)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "API Explorer" in page.text and "read:items" in page.text and REDIRECT in page.text
    assert 'name="password"' in page.text  # not signed in yet
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/oauth" in cookie
    action, ticket = form_of(page.text)
    answer = browser.post(
        base_url + action,
        data={"ticket": ticket, "decision": "approve", "username": "ada", "password": "analytical"},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302
    code = code_from(answer.headers["Location"])

    client = requests.Session()  # the app, away from the browser
    tokens = client.post(
        f"{base_url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "explorer",
            "code_verifier": verifier,
        },
        timeout=5,
    )
    assert tokens.status_code == 200 and tokens.headers["Cache-Control"] == "no-store"
    body = tokens.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == ACCESS_TOKEN_LIFETIME
    assert body["scope"] == "profile read:items" and body["refresh_token"]
    items = client.get(f"{base_url}/oauth/items", headers=bearer(body["access_token"]), timeout=5)
    assert items.status_code == 200 and items.json()["on_behalf_of"] == "ada"
    assert {item["owner_id"] for item in items.json()["data"]} == {1}
    me = client.get(f"{base_url}/oauth/me", headers=bearer(body["access_token"]), timeout=5)
    assert me.json()["username"] == "ada" and me.json()["client_id"] == "explorer"

    # The same browser asks again: still signed in, so only Approve/Deny are asked.
    again = browser.get(f"{base_url}/oauth/authorize", params=authorization(pkce()[1]), timeout=5)
    assert "Ada Lovelace (ada)" in again.text and 'name="password"' not in again.text


def test_the_consent_page_and_its_errors_draw_no_warning_from_the_explainer(base_url: str) -> None:
    transport = Transport()
    try:
        urls = [
            "/oauth/authorize?" + "&".join(f"{k}={v}" for k, v in authorization(pkce()[1]).items()),
            "/oauth/authorize?response_type=code&client_id=nobody&redirect_uri=http://127.0.0.1/",
            "/oauth/me",
            "/.well-known/oauth-authorization-server",
        ]
        for url in urls:
            response = transport.send(Request("GET", base_url + url.replace(" ", "%20")))
            complaints = [
                f.rule_id
                for f in explain(facts_from_response(response))
                if f.severity is not Severity.INFO
            ]
            assert not complaints, (url, complaints)
        basic = "Basic " + base64.b64encode(b"practice-service:guess").decode()
        form = Pair("Content-Type", "application/x-www-form-urlencoded")
        for wrong in (
            Request("GET", base_url + "/oauth/me", headers=(Pair("Authorization", "Bearer x"),)),
            Request(
                "POST",
                base_url + "/oauth/token",
                headers=(form, Pair("Authorization", basic)),
                body=Body(BodyKind.RAW, "grant_type=client_credentials"),
            ),
        ):
            response = transport.send(wrong)
            assert response.status == 401
            complaints = [
                f.rule_id
                for f in explain(facts_from_response(response))
                if f.severity is not Severity.INFO
            ]
            assert not complaints, (wrong.url, complaints)
    finally:
        transport.close()


# --------------------------------------------------------------------------- PKCE and codes


def test_a_wrong_verifier_and_a_second_use_of_a_code_are_refused(client: FlaskClient) -> None:
    verifier, challenge = pkce()
    code = code_for(client, challenge)
    wrong = token_error(exchange(client, code, pkce()[0]), 400, "invalid_grant")
    assert wrong["error_description"] == "Code challenge failed."
    token_error(exchange(client, code, ""), 400, "invalid_request")
    assert exchange(client, code, verifier).status_code == 200
    token_error(exchange(client, code, verifier), 400, "invalid_grant")  # used once already


def test_the_public_client_may_name_itself_in_a_basic_header_without_password(
    client: FlaskClient,
) -> None:
    verifier, challenge = pkce()
    code = code_for(client, challenge)
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    answer = client.post(
        "/oauth/token", data={**data, "code_verifier": verifier}, auth=("explorer", "")
    )
    assert answer.status_code == 200, answer.get_json()
    # Not a way round a secret: the confidential client still needs its own.
    token_error(
        client.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=(SERVICE[0], "")
        ),
        401,
        "invalid_client",
    )


def test_the_code_is_bound_to_its_redirect_uri(client: FlaskClient) -> None:
    verifier, challenge = pkce()
    code = code_for(client, challenge)
    other = "http://127.0.0.1:9/elsewhere"
    token_error(exchange(client, code, verifier, redirect_uri=other), 400, "invalid_grant")


def test_pkce_is_required_and_plain_is_refused(client: FlaskClient) -> None:
    for changes in (
        {"code_challenge": None, "code_challenge_method": None},
        {"code_challenge_method": "plain"},
        {"code_challenge_method": None},
    ):
        answer = client.get("/oauth/authorize", query_string=authorization(pkce()[1], **changes))
        # The redirect URI is a checked one, so the error goes back to the client.
        assert answer.status_code == 302, changes
        query = parse_qs(urlsplit(answer.headers["Location"]).query)
        assert query["error"] == ["invalid_request"] and query["state"] == ["st-123"]


def test_a_code_expires_after_a_minute(app: Flask, client: FlaskClient) -> None:
    store = app.extensions["practice"].oauth
    now = [1_000_000.0]
    store.clock = lambda: now[0]
    verifier, challenge = pkce()
    code = code_for(client, challenge)
    now[0] += CODE_LIFETIME
    token_error(exchange(client, code, verifier), 400, "invalid_grant")


# --------------------------------------------------------------------------- redirect URIs


LOOPBACK = (
    "http://127.0.0.1:1/cb",
    "http://127.0.0.1:65535/a/b?x=1",
    "http://localhost:8080/",
    "http://[::1]:4000/callback",
    "http://127.0.0.1/",
)
NOT_LOOPBACK = (
    "https://evil.example/cb",
    "https://127.0.0.1/cb",
    "http://127.0.0.1.evil.example/cb",
    "http://127.0.0.1@evil.example/cb",
    "http://evil.example@127.0.0.1/cb",
    "http://127.0.0.1\\@evil.example/",
    "http://127.0.0.1:99999/cb",
    "http://127.0.0.1:8000/cb#fragment",
    "http://localhost.:8000/cb",
    "//127.0.0.1/cb",
    "",
)


def test_any_loopback_port_and_path_is_accepted(client: FlaskClient) -> None:
    for uri in LOOPBACK:
        assert is_loopback_redirect(uri), uri
        params = authorization(pkce()[1], redirect_uri=uri)
        assert client.get("/oauth/authorize", query_string=params).status_code == 200, uri


def test_other_redirect_uris_get_an_error_page_and_no_redirect(client: FlaskClient) -> None:
    for uri in NOT_LOOPBACK:
        assert not is_loopback_redirect(uri), uri
        params = authorization(pkce()[1], redirect_uri=uri or None)
        answer = client.get("/oauth/authorize", query_string=params)
        assert "Location" not in answer.headers, uri
        assert_problem(answer, 400)
        page = client.get("/oauth/authorize", query_string=params, headers={"Accept": "text/html"})
        assert page.status_code == 400 and page.mimetype == "text/html", uri
        assert "Location" not in page.headers
        assert "cannot be answered" in page.get_data(as_text=True)


def test_a_quote_in_the_request_is_a_bad_request_not_a_crash(client: FlaskClient) -> None:
    # Authlib raises ValueError for an error description that would repeat a quote or a
    # backslash; the request that caused it gets a 400, never a 500.
    params = authorization(pkce()[1], response_type='to"ken')
    answer = client.get("/oauth/authorize", query_string=params)
    assert "Location" not in answer.headers
    assert_problem(answer, 400)


def test_an_unknown_client_gets_the_error_page_too(client: FlaskClient) -> None:
    params = authorization(pkce()[1], client_id="someone-else")
    answer = client.get("/oauth/authorize", query_string=params)
    assert "Location" not in answer.headers
    assert "invalid_client" in assert_problem(answer, 400)["detail"]


# --------------------------------------------------------------------------- the form (CSRF)


def test_only_the_browser_shown_the_form_can_answer_it_once(app: Flask) -> None:
    browser, attacker = app.test_client(), app.test_client()
    params = authorization(pkce()[1])
    page = browser.get("/oauth/authorize", query_string=params)
    action, ticket = form_of(page.get_data(as_text=True))
    login = {"ticket": ticket, "decision": "approve", "username": "ada", "password": "analytical"}
    # Another browser (its own cookie, or none) cannot use the ticket.
    attacker.get("/oauth/authorize", query_string=params)
    assert_problem(attacker.post(action, data=login), 400)
    assert_problem(app.test_client().post(action, data=login), 400)
    # The ticket was for this request: not for one asking for more.
    wider = action.replace("scope=profile+read:items", "scope=profile+write:items")
    assert wider != action
    assert_problem(browser.post(wider, data=login), 400)  # and it is now used up
    fresh = browser.get("/oauth/authorize", query_string=params)
    action, ticket = form_of(fresh.get_data(as_text=True))
    login["ticket"] = ticket
    assert browser.post(action, data=login).status_code == 302
    assert_problem(browser.post(action, data=login), 400)  # once only


def test_deny_sends_access_denied_back_with_the_state(client: FlaskClient) -> None:
    page = client.get("/oauth/authorize", query_string=authorization(pkce()[1]))
    action, ticket = form_of(page.get_data(as_text=True))
    answer = client.post(action, data={"ticket": ticket, "decision": "deny"})
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["st-123"]
    assert "code" not in query


def test_a_wrong_password_shows_the_form_again(client: FlaskClient) -> None:
    answer = approve(client, authorization(pkce()[1]), username="ada", password="nope")
    assert answer.status_code == 200 and "Location" not in answer.headers
    page = answer.get_data(as_text=True)
    assert "Unknown username or wrong password." in page and 'name="password"' in page
    korean = client.get("/oauth/authorize", query_string={**authorization(pkce()[1]), "lang": "ko"})
    assert "승인" in korean.get_data(as_text=True)
    # The language switch keeps the authorization request (a bare ?lang=en would not).
    switch = re.search(r'<a href="([^"]+)" [^>]*hreflang="en"', korean.get_data(as_text=True))
    assert switch
    english = client.get("/oauth/authorize" + html.unescape(switch.group(1)))
    assert english.status_code == 200 and "Approve" in english.get_data(as_text=True)


# --------------------------------------------------------------------------- other grants


def test_client_credentials_with_basic_or_body_and_a_wrong_secret(client: FlaskClient) -> None:
    token = service_token(client)
    body = {
        "grant_type": "client_credentials",
        "client_id": SERVICE[0],
        "client_secret": SERVICE[1],
    }
    posted = client.post("/oauth/token", data=body)
    assert posted.status_code == 200 and "refresh_token" not in posted.get_json()
    assert posted.get_json()["scope"] == "profile read:items write:items"  # the default
    me = client.get("/oauth/me", headers=bearer(token)).get_json()
    assert me["client_id"] == "practice-service" and me["username"] is None
    wrong = client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(SERVICE[0], "guess")
    )
    token_error(wrong, 401, "invalid_client")
    assert wrong.headers["WWW-Authenticate"] == 'Basic realm="practice-oauth", charset="UTF-8"'
    # The public client has no secret, so it may not act for itself.
    public = client.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": "explorer"}
    )
    token_error(public, 401, "invalid_client")
    token_error(
        client.post("/oauth/token", data={"grant_type": "teleport"}, auth=SERVICE),
        400,
        "unsupported_grant_type",
    )
    token_error(
        client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": "admin"},
            auth=SERVICE,
        ),
        400,
        "invalid_scope",
    )


def test_the_legacy_password_grant(client: FlaskClient) -> None:
    data = {"grant_type": "password", "client_id": "explorer", "username": "grace"}
    answer = client.post("/oauth/token", data={**data, "password": "cobol1959"})
    assert answer.status_code == 200 and answer.get_json()["refresh_token"]
    token_error(client.post("/oauth/token", data={**data, "password": "x"}), 400, "invalid_grant")


def test_refresh_rotates_and_a_replayed_refresh_token_revokes_the_family(
    client: FlaskClient,
) -> None:
    verifier, challenge = pkce()
    first = exchange(client, code_for(client, challenge), verifier).get_json()
    refresh = {"grant_type": "refresh_token", "client_id": "explorer"}
    second = client.post("/oauth/token", data={**refresh, "refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    rotated = second.get_json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["scope"] == "profile read:items"
    assert client.get("/oauth/me", headers=bearer(rotated["access_token"])).status_code == 200
    replay = client.post("/oauth/token", data={**refresh, "refresh_token": first["refresh_token"]})
    token_error(replay, 400, "invalid_grant")
    revoked = client.get("/oauth/me", headers=bearer(rotated["access_token"]))
    assert "was revoked" in revoked.headers["WWW-Authenticate"]
    later = client.post("/oauth/token", data={**refresh, "refresh_token": rotated["refresh_token"]})
    token_error(later, 400, "invalid_grant")


def test_revocation(client: FlaskClient) -> None:
    token = service_token(client)
    assert client.post("/oauth/revoke", data={"token": token}, auth=SERVICE).status_code == 200
    answer = client.get("/oauth/me", headers=bearer(token))
    assert answer.status_code == 401 and "was revoked" in answer.headers["WWW-Authenticate"]
    unknown = client.post("/oauth/revoke", data={"token": "never-issued"}, auth=SERVICE)
    assert unknown.status_code == 200  # RFC 7009 §2.2: nothing is revealed
    token_error(client.post("/oauth/revoke", data={}, auth=SERVICE), 400, "invalid_request")
    hint = {"token": token, "token_type_hint": "id_token"}
    token_error(
        client.post("/oauth/revoke", data=hint, auth=SERVICE), 400, "unsupported_token_type"
    )


# --------------------------------------------------------------------------- the resource


def test_the_resource_answers_rfc_6750_challenges(client: FlaskClient) -> None:
    missing = client.get("/oauth/items")
    assert_problem(missing, 401)
    # No token at all: a challenge without an error code (RFC 6750 §3.1).
    assert (
        missing.headers["WWW-Authenticate"] == 'Bearer realm="practice-oauth", scope="read:items"'
    )
    basic = client.get("/oauth/me", auth=("ada", "analytical"))
    assert basic.headers["WWW-Authenticate"] == 'Bearer realm="practice-oauth"'
    bad = client.get("/oauth/me", headers=bearer("forged"))
    assert_problem(bad, 401)
    assert bad.headers["WWW-Authenticate"].startswith(
        'Bearer realm="practice-oauth", error="invalid_token", error_description="'
    )
    narrow = service_token(client, scope="profile")
    forbidden = client.get("/oauth/items", headers=bearer(narrow))
    assert_problem(forbidden, 403)
    assert forbidden.headers["WWW-Authenticate"] == (
        'Bearer realm="practice-oauth", error="insufficient_scope", scope="read:items"'
    )
    assert client.get("/oauth/me", headers=bearer(narrow)).headers["Cache-Control"] == "no-store"


def test_write_items_creates_an_item_owned_by_the_user(client: FlaskClient) -> None:
    data = {"grant_type": "password", "client_id": "explorer", "username": "alan"}
    token = client.post(
        "/oauth/token", data={**data, "password": "enigma", "scope": "write:items"}
    ).get_json()["access_token"]
    item = {"name": "OAuth notebook", "price": 4.5, "category": "office", "owner_id": 1}
    created = client.post("/oauth/items", json=item, headers=bearer(token))
    assert created.status_code == 201 and created.headers["Location"]
    assert created.get_json()["owner_id"] == 3  # alan, whatever the body said
    assert client.get("/oauth/items", headers=bearer(token)).status_code == 403


def test_an_access_token_expires_after_its_lifetime(app: Flask, client: FlaskClient) -> None:
    store = app.extensions["practice"].oauth
    now = [2_000_000.0]
    store.clock = lambda: now[0]
    token = service_token(client)
    now[0] += ACCESS_TOKEN_LIFETIME - 1
    assert client.get("/oauth/me", headers=bearer(token)).get_json()["expires_in"] == 1
    now[0] += 1
    expired = client.get("/oauth/me", headers=bearer(token))
    assert expired.status_code == 401
    assert 'error_description="The access token expired."' in expired.headers["WWW-Authenticate"]


def test_metadata_and_reset(client: FlaskClient) -> None:
    meta = client.get("/.well-known/oauth-authorization-server").get_json()
    assert meta["issuer"] == "http://localhost"
    assert meta["token_endpoint"] == "http://localhost/oauth/token"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert set(meta["grant_types_supported"]) == {
        "authorization_code",
        "client_credentials",
        "refresh_token",
        "password",
    }
    token = service_token(client)
    client.post("/admin/reset")
    assert client.get("/oauth/me", headers=bearer(token)).status_code == 401


# --------------------------------------------------------------------------- bounds


def test_the_store_keeps_a_bounded_number_of_codes_and_tokens() -> None:
    store = OAuthStore(clock=lambda: 0.0)
    for number in range(MAX_TOKENS + 5):
        values = {"access_token": f"a{number}", "refresh_token": f"r{number}", "scope": ""}
        store.save_token(new_token(values, "explorer", "ada", "password", None, store.now))
    assert store.token_count() == MAX_TOKENS
    assert store.by_access_token("a0") is None and store.by_refresh_token("r0") is None
    assert store.by_refresh_token(f"r{MAX_TOKENS + 4}") is not None
    for number in range(MAX_CODES + 5):
        store.save_code(
            AuthorizationCode(f"c{number}", "explorer", REDIRECT, "", "ada", None, None, 0.0)
        )
    assert store.code_count() == MAX_CODES
    assert store.find_code("c0", "explorer") is None
    assert store.find_code(f"c{MAX_CODES}", "practice-service") is None  # another client's


# --------------------------------------------------------------------------- the app's client


def test_the_apps_own_oauth_client_runs_every_grant_against_this_server(base_url: str) -> None:
    """explorer.core.auth (Authlib's requests client, the RFC 8252 loopback listener) as
    the Auth tab drives it: authorization code with PKCE, refresh, client credentials."""
    from explorer.core.auth.loopback import LoopbackListener
    from explorer.core.auth.oauth2 import (
        authorization_request,
        client_credentials,
        exchange_code,
        refresh,
    )
    from explorer.core.model import OAuth2, OAuth2Grant

    settings = OAuth2(
        auth_url=f"{base_url}/oauth/authorize",
        token_url=f"{base_url}/oauth/token",
        client_id="explorer",
        scope="profile read:items",
    )
    with LoopbackListener() as listener:
        started = authorization_request(settings, listener.redirect_uri)

        def browser() -> None:  # the person at the system browser
            session = requests.Session()
            page = session.get(started.url, timeout=5)
            action, ticket = form_of(page.text)
            answer = session.post(
                base_url + action,
                data={"ticket": ticket, "decision": "approve", "username": "ada",
                      "password": "analytical"},
                allow_redirects=False,
                timeout=5,
            )  # fmt: skip
            session.get(answer.headers["Location"], timeout=5)  # lands on the listener

        person = threading.Thread(target=browser, daemon=True)
        person.start()
        code = listener.wait(started.state, timeout=10)
        person.join(5)
    token = exchange_code(settings, started, code)
    assert token.refresh_token and token.scope == "profile read:items"
    renewed = refresh(settings, token.refresh_token)
    assert renewed.refresh_token != token.refresh_token
    me = requests.get(f"{base_url}/oauth/me", headers=bearer(renewed.access_token), timeout=5)
    assert me.json()["username"] == "ada"
    service = OAuth2(
        grant=OAuth2Grant.CLIENT_CREDENTIALS,
        token_url=f"{base_url}/oauth/token",
        client_id=SERVICE[0],
        client_secret=SERVICE[1],
        scope="read:items",
    )
    for client_auth in ("basic", "body"):
        issued = client_credentials(dataclasses.replace(service, client_auth=client_auth))
        assert issued.scope == "read:items" and not issued.refresh_token
