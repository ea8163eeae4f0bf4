"""Where a line of pretty-printed JSON is in the document: its JSONPath and its value.

The body viewer shows JSON as `content.pretty_json` writes it (two-space indent, one
member or element per line, `"key": value`, brackets alone on their lines) with the
fold ranges of `content.json_folds`. A right-click on a line asks "which value is
this?" (to assert on it or capture it). The answer is worked out from the fold ranges
and a few lines, never by parsing the body: the parent of a line is the innermost fold
around it, a member's name is on its own line, and an element's index is the number of
siblings before it. `FoldTree` works out once, in O(folds) (off the GUI thread for a
large text), each fold's parent and index; each question then costs O(depth): one
line read per level, whatever the body's size.

The path is exact for any key (names that are not plain identifiers are written
`['it''s']` with RFC 9535's escapes), so evaluating it finds the clicked value.
"""

from __future__ import annotations

import json
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, MutableSequence, Sequence
from dataclasses import dataclass

# The longest line prefix read to find a member's name or a value.
LINE_LIMIT = 64 * 1024
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
            "\t": "\\t"}  # fmt: skip

# One line of the text: its first bytes (at most LINE_LIMIT) and whether that is all.
ReadLine = Callable[[int], tuple[bytes, bool]]
PathPart = str | int


class LocationError(ValueError):
    """The line holds no value that can be located; the message says why, in one line."""


@dataclass(frozen=True)
class JsonLocation:
    """A value of the document: where it is, and what it is on its line.

    `kind` is "object", "array" or "scalar"; `text` is a scalar's JSON text as shown
    (`"ada"`, `42`, `true`, `null`, `{}`), "" for a container or a value too long to
    read whole (`complete` False)."""

    path: tuple[PathPart, ...]
    kind: str
    text: str = ""
    complete: bool = True

    @property
    def jsonpath(self) -> str:
        return jsonpath_of(self.path)

    def value(self) -> object:
        """The scalar's value (a container or a cut value raises LocationError)."""
        if self.kind != "scalar" or not self.complete:
            raise LocationError("not a whole scalar value")
        return json.loads(self.text)


def literal_expected(value: str) -> str:
    """`value` as the expected text of an `==` assertion (read as JSON when it parses as
    JSON, else as text): the text itself, unless it would be read as another JSON value
    (`200`, `true`, `"x"`) or has space at its ends; then as a JSON string. So the row
    compares with exactly this text."""
    try:
        json.loads(value)
    except ValueError:
        if value == value.strip() and value:
            return value
    return json.dumps(value, ensure_ascii=False)


