"""Insomnia v4 exports (JSON or YAML): `_type: export`, `__export_format: 4`.

An export is already a flat list of resources linked by `parentId` (workspaces, request
groups, requests, environments: a base environment per workspace with sub-environments
under it), which `common.ResourceImporter` builds into a collection.
"""

from __future__ import annotations

from typing import Any

from explorer.core.formats.common import FormatError, ImportResult
from explorer.core.formats.document import as_dict, as_list, child
from explorer.core.insomnia.common import ResourceImporter, Row


def is_insomnia_v4(document: Any) -> bool:
    """Whether a loaded document is an Insomnia v4 (or older) export."""
    return isinstance(document, dict) and (
        document.get("_type") == "export" or "__export_format" in document
    )


def import_v4(document: dict[str, Any]) -> ImportResult:
    """Import a loaded Insomnia v4 export."""
    if document.get("__export_format") != 4:
        raise FormatError(
            "Not an Insomnia v4 export: __export_format must be 4", "$.__export_format"
        )
    resources = as_list(document.get("resources"), "$.resources")
    rows = []
    for index, value in enumerate(resources):
        path = child("$.resources", index)
        rows.append(Row(path, as_dict(value, path)))
    return ResourceImporter(rows, "v4").run()
