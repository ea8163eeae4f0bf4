"""A parsed JSON value as pretty lines (keys sorted, two spaces), and the line of each
path asked for.

The line view of a JSON comparison shows both sides in this one canonical form, so key
order and whitespace never show as differences, and a structural change found by
`json_diff` can be jumped to: `found[path]` is the line its value starts on.

orjson writes the text (5 MB in tens of milliseconds; the same text as
`json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`), and the lines of the paths
asked for are found by walking only toward them, counting the lines of each subtree
passed by with orjson again. A value orjson cannot write (an integer past 64 bits,
nesting past 255) is printed by `pretty_lines`, in Python, with the same result.
Iterative, like `json_diff`: no nesting overflows the stack.
"""

from __future__ import annotations

from collections.abc import Collection
from json.encoder import encode_basestring  # the C one

import orjson

from explorer.core.diff.budget import Budget
from explorer.core.diff.json_diff import JsonPath

_INDENT = "  "
_CHECK_EVERY = 4_096


_PRETTY = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def pretty_json(
    value: object, wanted: Collection[JsonPath] = (), budget: Budget | None = None
) -> tuple[list[str], dict[JsonPath, int]]:
    """The lines of `value` pretty-printed, and the line index of each wanted path."""
    budget = budget or Budget()
    try:
        text = orjson.dumps(value, option=_PRETTY)
        found = _locate(value, wanted, budget)
    except (orjson.JSONEncodeError, TypeError):
        return pretty_lines(value, wanted, budget)
    return text.decode("utf-8").split("\n"), found


def pretty_pair(
    left: object, right: object, wanted: Collection[JsonPath], budget: Budget | None = None
) -> tuple[tuple[list[str], dict[JsonPath, int]], tuple[list[str], dict[JsonPath, int]]]:
    """Both sides printed the same way: orjson and Python write some floats differently
    (1e-05 and 0.00001), so when one side needs Python both get it."""
    budget = budget or Budget()
    try:
        texts = [orjson.dumps(side, option=_PRETTY) for side in (left, right)]
    except (orjson.JSONEncodeError, TypeError):
        return pretty_lines(left, wanted, budget), pretty_lines(right, wanted, budget)
    lines = [text.decode("utf-8").split("\n") for text in texts]
    del texts
    return (
        (lines[0], _locate(left, wanted, budget)),
        (lines[1], _locate(right, wanted, budget)),
    )


def _locate(value: object, wanted: Collection[JsonPath], budget: Budget) -> dict[JsonPath, int]:
    track = {where[:depth] for where in wanted for depth in range(len(where) + 1)}
    found: dict[JsonPath, int] = {}
    if () not in track:
        return found
    stack: list[tuple[object, JsonPath, int]] = [(value, (), 0)]
    while stack:
        budget.check()
        item, where, line = stack.pop()
        found[where] = line
        if isinstance(item, dict):
            children: list[tuple[str | int, object]] = sorted(item.items())
        elif isinstance(item, list):
            children = list(enumerate(item))
        else:
            continue
        line += 1  # the opening bracket's line
        for key, child in children:
            path = (*where, key)
            if path in track:
                stack.append((child, path, line))
            line += _line_count(child)
    return found


def _line_count(value: object) -> int:
    if isinstance(value, dict | list) and value:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).count(b"\n") + 1
    return 1


def pretty_lines(
    value: object, wanted: Collection[JsonPath] = (), budget: Budget | None = None
) -> tuple[list[str], dict[JsonPath, int]]:
    """`pretty_json` in Python, for the values orjson cannot write."""
    budget = budget or Budget()
    track = {where[:depth] for where in wanted for depth in range(len(where) + 1)}
    lines: list[str] = []
    found: dict[JsonPath, int] = {}
    # A task: a value to write (its path or None when untracked, depth, "key": , ",")
    # or a closing bracket (a str).
    tasks: list[tuple[object, JsonPath | None, int, str, str] | str] = [
        (value, () if () in track else None, 0, "", "")
    ]
    count = 0
    while tasks:
        task = tasks.pop()
        if isinstance(task, str):
            lines.append(task)
            continue
        count += 1
        if count % _CHECK_EVERY == 0:
            budget.check()
        item, where, depth, label, comma = task
        if where is not None and where in track:
            found[where] = len(lines)
        indent = _INDENT * depth
        if isinstance(item, dict) and item:
            lines.append(f"{indent}{label}{{")
            tasks.append(f"{indent}}}{comma}")
            keys = sorted(item)
            last = len(keys) - 1
            for number in range(last, -1, -1):
                key = keys[number]
                tasks.append(
                    (
                        item[key],
                        _child(where, key, track),
                        depth + 1,
                        encode_basestring(key) + ": ",
                        "" if number == last else ",",
                    )
                )
        elif isinstance(item, list) and item:
            lines.append(f"{indent}{label}[")
            tasks.append(f"{indent}]{comma}")
            last = len(item) - 1
            for index in range(last, -1, -1):
                child = _child(where, index, track)
                tasks.append((item[index], child, depth + 1, "", "" if index == last else ","))
        else:
            lines.append(f"{indent}{label}{scalar(item)}{comma}")
    return lines, found


def scalar(value: object) -> str:
    """A scalar (or an empty container) as JSON text."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return str(encode_basestring(value))
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return repr(value)  # int and float as json.dumps writes them


def _child(where: JsonPath | None, key: str | int, track: set[JsonPath]) -> JsonPath | None:
    if where is None:
        return None
    child = (*where, key)
    return child if child in track else None
