"""Exporting: a collection as another tool's file, and the history as a HAR archive.

Both front ends write through here: the window's export dialog and History ▸ Export as
HAR, and `export --to postman|http|har` on the command line. Every file is written
atomically, and no export holds a secret value (the exporters write secret variables
empty; the history keeps none).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.application.formats import COLLECTION_FORMATS
from explorer.core.atomic import write_text_atomic

if TYPE_CHECKING:
    from explorer.core.collection import Collection
    from explorer.core.formats.har import HarEntry
    from explorer.core.storage.history import History

HAR_EXPORT_LIMIT = 5000  # newest exchanges; a HAR viewer chokes on more


def collection_text(collection: Collection, format: str) -> str:
    """`collection` as the text of `format` (a key of COLLECTION_FORMATS)."""
    return collection_export(collection, format)[0]


def collection_export(collection: Collection, format: str) -> tuple[str, tuple[str, ...]]:
    """`collection` as the text of `format`, and the export report: what the format could
    not carry (assertions or captures without a Postman form, Python scripts), one
    sentence each."""
    if format == "postman":
        from explorer.core.formats.postman_export import export_postman_report

        return export_postman_report(collection)
    if format == "http":
        from explorer.core.translate.http_references import http_export_losses

        return _text(collection, format), http_export_losses(collection)
    return _text(collection, format), ()


def _text(collection: Collection, format: str) -> str:
    if format == "http":
        from explorer.core.formats.http_file import export_http

        return export_http(collection)
    if format == "hurl":
        from explorer.core.hurl.exporter import export_hurl

        return export_hurl(collection)
    raise ValueError(
        f"Unknown export format {format!r}; choose from {', '.join(COLLECTION_FORMATS)}"
    )


def write_collection(collection: Collection, format: str, path: Path) -> tuple[str, ...]:
    """Write `collection` to `path` in `format`, atomically; returns the export report
    (see `collection_export`). Raises OSError."""
    text, losses = collection_export(collection, format)
    write_text_atomic(path, text)
    return losses


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
