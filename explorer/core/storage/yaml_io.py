"""YAML in and out: readable output (block scalars for multi-line text, stable key order)
and parse errors turned into `Problem`s with a line number."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.representer import SafeRepresenter

from explorer.core.storage.errors import FileFormatError, Problem

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # libyaml is much faster on big collections; fall back to pure Python
    from yaml import CSafeLoader

    _Loader = CSafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line strings as `|` blocks and indents lists."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        # Indent sequences under their key: easier to read and what hand-written YAML does.
        return super().increase_indent(flow, False)


def _represent_str(dumper: SafeRepresenter, data: str) -> yaml.ScalarNode:
    # The emitter falls back to a quoted style by itself when a block cannot hold the
    # text exactly (e.g. trailing spaces, CR, tabs after newlines), so round trips stay exact.
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


_DUMP_OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "allow_unicode": True,
    "default_flow_style": False,
    "width": 100,
}


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML text of `data`, keys in insertion order, unicode kept readable.

    libyaml writes the same text about 4x faster (an import of 10,000 requests spent
    most of its time here), except that it cannot indent lists under their key, and it
    differs on a few rare inputs. So it is used only for data of the ordinary shape
    (`_is_ordinary`), its lists are indented afterwards, and the result is kept only if
    no line is long enough to have been folded (where the two emitters' different
    indentation would fold differently); otherwise the pure-Python emitter writes it.
    tests/core/storage/test_yaml_fast_path.py checks that the two agree byte for byte.
    """
    if _FastDumper is not None and _is_ordinary(data):
        text = _indent_sequences(yaml.dump(data, Dumper=_FastDumper, **_DUMP_OPTIONS))
        long_line = max(map(len, text.split("\n"))) > _DUMP_OPTIONS["width"]
        # After a "keep" block scalar (`|+`) libyaml ends the document with "...", even
        # when another key follows it; the pure emitter only when it is the last one.
        if not long_line and not _KEEP_CHOMPING.search(text):
            return text
    pure: str = yaml.dump(data, Dumper=_Dumper, **_DUMP_OPTIONS)  # a str, without a stream
    return pure


_FastDumper: type[yaml.CSafeDumper] | None
try:
    from yaml import CSafeDumper

    class _LibyamlDumper(CSafeDumper):
        """libyaml's emitter with the same string representer as `_Dumper`."""

    _LibyamlDumper.add_representer(str, _represent_str)
    _FastDumper = _LibyamlDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _FastDumper = None

# Keys and text on which libyaml and the pure emitter were seen to differ are left to
# the pure one: empty, quoted or long keys, control characters, astral characters.
_ORDINARY_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}\Z")
_UNUSUAL_TEXT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\U00010000-\U0010ffff]")
_BLOCK_SCALAR = re.compile(r"(?:^|: |- )[|>][0-9+-]*$")
_KEEP_CHOMPING = re.compile(r"(?m)(?:^|: |- )[|>][0-9]*\+$")


def _is_ordinary(value: Any) -> bool:
    if isinstance(value, dict):
        return all(
            isinstance(key, str) and _ORDINARY_KEY.match(key) and _is_ordinary(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return all(_is_ordinary(item) for item in value)
    if isinstance(value, str):
        return not _UNUSUAL_TEXT.search(value)
    return value is None or isinstance(value, (bool, int, float))


def _indent_sequences(text: str) -> str:
    """libyaml's output with every list under a mapping key indented by two more spaces,
    as `_Dumper` writes it. Lines of a block scalar move with the item that holds them
    and are never read as structure."""
    out: list[str] = []
    lists: list[tuple[int, int]] = []  # open lists: (column of their "- ", total shift)
    block_owner: int | None = None  # indent of the line that opened a block scalar
    key_column: int | None = None  # column of the previous line's key, when it was "key:"
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        column = len(line) - len(stripped)
        if block_owner is not None:
            if not stripped or column > block_owner:
                out.append(" " * (lists[-1][1] if lists else 0) + line if stripped else line)
                continue
            block_owner = None
        if not stripped:
            out.append(line)
            continue
        is_item = stripped.startswith("- ") or stripped == "-"
        while lists and (column < lists[-1][0] or (column == lists[-1][0] and not is_item)):
            lists.pop()
        if is_item and key_column == column and not (lists and lists[-1][0] == column):
            lists.append((column, (lists[-1][1] if lists else 0) + 2))
        out.append(" " * (column + (lists[-1][1] if lists else 0)) + stripped)
        body, body_column = stripped, column
        while body.startswith("- "):  # "- - key:": a list item that starts a nested list
            body, body_column = body[2:], body_column + 2
        key_column = body_column if body.endswith(":") else None
        if _BLOCK_SCALAR.search(stripped):
            # The block belongs to the key ("- name: |" → the key's column, so a sibling
            # key of the same item ends it), or to the item itself ("- |" → the dash's).
            block_owner = body_column - 2 if body.startswith(("|", ">")) else body_column
    return "\n".join(out)


def parse_yaml(text: str | bytes, path: Path) -> dict[str, Any]:
    """The mapping in `text`; an empty document is an empty mapping.

    Raises FileFormatError with the parser's line (1-based) and message.
    """
    try:
        data = _load(text)
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


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _NotPlain(Exception):
    """The document has something `_plain` leaves to PyYAML's constructor."""


def _load(text: str | bytes) -> Any:
    """What `yaml.load(text, Loader=CSafeLoader)` gives, built faster.

    libyaml parses and composes the nodes in C, but PyYAML's constructor then turns them
    into Python values in Python, through generators and per-node bookkeeping: that was
    most of the time of reading a collection of small request files (200 files: 15 ms,
    9 ms this way). Documents of plain mappings, lists and strings, as the app writes
    them, are built here directly; every other scalar (numbers, booleans, null, dates)
    still goes through the constructor, and anything else (aliases, merge keys, explicit
    collection tags, non-string keys) has the whole document built by the constructor.
    tests/core/storage/test_yaml_fast_load.py checks that both give the same values.
    """
    loader = _Loader(text)  # CSafeLoader/SafeLoader only
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _plain(node, loader, set())
        except (_NotPlain, RecursionError):
            return loader.construct_document(node)
    finally:
        loader.dispose()


def _plain(node: yaml.Node, loader: Any, seen: set[int]) -> Any:
    """`node` as a Python value; _NotPlain when the constructor must build it."""
    tag = node.tag
    kind = type(node)
    if tag == _STR and kind is yaml.ScalarNode:
        return node.value
    if id(node) in seen:  # an alias: the constructor shares one value between uses
        raise _NotPlain
    seen.add(id(node))
    if tag == _MAP and kind is yaml.MappingNode:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # Only plain string keys: not merge keys (<<), value keys (=) or others.
            if key_node.tag != _STR or type(key_node) is not yaml.ScalarNode:
                raise _NotPlain
            mapping[key_node.value] = _plain(value_node, loader, seen)
        return mapping
    if tag == _SEQ and kind is yaml.SequenceNode:
        return [_plain(item, loader, seen) for item in node.value]
    if kind is yaml.ScalarNode:
        return loader.construct_object(node, deep=True)
    raise _NotPlain
