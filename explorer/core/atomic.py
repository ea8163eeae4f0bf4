"""Atomic file writes: a reader sees the old file or the new one, never a half-written one.

The text goes to a temporary file in the same directory (so `os.replace` is a rename on
one file system), is flushed and fsynced, replaces the target, and then the directory is
fsynced so the rename itself survives a power cut.

Files the app creates hold user data (requests, drafts, variables, history), so a new
file is readable by its owner only (0600) whatever the umask; the mode is set on the
temp file before any byte is written. An existing file keeps its mode unless a mode is
given. `make_private_dir` creates directories 0700.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

TEMP_MARKER = ".tmp-"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def _temp_name(target: Path) -> Path:
    # Hidden and recognisable, so watchers and loaders can skip it and stale ones can be
    # cleaned up after a crash.
    return target.with_name(f".{target.name}{TEMP_MARKER}{os.getpid()}-{os.urandom(4).hex()}")


# Inside `one_sync_at_the_end()`, writes skip their own fsyncs (see there).
_deferred: ContextVar[bool] = ContextVar("deferred_sync", default=False)


@contextmanager
def one_sync_at_the_end() -> Iterator[None]:
    """Writes inside this block skip their two fsyncs each, and one `os.sync()` at its
    end makes them all durable at once: for filling a new folder that nothing reads until
    it is renamed into place (an import of 10,000 requests spent most of its time in
    20,000 fsyncs). A crash before the end leaves only that unused folder incomplete."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
    os.sync()


def _fsync(fd: int) -> None:
    if not _deferred.get():
        os.fsync(fd)


def _fsync_dir(directory: Path) -> None:
    if _deferred.get():
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes, mode: int | None = None) -> None:
    """Replace the file at `path` with `data` atomically.

    `mode` forces the permission bits (e.g. 0o600, applied before any data is written).
    Without it an existing file keeps its mode and a new one is 0o600.
    """
    target = Path(path)
    temp = _temp_name(target)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        # Explicitly: the umask could only have removed bits, and a kept mode may differ.
        os.fchmod(fd, mode if mode is not None else _existing_mode(target))
        with os.fdopen(fd, "wb") as handle:
            fd = -1  # now owned by the file object
            handle.write(data)
            handle.flush()
            _fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def write_new_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Create the file at `path` (mode 0600) holding `data`; FileExistsError if there is
    one. Not atomic on its own: for a folder that appears by one rename when complete
    (see `CollectionStore.fresh`), where it saves a temp file and a rename per file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)  # the umask could only have removed bits
        with os.fdopen(fd, "wb") as handle:
            fd = -1  # now owned by the file object
            handle.write(data)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        raise


def _existing_mode(target: Path) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        return PRIVATE_FILE


def make_private_file(path: str | os.PathLike[str]) -> None:
    """Create an empty file at `path` with mode 0600 if there is none, or take group and
    others' access away from an existing one (for files written by other libraries)."""
    fd = os.open(path, os.O_RDONLY | os.O_CREAT, PRIVATE_FILE)
    try:
        mode = os.fstat(fd).st_mode
        if mode & 0o077:
            os.fchmod(fd, mode & 0o700)
    finally:
        os.close(fd)


def make_private_dir(path: str | os.PathLike[str], tighten: bool = False) -> None:
    """Create directory `path` (and missing parents) with mode 0700. An existing one is
    left as it is, unless `tighten` (for the app's own data directory): then group and
    others lose their access."""
    directory = Path(path)
    if not directory.is_dir():
        directory.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        os.chmod(directory, PRIVATE_DIR)  # mkdir's mode is subject to the umask
    elif tighten and directory.stat().st_mode & 0o077:
        os.chmod(directory, directory.stat().st_mode & 0o700)


def write_text_atomic(
    path: str | os.PathLike[str], text: str, mode: int | None = None, encoding: str = "utf-8"
) -> None:
    """Replace the file at `path` with `text` atomically (see `write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode(encoding), mode=mode)


def is_temp_file(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a temporary file left by `write_bytes_atomic`."""
    name = Path(path).name
    return name.startswith(".") and TEMP_MARKER in name


def remove_stale_temps(target: str | os.PathLike[str]) -> int:
    """Delete temporary files that killed processes left next to `target`; return how many.

    A temp file whose writer is still running is left alone, so this is safe to call
    while other processes write `target`.
    """
    target = Path(target)
    prefix = f".{target.name}{TEMP_MARKER}"
    removed = 0
    if not target.parent.is_dir():
        return 0
    for entry in target.parent.iterdir():
        if entry.name.startswith(prefix) and not _writer_alive(entry.name[len(prefix) :]):
            entry.unlink(missing_ok=True)
            removed += 1
    return removed


def _writer_alive(suffix: str) -> bool:
    pid_text = suffix.partition("-")[0]
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # another thread of ours may be mid-write
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def set_aside(path: Path) -> Path:
    """Rename an unreadable file out of the way, never deleting it, so that a fresh one
    can start and the user can still look at the old: `name.unreadable-YYYYmmdd-HHMMSS`
    (a counter added when that exists). Returns the new path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.unreadable-{stamp}-{counter}")
    os.replace(path, target)
    return target
