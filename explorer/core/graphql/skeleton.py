"""A query skeleton for a field picked in the schema browser.

The skeleton is what one would type first: the field with its required arguments passed
as `$variables` (declared by the operation), its scalar subfields (a few levels down
when it has none), and the variables' JSON with a placeholder value of each type.
Bounded by depth and by the number of fields per level, so a huge type gives a short
skeleton rather than a page of text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined

MAX_DEPTH = 3  # levels of selection below the field
MAX_FIELDS = 12  # per selection set
MAX_UNION_TYPES = 4
INDENT = "  "


@dataclass(frozen=True)
class Skeleton:
    """A whole operation, the field's selection alone (to insert into a selection set),
    the variable definitions it needs, and the variables' JSON."""

    operation: str
    selection: str
    variable_definitions: tuple[str, ...]
    variables: dict[str, Any]

    def variables_json(self) -> str:
        return json.dumps(self.variables, indent=2) if self.variables else ""


def operation_kind(schema: GraphQLSchema, type_name: str) -> str:
    """ "query", "mutation" or "subscription" when `type_name` is a root type, else ""."""
    for kind, root in (
        ("query", schema.query_type),
        ("mutation", schema.mutation_type),
        ("subscription", schema.subscription_type),
    ):
        if root is not None and root.name == type_name:
            return kind
    return ""


def placeholder(type_: Any, depth: int = 0) -> Any:
    """A value of `type_` to start from: "" for strings and IDs, 0, false, the first enum
    value, the required fields of an input object, [] for a list."""
    if isinstance(type_, GraphQLNonNull):
        return placeholder(type_.of_type, depth)
    if isinstance(type_, GraphQLList):
        return []
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values), None)
    if isinstance(type_, GraphQLInputObjectType):
        if depth > MAX_DEPTH:
            return {}
        return {
            name: placeholder(f.type, depth + 1)
            for name, f in type_.fields.items()
            if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
        }
    if isinstance(type_, GraphQLScalarType):
        return {"Int": 0, "Float": 0.0, "Boolean": False}.get(type_.name, "")
    return None


def _leaf_fields(type_: GraphQLObjectType | GraphQLInterfaceType) -> list[str]:
    return [
        name
        for name, f in type_.fields.items()
        if is_leaf_type(get_named_type(f.type))
        and not _required_args(f)
        and f.deprecation_reason is None
    ][:MAX_FIELDS]


def _required_args(field: GraphQLField) -> list[str]:
    return [
        name
        for name, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
    ]


def _selection_lines(type_: Any, depth: int, indent: str) -> list[str]:
    """The lines inside `{ }` for a value of `type_` (empty for a leaf)."""
    named = get_named_type(type_)
    if is_leaf_type(named) or depth > MAX_DEPTH:
        return []
    if isinstance(named, GraphQLUnionType):
        typed = [indent + "__typename"]
        for member in named.types[:MAX_UNION_TYPES]:
            inner = _selection_lines(member, depth + 1, indent + INDENT)
            if inner:
                typed += [f"{indent}... on {member.name} {{", *inner, indent + "}"]
        return typed
    if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return []
    leaves = _leaf_fields(named)
    if leaves:
        return [indent + name for name in leaves]
    lines: list[str] = []
    for name, f in list(named.fields.items())[:MAX_FIELDS]:
        if _required_args(f):
            continue
        inner = _selection_lines(f.type, depth + 1, indent + INDENT)
        if inner:
            lines += [f"{indent}{name} {{", *inner, indent + "}"]
    return lines or [indent + "__typename"]


def skeleton(schema: GraphQLSchema, type_name: str, field_name: str) -> Skeleton | None:
    """The skeleton for `type_name.field_name`; None when there is no such field. A field
    of a type that is not a root type is wrapped in `... on Type` inside a query only
    when it can be reached; here it gives its selection alone (the operation is the
    selection in braces, which validates only on a root type)."""
    parent = schema.get_type(type_name)
    if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return None
    field = parent.fields.get(field_name)
    if field is None:
        return None
    taken: set[str] = set()
    arguments: list[str] = []
    definitions: list[str] = []
    values: dict[str, Any] = {}
    for name in _required_args(field):
        arg_type = field.args[name].type
        variable = name if name not in taken else f"{field_name}_{name}"
        taken.add(variable)
        arguments.append(f"{name}: ${variable}")
        definitions.append(f"${variable}: {arg_type}")
        values[variable] = placeholder(arg_type)
    call = field_name + (f"({', '.join(arguments)})" if arguments else "")
    inner = _selection_lines(field.type, 1, INDENT)
    selection = "\n".join([call + " {", *inner, "}"]) if inner else call
    kind = operation_kind(schema, type_name) or "query"
    header = kind + " " + _operation_name(field_name)
    if definitions:
        header += f"({', '.join(definitions)})"
    body = "\n".join(INDENT + line for line in selection.splitlines())
    operation = f"{header} {{\n{body}\n}}\n"
    return Skeleton(operation, selection, tuple(definitions), values)


def _operation_name(field_name: str) -> str:
    return field_name[:1].upper() + field_name[1:]


_HEADER = re.compile(r"^(?:(query|mutation|subscription)\b\s*([_A-Za-z]\w*)?)?\s*(\([^)]*\))?")


def insertion(
    schema: GraphQLSchema, text: str, cursor: int, type_name: str, made: Skeleton
) -> list[tuple[int, str]] | None:
    """The edits that put `made`'s selection at `cursor` and declare its variables in the
    operation around it, as (index, text to insert), last first; None when the cursor
    is not in a selection set of `type_name` (the whole operation is added instead)."""
    from explorer.core.graphql.completion import definition_start, selection_type_at

    found = selection_type_at(schema, text, cursor)
    if found is None or found.name != type_name:
        return None
    line_start = text.rfind("\n", 0, cursor) + 1
    line = text[line_start:cursor]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    lines = made.selection.splitlines()
    inserted = lines[0] + "".join("\n" + indent + rest for rest in lines[1:])
    if line.strip():  # after other text on the line: a line of its own
        inserted = "\n" + indent + inserted
    edits = [(cursor, inserted)]
    begin = definition_start(text, cursor)
    body = text.find("{", begin)
    header = text[begin:body] if body >= 0 else ""
    if header.lstrip().startswith("fragment"):
        return edits  # a fragment declares no variables: validation will say so
    declared = set(re.findall(r"\$(\w+)\s*:", header))
    needed = [d for d in made.variable_definitions if d[1:].split(":")[0] not in declared]
    if not needed:
        return edits
    match = _HEADER.match(header)
    wanted = ", ".join(needed)
    if match is None:
        return edits
    if match.group(3):  # "(…)": the new ones go before its ")"
        close = begin + match.end(3) - 1
        inner = match.group(3)[1:-1].strip()
        edits.append((close, (", " if inner else "") + wanted))
    elif match.group(1):  # "query Name": the list goes after the name
        edits.append((begin + match.end(2 if match.group(2) else 1), f"({wanted})"))
    else:  # the "{ … }" shorthand becomes a query that declares them
        edits.append((begin + match.end(), f"query ({wanted}) "))
    return edits
