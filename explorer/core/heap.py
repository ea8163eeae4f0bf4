"""Give the C heap's free memory back to the system after a big job.

A find over a 1 GiB body reads it 1 MiB at a time and grows its match arrays to 25 MB
while other threads and Qt allocate in between: when the job is over, glibc keeps ~40 MB
of freed but fragmented heap mapped (measured in the main window), so the window's RSS
stayed that much higher for as long as it ran. `malloc_trim(0)` returns every free page
of the heap to the system (MADV_DONTNEED), not only its top. It takes a few ms, so it is
called after jobs that size, never per event. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
_looked = False


def _malloc_trim() -> Callable[[int], int] | None:
    global _trim, _looked
    if not _looked:
        _looked = True
        if sys.platform.startswith("linux"):
            import ctypes  # here: 2 ms of start-up otherwise, for a job that may never run

            try:
                _trim = ctypes.CDLL("libc.so.6").malloc_trim
            except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
                _trim = None
    return _trim


def trim() -> bool:
    """Return the heap's free pages to the system; True when that was possible here."""
    function = _malloc_trim()
    if function is None:
        return False
    function(0)
    return True
