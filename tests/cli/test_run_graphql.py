"""GraphQL requests in `python -m explorer run`: saved as collection files, sent by the
engine, checked with JSONPath on `data` and `errors` (a GraphQL answer is JSON, and an
error comes with 200, so `$.errors` is what says it failed), against the practice
server and against a GraphQL server written outside the project (ariadne)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.model import (
    Assertion,
    Body,
    BodyKind,
    Capture,
    GraphQL,
    Operator,
    Request,
    Subject,
)
from explorer.core.storage.collection_files import CollectionStore
from tests.support.graphql_server import GraphQLServer, graphql_server

ROOT = Path(__file__).resolve().parents[2]
NO_ERRORS = Assertion(Subject.JSONPATH, Operator.EXISTS, argument="$.errors", negate=True)


def _equals(path: str, expected: str) -> Assertion:
    return Assertion(Subject.JSONPATH, Operator.EQ, expected, path)


def _graphql(name: str, url: str, method: str = "POST", **operation: str) -> Request:
    return Request(
        name=name,
        method=method,
        url=url,
        body=Body(BodyKind.GRAPHQL, graphql=GraphQL(**operation)),
    )


@pytest.fixture(scope="module")
def outside() -> Iterator[GraphQLServer]:
    with graphql_server() as server:
        yield server


def test_graphql_requests_run_with_checks_on_data_and_errors(live_server, outside, tmp_path):
    item_query = "query Item($id: ID!) { item(id: $id) { name owner { name } } }"
    requests = (
        _graphql(
            "practice item",
            "{{base}}/graphql",
            query=item_query,
            variables='{"id": "{{item_id}}"}',
            operation_name="Item",
        ).with_changes(
            assertions=(
                NO_ERRORS,
                _equals("$.data.item.name", "Mechanical keyboard"),
                _equals("$.data.item.owner.name", "Ada Lovelace"),
            ),
        ),
        _graphql("practice users by GET", "{{base}}/graphql", "GET", query="{ users { name } }")
        .with_changes(
            assertions=(NO_ERRORS, Assertion(Subject.JSONPATH, Operator.COUNT, "6", "$.data.users"))
        ),
        _graphql("practice missing", "{{base}}/graphql", query='{ item(id: "999") { name } }')
        .with_changes(
            assertions=(
                Assertion(Subject.STATUS, Operator.EQ, "200"),
                _equals("$.errors[0].extensions.code", "NOT_FOUND"),
                _equals("$.data.item", "null"),
            )
        ),
        _graphql(
            "outside book",
            "{{outside}}",
            query="query Book($id: ID!) { book(id: $id) { title author { id name } } }",
            variables='{"id": "2"}',
        ).with_changes(
            assertions=(NO_ERRORS, _equals("$.data.book.author.name", "Italo Calvino")),
            captures=(Capture("author_id", Subject.JSONPATH, "$.data.book.author.id"),),
        ),
        _graphql(
            "outside add",
            "{{outside}}",
            # The captured id travels in the variables of the next operation.
            query="mutation($t: String!, $a: ID!) { addBook(title: $t, authorId: $a) { id } }",
            variables='{"t": "Cosmicomics", "a": "{{author_id}}"}',
        ).with_changes(assertions=(NO_ERRORS, _equals("$.data.addBook.id", "4"))),
        # Fails on purpose: the server answers 200, and only `$.errors` says what went wrong.
        _graphql("outside missing", "{{outside}}", query='{ book(id: "99") { title } }')
        .with_changes(assertions=(Assertion(Subject.STATUS, Operator.EQ, "200"), NO_ERRORS)),
    )  # fmt: skip
    collection = Collection(
        name="GraphQL",
        variables=(
            Variable("base", live_server),
            Variable("outside", outside.url),
            Variable("item_id", "1"),
        ),
        items=tuple(RequestItem(request) for request in requests),
    )
    folder = tmp_path / "graphql"
    CollectionStore(folder).save(collection)
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(folder), "--reporter", f"json:{report}"],
        cwd=ROOT,
        env=dict(os.environ, API_EXPLORER_HOME=str(tmp_path / "home")),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    marks = [line[:4] for line in lines if line.startswith(("ok ", "FAIL"))]
    assert marks == ["ok  "] * 5 + ["FAIL"], result.stdout
    assert lines[-1].startswith("5 passed, 1 failed")
    failed = [line for line in lines if "failed:" in line]
    assert len(failed) == 1 and "$.errors" in failed[0]
    # The outside server saw a GraphQL request as its library reads one.
    added = next(r for r in outside.received if b"addBook" in r.body)
    assert added.content_type == "application/json"
    assert json.loads(added.body)["variables"] == {"t": "Cosmicomics", "a": "2"}
    written = json.loads(report.read_text())
    assert [entry["name"] for entry in written["results"]][-1] == "outside missing"
