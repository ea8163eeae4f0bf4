"""Local files a request names, and keeping a collection's requests to its own folder.

A request can name files on this computer: a binary body, multipart file parts, a CA
bundle and a client certificate and key. A collection that was imported or cloned was
written by someone else, so the files it names are not necessarily the user's choice:
`curl --data-binary @/etc/passwd` imported as a request would upload that file on the
next run. Therefore, for a request of a collection:

- a relative path is taken inside the collection folder (the folder that holds
  collection.yaml), never the process's working directory;
- a file whose real path (symbolic links resolved) is outside that folder is sent only
  after the user approved it: `--allow-files` on the command line, a confirmation in
  the window, which `FileApprovals` remembers per collection, outside its files.

A request in a scratch tab (in no collection) is not confined: there the files are the
ones the user picked. Everything here is pure Python, shared by the window and `run`.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from explorer.core.atomic import write_text_atomic
from explorer.core.model import BodyKind, Request

APPROVALS_FILE_MODE = 0o600


def _absolute(path_text: str, root: Path) -> str:
    """`path_text` with `~` expanded and, when relative, taken inside `root`."""
    if not path_text:
        return path_text
    path = Path(path_text).expanduser()
    return str(path if path.is_absolute() else Path(root) / path)


def resolve_request_files(request: Request, root: str | os.PathLike[str]) -> Request:
    """`request` with every file path it names made absolute, relative ones inside `root`.

    Call it on the request as it will be sent (variables already resolved), since a
    variable can hold a path.
    """
    body, options = request.body, request.options
    named = (body.file, options.ca_bundle, options.client_cert, options.client_key)
    if not any(named) and not any(p.file for p in body.parts):
        return request  # no file named: nothing to rebuild (a run prepares every request)
    root = Path(root)
    parts = tuple(replace(p, file=_absolute(p.file, root)) if p.file else p for p in body.parts)
    return request.with_changes(
        body=replace(body, file=_absolute(body.file, root), parts=parts),
        options=replace(
            options,
            ca_bundle=_absolute(options.ca_bundle, root),
            client_cert=_absolute(options.client_cert, root),
            client_key=_absolute(options.client_key, root),
        ),
    )


def files_used(request: Request) -> list[str]:
    """The paths of the local files that sending `request` would read, in order, once.

    Only what goes out counts: the body file of a binary body, the enabled file parts of
    a multipart body, the CA bundle when TLS is verified, the client certificate and key.
    """
    body, options = request.body, request.options
    found: list[str] = []
    if body.kind == BodyKind.BINARY:
        found.append(body.file)
    if body.kind == BodyKind.MULTIPART:
        found += [p.file for p in body.parts if p.enabled and p.name and p.is_file]
    if options.verify_tls:
        found.append(options.ca_bundle)
    if options.client_cert:
        found += [options.client_cert, options.client_key]
    return list(dict.fromkeys(path for path in found if path))


def real_path(path: str | os.PathLike[str]) -> Path:
    """The path with every symbolic link resolved (a loop stays as far as it resolves)."""
    return Path(os.path.realpath(Path(path).expanduser()))


def is_inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether the real path of `path` is `root`'s real path or lies under it."""
    real, real_root = real_path(path), real_path(root)
    return real == real_root or real_root in real.parents


def files_outside(request: Request, root: str | os.PathLike[str]) -> list[Path]:
    """The real paths of the files `request` would read that lie outside the collection
    folder `root`. Pass the request through `resolve_request_files` first."""
    outside: list[Path] = []
    for path_text in files_used(request):
        path = Path(_absolute(path_text, Path(root)))
        if not is_inside(path, root):
            outside.append(real_path(path))
    return list(dict.fromkeys(outside))


def outside_message(paths: list[Path], collection: str) -> str:
    """The one-line refusal the command line prints for files outside the collection."""
    named = ", ".join(str(p) for p in paths)
    verb = "is" if len(paths) == 1 else "are"
    return (
        f"{named} {verb} outside the collection {collection!r}: not sent "
        "(pass --allow-files to send files from outside the collection folder)"
    )


class FileApprovals:
    """Outside files the user allowed a collection's requests to send, remembered in a
    JSON file in the app's data directory (mode 0600), never in the collection itself,
    so a collection cannot approve its own files.

    Approvals are keyed by the collection folder's real path and list real file paths:
    another copy of the collection, or another file, is asked about again.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def approved(self, root: str | os.PathLike[str]) -> set[Path]:
        """The files approved for the collection at `root`."""
        listed = self._read().get(str(real_path(root)), [])
        return {Path(p) for p in listed if isinstance(p, str)}

    def approve(self, root: str | os.PathLike[str], files: list[Path]) -> None:
        """Remember that the collection at `root` may send `files` (real paths)."""
        data = self._read()
        key = str(real_path(root))
        known = [p for p in data.get(key, []) if isinstance(p, str)]
        data[key] = sorted({*known, *(str(f) for f in files)})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        document = {"version": 1, "collections": data}
        write_text_atomic(self.path, json.dumps(document, indent=1), mode=APPROVALS_FILE_MODE)

    def _read(self) -> dict[str, list[Any]]:  # JSON as read: checked where used
        # A missing or damaged file approves nothing: the user is asked again.
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        collections = document.get("collections") if isinstance(document, dict) else None
        if not isinstance(collections, dict):
            return {}
        return {str(k): v for k, v in collections.items() if isinstance(v, list)}
