"""OpenCollection (https://spec.opencollection.com), the open YAML collection format
Bruno 3 writes: one bundled file (`opencollection: 1.0.0` with `items` inline), or a
collection folder (`opencollection.yml` at its root, a YAML file per request, a
`folder.yml` per folder, `environments/*.yml`).

`is_opencollection` tells detection whether a loaded document is one; `requests` maps
one request, `importer` the tree; `folder` reads the folder form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from explorer.core.formats.common import ImportResult

__all__ = ["import_opencollection", "import_opencollection_folder", "is_opencollection"]


def is_opencollection(document: Any) -> bool:
    """Whether a loaded document is an OpenCollection file (a collection or a Bruno
    workspace, which `import_opencollection` names and refuses)."""
    return isinstance(document, dict) and isinstance(
        document.get("opencollection"), (str, int, float)
    )


def import_opencollection(text: str, name: str = "OpenCollection") -> ImportResult:
    """Import a bundled OpenCollection file (YAML or JSON)."""
    from explorer.core.formats.document import as_dict, load_document
    from explorer.core.opencollection.importer import build, bundled_nodes, check_root
    from explorer.core.opencollection.requests import Notes

    document = as_dict(load_document(text), "$")
    check_root(document)
    if document.get("bundled") is False and not document.get("items"):
        notes = Notes()
        notes.lines.append(
            "This is the opencollection.yml of a collection folder: import the folder to "
            "bring its requests."
        )
        return build(document, [], name, notes)
    return build(document, bundled_nodes(document.get("items"), "$.items"), name, Notes())


def import_opencollection_folder(folder: Path) -> ImportResult:
    """The collection of an OpenCollection folder (its opencollection.yml, requests,
    folders and environments); FormatError when it cannot be read."""
    from explorer.core.opencollection.folder import import_folder

    return import_folder(folder)
