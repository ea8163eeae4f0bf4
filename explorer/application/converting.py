"""Converting an import source for a preview, in a child process that can be stopped.

The window's import dialog shows what an import would bring before anything is written.
Each source (pasted text, a file, a download, a collection folder) is converted by the
guarded entry point in a child process (`explorer.core.formats.isolated`), because a
thread cannot be stopped half-way through a 200 MB document and a process can be killed:
a conversion nobody waits for any more (the source changed, the dialog closed) is
cancelled at once. Sources are read the one way the command line reads them too
(`explorer.application.importing`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.application.importing import downloaded_text, pasted_text
from explorer.core.formats import Imported, ImportResult
from explorer.core.formats.isolated import IsolatedParse, ParseCancelled, ParseJob

if TYPE_CHECKING:
    from explorer.core.formats.har import HarEntry
    from explorer.core.http.exchange import Response

__all__ = [
    "Conversion",
    "ImportSource",
    "ParseCancelled",
    "ParsedImport",
    "convert_for_preview",
    "parse_job",
]


@dataclass(frozen=True)
class ImportSource:
    """What to convert: pasted `text`, the file at `path`, a downloaded `response`, or
    another tool's collection `folder` (Bruno's).

    `filename` helps detection; `format` is a key of IMPORT_FORMATS, or None to detect it.
    """

    text: str | None = None
    path: Path | None = None
    response: Response | None = None
    filename: str | None = None
    format: str | None = None
    folder: Path | None = None


@dataclass(frozen=True)
class ParsedImport:
    """A successful conversion: the format used, the result, and any HAR exchanges."""

    format: str
    result: ImportResult
    har_entries: tuple[HarEntry, ...] = ()
    credentials: str = ""  # which credentials importing moves to secret variables

    def imported(self) -> Imported:
        """The conversion as the application's import use case takes it."""
        return Imported(self.format, self.result, self.har_entries)


def parse_job(source: ImportSource) -> ParseJob:
    """What the converter process needs for `source` (a download is read here, off the
    GUI thread). Raises FormatError for an empty or undecodable source."""
    if source.folder is not None:
        return ParseJob(folder=str(source.folder), format=source.format)
    if source.path is not None:
        return ParseJob(
            path=str(source.path),
            filename=source.filename,
            format=source.format,
            base_dir=str(source.path.parent),
        )
    if source.response is not None:
        text = downloaded_text(source.response)
    else:
        text = pasted_text(source.text)
    return ParseJob(text=text, filename=source.filename, format=source.format)


def _credentials(result: ImportResult) -> str:
    # Worked out here, off the GUI thread, like the parse itself.
    from explorer.core.resolve.credentials import describe, preview

    return describe(preview(result.collection), verb="will move")


class Conversion:
    """One conversion for a preview, shared by the thread that waits for it and the
    front end that may drop it: `cancel()` kills its converter process at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.cancelled = False
        self._parse: IsolatedParse | None = None

    def start(self, job: ParseJob) -> IsolatedParse:
        with self._lock:
            if self.cancelled:
                raise ParseCancelled
            self._parse = IsolatedParse(job)
            return self._parse

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            parse = self._parse
        if parse is not None:
            parse.cancel()


def convert_for_preview(source: ImportSource, cancel: Conversion) -> ParsedImport:
    """Convert `source` in a converter process; this waits for it (call it off the GUI
    thread). Raises ParseCancelled when `cancel` was cancelled, else FormatError."""
    imported = cancel.start(parse_job(source)).result()
    if cancel.cancelled:
        raise ParseCancelled
    result = imported.result
    return ParsedImport(imported.format, result, imported.har_entries, _credentials(result))
