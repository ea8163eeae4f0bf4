"""Reading a collection folder into a `Collection`, skipping (and reporting) bad files.

Nothing is read through a symbolic link that leads outside the collection folder, or
through one that leads back to a folder containing it (a loop): such entries, and files
or folders that cannot be read, are skipped with a `Problem` and the rest still loads.
"""

from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from explorer.core.collection import Collection, Environment, Folder, RequestItem
from explorer.core.model import AuthKind
from explorer.core.storage import codec
from explorer.core.storage.errors import FileFormatError, Problem
from explorer.core.storage.layout import (
    COLLECTION_FILE,
    ENVIRONMENTS_DIR,
    FOLDER_FILE,
    digest,
    is_folder_dir,
    is_request_file,
    join,
    ordered,
)
from explorer.core.storage.yaml_io import parse_yaml

IndexPath = tuple[int, ...]


@dataclass(frozen=True)
class LoadResult:
    """What `load_collection` found.

    `locations` maps the index path of every item (positions from the collection down,
    as a tree model numbers rows) to its relative path on disk. `collection_key` is the
    key under which the collection's secrets are stored (see `SecretStore`).
    """

    collection: Collection
    problems: tuple[Problem, ...] = ()
    locations: dict[IndexPath, str] = field(default_factory=dict)
    collection_key: str = ""

    def location(self, index_path: IndexPath) -> str:
        """The relative path of the item at `index_path`."""
        return self.locations[index_path]


@dataclass
class DiskState:
    """What the store remembers about the files as it last read or wrote them."""

    hashes: dict[str, str] = field(default_factory=dict)  # rel path -> content hash
    bad: set[str] = field(default_factory=set)  # files that could not be parsed
    names: dict[str, str] = field(default_factory=dict)  # rel path -> item name
    env_files: dict[str, str] = field(default_factory=dict)  # environment name -> rel path
    collection_id: str = ""


def meta_digest(data: dict[str, Any]) -> str:
    """Hash of a settings file's content without its `order`: another instance adding an
    item only changes the order, which must not count as a conflicting edit."""
    content = {key: value for key, value in data.items() if key != "order"}
    return digest(json.dumps(content, sort_keys=True, default=str).encode())


