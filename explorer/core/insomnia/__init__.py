"""Insomnia's files: v4 exports (`v4`) and the v5 YAML files Insomnia writes now (`v5`),
built into a collection by one shared resource importer (`common`).

`import_insomnia` reads either; `is_insomnia` tells detection whether a loaded document
is one of them.
"""

from __future__ import annotations

from typing import Any

from explorer.core.formats.common import ImportResult
from explorer.core.formats.document import as_dict, load_document
from explorer.core.insomnia.v4 import import_v4, is_insomnia_v4
from explorer.core.insomnia.v5 import import_v5, is_insomnia_v5

__all__ = ["import_insomnia", "is_insomnia", "is_insomnia_v4", "is_insomnia_v5"]


def is_insomnia(document: Any) -> bool:
    """Whether a loaded JSON/YAML document is an Insomnia v4 export or v5 file."""
    return is_insomnia_v4(document) or is_insomnia_v5(document)


def import_insomnia(text: str) -> ImportResult:
    """Import an Insomnia v4 export or v5 file (JSON or YAML)."""
    document = as_dict(load_document(text), "$")
    if is_insomnia_v5(document):
        return import_v5(document)
    return import_v4(document)
