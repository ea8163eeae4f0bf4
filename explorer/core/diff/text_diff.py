"""A line diff that stays fast on large texts.

`difflib.SequenceMatcher` is quadratic in the worst case and took minutes on two 5 MB
pretty JSON texts (560,000 lines). This one is the patience diff: lines that occur once
on each side anchor the alignment (their longest increasing run, O(n log n)), and the
gaps between anchors are diffed the same way, recursively; a gap with no unique line left
goes to difflib only when it is small (`SMALL_GAP` line pairs). A gap past that, or all
work past `work_limit` line visits, is shown as one replaced block and the result says it
is not line by line there (`exact` false) rather than stall. Common leading and trailing
lines are taken off first, so two nearly equal texts cost about one pass.

The result is difflib's opcodes: (tag, i1, i2, j1, j2) with tag equal, replace, delete or
insert, covering both sides in order.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from explorer.core.diff.budget import Budget

MAX_LINES = 1_000_000  # per side; beyond it, the rest is one block
SMALL_GAP = 250_000  # line pairs (len_a * len_b) difflib may take on
WORK_PER_LINE = 40  # line visits allowed per line of input, on top of a fixed amount

Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class LineDiff:
    """The opcodes, and whether every part was compared line by line."""

    opcodes: tuple[Opcode, ...]
    exact: bool

    @property
    def changed_blocks(self) -> int:
        return sum(1 for op in self.opcodes if op[0] != "equal")


def diff_lines(left: Sequence[str], right: Sequence[str], budget: Budget | None = None) -> LineDiff:
    """Opcodes turning `left` into `right` (see the module's docstring for the bounds)."""
    budget = budget or Budget()
    numbers: dict[str, int] = {}
    a = [numbers.setdefault(line, len(numbers)) for line in left[:MAX_LINES]]
    b = [numbers.setdefault(line, len(numbers)) for line in right[:MAX_LINES]]
    state = _State(a, b, budget, 100_000 + WORK_PER_LINE * (len(a) + len(b)))
    state.run()
    ops = state.ops
    exact = state.exact
    if len(left) > MAX_LINES or len(right) > MAX_LINES:
        ops.append(("replace", len(a), len(left), len(b), len(right)))
        exact = False
    return LineDiff(tuple(_merge(ops, len(left), len(right))), exact)


class _State:
    def __init__(self, a: list[int], b: list[int], budget: Budget, work_limit: int) -> None:
        self.a, self.b = a, b
        self.budget = budget
        self.work_left = work_limit
        self.exact = True
        self.ops: list[Opcode] = []

    def run(self) -> None:
        # Ranges still to diff, or finished opcodes, last first: output stays in order.
        tasks: list[Opcode] = [("diff", 0, len(self.a), 0, len(self.b))]
        while tasks:
            task = tasks.pop()
            if task[0] != "diff":
                self.ops.append(task)
                continue
            self.budget.check()
            tasks.extend(reversed(self._split(*task[1:])))

    def _split(self, a0: int, a1: int, b0: int, b1: int) -> list[Opcode]:
        """The range as opcodes and smaller ranges to diff, in order."""
        a, b = self.a, self.b
        start_a, start_b = a0, b0
        while a0 < a1 and b0 < b1 and a[a0] == b[b0]:
            a0, b0 = a0 + 1, b0 + 1
        end_a, end_b = a1, b1
        while a1 > a0 and b1 > b0 and a[a1 - 1] == b[b1 - 1]:
            a1, b1 = a1 - 1, b1 - 1
        head = [("equal", start_a, a0, start_b, b0)] if a0 > start_a else []
        tail = [("equal", a1, end_a, b1, end_b)] if end_a > a1 else []
        if a0 == a1 or b0 == b1:
            gap: list[Opcode] = [] if a0 == a1 and b0 == b1 else [("replace", a0, a1, b0, b1)]
            return head + gap + tail
        self.work_left -= (a1 - a0) + (b1 - b0)
        if self.work_left < 0:
            self.exact = False
            return [*head, ("replace", a0, a1, b0, b1), *tail]
        anchors = _unique_anchors(a, a0, a1, b, b0, b1)
        if not anchors:
            return [*head, *self._small(a0, a1, b0, b1), *tail]
        middle: list[Opcode] = []
        prev_a, prev_b = a0, b0
        for at_a, at_b in anchors:
            middle.append(("diff", prev_a, at_a, prev_b, at_b))
            middle.append(("equal", at_a, at_a + 1, at_b, at_b + 1))
            prev_a, prev_b = at_a + 1, at_b + 1
        middle.append(("diff", prev_a, a1, prev_b, b1))
        return head + middle + tail

    def _small(self, a0: int, a1: int, b0: int, b1: int) -> list[Opcode]:
        """A gap without a unique line: difflib when it is small, else one block."""
        if (a1 - a0) * (b1 - b0) > SMALL_GAP:
            self.exact = False
            return [("replace", a0, a1, b0, b1)]
        matcher = difflib.SequenceMatcher(None, self.a[a0:a1], self.b[b0:b1], autojunk=False)
        return [
            (tag, i1 + a0, i2 + a0, j1 + b0, j2 + b0)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]


def _unique_anchors(
    a: list[int], a0: int, a1: int, b: list[int], b0: int, b1: int
) -> list[tuple[int, int]]:
    """Lines occurring once in a[a0:a1] and once in b[b0:b1], as (index in a, index in
    b), the longest chain increasing on both sides (patience sorting)."""
    seen_a: dict[int, int] = {}
    for index in range(a0, a1):
        line = a[index]
        seen_a[line] = -1 if line in seen_a else index
    seen_b: dict[int, int] = {}
    for index in range(b0, b1):
        line = b[index]
        if seen_a.get(line, -1) >= 0:
            seen_b[line] = -1 if line in seen_b else index
    pairs = [(seen_a[line], at_b) for line, at_b in seen_b.items() if at_b >= 0]
    pairs.sort()
    # Longest increasing subsequence of the b indexes.
    tails: list[int] = []  # b index ending the best chain of each length
    tail_at: list[int] = []  # which pair that is
    back: list[int] = []
    for number, (_at_a, at_b) in enumerate(pairs):
        spot = bisect.bisect_left(tails, at_b)
        back.append(tail_at[spot - 1] if spot else -1)
        if spot == len(tails):
            tails.append(at_b)
            tail_at.append(number)
        else:
            tails[spot] = at_b
            tail_at[spot] = number
    chain: list[tuple[int, int]] = []
    number = tail_at[-1] if tail_at else -1
    while number >= 0:
        chain.append(pairs[number])
        number = back[number]
    chain.reverse()
    return chain


def _merge(ops: list[Opcode], len_a: int, len_b: int) -> list[Opcode]:
    """Adjacent opcodes of the same kind joined, changes next to each other as one
    block, empty ones dropped, and each change named by what it does."""
    merged: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if i1 == i2 and j1 == j2:
            continue
        kind = "equal" if tag == "equal" else "change"
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1], i2, merged[-1][3], j2)
        else:
            merged.append((kind, i1, i2, j1, j2))
    result: list[Opcode] = []
    for kind, i1, i2, j1, j2 in merged:
        if kind == "equal":
            result.append(("equal", i1, i2, j1, j2))
        elif i1 == i2:
            result.append(("insert", i1, i2, j1, j2))
        elif j1 == j2:
            result.append(("delete", i1, i2, j1, j2))
        else:
            result.append(("replace", i1, i2, j1, j2))
    if not result and (len_a or len_b):  # unreachable in practice: keep the contract
        result.append(("replace", 0, len_a, 0, len_b))
    return result
