"""Every error is problem+json; hosts, body sizes, CORS and escaping are safe."""

from __future__ import annotations

from bundled_server import create_app

from .conftest import assert_problem


def test_unknown_route_is_problem_not_html(client):
    response = client.get("/definitely/not/here")
    body = assert_problem(response, 404)
    assert body["type"] == "about:blank"
    assert body["title"] == "Not Found"
    assert body["instance"] == "/definitely/not/here"
    assert "<html" not in response.get_data(as_text=True).lower()


def test_405_anywhere_has_allow(client):
    response = client.post("/health")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_crash_is_500_problem_without_traceback():
    app = create_app({"TESTING": True})

    def explode():
        raise RuntimeError("secret internals")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    body = assert_problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert "server log" in body["detail"]


def test_body_over_max_content_length_is_413():
    app = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1000})
    client = app.test_client()
    response = client.post("/anything", data=b"x" * 5000, content_type="application/octet-stream")
    body = assert_problem(response, 413)
    assert "1000" in body["detail"]
    ok = client.post("/anything", data=b"x" * 500, content_type="application/octet-stream")
    assert ok.status_code == 200


def test_forged_host_is_refused(client):
    body = assert_problem(client.get("/health", headers={"Host": "evil.example"}), 400)
    assert "evil.example" in body["detail"]
    assert client.get("/health", headers={"Host": "127.0.0.1:5000"}).status_code == 200
    assert client.get("/health", headers={"Host": "localhost:5000"}).status_code == 200


def test_bound_host_is_trusted_too():
    from bundled_server.security import trusted_hosts

    app = create_app({"TRUSTED_HOSTS": trusted_hosts("192.168.1.20")})
    response = app.test_client().get("/health", headers={"Host": "192.168.1.20:8000"})
    assert response.status_code == 200


def test_cors_only_for_own_origin(client):
    own = client.get(
        "/api/items", headers={"Host": "127.0.0.1:5000", "Origin": "http://127.0.0.1:5000"}
    )
    assert own.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:5000"
    assert "Origin" in own.headers["Vary"]
    foreign = client.get(
        "/api/items", headers={"Host": "127.0.0.1:5000", "Origin": "https://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in foreign.headers
    other_port = client.get(
        "/api/items", headers={"Host": "127.0.0.1:5000", "Origin": "http://127.0.0.1:3000"}
    )
    assert "Access-Control-Allow-Origin" not in other_port.headers


def test_cors_preflight_for_own_origin(client):
    response = client.options(
        "/api/items",
        headers={
            "Host": "localhost:5000",
            "Origin": "http://localhost:5000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5000"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"


def test_reflected_input_is_escaped_in_html(client):
    script = "<script>alert(1)</script>"
    created = client.post("/api/items", json={"name": script, "price": 1, "category": "x"})
    assert created.status_code == 201
    html = client.get(created.headers["Location"], headers={"Accept": "text/html"})
    text = html.get_data(as_text=True)
    assert script not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "script-src 'self'" in html.headers["Content-Security-Policy"]


def test_every_response_says_nosniff(client):
    for path in ("/", "/health", "/nope"):
        assert client.get(path).headers["X-Content-Type-Options"] == "nosniff"


def test_problem_type_pages_exist(client):
    body = assert_problem(client.post("/api/todos", json={}), 422)
    page = client.get(body["type"])
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert_problem(client.get("/problems/no-such-type"), 404)
