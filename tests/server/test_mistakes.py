"""The "common mistakes" endpoints: each makes its one mistake, and only that one.

"Only that one" is checked on what the rest of the server does right: errors are
problem+json, nothing is left to heuristic caching, and the security headers the server
adds everywhere are there, except where leaving them out is the mistake.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bundled_server import create_app
from bundled_server.mistakes import MAX_REDIRECT_URL

from .conftest import assert_problem

GUARDS = ("X-Content-Type-Options", "Referrer-Policy")


@pytest.fixture(scope="module")
def app() -> Flask:
    """One app for the module: the mistakes keep no state."""
    return create_app({"TESTING": True})


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _guarded(response) -> None:
    """The headers every answer of this server carries are still there."""
    for name in GUARDS:
        assert response.headers.get(name), name
    if response.mimetype == "text/html":
        assert response.headers.get("Content-Security-Policy")


def test_not_modified_without_etag(client: FlaskClient) -> None:
    first = client.get("/mistakes/not-modified-without-etag")
    assert first.status_code == 200 and first.is_json
    etag = first.headers["ETag"]
    assert etag == '"mistake-v1"' and first.headers["Cache-Control"] == "no-cache"
    _guarded(first)
    again = client.get("/mistakes/not-modified-without-etag", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert "ETag" not in again.headers  # the mistake
    assert again.headers["Cache-Control"] == "no-cache"  # the rest of the 304 is right
    other = client.get("/mistakes/not-modified-without-etag", headers={"If-None-Match": '"x"'})
    assert other.status_code == 200  # a 304 only when the validator really matches


@pytest.mark.parametrize(
    ("path", "status"),
    [("/mistakes/rate-limited", 429), ("/mistakes/unavailable", 503)],
)
def test_retry_after_is_missing(client: FlaskClient, path: str, status: int) -> None:
    response = client.get(path)
    assert_problem(response, status)
    assert "Retry-After" not in response.headers  # the mistake
    assert response.headers["Cache-Control"] == "no-store"
    _guarded(response)


def test_redirect_to_goes_anywhere_but_stays_bounded(client: FlaskClient) -> None:
    response = client.get("/mistakes/redirect-to", query_string={"url": "https://evil.example/x"})
    assert response.status_code == 302
    assert response.headers["Location"] == "https://evil.example/x"  # the open redirect
    assert response.get_json() == {"status": 302, "location": "https://evil.example/x"}
    _guarded(response)
    assert_problem(client.get("/mistakes/redirect-to"), 400)
    too_long = "https://a.example/" + "x" * MAX_REDIRECT_URL
    assert_problem(client.get("/mistakes/redirect-to", query_string={"url": too_long}), 400)
    split = client.get("/mistakes/redirect-to", query_string={"url": "/a\r\nSet-Cookie: x=1"})
    assert_problem(split, 400)
    assert "Set-Cookie" not in split.headers


def test_redirect_without_location(client: FlaskClient) -> None:
    response = client.get("/mistakes/redirect-without-location")
    assert response.status_code == 302 and response.is_json
    assert "Location" not in response.headers  # the mistake
    _guarded(response)


def test_created_without_location(client: FlaskClient) -> None:
    response = client.post("/mistakes/created-without-location", json={"name": "Lamp"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "Lamp" and isinstance(body["id"], int)
    assert "Location" not in response.headers  # the mistake
    _guarded(response)
    assert_problem(client.post("/mistakes/created-without-location", data="nope"), 400)


def test_json_as_html(client: FlaskClient) -> None:
    response = client.get("/mistakes/json-as-html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"  # the mistake
    assert json.loads(response.data)["id"] == 1  # the body really is JSON
    _guarded(response)


def test_charset_says_latin_1_for_utf_8(client: FlaskClient) -> None:
    response = client.get("/mistakes/charset")
    assert response.headers["Content-Type"] == "text/plain; charset=iso-8859-1"
    assert "Café" in response.data.decode("utf-8")  # the bytes are UTF-8
    assert "CafÃ©" in response.data.decode("iso-8859-1")  # what a believer shows
    _guarded(response)


def test_unauthorized_without_challenge(client: FlaskClient) -> None:
    response = client.get("/mistakes/unauthorized-without-challenge")
    assert_problem(response, 401)
    assert "WWW-Authenticate" not in response.headers  # the mistake
    _guarded(response)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_method_not_allowed_without_allow(client: FlaskClient, method: str) -> None:
    response = client.open("/mistakes/method-not-allowed", method=method)
    assert_problem(response, 405)
    assert "Allow" not in response.headers  # the mistake
    _guarded(response)


def test_partial_without_content_range(client: FlaskClient) -> None:
    whole = client.get("/mistakes/partial-without-range")
    assert whole.status_code == 200 and len(whole.data) == 100
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = client.get("/mistakes/partial-without-range", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.data == b"0123456789"
    assert "Content-Range" not in part.headers  # the mistake
    assert part.headers["Content-Length"] == "10"
    assert part.headers["Cache-Control"] == "no-store" and part.headers["ETag"]
    _guarded(part)
    outside = client.get("/mistakes/partial-without-range", headers={"Range": "bytes=500-"})
    assert_problem(outside, 416)
    assert outside.headers["Content-Range"] == "bytes */100"  # the 416 is right
    several = client.get("/mistakes/partial-without-range", headers={"Range": "bytes=0-1,5-6"})
    assert several.status_code == 200 and len(several.data) == 100


def test_cookies_without_their_attributes(client: FlaskClient) -> None:
    response = client.get("/mistakes/cookie")
    session, tracker = response.headers.getlist("Set-Cookie")
    assert session.startswith("session=")
    assert "httponly" not in session.lower() and "samesite" not in session.lower()
    assert "SameSite=None" in tracker and "secure" not in tracker.lower()
    assert response.headers["Cache-Control"] == "no-store"
    _guarded(response)


def test_cors_wildcard_with_credentials(client: FlaskClient) -> None:
    # Even a request from the server's own origin (which the server would otherwise
    # answer with its own CORS headers) gets the forbidden pair.
    for origin in ("https://elsewhere.example", "http://localhost"):
        response = client.get("/mistakes/cors", headers={"Origin": origin})
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Access-Control-Allow-Credentials"] == "true"
        _guarded(response)


def test_cors_echo_without_vary(client: FlaskClient) -> None:
    response = client.get("/mistakes/cors-echo", headers={"Origin": "https://a.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert "Origin" not in response.headers.get("Vary", "")  # the mistake
    assert "max-age" in response.headers["Cache-Control"] and response.headers["ETag"]
    _guarded(response)
    plain = client.get("/mistakes/cors-echo")
    assert "Access-Control-Allow-Origin" not in plain.headers


def test_cache_contradiction(client: FlaskClient) -> None:
    response = client.get("/mistakes/cache-contradiction")
    assert response.headers["Cache-Control"] == "no-store, max-age=600"  # the mistake
    assert response.expires is not None  # and an Expires that agrees with max-age
    _guarded(response)


def test_vary_missing(client: FlaskClient) -> None:
    as_json = client.get("/mistakes/vary-missing", headers={"Accept": "application/json"})
    as_xml = client.get("/mistakes/vary-missing", headers={"Accept": "application/xml"})
    assert as_json.mimetype == "application/json" and as_xml.mimetype == "application/xml"
    assert as_json.headers["ETag"] != as_xml.headers["ETag"]
    for response in (as_json, as_xml):
        assert "max-age" in response.headers["Cache-Control"]
        assert "Vary" not in response.headers  # the mistake
        _guarded(response)
    tag = as_xml.headers["ETag"]
    again = client.get(
        "/mistakes/vary-missing", headers={"Accept": "application/xml", "If-None-Match": tag}
    )
    assert again.status_code == 304 and again.headers["ETag"] == tag


def test_problem_status_contradicts_the_code(client: FlaskClient) -> None:
    response = client.get("/mistakes/problem")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 422  # the mistake
    assert {"type", "title", "detail"} <= set(body)
    _guarded(response)


def test_html_page_without_guards(client: FlaskClient) -> None:
    response = client.get("/mistakes/html-page")
    assert response.mimetype == "text/html" and b"<h1>" in response.data
    assert "X-Content-Type-Options" not in response.headers  # the mistake
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_no_content_with_body(client: FlaskClient) -> None:
    response = client.get("/mistakes/no-content-with-body")
    assert response.status_code == 204
    assert response.data == b'{"ok": true}\n'  # the mistake
    assert response.headers["Content-Length"] == str(len(response.data))
    _guarded(response)
    assert client.head("/mistakes/no-content-with-body").data == b""


def test_the_other_endpoints_keep_their_guards(client: FlaskClient) -> None:
    # leave_out() is per request: the page after a mistake has every header again.
    client.get("/mistakes/html-page")
    page = client.get("/")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Content-Security-Policy"]


def test_every_mistake_endpoint_is_documented_under_its_tag(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()
    mistakes = {p: item for p, item in document["paths"].items() if p.startswith("/mistakes/")}
    assert len(mistakes) == 19
    for path, item in mistakes.items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "tags" in operation:
                assert operation["tags"][0] == "common-mistakes", (path, method)
    index = client.get("/").get_data(as_text=True)
    assert 'id="tag-common-mistakes"' in index and "/mistakes/cors-echo" in index
