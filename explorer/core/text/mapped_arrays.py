"""Arrays of 32-bit integers in a file mapping instead of the heap.

A 1 GiB JSON body has ~10 million folds: its fold starts and ends are 78 MB, and how
they nest (a parent and an index per fold) another 78 MB. Read into arrays, all of it
is the window's own memory for as long as the body is shown, and reading the folds
file stalled the GUI thread for 50-140 ms. Mapped, nothing is read up front (mapping
is O(1)); pages come in from the page cache when a lookup touches them, and
`drop_pages` hands them back (MADV_DONTNEED) once a full pass is over, so the process
keeps only the few pages that bisecting and painting touch.

Each file is unlinked as soon as it is mapped (Linux keeps the inode while the mapping
lives), so no temporary file outlives the process, whatever happens to it. The mapping
is never closed explicitly: `memoryview`s cut from it keep it alive, and it is unmapped
when the last of them is dropped, so a view held elsewhere never sees a closed map.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import tempfile
from pathlib import Path
from typing import Literal

ITEM = 4  # bytes of an "I" or "i" item
Typecode = Literal["i", "I"]


class MappedArrays:
    """Equal-length arrays laid end to end in one mapped file, as `memoryview`s.

    `views[k]` is the k-th array (`memoryview.cast(typecode)`): indexing, `len` and
    `bisect` work as on `array`; a writable mapping accepts item assignment."""

    def __init__(
        self, mapping: mmap.mmap | None, count: int, typecodes: tuple[Typecode, ...]
    ) -> None:
        self._mapping = mapping
        self.count = count
        whole = memoryview(mapping) if mapping is not None else memoryview(b"")
        self.views = tuple(
            whole[k * count * ITEM : (k + 1) * count * ITEM].cast(code)
            for k, code in enumerate(typecodes)
        )

    @classmethod
    def open(cls, path: Path, count: int, parts: int = 2, *, unlink: bool = True) -> MappedArrays:
        """Map `parts` arrays of `count` unsigned ints written one after another to
        `path` (read-only); the file is unlinked once mapped unless `unlink` is False.
        Raises ValueError when the file is shorter than that."""
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                needed = parts * count * ITEM
                if size < needed:
                    raise ValueError(f"{path.name}: {size} bytes, {needed} expected")
                mapping = (
                    mmap.mmap(handle.fileno(), needed, access=mmap.ACCESS_READ) if needed else None
                )
        finally:
            if unlink:
                # Windows refuses to delete a mapped file: there it goes with the
                # formatter's folder, or with the process's spool folder at the next start.
                with contextlib.suppress(PermissionError):
                    path.unlink(missing_ok=True)
        unsigned: tuple[Typecode, ...] = tuple("I" for _ in range(parts))
        return cls(mapping, count, unsigned)

    @classmethod
    def scratch(cls, folder: Path, count: int, typecodes: tuple[Typecode, ...]) -> MappedArrays:
        """Zeroed writable arrays in a file made in `folder` and unlinked at once (a
        sparse file: nothing is written until an item is)."""
        size = len(typecodes) * count * ITEM
        if not size:
            return cls(None, count, typecodes)
        with tempfile.TemporaryFile(dir=folder) as handle:  # unlinked from the start
            handle.truncate(size)
            mapping = mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_WRITE)
        return cls(mapping, count, typecodes)

    def drop_pages(self) -> None:
        """Let go of the pages read or written so far: they leave this process's RSS and
        come back from the page cache (or the file) when touched again. Written pages
        are kept: a shared file mapping writes them back instead of discarding them."""
        if self._mapping is not None and hasattr(mmap, "MADV_DONTNEED"):  # not on Windows
            self._mapping.madvise(mmap.MADV_DONTNEED)
