"""A wall-clock limit for one example of a property test: a hang in the code under test
fails the example with a clear message instead of stalling the whole suite."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def time_bound(seconds: int, what: str) -> Iterator[None]:
    """Raise TimeoutError("`what` took more than `seconds` s") when the block runs longer
    (SIGALRM: the main thread of a POSIX process only)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"{what} took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
