"""Loading JSON/YAML documents with error locations, and type-checked access by path.

Importers walk documents written by other tools; every access goes through these
helpers so that a wrong shape becomes a FormatError naming the JSON path
(`$.item[2].request.url`) instead of a KeyError or AttributeError.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from explorer.core.formats.common import FormatError


def load_json(text: str) -> Any:
    """Parse JSON; a syntax error becomes a FormatError with its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(
            f"Invalid JSON: {error.msg}", f"line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise FormatError("The JSON is nested too deeply", "") from None


def load_yaml(text: str) -> Any:
    """Parse YAML (or JSON, its subset) safely; errors carry their line and column."""
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FormatError(f"Invalid YAML: {error.problem or error}", location) from None
    except yaml.YAMLError as error:
        raise FormatError(f"Invalid YAML: {error}", "") from None
    except RecursionError:
        raise FormatError("The YAML is nested too deeply", "") from None


def load_document(text: str) -> Any:
    """JSON when the text starts like JSON, YAML otherwise."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        return load_json(stripped)
    return load_yaml(stripped)


def child(path: str, key: str | int) -> str:
    """The JSON path of a member or an element."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{json.dumps(key)}]"


def as_dict(value: Any, path: str) -> dict[str, Any]:
    """`value` if it is an object (None counts as empty), else a FormatError at `path`."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FormatError(f"Expected an object, found {_kind(value)}", path)
    return value


def as_list(value: Any, path: str) -> list[Any]:
    """`value` if it is an array (None counts as empty), else a FormatError at `path`."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(f"Expected an array, found {_kind(value)}", path)
    return value


def as_text(value: Any, path: str) -> str:
    """`value` as text: strings as they are, numbers and booleans written out."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise FormatError(f"Expected text, found {_kind(value)}", path)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"
