"""The practice server's own collection: its /openapi.json as a "Sample API" collection.

When the app starts the practice server it fetches the server's OpenAPI document and
calls `install_sample_collection`, so every lesson's requests are one click away and
point at the server that is actually running (whose port changes from run to run).
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from explorer.core.atomic import one_sync_at_the_end, write_bytes_atomic, write_text_atomic
from explorer.core.collection import Collection, Environment, Variable
from explorer.core.formats.openapi import import_openapi
from explorer.core.storage.collection_files import CollectionStore
from explorer.core.storage.collection_load import meta_digest
from explorer.core.storage.errors import FileFormatError
from explorer.core.storage.layout import COLLECTION_FILE, FOLDER_FILE, LOCK_FILE, digest, split
from explorer.core.storage.lock import FileLock
from explorer.core.storage.secrets import SecretStore
from explorer.core.storage.yaml_io import dump_yaml, parse_yaml

COLLECTION_NAME = "Sample API"
ENVIRONMENT_NAME = "Sample server"
BASE_URL = "base_url"


def sample_collection(openapi_text: str, base_url: str) -> Collection:
    """The "Sample API" collection built from the practice server's OpenAPI document.

    Requests are grouped in one folder per lesson tag and address `{{base_url}}`; the
    collection's `base_url` variable and its single environment, "Sample server", both
    hold `base_url` (the running server), replacing the servers listed in the document.
    The requests carry the checks of `explorer.core.sample_checks` (a login whose token
    the next requests use, created ids reused), so running the collection against a
    fresh practice server passes. Raises `FormatError` when the document cannot be read.
    """
    return _sample(openapi_text, base_url)[0]


def _sample(openapi_text: str, base_url: str) -> tuple[Collection, dict[str, bytes]]:
    """The collection, and the files written beside it (the OpenAPI document its
    `openapi` assertions validate against)."""
    from explorer.core.graphql.interchange import json_bodies_as_graphql
    from explorer.core.sample_checks import with_sample_checks

    imported = import_openapi(openapi_text)
    # /graphql's example is JSON in the document; in the collection it is a GraphQL body.
    collection = json_bodies_as_graphql(with_sample_checks(imported.collection))
    base_url = base_url.rstrip("/")
    variables = tuple(
        dataclasses.replace(variable, value=base_url) if variable.name == BASE_URL else variable
        for variable in collection.variables
    )
    if not any(variable.name == BASE_URL for variable in variables):
        variables = (Variable(BASE_URL, base_url), *variables)
    environment = Environment(ENVIRONMENT_NAME, (Variable(BASE_URL, base_url),))
    collection = dataclasses.replace(
        collection, name=COLLECTION_NAME, variables=variables, environments=(environment,)
    )
    return collection, dict(imported.files)


def install_sample_collection(openapi_text: str, base_url: str, folder: Path) -> Path:
    """Write the sample collection into `folder` (created, or refreshed in place); return it.

    A refresh merges around the user's files: the app updates or removes only files it
    wrote itself and that are still as it wrote them (the manifest `.sample-manifest.json`
    in the folder keeps a hash of each). A file the user added, changed or deleted stays
    as the user left it, and the user's requests keep their place in the folder order.
    Everything runs under the collection lock, each file written atomically.
    Raises `FormatError` for a bad document (before anything is written) and
    `StorageError`/`OSError` when writing fails.
    """
    folder = Path(folder)
    collection, files = _sample(openapi_text, base_url)
    wanted = {**_render(collection), **files}
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / LOCK_FILE).held():
        _Merge(folder, wanted, base_url.rstrip("/")).run()
    return folder


MANIFEST = ".sample-manifest.json"


def _render(collection: Collection) -> dict[str, bytes]:
    """The files (relative path -> bytes) a save of `collection` into an empty folder
    writes: the storage layer decides names, order and format, as for any collection."""
    with tempfile.TemporaryDirectory(prefix="explorer-sample-") as scratch:
        root = Path(scratch) / "render"
        # The document holds no credentials; should one ever appear, its value stays in
        # this scratch store instead of reaching the user's under a throwaway key.
        store = CollectionStore(root, secrets=SecretStore(Path(scratch) / "secrets.json"))
        root.mkdir()
        store.load()
        with one_sync_at_the_end():  # a scratch copy: no fsync per file
            store.save(collection)
        return {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*.yaml"))
        }


def _is_meta(rel: str) -> bool:
    return rel == COLLECTION_FILE or split(rel)[1] == FOLDER_FILE


def _hash(rel: str, data: bytes) -> str:
    """A settings file is compared without its `order` (adding a request changes only
    that); a request or environment file byte for byte."""
    if not _is_meta(rel):
        return digest(data)
    try:
        return meta_digest(parse_yaml(data, Path(rel)))
    except FileFormatError:
        return digest(data)


class _Merge:
    """One refresh of the sample folder (see `install_sample_collection`)."""

    def __init__(self, folder: Path, wanted: dict[str, bytes], base_url: str) -> None:
        self.folder = folder
        self.wanted = wanted
        self.base_url = base_url
        self.manifest = self._read_manifest()
        # A folder written before the manifest existed: a file still equal to what the
        # app would write (up to the old base URL) is taken as the app's own.
        self.legacy = self.manifest is None and (folder / COLLECTION_FILE).is_file()
        self.old_base = self._old_base_url() if self.legacy else self._manifest_base_url()
        self.owned: dict[str, str] = {}

    def run(self) -> None:
        self._remove_stale()
        for rel, data in self.wanted.items():
            self._install(rel, data)
        manifest = {"version": 1, "base_url": self.base_url, "files": self.owned}
        text = json.dumps(manifest, indent=2, sort_keys=True)
        write_text_atomic(self.folder / MANIFEST, text + "\n")

    def _install(self, rel: str, data: bytes) -> None:
        path = self.folder / rel
        current = _read(path)
        if current is None:
            if self.manifest and rel in self.manifest:
                return  # written before and deleted by the user since: stays deleted
        elif not self._is_ours(rel, current, data):
            # The user's file (added or changed by them) is left as it is, except that a
            # base_url the app wrote follows the server to its new port.
            self._follow_server(rel, path, current)
            return
        if _is_meta(rel):
            data = self._merged_meta(rel, current, data)
        if current != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(path, data)
        self.owned[rel] = _hash(rel, data)

    def _is_ours(self, rel: str, current: bytes, data: bytes) -> bool:
        if self.manifest is not None:
            return self.manifest.get(rel) == _hash(rel, current)
        if not self.legacy:
            return False
        if self.old_base:
            current = current.replace(self.old_base.encode(), self.base_url.encode())
        return _hash(rel, current) == _hash(rel, self._merged_meta(rel, current, data))

    def _merged_meta(self, rel: str, current: bytes | None, data: bytes) -> bytes:
        """`data` keeping the collection's id and the user's entries in the order."""
        if not _is_meta(rel):
            return data
        new = parse_yaml(data, self.folder / rel)
        old = _parse(current, self.folder / rel) if current is not None else {}
        if rel == COLLECTION_FILE and isinstance(old.get("id"), str):
            new["id"] = old["id"]  # the key of the collection's secrets must not change
        listed = order if isinstance(order := old.get("order"), list) else []
        directory = self.folder / split(rel)[0]
        kept = [str(e) for e in listed if str(e) not in new["order"]]
        kept = [e for e in kept if (directory / e).exists()]
        new["order"] = _merged_order([str(e) for e in listed], new["order"], set(kept))
        return dump_yaml(new).encode()

    def _remove_stale(self) -> None:
        """Delete files the app wrote before, no longer wanted and unchanged since."""
        stale = []
        for rel, known in (self.manifest or {}).items():
            current = _read(self.folder / rel)
            if rel not in self.wanted and current is not None and _hash(rel, current) == known:
                stale.append(rel)
        # Request files first; a folder's settings go only with the last of its files.
        for rel in sorted(stale, key=lambda r: (r.count("/"), not _is_meta(r)), reverse=True):
            path = self.folder / rel
            if _is_meta(rel) and any(p != path for p in path.parent.iterdir()):
                continue
            path.unlink()
            if rel != COLLECTION_FILE and not any(path.parent.iterdir()):
                path.parent.rmdir()

    def _follow_server(self, rel: str, path: Path, current: bytes) -> None:
        """In the user's version of the collection or environment settings, replace the
        base URL the app wrote last by the new one; a base_url the user set stays."""
        old, new = self.old_base, self.base_url
        if not old or old == new or not (rel == COLLECTION_FILE or rel.startswith("environments/")):
            return
        variables = _parse(current, path).get("variables") or []
        if not any(
            isinstance(v, dict) and v.get("name") == BASE_URL and v.get("value") == old
            for v in variables
        ):
            return
        exact = re.compile(re.escape(old.encode()) + rb"(?![0-9A-Za-z])")
        write_bytes_atomic(path, exact.sub(lambda _match: new.encode(), current))

    def _manifest_base_url(self) -> str:
        try:
            value = json.loads(_read(self.folder / MANIFEST) or b"{}").get("base_url")
        except (ValueError, AttributeError):
            return ""
        return value if isinstance(value, str) else ""

    def _read_manifest(self) -> dict[str, str] | None:
        raw = _read(self.folder / MANIFEST)
        if raw is None:
            return None
        try:
            files = json.loads(raw).get("files")
        except (ValueError, AttributeError):
            files = None
        if not isinstance(files, dict):
            return {}  # unreadable: own nothing, so nothing of the user's is touched
        return {str(k): str(v) for k, v in files.items()}

    def _old_base_url(self) -> str:
        data = _parse(_read(self.folder / COLLECTION_FILE), self.folder / COLLECTION_FILE)
        for variable in data.get("variables") or []:
            if isinstance(variable, dict) and variable.get("name") == BASE_URL:
                return str(variable.get("value") or "")
        return ""


def _merged_order(old: list[str], new: list[str], kept: set[str]) -> list[str]:
    """`new`, with each entry of `kept` put back after the entry it followed in `old`."""
    result = list(new)
    previous: str | None = None
    for entry in old:
        if entry in kept and entry not in result:
            result.insert(result.index(previous) + 1 if previous in result else 0, entry)
        previous = entry
    return result


def _read(path: Path) -> bytes | None:
    """The bytes of `path`; None when there is no such file. A file that cannot be read
    gives bytes that match no hash, so it counts as the user's and is left alone."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    except OSError:
        return _UNREADABLE


_UNREADABLE = b"\0 unreadable \0"


def _parse(raw: bytes | None, path: Path) -> dict[str, Any]:
    if raw is None:
        return {}
    try:
        data = parse_yaml(raw, path)
    except FileFormatError:
        return {}
    return data if isinstance(data, dict) else {}
