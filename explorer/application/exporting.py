"""Exporting: a collection as another tool's file, and the history as a HAR archive.

Both front ends write through here: the window's export dialog and History ▸ Export as
HAR, and `export --to TARGET` on the command line. An export is a main file and the
files that go beside it (a Postman collection's environments), or, for a folder format,
a folder of files (`CollectionExport`). Every file is written atomically, and no export
holds a secret value (the exporters write secret variables empty; the history keeps
none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from explorer.application.formats import COLLECTION_FORMATS
from explorer.core.atomic import write_text_atomic

if TYPE_CHECKING:
    from explorer.core.collection import Collection
    from explorer.core.formats.har import HarEntry
    from explorer.core.storage.history import History

HAR_EXPORT_LIMIT = 5000  # newest exchanges; a HAR viewer chokes on more


@dataclass(frozen=True)
class ExportedFile:
    """A file an export writes beside its main file, or, for a folder format, inside the
    folder chosen.

    `name` is a relative POSIX path. Beside a main file, "{stem}" in it stands for the
    main file's name without the format's suffix (`shop.postman_collection.json` ->
    `shop`), so `{stem}.Production.postman_environment.json` belongs to that export and
    is replaced with it; a name without "{stem}" (`http-client.env.json`, a file other
    tools share) is written only where no different file of that name exists.
    """

    name: str
    text: str


@dataclass(frozen=True)
class CollectionExport:
    """What an export writes: the main file's text ('' for a folder format), the files
    beside it (or in the folder), and the report of what the format could not carry."""

    text: str
    report: tuple[str, ...] = ()
    files: tuple[ExportedFile, ...] = ()


def collection_text(collection: Collection, format: str) -> str:
    """`collection` as the text of `format`'s main file (a key of COLLECTION_FORMATS)."""
    return collection_export(collection, format).text


# The formats whose files have a GraphQL body of their own.
GRAPHQL_FORMATS = frozenset({"postman", "http", "bruno"})


def collection_export(collection: Collection, format: str) -> CollectionExport:
    """`collection` in `format`: the main text, the files that go with it, and the
    export report (what the format could not carry: assertions or captures without a
    Postman form, Python scripts…), one sentence each."""
    from explorer.core.graphql.interchange import graphql_for_export

    # GraphQL as the format can say it, the same request either way (see the function).
    collection, notes = graphql_for_export(collection, native=format in GRAPHQL_FORMATS)
    notes = [*notes, *_websockets_left_as_requests(collection, format)]
    export = _collection_export(collection, format)
    if not notes:
        return export
    return CollectionExport(export.text, (*export.report, *notes), export.files)


# Formats whose files have no WebSocket request (Postman's exporter says so itself; .http
# files carry httpyac's `WS url`).
_NO_WEBSOCKET = {"hurl": "a Hurl file", "bruno": "a Bruno collection"}


def _websockets_left_as_requests(collection: Collection, format: str) -> tuple[str, ...]:
    from explorer.core.collection import walk_requests
    from explorer.core.model import is_websocket

    where = _NO_WEBSOCKET.get(format)
    count = sum(is_websocket(item.request) for _path, item in walk_requests(collection))
    if where is None or not count:
        return ()
    return (
        f"WebSocket requests ({count}) have no place in {where}: they were written as "
        "requests with method WS and their saved messages were left out.",
    )


def _collection_export(collection: Collection, format: str) -> CollectionExport:
    if format == "postman":
        from explorer.core.formats import postman_export

        text, report = postman_export.export_postman_report(collection)
        names = postman_export.environment_file_names(collection.environments)
        environments = tuple(
            ExportedFile(
                f"{{stem}}.{name}.postman_environment.json",
                postman_export.export_postman_environment(environment, collection.name),
            )
            for name, environment in zip(names, collection.environments, strict=True)
        )
        return CollectionExport(text, report, environments)
    if format == "http":
        from explorer.core.dothttp.exporter import export_http_files

        http = export_http_files(collection)
        beside = tuple(ExportedFile(name, text) for name, text in http.files)
        return CollectionExport(http.text, http.losses, beside)
    if format == "hurl":
        from explorer.core.hurl.exporter import export_hurl

        return CollectionExport(export_hurl(collection))
    if format == "bruno":
        from explorer.core.bruno.exporter import export_bruno

        files, report = export_bruno(collection)
        return CollectionExport("", report, tuple(ExportedFile(n, t) for n, t in files))
    raise ValueError(
        f"Unknown export format {format!r}; choose from {', '.join(COLLECTION_FORMATS)}"
    )


