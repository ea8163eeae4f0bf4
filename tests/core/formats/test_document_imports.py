"""Postman, OpenAPI, Insomnia, HAR and .http imports from fixture files; detection;
malformed files fail with their location; Postman and HAR exports round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.collection import (
    Collection,
    Environment,
    Folder,
    RequestItem,
    Variable,
    walk_requests,
)
from explorer.core.dothttp.exporter import export_http
from explorer.core.dothttp.parser import import_http
from explorer.core.formats import FormatError, detect_format, import_text
from explorer.core.formats.har import HarEntry, export_har, import_har
from explorer.core.formats.postman import export_postman, import_postman
from explorer.core.graphql.request import payload_text
from explorer.core.model import (
    Auth,
    AuthKind,
    Body,
    BodyKind,
    OAuth2Grant,
    Options,
    Pair,
    Part,
    Request,
)

FIXTURES = Path(__file__).parent / "fixtures"


def _requests(collection: Collection) -> dict[str, tuple[tuple[str, ...], Request]]:
    return {item.name: (path, item.request) for path, item in walk_requests(collection)}


def _load(name: str):
    path = FIXTURES / name
    return import_text(path.read_text(encoding="utf-8"), filename=path.name, base_dir=path.parent)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("postman/v21_collection.json", "postman"),
        ("postman/v20_collection.json", "postman"),
        ("postman/environment.json", "postman"),
        ("openapi/petstore_v3.yaml", "openapi"),
        ("openapi/openapi31.json", "openapi"),
        ("openapi/swagger2.json", "openapi"),
        ("insomnia/export.json", "insomnia"),
        ("insomnia/export.yaml", "insomnia"),
        ("har/browser.har", "har"),
        ("http/requests.http", "http"),
        ("http/crlf.rest", "http"),
        ("curl/chrome_bash.txt", "curl"),
    ],
)
def test_detect_format(name: str, expected: str) -> None:
    path = FIXTURES / name
    assert detect_format(path.read_text(encoding="utf-8"), path.name) == expected
    # Content alone is enough for every format but .http.
    if expected != "http":
        assert detect_format(path.read_text(encoding="utf-8")) == expected


# (fixture, message fragment, location): malformed files name where the problem is.
MALFORMED = [
    ("postman/bad_json.json", "Invalid JSON", "line 2, column 17"),
    ("postman/bad_shape.json", "Expected an array", "$.item[1].request.body.urlencoded"),
    ("openapi/bad_yaml.yaml", "Invalid YAML", "line 7, column 1"),
    ("openapi/bad_shape.json", "Expected an array", '$.paths["/a"].get.parameters'),
    ("har/bad_headers.har", "Expected an array", "$.log.entries[0].request.headers"),
    ("http/bad_header.http", "Not a header", "line 4, column 1"),
    ("insomnia/old_format.json", "v4", "$.__export_format"),
]


@pytest.mark.parametrize(("name", "message", "location"), MALFORMED)
def test_malformed_files_fail_with_location(name: str, message: str, location: str) -> None:
    with pytest.raises(FormatError) as caught:
        _load(name)
    assert message in caught.value.message
    assert caught.value.location == location


def test_unrecognised_text_is_a_format_error() -> None:
    with pytest.raises(FormatError):
        import_text("just some words")
    with pytest.raises(FormatError):
        import_text("{}", filename="x.json")


# --- Postman -----------------------------------------------------------------------------


def test_postman_v21_collection() -> None:
    result = _load("postman/v21_collection.json")
    collection = result.collection
    assert collection.name == "Shop API"
    assert collection.description == "All shop calls"
    assert collection.auth == Auth(AuthKind.BEARER, token="{{token}}")
    assert collection.variables == (
        Variable("base_url", "https://shop.example.com"),
        Variable("old", "x", enabled=False),
        Variable("n", "3"),
    )
    folder = collection.items[0]
    assert isinstance(folder, Folder) and folder.description == "Item calls"
    assert folder.auth == Auth(AuthKind.API_KEY, key_name="X-Key", key_value="{{k}}")
    found = _requests(collection)
    path, listing = found["List items"]
    assert path == ("Items",)
    assert listing.url == "{{base_url}}/items"
    assert listing.params == (
        Pair("page", "1"),
        Pair("q", "a b"),
        Pair("debug", "1", enabled=False),
    )
    assert listing.headers[1] == Pair("X-Off", "1", enabled=False)
    assert listing.auth.kind == AuthKind.INHERIT
    assert listing.description == "Lists items"
    get_item = found["Get item"][1]
    assert get_item.path_params == (Pair("id", "42"),)
    assert get_item.auth == Auth()
    create = found["Create item"][1]
    assert create.body == Body(
        BodyKind.RAW, text='{"name": "café"}', content_type="application/vnd.shop+json"
    )
    assert create.headers == ()
    assert create.options == Options(follow_redirects=False, verify_tls=False, max_redirects=3)
    login = found["Login form"][1]
    assert login.url == "https://auth.example.com:8443/login"
    assert login.auth == Auth(AuthKind.BASIC, username="ann", password="{{pw}}")
    assert login.body.form == (Pair("a", "1"), Pair("b", "2", enabled=False))
    upload = found["Upload"][1].body
    assert upload.parts == (
        Part("title", "Q1"),
        Part("doc", file="/tmp/a.pdf", content_type="application/pdf"),
        Part("off", "x", enabled=False),
    )
    assert found["Raw file"][1].body == Body(BodyKind.BINARY, file="/tmp/data.bin")
    graphql = found["GraphQL"][1].body
    assert graphql.kind == BodyKind.GRAPHQL
    # The JSON text newman sends for it, byte for byte (postman-runtime's body builder).
    assert payload_text(graphql.graphql) == '{"query":"{ me { id } }","variables":{"a": 1}}'
    report = " ".join(result.report)
    for words in (
        "prerequest script",
        "test script",
        "saved response",
        "first file",
        "OAuth 2.0 at $.item[",
    ):
        assert words in report
    assert found["OAuth"][1].auth.kind == AuthKind.OAUTH2  # no longer dropped


def test_postman_v20_collection() -> None:
    found = _requests(_load("postman/v20_collection.json").collection)
    digest = found["Digest"][1]
    assert digest.auth == Auth(AuthKind.DIGEST, username="u", password="p")
    assert digest.headers == (Pair("X-One", "1"), Pair("X-Two", "2"))
    assert digest.params == (Pair("x", "1"),)
    assert found["Plain"][1].url == "https://legacy.example.com/plain"


def test_postman_environment() -> None:
    result = _load("postman/environment.json")
    assert result.environments == (
        Environment(
            "Staging",
            (
                Variable("base_url", "https://staging.example.com"),
                Variable("token", "", secret=True),
                Variable("off", "1", enabled=False),
            ),
        ),
    )


ROUND_TRIP_COLLECTION = Collection(
    name="Round trip",
    description="desc",
    variables=(Variable("base_url", "http://127.0.0.1:5000"), Variable("off", "1", enabled=False)),
    headers=(Pair("X-Collection", "1"),),
    auth=Auth(AuthKind.BEARER, token="{{token}}"),
    items=(
        Folder(
            "Folder",
            description="in folder",
            headers=(Pair("X-Folder", "f"),),
            auth=Auth(AuthKind.BASIC, username="u", password="p"),
            items=(
                RequestItem(
                    Request(
                        method="POST",
                        url="{{base_url}}/items/:id",
                        params=(Pair("q", "a b&c"), Pair("off", "1", enabled=False)),
                        path_params=(Pair("id", "7"),),
                        headers=(Pair("X-A", 'it\'s "q"'),),
                        body=Body(BodyKind.RAW, text='{"a": "ü"}', content_type="application/json"),
                        name="Create",
                        description="makes one",
                    ),
                    inherit_headers=False,
                ),
                Folder(
                    "Inner", items=(RequestItem(Request(url="https://x.io", name="Inner get")),)
                ),
            ),
        ),
        RequestItem(
            Request(
                method="PUT",
                url="https://x.io/f",
                body=Body(BodyKind.FORM, form=(Pair("a", "1"), Pair("b", "", enabled=False))),
                auth=Auth(AuthKind.API_KEY, key_name="k", key_value="v", key_in="query"),
                options=Options(follow_redirects=False, max_redirects=2, verify_tls=False),
                name="Form",
            )
        ),
        RequestItem(
            Request(
                method="POST",
                url="https://x.io/m",
                body=Body(
                    BodyKind.MULTIPART,
                    parts=(Part("t", "v"), Part("f", file="/tmp/a.png", content_type="image/png")),
                ),
                auth=Auth(),
                name="Multipart",
            )
        ),
        RequestItem(
            Request(
                method="PATCH",
                url="https://x.io/b",
                body=Body(
                    BodyKind.BINARY, file="/tmp/b.bin", content_type="application/octet-stream"
                ),
                auth=Auth(AuthKind.DIGEST, username="d", password="p"),
                name="Binary",
            )
        ),
    ),
)


def test_postman_export_round_trips() -> None:
    result = import_postman(export_postman(ROUND_TRIP_COLLECTION))
    assert result.collection == ROUND_TRIP_COLLECTION
    assert result.report == ()


def test_postman_export_never_writes_secret_values() -> None:
    collection = Collection("S", variables=(Variable("token", "hunter2", secret=True),))
    text = export_postman(collection)
    assert "hunter2" not in text
    assert import_postman(text).collection.variables == (Variable("token", "", secret=True),)


# --- OpenAPI -----------------------------------------------------------------------------


def test_openapi3_yaml() -> None:
    result = _load("openapi/petstore_v3.yaml")
    collection = result.collection
    assert collection.name == "Pet Store"
    assert collection.variables[0] == Variable("base_url", "https://eu.pets.example.com/v1")
    assert [env.name for env in result.environments] == [
        "https://eu.pets.example.com/v1",
        "http://localhost:8000/v1",
    ]
    assert collection.auth == Auth(AuthKind.BEARER, token="{{token}}")
    assert [item.name for item in collection.items if isinstance(item, Folder)] == [
        "pets",
        "owners",
    ]
    assert collection.items[0].description == "Everything about pets"
    found = _requests(collection)
    listing = found["List pets"][1]
    assert listing.url == "{{base_url}}/pets"
    assert listing.params == (
        Pair("limit", "1"),
        Pair("status", "available", enabled=False),
        Pair("tags", "a,b", enabled=False),
    )
    assert listing.headers == (Pair("X-Trace", "t-1", enabled=False), Pair("Cookie", "session=abc"))
    assert listing.auth.kind == AuthKind.INHERIT
    create = found["Create a pet"][1]
    body = json.loads(create.body.text)
    assert create.body.content_type == "application/json"
    assert body["name"] == "Rex" and body["email"] == "user@example.com" and "id" not in body
    assert body["kind"] == "cat" and body["owner"]["pets"] == []
    get_pet = found["getPet"][1]
    assert get_pet.url == "{{base_url}}/pets/:petId"
    assert get_pet.path_params == (Pair("petId", "3fa85f64-5717-4562-b3fc-2c963f66afa6"),)
    assert get_pet.auth == Auth()
    photo = found["Upload a photo"][1]
    assert photo.auth == Auth(
        AuthKind.API_KEY, key_name="api_key", key_value="{{apiKey}}", key_in="query"
    )
    assert photo.body.parts == (Part("caption", "cute"), Part("photo", file=""))
    login = found["POST /owners/{ownerId}/login"][1]
    assert login.auth == Auth(AuthKind.BASIC, username="{{username}}", password="{{password}}")
    assert login.body.form == (Pair("user", "ann"), Pair("remember", "true"))
    assert found["GET /health"][1].auth == Auth()
    assert any("oauth" in line for line in result.report)
    assert any("'photo'" in line for line in result.report)
    secrets = {variable.name for variable in collection.variables if variable.secret}
    assert secrets == {"token", "apiKey", "password"}


def test_openapi31_examples_by_reference() -> None:
    request = _requests(_load("openapi/openapi31.json").collection)["createItem"][1]
    assert request.body.text == '{\n  "name": "from example",\n  "n": 1\n}'


def test_swagger2() -> None:
    result = _load("openapi/swagger2.json")
    collection = result.collection
    assert collection.variables[0] == Variable("base_url", "https://old.example.com/api")
    assert collection.auth == Auth(AuthKind.API_KEY, key_name="X-API-Key", key_value="{{key}}")
    found = _requests(collection)
    user = found["Get user"][1]
    assert user.path_params == (Pair("id", "5"),) and user.params == (
        Pair("fields", "all", enabled=False),
    )
    patch = found["PATCH /users/{id}"][1]
    assert patch.body.text == '{\n  "name": "Bo",\n  "tags": [\n    "string"\n  ]\n}'
    assert patch.auth.kind == AuthKind.BASIC
    avatar = found["POST /avatar"][1]
    assert avatar.body.parts == (Part("file", file=""), Part("note", "hi"))


def test_openapi_recursive_schema_and_missing_reference() -> None:
    node = {"$ref": "#/components/schemas/Node"}
    document = {
        "openapi": "3.0.0",
        "info": {"title": "R"},
        "paths": {
            "/n": {
                "post": {"requestBody": {"content": {"application/json": {"schema": node}}}},
                "put": {
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/nowhere/X"}}}
                    }
                },
            }
        },
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "properties": {
                        "value": {"type": "integer"},
                        "children": {"type": "array", "items": node},
                        "self": node,
                    },
                }
            }
        },
    }
    text = json.dumps(document)
    result = import_text(text)
    found = _requests(result.collection)
    assert found["POST /n"][1].body.text == '{\n  "value": 0,\n  "children": []\n}'
    assert any("#/nowhere/X" in line for line in result.report)
    assert any("not absolute" in line for line in result.report)


# --- .http files -----------------------------------------------------------------------------


def test_http_file() -> None:
    result = _load("http/requests.http")
    collection = result.collection
    assert collection.variables == (
        Variable("host", "https://api.example.com"),
        Variable("token", "abc123"),
    )
    found = _requests(collection)
    users = found["List users"][1]
    assert users.url == "{{host}}/users"
    assert users.params == (Pair("page", "2"), Pair("q", "café"))
    assert users.headers == (
        Pair("Accept", "application/json"),
        Pair("Authorization", "Bearer {{token}}"),
    )
    create = found["createUser"][1]
    assert create.body == Body(
        BodyKind.RAW,
        text='{\n  "name": "Ann",\n  "note": "# not a comment"\n}',
        content_type="application/json",
    )
    login = found["Login with a form"][1]
    assert login.params == (Pair("tenant", "7"), Pair("lang", "en"))
    assert login.body.form == (Pair("user", "ann"), Pair("pass", "p&ss"), Pair("remember", "1"))
    assert login.options.follow_redirects is False
    upload = found["Upload a file"][1]
    assert upload.body.kind == BodyKind.BINARY
    assert upload.body.file == str(FIXTURES / "http" / "data" / "blob.bin")
    assert upload.path_params == (Pair("name"),)
    assert found["Simple"][1].url == "https://example.com/ping"
    assert any("response handler" in line for line in result.report)


def test_http_crlf_and_no_title() -> None:
    found = _requests(_load("http/crlf.rest").collection)
    assert found["POST https://a.example.com/b"][1].body.text == "line1\nline2"


def test_http_export_imports_back() -> None:
    text = export_http(ROUND_TRIP_COLLECTION)
    found = _requests(import_http(text).collection)
    create = found["Folder / Create"][1]
    assert create.url == "{{base_url}}/items/7"
    assert create.params == (Pair("q", "a b&c"),)
    assert create.body == ROUND_TRIP_COLLECTION.items[0].items[0].request.body
    assert found["Form"][1].body.form == (Pair("a", "1"),)
    assert found["Binary"][1].body.file == "/tmp/b.bin"
    assert found["Form"][1].options.follow_redirects is False


# --- HAR -------------------------------------------------------------------------------------


def test_har_import_requests_and_responses() -> None:
    imported = import_har((FIXTURES / "har" / "browser.har").read_text(), name="browser")
    found = _requests(imported.result.collection)
    listing = found["GET /api/items"][1]
    assert listing.params == (Pair("page", "1"), Pair("q", "a b"))
    assert listing.headers == (Pair("accept", "application/json"), Pair("cookie", "sid=1"))
    assert found["POST /api/login"][1].body.form == (Pair("user", "ann"), Pair("x", "1"))
    assert found["PUT /api/items/1"][1].body == Body(
        BodyKind.RAW, text='{"n": 1}', content_type="application/json"
    )
    first, second, third = imported.entries
    assert (first.status, first.reason, first.response_body, first.time_ms) == (
        200,
        "OK",
        b'{"ok":true}',
        120.5,
    )
    assert second.response_body == b"\x89PNG"
    assert third.status == 0


def test_har_export_round_trips_entries() -> None:
    entries = (
        HarEntry(
            method="POST",
            url="https://x.io/a?q=a%20b",
            request_headers=(("Content-Type", "application/json"),),
            request_body=b'{"a": 1}',
            status=201,
            reason="Created",
            response_headers=(("Content-Type", "application/octet-stream"),),
            response_body=b"\x00\xff binary",
            started="2024-01-01T00:00:00.000Z",
            time_ms=12.5,
        ),
        HarEntry(
            method="GET",
            url="https://x.io/b",
            status=404,
            reason="Not Found",
            response_body=b"nope",
        ),
    )
    imported = import_har(export_har(entries))
    assert [(e.method, e.url, e.status, e.response_body) for e in imported.entries] == [
        (e.method, e.url, e.status, e.response_body) for e in entries
    ]
    assert imported.entries[0].request_body == b'{"a": 1}'
    assert imported.entries[0].time_ms == 12.5


# --- Insomnia -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["insomnia/export.json", "insomnia/export.yaml"])
def test_insomnia_export(name: str) -> None:
    result = _load(name)
    collection = result.collection
    assert collection.name == "Space API" and collection.description == "Rockets"
    assert collection.variables == (
        Variable("base_url", "https://space.example.com"),
        Variable("auth.token", "t0k"),
    )
    assert [(env.name, env.variables[0].secret) for env in result.environments] == [
        ("Dev", True),
        ("Production", False),
    ]
    found = _requests(collection)
    path, listing = found["List rockets"]
    assert path == ("Rockets",)
    assert listing.url == "{{base_url}}/rockets"
    assert listing.params == (
        Pair("active", "true"),
        Pair("limit", "10"),
        Pair("off", "1", enabled=False),
    )
    assert listing.options.follow_redirects is False
    assert listing.auth.kind == AuthKind.INHERIT
    folder = next(item for item in collection.items if isinstance(item, Folder))
    assert folder.auth == Auth(AuthKind.BEARER, token="{{auth.token}}")
    create = found["Create rocket"][1]
    assert create.auth == Auth(AuthKind.BASIC, username="ann", password="{{pw}}")
    assert create.body.text.startswith('{"name": "{{name}}"')
    assert create.headers == () and create.path_params == (Pair("id"),)
    form = found["Form"][1]
    assert form.body.form == (Pair("a", "1"), Pair("b", "2", enabled=False))
    assert form.auth == Auth(AuthKind.API_KEY, key_name="api_key", key_value="k", key_in="query")
    assert found["Upload"][1].body.parts == (Part("f", file="/tmp/f.txt"), Part("t", "v"))
    report = " ".join(result.report)
    for words in ("OAuth 2.0", "template tag", "unit_test_suite"):
        assert words in report
    assert "GraphQL" not in report  # a GraphQL body of its own: nothing lost
    assert found["GQL"][1].body.kind == BodyKind.GRAPHQL
    assert found["GQL"][1].body.graphql.query == "{ a }"
    oauth = [request for _path, request in found.values() if request.auth.kind == AuthKind.OAUTH2]
    assert len(oauth) == 1 and oauth[0].auth.oauth2.grant == OAuth2Grant.CLIENT_CREDENTIALS


def test_curl_through_import_text() -> None:
    result = import_text("curl -X POST https://x.io/a -d a=1", filename="pasted.txt")
    (item,) = result.collection.items
    assert isinstance(item, RequestItem)
    assert item.request.name == "POST /a" and item.request.body.kind == BodyKind.FORM
