"""GraphQL bodies where other sources only say JSON: the GraphQL lesson's tries open as
GraphQL bodies that send the same operation (the Sample API's: tests/core/
test_sample_collection.py); the shared payload helpers keep what a file holds."""

from __future__ import annotations

import json

from explorer.core.graphql.interchange import (
    graphql_from_json_text,
    graphql_from_payload,
    payload_for_file,
    variables_text,
    variables_value,
)
from explorer.core.graphql.request import payload
from explorer.core.learn.catalogue import attempt_request, load_catalogue
from explorer.core.model import BodyKind, GraphQL


def test_the_lessons_graphql_tries_open_as_graphql_bodies_sending_the_same_json():
    lesson = load_catalogue().lesson("graphql", "en")
    assert lesson is not None
    converted = 0
    for attempt in lesson.attempts:
        request = attempt_request(attempt, "http://127.0.0.1:1")
        if attempt.path != "/graphql":
            assert request.body.kind != BodyKind.GRAPHQL
            continue
        assert request.body.kind == BodyKind.GRAPHQL
        assert payload(request.body.graphql) == json.loads(attempt.body)
        converted += 1
    assert converted >= 5


def test_payloads_of_files_are_read_without_losing_anything():
    operation = graphql_from_payload(
        {"query": "query Q { a }", "variables": {"n": 1}, "operationName": "Q"}
    )
    assert operation == GraphQL("query Q { a }", '{\n  "n": 1\n}', "Q")
    # Variables a file writes as text are kept as typed, JSON or not.
    kept = graphql_from_payload({"query": "{ a }", "variables": '{"n": {{n}}}'})
    assert kept is not None and kept.variables == '{"n": {{n}}}'
    assert payload_for_file(kept) == {"query": "{ a }", "variables": '{"n": {{n}}}'}
    assert graphql_from_payload({"query": "{ a }", "other": 1}) is None
    assert graphql_from_payload({"query": " "}) is None
    assert graphql_from_json_text('{"query": "{ a }"') is None
    assert graphql_from_json_text('{"name": "x"}') is None
    assert (variables_text(None), variables_text({}), variables_value("  ")) == ("", "", None)


def _collection(*requests):
    from explorer.core.collection import Collection, RequestItem

    return Collection(name="G", items=tuple(RequestItem(request) for request in requests))


def test_every_export_carries_what_a_graphql_request_sends():
    from explorer.application.exporting import collection_export
    from explorer.core.model import Body, Request

    posted = Request(
        name="post",
        method="POST",
        url="http://h/graphql",
        body=Body(BodyKind.GRAPHQL, graphql=GraphQL("query Q { a }", '{"n": 1}', "Q")),
    )
    got = Request(
        name="get",
        url="http://h/graphql",
        body=Body(BodyKind.GRAPHQL, graphql=GraphQL("{ a }", '{"n": 1}')),
    )
    hurl = collection_export(_collection(posted, got), "hurl")
    assert '{"query":"query Q { a }","operationName":"Q","variables":{"n": 1}}' in hurl.text
    assert '[QueryStringParams]\nquery: { a }\nvariables: {"n":1}\n' in hurl.text
    assert any("'post' is written as the JSON body it sends" in line for line in hurl.report)
    assert any("'get' is sent with GET" in line for line in hurl.report)
    postman = json.loads(collection_export(_collection(posted, got), "postman").text)
    bodies = {item["name"]: item["request"].get("body") for item in postman["item"]}
    assert bodies["post"] == {
        "mode": "graphql",
        "graphql": {"query": "query Q { a }", "variables": '{"n": 1}', "operationName": "Q"},
    }
    assert bodies["get"] is None
    bruno = dict(
        (file.name, file.text) for file in collection_export(_collection(posted), "bruno").files
    )
    (text,) = [text for name, text in bruno.items() if name.endswith("post.bru")]
    assert "type: graphql" in text and "body: graphql" in text
    assert "body:graphql {\n  query Q { a }\n}" in text
    report = collection_export(_collection(posted), "bruno").report
    assert any("name an operation, which Bruno does not send" in line for line in report)


def _http_requests(text: str):  # the requests of an .http file
    from explorer.core.collection import walk_requests
    from explorer.core.dothttp.parser import import_http

    return [item.request for _path, item in walk_requests(import_http(text).collection)]


def test_http_files_read_graphql_in_each_dialect_and_write_it_back():
    from explorer.core.dothttp.exporter import export_http_files
    from explorer.core.model import Body

    rest_client, jetbrains, plain = _http_requests(
        "### a\nPOST http://h/graphql\nX-REQUEST-TYPE: GraphQL\n\n"
        'query A($n: Int) {\n  a(n: $n)\n}\n\n{"n": 1}\n\n'
        "### b\nGRAPHQL http://h/graphql\n\n{ b }\n\n"
        "### c\nPOST http://h/post\nContent-Type: text/plain\n\nnot { graphql }\n"
    )
    assert rest_client.headers == () and rest_client.method == "POST"
    assert rest_client.body.graphql == GraphQL("query A($n: Int) {\n  a(n: $n)\n}", '{"n": 1}')
    assert (jetbrains.method, jetbrains.body.graphql.query) == ("POST", "{ b }")
    assert plain.body.kind == BodyKind.RAW
    exported = export_http_files(_collection(rest_client.with_changes(name="a"), jetbrains))
    assert "X-REQUEST-TYPE: GraphQL\nContent-Type: application/json\n\nquery A($n" in exported.text
    assert "\n\nquery { b }" in exported.text  # the shorthand, written as httpyac reads it
    again = _http_requests(exported.text)
    assert again[0].body.graphql == rest_client.body.graphql
    assert any("2 GraphQL request(s) are written in REST Client's form" in line
               for line in exported.losses)  # fmt: skip
    # A query the form cannot hold goes as the JSON it sends, and the export says so.
    block = GraphQL('query A { a(s: """x\n\ny""") }')
    odd = rest_client.with_changes(name="odd", body=Body(BodyKind.GRAPHQL, graphql=block))
    written = export_http_files(_collection(odd))
    assert '{"query":"query A { a(s: \\"\\"\\"x\\n\\ny\\"\\"\\") }"}' in written.text
    assert any("'odd' is written as the JSON body it sends" in line for line in written.losses)
