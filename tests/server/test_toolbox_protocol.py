"""/status, /rate-limited, /unstable, redirects, cookies and auth challenges."""

from __future__ import annotations

import base64
import hashlib

import pytest
import requests

from bundled_server import create_app
from bundled_server.toolbox.challenges import DIGEST_REALM

from .conftest import assert_problem

COMPANIONS = {
    201: "Location",
    301: "Location",
    302: "Location",
    303: "Location",
    307: "Location",
    308: "Location",
    401: "WWW-Authenticate",
    405: "Allow",
    407: "Proxy-Authenticate",
    416: "Content-Range",
    429: "Retry-After",
    503: "Retry-After",
}


@pytest.mark.parametrize(("code", "header"), sorted(COMPANIONS.items()))
def test_status_has_companion_header(client, code, header):
    response = client.get(f"/status/{code}")
    assert response.status_code == code
    assert response.headers[header]
    if code >= 400:
        assert_problem(response, code)


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PATCH", "OPTIONS"])
def test_a_405_never_allows_the_method_it_refused(client, method):
    response = client.open("/status/405", method=method)
    assert response.status_code == 405
    allowed = [name.strip() for name in response.headers["Allow"].split(",")]
    assert allowed and method not in allowed


@pytest.mark.parametrize("code", [200, 204, 304, 418, 500])
def test_status_any_method(client, code):
    response = client.open(f"/status/{code}", method="PATCH")
    assert response.status_code == code
    if code in (204, 304):
        assert response.data == b""


def test_status_weighted_and_seeded(client):
    picks = {client.get("/status/200:1,500:0").status_code for _ in range(10)}
    assert picks == {200}
    seeded = {client.get("/status/200,500,503?seed=42").status_code for _ in range(5)}
    assert len(seeded) == 1
    for bad in ("abc", "99", "700", "200:-1"):
        assert_problem(client.get(f"/status/{bad}"), 400)


def test_rate_limited_then_429_with_retry_after():
    client = create_app({"TESTING": True, "RATE_LIMIT": 3, "RATE_WINDOW": 30}).test_client()
    remaining = [client.get("/rate-limited").get_json()["remaining"] for _ in range(3)]
    assert remaining == [2, 1, 0]
    limited = client.get("/rate-limited")
    body = assert_problem(limited, 429)
    assert 1 <= int(limited.headers["Retry-After"]) <= 30
    assert body["retry_after"] == int(limited.headers["Retry-After"])
    assert "RateLimit" in limited.headers
    client.post("/admin/reset")
    assert client.get("/rate-limited").status_code == 200


def test_unstable(client):
    assert client.get("/unstable?failure_rate=0").status_code == 200
    failed = client.get("/unstable?failure_rate=1")
    assert failed.status_code in (500, 503)
    assert_problem(failed, failed.status_code)
    outcomes = {client.get("/unstable?seed=7").status_code for _ in range(5)}
    assert len(outcomes) == 1
    seen = {client.get(f"/unstable?seed={s}").status_code for s in range(40)}
    assert 200 in seen and (500 in seen or 503 in seen)
    assert_problem(client.get("/unstable?failure_rate=2"), 400)


def test_redirect_chain(client):
    response = client.get("/redirect/3")
    assert response.status_code == 302 and response.headers["Location"] == "/redirect/2"
    assert response.get_json() == {"status": 302, "location": "/redirect/2"}
    followed = client.get("/redirect/3", follow_redirects=True)
    assert followed.request.path == "/get"
    assert len(followed.history) == 3
    kept = client.post("/redirect/2?status=307")
    assert kept.status_code == 307 and kept.headers["Location"] == "/redirect/1?status=307"
    absolute = client.get("/redirect/1?absolute=true")
    assert absolute.headers["Location"] == "http://localhost/get"
    assert_problem(client.get("/redirect/0"), 400)
    assert_problem(client.get("/redirect/2?status=200"), 400)


@pytest.mark.parametrize(
    "target",
    ["/get", "get?x=1", "http://127.0.0.1:9/x", "http://localhost/a", "http://[::1]:80/"],
)
def test_redirect_to_allows_relative_and_loopback(client, target):
    response = client.get("/redirect-to", query_string={"url": target, "status_code": 308})
    assert response.status_code == 308
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://127.0.0.1.evil.example/",
        "ftp://127.0.0.1/",
        "",
    ],
)
def test_redirect_to_is_not_open(client, target):
    response = client.get("/redirect-to", query_string={"url": target})
    assert_problem(response, 400)
    assert "Location" not in response.headers


