"""The lesson on testing and chaining: served in both languages, and what it says the
Sample API checks is what the Sample API collection really carries."""

from __future__ import annotations

import html
import re

import pytest

from bundled_server.lessons import catalogue
from explorer.core.collection import walk_requests
from explorer.core.model import Subject
from explorer.core.sample_collection import sample_collection

NAME = "testing-and-chaining"


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Testing and chaining"), ("ko", "테스트와 연결")]
)
def test_the_lesson_page_is_served(client, lang: str, title: str) -> None:
    response = client.get(f"/lessons/{NAME}?lang={lang}")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert f"<h1>{title}</h1>" in page
    assert "--reporter junit:report.xml" in page
    assert "<code>Authorization: Bearer {{token}}</code>" in page
    assert "/api/items/{{item_id}}" in page
    # It follows the HTTP methods lesson, and the index links it.
    assert 'href="/lessons/http-methods?lang=' in page
    assert f'href="/lessons/{NAME}?lang={lang}"' in client.get(f"/lessons/?lang={lang}").get_data(
        as_text=True
    )


def test_what_the_lesson_names_is_in_the_sample(client) -> None:
    collection = sample_collection(client.get("/openapi.json").get_data(as_text=True), "http://x")
    requests = {
        f"{item.request.method} {item.request.url.removeprefix('{{base_url}}')}": item.request
        for _folder, item in walk_requests(collection)
    }
    login, me = requests["POST /auth/token"], requests["GET /auth/me"]
    arguments = {
        name: {(a.argument, a.expected) for a in request.assertions}
        for name, request in requests.items()
    }
    assert {("$.token_type", "Bearer"), ("$.expires_in", "0"), ("Cache-Control", "no-store")} <= (
        arguments["POST /auth/token"]
    )
    assert {("$.username", "ada"), ("$.stored_on_server", "false")} <= arguments["GET /auth/me"]
    assert {("$.data", "list"), ("$.page", "1"), ("X-Total-Count", "")} <= (
        arguments["GET /api/items"]
    )
    assert ("count(//book)", "3") in arguments["GET /xml"]
    assert ("", "201") in arguments["POST /api/items"]
    assert [(c.variable, c.argument, c.secret) for c in login.captures] == [
        ("token", "$.access_token", True)
    ]
    assert me.auth.token == "{{token}}"
    assert [(c.variable, c.argument) for c in requests["POST /api/items"].captures] == [
        ("item_id", "$.id"),
        ("item_name", "$.name"),
    ]
    for method in ("PUT", "PATCH", "DELETE"):
        assert requests[f"{method} /api/items/:item_id"].path_params[0].value == "{{item_id}}"
    assert all(
        any(a.subject is Subject.OPENAPI for a in request.assertions)
        for request in requests.values()
    )
    # The collection starts by resetting the server, as the lesson says.
    first = [f"{i.request.method} {i.request.url}" for _f, i in walk_requests(collection)][:2]
    assert "POST {{base_url}}/admin/reset" in first
    text = " ".join(catalogue()[NAME]["en"]["paragraphs"])
    for named in (
        "$.token_type",
        "$.expires_in",
        "$.stored_on_server",
        "X-Total-Count",
        "count(//book)",
        "$.access_token",
        "item_id",
        "item_name",
        "/admin/reset",
    ):
        assert named in text, named  # fmt: skip
    assert re.search(r"`status == 201` for `POST /api/items`", text)
