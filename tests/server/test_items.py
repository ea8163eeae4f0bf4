"""/api/items: the RFC-correct REST core."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from .conftest import assert_problem

NEW = {"name": "Laptop stand", "price": 39.5, "category": "office", "tags": ["desk"]}


def _links(header: str) -> dict[str, str]:
    found = {}
    for part in header.split(","):
        url, rel = part.split(";")
        found[rel.strip().split("=")[1].strip('"')] = url.strip().strip("<>")
    return found


def test_api_root_links_every_resource(client):
    links = client.get("/api").get_json()["_links"]
    for rel in ("items", "users", "todos", "token", "openapi"):
        assert client.get(links[rel]["href"]).status_code in (200, 405)
    assert links["items"]["href"] == "/api/items"


def test_pagination_envelope_and_link_header(client):
    response = client.get("/api/items?page=2&per_page=5")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"]) == (2, 5, 22)
    assert body["total_pages"] == 5
    assert [i["id"] for i in body["data"]] == [6, 7, 8, 9, 10]
    assert response.headers["X-Total-Count"] == "22"
    links = _links(response.headers["Link"])
    assert set(links) == {"first", "prev", "next", "last"}
    assert links["next"].endswith("/api/items?page=3&per_page=5")
    assert "page=5" in links["last"] and "page=1" in links["prev"]
    assert body["_links"]["next"]["href"] == "/api/items?page=3&per_page=5"


def test_first_page_has_no_prev_and_last_no_next(client):
    first = _links(client.get("/api/items?per_page=10").headers["Link"])
    assert "prev" not in first and "next" in first
    last = _links(client.get("/api/items?per_page=10&page=3").headers["Link"])
    assert "next" not in last and "prev" in last


def test_filter_search_and_sort(client):
    books = client.get("/api/items?category=books&sort=-price").get_json()["data"]
    assert {i["category"] for i in books} == {"books"}
    prices = [i["price"] for i in books]
    assert prices == sorted(prices, reverse=True) and len(prices) == 3
    found = client.get("/api/items?q=coffee").get_json()["data"]
    assert {i["name"] for i in found} == {"Coffee grinder", "Pour-over kettle"}
    cheap = client.get("/api/items?max_price=10&in_stock=true").get_json()["data"]
    assert all(i["price"] <= 10 and i["in_stock"] for i in cheap) and cheap
    by_two = client.get("/api/items?sort=category,-price&per_page=100").get_json()["data"]
    keys = [(i["category"], -i["price"]) for i in by_two]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    "query",
    [
        "per_page=0",
        "per_page=101",
        "page=abc",
        "sort=colour",
        "in_stock=maybe",
        "min_price=cheap",
        "colour=red",
    ],
)
def test_bad_parameters_are_400(client, query):
    body = assert_problem(client.get(f"/api/items?{query}"), 400)
    assert body["errors"][0]["parameter"] in query


def test_post_201_location_etag(client):
    response = client.post("/api/items", json=NEW)
    assert response.status_code == 201
    item = response.get_json()
    assert response.headers["Location"] == f"/api/items/{item['id']}"
    assert response.headers["ETag"]
    assert item["in_stock"] is True and item["description"] == ""
    again = client.get(response.headers["Location"])
    assert again.headers["ETag"] == response.headers["ETag"]


def test_post_errors(client):
    assert_problem(client.post("/api/items", data="{", content_type="application/json"), 400)
    assert_problem(client.post("/api/items", data="x", content_type="text/plain"), 415)
    body = assert_problem(client.post("/api/items", json={"name": "", "price": -1}), 422)
    assert {e["field"] for e in body["errors"]} == {"name", "price", "category"}
    duplicate = client.post("/api/items", json={**NEW, "name": "webcam"})
    body = assert_problem(duplicate, 409)
    assert body["existing"] == "/api/items/19"
    ghost_owner = client.post("/api/items", json={**NEW, "owner_id": 99})
    assert_problem(ghost_owner, 422)


def test_get_has_validators_and_vary(client):
    response = client.get("/api/items/1")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"].endswith("GMT")
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Vary"] == "Accept"


def test_if_none_match_gives_304_with_etag(client):
    etag = client.get("/api/items/1").headers["ETag"]
    response = client.get("/api/items/1", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Vary"] == "Accept"
    weak = client.get("/api/items/1", headers={"If-None-Match": "W/" + etag})
    assert weak.status_code == 304
    stale = client.get("/api/items/1", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_if_modified_since(client):
    last = client.get("/api/items/1").headers["Last-Modified"]
    assert client.get("/api/items/1", headers={"If-Modified-Since": last}).status_code == 304
    old = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert client.get("/api/items/1", headers={"If-Modified-Since": old}).status_code == 200


def test_negotiation_json_xml_html_csv(client):
    plain = client.get("/api/items/1", headers={"Accept": ""})
    assert plain.mimetype == "application/json"
    xml = client.get("/api/items/1", headers={"Accept": "application/xml"})
    assert xml.mimetype == "application/xml"
    root = ET.fromstring(xml.data)
    assert root.tag == "item" and root.get("id") == "1"
    assert root.findtext("name") == "Mechanical keyboard"
    html = client.get("/api/items/1", headers={"Accept": "text/html,application/xhtml+xml"})
    assert html.mimetype == "text/html" and b"Mechanical keyboard" in html.data
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/api/items/1", headers={"Accept": "text/csv"}).get_data(as_text=True)
            )
        )
    )
    assert rows[0][:2] == ["id", "name"] and rows[1][:2] == ["1", "Mechanical keyboard"]
    weighted = client.get("/api/items/1", headers={"Accept": "application/json;q=0.5, text/csv"})
    assert weighted.mimetype == "text/csv"
    tags = {r.headers["ETag"] for r in (plain, xml, html)}
    assert len(tags) == 3  # one strong validator per representation
    for response in (plain, xml, html):
        assert response.headers["Vary"] == "Accept"


def test_unacceptable_is_406_listing_types(client):
    response = client.get("/api/items/1", headers={"Accept": "image/png"})
    body = assert_problem(response, 406)
    assert set(body["available"]) == {
        "application/json",
        "application/xml",
        "text/html",
        "text/csv",
    }
    assert response.headers["Vary"] == "Accept"


def test_put_replaces_and_creates(client):
    replaced = client.put(
        "/api/items/2", json={"name": "USB-C dock", "price": 80, "category": "electronics"}
    )
    assert replaced.status_code == 200
    body = replaced.get_json()
    assert body["tags"] == [] and body["owner_id"] is None  # full replace: omitted = default
    created = client.put("/api/items/500", json={"name": "Brand new", "price": 1, "category": "x"})
    assert created.status_code == 201
    assert created.headers["Location"] == "/api/items/500"
    assert client.post("/api/items", json={**NEW, "name": "after 500"}).get_json()["id"] == 501


def test_get_edit_put_round_trip(client):
    item = client.get("/api/items/4").get_json()
    item["price"] = 399.0
    response = client.put("/api/items/4", json=item)
    assert response.status_code == 200
    assert response.get_json()["price"] == 399.0


def test_if_match_guards_writes(client):
    etag = client.get("/api/items/1").headers["ETag"]
    stale = '"0000000000"'
    body = {"name": "Keyboard", "price": 1, "category": "electronics"}
    response = client.put("/api/items/1", json=body, headers={"If-Match": stale})
    assert_problem(response, 412)
    assert response.headers["ETag"] == etag
    ok = client.put("/api/items/1", json=body, headers={"If-Match": etag})
    assert ok.status_code == 200
    assert_problem(client.delete("/api/items/1", headers={"If-Match": etag}), 412)
    new_etag = ok.headers["ETag"]
    assert client.delete("/api/items/1", headers={"If-Match": new_etag}).status_code == 204
    assert_problem(client.put("/api/items/1", json=body, headers={"If-Match": "*"}), 412)


def test_if_match_accepts_any_representation_tag(client):
    xml_tag = client.get("/api/items/3", headers={"Accept": "application/xml"}).headers["ETag"]
    patch = client.patch(
        "/api/items/3",
        data='{"price": 10}',
        content_type="application/merge-patch+json",
        headers={"If-Match": xml_tag},
    )
    assert patch.status_code == 200


def test_if_none_match_star_is_create_only(client):
    body = {"name": "Only once", "price": 1, "category": "x"}
    first = client.put("/api/items/600", json=body, headers={"If-None-Match": "*"})
    assert first.status_code == 201
    assert_problem(client.put("/api/items/600", json=body, headers={"If-None-Match": "*"}), 412)


def test_patch_merge_patch(client):
    response = client.patch(
        "/api/items/1",
        data='{"price": 70, "tags": null, "description": "Quieter switches."}',
        content_type="application/merge-patch+json",
    )
    assert response.status_code == 200
    item = response.get_json()
    assert (item["price"], item["tags"], item["name"]) == (70, [], "Mechanical keyboard")
    assert item["description"] == "Quieter switches."
    removed_required = client.patch(
        "/api/items/1", data='{"name": null}', content_type="application/merge-patch+json"
    )
    assert_problem(removed_required, 422)


def test_patch_wrong_type_is_415_with_accept_patch(client):
    response = client.patch("/api/items/1", json={"price": 1})
    assert_problem(response, 415)
    assert response.headers["Accept-Patch"] == "application/merge-patch+json"


def test_delete_twice(client):
    assert client.delete("/api/items/5").status_code == 204
    assert_problem(client.delete("/api/items/5"), 404)
    assert_problem(client.get("/api/items/5"), 404)


def test_head_and_options(client):
    get = client.get("/api/items/1")
    head = client.head("/api/items/1")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == get.headers["Content-Length"]
    options = client.options("/api/items/1")
    assert options.status_code == 200
    allowed = {m.strip() for m in options.headers["Allow"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"}
    assert options.headers["Accept-Patch"] == "application/merge-patch+json"
    collection = client.options("/api/items")
    assert {m.strip() for m in collection.headers["Allow"].split(",")} == {
        "GET",
        "HEAD",
        "OPTIONS",
        "POST",
    }


def test_wrong_method_on_collection_is_405(client):
    response = client.delete("/api/items")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_concurrent_creates_never_lose_an_item(app):
    import threading

    errors = []

    def worker(n: int) -> None:
        client = app.test_client()
        for i in range(10):
            r = client.post("/api/items", json={"name": f"t{n}-{i}", "price": 1, "category": "x"})
            if r.status_code != 201:
                errors.append(r.status_code)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    total = app.test_client().get("/api/items").get_json()["total"]
    assert total == 22 + 50
