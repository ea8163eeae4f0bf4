"""Loading a workspace: a collection folder with its secret values, and the globals.

Secret values live in the local secret store, never in the collection files; both the
window and `run` read a collection through `open_collection`, so they see the same
variables, environments, folders and inherited settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer.core.collection import Collection, Environment
from explorer.core.storage.collection_files import CollectionStore
from explorer.core.storage.collection_load import LoadResult
from explorer.core.storage.errors import FileFormatError, StorageError
from explorer.core.storage.global_variables import GLOBALS_NAME, load_globals
from explorer.core.storage.secrets import SecretStore


@dataclass(frozen=True)
class LoadedCollection:
    """A collection folder as read now: its store, what the files held, and the
    collection with the secret values filled in from the secret store."""

    store: CollectionStore
    result: LoadResult
    collection: Collection
    secrets_problem: str = ""  # why the secret values are missing ("" when they are not)

    @property
    def key(self) -> str:
        """The collection's key in the secret store."""
        return self.result.collection_key


def open_collection(root: Path, secrets: SecretStore) -> LoadedCollection:
    """Read the collection folder at `root` and fill in its secret values.

    Files that cannot be read are listed in `result.problems`; a secret store that
    cannot be read leaves the secrets empty and says why in `secrets_problem`. Raises
    `StorageError`/`OSError` when the folder itself cannot be read.
    """
    store = CollectionStore(root, secrets=secrets)
    result = store.load()
    try:
        collection = secrets.fill(result.collection_key, result.collection)
    except FileFormatError as error:
        return LoadedCollection(store, result, result.collection, str(error))
    return LoadedCollection(store, result, collection)


def load_global_variables(path: Path, secrets: SecretStore) -> tuple[Environment, str]:
    """The global variables (secret values filled in) and "" — or none and why not."""
    try:
        return load_globals(path, secrets), ""
    except (StorageError, ValueError) as error:
        return Environment(GLOBALS_NAME), str(error)
