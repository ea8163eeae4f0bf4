"""Reading a collection folder into a `Collection`, skipping (and reporting) bad files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
    entries,
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
        self.state = DiskState()
        self.problems: list[Problem] = []
        self.locations: dict[IndexPath, str] = {}

    def read(self, rel: str, meta: bool) -> dict[str, Any] | None:
        """Parse the YAML file at `rel`; None (and a problem) when it cannot be parsed."""
        path = self.root / rel
        raw = path.read_bytes()
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
        directory = self.root / folder_rel if folder_rel else self.root
        listed = meta.get("order") if isinstance(meta.get("order"), list) else []
        names = ordered([str(n) for n in listed], entries(directory, not folder_rel))
        items: list[Folder | RequestItem] = []
        for name in names:
            item = self.item(join(folder_rel, name), (*index, len(items)))
            if item is not None:
                items.append(item)
        return tuple(items)

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
        meta = self.settings(join(rel, FOLDER_FILE))
        try:
            folder = Folder(
                name=codec.field_value(meta, "name", str, "", "") or Path(rel).name,
                description=codec.field_value(meta, "description", str, "", ""),
                headers=codec.pairs_from_data(meta.get("headers"), "headers"),
                auth=codec.auth_from_data(meta.get("auth"), AuthKind.INHERIT),
            )
        except codec.ShapeError as exc:
            self._settings_problem(join(rel, FOLDER_FILE), exc)
            folder = Folder(name=Path(rel).name)
        return Folder(
            name=folder.name,
            description=folder.description,
            headers=folder.headers,
            auth=folder.auth,
            items=self.folder_items(rel, meta, index),
        )

    def settings(self, rel: str) -> dict[str, Any]:
        """A folder's or the collection's settings; {} when missing or unreadable."""
        if not (self.root / rel).is_file():
            return {}
        return self.read(rel, meta=True) or {}

    def _settings_problem(self, rel: str, exc: codec.ShapeError) -> None:
        self._bad(rel, Problem(self.root / rel, str(exc)))
        self.state.hashes.pop(rel, None)

    def environments(self) -> tuple[Environment, ...]:
        directory = self.root / ENVIRONMENTS_DIR
        if not directory.is_dir():
            return ()
        found: list[Environment] = []
        for path in sorted(directory.iterdir(), key=lambda p: p.name.lower()):
            if not is_request_file(path):
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
        except codec.ShapeError as exc:
            self._settings_problem(COLLECTION_FILE, exc)
            head = Collection(name=self.root.name)
        return Collection(
            name=head.name,
            description=head.description,
            variables=head.variables,
            headers=head.headers,
            auth=head.auth,
            environments=self.environments(),
            items=self.folder_items("", meta, ()),
        )


def read_collection(root: Path) -> tuple[LoadResult, DiskState]:
    """Read the collection folder at `root`; bad files become problems and are skipped."""
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: not a collection folder")
    reader = _Reader(root)
    collection = reader.collection()
    key = reader.state.collection_id or f"path:{root.resolve()}"
    result = LoadResult(collection, tuple(reader.problems), reader.locations, key)
    return result, reader.state
