"""Statelessness lesson: signed tokens survive a restart, server sessions do not."""

from __future__ import annotations

import base64

from bundled_server import create_app

from .conftest import assert_problem

ADA = {"username": "ada", "password": "analytical"}


def _token(client) -> str:
    response = client.post("/auth/token", json=ADA)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    return body["access_token"]


def test_token_works_and_survives_a_new_app_instance(client):
    token = _token(client)
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.get_json()["username"] == "ada"
    assert me.get_json()["stored_on_server"] is False
    # A "restarted" server (a brand-new app) still accepts it: nothing was stored.
    restarted = create_app({"TESTING": True}).test_client()
    assert (
        restarted.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )


def test_token_with_basic_and_form_credentials(client):
    basic = base64.b64encode(b"grace:cobol1959").decode()
    assert (
        client.post("/auth/token", headers={"Authorization": f"Basic {basic}"}).status_code == 200
    )
    form = client.post("/auth/token", data={"username": "alan", "password": "enigma"})
    assert form.status_code == 200


def test_wrong_password_is_401_with_challenge(client):
    response = client.post("/auth/token", json={"username": "ada", "password": "nope"})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Basic realm=")


def test_me_without_or_with_bad_token(client):
    missing = client.get("/auth/me")
    assert_problem(missing, 401)
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="practice"'
    tampered = _token(client)[:-2] + "xx"
    bad = client.get("/auth/me", headers={"Authorization": f"Bearer {tampered}"})
    assert_problem(bad, 401)
    assert 'error="invalid_token"' in bad.headers["WWW-Authenticate"]


def test_expired_token_is_refused():
    app = create_app({"TESTING": True, "TOKEN_LIFETIME": -1})
    client = app.test_client()
    token = client.post("/auth/token", json=ADA).get_json()["access_token"]
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401)
    assert "expired" in response.headers["WWW-Authenticate"]


def test_session_is_stateful_and_lost_on_restart(client):
    login = client.post("/session/login", json={"username": "grace", "password": "cobol1959"})
    assert login.status_code == 200
    cookie = login.headers["Set-Cookie"]
    assert cookie.startswith("practice_session=") and "HttpOnly" in cookie
    me = client.get("/session/me")
    assert me.status_code == 200 and me.get_json()["username"] == "grace"
    session_id = cookie.split(";")[0].split("=", 1)[1]
    restarted = create_app({"TESTING": True}).test_client()
    restarted.set_cookie("practice_session", session_id)
    lost = restarted.get("/session/me")
    assert_problem(lost, 401)
    assert lost.headers["WWW-Authenticate"]


def test_logout_forgets_the_session(client):
    client.post("/session/login", json={"username": "ada", "password": "analytical"})
    assert client.post("/session/logout").status_code == 204
    assert_problem(client.get("/session/me"), 401)
    assert_problem(client.post("/session/login", json={"username": "ada", "password": "x"}), 401)