def jsonpath_of(path: Sequence[PathPart]) -> str:
    """An RFC 9535 JSONPath selecting exactly the value at `path`: `$.a[0]['b c']`."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_NAME.match(part):
            out.append("." + part)
        else:
            out.append("['" + "".join(_escaped(c) for c in part) + "']")
    return "".join(out)


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20:
        return f"\\u{ord(char):04x}"
    return char


@dataclass(frozen=True)
class _Line:
    key: str | None  # a member's name, None for an element (or the root)
    value: bytes  # what follows the name: `{`, `[`, a scalar, or a closing bracket
    complete: bool


def _parse(head: bytes, complete: bool) -> _Line:
    text = head.lstrip(b" ")
    key: str | None = None
    if text.startswith(b'"'):
        end = _string_end(text)
        if end < 0:
            if not complete:
                raise LocationError("this line is too long to read here")
            raise LocationError("this line is not pretty-printed JSON")
        if text[end : end + 2] == b": ":
            try:
                key = json.loads(text[:end])
            except ValueError as exc:
                raise LocationError("this line is not pretty-printed JSON") from exc
            text = text[end + 2 :]
    value = text.rstrip(b" ")
    if complete and value.endswith(b","):
        value = value[:-1]
    return _Line(key, value, complete)


def _string_end(text: bytes) -> int:
    """The index just after the JSON string `text` starts with, or -1."""
    at = 1
    while True:
        quote = text.find(b'"', at)
        if quote < 0:
            return -1
        backslashes = 0
        while text[quote - 1 - backslashes] == 0x5C:
            backslashes += 1
        if backslashes % 2 == 0:
            return quote + 1
        at = quote + 1


def _uint_array(values: Sequence[int]) -> Sequence[int]:
    """`values` as an array("I"): the same object when it is one already, or a
    memoryview of unsigned ints (the formatter's mapped folds file)."""
    if isinstance(values, array) and values.typecode == "I":
        return values
    if isinstance(values, memoryview) and values.format == "I":
        return values
    return array("I", values)


class FoldTree:
    """How the folds of one pretty JSON text nest: each fold's parent and its index
    among the parent's children (one-line children counted too). Built once per text in
    O(folds), off the GUI thread for a large one; then every lookup is O(depth)."""

    def __init__(
        self,
        starts: Sequence[int],
        ends: Sequence[int],
        *,
        build: bool = True,
        storage: tuple[MutableSequence[int] | memoryview, MutableSequence[int] | memoryview]
        | None = None,
    ) -> None:
        """`build=False` places no fold yet: call `build` in steps (a window builds the
        tree of a 1 GiB body, ~10 million folds, in short slices of its GUI thread; on a
        worker thread the same loop held the GIL against the window for 100-400 ms).
        `storage` is where the parents ("i") and indexes ("I") go, one zeroed item per
        fold (the window gives a large body mapped scratch arrays); else new arrays."""
        # Arrays are kept, not copied, and the per-fold counters live only while a fold
        # is open (on the stack): each array of 10 million folds is 39 MB of the window.
        self.starts = _uint_array(starts)
        self.ends = _uint_array(ends)
        count = len(self.starts)
        if storage is not None:
            self.parent, self.index = storage
        else:
            # No zero bytes object of the same size first.
            self.parent, self.index = array("i", [0]) * count, array("I", [0]) * count
        self._placed = 0
        # Per open fold: [fold, children counted so far, the line its next child is on].
        self._stack: list[list[int]] = []
        if build:
            self.build(count)

    @property
    def complete(self) -> bool:
        """True once every fold is placed (lookups need a complete tree)."""
        return self._placed >= len(self.starts)

    def build(self, count: int) -> bool:
        """Place the next `count` folds; True when every fold is placed."""
        starts, ends, stack = self.starts, self.ends, self._stack
        stop = min(len(starts), self._placed + count)
        for i in range(self._placed, stop):
            start = starts[i]
            while stack and ends[stack[-1][0]] < start:
                stack.pop()
            if stack:
                top = stack[-1]
                self.parent[i] = top[0]
                # One-line children between (none when the ranges given overlap oddly:
                # `json_folds` never gives such, but nothing here may fail on them).
                top[1] += max(0, start - top[2])
                self.index[i] = top[1]
                top[1] += 1
                top[2] = max(top[2], ends[i] + 1)
            else:
                self.parent[i] = -1
            stack.append([i, 0, start + 1])
        self._placed = stop
        if self.complete:
            stack.clear()
        return self.complete

    def _last_starting_before(self, line: int) -> int:
        return bisect_left(self.starts, line) - 1

    def fold_starting_at(self, line: int) -> int:
        """The fold whose opening line is `line`, or -1."""
        i = bisect_left(self.starts, line)
        return i if i < len(self.starts) and self.starts[i] == line else -1

    def fold_ending_at(self, line: int) -> int:
        """The fold whose closing line is `line`, or -1."""
        i = self._last_starting_before(line)
        while i >= 0 and self.ends[i] < line:
            i = self.parent[i]
        return i if i >= 0 and self.ends[i] == line else -1

    def enclosing(self, line: int) -> tuple[int, int]:
        """(the innermost fold around `line`, or -1 at the top; how many siblings come
        before the value that starts on `line`)."""
        own = self.fold_starting_at(line)
        if own >= 0:
            return self.parent[own], self.index[own]
        i = self._last_starting_before(line)
        passed = -1  # the last child fold climbed out of, ending before `line`
        while i >= 0 and self.ends[i] < line:
            passed, i = i, self.parent[i]
        if i < 0:
            return -1, 0
        if passed < 0:  # only one-line children since the fold opened
            return i, line - self.starts[i] - 1
        return i, self.index[passed] + 1 + (line - self.ends[passed] - 1)


def locate(number: int, tree: FoldTree, read: ReadLine) -> JsonLocation:
    """The value shown on line `number` of pretty JSON whose folds `tree` holds;
    `read(n)` gives line n's first bytes. A closing bracket's line means the container
    it closes. Raises LocationError (one line) for a line that holds no value."""
    line = _parse(*read(number))
    if line.value[:1] in (b"}", b"]") and line.key is None:
        fold = tree.fold_ending_at(number)
        if fold < 0:
            raise LocationError("this line is not part of pretty-printed JSON")
        number = tree.starts[fold]
        line = _parse(*read(number))
    if not line.value:
        raise LocationError("there is no value on this line")
    if line.value in (b"{", b"["):
        target = JsonLocation((), "object" if line.value == b"{" else "array")
    else:
        text = line.value.decode("utf-8", "replace") if line.complete else ""
        if line.complete:
            try:
                json.loads(text)
            except ValueError as exc:
                raise LocationError("this line is not pretty-printed JSON") from exc
        target = JsonLocation((), "scalar", text, line.complete)
    path: list[PathPart] = []
    while True:
        fold, index = tree.enclosing(number)
        if fold < 0:
            break
        parent_line = tree.starts[fold]
        opener = _parse(*read(parent_line))
        if opener.value == b"{" and line.key is not None:
            path.append(line.key)
        elif opener.value == b"[" and line.key is None:
            path.append(index)
        else:
            raise LocationError("this line is not pretty-printed JSON")
        number, line = parent_line, opener
    if line.key is not None or number != 0:
        raise LocationError("this line is not pretty-printed JSON")
    return JsonLocation(tuple(reversed(path)), target.kind, target.text, target.complete)


# The most lines `line_of` reads walking to a value: a pointer into a huge array gives up
# (and the Body tab is shown without scrolling) rather than read a million lines.
WALK_LIMIT = 50_000
_SEGMENT = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")
_UNESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'",
              '"': '"', "/": "/"}  # fmt: skip


