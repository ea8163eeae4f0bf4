"""The workspace: open collections, environments, globals, secrets and history.

One `Workspace` per window holds every store of `explorer.core.storage` and is the
window's only way to change them: it calls the Qt-free use cases of
`explorer.application` (loading, scopes, editing, history), then tells the widgets with
signals. The window's writes (requests, folders, variables, environments, history rows)
run on its one serial background queue, never on the GUI thread: the `*_later` methods
queue a write, re-read the collection there too, and hand the result (or the error) to a
callback on the GUI thread, in the order they were queued. The plain methods write on
the calling thread, for start-up and tests. It has no widgets itself, so it can be
driven in tests. Storage errors (`StorageError`, `OSError`) are raised to the caller, or
handed to its `on_error`, which turns them into words where the user is looking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, QSettings, Signal

from explorer.application import editing
from explorer.application.history import (
    open_history,
    prune_history,
    record_exchange,
    record_failure,
    record_sent,
    record_unsent,
)
from explorer.application.loading import load_global_variables, open_collection
from explorer.application.scopes import captured_scope, request_scopes, with_captured
from explorer.application.sending import Place, PreparedSend
from explorer.core.atomic import make_private_dir
from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.http.cookie_store import CookieStore
from explorer.core.http.exchange import Response
from explorer.core.model import Request
from explorer.core.resolve.credentials import MovedCredential
from explorer.core.resolve.variables import Scope
from explorer.core.storage.collection_files import CollectionStore
from explorer.core.storage.collection_load import LoadResult
from explorer.core.storage.errors import Problem, StorageError
from explorer.core.storage.history import History
from explorer.core.storage.secrets import SecretStore
from explorer.qt.background import BackgroundQueue, OnError

Item = Folder | RequestItem
T = TypeVar("T")
Write = Callable[[CollectionStore], T]


def _preceded(first: Callable[[], None], write: Write[T]) -> Write[T]:
    """`write`, with `first` run just before it on the same thread."""

    def both(store: CollectionStore) -> T:
        first()
        return write(store)

    return both


DEFAULT_COLLECTION = "Scratch"
MAX_RECENT = 10
PRUNE_EVERY = 50


@dataclass(frozen=True)
class ItemInfo:
    """Where an item sits in its collection: the folder names above it, its parent
    folder's relative path and its position there."""

    item: Item
    rel: str
    folder_path: tuple[str, ...]
    parent_rel: str
    position: int


@dataclass
class OpenCollection:
    """A collection folder the workspace has open, as last loaded (secrets filled in)."""

    root: Path
    store: CollectionStore
    result: LoadResult
    collection: Collection
    items: dict[str, ItemInfo] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.collection.name

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.result.problems

    def environment(self, name: str) -> Environment | None:
        """The environment called `name`, if this collection has one."""
        return next((e for e in self.collection.environments if e.name == name), None)


@dataclass(frozen=True)
class EnvironmentChoice:
    """One environment the window can make active: where it lives and how it is shown.
    `collection` names its collection (with its folder when two open collections share
    a name)."""

    root: Path
    name: str
    collection: str

    @property
    def label(self) -> str:
        """The words for a closed selector or a palette row: "dev — Shop"."""
        return f"{self.name} — {self.collection}"


def index_items(collection: Collection, result: LoadResult) -> dict[str, ItemInfo]:
    """Every item of `collection` by its relative path on disk."""
    found: dict[str, ItemInfo] = {}

    def walk(node: Collection | Folder, index: tuple[int, ...], names: tuple[str, ...]) -> None:
        parent_rel = result.locations.get(index, "") if index else ""
        for position, item in enumerate(node.items):
            rel = result.locations.get((*index, position))
            if rel is None:
                continue
            found[rel] = ItemInfo(item, rel, names, parent_rel, position)
            if isinstance(item, Folder):
                walk(item, (*index, position), (*names, item.name))

    walk(collection, (), ())
    return found


