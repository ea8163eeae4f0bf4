"""Find in a document of any size without blocking the window.

The search runs on the GUI thread in time slices (a few ms of window scans, then back to
the event loop), so it never holds the GIL long and needs no locking. Matches are stored
compactly, as a start offset (4 bytes; 8 once the text passes 4 GiB) and a length (1
byte for a query under 256 bytes) each: the 5 million matches a common word can have in
1 GiB take 25 MB of the window instead of 80. A document that is still growing is
searched as far as it goes and the search resumes when more text arrives.

How the bytes are scanned (`bytes.find`, or a case-folding regex) is FindQuery's
business (core/text/find_query.py); a literal scan takes 1 MiB windows, the regex 256 KiB.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import overload

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.core import heap
from explorer.core.text.find_query import FindQuery
from explorer.core.text.line_layout import Document
from explorer.core.text.text_buffer import HexDocument

WINDOW = 256 << 10  # a regex scan of this takes a few ms at most
LITERAL_WINDOW = 1 << 20  # lower + find of this takes about 0.6 ms
SLICE_BUDGET_S = 0.006
MAX_MATCHES = 5_000_000
TRIM_AFTER = 64 << 20  # a scan this long (or a quarter of it in matches dropped) trims the heap
_UPDATE_INTERVAL_S = 0.1
_U32 = 1 << 32


def _length_typecode(longest: int) -> str:
    """The smallest unsigned array item that holds every match length."""
    return "B" if longest < 1 << 8 else "H" if longest < 1 << 16 else "I"


class MatchEnds(Sequence[int]):
    """The end offsets of the matches, worked out from their starts and lengths."""

    def __init__(self, starts: array[int], lengths: array[int]) -> None:
        self._starts, self._lengths = starts, lengths

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [a + n for a, n in zip(self._starts[index], self._lengths[index], strict=True)]
        return self._starts[index] + self._lengths[index]


class SearchEngine(QObject):
    """All matches of a query in a document, found in the background.

    Signals: `updated()` while counting (at most ten times a second) and `finished()`.
    """

    updated = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.starts = array("I")  # "Q" once an offset passes 4 GiB
        self.lengths = array("B")
        self.query = ""
        self.case_sensitive = False
        self.complete = True
        self.capped = False
        self._doc: Document | None = None
        self._query: FindQuery | None = None
        self._overlap = 0
        self._pos = 0
        self._trimmed_at = 0  # where the heap was last trimmed (bytes scanned)
        self._generation = 0
        self._last_update = 0.0

    @property
    def ends(self) -> MatchEnds:
        """End offsets of the matches (exclusive), indexed like `starts`."""
        return MatchEnds(self.starts, self.lengths)

    @property
    def count(self) -> int:
        """Matches found so far."""
        return len(self.starts)

    def start(self, doc: Document | None, query: str, case_sensitive: bool) -> None:
        """Search `doc` for `query` from the beginning; an empty query clears."""
        self.cancel()
        self.query, self.case_sensitive, self._doc = query, case_sensitive, doc
        if not query or doc is None:
            self.complete = True
            self.updated.emit()
            return
        self._query = FindQuery.compile(query, case_sensitive)
        self._overlap = max(0, self._query.longest - 1)
        self.lengths = array(_length_typecode(self._query.longest))
        self.complete = False
        self._schedule()

    def cancel(self) -> None:
        """Stop and forget all matches."""
        self._generation += 1
        held = len(self.starts) * (self.starts.itemsize + self.lengths.itemsize)
        self.starts, self.lengths = array("I"), array("B")
        self._pos, self.capped, self.complete = 0, False, True
        self._trimmed_at = 0
        if held >= TRIM_AFTER // 4:
            heap.trim()

    def resume(self) -> None:
        """The document grew: continue where the search stopped."""
        if self.query and self._doc is not None and not self.capped:
            if self.complete and self._pos >= self._doc.size:
                return
            self.complete = False
            self._schedule()

    def _schedule(self) -> None:
        generation = self._generation
        QTimer.singleShot(0, self, lambda: self._step(generation))

    def _step(self, generation: int) -> None:
        if generation != self._generation or self._doc is None or self._query is None:
            return
        deadline = time.perf_counter() + SLICE_BUDGET_S
        doc = self._doc
        while time.perf_counter() < deadline:
            if not self._scan_window(doc):
                break
        else:
            self._trim_every(TRIM_AFTER)
            self._notify(final=False)
            self._schedule()
            return
        if doc.complete or self.capped:
            self.complete = True
            self._trim_every(0)
            self._notify(final=True)
            self.finished.emit()
        else:
            self._notify(final=True)  # waits for resume()

    def _scan_window(self, doc: Document) -> bool:
        """Scan one window; False when there is nothing more to scan for now."""
        query = self._query
        assert query is not None
        size = doc.size
        # A hex dump's text is made in Python as it is read: small windows for it.
        fast = query.literal and not isinstance(doc, HexDocument)
        limit = self._pos + (LITERAL_WINDOW if fast else WINDOW)
        if limit + self._overlap >= size:
            limit = size if doc.complete else max(self._pos, size - self._overlap)
        if limit <= self._pos:
            return False
        data = doc.read(self._pos, min(size, limit + self._overlap))
        base, cut, last_end = self._pos, limit - self._pos, limit
        if self.starts.typecode == "I" and base + len(data) >= _U32:
            self.starts = array("Q", self.starts)  # once, for a text over 4 GiB
        starts, lengths = self.starts, self.lengths
        for start, end in query.matches(data, cut):
            starts.append(base + start)
            lengths.append(end - start)
            last_end = max(last_end, base + end)
            if len(self.starts) >= MAX_MATCHES:
                self.capped = True
                return False
        self._pos = last_end
        return self._pos < size

    def _trim_every(self, step: int) -> None:
        """Trim the heap once `step` bytes were scanned since the last trim (and at the end
        of a scan over TRIM_AFTER): the 1 MiB windows read and lowered, interleaved with
        the match arrays' growth, fragment it; without this the window's RSS rose by
        twice the arrays' size during a find in 1 GiB (~3 ms a trim)."""
        if self._pos - self._trimmed_at >= max(step, 1) and self._pos >= TRIM_AFTER:
            heap.trim()
            self._trimmed_at = self._pos

    def _notify(self, final: bool) -> None:
        now = time.perf_counter()
        if final or now - self._last_update >= _UPDATE_INTERVAL_S:
            self._last_update = now
            self.updated.emit()

    # -- lookups -------------------------------------------------------------------

    def index_after(self, offset: int) -> int:
        """Index of the first match starting at or after `offset` (wraps to 0)."""
        if not self.starts:
            return -1
        i = bisect_left(self.starts, offset)
        return i if i < len(self.starts) else 0

    def index_before(self, offset: int) -> int:
        """Index of the last match starting before `offset` (wraps to the last)."""
        if not self.starts:
            return -1
        i = bisect_left(self.starts, offset) - 1
        return i if i >= 0 else len(self.starts) - 1

    def in_range(self, low: int, high: int) -> range:
        """Indices of matches that overlap bytes [low, high)."""
        first = max(0, bisect_right(self.starts, low) - 1)
        ends = self.ends
        while first < len(self.starts) and ends[first] <= low:
            first += 1
        last = bisect_left(self.starts, high)
        return range(first, max(first, last))
