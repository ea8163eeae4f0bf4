"""Importing into a new collection, written once for the window and the command line.

The walk: read the source into text (`read_import_file`, `decode_import`, `pasted_text`
of explorer.core.formats: bytes, BOM, size limit, UTF-8, one-line errors), convert it
(`convert`, in a child process for the window's dialog); a collection folder of another
tool (Bruno's) is read and converted at once (`convert_folder`: bounded, no links
followed). Then write the collection as
a new folder, all or nothing (`explorer.core.formats.destination`: a hidden staging
folder renamed once complete; credentials moved to the secret store). A HAR archive also brings its
recorded exchanges, which go into the history (`record_exchanges`).

Nothing here waits on the user or touches Qt; the window runs `import_new_collection`
and `record_exchanges` on its background queues, never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.formats import (
    FormatError,
    Imported,
    ImportResult,
    convert,
    convert_folder,
    decode_import,
    folder_format,
    pasted_text,
    read_import_file,
    read_limited,
)

if TYPE_CHECKING:
    from explorer.core.formats.har import HarEntry
    from explorer.core.http.exchange import Response
    from explorer.core.http.transport import Transport
    from explorer.core.model import Request
    from explorer.core.storage.history import History
    from explorer.core.storage.secrets import SecretStore

__all__ = [
    "Exchange",
    "FormatError",
    "Imported",
    "WriteFailed",
    "WrittenImport",
    "convert",
    "convert_folder",
    "decode_import",
    "download_request",
    "download_transport",
    "downloaded_text",
    "folder_format",
    "har_exchanges",
    "import_new_collection",
    "pasted_text",
    "read_import_file",
    "read_limited",
    "record_exchanges",
    "source_name",
    "write_new_collection",
]

Exchange = tuple["Request", "Response"]  # as History.add takes them
DOWNLOAD_TIMEOUT = 60.0  # seconds without progress before a download is given up


def download_transport() -> Transport:
    """A transport for downloading an import: it stops past MAX_IMPORT_BYTES (a larger
    body is not an API description) and never spools to a temporary file."""
    from explorer.core.formats import MAX_IMPORT_BYTES
    from explorer.core.http.transport import Transport

    return Transport(spool_threshold=MAX_IMPORT_BYTES + 1, max_body_size=MAX_IMPORT_BYTES)


def download_request(url: str) -> Request:
    """The request that downloads an import from `url`."""
    from explorer.core.model import Options, Request

    return Request(url=url, options=Options(timeout=DOWNLOAD_TIMEOUT))


def downloaded_text(response: Response) -> str:
    """The text of a downloaded import; FormatError for an error status, a body that is
    not UTF-8 or too large, or an empty one."""
    if response.status >= 400:
        raise FormatError(f"The server answered {response.status} {response.reason}".strip())
    return pasted_text(decode_import(response.read_body()))


def source_name(url: str) -> str | None:
    """The file name at the end of `url` (it helps detection), or None."""
    return url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or None


class WriteFailed(Exception):
    """The imported collection could not be written; nothing was left behind.
    `str()` is one line, without the folder (the caller names it as it likes)."""

    def __init__(self, folder: Path, message: str) -> None:
        super().__init__(" ".join(message.split()))
        self.folder = folder


@dataclass(frozen=True)
class WrittenImport:
    """An import written as a new collection folder.

    `credentials` says which credentials moved to the secret store ("" when none);
    `exchanges` are the recorded exchanges of a HAR archive, for the history.
    """

    folder: Path
    credentials: str = ""
    exchanges: tuple[Exchange, ...] = ()


def write_new_collection(result: ImportResult, folder: Path, secrets: SecretStore | None) -> str:
    """Write `result` as the new collection folder `folder` (missing or empty), all or
    nothing, its credentials moved into `secrets` (the local store when None). Returns
    the line saying which credentials moved ("" when none); raises WriteFailed."""
    from explorer.core.formats import destination
    from explorer.core.resolve.credentials import describe
    from explorer.core.storage.errors import StorageError

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise WriteFailed(folder, "the folder is not empty; choose a new one")
    try:
        moved = destination.write_new_collection(
            result.to_write(), folder, secrets, files=result.files
        )
    except (StorageError, OSError) as error:
        raise WriteFailed(folder, str(error)) from None
    return describe(moved)


def import_new_collection(
    imported: Imported, collections: Path, secrets: SecretStore | None
) -> WrittenImport:
    """Write `imported` as a new folder under `collections`, named after the collection
    (made unique), and prepare its HAR exchanges for the history. Raises WriteFailed."""
    from explorer.core.storage.layout import unique_folder

    folder = unique_folder(collections, imported.result.collection.name)
    credentials = write_new_collection(imported.result, folder, secrets)
    return WrittenImport(folder, credentials, har_exchanges(imported.har_entries))


def har_exchanges(entries: Iterable[HarEntry]) -> tuple[Exchange, ...]:
    """The editor request and the response of each HAR entry, ready for the history."""
    from explorer.core.formats.har_history import exchange_from_har

    return tuple(exchange_from_har(entry) for entry in entries)


def record_exchanges(history: History, exchanges: Sequence[Exchange]) -> int:
    """Store `exchanges` in `history`, in order; returns how many were stored."""
    for request, response in exchanges:
        history.add(response, request)
    return len(exchanges)
