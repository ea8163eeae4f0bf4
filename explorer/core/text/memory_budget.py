"""Whether this machine has the memory to filter a JSON body, said before trying.

Why: a JSONPath/JMESPath filter needs the whole document as Python objects (the
filter runs in the formatter's child process, so the window itself never holds them).
Measured peaks of that child: 756 MB for 100 MiB of records (7.6×) and 908 MB for
95 MiB of smaller records (9.5×); bodies of many tiny values cost more. Started without
the memory, it swaps the machine to a crawl or is killed by the kernel, so the viewer
asks first and says why not in one line instead.
"""

from __future__ import annotations

from pathlib import Path

from explorer.core.units import human_size

FILTER_BYTES_PER_BODY_BYTE = 10  # the measured 7.6-9.5×, rounded up
FILTER_BASE_BYTES = 100 << 20  # the child's interpreter and libraries
RESERVE_BYTES = 1 << 30  # left to the window and the rest of the machine


def filter_memory_needed(body_size: int) -> int:
    """About how many bytes filtering a JSON body of `body_size` bytes takes."""
    return FILTER_BASE_BYTES + FILTER_BYTES_PER_BODY_BYTE * body_size


def available_memory(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Bytes the system can give a new process without swapping (Linux MemAvailable,
    else psutil where installed), or None when unknown."""
    try:
        with open(meminfo, encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil  # type: ignore[import-untyped]  # with Locust; Linux needs none
    except ImportError:
        return None
    return int(psutil.virtual_memory().available)


def filter_refusal(body_size: int, available: int | None) -> str:
    """The one-line reason a filter of this body cannot run here, or "" when it can
    (or when the free memory is unknown: then it is tried)."""
    needed = filter_memory_needed(body_size)
    if available is None or needed <= available - RESERVE_BYTES:
        return ""
    free = max(0, available)
    return (
        f"Filtering needs about {human_size(needed)} of memory for this "
        f"{human_size(body_size)} body and {human_size(free)} is free; use Find, or save "
        "the body and filter it with a streaming tool (jq --stream)."
    )
