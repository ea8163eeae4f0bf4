"""YAML in and out: readable output (block scalars for multi-line text, stable key order)
and parse errors turned into `Problem`s with a line number."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from explorer.core.storage.errors import FileFormatError, Problem

try:  # libyaml is much faster on big collections; fall back to pure Python
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line strings as `|` blocks and indents lists."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        # Indent sequences under their key: easier to read and what hand-written YAML does.
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # The emitter falls back to a quoted style by itself when a block cannot hold the
    # text exactly (e.g. trailing spaces, CR, tabs after newlines), so round trips stay exact.
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML text of `data`, keys in insertion order, unicode kept readable."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def parse_yaml(text: str | bytes, path: Path) -> dict[str, Any]:
    """The mapping in `text`; an empty document is an empty mapping.

    Raises FileFormatError with the parser's line (1-based) and message.
    """
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - CSafeLoader/SafeLoader only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise FileFormatError(Problem(path, message or str(exc), line, column)) from exc
    except yaml.YAMLError as exc:
        raise FileFormatError(Problem(path, str(exc))) from exc
    except UnicodeDecodeError as exc:
        raise FileFormatError(Problem(path, f"not UTF-8 text: {exc.reason}")) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FileFormatError(Problem(path, "expected a mapping of keys to values", 1, 1))
    return data
