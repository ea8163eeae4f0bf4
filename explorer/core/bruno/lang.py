"""The `.bru` language of Bruno (https://docs.usebruno.com/bru-lang/overview): a parser
into blocks, and the writer of the same blocks.

A `.bru` file is a list of blocks, each a name and a body:

- a dictionary (`meta {`, `get {`, `headers {`, `assert {`, ...): one `key: value` row a
  line, `~` before a key disables the row, a key with `:`, `"`, `{`, `}` or a space is
  written in double quotes, and a value over several lines is written between `'''`
  lines (indented four spaces inside the block);
- text (`body:json {`, `script:pre-request {`, `tests {`, `docs {`, ...): the lines up to
  a `}` at the start of a line, each indented by two spaces;
- a list (`vars:secret [` of an environment): names separated by commas or new lines.

This follows Bruno's own grammar (@usebruno/lang v2, the ohm grammar in bruToJson.js)
where it matters for real files; the parser is line based, never recurses, and is
bounded (size, lines, blocks, rows): a malformed file gets one FormatError with its line
and column, never a hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.core.formats.common import FormatError

MAX_BRU_CHARS = 8 * 1024 * 1024  # one request file; a larger one is not written by hand
MAX_BLOCKS = 1000
MAX_ROWS = 10_000  # rows of one dictionary or list

# Blocks whose body is text, not rows (Bruno's grammar names them one by one).
TEXT_BLOCKS = frozenset(
    {
        "body",
        "body:json",
        "body:text",
        "body:xml",
        "body:sparql",
        "body:graphql",
        "body:graphql:vars",
        "script:pre-request",
        "script:post-response",
        "tests",
        "docs",
        "example",
    }
)
_BLOCK_START = re.compile(r"([A-Za-z][A-Za-z0-9_:.\-]*)[ \t]*([{\[])[ \t]*\r?$")
_TOP_PROPERTY = re.compile(r"([A-Za-z][A-Za-z0-9_\-]*):[ \t]*(.*?)[ \t]*\r?$")  # `color: red`
_ANNOTATION = re.compile(r"@[^\s():]+(?:\(.*\))?[ \t]*\r?$")
_QUOTE_IN_KEY = (":", '"', "{", "}", " ")
_MULTILINE = "'''"


@dataclass(frozen=True)
class Row:
    """One `key: value` row of a dictionary block (or a name of a list block)."""

    name: str
    value: str = ""
    enabled: bool = True
    line: int = 0
    items: tuple[str, ...] = ()  # a `key: [ ... ]` list value (meta's tags)


@dataclass(frozen=True)
class Block:
    """One block: `rows` for a dictionary or list, `text` for a text block."""

    name: str
    kind: str  # "dict", "text", "list" or "property" (a `name: value` line outside blocks)
    rows: tuple[Row, ...] = ()
    text: str = ""
    line: int = 0
    annotations: int = 0  # `@description(...)`-style lines before rows, not kept

    def value(self, name: str, default: str = "") -> str:
        """The value of the first enabled row called `name`."""
        for row in self.rows:
            if row.name == name and row.enabled:
                return row.value
        return default


@dataclass(frozen=True)
class BruFile:
    """The blocks of a `.bru` file, in order."""

    blocks: tuple[Block, ...]

    def get(self, name: str) -> Block | None:
        """The first block called `name`, or None."""
        return next((block for block in self.blocks if block.name == name), None)

    def names(self) -> tuple[str, ...]:
        return tuple(block.name for block in self.blocks)


# ---- parsing ----------------------------------------------------------------------------


def parse_bru(text: str) -> BruFile:
    """The blocks of `text`; FormatError("...", "line L, column C") when malformed."""
    if len(text) > MAX_BRU_CHARS:
        raise FormatError(f"The file is larger than {MAX_BRU_CHARS // (1024 * 1024)} MB")
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        start = _BLOCK_START.match(line)
        if start is None:
            prop = _TOP_PROPERTY.match(line)
            if prop is None:
                raise FormatError(
                    f"Expected a block such as `meta {{`, found {_shown(line)}",
                    _at(index, _indent(line)),
                )
            blocks.append(Block(prop.group(1), "property", text=prop.group(2), line=index + 1))
            index += 1
            continue
        if len(blocks) >= MAX_BLOCKS:
            raise FormatError(f"The file has more than {MAX_BLOCKS} blocks", _at(index, 0))
        name, opener = start.group(1), start.group(2)
        if opener == "[":
            block, index = _list_block(lines, index, name)
        elif name in TEXT_BLOCKS:
            block, index = _text_block(lines, index, name)
        else:
            block, index = _dict_block(lines, index, name)
        blocks.append(block)
    return BruFile(tuple(blocks))


def _text_block(lines: list[str], start: int, name: str) -> tuple[Block, int]:
    end = _closing(lines, start, name)
    first = start + 1
    while first < end and lines[first] in ("", "\r"):  # Bruno skips new lines after `{`
        first += 1
    body = [_outdent(line, 2) for line in lines[first:end]]
    return Block(
        name, "text", text="\n".join(line.rstrip("\r") for line in body), line=start + 1
    ), end + 1


def _closing(lines: list[str], start: int, name: str) -> int:
    """The index of the `}` line that closes the block opened at `start`."""
    for index in range(start + 1, len(lines)):
        if lines[index].rstrip(" \t\r") == "}":
            return index
    raise FormatError(f"The block `{name}` is never closed with a `}}` line", _at(start, 0))


def _dict_block(lines: list[str], start: int, name: str) -> tuple[Block, int]:
    end = _closing(lines, start, name)
    rows: list[Row] = []
    annotations = 0
    index = start + 1
    while index < end:
        line = lines[index].rstrip("\r")
        if not line.strip() or _ANNOTATION.match(line.strip()):
            annotations += bool(line.strip())  # `@description(...)` describes a row
            index += 1
            continue
        if len(rows) >= MAX_ROWS:
            raise FormatError(f"The block `{name}` has more than {MAX_ROWS} rows", _at(index, 0))
        row, index = _row(lines, index, end, name == "assert", name == "meta")
        rows.append(row)
    return Block(name, "dict", tuple(rows), line=start + 1, annotations=annotations), end + 1


def _row(
    lines: list[str], index: int, end: int, assert_row: bool, list_values: bool
) -> tuple[Row, int]:
    line = lines[index].rstrip("\r")
    column = _indent(line)
    rest = line[column:]
    enabled = True
    if rest.startswith("~"):
        enabled, rest, column = False, rest[1:], column + 1
    if rest.startswith('"') and not assert_row:
        name, rest = _quoted_key(rest, index, column)
    else:
        name, colon, after = rest.partition(":")
        if not colon:
            raise FormatError(f"Expected `name: value`, found {_shown(line)}", _at(index, column))
        name, rest = name.strip(), ":" + after
    rest = rest.lstrip(" \t")
    if not rest.startswith(":"):
        raise FormatError("Expected `:` after the name", _at(index, len(line) - len(rest)))
    value = rest[1:].strip(" \t")
    if not name:
        raise FormatError("A row has no name before its `:`", _at(index, column))
    if value.startswith(_MULTILINE):
        text, index = _multiline(lines, index, end, value)
        return Row(name, text, enabled, index + 1), index + 1
    if value == "[" and list_values:  # meta's tags; elsewhere `[` is text, as in Bruno
        items, index = _list_items(lines, index + 1, end, "]")
        return Row(name, "", enabled, index + 1, items), index + 1
    return Row(name, value, enabled, index + 1), index + 1


def _quoted_key(rest: str, index: int, column: int) -> tuple[str, str]:
    out: list[str] = []
    position = 1
    while position < len(rest):
        char = rest[position]
        if char == "\\" and rest[position + 1 : position + 2] == '"':
            out.append('"')
            position += 2
            continue
        if char == '"':
            return "".join(out), rest[position + 1 :]
        out.append(char)
        position += 1
    raise FormatError('A quoted name is not closed with `"`', _at(index, column))


def _multiline(lines: list[str], index: int, end: int, value: str) -> tuple[str, int]:
    """A value between `'''` lines: its lines lose four spaces of indentation."""
    first = value[len(_MULTILINE) :]
    if _MULTILINE in first:  # '''one line''' (Bruno's grammar allows it)
        inner, _, after = first.partition(_MULTILINE)
        return _with_content_type(inner.strip(), after), index
    collected = [first] if first.strip() else []
    for inner_index in range(index + 1, end):
        line = lines[inner_index].rstrip("\r")
        stripped = line.strip()
        if stripped.startswith(_MULTILINE):
            text = "\n".join(collected).strip("\n")
            return _with_content_type(text, stripped[len(_MULTILINE) :]), inner_index
        collected.append(_outdent(line, 4))
    raise FormatError("A `'''` value is never closed with `'''`", _at(index, 0))


def _with_content_type(text: str, after: str) -> str:
    after = after.strip()
    return f"{text} {after}" if after else text


def _list_block(lines: list[str], start: int, name: str) -> tuple[Block, int]:
    items, index = _list_items(lines, start + 1, len(lines), "]")
    rows = tuple(
        Row(item[1:].strip(), "", False, start + 1) if item.startswith("~") else Row(item, "", True)
        for item in items
    )
    return Block(name, "list", rows, line=start + 1), index + 1


def _list_items(lines: list[str], index: int, end: int, closer: str) -> tuple[tuple[str, ...], int]:
    items: list[str] = []
    for line_index in range(index, end):
        stripped = lines[line_index].strip()
        if stripped == closer:
            return tuple(items), line_index
        for piece in stripped.split(","):
            piece = piece.strip()
            if piece and not piece.startswith("@"):
                if len(items) >= MAX_ROWS:
                    raise FormatError(f"A list has more than {MAX_ROWS} items", _at(line_index, 0))
                items.append(piece)
    raise FormatError(f"A list is never closed with `{closer}`", _at(index - 1, 0))


def _outdent(line: str, spaces: int) -> str:
    cut = 0
    while cut < spaces and cut < len(line) and line[cut] == " ":
        cut += 1
    return line[cut:]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _at(index: int, column: int) -> str:
    return f"line {index + 1}, column {column + 1}"


def _shown(line: str) -> str:
    text = line.strip()
    return repr(text if len(text) <= 40 else text[:39] + "…")


# ---- writing ----------------------------------------------------------------------------


def dict_block(name: str, rows: list[tuple[str, str, bool]]) -> str:
    """A dictionary block of (name, value, enabled) rows, as Bruno writes one. The
    names of an `assert` block are expressions, never quoted (Bruno's grammar reads
    everything up to the `:` there)."""
    lines = [f"{name} {{"]
    for key, value, enabled in rows:
        shown = key if name == "assert" else key_text(key)
        lines.append(f"  {'' if enabled else '~'}{shown}: {value_text(value)}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def text_block(name: str, text: str) -> str:
    """A text block: every line indented two spaces, closed by `}` at the start of a line."""
    body = "\n".join(f"  {line}" for line in text.split("\n"))
    return f"{name} {{\n{body}\n}}\n"


def list_block(name: str, items: list[str]) -> str:
    """A list block (`vars:secret [ a, b ]`)."""
    inner = ",\n".join(f"  {item}" for item in items)
    return f"{name} [\n{inner}\n]\n"


def unwritable_key(key: str) -> bool:
    """Whether Bruno's format cannot hold the row name `key`: a new line, a leading `~`
    (it disables the row), a backslash in a name that needs quotes (the format's only
    escape is a backslash before a quote), white space around a name without quotes."""
    if "\n" in key or "\r" in key or key.startswith("~"):
        return True
    quoted = key_text(key) != key
    return ("\\" in key and quoted) or (key != key.strip() and not quoted)


def key_text(key: str) -> str:
    """A row's name, quoted when Bruno's reader would otherwise cut it."""
    if any(char in key for char in _QUOTE_IN_KEY):
        return '"' + key.replace('"', '\\"') + '"'
    return key


def unwritable(value: str) -> str:
    """Why Bruno's format cannot hold `value` as it is ("" when it can): it has no
    escapes, trims every value, and ends a multi-line value at a line starting with
    three single quotes."""
    lines = value.replace("\r\n", "\n").split("\n")
    if any(line.strip().startswith(_MULTILINE) for line in lines):
        return "a line starting with " + _MULTILINE
    if len(lines) == 1 and value != value.strip():
        return "spaces at its start or end"
    return ""


def value_text(value: str) -> str:
    """A row's value: as it is on one line, between `'''` lines when it has several."""
    if "\n" not in value and "\r" not in value:
        return value
    inner = "\n".join(f"    {line}" for line in value.replace("\r\n", "\n").split("\n"))
    return f"'''\n{inner}\n  '''"
