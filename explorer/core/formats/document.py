"""Loading JSON/YAML documents with error locations, and type-checked access by path.

Importers walk documents written by other tools; every access goes through these
helpers so that a wrong shape becomes a FormatError naming the JSON path
(`$.item[2].request.url`) instead of a KeyError or AttributeError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import yaml

from explorer.core.formats.common import FormatError

# Bounds on what a document may be once loaded; real exports stay far below them.
MAX_NESTING = 200  # objects and arrays inside each other
MAX_VALUES = 2_000_000  # values repeated by YAML aliases (a "billion laughs" file)
MAX_DIGITS = 4000  # longer integers stay text: Python refuses to convert past 4300 digits

_SURROGATE = re.compile("[\ud800-\udfff]")
_LEADING = re.compile(r"[\ufeff \t\r\n]*")
_SURROGATE_NOTE = "Lone surrogates (characters no file can hold) were replaced with U+FFFD."


class _Session:
    """One import: the repairs made while loading, and the documents already parsed
    (detection parses a document, and the importer then asks for the same one)."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.parsed: dict[str, tuple[str, Any]] = {}  # syntax -> (text, document)


_session: ContextVar[_Session | None] = ContextVar("import_session", default=None)


@contextmanager
def import_session() -> Iterator[list[str]]:
    """Within it, documents are parsed once, and the repairs made while loading (e.g.
    replaced lone surrogates) are collected in the list it yields, so that the import
    entry point can add them to the report."""
    session = _Session()
    token = _session.set(session)
    try:
        yield session.notes
    finally:
        _session.reset(token)


def _note(text: str) -> None:
    session = _session.get()
    if session is not None and text not in session.notes:
        session.notes.append(text)


def _parsed_once(syntax: str, text: str, parse: Callable[[str], Any]) -> Any:
    session = _session.get()
    if session is None:
        return parse(text)
    key = text.lstrip("\ufeff \t\r\n")
    cached = session.parsed.get(syntax)
    if cached is not None and cached[0] == key:
        return cached[1]
    document = parse(text)
    session.parsed[syntax] = (key, document)  # importers only read documents
    return document


def clean_text(text: str) -> str:
    """`text` without a leading BOM and with lone surrogates (which no file can hold and
    which would make writing the collection fail half-way) replaced by U+FFFD.

    A BOM is dropped wherever it is in the leading white space: pasted after a blank
    line, or twice (a file saved with a BOM by an editor that kept the one it read)."""
    lead = _LEADING.match(text)
    if lead and "\ufeff" in lead.group():
        text = lead.group().replace("\ufeff", "") + text[lead.end() :]
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
        _note(_SURROGATE_NOTE)
    return text


def load_json(text: str) -> Any:
    """Parse JSON; a syntax error becomes a FormatError with its line and column."""
    return _parsed_once("json", text, _load_json)


