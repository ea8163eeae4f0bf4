"""The GraphQL editor's Qt-free parts: schemas (bounded), completion at a cursor,
validation with line:column, and skeletons that validate."""

from __future__ import annotations

import json

import pytest
from graphql import build_schema, graphql_sync, introspection_from_schema

from explorer.core.graphql import schema as schema_module
from explorer.core.graphql.completion import complete
from explorer.core.graphql.schema import (
    INTROSPECTION_QUERY,
    SchemaError,
    schema_from_introspection,
    schema_from_sdl,
    schema_summary,
)
from explorer.core.graphql.skeleton import insertion, skeleton
from explorer.core.graphql.validation import validate_document
from tests.support.graphql_sample import SDL

SCHEMA = build_schema(SDL)


def labels(text: str, cursor: int | None = None) -> list[str]:
    result = complete(SCHEMA, text, len(text) if cursor is None else cursor)
    return [c.label for c in result.candidates]


# -- schemas -------------------------------------------------------------------------


def test_a_schema_round_trips_through_introspection() -> None:
    result = graphql_sync(SCHEMA, INTROSPECTION_QUERY)
    body = json.dumps({"data": result.data})
    schema = schema_from_introspection(body.encode())
    assert schema_summary(schema) == "6 types; 4 queries, 1 mutation".replace(
        "6", str(len([n for n in schema.type_map if not n.startswith("__")]))
    )
    assert schema.get_type("Item") is not None
    assert "items" in schema.query_type.fields


def test_a_bare_data_object_is_read_too() -> None:
    schema = schema_from_introspection(json.dumps(introspection_from_schema(SCHEMA)))
    assert set(schema.query_type.fields) == {"items", "item", "users", "things"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b'{"data": {"x": 1}}', "no data.__schema"),
        (b'{"errors": [{"message": "introspection is disabled"}]}', "refused introspection"),
        (b'{"data": {"__schema": {"types": 3}}}', "not a usable schema"),
        (b"[" * 5000 + b"]" * 5000, "nested too deeply"),
    ],
)
def test_bad_answers_are_refused_in_one_line(body: bytes, reason: str) -> None:
    with pytest.raises(SchemaError, match=reason) as caught:
        schema_from_introspection(body)
    assert "\n" not in str(caught.value)


def test_a_schema_over_the_size_bound_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_module, "MAX_SCHEMA_BYTES", 1000)
    with pytest.raises(SchemaError, match="larger than"):
        schema_from_introspection(b" " * 1001)
    with pytest.raises(SchemaError, match="larger than"):
        schema_from_sdl("#" * 1001)


def test_sdl_with_a_syntax_error_says_where() -> None:
    with pytest.raises(SchemaError, match=r"^3:1 Syntax Error"):
        schema_from_sdl("type Query {\n  a: Int\n")


# -- completion ----------------------------------------------------------------------


def test_fields_of_the_root_type_complete_by_prefix() -> None:
    result = complete(SCHEMA, "{ it", 4)
    assert [c.label for c in result.candidates] == ["items", "item"]
    assert (result.start, result.end, result.prefix) == (2, 4, "it")
    assert result.candidates[0].detail == "[Item!]!"
    assert result.candidates[0].documentation == "Every item, newest first."


def test_fields_follow_the_type_of_the_enclosing_field() -> None:
    assert labels("{ items { ") == ["id", "name", "price", "owner", "tags", "old", "__typename"]
    assert labels("{ item(id: 1) { owner { ro") == ["role"]
    assert labels("query Q { a: item(id: 1) { na") == ["name", "__typename"]


def test_arguments_values_and_variables() -> None:
    assert labels("{ items(") == ["first", "role"]
    assert labels("{ items(first: 3, ") == ["role"]
    assert labels("{ items(role: ") == ["ADMIN", "MEMBER"]
    assert labels("query Q($r: Role) { items(role: ") == ["ADMIN", "MEMBER", "$r"]
    assert labels("query Q($r: Role) { items(role: $") == ["$r"]
    assert labels("mutation { createItem(input: {") == ["name", "price", "role"]
    assert labels('mutation { createItem(input: {name: "x", role: M') == ["MEMBER"]


def test_types_after_on_directives_and_keywords() -> None:
    assert labels("{ things { ... on ") == ["Thing", "Item", "User"]
    assert labels("fragment F on U") == ["User"]
    assert labels("query Q($x: ") == [
        "Boolean",
        "Float",
        "ID",
        "Int",
        "ItemInput",
        "Role",
        "String",
    ]
    assert labels("{ items @") == ["include", "skip"]
    assert labels("") == ["query", "mutation", "subscription", "fragment"]


