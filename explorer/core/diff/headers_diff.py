"""Two header lists as rows of a table: name, left value, right value, state.

Names compare case-insensitively (HTTP field names are); a repeated header (Set-Cookie,
Link, Vary) keeps each occurrence, the n-th on the left beside the n-th on the right.
Rows follow the left side's order, then the headers only the right side has.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

MAX_HEADERS = 1_000  # per side; a response has tens


class State(enum.Enum):
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"  # only on the right
    REMOVED = "removed"  # only on the left


@dataclass(frozen=True)
class HeaderRow:
    name: str
    left: str | None  # None: not on this side
    right: str | None
    state: State


def diff_headers(
    left: Sequence[tuple[str, str]], right: Sequence[tuple[str, str]]
) -> tuple[HeaderRow, ...]:
    """The rows comparing `left` with `right` (see the module's docstring)."""
    left, right = left[:MAX_HEADERS], right[:MAX_HEADERS]
    right_values: dict[str, list[tuple[str, str]]] = {}
    for name, value in right:
        right_values.setdefault(name.lower(), []).append((name, value))
    rows: list[HeaderRow] = []
    for name, value in left:
        waiting = right_values.get(name.lower())
        if waiting:
            _other_name, other = waiting.pop(0)
            state = State.SAME if other == value else State.CHANGED
            rows.append(HeaderRow(name, value, other, state))
        else:
            rows.append(HeaderRow(name, value, None, State.REMOVED))
    for name, value in right:
        waiting = right_values.get(name.lower())
        if waiting and waiting[0] == (name, value):
            waiting.pop(0)
            rows.append(HeaderRow(name, None, value, State.ADDED))
    return tuple(rows)