class _Reader:
    """One pass over a collection folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.state = DiskState()
        self.problems: list[Problem] = []
        self.locations: dict[IndexPath, str] = {}
        # Real paths of the folders read so far, and of those being read (the current
        # branch): a link to one of them is a duplicate or a loop and is not followed.
        self.folders_read: set[Path] = {self.real_root}
        self.branch: list[Path] = [self.real_root]

    def read(self, rel: str, meta: bool) -> dict[str, Any] | None:
        """Parse the YAML file at `rel`; None (and a problem) when it cannot be parsed,
        cannot be read, or is a symbolic link that leads outside the collection."""
        path = self.root / rel
        reason = link_problem(path, self.real_root)
        if reason:
            self._bad(rel, Problem(path, reason))
            return None
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self._bad(rel, Problem(path, cannot_read(exc)))
            return None
        try:
            data = parse_yaml(raw, path)
            if meta:
                codec.check_schema_version(data)
        except FileFormatError as exc:
            self._bad(rel, exc.problem)
            return None
        except codec.ShapeError as exc:
            self._bad(rel, Problem(path, str(exc)))
            return None
        self.state.hashes[rel] = meta_digest(data) if meta else digest(raw)
        return data

    def _bad(self, rel: str, problem: Problem) -> None:
        self.state.bad.add(rel)
        self.problems.append(problem)

    def folder_items(
        self, folder_rel: str, meta: dict[str, Any], index: IndexPath
    ) -> tuple[Folder | RequestItem, ...]:
        listed = order if isinstance(order := meta.get("order"), list) else []
        names = ordered([str(n) for n in listed], self.entries(folder_rel))
        items: list[Folder | RequestItem] = []
        for name in names:
            item = self.item(join(folder_rel, name), (*index, len(items)))
            if item is not None:
                items.append(item)
        return tuple(items)

    def entries(self, folder_rel: str) -> list[str]:
        """The request files and folders directly inside the folder at `folder_rel`,
        sorted; links that leave the collection or loop, and unreadable entries, are
        reported and left out."""
        directory = self.root / folder_rel if folder_rel else self.root
        try:
            children = list(directory.iterdir())
        except OSError as exc:
            self.problems.append(Problem(directory, cannot_read(exc)))
            return []
        found: list[str] = []
        for child in children:
            if child.name.startswith(".") or child.name in (COLLECTION_FILE, FOLDER_FILE):
                continue
            reason = link_problem(child, self.real_root)
            try:
                wanted = is_request_file(child) or is_folder_dir(child, not folder_rel)
            except OSError as exc:
                reason = reason or cannot_read(exc)
                wanted = False
            if reason:
                self.problems.append(Problem(child, reason))
            elif wanted:
                found.append(child.name)
        return sorted(found, key=str.lower)

    def item(self, rel: str, index: IndexPath) -> Folder | RequestItem | None:
        path = self.root / rel
        item = self.request(rel) if is_request_file(path) else self.folder(rel, index)
        if item is not None:
            self.locations[index] = rel
            self.state.names[rel] = item.name
        return item

    def request(self, rel: str) -> RequestItem | None:
        data = self.read(rel, meta=False)
        if data is None:
            return None
        try:
            request, inherit_headers = codec.request_from_data(data, AuthKind.INHERIT)
        except codec.ShapeError as exc:
            self._bad(rel, Problem(self.root / rel, str(exc)))
            del self.state.hashes[rel]
            return None
        if "name" not in data:  # hand-written file without a name: use the file's
            request = request.with_changes(name=Path(rel).stem)
        return RequestItem(request=request, inherit_headers=inherit_headers)

    def folder(self, rel: str, index: IndexPath) -> Folder | None:
        path = self.root / rel
        real = path.resolve()
        if path.is_symlink() and real in self.folders_read:
            # Checked here, not when listing, so that two links to one folder are caught.
            loop = real in self.branch
            self.problems.append(Problem(path, _REPEATED[loop]))
            return None
        try:
            os.listdir(path)
        except OSError as exc:
            # Skipped whole (not shown empty), and kept out of every write like a file
            # that cannot be parsed.
            self._bad(rel, Problem(path, cannot_read(exc)))
            return None
        self.folders_read.add(real)
        self.branch.append(real)
        try:
            return self._folder(rel, index)
        finally:
            self.branch.pop()

    def _folder(self, rel: str, index: IndexPath) -> Folder:
        meta = self.settings(join(rel, FOLDER_FILE))
        try:
            folder = Folder(
                name=codec.field_value(meta, "name", str, "", "") or Path(rel).name,
                description=codec.field_value(meta, "description", str, "", ""),
                headers=codec.pairs_from_data(meta.get("headers"), "headers"),
                auth=codec.auth_from_data(meta.get("auth"), AuthKind.INHERIT),
            )
            assertions, captures, scripts = codec.checks_from_data(meta)
            folder = replace(folder, assertions=assertions, captures=captures, scripts=scripts)
        except codec.ShapeError as exc:
            self._settings_problem(join(rel, FOLDER_FILE), exc)
            folder = Folder(name=Path(rel).name)
        return replace(folder, items=self.folder_items(rel, meta, index))

    def settings(self, rel: str) -> dict[str, Any]:
        """A folder's or the collection's settings; {} when missing or unreadable."""
        path = self.root / rel
        try:
            present = path.is_file() or path.is_symlink()
        except OSError as exc:
            self._bad(rel, Problem(path, cannot_read(exc)))
            return {}
        return (self.read(rel, meta=True) or {}) if present else {}

    def _settings_problem(self, rel: str, exc: codec.ShapeError) -> None:
        self._bad(rel, Problem(self.root / rel, str(exc)))
        self.state.hashes.pop(rel, None)

    def environments(self) -> tuple[Environment, ...]:
        directory = self.root / ENVIRONMENTS_DIR
        reason = link_problem(directory, self.real_root)
        if reason:
            self.problems.append(Problem(directory, reason))
            return ()
        try:
            paths = sorted(directory.iterdir(), key=lambda p: p.name.lower())
        except FileNotFoundError:
            return ()
        except OSError as exc:
            if directory.is_dir():
                self.problems.append(Problem(directory, cannot_read(exc)))
            return ()
        found: list[Environment] = []
        for path in paths:
            try:
                wanted = path.is_symlink() or is_request_file(path)
            except OSError as exc:
                self.problems.append(Problem(path, cannot_read(exc)))
                continue
            if not wanted or path.name.startswith(".") or path.suffix not in (".yaml", ".yml"):
                continue
            rel = f"{ENVIRONMENTS_DIR}/{path.name}"
            data = self.read(rel, meta=False)
            if data is None:
                continue
            try:
                environment = codec.environment_from_data(data, path.stem)
            except codec.ShapeError as exc:
                self._bad(rel, Problem(path, str(exc)))
                del self.state.hashes[rel]
                continue
            found.append(environment)
            self.state.env_files[environment.name] = rel
        return tuple(sorted(found, key=lambda e: e.name.lower()))

    def collection(self) -> Collection:
        meta = self.settings(COLLECTION_FILE)
        try:
            self.state.collection_id = codec.field_value(meta, "id", str, "", "")
            head = Collection(
                name=codec.field_value(meta, "name", str, "", "") or self.root.name,
                description=codec.field_value(meta, "description", str, "", ""),
                variables=codec.variables_from_data(meta.get("variables"), "variables"),
                headers=codec.pairs_from_data(meta.get("headers"), "headers"),
                auth=codec.auth_from_data(meta.get("auth"), AuthKind.NONE),
            )
            assertions, captures, scripts = codec.checks_from_data(meta)
            head = replace(head, assertions=assertions, captures=captures, scripts=scripts)
        except codec.ShapeError as exc:
            self._settings_problem(COLLECTION_FILE, exc)
            head = Collection(name=self.root.name)
        return replace(
            head, environments=self.environments(), items=self.folder_items("", meta, ())
        )


def cannot_read(exc: OSError) -> str:
    """The one-line problem for a file or folder that the system refused to read."""
    return f"cannot be read ({exc.strerror or exc})"


def is_within(real: Path, real_root: Path) -> bool:
    """Whether the resolved path `real` is the resolved `real_root` or under it."""
    return real == real_root or real_root in real.parents


_REPEATED = {
    True: "is a symbolic link to a folder that contains it (a loop)",
    False: "is a symbolic link to a folder already in the collection",
}


def link_problem(path: Path, real_root: Path) -> str:
    """Why the entry at `path` must not be followed, or "" when it may.

    Only symbolic links are judged (the folders around `path` were judged on the way
    down): one that leads outside `real_root`, or one that loops.
    """
    if not path.is_symlink():
        return ""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return ""  # a dangling link names nothing to load
    except RuntimeError:  # Python < 3.13 reports a loop this way
        return "is a symbolic link loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link loop"
        return cannot_read(exc)
    if not is_within(real, real_root):
        target = os.readlink(path)
        return f"is a symbolic link to {target}, outside the collection folder"
    return ""


def read_collection(root: Path) -> tuple[LoadResult, DiskState]:
    """Read the collection folder at `root`; bad files become problems and are skipped."""
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: not a collection folder")
    reader = _Reader(root)
    collection = reader.collection()
    key = reader.state.collection_id or f"path:{root.resolve()}"
    result = LoadResult(collection, tuple(reader.problems), reader.locations, key)
    return result, reader.state