def test_nothing_inside_strings_comments_or_numbers() -> None:
    assert labels('{ item(id: "it') == []
    assert labels("{ items # it") == []
    assert labels("{ items(first: 1") == []


def test_only_the_typed_prefix_is_replaced() -> None:
    result = complete(SCHEMA, "{ itXYZ }", 4)  # "XYZ" after the cursor is kept
    assert (result.start, result.end, result.prefix) == (2, 4, "it")


def test_without_a_schema_only_keywords() -> None:
    assert [c.label for c in complete(None, "q", 1).candidates] == ["query"]
    assert complete(None, "{ it", 4).candidates == ()


# -- validation ----------------------------------------------------------------------


def test_an_unknown_field_is_reported_with_line_and_column() -> None:
    report = validate_document(SCHEMA, "{\n  items {\n    nme\n  }\n}")
    assert [str(p) for p in report.problems] == [
        "3:5 Cannot query field 'nme' on type 'Item'. Did you mean 'name'?"
    ]


def test_a_syntax_error_is_reported() -> None:
    (problem,) = validate_document(SCHEMA, "{ items {").problems
    assert (problem.line, problem.column) == (1, 10)
    assert problem.message.startswith("Syntax Error")


def test_variables_are_checked_against_the_operation() -> None:
    query = "query One($id: ID!) { item(id: $id) { name } }"
    assert validate_document(SCHEMA, query, '{"id": "1"}').problems == ()
    missing = validate_document(SCHEMA, query, "{}").problems
    assert [p.where for p in missing] == ["variables"] and "ID!" in missing[0].message
    extra = validate_document(SCHEMA, query, '{"id": "1", "x": 2}').problems
    assert [str(p) for p in extra] == ["Variables: $x is not declared by the operation"]
    assert "not JSON" in str(validate_document(SCHEMA, query, "{").problems[0])
    assert validate_document(SCHEMA, query, '{"id": "{{id}}"}').problems == ()


def test_operation_names_and_the_choice_among_them() -> None:
    text = "query A { users { id } }\nquery B { users { name } }"
    report = validate_document(SCHEMA, text)
    assert report.operation_names == ("A", "B")
    assert "choose the operation name" in str(report.problems[0])
    assert validate_document(SCHEMA, text, operation_name="B").problems == ()
    assert "No operation named 'C'" in str(validate_document(SCHEMA, text, "", "C").problems[0])


# -- skeletons -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_name", "field_name"),
    [("Query", "items"), ("Query", "item"), ("Mutation", "createItem"), ("Query", "things")],
)
def test_a_skeleton_validates_with_its_variables(type_name: str, field_name: str) -> None:
    made = skeleton(SCHEMA, type_name, field_name)
    assert made is not None
    report = validate_document(SCHEMA, made.operation, made.variables_json())
    assert report.problems == (), made.operation


def test_a_skeleton_passes_required_arguments_as_variables() -> None:
    made = skeleton(SCHEMA, "Query", "item")
    assert made is not None
    assert made.operation == (
        "query Item($id: ID!) {\n  item(id: $id) {\n    id\n    name\n    price\n    tags\n  }\n}\n"
    )
    assert made.variables == {"id": ""}
    created = skeleton(SCHEMA, "Mutation", "createItem")
    assert created is not None and created.variables == {"input": {"name": ""}}
    assert skeleton(SCHEMA, "Query", "nothing") is None


def _applied(text: str, edits: list[tuple[int, str]]) -> str:
    for index, inserted in sorted(edits, key=lambda edit: -edit[0]):
        text = text[:index] + inserted + text[index:]
    return text


@pytest.mark.parametrize(
    ("text", "header"),
    [
        ("query Q {\n  users { id }\n  \n}", "query Q($id: ID!) {"),
        ("query Q($first: Int) {\n  items(first: $first) { id }\n  \n}",
         "query Q($first: Int, $id: ID!) {"),
        ("{\n  users { id }\n  \n}", "query ($id: ID!) {"),
    ],
)  # fmt: skip
def test_a_skeleton_goes_into_the_selection_at_the_cursor(text: str, header: str) -> None:
    made = skeleton(SCHEMA, "Query", "item")
    assert made is not None
    cursor = text.rindex("\n")
    edits = insertion(SCHEMA, text, cursor, "Query", made)
    assert edits is not None
    result = _applied(text, edits)
    assert result.splitlines()[0] == header
    assert "\n  item(id: $id) {\n    id\n" in result
    variables = '{"id": "1", "first": 2}' if "first" in text else '{"id": "1"}'
    assert validate_document(SCHEMA, result, variables).problems == ()
    # Not in a selection set of Query: the caller adds the whole operation instead.
    assert insertion(SCHEMA, text, text.index("id }") + 2, "Query", made) is None
