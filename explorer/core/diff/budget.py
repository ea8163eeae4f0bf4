"""How much work a comparison may do, and how another thread stops it.

The dialog compares on a worker thread; closing it (or choosing other sides) sets the
budget's stop flag, and the next check raises `Stopped`, so a 5 MB comparison never
outlives the dialog that asked for it.
"""

from __future__ import annotations

import threading


class Stopped(Exception):
    """The comparison was stopped by its owner before it finished."""


class Budget:
    """A stop flag shared between the thread that compares and the one that asked."""

    def __init__(self) -> None:
        self._stop = threading.Event()

    def stop(self) -> None:
        """Ask the comparison to end at its next check (from any thread)."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def check(self) -> None:
        """Raise `Stopped` when the owner asked to stop."""
        if self._stop.is_set():
            raise Stopped
