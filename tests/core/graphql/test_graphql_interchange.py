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
