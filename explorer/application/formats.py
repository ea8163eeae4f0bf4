"""The one list of what can be imported, exported and generated.

The command line's `import --format` and `export --to` choices and help, and the window's
import, export and code dialogs all read this module, so that the two front ends offer
the same formats. Import format keys come from the importers' dispatcher
(`explorer.core.formats.FORMATS`) and code targets from the generators' table
(`explorer.core.codegen.TARGETS`); the exporters are named here.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.codegen import TARGETS as CODE_TARGETS
from explorer.core.codegen import Target
from explorer.core.formats import FORMATS

__all__ = [
    "CODE_TARGETS",
    "COLLECTION_FORMATS",
    "EXPORT_TARGETS",
    "HISTORY_FORMATS",
    "IMPORT_FORMATS",
    "ExportFormat",
    "ImportFormat",
    "Target",
    "export_help",
]


@dataclass(frozen=True)
class ImportFormat:
    """A format the importers read: its key and how the window names it."""

    key: str
    label: str


@dataclass(frozen=True)
class ExportFormat:
    """A file the exporters write: its key, its label and the file name suffix; a
    `folder` format writes a folder of files instead (its suffix is then '')."""

    key: str
    label: str
    suffix: str
    folder: bool = False


_IMPORT_LABELS = {
    "curl": "curl command",
    "postman": "Postman collection or environment",
    "insomnia": "Insomnia export (v4 or v5)",
    "opencollection": "OpenCollection file (Bruno 3 YAML)",
    "openapi": "OpenAPI / Swagger document",
    "har": "HAR archive",
    "http": ".http / .rest file",
    "hurl": "Hurl file",
    "bruno": "Bruno collection (a folder, its exported JSON, or a .bru file)",
}

# Every format the importers dispatch on, in their order (a missing label fails here).
IMPORT_FORMATS: dict[str, ImportFormat] = {
    key: ImportFormat(key, _IMPORT_LABELS[key]) for key in FORMATS
}

# A collection written as another tool's file.
COLLECTION_FORMATS: dict[str, ExportFormat] = {
    format.key: format
    for format in (
        ExportFormat("postman", "Postman collection v2.1 (.json)", ".postman_collection.json"),
        ExportFormat("http", ".http file (VS Code REST Client, JetBrains HTTP Client)", ".http"),
        ExportFormat("hurl", "Hurl file (.hurl)", ".hurl"),
        ExportFormat("bruno", "Bruno collection (folder)", "", folder=True),
    )
}

# The history (newest first) written as an archive.
HISTORY_FORMATS: dict[str, ExportFormat] = {
    "har": ExportFormat("har", "HAR 1.2 archive of the history", ".har"),
}

# What `export --to` accepts: a collection format, the history as HAR, or code.
EXPORT_TARGETS: tuple[str, ...] = (*COLLECTION_FORMATS, *HISTORY_FORMATS, *CODE_TARGETS)


def export_help() -> str:
    """One line per export target, for the command line's help."""
    lines = [f"{key}: {format.label}" for key, format in COLLECTION_FORMATS.items()]
    lines += [f"{key}: {format.label}" for key, format in HISTORY_FORMATS.items()]
    lines += [f"{key}: code, {target.display_name}" for key, target in CODE_TARGETS.items()]
    return "; ".join(lines)
