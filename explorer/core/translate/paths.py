"""Paths into a JSON body, between the forms the tools write: JavaScript member access
(`data.items[0].id`), Postman's lodash-style strings (`items[0].id`), JSONPath
(`$.items[0].id`, RFC 9535) and simple JMESPath (`items[0].id`).

Only plain paths (names and non-negative indexes) translate; anything else (filters,
wildcards, slices, descendants) returns None and the caller keeps the original.
"""

from __future__ import annotations

import re

from explorer.core.translate.javascript import js_string

Segment = int | str

MAX_SEGMENTS = 64
_SHORTHAND = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_JS_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_RESERVED = {"length"}  # a JS member of that name means the array's length, not a key


def jsonpath(segments: tuple[Segment, ...]) -> str:
    """The RFC 9535 JSONPath of a plain path: `$`, `.name`, `['odd name']`, `[0]`."""
    out = ["$"]
    for segment in segments:
        if isinstance(segment, int):
            out.append(f"[{segment}]")
        elif _SHORTHAND.fullmatch(segment):
            out.append(f".{segment}")
        else:
            escaped = segment.replace("\\", "\\\\").replace("'", "\\'")
            out.append(f"['{escaped}']")
    return "".join(out)


# One step of a plain JSONPath: .name, ['name'], ["name"], [0].
_STEP = re.compile(
    r"""\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | \[\s*(?P<index>[0-9]+)\s*\]
      | \[\s*'(?P<single>(?:[^'\\]|\\.)*)'\s*\]
      | \[\s*"(?P<double>(?:[^"\\]|\\.)*)"\s*\]""",
    re.VERBOSE,
)


def jsonpath_segments(path: str) -> tuple[Segment, ...] | None:
    """The segments of a plain JSONPath, or None when it uses anything else."""
    path = path.strip()
    if not path.startswith("$"):
        return None
    return _steps(path[1:])


def _steps(rest: str) -> tuple[Segment, ...] | None:
    segments: list[Segment] = []
    position = 0
    while position < len(rest):
        match = _STEP.match(rest, position)
        if match is None or len(segments) >= MAX_SEGMENTS:
            return None
        if match.group("name") is not None:
            segments.append(match.group("name"))
        elif match.group("index") is not None:
            segments.append(int(match.group("index")))
        else:
            quoted = (
                match.group("single")
                if match.group("single") is not None
                else match.group("double")
            )
            segments.append(re.sub(r"\\(.)", r"\1", quoted))
        position = match.end()
    return tuple(segments)


def lodash_segments(path: str) -> tuple[Segment, ...] | None:
    """The segments of a Postman/lodash path string (`items[0].id`, `a.b`)."""
    path = path.strip()
    if not path:
        return ()
    return _steps(path if path.startswith("[") else "." + path)


def jmespath_segments(expression: str) -> tuple[Segment, ...] | None:
    """The segments of a plain JMESPath (`a.b[0]`, `"odd key".c`), else None."""
    expression = expression.strip()
    if expression in ("@", ""):
        return ()
    converted = re.sub(r'(^|\.)"((?:[^"\\]|\\.)*)"', lambda m: f'["{m.group(2)}"]', expression)
    return _steps(converted if converted.startswith("[") else "." + converted)


def javascript_access(segments: tuple[Segment, ...], optional: bool = True) -> str:
    """The member access of `segments` after an expression: `?.a?.[0]?.["odd key"]`.

    Optional chaining makes a missing member `undefined` instead of a TypeError, as a
    JSONPath that matches nothing is "no value", not an error.
    """
    dot = "?." if optional else "."
    out = []
    for segment in segments:
        if isinstance(segment, int):
            out.append(f"{'?.' if optional else ''}[{segment}]")
        elif _JS_IDENTIFIER.fullmatch(segment) and segment not in _RESERVED:
            out.append(f"{dot}{segment}")
        else:
            out.append(f"{'?.' if optional else ''}[{js_string(segment)}]")
    return "".join(out)
