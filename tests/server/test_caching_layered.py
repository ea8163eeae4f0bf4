"""Cacheability and layered-system lessons: /cache, /etag, /time, /whoami, /gateway."""

from __future__ import annotations

from .conftest import assert_problem


def test_cache_revalidates_only_on_a_real_match(client):
    first = client.get("/cache")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    hit = client.get("/cache", headers={"If-None-Match": etag})
    assert hit.status_code == 304 and hit.headers["ETag"] == etag
    assert client.get("/cache", headers={"If-None-Match": '"bogus"'}).status_code == 200
    assert client.get("/cache", headers={"If-Modified-Since": modified}).status_code == 304


def test_cache_seconds_and_modes(client):
    assert client.get("/cache/30").headers["Cache-Control"] == "public, max-age=30"
    assert client.get("/cache/30?mode=private").headers["Cache-Control"] == "private, max-age=30"
    assert client.get("/cache/30?mode=no-store").headers["Cache-Control"] == "no-store"
    assert "immutable" in client.get("/cache/5?mode=immutable").headers["Cache-Control"]
    assert_problem(client.get("/cache/30?mode=forever"), 400)
    assert_problem(client.get("/cache/99999999"), 400)


def test_etag_endpoint(client):
    response = client.get("/etag/v1")
    assert response.headers["ETag"] == '"v1"'
    not_modified = client.get("/etag/v1", headers={"If-None-Match": '"v0", "v1"'})
    assert not_modified.status_code == 304 and not_modified.headers["ETag"] == '"v1"'
    assert client.get("/etag/v1", headers={"If-None-Match": '"v2"'}).status_code == 200
    failed = client.get("/etag/v1", headers={"If-Match": '"v2"'})
    assert_problem(failed, 412)
    assert client.get("/etag/v1", headers={"If-Match": '"v1"'}).status_code == 200


def test_time_cacheable_on_request(client):
    assert client.get("/time").headers["Cache-Control"] == "no-store"
    assert client.get("/time?cache=5").headers["Cache-Control"] == "public, max-age=5"
    assert_problem(client.get("/time?cache=soon"), 400)


def test_static_files_are_conditional_and_ranged(client):
    css = client.get("/static/css/style.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert (
        client.get(
            "/static/css/style.css", headers={"If-None-Match": css.headers["ETag"]}
        ).status_code
        == 304
    )
    part = client.get("/static/css/style.css", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206
    assert part.headers["Content-Range"].startswith("bytes 0-9/")
    css.close()
    part.close()


def test_whoami_direct_and_through_gateway(client):
    direct = client.get("/whoami").get_json()
    assert direct["via"] is None and direct["behind_a_layer"] is False
    layered = client.get("/gateway/whoami", headers={"X-Forwarded-For": "10.0.0.7"})
    seen = layered.get_json()
    assert seen["via"] == "1.1 practice-gateway"
    assert seen["x_forwarded_for"] == "10.0.0.7, 127.0.0.1"
    assert 'for="127.0.0.1"' in seen["forwarded"]
    assert layered.headers["Via"] == "1.1 practice-gateway"


def test_gateway_cache_hit_and_miss(client):
    miss = client.get("/gateway/cache/30")
    assert miss.headers["X-Cache"] == "MISS"
    hit = client.get("/gateway/cache/30")
    assert hit.headers["X-Cache"] == "HIT"
    assert int(hit.headers["Age"]) >= 0
    assert hit.get_json()["generated_at"] == miss.get_json()["generated_at"]
    forced = client.get("/gateway/cache/30", headers={"Cache-Control": "no-cache"})
    assert forced.headers["X-Cache"] == "MISS"
    assert forced.get_json()["generated_at"] != miss.get_json()["generated_at"]
    client.post("/admin/reset")
    assert client.get("/gateway/cache/30").headers["X-Cache"] == "MISS"


def test_gateway_does_not_cache_private_or_no_cache(client):
    for path in (
        "/gateway/cache/30?mode=private",
        "/gateway/api/items/1",
        "/gateway/cache/30?mode=no-store",
    ):
        first = client.get(path)
        second = client.get(path)
        assert first.status_code == 200
        assert second.headers["X-Cache"] == "MISS", path


def test_gateway_passes_writes_and_errors_through(client):
    created = client.post("/gateway/api/todos", json={"title": "via the gateway"})
    assert created.status_code == 201
    assert created.headers["Location"].startswith("/api/todos/")
    assert created.headers["X-Cache"] == "BYPASS"
    missing = client.get("/gateway/api/todos/999")
    assert_problem(missing, 404)
    assert missing.headers["Via"] == "1.1 practice-gateway"


def test_gateway_loop_is_508(client):
    assert_problem(client.get("/gateway/gateway/gateway/gateway/health"), 508)
