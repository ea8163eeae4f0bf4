"""Writing an import as a new collection folder, all or nothing.

The collection is written into a hidden folder beside the destination, which is renamed
to the destination once every file is written. A failure half-way (a full disk, a value
the store refuses) removes the hidden folder, so no half-imported collection is left.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.atomic import one_sync_at_the_end
from explorer.core.collection import Collection, Variable

if TYPE_CHECKING:
    from explorer.core.resolve.credentials import MovedCredential
    from explorer.core.storage.collection_files import CollectionStore
    from explorer.core.storage.secrets import SecretStore

STAGING_MARKER = ".importing-"


def write_new_collection(
    collection: Collection,
    folder: Path,
    secrets: SecretStore | None = None,
    files: Sequence[tuple[str, bytes]] = (),
) -> tuple[MovedCredential, ...]:
    """Write `collection` as the folder `folder`, which must not exist or be empty;
    return the credentials the store moved into `secrets` (see CollectionStore).
    `files` (relative path, bytes; see ImportResult.files) are written inside it too.

    Raises StorageError or OSError; then nothing is left behind.
    """
    from explorer.core.storage.collection_files import CollectionStore

    staging = folder.parent / f".{folder.name}{STAGING_MARKER}{os.getpid()}"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)  # left by a killed import of this pid
        store = CollectionStore(staging, secrets=secrets, fresh=True)
        with one_sync_at_the_end():  # nothing reads the hidden folder before the rename
            store.save(collection)
            _keep_secret_values(store, collection)
            for relative, data in files:
                _write_beside(staging, relative, data)
        staging.rename(folder)  # replaces an empty folder, as POSIX rename does
        _fsync_directory(folder.parent)  # the rename itself survives a power cut
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return store.moved


def _keep_secret_values(store: CollectionStore, collection: Collection) -> None:
    """The values an import brought for its secret variables (a JetBrains private env
    file, Postman's secret type) into the secret store: the files hold them empty."""
    from dataclasses import replace

    def valued(variables: tuple[Variable, ...]) -> tuple[Variable, ...]:
        return tuple(v for v in variables if v.secret and v.value)

    kept = Collection(
        "",
        variables=valued(collection.variables),
        environments=tuple(
            replace(env, variables=valued(env.variables)) for env in collection.environments
        ),
    )
    if kept.variables or any(env.variables for env in kept.environments):
        store.secret_store().keep(store.collection_key, kept)


def _write_beside(staging: Path, relative: str, data: bytes) -> None:
    """One of an import's own files, inside the collection folder and never a request
    file (a name the folder would read as one is refused)."""
    from pathlib import PurePosixPath

    from explorer.core.atomic import write_bytes_atomic
    from explorer.core.storage.errors import StorageError
    from explorer.core.storage.layout import REQUEST_SUFFIXES

    path = PurePosixPath(relative)
    if (
        path.is_absolute()
        or not path.parts
        or any(part in ("", ".", "..") or part.startswith(".") for part in path.parts)
        or path.suffix.lower() in REQUEST_SUFFIXES
    ):
        raise StorageError(f"An import file may not be written as {relative!r}")
    target = staging.joinpath(*path.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(target, data)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
