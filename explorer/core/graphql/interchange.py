"""A GraphQL body in other tools' files: the pieces every importer and exporter shares.

Postman, Insomnia, Bruno and the .http dialects each write the operation their own way,
but they all come down to a query, variables (a JSON object, written as text or as an
object) and sometimes an operation name. Here those become a `GraphQL` and back,
without ever refusing what a file holds: variables that are not JSON are kept as text,
for the editor to point at, rather than dropped.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.graphql.request import as_plain_request, sends_as_query
from explorer.core.model import Body, BodyKind, GraphQL, Request

# A GraphQL document that is too large to be a query someone wrote is left as a JSON body.
MAX_QUERY_CHARS = 1024 * 1024


def variables_text(value: Any) -> str:
    """Variables as the editor holds them: an object as indented JSON, text as it is
    (it may hold `{{variables}}`, or be half-typed), nothing as ""."""
    if value is None or value == "" or value == {}:
        return ""
    if isinstance(value, str):
        return value.strip()
    try:
        return json.dumps(value, indent=2, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return ""


def variables_value(text: str) -> Any:
    """Variables for a file that writes them as an object: the parsed object, or the
    text itself when it is not JSON (a `{{variable}}` standing for a number, say)."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


def graphql_from_payload(value: Any) -> GraphQL | None:
    """`{"query", "variables", "operationName"}` (parsed JSON) as a GraphQL operation;
    None when it is not one (no query text, or members that are not GraphQL's)."""
    if not isinstance(value, dict):
        return None
    query = value.get("query")
    if not isinstance(query, str) or not query.strip() or len(query) > MAX_QUERY_CHARS:
        return None
    if set(value) - {"query", "variables", "operationName", "extensions"}:
        return None
    name = value.get("operationName")
    return GraphQL(
        query=query,
        variables=variables_text(value.get("variables")),
        operation_name=name if isinstance(name, str) else "",
    )


def graphql_from_json_text(text: str) -> GraphQL | None:
    """A JSON body's text as a GraphQL operation, or None when it is not one."""
    if '"query"' not in text:
        return None
    try:
        return graphql_from_payload(json.loads(text))
    except (ValueError, RecursionError):
        return None


def graphql_body(graphql: GraphQL) -> Body:
    return Body(kind=BodyKind.GRAPHQL, graphql=graphql)


def payload_for_file(graphql: GraphQL) -> dict[str, Any]:
    """The operation as an object for a file (Insomnia's body text, say): the variables
    parsed when they are JSON, kept as text when not; empty members left out."""
    result: dict[str, Any] = {"query": graphql.query}
    variables = variables_value(graphql.variables)
    if variables is not None:
        result["variables"] = variables
    if graphql.operation_name.strip():
        result["operationName"] = graphql.operation_name.strip()
    return result


def is_graphql_url(url: str) -> bool:
    """Whether a URL's path ends in /graphql, the convention's usual endpoint."""
    try:
        path = urlsplit(url.replace("{{", "").replace("}}", "")).path
    except ValueError:
        return False
    return path.rstrip("/").lower().endswith("/graphql")


def json_bodies_as_graphql(collection: Collection) -> Collection:
    """`collection` with every raw JSON body that is a GraphQL request sent to a
    …/graphql URL turned into a GraphQL body (what an OpenAPI document can only say as
    JSON: the practice server's Sample API)."""
    return replace(collection, items=tuple(_converted(item) for item in collection.items))


def _converted(item: Folder | RequestItem) -> Folder | RequestItem:
    if isinstance(item, Folder):
        return replace(item, items=tuple(_converted(child) for child in item.items))
    converted = json_body_as_graphql(item.request)
    return item if converted is item.request else replace(item, request=converted)


def json_body_as_graphql(request: Request) -> Request:
    """`request` with a GraphQL body when it sends a GraphQL request as raw JSON to a
    …/graphql URL (the same JSON goes out); otherwise `request` itself."""
    body = request.body
    if body.kind != BodyKind.RAW or not is_graphql_url(request.url):
        return request
    if body.content_type and "json" not in body.content_type.lower():
        return request
    graphql = graphql_from_json_text(body.text)
    if graphql is None:
        return request
    return replace(request, body=graphql_body(graphql))


def graphql_for_export(collection: Collection, *, native: bool) -> tuple[Collection, list[str]]:
    """`collection` ready for a format's exporter, and a line for each request changed.

    A GraphQL request sent with GET goes out as query parameters, which no exporter's
    GraphQL body means (they all send a GraphQL body as a POST): it becomes that GET.
    For a format without a GraphQL body (`native` off) every GraphQL request becomes the
    JSON body it sends. Either way the other tool sends what API Explorer sends."""
    notes: list[str] = []

    def converted(item: Folder | RequestItem) -> Folder | RequestItem:
        if isinstance(item, Folder):
            return replace(item, items=tuple(converted(child) for child in item.items))
        request = item.request
        if request.body.kind != BodyKind.GRAPHQL:
            return item
        if sends_as_query(request):
            notes.append(
                f"The GraphQL query of {request.name!r} is sent with GET: it is written as "
                "the URL's query parameters."
            )
        elif native:
            return item
        else:
            notes.append(
                f"The GraphQL body of {request.name!r} is written as the JSON body it sends."
            )
        return replace(item, request=as_plain_request(request, strict=False))

    items = tuple(converted(item) for item in collection.items)
    return replace(collection, items=items), notes