def parse_jsonpath(text: str) -> tuple[PathPart, ...]:
    """The path of a singular JSONPath as `jsonpath_of` writes it (`$.a[0]['b c']`);
    LocationError for anything else (wildcards, filters, slices)."""
    text = text.strip()
    if not text.startswith("$"):
        raise LocationError(f"{text[:60]!r} is not a JSONPath (it starts with $)")
    parts: list[PathPart] = []
    at = 1
    while at < len(text):
        match = _SEGMENT.match(text, at)
        if match is None:
            raise LocationError(f"{text[:60]!r} does not name one value")
        name, index, quoted = match.groups()
        if name is not None:
            parts.append(name)
        elif index is not None:
            parts.append(int(index))
        else:
            parts.append(_unescape(quoted))
        at = match.end()
    return tuple(parts)


def _unescape(quoted: str) -> str:
    """The name inside `['…']`, its escapes (as `_escaped` writes them) undone."""
    out: list[str] = []
    at = 0
    while at < len(quoted):
        char = quoted[at]
        following = quoted[at + 1 : at + 2]
        if char != "\\":
            out.append(char)
            at += 1
        elif following == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", quoted[at + 2 : at + 6]):
            out.append(chr(int(quoted[at + 2 : at + 6], 16)))
            at += 6
        else:
            out.append(_UNESCAPES.get(following, following))
            at += 2
    return "".join(out)


def line_of(
    path: Sequence[PathPart], tree: FoldTree, read: ReadLine, limit: int = WALK_LIMIT
) -> int:
    """The line of pretty JSON (folds in `tree`, lines from `read`) where the value at
    `path` starts: the inverse of `locate`. Walks each container's children, skipping
    nested folds, reading at most `limit` lines; LocationError when the value is not
    there or the walk is too long."""
    line = 0
    budget = limit
    for part in path:
        fold = tree.fold_starting_at(line)
        if fold < 0:
            raise LocationError(f"{jsonpath_of(path)} is not in this body")
        opener = _parse(*read(line)).value
        wants_member = isinstance(part, str)
        if (opener == b"{") != wants_member:
            raise LocationError(f"{jsonpath_of(path)} is not in this body")
        child, index, end = line + 1, 0, tree.ends[fold]
        while True:
            if child >= end:
                raise LocationError(f"{jsonpath_of(path)} is not in this body")
            budget -= 1
            if budget < 0:
                raise LocationError("the body is too large to find that value in")
            if wants_member:
                if _parse(*read(child)).key == part:
                    break
            elif index == part:
                break
            nested = tree.fold_starting_at(child)
            child = tree.ends[nested] + 1 if nested >= 0 else child + 1
            index += 1
        line = child
    return line
