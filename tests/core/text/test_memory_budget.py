"""Whether a JSON filter may start: the free memory read from a real meminfo file, and
the one-line reason when it falls short."""

from __future__ import annotations

from explorer.core.text.memory_budget import (
    RESERVE_BYTES,
    available_memory,
    filter_memory_needed,
    filter_refusal,
)


def test_available_memory_reads_memavailable(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24000000 kB\nMemAvailable:    2097152 kB\n")
    assert available_memory(meminfo) == 2 << 30


def test_a_gigabyte_body_is_refused_with_the_numbers_when_memory_is_short():
    gib = 1 << 30
    message = filter_refusal(gib, 4 * gib)
    assert message.startswith("Filtering needs about 10.1 GB of memory for this 1.0 GB body")
    assert "4.0 GB is free" in message and "\n" not in message


def test_a_body_that_fits_or_unknown_memory_is_tried():
    needed = filter_memory_needed(10 << 20)
    assert filter_refusal(10 << 20, needed + RESERVE_BYTES) == ""
    assert filter_refusal(10 << 20, needed + RESERVE_BYTES - 1) != ""
    assert filter_refusal(1 << 30, None) == ""
