"""/graphql: the practice server's items and users as GraphQL, over the same store as
/api, following the GraphQL over HTTP convention, bounded."""

from __future__ import annotations

import json

import pytest
from graphql import build_client_schema, get_introspection_query

from bundled_server import graphql_api
from tests.server.conftest import assert_problem

GRAPHQL_RESPONSE = "application/graphql-response+json"


def run(client, query: str, variables: dict | None = None, **kwargs) -> tuple[int, dict]:
    body: dict = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = client.post("/graphql", json=body, **kwargs)
    assert response.mimetype in ("application/json", GRAPHQL_RESPONSE), response.data
    return response.status_code, response.get_json(force=True)


def test_one_nested_query_gives_what_rest_needs_two_requests_for(client):
    status, body = run(
        client, '{ user(id: "1") { name items { id name price owner { username } } } }'
    )
    assert status == 200 and "errors" not in body
    user = client.get("/api/users/1").get_json()
    owned = client.get("/api/users/1/items?per_page=100").get_json()["data"]
    assert body["data"]["user"]["name"] == user["name"]
    assert body["data"]["user"]["items"] == [
        {"id": str(item["id"]), "name": item["name"], "price": item["price"],
         "owner": {"username": user["username"]}}
        for item in owned
    ]  # fmt: skip
    assert len(owned) >= 2


def test_only_the_fields_asked_for_come_back(client):
    _, body = run(client, '{ items(category: "books", first: 2) { name } }')
    items = body["data"]["items"]
    assert len(items) == 2 and all(set(item) == {"name"} for item in items)


def test_a_missing_item_is_an_error_with_a_path_and_200(client):
    status, body = run(client, 'query { item(id: "999") { name } }')
    assert status == 200
    assert body["data"] == {"item": None}
    (error,) = body["errors"]
    assert error["path"] == ["item"]
    assert error["extensions"] == {"code": "NOT_FOUND"}
    assert error["message"] == "There is no item with id 999."
    assert list(body) == ["errors", "data"]


