"""/api/todos: the first resource (issue #2), through Flask's test client."""

from __future__ import annotations

import pytest

from .conftest import assert_problem


def test_list_returns_seeded_todos(client):
    response = client.get("/api/todos")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["total"] == len(body["data"]) >= 3
    first = body["data"][0]
    assert set(first) >= {"id", "title", "done"}
    assert first["title"] == "Read the client-server lesson"
    assert first["_links"]["self"]["href"] == f"/api/todos/{first['id']}"


def test_list_filters_by_done(client):
    done = client.get("/api/todos?done=true").get_json()["data"]
    open_ = client.get("/api/todos?done=false").get_json()["data"]
    assert done and open_
    assert all(t["done"] for t in done) and not any(t["done"] for t in open_)
    assert_problem(client.get("/api/todos?done=maybe"), 400)


def test_post_creates_with_201_location_and_etag(client):
    response = client.post("/api/todos", json={"title": "Water the plants"})
    assert response.status_code == 201
    created = response.get_json()
    assert created["title"] == "Water the plants" and created["done"] is False
    assert response.headers["Location"] == f"/api/todos/{created['id']}"
    assert response.headers["ETag"].startswith('"')
    fetched = client.get(response.headers["Location"])
    assert fetched.status_code == 200
    assert fetched.get_json()["title"] == "Water the plants"


def test_get_one_and_conditional_get(client):
    response = client.get("/api/todos/1")
    assert response.status_code == 200
    assert response.get_json()["id"] == 1
    again = client.get("/api/todos/1", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["ETag"] == response.headers["ETag"]


def test_put_replaces_title_and_done(client):
    response = client.put("/api/todos/3", json={"title": "Renamed", "done": True})
    assert response.status_code == 200
    assert response.get_json()["title"] == "Renamed"
    assert client.get("/api/todos/3").get_json()["done"] is True


def test_delete_is_204_then_404(client):
    response = client.delete("/api/todos/2")
    assert response.status_code == 204
    assert response.data == b""
    assert "Content-Type" not in response.headers
    assert_problem(client.delete("/api/todos/2"), 404)
    assert_problem(client.get("/api/todos/2"), 404)


def test_unknown_todo_is_404_problem(client):
    body = assert_problem(client.get("/api/todos/999"), 404)
    assert "999" in body["detail"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/api/todos", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("patch", "/api/todos/1", {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}),
        ("post", "/api/todos/1", {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}),
    ],
)
def test_wrong_method_is_405_with_allow(client, method, path, allowed):
    response = getattr(client, method)(path)
    assert_problem(response, 405)
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


def test_malformed_json_is_400(client):
    response = client.post("/api/todos", data='{"title": ', content_type="application/json")
    body = assert_problem(response, 400)
    assert "line 1" in body["detail"]


def test_wrong_content_type_is_415_with_accept(client):
    response = client.post("/api/todos", data="title=x", content_type="text/plain")
    assert_problem(response, 415)
    assert response.headers["Accept"] == "application/json"


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"title"}),
        ({"title": ""}, {"title"}),
        ({"title": "ok", "done": "yes"}, {"done"}),
        ({"title": 5, "colour": "red"}, {"title", "colour"}),
    ],
)
def test_invalid_fields_are_422_listing_each(client, payload, fields):
    body = assert_problem(client.post("/api/todos", json=payload), 422)
    assert {e["field"] for e in body["errors"]} == fields
    assert all(e["pointer"] == f"#/{e['field']}" for e in body["errors"])


def test_json_array_body_is_422(client):
    assert_problem(client.post("/api/todos", json=["not", "an", "object"]), 422)


def test_put_validates_and_404s(client):
    assert_problem(client.put("/api/todos/1", json={"done": True}), 422)
    assert_problem(client.put("/api/todos/404", json={"title": "x"}), 404)


def test_reset_restores_seed(client):
    client.delete("/api/todos/1")
    client.post("/api/todos", json={"title": "extra"})
    response = client.post("/admin/reset")
    assert response.status_code == 200
    todos = client.get("/api/todos").get_json()
    assert response.get_json()["todos"] == todos["total"] == 6
    assert client.get("/api/todos/1").status_code == 200
