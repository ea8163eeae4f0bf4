"""Noticing files changed outside the app (an editor, `git pull`) without Qt.

The Qt layer polls `snapshot` on a timer or calls it when a QFileSystemWatcher fires,
then `diff`s it against the previous one; `CollectionStore.is_own_write` tells which of
the changes the app made itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from explorer.core.atomic import is_temp_file
from explorer.core.storage.layout import LOCK_FILE

Snapshot = dict[Path, tuple[int, int]]


@dataclass(frozen=True)
class Changes:
    """Files that appeared, disappeared or changed between two snapshots (sorted)."""

    added: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    modified: tuple[Path, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.modified)


def snapshot(root: str | os.PathLike[str]) -> Snapshot:
    """(mtime_ns, size) of every file under `root`, skipping hidden entries (the lock
    file, `.git`) and temporary files of atomic writes."""
    found: Snapshot = {}
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or name == LOCK_FILE or is_temp_file(name):
                continue
            path = Path(directory, name)
            try:
                stat = path.stat()
            except OSError:
                # Removed between listing and stat, a dangling link or a link loop: it
                # is simply not there (the loader reports the loop).
                continue
            found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def diff(old: Snapshot, new: Snapshot) -> Changes:
    """What changed from snapshot `old` to snapshot `new`."""
    return Changes(
        added=tuple(sorted(p for p in new if p not in old)),
        removed=tuple(sorted(p for p in old if p not in new)),
        modified=tuple(sorted(p for p in new if p in old and new[p] != old[p])),
    )
