"""Temporary files that hold large response bodies: where they live and when they go.

Every file lives in one folder per process, `<tmp>/api-explorer-<uid>/<pid>-<random>/`
(the parent private to the user, 0700; each file 0600). A file is deleted when the last
reference to its path is dropped (the `Response` that holds it, a view showing it), the
process's folder at exit, and the folder of a process that died without cleaning up
(SIGKILL, a crash, power loss) the next time the app or the command line starts.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import stat
import tempfile
import threading
import weakref
from pathlib import Path
from typing import BinaryIO

_lock = threading.Lock()
_folder: Path | None = None
_folder_pid = 0
_swept = False  # leftovers of dead processes removed (see sweep_once)


class SpoolPath(type(Path())):  # type: ignore[misc]  # the concrete class: PosixPath here
    """The path of a spooled body. The file is deleted when the last reference to this
    object goes (paths derived from it do not keep the file)."""


def root() -> Path:
    """The user's spool folder in the temp directory (which TMPDIR chooses)."""
    return Path(tempfile.gettempdir()) / f"api-explorer-{os.getuid()}"


def process_folder() -> Path:
    """This process's folder, made on first use (sweeping the leftovers of dead processes
    first) and removed at exit."""
    global _folder, _folder_pid, _swept
    with _lock:
        if _folder is not None and _folder_pid == os.getpid() and _folder.is_dir():
            return _folder
        parent = _private_root()
        _folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=parent))
        _folder_pid = os.getpid()
        atexit.register(_remove_folder, _folder, _folder_pid)
        return _folder


def create(folder: Path | None = None) -> tuple[BinaryIO, SpoolPath]:
    """A new spool file open for writing (0600), and its self-deleting path."""
    descriptor, name = tempfile.mkstemp(
        prefix="response-", suffix=".body", dir=folder or process_folder()
    )
    path = SpoolPath(name)
    weakref.finalize(path, _unlink, name)
    return os.fdopen(descriptor, "wb"), path


def discard(path: Path) -> None:
    """Delete a spool file now, on a daemon thread: unlinking a GiB takes a tenth of a
    second that a cancel or a failed send should not wait for. (If the process ends
    first, the exit clean-up removes it.)"""
    threading.Thread(target=_unlink, args=(str(path),), name="spool-discard", daemon=True).start()


def remove_stale(parent: Path | None = None) -> list[Path]:
    """Delete the folders of processes that are no longer running; return them."""
    parent = parent or root()
    removed: list[Path] = []
    if not _owned(parent):
        return removed  # missing, or not a folder of ours: nothing of ours to remove
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed  # no folder yet, or not ours to read
    for entry in entries:
        pid_text = entry.name.split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _alive(int(pid_text)):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def sweep_once(background: bool = False) -> None:
    """`remove_stale`, the first time a process asks (at its start). `background`: on a
    daemon thread, as deleting a crashed run's 10 GiB body should not hold up a window."""
    global _swept
    with _lock:
        if _swept:
            return
        _swept = True
    if background:
        threading.Thread(target=remove_stale, name="spool-sweep", daemon=True).start()
    else:
        remove_stale()


def _private_root() -> Path:
    """`root()`, made 0700 if missing. A root that is not a real folder owned by this user
    (another user's, or a planted symlink) is never used: a fresh private folder is."""
    folder = root()
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700, parents=True)
    if not _owned(folder):
        return Path(tempfile.mkdtemp(prefix=f"api-explorer-{os.getuid()}-"))
    if os.lstat(folder).st_mode & 0o077:
        os.chmod(folder, 0o700)
    return folder


def _owned(folder: Path) -> bool:
    """True for a real folder (not a symlink) that belongs to this user."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: running
    return True


def _unlink(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _remove_folder(folder: Path, pid: int) -> None:
    if os.getpid() == pid:  # not in a forked child that inherited the handler
        shutil.rmtree(folder, ignore_errors=True)