def test_cookies_set_list_delete(client):
    set_response = client.get("/cookies/set?flavour=oat&size=large")
    assert set_response.status_code == 302 and set_response.headers["Location"] == "/cookies"
    assert len(set_response.headers.getlist("Set-Cookie")) == 2
    assert client.get("/cookies").get_json() == {"cookies": {"flavour": "oat", "size": "large"}}
    client.get("/cookies/set/theme/dark")
    assert client.get("/cookies").get_json()["cookies"]["theme"] == "dark"
    deleted = client.get("/cookies/delete?flavour", follow_redirects=True)
    assert "flavour" not in deleted.get_json()["cookies"]
    assert_problem(client.get("/cookies/set?bad%20name=1"), 400)


def test_basic_auth(client):
    missing = client.get("/basic-auth/user/pass")
    assert_problem(missing, 401)
    assert missing.headers["WWW-Authenticate"].startswith("Basic realm=")
    good = base64.b64encode(b"user:pass").decode()
    ok = client.get("/basic-auth/user/pass", headers={"Authorization": f"Basic {good}"})
    assert ok.get_json() == {"authenticated": True, "user": "user", "scheme": "Basic"}
    wrong = base64.b64encode(b"user:nope").decode()
    assert_problem(
        client.get("/basic-auth/user/pass", headers={"Authorization": f"Basic {wrong}"}), 401
    )


def test_bearer(client):
    missing = client.get("/bearer")
    assert_problem(missing, 401)
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="practice"'
    ok = client.get("/bearer", headers={"Authorization": "Bearer abc.def"})
    assert ok.get_json()["token"] == "abc.def"
    basic = client.get("/bearer", headers={"Authorization": "Basic dTpw"})
    assert 'error="invalid_request"' in basic.headers["WWW-Authenticate"]


@pytest.mark.parametrize("algorithm", [None, "MD5", "SHA-256", "MD5-sess"])
def test_digest_with_requests(live_server, algorithm):
    path = "/digest-auth/auth/alice/s3cret" + (f"/{algorithm}" if algorithm else "")
    ok = requests.get(
        live_server + path, auth=requests.auth.HTTPDigestAuth("alice", "s3cret"), timeout=5
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["algorithm"] == (algorithm or "MD5")
    bad = requests.get(
        live_server + path, auth=requests.auth.HTTPDigestAuth("alice", "wrong"), timeout=5
    )
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"].startswith("Digest ")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_digest_auth_int_computed_by_hand(client):
    path = "/digest-auth/auth-int/bob/pw"
    challenge = client.get(path)
    assert_problem(challenge, 401)
    header = challenge.headers["WWW-Authenticate"]
    assert 'qop="auth-int"' in header and "algorithm=MD5" in header
    nonce = header.split('nonce="')[1].split('"')[0]
    ha1 = _md5(f"bob:{DIGEST_REALM}:pw")
    ha2 = _md5(f"GET:{path}:{hashlib.md5(b'').hexdigest()}")
    answer = _md5(f"{ha1}:{nonce}:00000001:abcdef:auth-int:{ha2}")
    authorization = (
        f'Digest username="bob", realm="{DIGEST_REALM}", nonce="{nonce}", uri="{path}", '
        f'qop=auth-int, nc=00000001, cnonce="abcdef", response="{answer}", algorithm=MD5'
    )
    ok = client.get(path, headers={"Authorization": authorization})
    assert ok.status_code == 200 and ok.get_json()["qop"] == "auth-int"
    forged = authorization.replace(nonce, base64.b64encode(b"1:forged").decode())
    assert_problem(client.get(path, headers={"Authorization": forged}), 401)


def test_digest_rejects_bad_qop_and_algorithm(client):
    assert_problem(client.get("/digest-auth/none/a/b"), 400)
    assert_problem(client.get("/digest-auth/auth/a/b/CRC32"), 400)


def test_stale_nonce_asks_again(client, monkeypatch):
    from bundled_server.toolbox import challenges

    old = challenges.make_nonce(now=0)
    assert challenges.nonce_state(old) == "stale"
    assert challenges.nonce_state(challenges.make_nonce()) == "valid"
    assert challenges.nonce_state("not-base64!") == "invalid"
