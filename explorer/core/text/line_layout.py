"""Where the characters of one document line go on screen: rows when wrapped, the x of
every character, and the byte offset of every character.

Positions in the viewer are byte offsets into the UTF-8 document, because that is what
search finds and what copy reads; this module converts between bytes, characters and
pixels for the handful of lines that are visible.

Lines longer than LONG_LINE bytes (a minified 100 MB JSON is one line) are never decoded
whole: their columns are taken to be bytes, and only the visible window of bytes is
decoded when painted. That is exact for ASCII and approximate otherwise.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Protocol

LONG_LINE = 20_000
TAB_CELLS = 4
_SURROGATES = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")
# Control characters are drawn as their visible Unicode "symbol for" counterparts.
_CONTROL_PICTURES = {i: 0x2400 + i for i in range(32) if i != 9} | {0x7F: 0x2421}


class Document(Protocol):
    """What the viewer needs from a text (TextBuffer and HexDocument provide it)."""

    size: int
    complete: bool

    @property
    def line_count(self) -> int: ...

    def line_span(self, line: int) -> tuple[int, int]: ...

    def line_of_offset(self, offset: int) -> int: ...

    def read(self, start: int, end: int) -> bytes: ...


class CharMetrics:
    """Advance widths for a monospace font, with a per-character cache for the rest."""

    def __init__(self, cell: float, advance: Callable[[str], float]) -> None:
        self.cell = cell
        self._advance = advance
        self._cache: dict[str, float] = {}

    def advance(self, ch: str) -> float:
        """Width of one character."""
        width = self._cache.get(ch)
        if width is None:
            width = self._advance(ch) if ch >= " " else self.cell
            self._cache[ch] = width
        return width


def _utf8_length(ch: str) -> int:
    code = ord(ch)
    if code < 0x80 or 0xDC80 <= code <= 0xDCFF:  # an undecodable byte stands for one byte
        return 1
    if code < 0x800:
        return 2
    return 3 if code < 0x10000 else 4


class LineLayout:
    """The layout of one line for a given wrap width (None = no wrapping)."""

    def __init__(
        self, doc: Document, line: int, metrics: CharMetrics, wrap_width: float | None
    ) -> None:
        self.line = line
        self.start, end = doc.line_span(line)
        self.metrics = metrics
        self.is_long = end - self.start > LONG_LINE
        self.text = ""
        self.xs: list[float] | None = None  # None: every character is one cell wide
        self.bytepos: list[int] | None = None  # None: one byte per character
        self._doc = doc
        if self.is_long:
            self.length = end - self.start
        else:
            self._decode(doc.read(self.start, end))
        self.end = self.byte_of(self.length)  # excludes a CR before the newline
        self._rows: list[tuple[int, int]] | None = None
        self._cols = 0
        self._wrap(wrap_width)

    # -- building ------------------------------------------------------------------

    def _decode(self, raw: bytes) -> None:
        if raw.endswith(b"\r"):
            raw = raw[:-1]  # CRLF: the CR is part of the line ending, not of the text
        if raw.isascii() and not _CONTROL.search(raw):
            self.text = raw.decode("ascii")
            self.length = len(self.text)
            return
        text = raw.decode("utf-8", errors="surrogateescape")
        self.bytepos = [0]
        total = 0
        for ch in text:
            total += _utf8_length(ch)
            self.bytepos.append(total)
        text = _SURROGATES.sub("\ufffd", text).translate(_CONTROL_PICTURES)
        self.text = text
        self.length = len(text)
        xs = [0.0]
        x = 0.0
        tab = self.metrics.cell * TAB_CELLS
        for ch in text:
            x = (x // tab + 1) * tab if ch == "\t" else x + self.metrics.advance(ch)
            xs.append(x)
        self.xs = xs

    def _wrap(self, width: float | None) -> None:
        if width is None:
            self._rows = [(0, self.length)]
            return
        cell = self.metrics.cell
        if self.xs is None and (self.is_long or " " not in self.text):
            self._cols = max(1, int(width // cell))  # rows computed on demand
            return
        rows: list[tuple[int, int]] = []
        start = 0
        while start < self.length:
            if self.xs is None:
                stop = min(self.length, start + max(1, int(width // cell)))
            else:
                stop = bisect_right(self.xs, self.xs[start] + width) - 1
                stop = min(self.length, max(stop, start + 1))
            if stop < self.length:
                space = self.text.rfind(" ", start, stop)
                if space > start + (stop - start) // 2:
                    stop = space + 1
            rows.append((start, stop))
            start = stop
        self._rows = rows or [(0, 0)]

    # -- rows ----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Screen rows this line takes."""
        if self._rows is not None:
            return len(self._rows)
        return max(1, -(-self.length // self._cols))

    def row_range(self, row: int) -> tuple[int, int]:
        """Characters [start, end) of a row."""
        if self._rows is not None:
            return self._rows[row]
        start = row * self._cols
        return start, min(self.length, start + self._cols)

    def row_of_char(self, char: int) -> int:
        """The row showing the caret before `char` (the line end belongs to the last row)."""
        if self._rows is None:
            return min(self.row_count - 1, char // self._cols)
        for index, (_, stop) in enumerate(self._rows):
            if char < stop:
                return index
        return len(self._rows) - 1

    # -- x and bytes ---------------------------------------------------------------

    def x_of(self, char: int) -> float:
        """x of the caret before `char`, from the start of the line (unwrapped)."""
        if self.xs is None:
            return char * self.metrics.cell
        return self.xs[max(0, min(char, self.length))]

    def char_at(self, row: int, x: float) -> int:
        """The caret position nearest to `x` (relative to the row start) in `row`."""
        start, stop = self.row_range(row)
        target = self.x_of(start) + x
        if self.xs is None:
            char = int(target / self.metrics.cell + 0.5)
        else:
            char = bisect_right(self.xs, target)
            if 0 < char <= self.length and target - self.xs[char - 1] < self.xs[char] - target:
                char -= 1
        return max(start, min(char, stop))

    def byte_of(self, char: int) -> int:
        """Absolute byte offset of the caret before `char`."""
        char = max(0, min(char, self.length))
        return self.start + (char if self.bytepos is None else self.bytepos[char])

    def char_of_byte(self, offset: int) -> int:
        """The character at (or containing) an absolute byte offset."""
        rel = offset - self.start
        if self.bytepos is None:
            return max(0, min(rel, self.length))
        return max(0, min(bisect_right(self.bytepos, rel) - 1, self.length))

    def segment(self, start: int, stop: int) -> str:
        """The text of characters [start, stop), for painting."""
        if not self.is_long:
            return self.text[start:stop]
        raw = self._doc.read(self.start + start, self.start + stop)
        text = raw.decode("utf-8", errors="replace").translate(_CONTROL_PICTURES)
        return text.replace("\r", "\u240d")

    @property
    def width(self) -> float:
        """Width of the whole line, unwrapped."""
        return self.x_of(self.length)
