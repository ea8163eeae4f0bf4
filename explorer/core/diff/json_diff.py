"""A structural diff of two parsed JSON values.

Objects are compared by key (their order is ignored), arrays by index: an element
inserted at the front of an array shows as every later element changed plus one added at
the end. That is what "compared by index" means, and the dialog says so; the line view
next to it aligns the pretty text by content, which shows such an insertion as one block.

Each difference has a JSONPath (`$.items[3].name`, `$['a key']`) and the path as a
tuple of keys and indexes, so it can be found again in either value. Identical subtrees
are skipped with one `==` (a C loop), so the Python walk visits only what differs; the
walk is iterative, so nesting as deep as a JSON parser allows cannot overflow the stack.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

import orjson

from explorer.core.diff.budget import Budget
from explorer.core.text.json_location import jsonpath_of

MAX_CHANGES = 5_000  # listed; the rest are counted
PREVIEW_CHARS = 200  # of a value shown next to its path
_CHECK_EVERY = 2_048  # nodes between two looks at the stop flag

Key = str | int
JsonPath = tuple[Key, ...]


class Kind(enum.Enum):
    ADDED = "added"  # only on the right
    REMOVED = "removed"  # only on the left
    CHANGED = "changed"  # same type, another value
    TYPE_CHANGED = "type changed"  # e.g. a number became a string


@dataclass(frozen=True)
class Change:
    """One difference: where, what kind, and short previews of both values ("" when
    that side has nothing there)."""

    where: JsonPath
    kind: Kind
    left: str
    right: str

    @property
    def path(self) -> str:
        return jsonpath_of(self.where)


@dataclass(frozen=True)
class JsonDiff:
    """The first `MAX_CHANGES` changes in document order, and how many there are."""

    changes: tuple[Change, ...]
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.changes)


def type_name(value: object) -> str:
    """The JSON type of a parsed value: null, boolean, number, string, array, object."""
    if value is None:
        return "null"
    if isinstance(value, bool):  # before int: True is an int in Python
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def preview(value: object) -> str:
    """A value as compact JSON, cut to `PREVIEW_CHARS` characters."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if _small(value) else ""
    if not text:
        text = _head(value)
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def diff_json(left: object, right: object, budget: Budget | None = None) -> JsonDiff:
    """Every difference between two parsed JSON values, in document order (keys sorted)."""
    budget = budget or Budget()
    changes: list[Change] = []
    total = 0
    visited = 0
    # Depth first, children pushed in reverse so they come off in order.
    stack: list[tuple[JsonPath, object, object]] = [((), left, right)]
    while stack:
        where, a, b = stack.pop()
        visited += 1
        if visited % _CHECK_EVERY == 0:
            budget.check()
        if _same(a, b):
            continue
        kind_a, kind_b = type_name(a), type_name(b)
        found: Change | None = None
        if a is _MISSING:
            found = Change(where, Kind.ADDED, "", preview(b))
        elif b is _MISSING:
            found = Change(where, Kind.REMOVED, preview(a), "")
        elif kind_a != kind_b:
            found = Change(where, Kind.TYPE_CHANGED, preview(a), preview(b))
        elif kind_a == "object":
            assert isinstance(a, dict) and isinstance(b, dict)
            children: list[tuple[JsonPath, object, object]] = []
            for key in sorted(a.keys() | b.keys()):
                child = (*where, key)
                if key not in b:
                    children.append((child, a[key], _MISSING))
                elif key not in a:
                    children.append((child, _MISSING, b[key]))
                else:
                    children.append((child, a[key], b[key]))
            stack.extend(reversed(children))
        elif kind_a == "array":
            assert isinstance(a, list) and isinstance(b, list)
            pairs = [
                ((*where, index), a[index] if index < len(a) else _MISSING,
                 b[index] if index < len(b) else _MISSING)
                for index in range(max(len(a), len(b)))
            ]  # fmt: skip
            stack.extend(reversed(pairs))
        else:
            found = Change(where, Kind.CHANGED, preview(a), preview(b))
        if found is not None:
            total += 1
            if len(changes) < MAX_CHANGES:
                changes.append(found)
    return JsonDiff(tuple(changes), total)


class _Missing:
    """The value on the side where a key or an element is not."""

    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _same(a: object, b: object) -> bool:
    """Equal as JSON: a boolean is never equal to a number (Python's True == 1)."""
    if a is _MISSING or b is _MISSING:
        return a is b
    if type_name(a) != type_name(b):
        return False
    if not isinstance(a, list | dict):
        return a == b
    # Containers: compared as canonical bytes in one C call, which keeps `true` and `1`
    # apart (`==` would not). orjson refuses integers past 64 bits and nesting past 255:
    # then `==`, with the rare boolean-for-number swap checked by a walk.
    try:
        return orjson.dumps(a, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
            b, option=orjson.OPT_SORT_KEYS
        )
    except (orjson.JSONEncodeError, TypeError):
        pass
    try:
        return a == b and _no_bool_number_swap(a, b)
    except RecursionError:  # deeper than C's comparison allows: walk it instead
        return False


def _no_bool_number_swap(a: object, b: object) -> bool:
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if isinstance(x, dict) and isinstance(y, dict):
            stack.extend((x[key], y[key]) for key in x)
        elif isinstance(x, list) and isinstance(y, list):
            stack.extend(zip(x, y, strict=True))
        elif isinstance(x, bool) != isinstance(y, bool):
            return False
    return True


def _small(value: object) -> bool:
    """Cheap to write out whole: a scalar, or a container of a few members."""
    if isinstance(value, list | dict):
        return len(value) <= 50
    return not (isinstance(value, str) and len(value) > PREVIEW_CHARS * 4)


def _head(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value[:PREVIEW_CHARS], ensure_ascii=False)
    if isinstance(value, list):
        return f"[… {len(value):,} elements]"
    if isinstance(value, dict):
        return f"{{… {len(value):,} keys}}"
    return json.dumps(value)
