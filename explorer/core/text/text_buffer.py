"""Documents the body viewer shows: UTF-8 text in memory or in a (growing) file with a
sparse line index, and a hex dump computed on demand from the bytes of a body.

Why a sparse index: a 100 MB pretty JSON has 7 million lines; one offset per line would
cost 28-56 MB and a long loop to build. Instead the index stores how many newlines each
8 KiB block holds (20 000 numbers for 160 MB). Finding the start of line N is a binary
search over blocks plus at most one block scanned with `bytes.find`, whatever the size.

Nothing here reads more than one block or one requested range at a time, so every call
is short enough for the GUI thread.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left
from pathlib import Path

from explorer.core.text.content import HEX_BYTES_PER_LINE, HEX_LINE_WIDTH, hex_line

BLOCK = 8192
_CACHE_BLOCKS = 64


class ByteSource:
    """Random access to bytes held in memory or in a file (read with `os.pread`)."""

    def __init__(self, data: bytes | None = None, path: Path | None = None) -> None:
        if (data is None) == (path is None):
            raise ValueError("give exactly one of data or path")
        self._data = data
        self._fd = -1
        self.path = path
        if path is not None:
            self._fd = os.open(path, os.O_RDONLY)
            self.size = os.fstat(self._fd).st_size
        else:
            self.size = len(data or b"")

    def read(self, start: int, end: int) -> bytes:
        """Bytes [start, end), clipped to what exists."""
        start, end = max(0, start), min(end, self.size)
        if end <= start:
            return b""
        if self._data is not None:
            return self._data[start:end]
        return os.pread(self._fd, end - start, start)

    def set_size(self, size: int) -> None:
        """A file source whose writer appended: `size` bytes are now valid."""
        self.size = size

    def close(self) -> None:
        """Release the file descriptor (idempotent)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class TextBuffer:
    """UTF-8 text with a block line index; may grow while a formatter is still writing.

    Lines are separated by b"\\n"; a trailing "\\r" stays part of the line bytes (the
    viewer hides it). `line_count` is the number of lines known so far.
    """

    def __init__(
        self,
        data: bytes | None = None,
        path: Path | None = None,
        *,
        size: int | None = None,
        owns_file: bool = False,
    ) -> None:
        self.source = ByteSource(data=data, path=path)
        self.owns_file = owns_file
        self.complete = size is None
        self._nl_end = array("Q")  # newlines in blocks [0 .. i] inclusive
        self._cache: dict[int, bytes] = {}
        if size is not None:
            self.source.set_size(0)
            self.size = 0
        else:
            self.size = self.source.size
            self._index_all(data)

    # -- building the index --------------------------------------------------------

    def _index_all(self, data: bytes | None) -> None:
        if data is not None:
            counts = [data.count(b"\n", i, i + BLOCK) for i in range(0, len(data), BLOCK)]
            self._extend(counts)
            return
        for start in range(0, self.size, BLOCK * 128):
            chunk = self.source.read(start, start + BLOCK * 128)
            self._extend([chunk.count(b"\n", i, i + BLOCK) for i in range(0, len(chunk), BLOCK)])

    def _extend(self, counts: list[int]) -> None:
        total = self._nl_end[-1] if self._nl_end else 0
        for count in counts:
            total += count
            self._nl_end.append(total)

    def append_blocks(self, new_size: int, counts: list[int]) -> None:
        """The writer reports `new_size` valid bytes and the newline count of each block
        that is now complete (a partial last block is reported again once it grows)."""
        full = len(self._nl_end)
        if full and self.size % BLOCK:
            # The previous last block was partial; its count is replaced.
            self._nl_end.pop()
            full -= 1
            self._cache.pop(full, None)
        self._extend(counts)
        self.size = new_size
        self.source.set_size(new_size)

    def reset(self) -> None:
        """The writer restarted its output: forget every byte and line seen so far."""
        del self._nl_end[:]
        self._cache.clear()
        self.size = 0
        self.source.set_size(0)

    def mark_complete(self) -> None:
        """No more bytes will come."""
        self.complete = True

    # -- queries -------------------------------------------------------------------

    @property
    def newline_count(self) -> int:
        """Newlines in the text so far."""
        return self._nl_end[-1] if self._nl_end else 0

    @property
    def line_count(self) -> int:
        """Lines known so far (a text without newlines has one line)."""
        return self.newline_count + 1

    def _block(self, index: int) -> bytes:
        data = self._cache.get(index)
        if data is None:
            data = self.source.read(index * BLOCK, (index + 1) * BLOCK)
            if len(self._cache) >= _CACHE_BLOCKS:
                self._cache.pop(next(iter(self._cache)))
            if len(data) == BLOCK:  # a partial last block may still grow
                self._cache[index] = data
        return data

    def line_start(self, line: int) -> int:
        """Byte offset where `line` (0-based) starts."""
        if line <= 0:
            return 0
        if line > self.newline_count:
            return self.size
        block = bisect_left(self._nl_end, line)
        before = self._nl_end[block - 1] if block else 0
        data = self._block(block)
        pos = -1
        for _ in range(line - before):
            pos = data.find(b"\n", pos + 1)
        return block * BLOCK + pos + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """(start, end) byte offsets of a line, without its newline."""
        start = self.line_start(line)
        end = self.line_start(line + 1) - 1 if line < self.newline_count else self.size
        return start, end

    def line_of_offset(self, offset: int) -> int:
        """The line that holds byte `offset` (an offset at a newline belongs to its line)."""
        offset = max(0, min(offset, self.size))
        block = offset // BLOCK
        before = self._nl_end[block - 1] if 0 < block <= len(self._nl_end) else 0
        if block >= len(self._nl_end):
            return self.newline_count
        return before + self._block(block).count(b"\n", 0, offset - block * BLOCK)

    def read(self, start: int, end: int) -> bytes:
        """Bytes [start, end) of the text."""
        return self.source.read(start, min(end, self.size))

    def close(self) -> None:
        """Close the file and delete it when this buffer owns it."""
        self.source.close()
        if self.owns_file and self.source.path is not None:
            self.source.path.unlink(missing_ok=True)
            self.owns_file = False


