"""JSON Schema and OpenAPI checks: inline and file schemas, $refs between files, files
outside the collection refused, the practice server's responses against its own
document, OpenAPI 3.0's nullable, Swagger 2.0, and the importer's link: each imported
request checks its response against the document written beside the collection."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.application.importing import convert, import_new_collection
from explorer.core.checks.evaluate import CheckContext, evaluate
from explorer.core.checks.results import AssertionResult, ResponseFacts
from explorer.core.collection import walk_requests
from explorer.core.formats.openapi import SPEC_FILE, import_openapi
from explorer.core.model import Assertion, Operator, Subject
from explorer.core.storage.collection_files import load_collection
from explorer.core.storage.secrets import SecretStore

from .conftest import Fetch

Ctx = Callable[..., CheckContext]
FIXTURES = Path(__file__).parents[1] / "formats" / "fixtures" / "openapi"


def json_facts(body: object, status: int = 200, content_type: str = "application/json"):
    data = json.dumps(body).encode()
    return ResponseFacts(
        status=status, headers=(("Content-Type", content_type),), body=data,
        body_size=len(data), content_type=content_type,
    )  # fmt: skip


def schema_check(facts: ResponseFacts, argument: str, ctx: CheckContext, **kw) -> AssertionResult:
    return evaluate(
        Assertion(Subject.JSON_SCHEMA, Operator.VALID, argument=argument, **kw), facts, ctx
    )


def openapi_check(facts: ResponseFacts, argument: str, ctx: CheckContext) -> AssertionResult:
    return evaluate(Assertion(Subject.OPENAPI, Operator.VALID, argument=argument), facts, ctx)


# --------------------------------------------------------------------------- JSON Schema


def test_inline_schema_passes_and_fails_naming_where(context: Ctx) -> None:
    schema = '{"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}'
    assert schema_check(json_facts({"id": 3}), schema, context()).passed
    failed = schema_check(json_facts({"id": "3"}), schema, context())
    assert not failed.passed and failed.actual == "1 error"
    assert failed.message == "$['id']: '3' is not of type 'integer'"
    assert schema_check(json_facts({"id": "3"}), schema, context(), negate=True).passed


def test_schema_file_with_a_ref_to_another_file(tmp_path: Path, context: Ctx) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "item.json").write_text(
        json.dumps({"type": "object", "properties": {"tags": {"$ref": "tags.json"}}})
    )
    (tmp_path / "schemas" / "tags.json").write_text(
        json.dumps({"type": "array", "items": {"type": "string"}})
    )
    ctx = context(root=tmp_path)
    assert schema_check(json_facts({"tags": ["a"]}), "schemas/item.json", ctx).passed
    failed = schema_check(json_facts({"tags": [1]}), "schemas/item.json", ctx)
    assert not failed.passed and failed.message == "$['tags'][0]: 1 is not of type 'string'"


def test_schema_file_outside_the_collection_is_refused(tmp_path: Path, context: Ctx) -> None:
    root = tmp_path / "collection"
    root.mkdir()
    (tmp_path / "private.json").write_text('{"type": "object"}')
    (root / "link.json").symlink_to(tmp_path / "private.json")
    ctx = context(root=root)
    for argument in ("../private.json", str(tmp_path / "private.json"), "link.json"):
        result = schema_check(json_facts({}), argument, ctx)
        assert not result.passed
        assert result.message == f"{argument!r} is outside the collection folder; it is not read"
    # A $ref may not leave it either.
    (root / "s.json").write_text(json.dumps({"$ref": "../private.json"}))
    result = schema_check(json_facts({}), "s.json", ctx)
    assert not result.passed and "outside the collection folder" in result.message
    # Without a collection no file is read at all.
    result = schema_check(json_facts({}), "s.json", context())
    assert "needs a saved collection" in result.message


def test_network_refs_are_not_fetched(tmp_path: Path, context: Ctx) -> None:
    schema = json.dumps({"$ref": "http://127.0.0.1:9/schema.json"})
    result = schema_check(json_facts({}), schema, context(root=tmp_path))
    assert not result.passed
    assert "only files in the collection folder are read" in result.message


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ('{"type": ', "The schema is not JSON"),
        ('{"type": "potato"}', "The schema is not valid: 'potato' is not valid"),
        ("missing.json", "'missing.json': no such file in the collection folder"),
        ("", "No JSON Schema given"),
    ],
)
def test_bad_schemas_are_messages(tmp_path: Path, context: Ctx, argument: str, message: str):
    result = schema_check(json_facts({}), argument, context(root=tmp_path))
    assert not result.passed and result.message.startswith(message), result.message


def test_a_body_that_is_not_json(context: Ctx) -> None:
    facts = ResponseFacts(status=200, body=b"<html/>", body_size=7, content_type="text/html")
    result = schema_check(facts, '{"type": "object"}', context())
    assert not result.passed and result.message.startswith("The body is not JSON")


# --------------------------------------------------------------------------- OpenAPI


@pytest.fixture(scope="module")
def practice_spec(tmp_path_factory: pytest.TempPathFactory, fetch: Fetch) -> Path:
    root = tmp_path_factory.mktemp("practice")
    (root / "api.json").write_bytes(fetch("/openapi.json").body)
    return root


def test_practice_server_answers_as_its_document_says(
    practice_spec: Path, fetch: Fetch, context: Ctx
) -> None:
    ctx = context(root=practice_spec)
    cases = [
        ("/api/items", "GET /api/items"),
        ("/api/items/1", "GET /api/items/{item_id}"),
        ("/api/items/999", "GET /api/items/{item_id}"),  # a documented 404 problem
        ("/api/users/1", "GET /api/users/{user_id}"),
        ("/json", "GET /json"),
        ("/xml", "GET /xml"),  # not JSON: its media type is documented, nothing to parse
        ("/auth/me", "GET /auth/me"),  # 401 without a token: documented
        ("/redirect/2", "GET /redirect/{n}"),  # judged on its own 302, not the target's 200
    ]
    for path, operation in cases:
        result = openapi_check(fetch(path), f"api.json#{operation}", ctx)
        assert result.passed, (path, result.message)


def test_a_response_against_the_wrong_operation_fails(
    practice_spec: Path, fetch: Fetch, context: Ctx
) -> None:
    ctx = context(root=practice_spec)
    result = openapi_check(fetch("/api/users"), "api.json#GET /api/items/{item_id}", ctx)
    assert not result.passed
    assert result.message.startswith("$: 'id' is a required property")
    teapot = openapi_check(fetch("/status/418"), "api.json#GET /api/items", ctx)
    assert not teapot.passed
    assert teapot.message.startswith("Status 418 is not documented for GET /api/items")


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("api.json#GET /nowhere", "api.json has no operation GET /nowhere"),
        ("api.json GET /api/items", "OpenAPI operation 'api.json GET /api/items': write it as"),
        ("../api.json#GET /api/items", "'../api.json' is outside the collection folder"),
        ("other.json#GET /x", "'other.json': no such file in the collection folder"),
    ],
)
def test_bad_operations_are_messages(
    practice_spec: Path, fetch: Fetch, context: Ctx, argument: str, message: str
) -> None:
    result = openapi_check(fetch("/json"), argument, context(root=practice_spec))
    assert not result.passed and result.message.startswith(message), result.message


OPENAPI_30 = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/pets/{id}": {
            "get": {
                "responses": {
                    "200": {
                        "description": "a pet",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                        },
                    },
                    "default": {"description": "anything else"},
                }
            }
        }
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "owner"],
                "properties": {
                    "id": {"type": "integer", "maximum": 10, "exclusiveMaximum": True},
                    "owner": {"type": "string", "nullable": True},
                    "nullable": {"type": "boolean"},  # a property named like the keyword
                    "tag": {"$ref": "#/components/schemas/Tag", "nullable": True},
                },
            },
            "Tag": {"type": "string", "enum": ["a", "b"]},
        }
    },
}


def test_openapi_30_nullable_and_boolean_exclusive_bounds(tmp_path: Path, context: Ctx) -> None:
    (tmp_path / "openapi.yaml").write_text(json.dumps(OPENAPI_30))  # JSON is YAML too
    ctx = context(root=tmp_path)
    operation = "openapi.yaml#GET /pets/{id}"
    good = {"id": 3, "owner": None, "tag": None, "nullable": True}
    assert openapi_check(json_facts(good), operation, ctx).passed
    assert openapi_check(json_facts({**good, "tag": "a"}), operation, ctx).passed
    for bad in ({**good, "id": 10}, {**good, "owner": 5}, {**good, "tag": "c"}, {"id": 1}):
        assert not openapi_check(json_facts(bad), operation, ctx).passed, bad
    # An undocumented status falls to `default`, which has no schema: nothing to check.
    assert openapi_check(json_facts("whatever", status=500), operation, ctx).passed


SWAGGER = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/users/{id}": {
            "get": {
                "responses": {
                    "200": {"description": "a user", "schema": {"$ref": "#/definitions/User"}},
                    "404": {"description": "none"},
                }
            }
        }
    },
    "definitions": {
        "User": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "integer"}, "email": {"type": "string"}},
        }
    },
}


def test_swagger_2_response_schema(tmp_path: Path, context: Ctx) -> None:
    (tmp_path / "swagger.json").write_text(json.dumps(SWAGGER))
    ctx = context(root=tmp_path)
    operation = "swagger.json#GET /users/{id}"
    assert openapi_check(json_facts({"id": 1, "email": "a@b.c"}), operation, ctx).passed
    failed = openapi_check(json_facts({"email": 5}), operation, ctx)
    assert not failed.passed and failed.actual == "2 errors"
    assert failed.message == "$: 'id' is a required property; $['email']: 5 is not of type 'string'"
    assert openapi_check(json_facts(None, status=404), operation, ctx).passed


# --------------------------------------------------------------------------- the importer's link


def test_imported_requests_check_their_responses_against_the_document() -> None:
    text = (FIXTURES / "petstore_v3.yaml").read_text()
    result = import_openapi(text)
    [(name, data)] = result.files
    assert name == SPEC_FILE == "openapi.json"
    assert json.loads(data)["info"]["title"] == "Pet Store"
    for _folder, item in walk_requests(result.collection):
        checks = item.request.assertions
        openapi = [a for a in checks if a.subject is Subject.OPENAPI]
        assert len(openapi) == 1 and openapi[0].operator is Operator.VALID
        spec, _, operation = openapi[0].argument.partition("#")
        method, _, route = operation.partition(" ")
        assert spec == "openapi.json" and method == item.request.method
        assert route in json.loads(data)["paths"]
        statuses = [a for a in checks if a.subject is Subject.STATUS]
        successes = [
            code
            for code in json.loads(data)["paths"][route][method.lower()].get("responses", {})
            if str(code).startswith("2")
        ]
        if len(successes) == 1:
            assert [a.expected for a in statuses] == successes
        else:
            assert statuses == []


def test_the_document_is_written_inside_the_imported_collection(
    tmp_path: Path, live_server: str, fetch: Fetch
) -> None:
    spec = fetch("/openapi.json").body.decode()
    imported = convert(spec, filename="openapi.json")
    written = import_new_collection(imported, tmp_path, SecretStore(tmp_path / "s.json"))
    assert (written.folder / "openapi.json").is_file()
    loaded = load_collection(written.folder)
    assert loaded.problems == ()
    checks = [
        a
        for _f, item in walk_requests(loaded.collection)
        if item.request.url.endswith("/api/items/:item_id") and item.request.method == "GET"
        for a in item.request.assertions
    ]
    ctx = CheckContext(lambda t: t, lambda n: None, written.folder)
    results = [evaluate(a, fetch("/api/items/1"), ctx) for a in checks]
    assert [r.label for r in results] == [
        "status == 200",
        "openapi openapi.json#GET /api/items/{item_id} valid",
    ]
    assert all(r.passed for r in results), results


def test_a_body_breaking_the_schema_many_times_is_bounded(context: Ctx) -> None:
    schema = '{"type": "array", "items": {"type": "string"}}'
    result = schema_check(json_facts(list(range(100_000))), schema, context())
    assert not result.passed and result.actual == "100 or more errors"
    assert result.message.startswith("$[0]: 0 is not of type 'string'; $[1]: 1 is not")
    assert result.message.endswith("(and 97+ more)")
    few = schema_check(json_facts([1, "a", 2]), schema, context())
    assert few.actual == "2 errors" and "more" not in few.message


def test_errors_at_mixed_paths_are_ordered(context: Ctx) -> None:
    schema = json.dumps(
        {
            "type": "object",
            "properties": {"a": {"type": "array", "items": {"type": "string"}}},
            "additionalProperties": {"type": "integer"},
        }
    )
    result = schema_check(json_facts({"a": [1], "0": "x", "b": "y"}), schema, context())
    assert not result.passed and result.actual == "3 errors"
    assert result.message.startswith("$['0']"), result.message
