"""A GraphQL schema to complete and validate against: from an introspection result or
from SDL text, bounded, with a one-line reason when refused.

graphql-core does the GraphQL (`get_introspection_query`, `build_client_schema`,
`build_schema`); what is added here are the bounds a schema from an unknown server must
keep (size, nesting, number of types) so that a hostile or broken answer gives a line
of text where the user looks, never a traceback or a stalled window, and the words the
editor shows about a schema (`schema_summary`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLSchema,
    build_client_schema,
    build_schema,
    get_introspection_query,
)

MAX_SCHEMA_BYTES = 8 * 1024 * 1024  # an introspection result or an SDL file
MAX_DEPTH = 64  # JSON nesting of an introspection result (the query itself needs ~20)
MAX_TYPES = 20_000  # GitHub's public schema has about 1,600
MAX_SDL_TOKENS = 2_000_000

# The introspection query sent to fetch a schema. Only fields every server of the last
# years knows: a newer field (isRepeatable, specifiedByURL) is refused by older servers.
INTROSPECTION_QUERY = get_introspection_query(descriptions=True)


class SchemaError(ValueError):
    """A schema that cannot be used, with the one-line reason."""


@dataclass(frozen=True)
class LoadedSchema:
    """A schema and where it came from ("http://…/graphql" or a file path)."""

    schema: GraphQLSchema
    source: str


def introspection_payload() -> str:
    """The JSON body of an introspection request."""
    return json.dumps({"query": INTROSPECTION_QUERY, "operationName": "IntrospectionQuery"})


def _depth(value: Any, limit: int) -> int:
    """The nesting depth of decoded JSON, without recursion; stops past `limit`."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def schema_from_introspection(data: bytes | str) -> GraphQLSchema:
    """The schema of an introspection response body (`{"data": {"__schema": …}}`, or the
    bare `data` object). Raises `SchemaError` with a one-line reason."""
    if len(data) > MAX_SCHEMA_BYTES:
        raise SchemaError(f"the schema is larger than {MAX_SCHEMA_BYTES // (1024 * 1024)} MiB")
    try:
        decoded = json.loads(data)
    except RecursionError:
        raise SchemaError("the introspection result is nested too deeply") from None
    except ValueError as error:
        raise SchemaError(f"the answer is not JSON ({error})") from None
    if _depth(decoded, MAX_DEPTH) > MAX_DEPTH:
        raise SchemaError("the introspection result is nested too deeply")
    if not isinstance(decoded, dict):
        raise SchemaError("the answer is not a JSON object")
    if "__schema" not in decoded:
        errors = decoded.get("errors")
        if isinstance(errors, list) and errors and not decoded.get("data"):
            first = errors[0]
            message = first.get("message") if isinstance(first, dict) else first
            raise SchemaError(f"the server refused introspection: {str(message)[:200]}")
        decoded = decoded.get("data")
    if not isinstance(decoded, dict) or not isinstance(decoded.get("__schema"), dict):
        raise SchemaError("the answer has no data.__schema: is this a GraphQL endpoint?")
    types = decoded["__schema"].get("types")
    if isinstance(types, list) and len(types) > MAX_TYPES:
        raise SchemaError(f"the schema has more than {MAX_TYPES:,} types")
    try:
        return build_client_schema(decoded)  # type: ignore[arg-type]
    except RecursionError:
        raise SchemaError("the introspection result is nested too deeply") from None
    except (GraphQLError, TypeError, ValueError, KeyError) as error:
        raise SchemaError(f"not a usable schema: {_one_line(error)}") from None


def schema_from_sdl(text: str) -> GraphQLSchema:
    """The schema written in SDL `text`. Raises `SchemaError` with a one-line reason
    (a syntax error says its line:column)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SCHEMA_BYTES:
        raise SchemaError(f"the schema is larger than {MAX_SCHEMA_BYTES // (1024 * 1024)} MiB")
    try:
        schema = build_schema(text, max_tokens=MAX_SDL_TOKENS)
    except RecursionError:
        raise SchemaError("the schema is nested too deeply") from None
    except GraphQLError as error:
        where = ""
        if error.locations:
            where = f"{error.locations[0].line}:{error.locations[0].column} "
        raise SchemaError(f"{where}{_one_line(error)}") from None
    except (TypeError, ValueError) as error:
        raise SchemaError(_one_line(error)) from None
    if len(schema.type_map) > MAX_TYPES:
        raise SchemaError(f"the schema has more than {MAX_TYPES:,} types")
    return schema


def _one_line(error: BaseException) -> str:
    text = getattr(error, "message", None) or str(error)
    return " ".join(str(text).split())[:300]


def user_types(schema: GraphQLSchema) -> list[str]:
    """The names of the schema's own types (not `__Schema` and its kind), sorted."""
    return sorted(name for name in schema.type_map if not name.startswith("__"))


def schema_summary(schema: GraphQLSchema) -> str:
    """A few words about `schema`: "12 types; 5 queries, 2 mutations"."""
    parts = [f"{len(user_types(schema))} types"]
    for label, root in (
        ("query", schema.query_type),
        ("mutation", schema.mutation_type),
        ("subscription", schema.subscription_type),
    ):
        if root is not None:
            count = len(root.fields)
            plural = "queries" if label == "query" and count != 1 else f"{label}s"
            parts.append(f"{count} {label if count == 1 else plural}")
    return parts[0] + ("; " + ", ".join(parts[1:]) if len(parts) > 1 else "")
