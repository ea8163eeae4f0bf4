"""Reading a collection folder of another tool (Bruno's, OpenCollection's) into memory,
bounded, so that the importers work on plain text and never touch the disk themselves.

The walk counts files, bytes and depth and stops with a one-line FormatError past any
bound; it follows no symbolic link (a link inside the folder could lead anywhere on the
disk: it is skipped and counted), skips `.git` and `node_modules`, and reads only the
files whose names end in one of the suffixes asked for. Text is UTF-8 (a BOM dropped).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from explorer.core.collection import Collection, walk_requests
from explorer.core.formats.common import FormatError, ImportResult
from explorer.core.model import BodyKind

MAX_FOLDER_FILES = 5000  # files read; a collection of more is not one people wrote
MAX_FOLDER_BYTES = 64 * 1024 * 1024  # all of them together
MAX_FOLDER_ENTRIES = 50_000  # names looked at, read or not (a folder of build output)
MAX_WALK_DEPTH = 24  # folders inside the collection folder
_SKIPPED_DIRS = frozenset({".git", "node_modules", ".svn", ".hg"})


@dataclass(frozen=True)
class FolderFiles:
    """The text files of a folder: relative POSIX path -> text, in a stable order, and
    what the walk left out (links, unreadable files)."""

    root_name: str
    files: dict[str, str]
    skipped_links: int = 0
    unreadable: tuple[str, ...] = ()

    def folders(self) -> set[str]:
        """Every folder holding a file read, as a relative POSIX path ('' the root)."""
        found = {""}
        for name in self.files:
            parent = PurePosixPath(name).parent
            while str(parent) != ".":
                found.add(str(parent))
                parent = parent.parent
        return found


def read_folder(root: Path, suffixes: tuple[str, ...]) -> FolderFiles:
    """The files under `root` whose names end in one of `suffixes` (lower case)."""
    files: dict[str, str] = {}
    unreadable: list[str] = []
    links = 0
    entries = 0
    total = 0
    pending: list[tuple[Path, PurePosixPath, int]] = [(root, PurePosixPath(), 0)]
    while pending:
        folder, relative, depth = pending.pop()
        try:
            names = sorted(os.listdir(folder))
        except OSError as error:
            if not relative.parts:
                raise FormatError(f"cannot read the folder ({error.strerror or error})") from None
            unreadable.append(str(relative))
            continue
        for name in names:
            entries += 1
            if entries > MAX_FOLDER_ENTRIES:
                raise FormatError(f"The folder holds more than {MAX_FOLDER_ENTRIES:,} entries")
            path = folder / name
            try:
                info = os.lstat(path)
            except OSError:
                unreadable.append(str(relative / name))
                continue
            if stat.S_ISLNK(info.st_mode):
                links += 1  # never followed: it could lead out of the folder
                continue
            if stat.S_ISDIR(info.st_mode):
                if name in _SKIPPED_DIRS:
                    continue
                if depth + 1 > MAX_WALK_DEPTH:
                    raise FormatError(
                        f"Folders are nested more than {MAX_WALK_DEPTH} levels deep",
                        str(relative / name),
                    )
                pending.append((path, relative / name, depth + 1))
                continue
            if not stat.S_ISREG(info.st_mode) or not name.lower().endswith(suffixes):
                continue
            if len(files) >= MAX_FOLDER_FILES:
                raise FormatError(f"The folder holds more than {MAX_FOLDER_FILES:,} files to read")
            total += info.st_size
            if total > MAX_FOLDER_BYTES:
                raise FormatError(
                    f"The folder's files are larger than {MAX_FOLDER_BYTES // (1024 * 1024)} MB"
                )
            text = _read_text(path, MAX_FOLDER_BYTES - total + info.st_size)
            if text is None:
                unreadable.append(str(relative / name))
                continue
            files[str(relative / name)] = text
    ordered = dict(sorted(files.items()))
    return FolderFiles(root.name, ordered, links, tuple(sorted(unreadable)))


def _read_text(path: Path, limit: int) -> str | None:
    try:
        # O_NOFOLLOW: a file swapped for a link after lstat is still not followed.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FormatError(
            f"The folder's files are larger than {MAX_FOLDER_BYTES // (1024 * 1024)} MB"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024  # one file a request sends
MAX_ATTACHMENTS = 500


def read_attachments(
    root: Path, names: list[str]
) -> tuple[tuple[tuple[str, bytes], ...], tuple[str, ...]]:
    """The files requests name (multipart parts, file bodies) that lie inside `root`, as
    (relative POSIX path, bytes), and one line for each that could not be taken: outside
    the folder, missing, a link, too large, or a name the collection folder reads as a
    request (.yaml, .yml)."""
    taken: dict[str, bytes] = {}
    problems: list[str] = []
    total = 0
    for name in dict.fromkeys(names):
        relative = PurePosixPath(name.replace("\\", "/"))
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            problems.append(f"{name}: outside the collection folder, not copied")
            continue
        if relative.suffix.lower() in (".yaml", ".yml"):
            problems.append(
                f"{name}: a .yaml file beside requests would be read as one, not copied"
            )
            continue
        if len(taken) >= MAX_ATTACHMENTS:
            problems.append(f"{name}: more than {MAX_ATTACHMENTS} files named, not copied")
            continue
        data = _attachment(root, relative)
        if data is None:
            problems.append(f"{name}: missing, a link or unreadable, not copied")
            continue
        if len(data) > MAX_ATTACHMENT_BYTES or total + len(data) > MAX_FOLDER_BYTES:
            problems.append(f"{name}: too large to copy")
            continue
        total += len(data)
        taken[str(relative)] = data
    return tuple(taken.items()), tuple(problems)


def _attachment(root: Path, relative: PurePosixPath) -> bytes | None:
    path = root
    for part in relative.parts:  # no link on the way: each step checked before it is taken
        path = path / part
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if stat.S_ISLNK(info.st_mode):
            return None
    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read(MAX_ATTACHMENT_BYTES + 1)


def named_files(collection: Collection) -> list[str]:
    """The relative paths of the files the requests send (multipart parts, file bodies)."""
    names: list[str] = []
    for _, item in walk_requests(collection):
        body = item.request.body
        if body.kind == BodyKind.BINARY and body.file:
            names.append(body.file)
        if body.kind == BodyKind.MULTIPART:
            names.extend(part.file for part in body.parts if part.is_file)
    return [name for name in names if "{{" not in name]


def with_sent_files(result: ImportResult, folder: Path) -> ImportResult:
    """`result` with the files its requests send copied from inside `folder` (Bruno and
    OpenCollection folders keep them beside the requests), and a report line for each
    that could not be taken."""
    names = named_files(result.collection)
    if not names:
        return result
    attachments, problems = read_attachments(folder, names)
    report = list(result.report)
    if attachments:
        report.append(
            f"{len(attachments)} file(s) that requests send were copied into the collection"
        )
    report.extend(problems)
    return replace(result, files=(*result.files, *attachments), report=tuple(report))
