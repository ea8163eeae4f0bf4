"""A collection folder on disk: load it, save all of it, or change one item at a time.

Every write is atomic, runs under an inter-process lock on `<collection>/.explorer.lock`,
and first checks that the file still holds what this store last read or wrote: a file
changed by someone else (another app instance, an editor, `git pull`) raises
`ConflictError` instead of being overwritten. Files that could not be parsed when loaded
are never written or deleted. No file is written that contains a known secret value.
No file is read, written, renamed or deleted through a symbolic link that leads outside
the collection folder (`OutsideCollectionError`).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from explorer.core.atomic import write_new_file, write_text_atomic
from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.resolve.credentials import (
    CredentialMover,
    MovedCredential,
    names_in_use,
    secret_by_use,
)
from explorer.core.storage import codec
from explorer.core.storage.collection_load import (
    DiskState,
    IndexPath,
    LoadResult,
    is_within,
    meta_digest,
    read_collection,
)
from explorer.core.storage.errors import (
    ConflictError,
    FileFormatError,
    ItemNotFoundError,
    OutsideCollectionError,
    SecretLeakError,
    StorageError,
    UnreadableFileError,
)
from explorer.core.storage.layout import (
    _RESERVED,
    COLLECTION_FILE,
    ENVIRONMENTS_DIR,
    FOLDER_FILE,
    LOCK_FILE,
    digest,
    entries,
    join,
    meta_file,
    ordered,
    slugify,
    split,
    unique_entry,
)
from explorer.core.storage.lock import FileLock
from explorer.core.storage.secrets import SecretStore
from explorer.core.storage.yaml_io import dump_yaml, parse_yaml

Item = Folder | RequestItem
_Moved = TypeVar("_Moved")
MIN_SECRET_LENGTH = 4  # shorter values would match ordinary text everywhere
WORD_SECRET_LENGTH = 8  # shorter values count only as a whole word ("pass", not "bypass")
_REFERENCE = re.compile(r"\{\{[^{}]*\}\}")


@dataclass
class _Write:
    rel: str
    data: dict[str, Any]
    meta: bool  # a folder.yaml/collection.yaml, compared without its `order`


@dataclass
class _Plan:
    writes: list[_Write] = field(default_factory=list)
    dirs: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)
    locations: dict[IndexPath, str] = field(default_factory=dict)
    env_files: dict[str, str] = field(default_factory=dict)


class _EntryNames:
    """The entry names of one folder while a save plans it, so that choosing a free name
    costs the same for the 10,000th request as for the first (a HAR import), instead of
    listing the directory and lower-casing every taken name for each item."""

    def __init__(self, directory: Path, known: Iterable[str], taken: Iterable[str]) -> None:
        listed = {p.name.lower() for p in directory.iterdir()} if directory.is_dir() else set()
        self.used = listed | {name.lower() for name in (*known, *taken)}
        self._next: dict[tuple[str, str], int] = {}  # (base, suffix) -> next counter to try

    def take(self, entry: str) -> None:
        self.used.add(entry.lower())

    def free(self, base: str, suffix: str) -> str:
        """`base[-N]suffix`, free case-insensitively, as `unique_entry` would choose."""
        candidate = f"{base}{suffix}"
        counter = self._next.get((base, suffix), 2)
        if counter > 2 or candidate.lower() in self.used or candidate.lower() in _RESERVED:
            candidate = f"{base}-{counter}{suffix}"
            while candidate.lower() in self.used or candidate.lower() in _RESERVED:
                counter += 1
                candidate = f"{base}-{counter}{suffix}"
            self._next[(base, suffix)] = counter + 1
        return candidate


def folder_meta_data(
    folder: Folder | Collection, order: list[str], key: str = ""
) -> dict[str, Any]:
    """The mapping of a folder.yaml (or, for a Collection, collection.yaml)."""
    data: dict[str, Any] = {"schema_version": codec.SCHEMA_VERSION}
    if key:
        data["id"] = key
    data["name"] = folder.name
    if folder.description:
        data["description"] = folder.description
    if isinstance(folder, Collection) and folder.variables:
        data["variables"] = [codec.variable_to_data(v) for v in folder.variables]
    if folder.headers:
        data["headers"] = [codec.pair_to_data(p) for p in folder.headers]
    data["auth"] = codec.auth_to_data(folder.auth)
    data.update(codec.checks_to_data(folder.assertions, folder.captures, folder.scripts))
    data["order"] = order
    return data


class CollectionStore:
    """Reads and writes one collection folder. Call `load()` before any write.

    `secret_values` maps secret variable names to their values (e.g. from the
    `SecretStore`); together with the values of secret variables in the objects being
    saved they are what no written file may contain (`SecretLeakError`).

    Literal credentials (auth password, token and API key, Authorization/Cookie headers,
    a password in a URL) never reach a file: every write moves them into `secrets` (the
    app's `SecretStore` when not given) as secret collection variables, declared in
    collection.yaml, and writes `{{name}}` instead (see `explorer.core.resolve.credentials`).
    `moved` lists what the last write moved, for the editor and import reports.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        secret_values: Mapping[str, str] | None = None,
        secrets: SecretStore | None = None,
        fresh: bool = False,
    ) -> None:
        self.root = Path(root)
        # A folder this process has just made, empty and not yet visible under its real
        # name (an import's staging folder): nothing in it can be a link, and no file in
        # it exists before this store writes it, so the per-file link checks and the
        # temp-file-and-rename of an atomic write are left out (the folder as a whole
        # appears by one rename).
        self.fresh = fresh
        self._made_dirs: set[Path] = set()
        self._resolved_root: Path | None = None
        self.secret_values: dict[str, str] = dict(secret_values or {})
        self.secrets = secrets
        self.moved: tuple[MovedCredential, ...] = ()
        self._state = DiskState()
        self._lock = FileLock(self.root / LOCK_FILE)
        self._declared: tuple[Variable, ...] = ()  # secret collection variables on disk
        self._loaded: Collection | None = None  # as last read, for the names in use
        self._added_names: set[str] = set()  # variables declared since
        self._entries_index: dict[str, dict[str, list[str]]] | None = None
        self._finder: tuple[tuple[tuple[str, str], ...], _SecretFinder] | None = None

    # ---- reading -----------------------------------------------------------------------

    def load(self) -> LoadResult:
        """Read the whole collection; unreadable files are listed in `problems`."""
        with self._lock.held():
            result, self._state = read_collection(self.root)
        self._declared = tuple(v for v in result.collection.variables if v.secret)
        self._loaded, self._added_names = result.collection, set()
        return result

    @property
    def collection_key(self) -> str:
        """The key of this collection in the secret store: its `id`, else its path."""
        return self._state.collection_id or f"path:{self.root.resolve()}"

    def is_own_write(self, path: str | os.PathLike[str]) -> bool:
        """Whether the file at `path` holds exactly what this store last read or wrote,
        so a watcher can ignore the change it caused itself."""
        rel = Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        known = self._state.hashes.get(rel)
        current = self._current_hash(rel, _is_meta(rel))
        return known is not None and known == current

    # ---- whole collection --------------------------------------------------------------

    def save(self, collection: Collection, force: bool = False) -> dict[IndexPath, str]:
        """Write the whole collection; return the relative path of every item by index.

        Files of items that are no longer in `collection` are deleted (if unchanged on
        disk); files this store never saw (e.g. pulled since the load) are left alone.
        """
        with self._lock.held():
            key = self._state.collection_id
            if not key and not (self.root / COLLECTION_FILE).exists():
                key = self._state.collection_id = uuid.uuid4().hex
            collection = self._move_from_collection(collection)
            self._declared = tuple(v for v in collection.variables if v.secret)
            self._remember_secrets(collection.variables)
            for environment in collection.environments:
                self._remember_secrets(environment.variables)
            plan = _Plan()
            self._entries_index = None
            order = self._plan_items("", collection.items, (), plan)
            plan.writes.append(
                _Write(
                    COLLECTION_FILE,
                    folder_meta_data(collection, self._keep_bad("", order), key),
                    True,
                )
            )
            self._plan_environments(collection.environments, plan)
            # An unreadable settings file is left as it is; only its order is lost.
            plan.writes = [w for w in plan.writes if w.rel not in self._state.bad]
            deletes = self._stale_files(plan)
            for write in plan.writes:
                self._check(write.rel, write.meta, force)
            for rel in deletes:
                self._check(rel, _is_meta(rel), force, must_be_known=True)
            for write in plan.writes:
                self._apply(write)
            for rel in deletes:
                self._remove_file(rel)
            self._remove_stale_dirs(plan)
            self._state.names = plan.names
            self._state.env_files = plan.env_files
        return plan.locations

    def _plan_items(
        self, folder_rel: str, items: Iterable[Item], index: IndexPath, plan: _Plan
    ) -> list[str]:
        taken: set[str] = {split(rel)[1] for rel in self._state.bad if split(rel)[0] == folder_rel}
        loaded = self._loaded_entries().get(folder_rel, {})
        known = [entry for entries_ in loaded.values() for entry in entries_]
        names = _EntryNames(self.root / folder_rel, known, taken)
        order: list[str] = []
        for position, item in enumerate(items):
            entry = self._entry_for(folder_rel, item, taken, loaded, names)
            taken.add(entry)
            names.take(entry)
            order.append(entry)
            rel = join(folder_rel, entry)
            plan.names[rel] = item.name
            plan.locations[(*index, position)] = rel
            if isinstance(item, Folder):
                plan.dirs.add(rel)
                sub_order = self._plan_items(rel, item.items, (*index, position), plan)
                data = folder_meta_data(item, self._keep_bad(rel, sub_order))
                plan.writes.append(_Write(join(rel, FOLDER_FILE), data, True))
            else:
                data = codec.request_to_data(item.request, item.inherit_headers)
                plan.writes.append(_Write(rel, data, False))
        return order

    def _loaded_entries(self) -> dict[str, dict[str, list[str]]]:
        """folder rel -> item name -> the entries loaded under that name, in name order
        (built once per save: looking them up per item made large saves quadratic)."""
        if self._entries_index is None:
            index: dict[str, dict[str, list[str]]] = {}
            for rel, name in sorted(self._state.names.items()):
                parent, entry = split(rel)
                index.setdefault(parent, {}).setdefault(name, []).append(entry)
            self._entries_index = index
        return self._entries_index

    def _entry_for(
        self,
        folder_rel: str,
        item: Item,
        taken: set[str],
        loaded: dict[str, list[str]],
        names: _EntryNames,
    ) -> str:
        """Keep the file an item was loaded from (matched by name), else a new slug."""
        is_folder = isinstance(item, Folder)
        for entry in loaded.get(item.name, ()):
            if entry not in taken and (self.root / folder_rel / entry).is_dir() == is_folder:
                return entry
        base = slugify(item.name, "folder" if is_folder else "request")
        return names.free(base, "" if is_folder else ".yaml")

    def _keep_bad(self, folder_rel: str, order: list[str]) -> list[str]:
        # Unreadable files keep a place in the order, so they come back once fixed.
        bad = sorted(split(rel)[1] for rel in self._state.bad if split(rel)[0] == folder_rel)
        return order + [entry for entry in bad if entry not in order]

    def _plan_environments(self, environments: Iterable[Environment], plan: _Plan) -> None:
        taken: set[str] = {
            split(rel)[1] for rel in self._state.bad if rel.startswith(ENVIRONMENTS_DIR + "/")
        }
        names = _EntryNames(self.root / ENVIRONMENTS_DIR, (), taken)  # linear, as for items
        for environment in environments:
            rel = self._state.env_files.get(environment.name)
            if rel is None or split(rel)[1] in taken:
                entry = names.free(slugify(environment.name, "environment"), ".yaml")
                rel = join(ENVIRONMENTS_DIR, entry)
            taken.add(split(rel)[1])
            names.take(split(rel)[1])
            plan.env_files[environment.name] = rel
            plan.writes.append(_Write(rel, codec.environment_to_data(environment), False))

    def _stale_files(self, plan: _Plan) -> list[str]:
        planned = {write.rel for write in plan.writes}
        return sorted(rel for rel in self._state.hashes if rel not in planned)

    def _remove_stale_dirs(self, plan: _Plan) -> None:
        stale = [
            rel for rel in self._state.names if (self.root / rel).is_dir() and rel not in plan.dirs
        ]
        for rel in sorted(stale, key=lambda r: r.count("/"), reverse=True):
            directory = self.root / rel
            if directory.is_symlink():
                continue  # never followed, never removed: the user made it
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()

    # ---- one item at a time ------------------------------------------------------------

    def save_request(self, rel: str, item: RequestItem, force: bool = False) -> None:
        """Write the request file at `rel` (its file name stays; see `rename_item`)."""
        with self._lock.held():
            self._check(rel, False, force)
            moved = self._moving(lambda mover: replace(item, request=mover.request(item.request)))
            write = _Write(rel, codec.request_to_data(moved.request, moved.inherit_headers), False)
            self._apply(write)
            self._state.names[rel] = moved.name

    def add_item(self, folder_rel: str, item: Item, index: int | None = None) -> str:
        """Create a request file or a folder (with all it contains) inside `folder_rel`
        at position `index` (None: last); return its relative path."""
        with self._lock.held():
            self._require_folder(folder_rel)
            item = self._moving(lambda mover: mover.item(item))
            plan = _Plan()
            known = {split(r)[1] for r in self._state.names if split(r)[0] == folder_rel}
            base = slugify(item.name, "folder" if isinstance(item, Folder) else "request")
            suffix = "" if isinstance(item, Folder) else ".yaml"
            entry = unique_entry(self.root / folder_rel, base, suffix, known)
            self._plan_new(folder_rel, entry, item, plan)
            for write in plan.writes:
                self._check(write.rel, write.meta, False)
            for write in plan.writes:
                self._apply(write)
            self._state.names.update(plan.names)
            self._update_order(folder_rel, lambda order: _insert(order, entry, index))
            return join(folder_rel, entry)

    def _plan_new(self, folder_rel: str, entry: str, item: Item, plan: _Plan) -> None:
        rel = join(folder_rel, entry)
        plan.names[rel] = item.name
        if isinstance(item, RequestItem):
            data = codec.request_to_data(item.request, item.inherit_headers)
            plan.writes.append(_Write(rel, data, False))
            return
        order: list[str] = []
        for child in item.items:
            base = slugify(child.name, "folder" if isinstance(child, Folder) else "request")
            child_entry = unique_entry(
                self.root / rel, base, "" if isinstance(child, Folder) else ".yaml", set(order)
            )
            order.append(child_entry)
            self._plan_new(rel, child_entry, child, plan)
        plan.writes.append(_Write(join(rel, FOLDER_FILE), folder_meta_data(item, order), True))

    def save_folder(self, rel: str, folder: Folder, force: bool = False) -> None:
        """Write a folder's own settings (name, description, headers, auth); its items and
        their order on disk are kept."""
        with self._lock.held():
            self._save_settings(rel, self._moving(lambda mover: mover.settings(folder)), force)

    def save_settings(self, collection: Collection, force: bool = False) -> None:
        """Write collection.yaml (name, description, variables, headers, auth); items,
        environments and the order on disk are kept."""
        with self._lock.held():
            mover = self._mover(collection.variables, lambda: names_in_use(collection))
            moved = mover.settings(collection)
            collection = replace(moved, variables=(*moved.variables, *self._keep_moved(mover)))
            self._remember_secrets(collection.variables)
            self._save_settings("", collection, force)

    def _save_settings(self, folder_rel: str, node: Folder | Collection, force: bool) -> None:
        with self._lock.held():
            self._require_folder(folder_rel)
            rel = meta_file(folder_rel)
            self._check(rel, True, force)
            current = self._read_settings(rel) or {}
            order = current.get("order") if isinstance(current.get("order"), list) else None
            if order is None:
                order = entries(self.root / folder_rel, not folder_rel)
            key = self._state.collection_id if not folder_rel else ""
            self._apply(_Write(rel, folder_meta_data(node, list(order), key), True))
            if folder_rel:
                self._state.names[folder_rel] = node.name

    def delete_item(self, rel: str, force: bool = False) -> None:
        """Delete a request file or a folder with everything in it.

        Refuses (ConflictError) when a file inside changed on disk or is not one this
        store read, unless `force`.
        """
        with self._lock.held():
            path = self._existing(rel)
            files = [path] if not path.is_dir() else _files_under(path)
            for file in files:
                file_rel = file.relative_to(self.root).as_posix()
                if file_rel in self._state.bad and not force:
                    raise UnreadableFileError(file)
                if force and file.is_symlink():
                    continue  # removed as a link below, never followed
                self._check(file_rel, file.name == FOLDER_FILE, force, must_be_known=True)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)  # unlinks the links inside, never follows them
            else:
                path.unlink()
            self._forget(rel)
            parent, entry = split(rel)
            self._update_order(parent, lambda order: [e for e in order if e != entry])

    def rename_item(self, rel: str, new_name: str, force: bool = False) -> str:
        """Give an item a new name, and its file or folder a matching file name; return
        the new relative path."""
        with self._lock.held():
            path = self._existing(rel)
            parent, entry = split(rel)
            if path.is_dir():
                data_rel, meta = join(rel, FOLDER_FILE), True
            else:
                data_rel, meta = rel, False
            if data_rel in self._state.bad:
                raise UnreadableFileError(self.root / data_rel)
            self._check(data_rel, meta, force)
            data = self._read_settings(data_rel) or {"schema_version": codec.SCHEMA_VERSION}
            data["name"] = new_name
            self._apply(_Write(data_rel, data, meta))
            self._state.names[rel] = new_name
            suffix = "" if path.is_dir() else path.suffix
            base = slugify(new_name, "folder" if path.is_dir() else "request")
            if entry.lower() == f"{base}{suffix}".lower():
                return rel
            new_entry = unique_entry(self.root / parent, base, suffix, set())
            return self._relocate(rel, parent, new_entry, None, same_parent=True)

    def move_item(self, rel: str, folder_rel: str, index: int | None = None) -> str:
        """Move an item into the folder at `folder_rel` at position `index` (None: last);
        within the same folder this reorders. Return the new relative path."""
        with self._lock.held():
            self._existing(rel)
            self._require_folder(folder_rel)
            parent, entry = split(rel)
            if folder_rel == rel or folder_rel.startswith(rel + "/"):
                raise StorageError(f"cannot move {rel!r} into itself")
            if folder_rel == parent:
                self._update_order(
                    parent, lambda order: _insert([e for e in order if e != entry], entry, index)
                )
                return rel
            suffix = "" if (self.root / rel).is_dir() else Path(entry).suffix
            stem = entry[: len(entry) - len(suffix)] if suffix else entry
            new_entry = unique_entry(self.root / folder_rel, stem, suffix, set())
            return self._relocate(rel, folder_rel, new_entry, index, same_parent=False)

    def _relocate(
        self, rel: str, folder_rel: str, new_entry: str, index: int | None, same_parent: bool
    ) -> str:
        parent, entry = split(rel)
        new_rel = join(folder_rel, new_entry)
        os.rename(self._path(rel), self._path(new_rel))
        self._rekey(rel, new_rel)
        if same_parent:
            self._update_order(
                parent, lambda order: [new_entry if e == entry else e for e in order], entry
            )
        else:
            self._update_order(parent, lambda order: [e for e in order if e != entry])
            self._update_order(
                folder_rel,
                lambda order: _insert([e for e in order if e != new_entry], new_entry, index),
            )
        return new_rel

    # ---- environments ------------------------------------------------------------------

    def save_environment(
        self, environment: Environment, previous_name: str | None = None, force: bool = False
    ) -> str:
        """Write one environment (renamed from `previous_name` if given); return its path."""
        self._remember_secrets(environment.variables)
        with self._lock.held():
            old = previous_name if previous_name is not None else environment.name
            rel = self._state.env_files.get(old)
            if rel is None:
                entry = unique_entry(
                    self.root / ENVIRONMENTS_DIR,
                    slugify(environment.name, "environment"),
                    ".yaml",
                    set(),
                )
                rel = join(ENVIRONMENTS_DIR, entry)
            self._check(rel, False, force)
            self._apply(_Write(rel, codec.environment_to_data(environment), False))
            self._state.env_files.pop(old, None)
            self._state.env_files[environment.name] = rel
            return rel

    def delete_environment(self, name: str, force: bool = False) -> None:
        """Delete the file of the environment called `name`."""
        with self._lock.held():
            rel = self._state.env_files.get(name)
            if rel is None:
                raise ItemNotFoundError(f"no environment called {name!r}")
            self._check(rel, False, force, must_be_known=True)
            self._remove_file(rel)
            del self._state.env_files[name]

    # ---- primitives --------------------------------------------------------------------

    def _check(self, rel: str, meta: bool, force: bool, must_be_known: bool = False) -> None:
        """Raise unless writing `rel` would overwrite only what this store last saw."""
        path = self._path(rel)
        if rel in self._state.bad:
            raise UnreadableFileError(path)
        if force:
            return
        known = self._state.hashes.get(rel)
        exists = path.is_file()
        if known is None:
            if exists:
                raise ConflictError(path, "appeared on disk after the collection was loaded")
            if must_be_known:
                raise ItemNotFoundError(f"{path}: not part of the loaded collection")
            return
        if not exists:
            if must_be_known:
                return  # already gone: deleting it again is fine
            raise ConflictError(path, "was deleted on disk after the collection was loaded")
        if self._current_hash(rel, meta) != known:
            raise ConflictError(path, "changed on disk after the collection was loaded")

    def _current_hash(self, rel: str, meta: bool) -> str | None:
        path = self._path(rel)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        if not meta:
            return digest(raw)
        try:
            return meta_digest(parse_yaml(raw, path))
        except FileFormatError:
            return digest(raw)  # unparsable now: never equal to a known meta digest

    def _apply(self, write: _Write) -> None:
        text = dump_yaml(write.data)
        path = self._path(write.rel)
        self._guard_secrets(path, write.data)
        encoded = text.encode()
        if self.fresh:
            if path.parent not in self._made_dirs:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._made_dirs.add(path.parent)
            write_new_file(path, encoded)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not (path.is_file() and path.read_bytes() == encoded):
                write_text_atomic(path, text)
        self._state.hashes[write.rel] = meta_digest(write.data) if write.meta else digest(encoded)

    def _remove_file(self, rel: str) -> None:
        self._path(rel).unlink(missing_ok=True)
        self._state.hashes.pop(rel, None)

    def _read_settings(self, rel: str) -> dict[str, Any] | None:
        path = self._path(rel)
        if not path.is_file():
            return None
        return parse_yaml(path.read_bytes(), path)

    def _update_order(
        self, folder_rel: str, change: Callable[[list[str]], list[str]], renamed_from: str = ""
    ) -> None:
        """Rewrite only the `order` of a folder's settings file, as it is on disk now.

        `renamed_from` is an entry just renamed on disk, still to be found in the order.
        """
        rel = meta_file(folder_rel)
        if rel in self._state.bad:
            return  # cannot be rewritten; unlisted entries still load, in name order
        try:
            data = self._read_settings(rel)
        except FileFormatError:
            return  # broken by someone after the load: leave it for the user to fix
        existed = data is not None
        if data is None:
            name = self._state.names.get(folder_rel) or (self.root / folder_rel).name
            data = {"schema_version": codec.SCHEMA_VERSION, "name": name}
        listed = order if isinstance(order := data.get("order"), list) else []
        present = entries(self.root / folder_rel, not folder_rel)
        current = ordered(
            [str(e) for e in listed], [*present, renamed_from] if renamed_from else present
        )
        before = meta_digest(data)
        known = self._state.hashes.get(rel)
        data["order"] = ordered(change(current), present)
        self._apply(_Write(rel, data, True))
        if existed and known != before:
            # Someone changed the settings themselves: keep the old hash so that a later
            # settings save still reports the conflict.
            if known is None:
                self._state.hashes.pop(rel, None)
            else:
                self._state.hashes[rel] = known

    def _existing(self, rel: str) -> Path:
        path = self._path(rel)
        if not rel or not (path.exists() or path.is_symlink()):
            raise ItemNotFoundError(f"{path}: no such item")
        return path

    def _require_folder(self, folder_rel: str) -> None:
        if not self._path(folder_rel).is_dir():
            raise ItemNotFoundError(f"{self.root / folder_rel}: no such folder")

    def _path(self, rel: str) -> Path:
        """`root / rel`, unless a symbolic link on the way leads outside the collection
        folder or loops: then OutsideCollectionError, before anything is read or written.
        """
        path = self.root / rel
        if self.fresh:
            return path
        try:
            real = path.resolve()
        except (RuntimeError, OSError) as exc:  # a loop (RuntimeError before Python 3.13)
            raise OutsideCollectionError(path, "is a symbolic link loop") from exc
        if not is_within(real, self._real_root()):
            raise OutsideCollectionError(
                path, f"leads outside the collection folder (to {real}) through a symbolic link"
            )
        return path

    def _real_root(self) -> Path:
        # Resolved once: every read and write checks its path against it, and resolving
        # costs a system call per component (an import writes thousands of files).
        if self._resolved_root is None:
            self._resolved_root = self.root.resolve()
        return self._resolved_root

    def _forget(self, rel: str) -> None:
        prefix = rel + "/"
        for table in (self._state.hashes, self._state.names):
            for key in [k for k in table if k == rel or k.startswith(prefix)]:
                del table[key]

    def _rekey(self, old: str, new: str) -> None:
        prefix = old + "/"
        for table in (self._state.hashes, self._state.names):
            for key in [k for k in table if k == old or k.startswith(prefix)]:
                table[new + key[len(old) :]] = table.pop(key)
        self._state.bad = {
            new + k[len(old) :] if k == old or k.startswith(prefix) else k for k in self._state.bad
        }

    # ---- credentials ---------------------------------------------------------------

    def secret_store(self) -> SecretStore:
        """The secret store this store moves credentials into (the app's by default)."""
        return self._secret_store()

    def _secret_store(self) -> SecretStore:
        if self.secrets is None:
            from explorer.core.paths import secret_store_path

            self.secrets = SecretStore(secret_store_path())
        return self.secrets

    def _mover(
        self, variables: Iterable[Variable], in_use: Callable[[], Iterable[str]]
    ) -> CredentialMover:
        """A mover that reuses the secret collection `variables` (values from the store)."""
        secret = tuple(v for v in variables if v.secret)
        known: dict[str, str] = {}
        if secret:
            filled = self._secret_store().fill(
                self.collection_key, Collection("", variables=secret)
            )
            known = {v.name: v.value for v in filled.variables if v.value}
        return CredentialMover(known, lambda: {*self._names_in_use(), *in_use()})

    def _names_in_use(self) -> set[str]:
        loaded = names_in_use(self._loaded) if self._loaded is not None else set()
        return loaded | self._added_names

    def _keep_moved(self, mover: CredentialMover) -> tuple[Variable, ...]:
        """Store the values of the variables `mover` created; return those variables."""
        new = mover.take_new_variables()
        self.moved = tuple(mover.moved)
        if new:  # one write for all of them: a HAR import moves a Cookie per request
            values = {variable.name: variable.value for variable in new}
            self._secret_store().set_many(self.collection_key, "", values)
        self._remember_secrets(new)
        self._declared = (*self._declared, *new)
        self._added_names |= {v.name for v in new}
        return new

    def _move_from_collection(self, collection: Collection) -> Collection:
        """The whole `collection` with its credentials moved (variables declared), and
        the plain variables its credential fields refer to made secret."""
        mover = self._mover(collection.variables, lambda: names_in_use(collection))
        moved = replace(mover.settings(collection), items=mover.items(collection.items))
        moved = replace(moved, variables=(*moved.variables, *self._keep_moved(mover)))
        moved, made_secret = secret_by_use(moved)
        if made_secret:
            self._keep_made_secret(moved, {(m.owner, m.variable) for m in made_secret})
            self.moved += made_secret
        return moved

    def _keep_made_secret(self, collection: Collection, names: set[tuple[str, str]]) -> None:
        """Store the values of the variables `secret_by_use` made secret."""
        scopes = [("", collection.name, collection.variables)]
        scopes += [(env.name, env.name, env.variables) for env in collection.environments]
        for scope, owner, variables in scopes:
            for variable in variables:
                if (owner, variable.name) in names:
                    self._secret_store().set(
                        self.collection_key, scope, variable.name, variable.value
                    )

    def _moving(self, move: Callable[[CredentialMover], _Moved]) -> _Moved:
        """What `move` makes of an item with a mover; the new variables it created are
        declared in collection.yaml (call with the lock held)."""
        mover = self._mover(self._declared, set)
        moved = move(mover)
        new = self._keep_moved(mover)
        if new:
            self._declare(new)
        return moved

    def _declare(self, variables: tuple[Variable, ...]) -> None:
        """Add secret variables to collection.yaml as it is on disk now (values never
        go there), like `_update_order` changes only the order."""
        rel = COLLECTION_FILE
        if rel in self._state.bad:
            raise UnreadableFileError(self.root / rel)
        data = self._read_settings(rel) or {
            "schema_version": codec.SCHEMA_VERSION,
            "name": self.root.name,
        }
        listed = declared if isinstance(declared := data.get("variables"), list) else []
        names = {v.get("name") for v in listed if isinstance(v, dict)}
        added = [codec.variable_to_data(v) for v in variables if v.name not in names]
        before = meta_digest(data)
        known = self._state.hashes.get(rel)
        self._apply(_Write(rel, _with_variables(data, [*listed, *added]), True))
        if known is not None and known != before:
            self._state.hashes[rel] = known  # someone else's change is still to be seen

    def _remember_secrets(self, variables: Iterable[Variable]) -> None:
        for variable in variables:
            if variable.secret and variable.value:
                self.secret_values[variable.name] = variable.value

    def _guard_secrets(self, path: Path, data: dict[str, Any]) -> None:
        # The values only: keys (`password:`) and `{{references}}` are not secrets, and a
        # short secret such as "pass" would otherwise match them.
        texts = [_REFERENCE.sub("", text) for text in _data_strings(data)]
        if len(self.secret_values) > _MANY_SECRETS:
            found_name = self._secret_finder().first_in(texts)
            if found_name is not None:
                raise SecretLeakError(path, found_name)
            return
        for name, value in self.secret_values.items():
            if len(value) < MIN_SECRET_LENGTH:
                continue
            if len(value) < WORD_SECRET_LENGTH:
                word = re.compile(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])")
                found = any(word.search(text) for text in texts)
            else:
                found = any(value in text for text in texts)
            if found:
                raise SecretLeakError(path, name)

    def _secret_finder(self) -> _SecretFinder:
        # Built again only when the secrets changed (a save adds the ones it moves).
        key = tuple(self.secret_values.items())
        if self._finder is None or self._finder[0] != key:
            self._finder = (key, _SecretFinder(self.secret_values))
        return self._finder[1]


