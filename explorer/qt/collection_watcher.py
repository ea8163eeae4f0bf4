"""Notice collection files changed outside the app (an editor, `git pull`).

A QFileSystemWatcher on every folder and file of each watched collection starts a short
timer; when the burst of events is over (a `git pull` touches many files), the folder
is snapshotted and compared with the previous snapshot. Changes the app made itself
(`is_own` says so) are not reported. A slow poll backs the watcher up, because file
system notifications can be dropped (network drives, some editors' save strategies).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from explorer.core.storage.watch import Changes, Snapshot, diff, snapshot

DEBOUNCE_MS = 300
POLL_MS = 5000
OwnWrite = Callable[[Path, Path], bool]  # (collection root, changed file) -> made by us?


class CollectionWatcher(QObject):
    """Watches collection folders; emits `changed(root, Changes)` for outside changes."""

    changed = Signal(object, object)  # Path root, Changes

    def __init__(
        self,
        is_own: OwnWrite | None = None,
        debounce_ms: int = DEBOUNCE_MS,
        poll_ms: int = POLL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._is_own = is_own
        self._snapshots: dict[Path, Snapshot] = {}
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._on_event)
        self._watcher.fileChanged.connect(self._on_event)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.check)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.check)
        if poll_ms > 0:
            self._poll.start()

    def watch(self, root: Path) -> None:
        """Start watching (or re-baseline) the collection folder at `root`."""
        self._snapshots[root] = snapshot(root)
        self._rewatch(root)

    def roots(self) -> list[Path]:
        """The collection folders being watched."""
        return list(self._snapshots)

    def unwatch(self, root: Path) -> None:
        """Stop watching `root`."""
        self._snapshots.pop(root, None)
        prefix = str(root)
        stale = [p for p in self._watched() if p == prefix or p.startswith(prefix + "/")]
        if stale:
            self._watcher.removePaths(stale)

    def rebaseline(self, root: Path) -> None:
        """Take the current files as known (after the app itself wrote them)."""
        if root in self._snapshots:
            self._snapshots[root] = snapshot(root)
            self._rewatch(root)

    def check(self) -> None:
        """Compare every watched folder with its last snapshot now."""
        for root in list(self._snapshots):
            if not root.is_dir():
                continue
            current = snapshot(root)
            changes = diff(self._snapshots[root], current)
            self._snapshots[root] = current
            if changes:
                self._rewatch(root)
                outside = self._outside(root, changes)
                if outside:
                    self.changed.emit(root, outside)

    def _outside(self, root: Path, changes: Changes) -> Changes:
        is_own = self._is_own
        if is_own is None:
            return changes

        def foreign(paths: tuple[Path, ...]) -> tuple[Path, ...]:
            return tuple(p for p in paths if not is_own(root, p))

        return Changes(
            added=foreign(changes.added),
            removed=changes.removed,
            modified=foreign(changes.modified),
        )

    def _on_event(self, _path: str) -> None:
        self._timer.start()

    def _rewatch(self, root: Path) -> None:
        # Folders and files appear and disappear; watch exactly what is there now.
        wanted = {str(root)}
        for path in self._snapshots.get(root, {}):
            wanted.add(str(path))
            parent = path.parent
            while parent != root and str(parent).startswith(str(root)):
                wanted.add(str(parent))
                parent = parent.parent
        prefix = str(root)
        current = {p for p in self._watched() if p == prefix or p.startswith(prefix + "/")}
        if current - wanted:
            self._watcher.removePaths(list(current - wanted))
        # inotify needs read access: an unreadable file cannot be watched (Qt would warn
        # at every rewatch). Its folder is watched and the poll still notices it change.
        missing = [p for p in wanted - current if _readable(p)]
        if missing:
            self._watcher.addPaths(missing)

    def _watched(self) -> list[str]:
        return [*self._watcher.directories(), *self._watcher.files()]


def _readable(path: str) -> bool:
    """Whether this process may read `path`, judged as the kernel judges a watch: with
    the effective ids and capabilities (plain `access` asks for the real ids)."""
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.R_OK, effective_ids=effective)