class Workspace(QObject):
    """Owns the collections, variables, secrets and history of one window."""

    collections_changed = Signal()  # a collection was opened, closed, reloaded or edited
    collection_reloaded = Signal(object)  # Path of the collection read again from disk
    environments_changed = Signal()  # environments, collection variables or globals
    active_environment_changed = Signal(str)  # its name ("" for none); see `scopes`
    # The selection changed without the user choosing it (the environment was deleted,
    # renamed, its collection closed): one sentence for the status bar.
    environment_notice = Signal(str)
    history_changed = Signal()
    wrote = Signal(object)  # Path of a collection the app itself just wrote to
    item_moved = Signal(object, str, object, str)  # old root, old rel, new root, new rel
    write_failed = Signal(str)  # a queued write without its own `on_error` failed: why
    captured_changed = Signal()  # values captured from responses (or set by scripts)

    def __init__(self, data_dir: Path, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.settings = settings
        make_private_dir(self.data_dir, tighten=True)  # history, drafts, secrets: 0700
        self.secrets = SecretStore(self.data_dir / "secrets.json")
        self.session_path = self.data_dir / "session.json"
        self.globals_path = self.data_dir / "globals.yaml"
        # The one cookie jar of every tab's sends, read on first use (not at start-up).
        self.cookies = CookieStore(self.data_dir / "cookies.txt")
        self.default_root = self.data_dir / "collections" / DEFAULT_COLLECTION
        self.collections: dict[Path, OpenCollection] = {}
        self.active_environment = ""  # the active environment's name, "" for none
        self.active_environment_root: Path | None = None  # the collection it lives in
        self.start_problems: list[str] = []
        self.globals = self._load_globals()
        self.history = self._open_history()
        # Storing an exchange redacts and indexes up to 1 MiB of body (~0.1 s), saving a
        # request re-reads its collection (~0.1 s for 121 requests): the window waits for
        # neither. Every write is queued here, one after the other, so they stay in order.
        self._background = BackgroundQueue(self)
        self._closed = False
        self._adds_since_prune = 0
        # What the last add_item/save_request moved out of the file into secret variables.
        self.last_moved: tuple[MovedCredential, ...] = ()
        # Variables captured from responses in this window session, by collection root
        # (None: requests in no collection), never written anywhere: the highest scope.
        self._captured: dict[Path | None, Scope] = {}
        # First of its slots: the selection is checked before anyone shows it.
        self.environments_changed.connect(self._check_active)
        self.prune_history()

    # ---- collections -------------------------------------------------------------------

    def open_startup_collections(self) -> None:
        """Open the default collection and those open at the last exit."""
        editing.create_collection(self.default_root, DEFAULT_COLLECTION, _SCRATCH)
        paths = [self.default_root, *[Path(p) for p in self._setting_list("collections/open")]]
        for path in dict.fromkeys(p.resolve() for p in paths):
            try:
                self.open_collection(path, remember=False)
            except (StorageError, OSError) as exc:
                self.start_problems.append(f"Could not open the collection {path}: {exc}")

    def open_collection(self, path: Path, remember: bool = True) -> OpenCollection:
        """Open (or re-read) the collection folder at `path`."""
        root = Path(path).resolve()
        if not root.is_dir():
            raise StorageError(f"{root}: no such folder")
        opened = self._load(root)
        self.collections[root] = opened
        if remember:
            self._remember(root)
        self.collections_changed.emit()
        self.environments_changed.emit()
        return opened

    def create_collection(self, path: Path, name: str) -> OpenCollection:
        """Make a new collection folder at `path` (an empty or missing folder) and open it."""
        root = Path(path).resolve()
        editing.create_collection(root, name)
        return self.open_collection(root)

    def create_collection_later(
        self,
        path: Path,
        name: str,
        on_done: Callable[[OpenCollection], None],
        on_error: OnError,
    ) -> None:
        """`create_collection` off the GUI thread: the folder is made and read there,
        then opened here; `on_done(opened)` or `on_error(exception)` follows."""
        root = Path(path).resolve()

        def job() -> OpenCollection:
            editing.create_collection(root, name)
            if not root.is_dir():
                raise StorageError(f"{root}: no such folder")
            return self._read(root)

        def done(opened: OpenCollection) -> None:
            opened.store.secret_values = self._secret_map(opened.collection)
            self.collections[root] = opened
            self._remember(root)
            self.collections_changed.emit()
            self.environments_changed.emit()
            on_done(opened)

        self._background.run(job, done, on_error)

    def close_collection(self, root: Path) -> None:
        """Stop showing a collection (its files stay where they are)."""
        if self.collections.pop(root, None) is not None:
            self._save_open_list()
            self.collections_changed.emit()
            self.environments_changed.emit()

    def reload(self, root: Path) -> OpenCollection:
        """Read a collection again from disk (after a change made outside the app)."""
        opened = self._load(root)
        self.collections[root] = opened
        self.collection_reloaded.emit(root)
        self.collections_changed.emit()
        self.environments_changed.emit()
        return opened

    def recent_collections(self) -> list[str]:
        """Collection folders opened recently, newest first."""
        return self._setting_list("collections/recent")

    def _load(self, root: Path) -> OpenCollection:
        opened = self._read(root)
        opened.store.secret_values = self._secret_map(opened.collection)
        return opened

    def _read(self, root: Path) -> OpenCollection:
        # Disk only (safe on the background queue); the secret values the store guards
        # against are filled in on the GUI thread, from the globals as they are then.
        loaded = open_collection(root, self.secrets)
        if loaded.secrets_problem:
            self.start_problems.append(f"The secret store cannot be read: {loaded.secrets_problem}")
        store, collection = loaded.store, loaded.collection
        return OpenCollection(
            root, store, loaded.result, collection, index_items(collection, loaded.result)
        )

    def _secret_map(self, collection: Collection) -> dict[str, str]:
        variables = [*self.globals.variables, *collection.variables]
        for environment in collection.environments:
            variables += environment.variables
        # The active environment applies to every send, wherever it lives (see `scopes`):
        # its secret values must not reach another collection's files either.
        active = self.active_environment_object()
        if active is not None:
            variables += active.variables
        return {v.name: v.value for v in variables if v.secret and v.value}

    def _remember(self, root: Path) -> None:
        recent = [str(root), *[p for p in self.recent_collections() if p != str(root)]]
        self.settings.setValue("collections/recent", recent[:MAX_RECENT])
        self._save_open_list()

    def _save_open_list(self) -> None:
        others = [str(r) for r in self.collections if r != self.default_root.resolve()]
        self.settings.setValue("collections/open", others)

    def _setting_list(self, key: str) -> list[str]:
        value = self.settings.value(key, [])
        if isinstance(value, str):
            return [value] if value else []
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return []

    # ---- items -------------------------------------------------------------------------

    def info(self, root: Path, rel: str) -> ItemInfo | None:
        """Where the item at `rel` sits, or None when it is not (or no longer) there."""
        opened = self.collections.get(root)
        return opened.items.get(rel) if opened is not None else None

    def add_item(self, root: Path, folder_rel: str, item: Item, index: int | None = None) -> str:
        """Create a request or folder in a folder of a collection; return its path."""
        written = editing.add_item(self.collections[root].store, folder_rel, item, index)
        self.last_moved = written.moved
        self._refresh(root)
        return written.rel

    def add_item_later(
        self,
        root: Path,
        folder_rel: str,
        item: Item,
        on_done: Callable[[editing.Written], None],
        on_error: OnError | None = None,
        index: int | None = None,
    ) -> None:
        """Create a request or folder off the GUI thread; `on_done(written)` follows
        (`last_moved` set by then), or `on_error(exception)`."""

        def done(written: editing.Written) -> None:
            self.last_moved = written.moved
            on_done(written)

        self._write_later(
            root, lambda store: editing.add_item(store, folder_rel, item, index), done, on_error
        )

    def save_request(
        self, root: Path, rel: str, request: Request, inherit_headers: bool, force: bool = False
    ) -> str:
        """Write a request into its file on this thread (renaming the file if the request
        was renamed); return its path, which changes with the name."""
        written = self._write_now(
            root, self._request_write(root, rel, request, inherit_headers, force)
        )
        self._request_saved(root, rel, written)
        return written.rel

    def save_request_later(
        self,
        root: Path,
        rel: str,
        request: Request,
        inherit_headers: bool,
        on_done: Callable[[editing.Written], None],
        on_error: OnError | None = None,
        force: bool = False,
        before: Callable[[], None] | None = None,
    ) -> None:
        """`save_request` off the GUI thread: `on_done(written)` follows on the GUI
        thread once the file is written and the collection read again (`last_moved` set
        by then), or `on_error(exception)` (a `ConflictError` when the file changed on
        disk and `force` is off). `before` runs on the same thread just before the
        write (the window writes its drafts there: see WorkspaceTabs.save)."""

        def done(written: editing.Written) -> None:
            self._request_saved(root, rel, written)
            on_done(written)

        write = self._request_write(root, rel, request, inherit_headers, force)
        if before is not None:
            write = _preceded(before, write)
        self._write_later(root, write, done, on_error)

    def _request_write(
        self, root: Path, rel: str, request: Request, inherit_headers: bool, force: bool
    ) -> Write[editing.Written]:
        info = self.info(root, rel)
        renamed = info is not None and info.item.name != request.name
        item = RequestItem(request, inherit_headers)
        return lambda store: editing.save_request(store, rel, item, renamed, force)

    def _request_saved(self, root: Path, rel: str, written: editing.Written) -> None:
        self.last_moved = written.moved
        if written.rel != rel:
            self.item_moved.emit(root, rel, root, written.rel)

    def rename_item(self, root: Path, rel: str, name: str) -> str:
        """Rename an item (and its file); return its new path."""
        new_rel = editing.rename_item(self.collections[root].store, rel, name)
        self._refresh(root)
        self.item_moved.emit(root, rel, root, new_rel)
        return new_rel

    def rename_item_later(
        self, root: Path, rel: str, name: str, on_done: Callable[[str], None], on_error: OnError
    ) -> None:
        """`rename_item` off the GUI thread; `on_done(new_rel)` follows (after
        `item_moved`), or `on_error(exception)`."""

        def done(new_rel: str) -> None:
            self.item_moved.emit(root, rel, root, new_rel)
            on_done(new_rel)

        self._write_later(root, lambda store: editing.rename_item(store, rel, name), done, on_error)

    def rename_collection(self, root: Path, name: str) -> None:
        """Give a collection a new name (its folder keeps its name)."""
        opened = self.collections[root]
        editing.rename_collection(opened.store, opened.collection, name)
        self._refresh(root)

    def delete_item(self, root: Path, rel: str) -> None:
        """Delete a request file or a folder with everything in it."""
        editing.delete_item(self.collections[root].store, rel)
        self._refresh(root)

    def duplicate_item(self, root: Path, rel: str) -> str:
        """Add a copy of an item right after it; return the copy's path."""
        info = self.info(root, rel)
        if info is None:
            raise StorageError(f"{rel}: no such item")
        copy = editing.renamed_copy(info.item, f"{info.item.name} copy")
        return self.add_item(root, info.parent_rel, copy, info.position + 1)

    def move_item(
        self, root: Path, rel: str, target_root: Path, folder_rel: str, index: int | None
    ) -> str:
        """Move an item to a folder (of the same or another collection) at `index`;
        return its new path."""
        if target_root == root:
            new_rel = editing.move_item(self.collections[root].store, rel, folder_rel, index)
            self._refresh(root)
            self.item_moved.emit(root, rel, root, new_rel)
            return new_rel
        info = self.info(root, rel)
        if info is None:
            raise StorageError(f"{rel}: no such item")
        item = editing.portable(info.item, self.collections[root].collection)
        new_rel = self.add_item(target_root, folder_rel, item, index)
        self.delete_item(root, rel)
        self.item_moved.emit(root, rel, target_root, new_rel)
        return new_rel

    def rename_collection_later(
        self, root: Path, name: str, on_done: Callable[[], None], on_error: OnError
    ) -> None:
        """`rename_collection` off the GUI thread; `on_done()` or `on_error(exception)`."""
        collection = self.collections[root].collection

        def write(store: CollectionStore) -> None:
            editing.rename_collection(store, collection, name)

        self._write_later(root, write, lambda _none: on_done(), on_error)

    def delete_item_later(
        self, root: Path, rel: str, on_done: Callable[[], None], on_error: OnError
    ) -> None:
        """`delete_item` off the GUI thread; `on_done()` or `on_error(exception)`."""
        self._write_later(
            root, lambda store: editing.delete_item(store, rel), lambda _none: on_done(), on_error
        )

    def duplicate_item_later(
        self, root: Path, rel: str, on_done: Callable[[str], None], on_error: OnError
    ) -> None:
        """`duplicate_item` off the GUI thread; `on_done(copy_rel)` or `on_error(...)`."""
        info = self.info(root, rel)
        if info is None:
            on_error(StorageError(f"{rel}: no such item"))
            return
        copy = editing.renamed_copy(info.item, f"{info.item.name} copy")
        self.add_item_later(
            root,
            info.parent_rel,
            copy,
            lambda written: on_done(written.rel),
            on_error,
            info.position + 1,
        )

    def move_item_later(
        self,
        root: Path,
        rel: str,
        target: tuple[Path, str, int | None],
        on_done: Callable[[str], None],
        on_error: OnError,
    ) -> None:
        """`move_item` off the GUI thread, to `target` (collection root, folder, index);
        `on_done(new_rel)` follows `item_moved`, or `on_error(exception)`."""
        target_root, folder_rel, index = target

        def moved(new_rel: str) -> None:
            self.item_moved.emit(root, rel, target_root, new_rel)
            on_done(new_rel)

        if target_root == root:
            write = lambda store: editing.move_item(store, rel, folder_rel, index)  # noqa: E731
            self._write_later(root, write, moved, on_error)
            return
        info = self.info(root, rel)
        if info is None:
            on_error(StorageError(f"{rel}: no such item"))
            return
        item = editing.portable(info.item, self.collections[root].collection)
        source, destination = self.collections[root].store, self.collections[target_root].store

        def job() -> tuple[editing.Written, OpenCollection, OpenCollection]:
            written = editing.add_item(destination, folder_rel, item, index)
            editing.delete_item(source, rel)
            return written, self._read(target_root), self._read(root)

        def done(result: tuple[editing.Written, OpenCollection, OpenCollection]) -> None:
            written, target_opened, source_opened = result
            self.last_moved = written.moved
            for opened in (target_opened, source_opened):
                if opened.root in self.collections:
                    self._install(opened.root, opened)
            moved(written.rel)

        self._background.run(job, done, on_error)

    def _refresh(self, root: Path) -> None:
        # Re-read after our own change: the store's view and the tree stay in step with
        # the files, including names the store chose.
        self._install(root, self._read(root))

    def _install(self, root: Path, opened: OpenCollection) -> None:
        """Show `opened`, read again after our own write (on the GUI thread)."""
        opened.store.secret_values = self._secret_map(opened.collection)
        self.collections[root] = opened
        self.wrote.emit(root)
        self.collections_changed.emit()

    def _write_now(self, root: Path, write: Write[T]) -> T:
        """Run `write` with the collection's store on this thread, then read it again."""
        result = write(self.collections[root].store)
        self._refresh(root)
        return result

    def _write_later(
        self,
        root: Path,
        write: Write[T],
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
    ) -> None:
        """Run `write` with the collection's store on the background queue, in order with
        every other write, and read the collection again there; back on the GUI thread
        the new state is shown, then `on_done(result)` runs. A failure goes to
        `on_error`, or else is announced by `write_failed`."""
        store = self.collections[root].store

        def job() -> tuple[T, OpenCollection]:
            result = write(store)
            return result, self._read(root)

        def done(pair: tuple[T, OpenCollection]) -> None:
            result, opened = pair
            if root in self.collections:  # not closed meanwhile
                self._install(root, opened)
            if on_done is not None:
                on_done(result)

        self._background.run(job, done, on_error or self._announce_failure)

    def _announce_failure(self, error: Exception) -> None:
        self.write_failed.emit(str(error))

    # ---- variables ---------------------------------------------------------------------

    # The active environment. THE RULE (docs/ARCHITECTURE.md, "One Send"): the window has
    # one active environment, an environment of one open collection, named by (collection
    # root, name), or none. What the toolbar shows is what every send uses: its variables
    # apply to every request, saved in any collection or not (a scratch tab included), as
    # Postman's active environment does; each request also sees the globals and its own
    # collection's variables (a request in no collection: the default collection's), and
    # the environment is above both. Nothing but the user changes the selection, except
    # when the environment goes away (deleted, renamed, its collection closed): then
    # `environment_notice` says what happened, for the status bar.

    def environment_names(self) -> list[str]:
        """The names of the environments of all open collections, sorted (a name two
        collections share is listed once: `environment_choices` tells them apart)."""
        names = {e.name for c in self.collections.values() for e in c.collection.environments}
        return sorted(names, key=str.lower)

    def environment_choices(self) -> list[EnvironmentChoice]:
        """Every environment of every open collection, grouped by collection (sorted by
        name, the default collection first), each in its collection's own order, with
        the words that say where it lives. For the toolbar and the command palette."""
        default = self.default_root.resolve()
        opened = sorted(
            self.collections.values(), key=lambda c: (c.root != default, c.name.lower(), c.root)
        )
        taken: dict[str, int] = {}
        for collection in opened:
            taken[collection.name] = taken.get(collection.name, 0) + 1
        choices: list[EnvironmentChoice] = []
        for collection in opened:
            # Two open collections of one name are told apart by their folders.
            where = collection.name
            if taken[collection.name] > 1:
                where = f"{collection.name} in {collection.root.parent.name}/{collection.root.name}"
            for environment in collection.collection.environments:
                choices.append(EnvironmentChoice(collection.root, environment.name, where))
        return choices

    def active_choice(self) -> EnvironmentChoice | None:
        """The active environment as the toolbar shows it, or None."""
        return next(
            (
                c
                for c in self.environment_choices()
                if c.root == self.active_environment_root and c.name == self.active_environment
            ),
            None,
        )

    def active_environment_object(self) -> Environment | None:
        """The active environment itself (secret values filled in), or None."""
        root = self.active_environment_root
        opened = self.collections.get(root) if root is not None else None
        return opened.environment(self.active_environment) if opened is not None else None

    def select_environment(self, root: Path | None, name: str) -> None:
        """Make the environment `name` of the collection at `root` the active one (the
        user's choice: the toolbar, the palette); `root` None or `name` "" for none."""
        if root is None or not name:
            root, name = None, ""
        if (root, name) != (self.active_environment_root, self.active_environment):
            self.active_environment_root = root
            self.active_environment = name
            for opened in self.collections.values():  # its secrets are guarded everywhere
                opened.store.secret_values = self._secret_map(opened.collection)
            self.active_environment_changed.emit(name)

    def set_active_environment(self, name: str, root: Path | None = None) -> None:
        """Choose the environment whose variables requests are sent with ("" for none).
        Without `root`, the environment of that name in the collection that has it (the
        active one's collection, then the default collection, then the others in the
        toolbar's order)."""
        if name and root is None:
            root = self._owner_of(name)
        self.select_environment(root, name)

    def restore_environment(self, name: str, root: Path | None) -> None:
        """Bring back the last session's choice; when it is no longer open, say so."""
        if not name:
            self.select_environment(None, "")
            return
        opened = self.collections.get(root) if root is not None else None
        if opened is None or opened.environment(name) is None:
            root = self._owner_of(name) if root is None else None
        if root is None:
            self.select_environment(None, "")
            self.environment_notice.emit(
                f"The environment “{name}” of the last session is not in any open "
                "collection: no environment is selected."
            )
            return
        self.select_environment(root, name)

    def _owner_of(self, name: str) -> Path | None:
        roots = [self.active_environment_root] if self.active_environment_root else []
        roots += [c.root for c in self.environment_choices() if c.name == name]
        for root in roots:
            opened = self.collections.get(root)
            if opened is not None and opened.environment(name) is not None:
                return root
        return None

    def _check_active(self) -> None:
        """After environments changed: an active environment that is gone (deleted, its
        collection closed or changed on disk) is no longer used, and that is said."""
        name, root = self.active_environment, self.active_environment_root
        if not name or self.active_environment_object() is not None:
            return
        opened = self.collections.get(root) if root is not None else None
        where = f" of {opened.name}" if opened is not None else ""
        why = "was removed" if opened is not None else "is in a collection no longer open"
        self.select_environment(None, "")
        self.environment_notice.emit(
            f"The environment “{name}”{where} {why}: no environment is selected now."
        )

    def scopes(self, root: Path | None) -> list[Scope]:
        """The variable scopes for a request of the collection at `root`, lowest first:
        global, its collection's variables (a request in no collection: the default
        collection's), the active environment (whichever collection it lives in: see
        the rule above), the values captured this session. Each scope is named for
        people ("collection Shop", "environment dev (Shop)"): hovers and unresolved
        variable messages name them."""
        opened = self.collections.get(root) if root is not None else None
        if opened is None:
            opened = self.collections.get(self.default_root.resolve())
        captured = self._captured.get(opened.root if opened is not None else None)
        environment = self.active_environment_object()
        owner = self.collections.get(self.active_environment_root or Path())
        home = owner.name if owner is not None and environment is not None else ""
        collection = opened.collection if opened is not None else None
        scopes = request_scopes(self.globals.variables, collection, environment, home=home)
        return with_captured(scopes, captured)

    def captured_key(self, root: Path | None) -> Path | None:
        """Whose captured values a request of `root` sees: its collection's, and a
        request in no collection shares the default collection's (as its scopes do)."""
        if root is not None and root in self.collections:
            return root
        default = self.default_root.resolve()
        return default if default in self.collections else None

    def captured(self, root: Path | None) -> Scope | None:
        """The values captured so far for requests of `root` (see `captured_key`)."""
        return self._captured.get(self.captured_key(root))

    def set_captured(
        self,
        root: Path | None,
        values: Mapping[str, str],
        secret: Iterable[str] = (),
        unset: Iterable[str] = (),
    ) -> None:
        """Keep values captured from a response to a request of `root` (or set by its
        scripts) for the next sends of this session; `captured_changed` follows."""
        key = self.captured_key(root)
        self._captured[key] = captured_scope(self._captured.get(key), values, secret, unset)
        self.captured_changed.emit()

    def forget_captured(self, root: Path | None) -> None:
        """Drop the values captured for requests of `root` in this session."""
        if self._captured.pop(self.captured_key(root), None) is not None:
            self.captured_changed.emit()

    def place(self, root: Path | None, rel: str, inherit_headers: bool = True) -> Place:
        """Where the request at (root, rel) sits, for preparing a send: its collection
        and folders when it is saved there, else only the folder its files stay in."""
        info = self.info(root, rel) if root is not None else None
        opened = self.collections.get(root) if root is not None else None
        if info is None or opened is None:
            return Place(root=root)
        return Place(opened.collection, info.folder_path, inherit_headers, root)

    def save_globals(self, variables: Iterable[Variable]) -> None:
        """Replace the global variables."""
        saved = editing.replace_globals(self.globals_path, self.secrets, self.globals, variables)
        self._globals_saved(saved)

    def save_collection_variables(self, root: Path, variables: Iterable[Variable]) -> None:
        """Replace a collection's own variables (secret values go to the secret store)."""
        opened = self.collections[root]
        editing.replace_collection_variables(
            opened.store, self.secrets, opened.collection, variables
        )
        self._refresh(root)
        self.environments_changed.emit()

    def save_environments(
        self, root: Path, environments: list[Environment], renamed: dict[str, str]
    ) -> None:
        """Make a collection's environments exactly `environments`. `renamed` maps a new
        name to the name the environment had when loaded."""
        opened = self.collections[root]
        editing.replace_environments(
            opened.store, self.secrets, opened.collection, environments, renamed
        )
        self._follow_renamed(root, renamed)
        self._refresh(root)
        self.environments_changed.emit()

    def save_globals_later(
        self, variables: Iterable[Variable], on_done: Callable[[], None], on_error: OnError
    ) -> None:
        """`save_globals` off the GUI thread; `on_done()` or `on_error(exception)` follows."""
        variables = tuple(variables)
        path, secrets, old = self.globals_path, self.secrets, self.globals

        def done(saved: Environment) -> None:
            self._globals_saved(saved)
            on_done()

        def job() -> Environment:
            return editing.replace_globals(path, secrets, old, variables)

        self._background.run(job, done, on_error)

    def _globals_saved(self, saved: Environment) -> None:
        self.globals = saved
        for opened in self.collections.values():
            opened.store.secret_values = self._secret_map(opened.collection)
        self.environments_changed.emit()

    def save_collection_variables_later(
        self,
        root: Path,
        variables: Iterable[Variable],
        on_done: Callable[[], None],
        on_error: OnError,
    ) -> None:
        """`save_collection_variables` off the GUI thread; `on_done()` or
        `on_error(exception)` follows."""
        variables, secrets = tuple(variables), self.secrets
        collection = self.collections[root].collection

        def write(store: CollectionStore) -> None:
            editing.replace_collection_variables(store, secrets, collection, variables)

        self._write_later(root, write, lambda _none: self._variables_saved(on_done), on_error)

    def save_environments_later(
        self,
        root: Path,
        environments: list[Environment],
        renamed: dict[str, str],
        on_done: Callable[[], None],
        on_error: OnError,
    ) -> None:
        """`save_environments` off the GUI thread; `on_done()` or `on_error(exception)`
        follows."""
        environments, renamed, secrets = list(environments), dict(renamed), self.secrets
        collection = self.collections[root].collection

        def write(store: CollectionStore) -> None:
            editing.replace_environments(store, secrets, collection, environments, renamed)

        def done(_none: None) -> None:
            self._follow_renamed(root, renamed)
            self._variables_saved(on_done)

        self._write_later(root, write, done, on_error)

    def _follow_renamed(self, root: Path, renamed: dict[str, str]) -> None:
        """The active environment renamed (in the Variables dialog) stays active; the
        status bar is told, since the toolbar changes."""
        old = self.active_environment
        if root == self.active_environment_root and old in renamed.values():
            new = next(n for n, o in renamed.items() if o == old)
            if new != old:
                self.select_environment(root, new)
                self.environment_notice.emit(
                    f"The active environment “{old}” is now called “{new}”: still selected."
                )

    def _variables_saved(self, on_done: Callable[[], None]) -> None:
        self.environments_changed.emit()
        on_done()

    def save_container_later(
        self,
        root: Path,
        rel: str,
        node: Collection | Folder,
        on_done: Callable[[], None],
        on_error: OnError,
        force: bool = False,
    ) -> None:
        """Write the settings of a collection itself or of its folder at `rel` off the
        GUI thread; `on_done()` or `on_error(exception)` (a `ConflictError` when the file
        changed on disk and `force` is off) follows."""

        def write(store: CollectionStore) -> None:
            editing.save_container(store, rel, node, force)

        def done(_none: None) -> None:
            self.collection_reloaded.emit(root)  # tabs re-describe what they inherit
            self._variables_saved(on_done)

        self._write_later(root, write, done, on_error)

    def run_later(
        self, work: Callable[[], T], on_done: Callable[[T], None], on_error: OnError
    ) -> None:
        """Run another small write of the window's (e.g. remembering approved files) on
        the same queue, in order with the collection writes."""
        self._background.run(work, on_done, on_error)

    def _open_history(self) -> History:
        """The history database; one that cannot be read is set aside, never lost."""
        keep = bool(self.settings.value("history/keep_sensitive", False, type=bool))
        history, problem = open_history(self.data_dir / "history.sqlite3", keep)
        if problem:
            self.start_problems.append(problem)
        return history

    def _load_globals(self) -> Environment:
        variables, problem = load_global_variables(self.globals_path, self.secrets)
        if problem:
            self.start_problems.append(f"Global variables not loaded: {problem}")
        return variables

    # ---- history -----------------------------------------------------------------------

    def record(
        self, request: Request | None, response: Response, secrets: Iterable[str] = ()
    ) -> int:
        """Store one exchange in the history, on this thread (imports, tests)."""
        entry = record_exchange(self.history, response, request, secrets)
        self._after_add()
        return entry

    def record_failure(
        self,
        request: Request,
        message: str,
        secrets: Iterable[str] = (),
        sent: Request | None = None,
    ) -> int:
        """Store a request that got no response (`request` as written, `sent` resolved)."""
        entry = record_failure(self.history, request, message, secrets, sent)
        self._after_add()
        return entry

    def record_in_background(
        self,
        request: Request | None,
        response: Response,
        secrets: Iterable[str] = (),
        on_error: OnError | None = None,
    ) -> None:
        """Store one exchange without making the window wait; `history_changed` follows."""
        secrets = tuple(secrets)
        history = self.history
        self._store(lambda: record_exchange(history, response, request, secrets), on_error)

    def record_failure_in_background(
        self,
        request: Request,
        message: str,
        secrets: Iterable[str] = (),
        on_error: OnError | None = None,
        sent: Request | None = None,
    ) -> None:
        """Store a request that got no response, in order with the exchanges."""
        secrets = tuple(secrets)
        history = self.history
        self._store(lambda: record_failure(history, request, message, secrets, sent), on_error)

    def record_send(
        self,
        prepared: PreparedSend,
        response: Response,
        on_error: OnError | None = None,
        on_done: Callable[[int], None] | None = None,
    ) -> None:
        """Store the exchange of a prepared send off the GUI thread (the request as
        written, its sensitive values redacted); `history_changed` follows, and
        `on_done(entry id)`."""
        history = self.history
        self._store(lambda: record_sent(history, prepared, response), on_error, on_done)

    def record_failed_send(
        self,
        prepared: PreparedSend,
        message: str,
        on_error: OnError | None = None,
        on_done: Callable[[int], None] | None = None,
    ) -> None:
        """Store a prepared send that got no response, in order with the exchanges."""
        history = self.history
        self._store(lambda: record_unsent(history, prepared, message), on_error, on_done)

    def write_history_in_background(
        self, write: Callable[[History], int], on_error: OnError | None = None
    ) -> None:
        """Run `write(history)`, an application use case that stores exchanges (a HAR
        import), on the history queue in order with the sends; `history_changed` follows."""
        self._store(lambda: write(self.history), on_error)

    def _store(
        self,
        write: Callable[[], int],
        on_error: OnError | None,
        on_done: Callable[[int], None] | None = None,
    ) -> None:
        def stored(entry: int) -> None:
            self._after_add()
            if on_done is not None and not self._closed:
                on_done(entry)

        self._background.run(write, stored, on_error)

    def finish_history_writes(self) -> None:
        """Complete every queued write, exchanges and collection files (at quit), and
        hand out their results now, while the window still exists."""
        self.finish_writes()

    def finish_writes(self, msecs: int = 10_000) -> bool:
        """Complete every queued write and deliver its result before returning (at
        close: a save issued just before is on disk). False if time ran out."""
        return self._background.finish(msecs)

    def _after_add(self) -> None:
        if self._closed:  # stored during close(); nobody is looking any more
            return
        self._adds_since_prune += 1
        if self._adds_since_prune >= PRUNE_EVERY:
            self._adds_since_prune = 0
            entries, days = self.history_limits()
            self.change_history_later(lambda h: prune_history(h, entries, days))
        self.history_changed.emit()

    def change_history_later(
        self,
        change: Callable[[History], T],
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
    ) -> None:
        """Run `change(history)` (deleting, clearing, pruning entries) on the queue, in
        order with the exchanges being stored; `history_changed` follows, then
        `on_done(result)`. A failure goes to `on_error`, or else `write_failed`."""
        history = self.history

        def done(result: T) -> None:
            if self._closed:
                return
            self.history_changed.emit()
            if on_done is not None:
                on_done(result)

        self._background.run(lambda: change(history), done, on_error or self._announce_failure)

    def history_limits(self) -> tuple[int, int]:
        """(max entries, max age in days) from the preferences; 0 means no limit."""
        entries = self.settings.value("history/max_entries", 5000, type=int)
        days = self.settings.value("history/max_age_days", 90, type=int)
        return _as_int(entries, 5000), _as_int(days, 90)

    def set_history_preferences(self, max_entries: int, max_age_days: int, keep: bool) -> None:
        """Store the history preferences and apply them: the prune is queued (in order
        with the exchanges being stored), `history_changed` follows it."""
        self.settings.setValue("history/max_entries", max_entries)
        self.settings.setValue("history/max_age_days", max_age_days)
        self.settings.setValue("history/keep_sensitive", keep)
        self.history.keep_sensitive = keep
        self._adds_since_prune = 0
        entries, days = self.history_limits()
        self.change_history_later(lambda history: prune_history(history, entries, days))

    def prune_history(self) -> int:
        """Apply the size and age limits on this thread (at start-up); return how many
        entries were removed."""
        self._adds_since_prune = 0
        entries, days = self.history_limits()
        return prune_history(self.history, entries, days)

    def close(self) -> None:
        """Release the history database, once what is being stored is stored; the
        cookie jar is written if a change is not on disk yet."""
        self.finish_history_writes()
        self.cookies.save_if_changed()
        self._closed = True
        self.history.close()


def _as_int(value: object, default: int) -> int:
    """A preference read as a number (QSettings answers `object`)."""
    return value if isinstance(value, int) else default


_SCRATCH = "Requests saved without choosing a collection land here."
