"""`$ref` resolution and example values synthesised from JSON schemas (OpenAPI).

References are resolved here rather than with a library: only references inside the
document are followed (an import never fetches other files or URLs), resolution is
lazy so recursive schemas cost nothing until used, and the example builder stops at a
fixed depth and at a reference it is already inside, so a self-referencing schema
gives a finite example. Examples are also bounded in values and bytes, each and all
together: ten properties that each refer to the next level, eight levels deep, would
otherwise build 10^8 values.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

MAX_DEPTH = 8
MAX_EXAMPLE_VALUES = 10_000  # values in one example
MAX_EXAMPLE_BYTES = 1024 * 1024  # bytes of the given examples and texts in one example
MAX_TOTAL_VALUES = 1_000_000  # values in all the examples of one document
MAX_REF_CHAIN = 64  # references followed one after the other ($ref to a $ref to …)

_STRING_FORMATS = {
    "date-time": "2024-01-01T12:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "email": "user@example.com",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "U3RyaW5n",
    "binary": "",
    "password": "password",
}


class Resolver:
    """Follows local `$ref`s of one document; reports the ones it cannot follow."""

    def __init__(self, document: Any, report: list[str]) -> None:
        self.document = document
        self.report = report
        self.values_left = MAX_TOTAL_VALUES  # shared by every example of the document
        self._sizes: dict[int, int] = {}

    def resolve(self, value: Any) -> tuple[Any, tuple[str, ...]]:
        """The value a (chain of) `$ref` points to, and the references followed."""
        followed: dict[str, None] = {}  # ordered, and a quick `in`
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            if ref in followed:
                return {}, tuple(followed)
            if len(followed) >= MAX_REF_CHAIN:
                self.report.append(
                    f"A chain of more than {MAX_REF_CHAIN} references was not followed to its end."
                )
                return {}, tuple(followed)
            followed[ref] = None
            value = self._target(ref)
        return value, tuple(followed)

    def deref(self, value: Any) -> Any:
        """The value a `$ref` points to (or the value itself); never None."""
        target, _ = self.resolve(value)
        return target if target is not None else {}

    def size_of(self, value: Any) -> int:
        """Roughly the bytes `value` takes as JSON (remembered: examples repeat)."""
        if isinstance(value, str):
            return len(value) + 2
        if not isinstance(value, (dict, list)):
            return 8
        key = id(value)
        if key not in self._sizes:
            try:
                self._sizes[key] = len(json.dumps(value))
            except (TypeError, ValueError, RecursionError):
                self._sizes[key] = MAX_EXAMPLE_BYTES + 1
        return self._sizes[key]

    def _target(self, ref: str) -> Any:
        if not ref.startswith("#"):
            self.report.append(f"The external reference {ref} was not followed.")
            return {}
        node = self.document
        for token in ref[1:].split("/")[1:] if ref != "#" else []:
            key = unquote(token).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                self.report.append(f"The reference {ref} points nowhere.")
                return {}
        return node


@dataclass
class _Budget:
    """What one example may still use; `cut` once it ran out."""

    values: int
    size: int = MAX_EXAMPLE_BYTES
    cut: bool = False

    def spend(self, values: int, size: int) -> bool:
        """Take `values` and `size` bytes; False (and nothing taken) when they do not fit."""
        if self.values < values or self.size < size:
            self.cut = True
            return False
        self.values -= values
        self.size -= size
        return True


def example_of(schema: Any, resolver: Resolver) -> Any:
    """An example value for `schema`: its own example, else one built from its shape,
    cut short (and reported) where it would pass the bounds."""
    budget = _Budget(min(MAX_EXAMPLE_VALUES, resolver.values_left))
    value = _example(schema, resolver, 0, frozenset(), budget)
    resolver.values_left -= min(MAX_EXAMPLE_VALUES, resolver.values_left) - budget.values
    if budget.cut:
        resolver.report.append(
            f"Examples larger than {MAX_EXAMPLE_VALUES:,} values or "
            f"{MAX_EXAMPLE_BYTES // 1024} KiB (or past {MAX_TOTAL_VALUES:,} values in all) "
            "were cut short."
        )
    return value


def _example(
    schema: Any, resolver: Resolver, depth: int, inside: frozenset[str], budget: _Budget
) -> Any:
    schema, followed = resolver.resolve(schema)
    if not isinstance(schema, dict) or depth > MAX_DEPTH or inside.intersection(followed):
        return None
    if not budget.spend(1, 0):
        return None
    inside = inside.union(followed)
    for key in ("example", "default", "const"):
        if key in schema:
            return _given(schema[key], resolver, budget)
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return _given(examples[0], resolver, budget)
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return _given(enum[0], resolver, budget)
    if isinstance(schema.get("allOf"), list):
        return _all_of(schema, resolver, depth, inside, budget)
    for key in ("oneOf", "anyOf"):
        choices = schema.get(key)
        if isinstance(choices, list) and choices:
            return _example(choices[0], resolver, depth + 1, inside, budget)
    return _by_type(schema, resolver, depth, inside, budget)


def _given(value: Any, resolver: Resolver, budget: _Budget) -> Any:
    # The document's own example, used as a whole or not at all.
    return value if budget.spend(0, resolver.size_of(value)) else None


def _all_of(
    schema: dict[str, Any],
    resolver: Resolver,
    depth: int,
    inside: frozenset[str],
    budget: _Budget,
) -> Any:
    merged: dict[str, Any] = {}
    other = None
    rest = {key: value for key, value in schema.items() if key != "allOf"}
    for part in [*schema["allOf"], rest]:
        value = _example(part, resolver, depth + 1, inside, budget)
        if isinstance(value, dict):
            merged.update(value)
        elif value is not None and other is None:
            other = value
    return merged if merged or other is None else other


def schema_type(schema: dict[str, Any]) -> str:
    """The schema's type (the first non-null one in 3.1 lists), guessed when missing."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((item for item in kind if item != "null"), "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return ""


def _by_type(
    schema: dict[str, Any],
    resolver: Resolver,
    depth: int,
    inside: frozenset[str],
    budget: _Budget,
) -> Any:
    kind = schema_type(schema)
    if kind == "object":
        return _object(schema, resolver, depth, inside, budget)
    if kind == "array":
        item = _example(schema.get("items"), resolver, depth + 1, inside, budget)
        return [] if item is None else [item]
    if kind == "string":
        return _STRING_FORMATS.get(str(schema.get("format", "")), "string")
    if kind in ("integer", "number"):
        minimum = schema.get("minimum")
        if isinstance(minimum, float) and math.isfinite(minimum):
            return int(minimum) if kind == "integer" else minimum
        return minimum if isinstance(minimum, int) and not isinstance(minimum, bool) else 0
    if kind == "boolean":
        return True
    return None


def _object(
    schema: dict[str, Any],
    resolver: Resolver,
    depth: int,
    inside: frozenset[str],
    budget: _Budget,
) -> Any:
    result: dict[str, Any] = {}
    properties = schema.get("properties")
    for name, sub in properties.items() if isinstance(properties, dict) else ():
        target = resolver.deref(sub)
        if isinstance(target, dict) and target.get("readOnly"):
            continue  # the server fills it in; a request does not send it
        value = _example(sub, resolver, depth + 1, inside, budget)
        if value is not None:
            result[name] = value
    extra = schema.get("additionalProperties")
    if not result and isinstance(extra, dict):
        value = _example(extra, resolver, depth + 1, inside, budget)
        if value is not None:
            result["key"] = value
    return result
