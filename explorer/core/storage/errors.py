"""Typed errors and problem reports of the storage layer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """A file that could not be read: where, and what the parser said.

    `line` and `column` are 1-based and None when the parser gave no position.
    """

    path: Path
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


class StorageError(Exception):
    """Base class of every error raised by `explorer.core.storage`."""


class FileFormatError(StorageError):
    """A file is not valid YAML/JSON or does not have the expected shape."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class ConflictError(StorageError):
    """A file changed (or vanished, or appeared) on disk since this app last read it.

    Raised instead of overwriting someone else's edit; reload, or save with `force=True`.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnreadableFileError(StorageError):
    """A write was refused because the target file could not be parsed when loaded.

    Such files are never overwritten: the user's text in them would be lost.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: cannot be read, so it is left untouched")
        self.path = path


class SecretLeakError(StorageError):
    """A file about to be written contains the value of a secret variable."""

    def __init__(self, path: Path, secret_name: str) -> None:
        super().__init__(f"{path}: would contain the value of the secret variable {secret_name!r}")
        self.path = path
        self.secret_name = secret_name


class ItemNotFoundError(StorageError):
    """A collection item (file or folder) named by a relative path does not exist."""


class OutsideCollectionError(StorageError):
    """A path of a collection leads outside its folder (through a symbolic link), or
    into a symbolic link loop: the app never reads or writes there."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
