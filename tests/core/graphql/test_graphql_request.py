"""A GraphQL body on the wire: the JSON body or GET parameters it goes out as, checked
by a GraphQL server written outside the project (ariadne, tests/support/graphql_server),
with variables resolved, bad variables stopping the send, and generated code (curl,
python) sending the same operation."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest

from explorer.core.codegen import generate
from explorer.core.graphql.request import (
    GraphQLBodyError,
    as_plain_request,
    parse_variables,
    payload,
    payload_text,
    query_params,
)
from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.prepare import automatic_headers, default_content_type
from explorer.core.http.transport import Transport
from explorer.core.model import Body, BodyKind, GraphQL, Pair, Request
from explorer.core.resolve.variables import Scope, resolve_request
from tests.support import peer_tools
from tests.support.graphql_server import GraphQLServer, graphql_server
from tests.support.recording_server import RecordingServer

BOOK_QUERY = """query Book($id: ID!) {
  book(id: $id) { title author { name books { title } } }
}
query Hello { hello }"""


def _graphql(url: str, method: str = "POST", **fields: str) -> Request:
    return Request(method=method, url=url, body=Body(BodyKind.GRAPHQL, graphql=GraphQL(**fields)))


@pytest.fixture(scope="module")
def server() -> Iterator[GraphQLServer]:
    with graphql_server() as running:
        yield running


@pytest.fixture(scope="module")
def recorder() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture(scope="module")
def transport() -> Transport:
    return Transport()


def _json(response) -> dict:
    return json.loads(response.body)


def test_the_payload_leaves_out_what_is_empty():
    assert payload(GraphQL(query="{ a }")) == {"query": "{ a }"}
    assert payload(GraphQL("{ a }", " \n", " ")) == {"query": "{ a }"}
    full = payload(GraphQL("query Q { a }", '{"x": [1, null]}', "Q"))
    assert full == {"query": "query Q { a }", "variables": {"x": [1, None]}, "operationName": "Q"}
    # The body newman sends for the same Postman request, byte for byte.
    assert payload_text(GraphQL("query Q { a }", '{"x": [1,\n null]}', " Q")) == (
        '{"query":"query Q { a }","operationName":"Q","variables":{"x": [1,\n null]}}'
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"id": }', "not valid JSON (line 1, column 8"),
        ("[1, 2]", "must be a JSON object ({...}), not an array"),
        ('"id"', "not a string"),
        ("null", "not null"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_variables_that_are_not_an_object_are_one_clear_line(text, says):
    with pytest.raises(GraphQLBodyError) as caught:
        parse_variables(text)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_post_is_json_with_the_operation_the_server_runs(server, transport):
    request = _graphql(server.url, query=BOOK_QUERY, variables='{"id": "1"}', operation_name="Book")
    response = transport.send(request)
    assert response.status == 200
    assert _json(response) == {
        "data": {
            "book": {
                "title": "The Dispossessed",
                "author": {
                    "name": "Ursula K. Le Guin",
                    "books": [{"title": "The Dispossessed"}, {"title": "The Lathe of Heaven"}],
                },
            }
        }
    }
    arrived = server.received[-1]
    assert (arrived.method, arrived.content_type) == ("POST", "application/json")
    assert json.loads(arrived.body) == {
        "query": BOOK_QUERY,
        "variables": {"id": "1"},
        "operationName": "Book",
    }


def test_a_get_sends_the_operation_after_the_urls_own_parameters(server, transport):
    request = _graphql(
        server.url + "?first=1",
        "GET",
        query="query Hi($n: String) { hello(name: $n) }",
        variables='{"n": "Zoë & co"}',
        operation_name="Hi",
    ).with_changes(params=(Pair("second", "2"),))
    response = transport.send(request)
    assert _json(response) == {"data": {"hello": "Hello, Zoë & co!"}}
    arrived = server.received[-1]
    assert (arrived.method, arrived.body) == ("GET", b"")
    assert parse_qsl(arrived.query_string) == [
        ("first", "1"),
        ("second", "2"),
        ("query", "query Hi($n: String) { hello(name: $n) }"),
        ("variables", '{"n":"Zoë & co"}'),
        ("operationName", "Hi"),
    ]


def test_an_execution_error_comes_back_as_graphql_errors(server, transport):
    response = transport.send(_graphql(server.url, query='{ book(id: "9") { title } }'))
    body = _json(response)
    assert response.status == 200
    assert body["data"] == {"book": None}
    assert body["errors"][0]["path"] == ["book"]
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND"}


def test_bad_variables_stop_the_send_before_anything_goes_out(server, transport):
    before = len(server.received)
    with pytest.raises(SendError) as caught:
        transport.send(_graphql(server.url, query="{ books { id } }", variables="{id: 1}"))
    assert caught.value.kind == ErrorKind.INVALID_BODY
    assert "GraphQL variables are not valid JSON" in caught.value.message
    assert len(server.received) == before


def test_a_content_type_the_user_set_wins_and_a_get_sends_none(recorder, transport):
    request = _graphql(recorder.url + "/graphql", query="{ a }").with_changes(
        headers=(Pair("Content-Type", "application/graphql+json"),)
    )
    transport.send(request)
    transport.send(_graphql(recorder.url + "/graphql", "GET", query="{ a }"))
    posted, got = recorder.take()
    assert dict(posted.headers)["Content-Type"] == b"application/graphql+json"
    assert json.loads(posted.body) == {"query": "{ a }"}
    assert "content-type" not in {name.lower() for name, _ in got.headers}
    assert (got.raw_query, got.body) == ("query=%7B%20a%20%7D", b"")


def test_variables_resolve_in_every_part_of_the_operation():
    scope = Scope("env", {"field": "title", "id": "2", "op": "Book"})
    request = _graphql(
        "http://h/graphql",
        query="query {{op}}($id: ID!) { book(id: $id) { {{field}} } }",
        variables='{"id": "{{id}}"}',
        operation_name="{{op}}",
    )
    resolved = resolve_request(request, [scope]).body.graphql
    assert resolved.query == "query Book($id: ID!) { book(id: $id) { title } }"
    assert (resolved.variables, resolved.operation_name) == ('{"id": "2"}', "Book")


def test_the_automatic_headers_show_what_goes_out():
    post = _graphql("http://h/graphql", query="{ a }")
    rows = {name: value for name, value, _ in automatic_headers(post)}
    assert rows["Content-Type"] == "application/json"
    assert rows["Content-Length"] == str(len(b'{"query":"{ a }"}'))
    get = post.with_changes(method="GET")
    assert "Content-Type" not in {name for name, _, _ in automatic_headers(get)}
    assert default_content_type(get) == ""
    assert default_content_type(post) == "application/json"
    # Variables still being typed do not break the list.
    broken = _graphql("http://h/graphql", query="{ a }", variables="{")
    assert "Content-Type" in {name for name, _, _ in automatic_headers(broken)}


def test_other_requests_are_left_alone():
    request = Request(method="POST", url="http://h/", body=Body(BodyKind.RAW, text="x"))
    assert as_plain_request(request) is request
    assert query_params(GraphQL("{ a }")) == [Pair("query", "{ a }")]


@peer_tools.needs_curl
def test_generated_curl_runs_the_operation(server):
    request = _graphql(server.url, query=BOOK_QUERY, variables='{"id": "2"}', operation_name="Book")
    script = generate("curl", request)
    assert "--data-raw" in script or "--data" in script
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=20, check=True
    )
    assert json.loads(done.stdout)["data"]["book"]["title"] == "Invisible Cities"


def test_generated_python_runs_the_operation(server):
    request = _graphql(
        server.url,
        "GET",
        query='{ book(id: "3") { title } }',
        variables="{}",
    )
    program = generate("python", request)
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=20, check=True
    )
    assert '"The Lathe of Heaven"' in done.stdout
    arrived = server.received[-1]
    assert arrived.method == "GET"
    assert dict(parse_qsl(arrived.query_string))["variables"] == "{}"
