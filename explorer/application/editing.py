"""Changing a collection on disk: requests and folders, variables, environments, globals.

Each function writes through the collection's store (`explorer.core.storage`), which
writes atomically under the collection lock and moves credentials out of the files into
secret variables; the secret values go to the local secret store, and a secret that is
no longer declared is forgotten there. The window's `Workspace` calls these and then
re-reads the collection and tells the widgets; nothing here knows about widgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Request
from explorer.core.resolve.credentials import MovedCredential, with_secret_values
from explorer.core.storage.collection_files import CollectionStore, save_collection
from explorer.core.storage.global_variables import GLOBAL_KEY, GLOBALS_NAME, save_globals
from explorer.core.storage.secrets import SecretStore

Item = Folder | RequestItem


@dataclass(frozen=True)
class Written:
    """Where an item now is, and which credentials its write moved into secret variables."""

    rel: str
    moved: tuple[MovedCredential, ...] = ()


def create_collection(root: Path, name: str, description: str = "") -> bool:
    """Make a collection in the folder `root` (empty or missing) unless it holds one
    already; True when it was made."""
    if (root / "collection.yaml").exists():
        return False
    save_collection(Collection(name, description=description), root)
    return True


def add_item(
    store: CollectionStore, folder_rel: str, item: Item, index: int | None = None
) -> Written:
    """Create a request or folder in the folder `folder_rel` of a collection."""
    rel = store.add_item(folder_rel, item, index)
    return Written(rel, store.moved)


def save_request(
    store: CollectionStore, rel: str, item: RequestItem, renamed: bool, force: bool = False
) -> Written:
    """Write a request into its file; a `renamed` request's file is renamed to match
    (its path changes with its name)."""
    store.save_request(rel, item, force=force)
    moved = store.moved
    new_rel = store.rename_item(rel, item.request.name, force=force) if renamed else rel
    return Written(new_rel, moved)


def renamed_copy(item: Item, name: str) -> Item:
    """`item` called `name` (a request or a folder)."""
    if isinstance(item, RequestItem):
        return replace(item, request=item.request.with_changes(name=name))
    return replace(item, name=name)


def portable(item: Item, source: Collection) -> Item:
    """`item` of `source` ready to go into another collection: its credentials are
    secret variables of `source`, so it takes their values, which the other store moves
    into secret variables of its own."""
    secrets = {v.name: v.value for v in source.variables if v.secret and v.value}
    return with_secret_values(item, secrets)


def rename_collection(store: CollectionStore, collection: Collection, name: str) -> None:
    """Give a collection a new name (its folder keeps its name)."""
    store.save_settings(replace(collection, name=name))


def forget_secrets(
    secrets: SecretStore, key: str, scope: str, old: Iterable[Variable], new: Iterable[Variable]
) -> None:
    """Remove from the secret store the secrets of `old` that `new` no longer declares:
    a secret that is gone (or no longer secret) must not linger there."""
    still = {v.name for v in new if v.secret}
    for variable in old:
        if variable.secret and variable.name not in still:
            secrets.delete(key, scope, variable.name)


def replace_globals(
    path: Path, secrets: SecretStore, old: Environment, variables: Iterable[Variable]
) -> Environment:
    """Make the global variables exactly `variables`; return them."""
    environment = Environment(GLOBALS_NAME, tuple(variables))
    forget_secrets(secrets, GLOBAL_KEY, "", old.variables, environment.variables)
    save_globals(path, environment, secrets)
    return environment


def replace_collection_variables(
    store: CollectionStore,
    secrets: SecretStore,
    collection: Collection,
    variables: Iterable[Variable],
) -> None:
    """Make a collection's own variables exactly `variables` (secret values go to the
    secret store, never to the file)."""
    updated = replace(collection, variables=tuple(variables), environments=())
    key = store.collection_key
    forget_secrets(secrets, key, "", collection.variables, updated.variables)
    secrets.keep(key, updated)
    store.save_settings(updated)


def replace_environments(
    store: CollectionStore,
    secrets: SecretStore,
    collection: Collection,
    environments: list[Environment],
    renamed: dict[str, str],
) -> None:
    """Make a collection's environments exactly `environments`. `renamed` maps a new
    name to the name the environment had when loaded."""
    key = store.collection_key
    before = {e.name: e for e in collection.environments}
    kept_old = {renamed.get(e.name, e.name) for e in environments}
    for name, old in before.items():
        if name not in kept_old:
            store.delete_environment(name)
            forget_secrets(secrets, key, name, old.variables, ())
    for environment in environments:
        old_name = renamed.get(environment.name, environment.name)
        previous = before.get(old_name)
        if previous == environment:
            continue
        old_vars = previous.variables if previous is not None else ()
        forget_secrets(secrets, key, old_name, old_vars, ())
        secrets.keep(key, Collection("", environments=(environment,)))
        store.secret_values.update(
            {v.name: v.value for v in environment.variables if v.secret and v.value}
        )
        store.save_environment(environment, old_name if previous is not None else None)


def rename_item(store: CollectionStore, rel: str, name: str) -> str:
    """Rename an item and its file; return its new path."""
    return store.rename_item(rel, name)


def delete_item(store: CollectionStore, rel: str) -> None:
    """Delete a request file, or a folder with everything in it."""
    store.delete_item(rel)


def move_item(store: CollectionStore, rel: str, folder_rel: str, index: int | None) -> str:
    """Move an item to another folder of the same collection, at `index`; return its
    new path."""
    return store.move_item(rel, folder_rel, index)


def save_container(
    store: CollectionStore, rel: str, node: Collection | Folder, force: bool = False
) -> None:
    """Write the settings (description, auth, headers, variables) of the collection
    itself, or of the folder at `rel`."""
    if isinstance(node, Collection):
        store.save_settings(node, force=force)
    else:
        store.save_folder(rel, node, force=force)


def merge_edit(original: Request, shown: Request, edited: Request) -> Request:
    """`edited`, except that fields the user left as the editor showed them keep their
    loaded value (the editor may not be able to show them)."""
    changes = {
        f.name: getattr(original, f.name)
        for f in fields(Request)
        if getattr(edited, f.name) == getattr(shown, f.name)
    }
    return replace(edited, **changes)