class HexDocument:
    """A body shown as a hex dump: line i is `hex_line` of bytes [16 i, 16 i + 16).

    The dump is virtual text of fixed-width ASCII lines, so a byte offset into it is
    line * (HEX_LINE_WIDTH + 1) + column, and nothing is computed until it is read.
    """

    complete = True
    STRIDE = HEX_LINE_WIDTH + 1

    def __init__(self, source: ByteSource) -> None:
        self.source = source
        self.body_size = source.size
        lines = max(1, -(-source.size // HEX_BYTES_PER_LINE))
        self.newline_count = lines - 1
        self.size = lines * self.STRIDE - 1

    @property
    def line_count(self) -> int:
        """Number of dump lines."""
        return self.newline_count + 1

    def line_text(self, line: int) -> str:
        """The dump line for bytes [16 line, 16 line + 16)."""
        offset = line * HEX_BYTES_PER_LINE
        return hex_line(self.source.read(offset, offset + HEX_BYTES_PER_LINE), offset)

    def line_start(self, line: int) -> int:
        """Offset of a dump line in the virtual text."""
        return max(0, min(line, self.newline_count)) * self.STRIDE

    def line_span(self, line: int) -> tuple[int, int]:
        """(start, end) of a dump line in the virtual text."""
        start = self.line_start(line)
        return start, start + HEX_LINE_WIDTH

    def line_of_offset(self, offset: int) -> int:
        """The dump line holding a virtual-text offset."""
        return max(0, min(offset // self.STRIDE, self.newline_count))

    def read(self, start: int, end: int) -> bytes:
        """Virtual text [start, end): dump lines joined by newlines."""
        start, end = max(0, start), min(end, self.size)
        if end <= start:
            return b""
        first, last = start // self.STRIDE, (end - 1) // self.STRIDE
        text = "\n".join(self.line_text(i) for i in range(first, last + 1)) + "\n"
        base = first * self.STRIDE
        return text[start - base : end - base].encode("ascii")

    def close(self) -> None:
        """Nothing to release: the source belongs to the caller."""
