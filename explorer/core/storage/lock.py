"""An advisory, re-entrant, inter-process lock on a lock file (`fcntl.flock`).

Two app instances (or two stores in one process) that take the same lock file never run
their multi-file operations at the same time. The lock is advisory: `git pull` and text
editors ignore it, which is why writes also check content hashes.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class FileLock:
    """An exclusive lock held through the lock file at `path` (created if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._depth = 0
        self._thread_lock = threading.RLock()

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the `with` block; nested use in one thread is allowed."""
        with self._thread_lock:
            if self._depth == 0:
                self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    def _acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # owner only, as all files
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def _release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            # Closing the descriptor releases the flock; the file stays, deleting it
            # would let a waiter lock a file that a newcomer no longer sees.
            os.close(fd)
