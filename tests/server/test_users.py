"""/api/users: read-only, with a nested items collection."""

from __future__ import annotations

from .conftest import assert_problem


def test_list_and_one_user_hide_passwords(client):
    users = client.get("/api/users").get_json()["data"]
    assert len(users) == 6
    assert all("password" not in u for u in users)
    response = client.get("/api/users/1")
    assert response.get_json()["username"] == "ada"
    assert "password" not in response.get_json()
    assert response.headers["ETag"]
    again = client.get("/api/users/1", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == response.headers["ETag"]


def test_users_are_read_only(client):
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)("/api/users/1", json={})
        assert_problem(response, 405)
        assert {m.strip() for m in response.headers["Allow"].split(",")} == {
            "GET",
            "HEAD",
            "OPTIONS",
        }
    assert_problem(client.post("/api/users", json={}), 405)


def test_nested_items(client):
    response = client.get("/api/users/1/items")
    items = response.get_json()["data"]
    assert items and all(i["owner_id"] == 1 for i in items)
    assert response.headers["X-Total-Count"] == str(len(items))
    created = client.post(
        "/api/users/2/items", json={"name": "Pencil case", "price": 5, "category": "stationery"}
    )
    assert created.status_code == 201
    assert created.get_json()["owner_id"] == 2
    assert created.headers["Location"].startswith("/api/items/")
    names = {i["name"] for i in client.get("/api/users/2/items?per_page=100").get_json()["data"]}
    assert "Pencil case" in names
    assert_problem(client.get("/api/users/99/items"), 404)
    assert_problem(client.get("/api/users/99"), 404)
