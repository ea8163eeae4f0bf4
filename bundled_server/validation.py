"""A tiny declarative validator that reports every bad field at once (status 422).

It is deliberately small: the point of the lesson is the shape of the answer, one
entry per field with a JSON Pointer, not a validation framework.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .problems import Problem

# Fields the server owns. A client may send them back unchanged (GET, edit, PUT) and
# they are ignored rather than rejected, so that round trip just works.
READ_ONLY = frozenset({"id", "created_at", "updated_at", "_links"})

Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class Field:
    """One field of a resource: its check, and the default when it may be left out."""

    check: Check
    required: bool = True
    default: Any = None


def text(max_length: int, *, allow_empty: bool = False) -> Check:
    """A string of at most ``max_length`` characters (non-blank unless allowed)."""

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be a string"
        if not allow_empty and not value.strip():
            return "must not be empty"
        if len(value) > max_length:
            return f"must be at most {max_length} characters"
        return None

    return check


def number(minimum: float, maximum: float) -> Check:
    """An int or float (not a boolean) within bounds."""

    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "must be a number"
        if not minimum <= value <= maximum:
            return f"must be between {minimum:g} and {maximum:g}"
        return None

    return check


def boolean(value: Any) -> str | None:
    """true or false, not 0/1 or "yes"."""
    return None if isinstance(value, bool) else "must be true or false"


def string_list(max_items: int, max_length: int) -> Check:
    """A list of short non-empty strings."""

    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return "must be a list of strings"
        if len(value) > max_items:
            return f"must have at most {max_items} entries"
        if not all(isinstance(v, str) and 0 < len(v.strip()) <= max_length for v in value):
            return f"every entry must be a non-empty string of at most {max_length} characters"
        return None

    return check


def optional_id(value: Any) -> str | None:
    """A positive integer id or null."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return "must be a positive integer or null"
    return None


def validate(data: dict[str, Any], schema: dict[str, Field]) -> dict[str, Any]:
    """Return the cleaned fields in schema order, or raise one 422 listing every error."""
    errors = []
    clean: dict[str, Any] = {}
    for name in data:
        if name not in schema and name not in READ_ONLY:
            errors.append(_error(name, "is not a known field"))
    for name, field in schema.items():
        if name not in data:
            if field.required:
                errors.append(_error(name, "is required"))
            else:
                clean[name] = field.default
            continue
        message = field.check(data[name])
        if message:
            errors.append(_error(name, message))
        else:
            clean[name] = data[name].strip() if isinstance(data[name], str) else data[name]
    if errors:
        fields = ", ".join(e["field"] for e in errors)
        raise Problem(
            422, f"Some fields are not valid: {fields}.", kind="validation-error", errors=errors
        )
    return clean


def _error(name: str, message: str) -> dict[str, str]:
    return {"field": name, "pointer": f"#/{name}", "detail": f"{name} {message}"}
