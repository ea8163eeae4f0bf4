"""Insomnia's GraphQL body: `body.mimeType: application/graphql` with `text` holding the
JSON `{"query", "variables", "operationName"}` Insomnia sends (v4 exports and v5 YAML
alike). Read as a GraphQL body that sends the same JSON; text that is not such an
object (a template that is JSON only once rendered) is left to the caller to keep."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from explorer.core.graphql.interchange import graphql_body, graphql_from_payload
from explorer.core.model import Body


def graphql_from_insomnia(text: str) -> Body | None:
    """The GraphQL body, or None when `text` is not a GraphQL request object."""
    try:
        value: Any = json.loads(text)
    except (ValueError, RecursionError):
        return None
    graphql = graphql_from_payload(value)
    if graphql is None:
        return None
    variables = value.get("variables")
    if isinstance(variables, dict | list):
        # As Insomnia sends them: compact, in the order written.
        compact = json.dumps(variables, ensure_ascii=False, separators=(",", ":"))
        graphql = replace(graphql, variables=compact)
    return graphql_body(graphql)