def _load_json(text: str) -> Any:
    try:
        document = json.loads(clean_text(text), parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise FormatError(
            f"Invalid JSON: {error.msg}", f"line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise FormatError("The JSON is nested too deeply", "") from None
    # JSON shares no nodes and has text keys; a lone surrogate can only come from a
    # "\uD800"-style escape, so strings are searched only when the text has one.
    return normalise(document, strings=bool(_SURROGATE_ESCAPE.search(text)), aliases=False)


def _parse_int(digits: str) -> int | str:
    # A number too long for int() is kept as the text it is (no importer needs its value).
    return digits if len(digits) > MAX_DIGITS else int(digits)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader whose scalars never fail to construct: dates stay text, huge integers
    stay text (a date like 2024-02-30 or a 5,000-digit number raised ValueError)."""


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    text = loader.construct_scalar(node)
    if len(str(text)) > MAX_DIGITS:
        return str(text)
    try:
        value = yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        return str(text)
    # Hexadecimal, octal and binary digits convert to integers too long to print.
    return str(text) if value.bit_length() > 13_000 else value


def _construct_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)


def load_yaml(text: str) -> Any:
    """Parse YAML (or JSON, its subset) safely; errors carry their line and column."""
    return _parsed_once("yaml", text, _load_yaml)


def _load_yaml(text: str) -> Any:
    try:
        document = yaml.load(clean_text(text), Loader=_Loader)  # a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FormatError(f"Invalid YAML: {error.problem or error}", location) from None
    except yaml.YAMLError as error:
        raise FormatError(f"Invalid YAML: {error}", "") from None
    except (ValueError, TypeError, OverflowError) as error:  # a scalar PyYAML cannot build
        raise FormatError(f"Invalid YAML: {error}", "") from None
    except RecursionError:
        raise FormatError("The YAML is nested too deeply", "") from None
    return normalise(document)


def load_document(text: str) -> Any:
    """JSON when the text starts like JSON, YAML otherwise."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        return load_json(stripped)
    return load_yaml(stripped)


def normalise(document: Any, strings: bool = True, aliases: bool = True) -> Any:
    """The document with text keys only, within MAX_NESTING and MAX_VALUES, without cycles
    and lone surrogates, so that importers can walk it without recursion or hash errors.

    `strings`: look for lone surrogates in strings; `aliases`: nodes may be shared (YAML
    aliases): each is converted once (its copies stay shared) but counted everywhere it
    appears, which is what an importer walks. JSON skips what it cannot contain.
    """
    if not isinstance(document, (dict, list)):
        return _Normaliser(True, False).scalar(document)
    return _Normaliser(strings, aliases).container(document, 0)[0]


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _Normaliser:
    def __init__(self, strings: bool, aliases: bool) -> None:
        self.strings = strings
        self.aliases = aliases
        self.done: dict[int, tuple[Any, int]] = {}  # id -> (converted value, values inside)
        self.active: set[int] = set()
        self.total = 0  # values walked again through aliases
        self.trail: list[str | int] = []  # keys down to the current node, for messages

    def scalar(self, value: Any) -> Any:
        if self.strings and isinstance(value, str) and _SURROGATE.search(value):
            _note(_SURROGATE_NOTE)
            return _SURROGATE.sub("\ufffd", value)
        return value

    def container(self, node: dict[Any, Any] | list[Any], depth: int) -> tuple[Any, int]:
        key = id(node)
        if self.aliases:
            if key in self.done:
                shared, size = self.done[key]
                self._count(size)
                return shared, size
            if key in self.active:
                raise FormatError("The document contains itself (a YAML alias loop)", self._path())
            self.active.add(key)
        if depth >= MAX_NESTING:
            raise FormatError(
                f"The document is nested more than {MAX_NESTING} levels deep", self._path()
            )
        size = 1
        if isinstance(node, dict):
            converted: Any = {}
            for name, item in node.items():
                if not isinstance(name, str):
                    name = _key_text(name)
                converted[self.scalar(name)], inner = self._item(name, item, depth)
                size += inner
        else:
            converted = []
            for index, item in enumerate(node):
                value, inner = self._item(index, item, depth)
                converted.append(value)
                size += inner
        if self.aliases:
            self.active.discard(key)
            self.done[key] = (converted, size)
        return converted, size

    def _item(self, name: str | int, item: Any, depth: int) -> tuple[Any, int]:
        if not isinstance(item, (dict, list)):
            return self.scalar(item), 1
        self.trail.append(name)
        converted = self.container(item, depth + 1)
        self.trail.pop()
        return converted

    def _path(self) -> str:
        path = "$"
        for key in self.trail:
            path = child(path, key)
        return path

    def _count(self, size: int) -> None:
        # Only repeats count: without aliases the document is as large as its text.
        self.total += size
        if self.total > MAX_VALUES:
            raise FormatError(
                f"The document holds more than {MAX_VALUES:,} values once its aliases are expanded",
                "",
            )


def _key_text(key: Any) -> str:
    # YAML keys may be numbers (`200:` under OpenAPI responses), booleans or null.
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, int) and key.bit_length() > 13_000:
        return hex(key)
    return str(key)


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
