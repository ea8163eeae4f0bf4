"""GraphQL in .http files, as the three dialects write it, in and out.

- REST Client: a header `X-REQUEST-TYPE: GraphQL` (not sent), then the query, a blank
  line, and the variables as JSON.
- httpyac: a body whose first line starts with `query` or `mutation` is GraphQL, split
  the same way at the first blank line; the operation name is the first operation's.
- JetBrains: the method `GRAPHQL` (sent as a POST), the query, then the variables.

The export writes REST Client's form, which httpyac reads too: the query must start
with `query` or `mutation` (a shorthand `{ … }` query is written `query { … }`, the same
operation) and hold no blank line (blank lines outside strings mean nothing and are
dropped). A query that cannot be written so (a block string, a `subscription` or
`fragment` first, an operation name other than the first) is written as the JSON body
it sends, and the export says so.
"""

from __future__ import annotations

import re
from dataclasses import replace

from explorer.core.graphql.interchange import graphql_body
from explorer.core.graphql.request import JSON_TYPE, as_plain_request
from explorer.core.model import Body, BodyKind, GraphQL, Pair, Request

MARKER = "X-REQUEST-TYPE"
JETBRAINS_METHOD = "GRAPHQL"
_HTTPYAC_START = re.compile(r"^\s*(query|mutation)\b")
_OPERATION = re.compile(r"^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)", re.M)


def graphql_from_http(method: str, headers: list[Pair], body: Body) -> tuple[str, list[Pair], Body]:
    """The method, headers and body of an .http request, with a GraphQL body when the
    request is GraphQL in one of the dialects; everything as it was otherwise."""
    marked = [
        pair
        for pair in headers
        if pair.name.strip().lower() == MARKER.lower() and pair.value.strip().lower() == "graphql"
    ]
    jetbrains = method.strip().upper() == JETBRAINS_METHOD
    text = body.text if body.kind == BodyKind.RAW else ""
    if not (marked or jetbrains or _HTTPYAC_START.match(text)) or not text.strip():
        return method, headers, body
    query, _, rest = text.replace("\r\n", "\n").partition("\n\n")
    names = _OPERATION.findall(query)
    # httpyac sends the first operation's name; with the other forms one operation
    # needs none, and of several the first is the one httpyac would run.
    httpyac = not (marked or jetbrains)
    graphql = GraphQL(
        query=query.strip("\n"),
        variables=rest.strip(),
        operation_name=names[0] if names and (httpyac or len(names) > 1) else "",
    )
    kept = [pair for pair in headers if pair not in marked]
    if body.content_type and body.content_type.split(";")[0].strip().lower() != JSON_TYPE:
        kept.append(Pair("Content-Type", body.content_type))
    return ("POST" if jetbrains else method), kept, graphql_body(graphql)


def graphql_for_http(request: Request) -> tuple[Request, str]:
    """`request` as the .http exporter writes it when its body is GraphQL: a raw body in
    REST Client's form with the marker header, or the JSON body it sends; and a line
    for the export's report ("" when nothing needs saying)."""
    if request.body.kind != BodyKind.GRAPHQL:
        return request, ""
    graphql = request.body.graphql
    query = "\n".join(line for line in graphql.query.split("\n") if line.strip())
    if query.lstrip().startswith("{"):
        query = "query " + query.lstrip()
    names = _OPERATION.findall(query)
    named = graphql.operation_name.strip()
    writable = (
        '"""' not in query
        and _HTTPYAC_START.match(query) is not None
        and (not named or (names and names[0] == named))
    )
    if not writable:
        note = (
            f"The GraphQL body of {request.name!r} is written as the JSON body it sends "
            "(its query cannot be written in the .http GraphQL form)."
        )
        return as_plain_request(request, strict=False), note
    text = query + ("\n\n" + graphql.variables.strip() if graphql.variables.strip() else "")
    headers = list(request.headers)
    typed = any(pair.enabled and pair.name.strip().lower() == "content-type" for pair in headers)
    headers.append(Pair(MARKER, "GraphQL"))
    body = Body(BodyKind.RAW, text=text, content_type="" if typed else JSON_TYPE)
    return replace(request, headers=tuple(headers), body=body), ""
