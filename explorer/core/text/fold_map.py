"""Which lines folding hides, and the mapping between document lines and the visible
lines the scrollbar counts. Only collapsed folds are stored, so everything here costs
O(number of collapsed folds) whatever the document size.

The ranges may be arrays or `memoryview`s over a mapped file (`MappedArrays`, for a
large body): only `bisect` and indexing touch them, so a lookup reads a few pages."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence

from explorer.core.text.mapped_arrays import MappedArrays


class FoldMap:
    """Available fold ranges (from the formatter) and the ones the user collapsed.

    `pages` is the mapping the ranges live in, if they are mapped: its `drop_pages`
    gives back what a full pass over them read."""

    def __init__(
        self,
        starts: Sequence[int] | None = None,
        ends: Sequence[int] | None = None,
        pages: MappedArrays | None = None,
    ) -> None:
        self.starts: Sequence[int] = starts if starts is not None else array("I")
        self.ends: Sequence[int] = ends if ends is not None else array("I")
        self.pages = pages
        self.collapsed: dict[int, int] = {}
        self._hidden: list[tuple[int, int]] = []  # merged, inclusive, sorted
        self.hidden_total = 0

    def fold_at(self, line: int) -> int | None:
        """The last line of the fold that starts at `line`, if one does."""
        i = bisect_left(self.starts, line)
        if i < len(self.starts) and self.starts[i] == line:
            return self.ends[i]
        return None

    def is_collapsed(self, line: int) -> bool:
        """True when the fold starting at `line` is collapsed."""
        return line in self.collapsed

    def toggle(self, line: int) -> bool:
        """Collapse or expand the fold at `line`; False when there is none."""
        if line in self.collapsed:
            del self.collapsed[line]
        else:
            end = self.fold_at(line)
            if end is None or end <= line:
                return False
            self.collapsed[line] = end
        self._rebuild()
        return True

    def expand_all(self) -> None:
        """Show every line."""
        self.collapsed.clear()
        self._rebuild()

    def _rebuild(self) -> None:
        merged: list[tuple[int, int]] = []
        for start in sorted(self.collapsed):
            first, last = start + 1, self.collapsed[start]
            if merged and first <= merged[-1][1]:
                continue  # inside a fold that is already hidden
            merged.append((first, last))
        self._hidden = merged
        self.hidden_total = sum(last - first + 1 for first, last in merged)

    def visible_count(self, line_count: int) -> int:
        """How many lines are shown."""
        return max(1, line_count - self.hidden_total)

    def to_line(self, visible: int) -> int:
        """Document line of the `visible`-th shown line."""
        line = visible
        for first, last in self._hidden:
            if first <= line:
                line += last - first + 1
            else:
                break
        return line

    def to_visible(self, line: int) -> int:
        """Visible index of a line; a hidden line maps to the line of its fold."""
        hidden_before = 0
        for first, last in self._hidden:
            if line < first:
                break
            if line <= last:
                return first - 1 - hidden_before
            hidden_before += last - first + 1
        return line - hidden_before

    def is_hidden(self, line: int) -> bool:
        """True when a collapsed fold hides `line`."""
        return any(first <= line <= last for first, last in self._hidden)

    def expand_to_show(self, line: int) -> None:
        """Expand every collapsed fold that hides `line`."""
        changed = False
        for start, end in list(self.collapsed.items()):
            if start < line <= end:
                del self.collapsed[start]
                changed = True
        if changed:
            self._rebuild()