@dataclass(frozen=True)
class ExportWritten:
    """What `write_collection` did: the paths written, in order (the main file first,
    when there is one), and the report, with a line for each shared file left alone."""

    paths: tuple[Path, ...]
    report: tuple[str, ...]


def export_paths(export: CollectionExport, format: str, path: Path) -> tuple[Path, ...]:
    """Where `write_collection` would write `export` for `path`: the main file, then the
    files beside it; for a folder format, the files inside the folder `path`."""
    spec = COLLECTION_FORMATS[format]
    if spec.folder:
        return tuple(_inside(path, file.name) for file in export.files)
    stem = path.name.removesuffix(spec.suffix) if path.name.endswith(spec.suffix) else path.stem
    beside = (_inside(path.parent, file.name.replace("{stem}", stem)) for file in export.files)
    return (path, *beside)


def write_collection(collection: Collection, format: str, path: Path) -> ExportWritten:
    """Write `collection` in `format` to `path` (a file; for a folder format, a folder
    that must be new or empty), each file atomically. The user chose `path`, which is
    their say for the main file and the files named after it; a shared file without
    "{stem}" in its name is not replaced when it holds something else (the report says
    so). Raises OSError, FileExistsError for a folder that is not empty."""
    export = collection_export(collection, format)
    spec = COLLECTION_FORMATS[format]
    targets = export_paths(export, format, path)
    report = list(export.report)
    written: list[Path] = []
    if spec.folder:
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise FileExistsError(f"{path} exists and is not an empty folder")
        path.mkdir(parents=True, exist_ok=True)
        contents = [file.text for file in export.files]
    else:
        contents = [export.text, *(file.text for file in export.files)]
        names = [path.name, *(file.name for file in export.files)]
    for index, (target, text) in enumerate(zip(targets, contents, strict=True)):
        shared = not spec.folder and index > 0 and "{stem}" not in names[index]
        if shared and target.exists() and _differs(target, text):
            report.append(f"{target.name} exists beside it and was left as it was")
            continue
        if spec.folder:  # its subfolders; a file's missing folder is the user's mistake
            target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, text)
        written.append(target)
    return ExportWritten(tuple(written), tuple(report))


def _inside(folder: Path, name: str) -> Path:
    """`folder / name`, refusing a name that would leave the folder (an exporter's bug
    must not write over a file elsewhere)."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"an export file name leaves its folder: {name!r}")
    return folder.joinpath(*relative.parts)


def _differs(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") != text
    except (OSError, UnicodeDecodeError):
        return True


def history_entries(history: History, limit: int = HAR_EXPORT_LIMIT) -> list[HarEntry]:
    """The stored exchanges, newest first, up to `limit`, as HAR entries (failed sends,
    which have no response, are left out)."""
    from explorer.core.formats.har_history import har_from_history

    entries = (har_from_history(history.get(s.id)) for s in history.search(limit=limit))
    return [entry for entry in entries if entry is not None]


def history_text(entries: Iterable[HarEntry]) -> str:
    """The exchanges `entries` as HAR 1.2 JSON text."""
    from explorer.core.formats.har import export_har

    return export_har(entries)


def write_history(entries: Iterable[HarEntry], path: Path) -> None:
    """Write `entries` to `path` as HAR 1.2, atomically. Raises OSError."""
    write_text_atomic(path, history_text(entries))


def write_history_file(history: History, path: Path, limit: int = HAR_EXPORT_LIMIT) -> int:
    """Write the newest `limit` exchanges of `history` to `path` as HAR 1.2, atomically;
    returns how many were written. Raises OSError."""
    entries = history_entries(history, limit)
    write_history(entries, path)
    return len(entries)
