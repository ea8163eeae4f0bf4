"""Postman import and export carry what Postman sends (#14), checked without newman:
headers above a request, environments beside the export, body pruning, bodiless GETs,
urlencoded bodies under another Content-Type, value-less query parameters, GraphQL
bodies, file parts' types, v2.0 header blocks, and environments written once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from explorer.application.exporting import collection_export, write_collection
from explorer.application.importing import convert, import_new_collection
from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.formats import ImportResult, import_text
from explorer.core.formats.postman import export_postman, import_postman
from explorer.core.graphql.request import payload_text
from explorer.core.model import Auth, AuthKind, Body, BodyKind, GraphQL, Pair, Part, Request
from explorer.core.storage.secrets import SecretStore

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _document(*items: dict[str, Any], **extra: Any) -> str:
    return json.dumps({"info": {"name": "T", "schema": SCHEMA}, "item": list(items), **extra})


def _one(text: str) -> tuple[Request, tuple[str, ...]]:
    result = import_postman(text)
    item = result.collection.items[0]
    assert isinstance(item, RequestItem)
    return item.request, result.report


def _exported_requests(collection: Collection) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "item" in item:
                walk(item["item"])
            else:
                found[item["name"]] = item

    walk(json.loads(export_postman(collection))["item"])
    return found


# --- headers above a request ---------------------------------------------------------

INHERIT = Auth(AuthKind.INHERIT)
LAYERED = Collection(
    "Layers",
    headers=(Pair("X-Team", "core"), Pair("X-Env", "c"), Pair("X-Off", "1", enabled=False)),
    auth=Auth(AuthKind.BEARER, token="{{token}}"),
    items=(
        Folder(
            "Admin",
            headers=(Pair("X-Env", "folder"),),
            auth=Auth(AuthKind.BASIC, username="root", password="{{pw}}"),
            items=(
                RequestItem(Request(url="https://x.io/a", name="Takes all", auth=INHERIT)),
                RequestItem(
                    Request(url="https://x.io/b", name="Overrides", headers=(Pair("x-team", "me"),))
                ),
                RequestItem(
                    Request(url="https://x.io/c", name="Takes none"), inherit_headers=False
                ),
            ),
        ),
        RequestItem(Request(url="https://x.io/top", name="Top", auth=Auth())),
    ),
)


def test_headers_above_a_request_are_written_into_it_as_newman_must_send_them() -> None:
    found = _exported_requests(LAYERED)
    headers = {name: item["request"]["header"] for name, item in found.items()}
    assert headers["Takes all"] == [
        {"key": "X-Team", "value": "core"},
        {"key": "X-Env", "value": "folder"},
    ]
    assert headers["Overrides"] == [
        {"key": "X-Env", "value": "folder"},
        {"key": "x-team", "value": "me"},
    ]
    assert headers["Takes none"] == []
    assert headers["Top"] == [{"key": "X-Team", "value": "core"}, {"key": "X-Env", "value": "c"}]
    # Auth stays where Postman keeps it: on the collection and the folder, inherited.
    document = json.loads(export_postman(LAYERED))
    assert document["auth"]["type"] == "bearer"
    assert document["item"][0]["auth"]["type"] == "basic"
    assert "auth" not in found["Takes all"]["request"]
    assert found["Top"]["request"]["auth"] == {"type": "noauth"}


def test_the_export_says_headers_were_copied_and_imports_back_unchanged() -> None:
    export = collection_export(LAYERED, "postman")
    assert (
        "Postman has no headers above a request: the collection's and folders' headers were "
        "written into each of the 3 request(s) below them." in export.report
    )
    assert import_postman(export.text).collection == LAYERED


# --- environments beside the export -----------------------------------------------------

WITH_ENVIRONMENTS = Collection(
    "Shop",
    variables=(Variable("base", "https://shop.example"), Variable("key", "s3cr3t", secret=True)),
    environments=(
        Environment(
            "Prod",
            (
                Variable("host", "prod.example"),
                Variable("token", "hunter2", secret=True),
                Variable("old", "1", enabled=False),
            ),
        ),
        Environment("a/b: test", (Variable("host", "test.example"),)),
    ),
)


def test_each_environment_is_a_postman_environment_file_with_secrets_empty(tmp_path) -> None:
    export = collection_export(WITH_ENVIRONMENTS, "postman")
    assert [file.name for file in export.files] == [
        "{stem}.Prod.postman_environment.json",
        "{stem}.a-b- test.postman_environment.json",
    ]
    prod = json.loads(export.files[0].text)
    assert prod["name"] == "Prod" and prod["_postman_variable_scope"] == "environment"
    assert prod["values"] == [
        {"key": "host", "value": "prod.example", "type": "default", "enabled": True},
        {"key": "token", "value": "", "type": "secret", "enabled": True},
        {"key": "old", "value": "1", "type": "default", "enabled": False},
    ]
    for text in (export.text, *(file.text for file in export.files)):
        assert "hunter2" not in text and "s3cr3t" not in text
    # Collection variables stay in the collection.
    assert json.loads(export.text)["variable"][0] == {
        "key": "base",
        "value": "https://shop.example",
    }
    written = write_collection(
        WITH_ENVIRONMENTS, "postman", tmp_path / "shop.postman_collection.json"
    )
    assert [path.name for path in written.paths] == [
        "shop.postman_collection.json",
        "shop.Prod.postman_environment.json",
        "shop.a-b- test.postman_environment.json",
    ]
    again = import_text((tmp_path / "shop.Prod.postman_environment.json").read_text())
    assert again.environments == (
        Environment(
            "Prod",
            (
                Variable("host", "prod.example"),
                Variable("token", "", secret=True),
                Variable("old", "1", enabled=False),
            ),
        ),
    )


# --- bodies ---------------------------------------------------------------------------


def _item(method: str, body: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    request: dict[str, Any] = {"method": method, "url": "https://x.io/a", "header": []}
    if body is not None:
        request["body"] = body
    request.update(extra.pop("request", {}))
    return {"name": "R", "request": request, **extra}


GET_BODY = {"mode": "raw", "raw": '{"q": 1}', "options": {"raw": {"language": "json"}}}


def test_a_get_body_is_kept_with_disable_body_pruning_and_exported_with_it() -> None:
    kept, report = _one(
        _document(_item("GET", GET_BODY, protocolProfileBehavior={"disableBodyPruning": True}))
    )
    assert kept.body == Body(BodyKind.RAW, text='{"q": 1}', content_type="application/json")
    assert report == ()
    exported = _exported_requests(Collection("T", (RequestItem(kept),)))["R"]
    assert exported["protocolProfileBehavior"]["disableBodyPruning"] is True
    assert exported["request"]["body"]["raw"] == '{"q": 1}'
    # A POST needs no such flag.
    post = _exported_requests(Collection("T", (RequestItem(kept.with_changes(method="POST")),)))
    assert "disableBodyPruning" not in post["R"]["protocolProfileBehavior"]


def test_a_get_body_newman_prunes_is_not_sent_and_the_report_says_so() -> None:
    pruned, report = _one(_document(_item("GET", GET_BODY)))
    assert pruned.body == Body()
    assert report == (
        "The body of the GET request 'R' was not imported: Postman does not send it "
        "(disableBodyPruning is not set).",
    )


def test_a_bodiless_get_gains_no_content_type_on_import_or_export() -> None:
    # The shape of the RealWorld Conduit collection: an empty raw body on every GET.
    request, report = _one(
        _document(
            _item(
                "GET",
                {"mode": "raw", "raw": ""},
                request={"header": [{"key": "X-Requested-With", "value": "XMLHttpRequest"}]},
            )
        )
    )
    assert request.body == Body()
    assert request.headers == (Pair("X-Requested-With", "XMLHttpRequest"),)
    assert report == ()
    exported = _exported_requests(Collection("T", (RequestItem(request),)))["R"]["request"]
    assert exported["header"] == [{"key": "X-Requested-With", "value": "XMLHttpRequest"}]
    assert "body" not in exported
    # An explicit Content-Type on an empty body is the user's: it stays a header.
    typed, _ = _one(
        _document(
            _item(
                "POST",
                {"mode": "raw", "raw": ""},
                request={"header": [{"key": "Content-Type", "value": "application/json"}]},
            )
        )
    )
    assert typed.body == Body() and typed.headers == (Pair("Content-Type", "application/json"),)


def test_a_urlencoded_body_goes_out_as_a_form_whatever_its_content_type_header() -> None:
    request, report = _one(
        _document(
            _item(
                "POST",
                {"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1"}]},
                request={
                    "header": [
                        {"key": "Content-Type", "value": "application/json"},
                        {"key": "X-Other", "value": "kept"},
                    ]
                },
            )
        )
    )
    assert request.headers == (Pair("X-Other", "kept"),)
    assert request.body == Body(BodyKind.FORM, form=(Pair("a", "1"),))
    assert report == (
        "The Content-Type header of 'R' was left out: Postman sends its urlencoded body as "
        "application/x-www-form-urlencoded whatever the header says.",
    )
    # Its own type (with a charset) is no conflict.
    own, report = _one(
        _document(
            _item(
                "POST",
                {"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1"}]},
                request={
                    "header": [
                        {
                            "key": "content-type",
                            "value": "application/x-www-form-urlencoded; charset=utf-8",
                        }
                    ]
                },
            )
        )
    )
    assert len(own.headers) == 1 and report == ()


def test_graphql_is_a_graphql_body_that_sends_the_json_text_newman_sends() -> None:
    graphql = {
        "query": 'query Q($id: ID!) { item(id: $id) { name, "ü" } }',
        "variables": '{"id": "{{id}}"}',
    }
    request, report = _one(_document(_item("POST", {"mode": "graphql", "graphql": graphql})))
    assert request.body.kind == BodyKind.GRAPHQL and report == ()
    assert request.body.graphql == GraphQL(graphql["query"], '{"id": "{{id}}"}')
    assert payload_text(request.body.graphql) == (
        '{"query":"query Q($id: ID!) { item(id: $id) { name, \\"ü\\" } }",'
        '"variables":{"id": "{{id}}"}}'
    )
    empty, _ = _one(_document(_item("POST", {"mode": "graphql", "graphql": {"query": "{a}"}})))
    assert payload_text(empty.body.graphql) == '{"query":"{a}"}'
    as_object = {"query": "{a}", "variables": {"n": 1}, "operationName": "A"}
    objects, _ = _one(_document(_item("POST", {"mode": "graphql", "graphql": as_object})))
    assert objects.body.graphql == GraphQL("{a}", '{\n  "n": 1\n}', "A")
    on_get, said = _one(
        _document(
            _item(
                "GET",
                {"mode": "graphql", "graphql": {"query": "{a}"}},
                protocolProfileBehavior={"disableBodyPruning": True},
            )
        )
    )
    assert on_get.body.kind == BodyKind.GRAPHQL
    assert "sends it as query parameters" in " ".join(said)


def test_a_file_part_gets_the_type_newman_gives_it() -> None:
    formdata = [
        {"key": "a", "src": "notes.txt", "type": "file"},
        {"key": "b", "src": "/x/blob.unknownext", "type": "file"},
        {"key": "c", "src": "pic.png", "type": "file", "contentType": "image/x-mine"},
    ]
    request, _ = _one(_document(_item("POST", {"mode": "formdata", "formdata": formdata})))
    assert request.body.parts == (
        Part("a", file="notes.txt", content_type="text/plain"),
        Part("b", file="/x/blob.unknownext", content_type="application/octet-stream"),
        Part("c", file="pic.png", content_type="image/x-mine"),
    )
    # A part of ours without a type is exported with the type API Explorer sends for
    # it, so that newman does not send its own guess.
    untyped = Request(
        method="POST",
        name="U",
        body=Body(BodyKind.MULTIPART, parts=(Part("f", file="/d/a.png"), Part("g", file="b.zzz"))),
        url="https://x.io",
    )
    export = collection_export(Collection("T", (RequestItem(untyped),)), "postman")
    parts = json.loads(export.text)["item"][0]["request"]["body"]["formdata"]
    assert [part["contentType"] for part in parts] == ["image/png", "application/octet-stream"]
    # b.zzz is relative: newman looks for it in its working directory (seen by hand).
    assert export.report == (
        "1 request(s) send files named relative to the collection folder: run newman with "
        "--working-dir set to that folder (they are not copied)",
    )


# --- query parameters -------------------------------------------------------------------


def test_a_value_less_parameter_stays_value_less_both_ways() -> None:
    url = {
        "raw": "https://x.io/a?pretty&q=1",
        "host": ["x", "io"],
        "path": ["a"],
        "query": [
            {"key": "pretty", "value": None},
            {"key": "q", "value": "1"},
            {"key": "empty", "value": ""},
        ],
    }
    request, report = _one(_document(_item("GET", None, request={"url": url})))
    assert request.params == (Pair("pretty"), Pair("q", "1"), Pair("empty"))
    assert report == (
        "1 query parameter(s) of 'R' with an empty value (name=) are sent as a bare name.",
    )
    exported = _exported_requests(Collection("T", (RequestItem(request),)))["R"]["request"]
    assert exported["url"]["raw"] == "https://x.io/a?pretty&q=1&empty"
    assert exported["url"]["query"] == [
        {"key": "pretty", "value": None},
        {"key": "q", "value": "1"},
        {"key": "empty", "value": None},
    ]


# --- v2.0 and older shapes ----------------------------------------------------------------


def test_v20_shapes_read() -> None:
    document = {
        "info": {
            "name": "Old",
            "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json#2.0.0",
        },
        "item": [
            {"name": "Bare", "request": "https://legacy.example/plain?x=1"},
            {
                "name": "Block",
                "request": {
                    "url": "https://legacy.example/b",
                    "method": "post",
                    "header": "Accept: application/json\r\n//X-Off: 1\nX-Colon: a:b\nnonsense\n",
                },
            },
        ],
    }
    collection = import_text(json.dumps(document)).collection
    bare, block = (item.request for item in collection.items if isinstance(item, RequestItem))
    assert (bare.method, bare.url, bare.params) == (
        "GET",
        "https://legacy.example/plain",
        (Pair("x", "1"),),
    )
    assert block.method == "POST"
    assert block.headers == (
        Pair("Accept", "application/json"),
        Pair("X-Off", "1", enabled=False),
        Pair("X-Colon", "a:b"),
    )


def test_folder_variables_are_reported() -> None:
    text = _document({"name": "F", "item": [], "variable": [{"key": "v", "value": "1"}]})
    assert import_postman(text).report == (
        "1 variable(s) of the folder 'F' were not imported: folders have no variables here.",
    )


# --- every environment written once -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("postman/environment.json", ["staging.yaml"]),
        ("insomnia/export.json", ["dev.yaml", "production.yaml"]),
        (
            "openapi/petstore_v3.yaml",
            ["http-localhost-8000-v1.yaml", "https-eu-pets-example-com-v1.yaml"],
        ),
    ],
)
def test_an_import_writes_each_environment_once(tmp_path, source, expected) -> None:
    path = FIXTURES / source
    imported = convert(path.read_text(encoding="utf-8"), filename=path.name)
    written = import_new_collection(imported, tmp_path / "c", SecretStore(tmp_path / "s.json"))
    assert sorted(p.name for p in (written.folder / "environments").iterdir()) == expected


def test_an_environment_built_twice_by_an_importer_is_written_once(tmp_path) -> None:
    # An importer that builds the environment for the collection and again for the
    # list beside it (a copy that is not equal: another variable order).
    first = Environment("Conduit", (Variable("a", "1"), Variable("b", "2")))
    second = Environment("Conduit", (Variable("b", "2"), Variable("a", "1")))
    other = Environment("Other")
    result = ImportResult(Collection("Conduit", environments=(first,)), (second, other))
    assert result.to_write().environments == (first, other)
    from explorer.application.importing import write_new_collection

    write_new_collection(result, tmp_path / "c", SecretStore(tmp_path / "s.json"))
    assert sorted(p.name for p in (tmp_path / "c" / "environments").iterdir()) == [
        "conduit.yaml",
        "other.yaml",
    ]


def test_older_shapes_newman_runs_read() -> None:
    # Seen in real collections (Postman Echo, httpbin, newman's own tests): a path
    # variable named by `id`, rows marked `enabled`, one `event` object, no `info`.
    document = {
        "name": "No info",
        "item": [
            {
                "name": "Path",
                "request": {
                    "url": {
                        "raw": "httpbin.org/status/:code",
                        "host": ["httpbin", "org"],
                        "path": ["status", ":code"],
                        "variable": [{"value": "201", "id": "code"}],
                    },
                    "method": "POST",
                    "body": {
                        "mode": "formdata",
                        "formdata": [
                            {"key": "on", "value": "1", "type": "text", "enabled": True},
                            {"key": "off", "value": "2", "type": "text", "enabled": False},
                        ],
                    },
                },
                "event": {
                    "listen": "test",
                    "script": {
                        "exec": [
                            "pm.test('ok', function () {",
                            "  pm.response.to.have.status(201);",
                            "});",
                        ]
                    },
                },
            }
        ],
    }
    result = import_postman(json.dumps(document))
    assert result.collection.name == "No info"
    request = result.collection.items[0].request  # type: ignore[union-attr]
    assert request.path_params == (Pair("code", "201"),)
    assert request.body.parts == (Part("on", "1"), Part("off", "2", enabled=False))
    assert len(request.assertions) == 1


def test_a_url_without_a_path_gets_no_slash_from_newman() -> None:
    # newman turns an empty `path` list into "/": a URL held in a variable would end
    # in one (`…?test=x/`).
    request = Request(url="{{endpoint}}", name="R")
    url = _exported_requests(Collection("T", (RequestItem(request),)))["R"]["request"]["url"]
    assert url == {"raw": "{{endpoint}}", "host": ["{{endpoint}}"]}


def test_protocol_profile_behaviour_of_folders_applies_below_them() -> None:
    # Postman allows it on the collection and folders; newman applies the nearest.
    inner = _item("GET", GET_BODY)
    strict = _item("POST", None, protocolProfileBehavior={"strictSSL": True})
    folder = {
        "name": "F",
        "protocolProfileBehavior": {"disableBodyPruning": True, "strictSSL": False},
        "item": [inner, strict],
    }
    text = _document(
        folder, _item("GET", GET_BODY), protocolProfileBehavior={"followRedirects": False}
    )
    result = import_postman(text)
    folder_items = result.collection.items[0].items  # type: ignore[union-attr]
    kept, own = (item.request for item in folder_items)
    assert kept.body.text == '{"q": 1}'
    assert (kept.options.verify_tls, kept.options.follow_redirects) == (False, False)
    assert own.options.verify_tls is True
    outside = result.collection.items[1].request  # type: ignore[union-attr]
    assert outside.body == Body() and outside.options.follow_redirects is False


def test_the_export_says_when_newman_replaces_a_urlencoded_body_s_content_type() -> None:
    form = Body(BodyKind.FORM, form=(Pair("a", "1"),))
    request = Request(
        method="POST",
        url="https://x.io",
        name="F",
        body=form,
        headers=(Pair("Content-Type", "application/json"),),
    )
    report = collection_export(Collection("T", (RequestItem(request),)), "postman").report
    assert report == (
        "1 request(s) with a urlencoded body name another Content-Type: newman sends "
        "application/x-www-form-urlencoded instead.",
    )


def test_non_ascii_header_values_are_reported_both_ways() -> None:
    # newman writes a header value as Latin-1 (ø is one byte 0xF8); API Explorer sends
    # UTF-8, as curl, httpie and Go do: the wire differs, so the reports say so.
    header = [{"key": "X-Name", "value": "Søren"}, {"key": "X-Plain", "value": "a"}]
    request, report = _one(_document(_item("GET", None, request={"header": header})))
    assert report == (
        "1 header value(s) of 'R' hold non-ASCII text: newman sends them as Latin-1, "
        "API Explorer as UTF-8 (as curl does).",
    )
    export = collection_export(Collection("T", (RequestItem(request),)), "postman")
    assert export.report == (
        "1 header value(s) hold non-ASCII text: newman sends them as Latin-1, "
        "API Explorer as UTF-8.",
    )