def test_create_item_writes_through_the_rest_rules(client):
    mutation = """mutation Add($input: ItemInput!) {
      createItem(input: $input) { id name inStock owner { name } }
    }"""
    item = {"name": "Graph paper", "price": 3.5, "category": "office", "ownerId": "2"}
    status, body = run(client, mutation, {"input": item})
    created = body["data"]["createItem"]
    assert status == 200 and created["owner"] == {"name": "Grace Hopper"}
    rest = client.get(f"/api/items/{created['id']}").get_json()
    assert (rest["name"], rest["owner_id"], rest["in_stock"]) == ("Graph paper", 2, True)

    _, again = run(client, mutation, {"input": item})
    assert again["data"] is None
    assert again["errors"][0]["extensions"] == {"code": "CONFLICT", "status": 409}

    bad = {"name": " ", "price": -1, "category": "office", "inStock": True}
    _, refused = run(client, mutation, {"input": bad})
    fields = refused["errors"][0]["extensions"]["fields"]
    assert [entry["field"] for entry in fields] == ["name", "price"]
    assert refused["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"


def test_a_request_error_is_200_as_json_and_400_as_a_graphql_response(client):
    status, body = run(client, '{ item(id: "1") { colour } }')
    assert status == 200 and "data" not in body
    assert "Cannot query field 'colour'" in body["errors"][0]["message"]
    response = client.post(
        "/graphql",
        json={"query": "{ item(id: "},
        headers={"Accept": f"{GRAPHQL_RESPONSE}, application/json"},
    )
    assert response.status_code == 400
    assert response.mimetype == GRAPHQL_RESPONSE
    assert "Accept" in response.headers["Vary"]
    assert response.get_json(force=True)["errors"][0]["message"].startswith("Syntax Error")
    # Execution errors stay 200 under both types: there is data to read.
    executed = client.post(
        "/graphql", json={"query": '{ item(id: "0") { id } }'}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert executed.status_code == 200


def test_get_runs_queries_and_refuses_mutations(client):
    response = client.get(
        "/graphql",
        query_string={
            "query": "query One($id: ID!) { item(id: $id) { name } }",
            "variables": '{"id": "2"}',
            "operationName": "One",
        },
    )
    assert response.get_json()["data"] == {"item": {"name": "USB-C hub"}}
    mutation = 'mutation { createItem(input: {name: "x", price: 1, category: "y"}) { id } }'
    refused = client.get("/graphql", query_string={"query": mutation})
    assert assert_problem(refused, 405)["detail"].startswith("A mutation changes data")
    assert refused.headers["Allow"] == "POST"
    assert_problem(client.get("/graphql"), 400)
    assert_problem(
        client.get("/graphql", query_string={"query": "{ users { id } }", "variables": "{"}), 400
    )


@pytest.mark.parametrize(
    ("send", "status"),
    [
        ({"data": "{ users { id } }", "content_type": "text/plain"}, 415),
        ({"data": "{ users", "content_type": "application/json"}, 400),
        ({"json": {"query": 42}}, 400),
        ({"json": {"query": "{ users { id } }", "variables": [1]}}, 400),
        ({"json": {"query": "{ users { id } }", "operationName": 7}}, 400),
    ],
)
def test_what_is_not_a_graphql_request_is_a_problem(client, send, status):
    assert_problem(client.post("/graphql", **send), status)


def _nested(depth: int) -> str:
    """{ item(id: "2") { owner { items { … name } } } } with `depth` levels of fields."""
    path = ['item(id: "2")', *(("owner", "items")[level % 2] for level in range(depth - 2))]
    return "{ " + " { ".join(path) + " { name " + "} " * len(path) + "}"


def test_the_limits_answer_before_any_work(client):
    assert "errors" not in run(client, _nested(10))[1]
    deep = run(client, _nested(11))[1]["errors"][0]
    assert deep["extensions"]["code"] == "QUERY_TOO_DEEP"
    # Lists that multiply: every item's owner's items' owner's items …
    many = (
        "{ " + " ".join(f"a{n}: items {{ owner {{ items {{ id }} }} }}" for n in range(30)) + " }"
    )
    bounded = run(client, many)[1]
    assert bounded["errors"][0]["extensions"]["code"] == "RESULT_TOO_LARGE"
    assert bounded["data"] is None
    wide = "{ " + " ".join(f"a{n}: users {{ id }}" for n in range(31)) + " }"
    assert run(client, wide)[1]["errors"][0]["message"] == "The query uses more than 30 aliases."
    # Fragments count where they are spread: 4 spreads of 4 × 4 × 30 fields.
    fanned = (
        "{ ...A } fragment A on Query { users { ...B ...B ...B ...B } }"
        " fragment B on User { items { ...C ...C ...C ...C } }"
        " fragment C on Item { " + " ".join(["id"] * 30) + " }"
    )
    assert run(client, fanned)[1]["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert_problem(client.post("/graphql", json={"query": "{ users { id } }" + " " * 17_000}), 413)
    tokens = run(client, "{ " + "id " * 5000 + "}")[1]["errors"][0]["message"]
    assert "more than 4000 tokens" in tokens


def test_introspection_gives_a_schema_an_editor_can_build(client):
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    )
    status, body = run(client, query)
    assert status == 200 and "errors" not in body
    schema = build_client_schema(body["data"])
    assert set(schema.query_type.fields) == {"items", "item", "users", "user"}
    assert "owner" in schema.get_type("Item").fields
    assert schema.mutation_type.fields["createItem"].description


def test_a_resolver_bug_does_not_show_the_servers_insides(client, monkeypatch):
    def broken(_info):
        raise KeyError("/home/secret/path")

    monkeypatch.setattr(graphql_api, "_users", broken)
    _, body = run(client, "{ users { id } }")
    assert body["errors"][0]["message"] == "The server hit an unexpected error."
    assert "secret" not in json.dumps(body)
