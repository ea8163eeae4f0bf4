"""Bruno collections (https://www.usebruno.com): the `.bru` language, a collection
folder as a collection, and a collection as a Bruno folder.

`lang` parses and writes `.bru` text; `files` reads a folder into memory, bounded;
`importer` and `exporter` map between Bruno's blocks and the model; `checks` maps
`assert` and `vars:post-response` rows onto assertions and captures. The guarded entry
point for a folder is `explorer.core.formats.convert_folder`.
"""

from __future__ import annotations

from pathlib import Path

from explorer.core.formats.common import ImportResult

MARKER = "bruno.json"  # the file that makes a folder a Bruno collection
SUFFIXES = (".bru", MARKER)


def is_bruno_folder(folder: Path) -> bool:
    """Whether `folder` is a Bruno collection (it holds a regular bruno.json)."""
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def import_bruno_folder(folder: Path) -> ImportResult:
    """The collection of the Bruno folder `folder`; FormatError when it cannot be read."""
    from explorer.core.bruno.files import read_folder, with_sent_files
    from explorer.core.bruno.importer import import_bruno

    return with_sent_files(import_bruno(read_folder(folder, SUFFIXES)), folder)
