"""Insomnia v5 files (collection, design document, environment file, mock server) and
the v4 fields that were dropped without a word: per field, the report, detection without
--format, bad shapes with their location."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.collection import Collection, Folder, RequestItem, Variable, walk_requests
from explorer.core.formats import FormatError, convert, detect_format, import_text
from explorer.core.model import (
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    OAuth2,
    OAuth2Grant,
    Pair,
    Part,
    Request,
    Scripts,
    Subject,
)

FIXTURES = Path(__file__).parents[1] / "formats" / "fixtures" / "insomnia"


def _text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _requests(collection: Collection) -> dict[str, tuple[tuple[str, ...], Request]]:
    return {item.name: (path, item.request) for path, item in walk_requests(collection)}


@pytest.fixture(scope="module")
def harbour():
    return convert(_text("v5_collection.yaml"))


# --- detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["v5_collection.yaml", "v5_design.yaml", "v5_environment.yaml"]
)  # fmt: skip
def test_v5_files_are_detected_without_a_format(name: str) -> None:
    # Before: "The document is not a Postman, Insomnia, OpenAPI or HAR file".
    assert detect_format(_text(name)) == "insomnia"
    assert detect_format(_text(name), name) == "insomnia"
    assert convert(_text(name)).format == "insomnia"


def test_v5_as_json_is_detected_too() -> None:
    import yaml

    text = json.dumps(yaml.safe_load(_text("v5_collection.yaml")))
    assert detect_format(text) == "insomnia"
    assert len(walk_requests(import_text(text).collection)) == 7


# --- a collection, field by field -------------------------------------------------------


def test_v5_collection_tree_and_order(harbour) -> None:
    collection = harbour.result.collection
    assert (collection.name, collection.description) == ("Harbour API", "Ships and berths")
    # sortKey orders siblings; folders keep their children; the WebSocket is a request.
    assert [item.name for item in collection.items] == [
        "Ships", "Assign berth", "Ships by flag", "Harbour radio"
    ]  # fmt: skip
    radio = collection.items[3]
    assert isinstance(radio, RequestItem)
    assert (radio.request.method, radio.request.url) == ("WS", "ws://localhost:4010/radio")
    ships = collection.items[0]
    assert isinstance(ships, Folder) and ships.description == "Everything about ships"
    assert [item.name for item in ships.items] == ["Register ship", "Ship log", "Cargo"]
    found = _requests(collection)
    assert found["Load cargo"][0] == ("Ships", "Cargo")
    assert len(found) == 7


def test_v5_request_fields(harbour) -> None:
    found = _requests(harbour.result.collection)
    log = found["Ship log"][1]
    assert log.method == "GET" and log.url == "{{base_url}}/ships/:ship_id/log"
    assert log.params == (Pair("full", "1"), Pair("limit", "10"), Pair("page", "2", enabled=False))
    assert log.path_params == (Pair("ship_id", "42"),)
    assert log.headers == (Pair("Accept", "application/json"), Pair("X-Trace", "{{trace.id}}"))
    assert log.auth.kind == AuthKind.INHERIT
    assert log.options.follow_redirects is False
    assert log.description == "One ship's log"

    register = found["Register ship"][1]
    assert register.body == Body(
        BodyKind.RAW,
        text='{"name": "{{ship_name}}", "flag": "NO", "crew": 12}',
        content_type="application/json",
    )
    assert register.headers == ()  # the Content-Type went into the body
    assert register.auth == Auth(AuthKind.BASIC, username="captain", password="{{password}}")
    assert register.scripts == Scripts(
        kept_pre_request="insomnia.environment.set('started', Date.now());",
        kept_post_response="insomnia.test('Status is 201', () => {\n"
        "  insomnia.expect(insomnia.response.status).to.eql(201);\n});",
    )
    # The response tag of "Assign berth" became a capture on the request it reads.
    assert register.captures == (Capture("register_ship_id", Subject.JSONPATH, "$.id"),)

    load = found["Load cargo"][1]
    assert load.body.kind == BodyKind.FORM
    assert load.body.form == (
        Pair("item", "crates of tea"),
        Pair("count", "7"),
        Pair("draft", "yes", enabled=False),
    )
    manifest = found["Upload manifest"][1]
    assert manifest.body.parts == (
        Part("note", "first load"),
        Part("manifest", file="manifest.txt"),
    )
    assert manifest.auth == Auth(
        AuthKind.API_KEY, key_name="api_key", key_value="{{api_key}}", key_in="query"
    )

    berth = found["Assign berth"][1]
    assert berth.url == "{{base_url}}/berths/{{register_ship_id}}"
    assert berth.auth == Auth(AuthKind.DIGEST, username="harbour", password="master")
    assert berth.body == Body(BodyKind.RAW, text="berth 7", content_type="text/plain")
    assert berth.options.follow_redirects is True

    graphql = found["Ships by flag"][1]
    assert graphql.body.kind == BodyKind.GRAPHQL
    assert graphql.body.graphql.query.startswith("query { ships")
    assert graphql.body.graphql.variables == "{}"
    assert graphql.auth == Auth(  # oauth2: imported (it used to be dropped)
        AuthKind.OAUTH2,
        oauth2=OAuth2(
            grant=OAuth2Grant.CLIENT_CREDENTIALS,
            token_url="https://auth.example.com/token",
            client_id="harbour",
            client_secret="{{client_secret}}",
            pkce=False,
        ),
    )


def test_v5_folder_headers_auth_and_scripts(harbour) -> None:
    ships = harbour.result.collection.items[0]
    assert isinstance(ships, Folder)
    cargo = ships.items[2]
    assert isinstance(cargo, Folder)
    assert cargo.headers == (Pair("X-Folder", "cargo"),)
    assert cargo.auth == Auth(AuthKind.BEARER, token="{{secret_token}}")
    assert cargo.scripts == Scripts(kept_pre_request="console.log('cargo folder');")
    assert ships.auth.kind == AuthKind.INHERIT


def test_v5_environments_private_and_secret(harbour) -> None:
    result = harbour.result
    assert result.collection.variables == (
        Variable("base_url", "https://harbour.example.com"),
        Variable("ship_name", "Aurora"),
        Variable("trace.id", "t-1"),
    )
    assert [env.name for env in result.environments] == ["Staging secrets", "Local"]
    staging, local = result.environments
    assert local.variables == (Variable("base_url", "http://localhost:8080"),)
    # A private environment's values are secrets (kept in the local store, not the
    # collection); a vault (secret-typed) value cannot be read: a secret, empty.
    assert staging.variables == (
        Variable("password", "hunter2", secret=True),
        Variable("secret_token", "", secret=True),
        Variable("old_key", "legacy", secret=True, enabled=False),
    )
    assert result.to_write().environments == result.collection.environments


def test_v5_report_names_every_loss(harbour) -> None:
    report = harbour.result.report
    expected = [
        "The secret values of the environment 'Staging secrets' (1) are encrypted",
        "The cookie jar's cookies were not imported (1).",
        "Insomnia scripts (JavaScript) were kept as written, shown with their request or "
        "folder and never run (3).",
        "Descriptions of headers, parameters or form fields were not kept (1).",
        "Folder environment variables were written into the requests below them, which win "
        "over every environment as in Insomnia (1).",
        "Requests with URL encoding turned off in Insomnia are sent with API Explorer's "
        "defaults (1).",
        "Requests with body template rendering turned off",
        "Requests with cookie sending or storing turned off",
        "An Insomnia response tag (jsonpath $.id of 'Register ship') became {{register_ship_id}}",
    ]
    for words in expected:
        assert any(line.startswith(words) for line in report), (words, report)
    assert not any("hunter2" in line or "ZW5jcnlw" in line for line in report)


# --- other v5 files ------------------------------------------------------------------------


def test_v5_design_document_goes_through_the_openapi_importer() -> None:
    result = import_text(_text("v5_design.yaml"))
    collection = result.collection
    assert collection.name == "Lighthouse design"
    found = _requests(collection)
    assert set(found) == {"List lights", "Add a light"}
    assert found["Add a light"][1].body.text == '{\n  "name": "North Point"\n}'
    assert collection.variables == (
        Variable("base_url", "https://lights.example.com/v1"),
        Variable("keeper", "{{base_url}}/keepers"),
    )
    assert [env.name for env in collection.environments] == [
        "https://lights.example.com/v1",
        "Mock",
    ]
    assert [name for name, _data in result.files] == ["openapi.json"]
    assert "The design's requests were made from its OpenAPI document." in result.report
    assert any(
        line.startswith("The design's unit test suites (1, 1 tests)") for line in result.report
    )


def test_v5_design_with_requests_keeps_them_and_writes_the_document_beside() -> None:
    text = _text("v5_design.yaml").replace(
        "collection: []",
        "collection:\n  - name: Ping\n    url: http://h/ping\n    method: GET\n"
        "    meta:\n      id: req_ping",
    )
    result = import_text(text)
    assert list(_requests(result.collection)) == ["Ping"]
    ((name, data),) = result.files
    assert name == "openapi.json" and json.loads(data)["info"]["title"] == "Lighthouse API"
    assert any("written beside the collection as openapi.json" in line for line in result.report)


def test_v5_design_with_a_broken_document_names_where() -> None:
    text = _text("v5_design.yaml").replace("openapi: 3.0.3", "openapi: 9.9")
    with pytest.raises(FormatError) as caught:
        import_text(text)
    assert "OpenAPI version 9.9" in caught.value.message
    assert caught.value.location == "$.spec.contents.openapi"


def test_v5_environment_file() -> None:
    result = import_text(_text("v5_environment.yaml"))
    assert result.collection.items == ()
    assert result.collection.variables == (
        Variable("base_url", "https://api.example.com"),
        Variable("retries", "3"),
        Variable("verbose", "false"),
    )
    assert [env.name for env in result.environments] == ["Staging"]
    assert "This is an Insomnia environment file: it holds no requests." in result.report


def test_v5_mock_server_is_reported() -> None:
    text = (
        "type: mock.insomnia.rest/5.0\nname: Mock\nmeta:\n  id: wrk_m\nserver:\n"
        "  url: http://localhost:4010\nroutes:\n  - name: /a\n    method: GET\n"
        "  - name: /b\n    method: POST\n"
    )
    result = import_text(text)
    assert walk_requests(result.collection) == []
    assert any(
        line.startswith("This is an Insomnia mock server (2 routes)") for line in result.report
    )


# --- bad shapes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message", "location"),
    [
        (("collection:\n", "collection: 5\nx:\n"), "Expected an array", "$.collection"),
        (('        pathParameters:\n          - name: ship_id\n            value: "42"',
          "        pathParameters: 3"), "Expected an array",
         "$.collection[0].children[0].pathParameters"),
        (("  subEnvironments:", "  subEnvironments: {}\n  old:"), "Expected an array",
         "$.environments.subEnvironments"),
    ],
)  # fmt: skip
def test_v5_bad_shapes_name_their_place(change, message, location) -> None:
    text = _text("v5_collection.yaml").replace(*change, 1)
    with pytest.raises(FormatError) as caught:
        import_text(text)
    assert message in caught.value.message and caught.value.location == location


def test_v5_deep_folders_are_refused_in_one_line() -> None:
    item: dict = {"name": "leaf", "method": "GET", "url": "http://h/"}
    for level in range(40):
        item = {"name": f"f{level}", "children": [item]}
    text = json.dumps({"type": "collection.insomnia.rest/5.0", "collection": [item]})
    with pytest.raises(FormatError) as caught:
        import_text(text)
    assert "nested more than 32 levels" in caught.value.message


def test_v5_copied_ids_do_not_merge_folders() -> None:
    # Insomnia files copied by hand repeat ids; each item stays where it was written.
    folder = {
        "name": "A",
        "meta": {"id": "fld_1"},
        "children": [{"name": "r1", "method": "GET", "url": "http://h/1", "meta": {"id": "req_1"}}],
    }
    twin = {
        "name": "B",
        "meta": {"id": "fld_1"},
        "children": [{"name": "r2", "method": "GET", "url": "http://h/2", "meta": {"id": "req_1"}}],
    }
    text = json.dumps({"type": "collection.insomnia.rest/5.0", "collection": [folder, twin]})
    found = _requests(import_text(text).collection)
    assert {name: path for name, (path, _r) in found.items()} == {"r1": ("A",), "r2": ("B",)}


# --- v4 fidelity: what was dropped without a word ---------------------------------------------


def _v4(**changes: object) -> dict:
    document = json.loads((FIXTURES / "export.json").read_text(encoding="utf-8"))
    rows = {row["_id"]: row for row in document["resources"]}
    for key, value in changes.items():
        row_id, _, field = key.partition("__")
        rows[row_id][field] = value
    return document


def test_v4_scripts_are_kept_and_counted() -> None:
    # Before: preRequestScript and afterResponseScript were dropped without a word.
    document = _v4(
        req_1__preRequestScript="insomnia.environment.set('a', 1);",
        req_1__afterResponseScript="insomnia.test('ok', () => {});",
        fld_1__preRequestScript="console.log('folder');",
    )
    result = import_text(json.dumps(document))
    found = _requests(result.collection)
    assert found["List rockets"][1].scripts == Scripts(
        kept_pre_request="insomnia.environment.set('a', 1);",
        kept_post_response="insomnia.test('ok', () => {});",
    )
    folder = next(item for item in result.collection.items if isinstance(item, Folder))
    assert folder.scripts.kept_pre_request == "console.log('folder');"
    assert any(line.endswith("never run (3).") for line in result.report)


def test_v4_path_parameter_values_are_kept() -> None:
    # Before: `:id` became an empty path parameter; its value was lost.
    document = _v4(req_2__pathParameters=[{"name": "id", "value": "{{ _.rocket }}"}])
    found = _requests(import_text(json.dumps(document)).collection)
    assert found["Create rocket"][1].path_params == (Pair("id", "{{rocket}}"),)


def test_v4_vault_secrets_become_empty_secret_variables() -> None:
    # Before: `vault.token = <encrypted text>` became a plain variable.
    document = _v4(env_prod__data={"base_url": "https://p", "vault": {"token": "ZW5j"}})
    result = import_text(json.dumps(document))
    production = next(env for env in result.environments if env.name == "Production")
    assert production.variables == (
        Variable("base_url", "https://p"),
        Variable("token", "", secret=True),
    )
    assert not any("ZW5j" in line for line in result.report)


def test_v4_cookies_and_settings_are_reported() -> None:
    document = _v4(
        jar_1__cookies=[{"key": "a", "value": "b"}],
        req_1__settingEncodeUrl=False,
    )
    report = import_text(json.dumps(document)).report
    assert "The cookie jar's cookies were not imported (1)." in report
    assert any(line.startswith("Requests with URL encoding turned off") for line in report)


def test_v4_a_written_content_type_header_is_what_is_sent() -> None:
    # Before: the body's mimeType won and the header the user wrote was dropped.
    document = _v4(
        req_2__headers=[{"name": "Content-Type", "value": "application/vnd.api+json"}],
    )
    found = _requests(import_text(json.dumps(document)).collection)
    create = found["Create rocket"][1]
    assert create.body.content_type == "application/vnd.api+json"
    assert create.headers == ()


def test_v4_folder_environment_is_written_into_what_lies_below() -> None:
    # Before: "The folder environment of 'Rockets' was not kept." and {{tok}} unresolved.
    document = _v4(
        fld_1__environment={"tok": "abc", "nested": {"id": 7}},
        fld_1__authentication={"type": "bearer", "token": "{{ _.tok }}"},
        req_1__url="{{ _.base_url }}/rockets/{{ _.nested.id }}",
    )
    result = import_text(json.dumps(document))
    folder = next(item for item in result.collection.items if isinstance(item, Folder))
    assert folder.auth == Auth(AuthKind.BEARER, token="abc")
    listing = _requests(result.collection)["List rockets"][1]
    assert listing.url == "{{base_url}}/rockets/7"  # base_url is an environment's: kept
    assert any(
        line.startswith("Folder environment variables were written") for line in result.report
    )


def test_variables_written_with_spaces_or_brackets_become_plain() -> None:
    # Seen with a real v5 export (a tasks API suite): a body held `"{{ taskDescription }}"`,
    # which Insomnia's Nunjucks renders like `{{taskDescription}}`. It was kept with its
    # spaces, and the Postman export sent it to the server literally (newman reads
    # `{{ taskDescription }}` as a variable named " taskDescription "). Insomnia also
    # writes `{{ _['name'] }}` for names a dot cannot reach.
    text = (
        "type: collection.insomnia.rest/5.0\nname: T\nmeta:\n  id: wrk_t\ncollection:\n"
        "  - url: \"{{ _['Base-URL'] }}/tasks/{{ id }}\"\n    name: R\n"
        "    meta:\n      id: req_1\n    method: POST\n"
        "    headers:\n      - name: X-Title\n        value: '{{  title}}'\n"
        "    body:\n      mimeType: application/json\n"
        '      text: \'{"d": "{{ taskDescription }}", "n": {{_["n"]}}}\'\n'
        "environments:\n  name: Base Environment\n  meta:\n    id: env_1\n"
        "  data:\n    greeting: 'hello {{ title }}'\n"
    )
    result = import_text(text)
    request = _requests(result.collection)["R"][1]
    assert request.url == "{{Base-URL}}/tasks/{{id}}"
    assert request.headers == (Pair("X-Title", "{{title}}"),)
    assert request.body.text == '{"d": "{{taskDescription}}", "n": {{n}}}'
    assert Variable("greeting", "hello {{title}}") in result.collection.variables
