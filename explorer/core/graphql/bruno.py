"""Bruno's GraphQL body in and out: `meta { type: graphql }`, the request block's
`body: graphql`, then `body:graphql { query }` and `body:graphql:vars { json }` (and
OpenCollection's `graphql.body: {query, variables}`, the same thing in YAML).

Bruno sends `{"query", "variables"}` (the variables parsed once their `{{names}}` are
replaced, `{}` when there are none) and has no operation name: an export that names
one says so, as the query then must hold a single operation (or the first is run)."""

from __future__ import annotations

import contextlib
import json

from explorer.core.bruno.lang import text_block
from explorer.core.graphql.interchange import graphql_body
from explorer.core.model import Body, GraphQL


def graphql_from_bruno(query: str, variables: str) -> Body:
    """The GraphQL body of a Bruno request (or an OpenCollection one), sending the bytes
    Bruno sends: its variables compact (it parses and re-writes them), `{}` for none.
    Variables that are JSON only once their `{{names}}` are replaced stay as written."""
    text = variables.strip() or "{}"
    with contextlib.suppress(ValueError, RecursionError):
        text = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    return graphql_body(GraphQL(query=query, variables=text))


def bruno_graphql_blocks(graphql: GraphQL) -> list[str]:
    """The `body:graphql` block and, when there are variables, `body:graphql:vars`."""
    blocks = [text_block("body:graphql", graphql.query)]
    if graphql.variables.strip() not in ("", "{}"):
        blocks.append(text_block("body:graphql:vars", graphql.variables.strip()))
    return blocks
