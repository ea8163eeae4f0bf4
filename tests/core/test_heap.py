"""heap.trim: the C heap's free pages, fragmented by a big job, go back to the system."""

from __future__ import annotations

import sys

import pytest

from explorer.core import heap


def _rss_anon_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no RssAnon")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_trim_returns_a_fragmented_heaps_free_pages():
    # 60 MB of 4 KB blocks, every 64th kept: the heap cannot shrink from its top, so the
    # free pages between the kept blocks stay mapped until they are trimmed.
    blocks = [bytearray(4000) for _ in range(15_000)]
    kept = blocks[::64]
    del blocks
    before = _rss_anon_mb()
    assert heap.trim()
    assert _rss_anon_mb() < before - 30
    assert len(kept) == 235
