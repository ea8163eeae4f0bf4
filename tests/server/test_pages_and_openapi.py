"""Index, lessons (two languages), code-on-demand page, and the OpenAPI document."""

from __future__ import annotations

import re

import pytest
import yaml

from bundled_server.lessons import catalogue
from bundled_server.openapi import HTTP_METHODS, document

from .conftest import assert_problem

LESSONS = [
    "what-is-an-api",
    "requests-and-responses",
    "client-server",
    "statelessness",
    "cacheability",
    "layered-system",
    "code-on-demand",
    "uniform-interface",
    "http-methods",
    "testing-and-chaining",
    "flask",
    "wsgi",
    "requests-library",
    "common-mistakes",
    "graphql",
    "realtime",
    "oauth",
]
# The lessons that have endpoints of their own, each an OpenAPI tag (the Sample API's
# folders); the others teach with the endpoints of these and of the toolbox.
TEACHING_ONLY = {"what-is-an-api", "requests-and-responses", "wsgi", "requests-library"}
LESSONS_WITH_ENDPOINTS = [name for name in LESSONS if name not in TEACHING_ONLY]


def test_index_is_html_from_template_with_stylesheet(client):
    response = client.get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    html = response.get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/css/style.css">' in html
    for name in LESSONS:
        assert f'href="/lessons/{name}?lang=en"' in html
    assert "/api/todos" in html and "/anything" in html
    assert "Accept" in response.headers["Vary"]
    css = client.get("/static/css/style.css")
    assert css.status_code == 200 and b"prefers-color-scheme: dark" in css.data
    css.close()


def test_index_as_json_for_programs(client):
    response = client.get("/", headers={"Accept": "application/json"})
    body = response.get_json()
    assert {lesson["href"] for lesson in body["lessons"]} == {f"/lessons/{n}" for n in LESSONS}
    assert {"method": "GET", "path": "/health"} in body["endpoints"]
    assert_problem(client.get("/", headers={"Accept": "image/png"}), 406)


def test_every_lesson_exists_in_both_languages():
    assert list(catalogue()) == LESSONS
    for name, lesson in catalogue().items():
        for lang in ("en", "ko"):
            text = lesson[lang]
            assert text["title"] and text["summary"] and len(text["paragraphs"]) >= 2, name
        assert lesson["tries"], name
        for attempt in lesson["tries"]:
            assert attempt["method"] and attempt["path"].startswith("/")
            assert attempt["expect"]["en"] and attempt["expect"]["ko"]


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_language_negotiation(client, name):
    english = client.get(f"/lessons/{name}")
    assert english.status_code == 200
    assert english.headers["Content-Language"] == "en"
    assert "Accept-Language" in english.headers["Vary"]
    korean = client.get(f"/lessons/{name}", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert korean.headers["Content-Language"] == "ko"
    assert '<html lang="ko">' in korean.get_data(as_text=True)
    assert catalogue()[name]["ko"]["title"] in korean.get_data(as_text=True)
    forced = client.get(f"/lessons/{name}?lang=en", headers={"Accept-Language": "ko"})
    assert forced.headers["Content-Language"] == "en"
    assert catalogue()[name]["en"]["title"] in forced.get_data(as_text=True)


def test_lesson_lists_requests_to_try(client):
    html = client.get("/lessons/http-methods").get_data(as_text=True)
    assert "Try it" in html
    assert '<span class="method method-post">POST</span>' in html
    assert "<code>201 Created</code>" in html


def test_unknown_lesson_is_404(client):
    assert_problem(client.get("/lessons/nope"), 404)
    assert client.get("/lessons/").status_code == 200


def test_code_on_demand_page_is_a_shell(client):
    html = client.get("/demo/code-on-demand").get_data(as_text=True)
    assert '<script src="/static/js/widget.js" defer></script>' in html
    assert 'id="items-widget"' in html
    assert "Mechanical keyboard" not in html  # the items only come from the script
    script = client.get("/static/js/widget.js")
    assert script.mimetype == "text/javascript" and b"fetch(" in script.data
    script.close()


def _as_openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_openapi_covers_every_route_and_nothing_else(app):
    doc = document()
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = (
            {"get", "post", "put", "patch", "delete"}
            if rule.methods is None
            else {m.lower() for m in rule.methods} - {"head", "options"}
        )
        routes.setdefault(_as_openapi_path(rule.rule), set()).update(methods)
    assert set(doc["paths"]) == set(routes)
    for path, methods in routes.items():
        documented = {m for m in doc["paths"][path] if m in HTTP_METHODS}
        assert methods <= documented, path


def test_openapi_operations_have_lesson_tags_and_examples():
    doc = document()
    tags = {tag["name"] for tag in doc["tags"]}
    assert set(LESSONS_WITH_ENDPOINTS) <= tags
    assert tags - {"toolbox"} <= set(LESSONS)  # every other tag is a lesson
    for path, item in doc["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = item[method]
            assert op["tags"] and set(op["tags"]) <= tags, (path, method)
            assert op["summary"], (path, method)
            # 101 is the success of a WebSocket's handshake.
            success = [r for code, r in op["responses"].items() if str(code)[0] in "123"]
            assert success or "default" in op["responses"], (path, method)
            for response in success:
                for media, content in response.get("content", {}).items():
                    assert "example" in content, (path, method, media)


def test_the_lesson_name_parameter_lists_every_lesson_in_order():
    parameters = document()["paths"]["/lessons/{name}"]["get"]["parameters"]
    name = next(p for p in parameters if p.get("name") == "name")
    assert name["schema"]["enum"] == LESSONS == list(catalogue())


def test_openapi_served_as_json_and_yaml(client):
    as_json = client.get("/openapi.json")
    assert as_json.mimetype == "application/json"
    body = as_json.get_json()
    assert body["openapi"].startswith("3.")
    assert body["servers"][0]["url"] == "http://localhost"
    as_yaml = client.get("/openapi.yaml")
    assert as_yaml.mimetype == "application/yaml"
    assert yaml.safe_load(as_yaml.data) == body


def test_every_operation_has_a_short_name_unique_in_its_lesson_and_a_sentence():
    # A client lists operations by `summary` (the Sample API's tree): short names that
    # tell the operations of one lesson apart; the sentence is the `description`.
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for path, item in document()["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = item[method]
            assert len(op["summary"]) <= 32, (path, method, op["summary"])
            assert op.get("description"), (path, method)
            key = (op["tags"][0], op["summary"])
            assert key not in seen, (path, method, seen.get(key))
            seen[key] = (path, method)


@pytest.mark.parametrize("path", ["/openapi.json", "/openapi.yaml"])
def test_the_openapi_document_revalidates_with_a_304(client, path):
    first = client.get(path)
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
