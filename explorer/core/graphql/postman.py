"""Postman's GraphQL body (`body.mode: "graphql"`, `body.graphql: {query, variables}`)
in and out. Postman keeps the variables as text; newman sends them as written
(postman-runtime's body builder), so they are kept as text both ways."""

from __future__ import annotations

from typing import Any

from explorer.core.graphql.interchange import graphql_body, variables_text
from explorer.core.model import Body, GraphQL, Request


def graphql_from_postman(
    graphql: dict[str, Any], request_name: str, method: str
) -> tuple[Body, str]:
    """The body, and a line for the import report ("" when nothing needs saying)."""
    query = graphql.get("query")
    name = graphql.get("operationName")
    body = graphql_body(
        GraphQL(
            query=query if isinstance(query, str) else "",
            variables=variables_text(graphql.get("variables")),
            operation_name=name if isinstance(name, str) else "",
        )
    )
    note = ""
    if method.strip().upper() == "GET":
        note = (
            f"The GraphQL body of {request_name!r} is sent with GET: API Explorer sends it as "
            "query parameters, where Postman sends a JSON body with the GET."
        )
    return body, note


def postman_graphql(request: Request) -> dict[str, Any]:
    """The request's GraphQL body as Postman's `body` object."""
    graphql = request.body.graphql
    content: dict[str, Any] = {"query": graphql.query, "variables": graphql.variables}
    if graphql.operation_name.strip():
        content["operationName"] = graphql.operation_name.strip()
    return {"mode": "graphql", "graphql": content}
