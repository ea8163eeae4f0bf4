"""A GraphQL body as what goes on the wire (the GraphQL over HTTP convention).

A POST (or any method but GET) carries the JSON object `{"query", "variables",
"operationName"}` as an application/json body; a GET carries the same three members as
the query parameters `query`, `variables` (JSON text) and `operationName`, after the
URL's own. Empty variables and an empty operation name are left out, as servers read
a missing member and an empty one differently (an empty operationName names nothing).

`as_plain_request` turns a request with a GraphQL body into the request the app sends
(a raw JSON body, or parameters and no body), so the transport, code generation and the
exporters of formats without a GraphQL body all send the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from explorer.core.model import Body, BodyKind, GraphQL, Pair, Request

JSON_TYPE = "application/json"


class GraphQLBodyError(ValueError):
    """A GraphQL body that cannot be sent; the message is one line for the user."""


def sends_as_query(request: Request) -> bool:
    """Whether the operation goes as query parameters (a GET) rather than a JSON body."""
    return request.method.strip().upper() == "GET"


def parse_variables(text: str) -> dict[str, Any] | None:
    """The variables as a JSON object; None when `text` is blank. Raises
    GraphQLBodyError for text that is not JSON, or JSON that is not an object."""
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraphQLBodyError(
            f"The GraphQL variables are not valid JSON (line {exc.lineno}, column {exc.colno}:"
            f" {exc.msg})"
        ) from exc
    except ValueError as exc:  # a number too long to convert, say
        raise GraphQLBodyError(f"The GraphQL variables are not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise GraphQLBodyError("The GraphQL variables are nested too deeply") from exc
    if not isinstance(value, dict):
        kind = type(value).__name__ if value is not None else "null"
        raise GraphQLBodyError(
            f"The GraphQL variables must be a JSON object ({{...}}), not {_json_kind(kind)}"
        )
    return value


def _json_kind(python_kind: str) -> str:
    return {
        "list": "an array",
        "str": "a string",
        "int": "a number",
        "float": "a number",
        "bool": "true or false",
    }.get(python_kind, python_kind)


def payload(graphql: GraphQL) -> dict[str, Any]:
    """The request object: query, then operationName and variables when given."""
    result: dict[str, Any] = {"query": graphql.query}
    if graphql.operation_name.strip():
        result["operationName"] = graphql.operation_name.strip()
    variables = parse_variables(graphql.variables)
    if variables is not None:
        result["variables"] = variables
    return result


def payload_text(graphql: GraphQL, *, strict: bool = True) -> str:
    """The JSON body: the variables written in as typed (once checked to be a JSON
    object), in newman's order and spacing, so a request imported from Postman sends
    the bytes newman sends. With `strict` off, variables that are not an object (a
    code generator's `{{secret}}` placeholder standing for a number, say) are written
    in all the same rather than refused."""
    try:
        present = parse_variables(graphql.variables) is not None
    except GraphQLBodyError:
        if strict:
            raise
        present = True
    members = ['"query":' + json.dumps(graphql.query, ensure_ascii=False)]
    if graphql.operation_name.strip():
        name = json.dumps(graphql.operation_name.strip(), ensure_ascii=False)
        members.append(f'"operationName":{name}')
    if present:
        members.append(f'"variables":{graphql.variables}')
    return "{" + ",".join(members) + "}"


def query_params(graphql: GraphQL, *, strict: bool = True) -> list[Pair]:
    """The operation as GET parameters: query, variables (compact JSON), operationName."""
    params = [Pair("query", graphql.query)]
    try:
        variables = parse_variables(graphql.variables)
    except GraphQLBodyError:
        if strict:
            raise
        params.append(Pair("variables", graphql.variables.strip()))
    else:
        if variables is not None:
            text = json.dumps(variables, ensure_ascii=False, separators=(",", ":"))
            params.append(Pair("variables", text))
    if graphql.operation_name.strip():
        params.append(Pair("operationName", graphql.operation_name.strip()))
    return params


def as_plain_request(request: Request, *, strict: bool = True) -> Request:
    """`request` as it is sent when its body is GraphQL: a GET with the operation after
    the URL's parameters and no body, any other method with a raw application/json body
    (a Content-Type header the user set still wins). Other requests are returned as
    they are. Raises GraphQLBodyError (with `strict`) for variables that are not a JSON
    object."""
    if request.body.kind != BodyKind.GRAPHQL:
        return request
    graphql = request.body.graphql
    if sends_as_query(request):
        params = (*request.params, *query_params(graphql, strict=strict))
        return replace(request, params=params, body=Body())
    text = payload_text(graphql, strict=strict)
    return replace(request, body=Body(kind=BodyKind.RAW, text=text, content_type=JSON_TYPE))