# Past this many secrets (a HAR import moves a Cookie per request) every file is searched
# in one pass for all of them: value by value, 1,000 files x 2,000 secrets took minutes.
_MANY_SECRETS = 32


class _SecretFinder:
    """Finds any of many secret values in texts in one pass, by their first characters;
    the same matches as the value-by-value search in `_guard_secrets`."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        self._by_prefix: dict[str, list[tuple[str, str]]] = {}
        for name, value in secrets.items():
            if len(value) >= MIN_SECRET_LENGTH:
                self._by_prefix.setdefault(value[:MIN_SECRET_LENGTH], []).append((name, value))

    def first_in(self, texts: Iterable[str]) -> str | None:
        """The name of a secret found in `texts`, or None."""
        for text in texts:
            for start in range(len(text) - MIN_SECRET_LENGTH + 1):
                for name, value in self._by_prefix.get(text[start : start + MIN_SECRET_LENGTH], ()):
                    if text.startswith(value, start) and _counts(text, start, len(value)):
                        return name
        return None


def _counts(text: str, start: int, length: int) -> bool:
    # A short value counts only as a whole word, as in `_guard_secrets`.
    if length >= WORD_SECRET_LENGTH:
        return True
    before = text[start - 1 : start] if start else ""
    after = text[start + length : start + length + 1]
    return not (_is_word_char(before) or _is_word_char(after))


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _with_variables(data: dict[str, Any], variables: list[Any]) -> dict[str, Any]:
    # `variables` goes where `folder_meta_data` puts it: before headers, auth and order.
    result = {k: v for k, v in data.items() if k not in ("variables", *_AFTER_VARIABLES)}
    result["variables"] = variables
    result.update({k: data[k] for k in _AFTER_VARIABLES if k in data})
    return result


_AFTER_VARIABLES = ("headers", "auth", "assertions", "captures", "scripts", "order")


def _data_strings(value: Any) -> Iterable[str]:
    # Every string value (not key) of YAML-ready data.
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _files_under(directory: Path) -> list[Path]:
    """Every file under `directory`; symbolic links are listed, never followed."""
    found: list[Path] = []
    for parent, dirs, files in os.walk(directory, followlinks=False):
        found += [Path(parent, name) for name in files]
        found += [Path(parent, name) for name in dirs if Path(parent, name).is_symlink()]
    return found


def _is_meta(rel: str) -> bool:
    return rel == COLLECTION_FILE or split(rel)[1] == FOLDER_FILE


def _insert(order: list[str], entry: str, index: int | None) -> list[str]:
    order = [e for e in order if e != entry]
    if index is None or index >= len(order):
        return [*order, entry]
    return [*order[: max(index, 0)], entry, *order[max(index, 0) :]]


def load_collection(root: str | os.PathLike[str]) -> LoadResult:
    """Read the collection folder at `root` (see `CollectionStore.load`)."""
    return CollectionStore(root).load()


def save_collection(collection: Collection, root: str | os.PathLike[str]) -> dict[IndexPath, str]:
    """Write `collection` into the folder `root` (created if missing), taking what is on
    disk now as the starting point: unreadable files are kept untouched, the files of
    items not in `collection` are removed. Returns the relative path of every item."""
    Path(root).mkdir(parents=True, exist_ok=True)
    store = CollectionStore(root)
    with store._lock.held():
        store.load()
        return store.save(collection)
