"""An OpenCollection collection folder, as Bruno 3 writes it, read into the same tree as
a bundled file: `opencollection.yml` at the root (the collection's own fields), one YAML
file per request, a `folder.yml` in each folder (its name, order and request defaults)
and `environments/*.yml` (one environment each).

The folder is read into memory first, bounded and without following links
(`core/bruno/files`); a request file that cannot be read is skipped and named in the
report, so one broken file does not cost the rest. Files the requests send (multipart
parts, file bodies) are copied into the collection when they lie inside the folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from explorer.core.formats.common import FormatError, ImportResult
from explorer.core.formats.document import as_dict, load_yaml
from explorer.core.opencollection.importer import Node, build, check_root
from explorer.core.opencollection.requests import Notes

MARKER = "opencollection.yml"  # the file at the root of a collection folder
SUFFIXES = (".yml", ".yaml")
FOLDER_FILE = "folder.yml"
ENVIRONMENTS = "environments"


def import_folder(folder: Path) -> ImportResult:
    """The collection of the OpenCollection folder `folder`."""
    from explorer.core.bruno.files import read_folder, with_sent_files

    files = read_folder(folder, SUFFIXES)
    notes = Notes()
    if MARKER not in files.files:
        raise FormatError(f"no {MARKER} at the root of {folder.name}: not an OpenCollection folder")
    root = _document(files.files[MARKER], MARKER, notes)
    if root is None:
        raise FormatError(f"{MARKER} cannot be read", MARKER)
    check_root(root)
    tree = _Tree(notes)
    environments: list[Any] = []
    for name, text in files.files.items():
        relative = PurePosixPath(name)
        if name == MARKER:
            continue
        if relative.parts[0] == ENVIRONMENTS and len(relative.parts) == 2:
            environment = _document(text, name, notes)
            if environment is not None:
                environments.append(environment)
            continue
        tree.add(relative, text)
    if environments:
        config = dict(as_dict(root.get("config"), "$.config"))
        config["environments"] = [
            *(config.get("environments") or []),  # a bundled root may hold some too
            *environments,
        ]
        root = {**root, "config": config}
    if files.skipped_links:
        notes.lines.append(
            f"Symbolic links in the folder were not followed ({files.skipped_links})."
        )
    for name in files.unreadable:
        notes.lines.append(f"{name}: could not be read; skipped.")
    result = build(root, tree.nodes(), files.root_name or "OpenCollection", notes)
    return with_sent_files(result, folder)


def _document(text: str, name: str, notes: Notes) -> dict[str, Any] | None:
    """The YAML mapping of one file, or None (named in the report) when it is not one."""
    try:
        document = load_yaml(text)
    except FormatError as error:
        where = f" ({error.location})" if error.location else ""
        notes.lines.append(f"{name}: {error.message}{where}; skipped.")
        return None
    if not isinstance(document, dict):
        notes.lines.append(f"{name}: not a YAML mapping; skipped.")
        return None
    return document


class _Tree:
    """Folder nodes by relative path, filled file by file."""

    def __init__(self, notes: Notes) -> None:
        self.notes = notes
        self.folders: dict[PurePosixPath, Node] = {PurePosixPath(): Node("", {}, folder=True)}

    def folder(self, path: PurePosixPath) -> Node:
        found = self.folders.get(path)
        if found is None:
            parent = self.folder(path.parent)
            found = Node(f"{path}/", {"info": {"name": path.name, "type": "folder"}}, folder=True)
            parent.children.append(found)
            self.folders[path] = found
        return found

    def add(self, relative: PurePosixPath, text: str) -> None:
        document = _document(text, str(relative), self.notes)
        if document is None:
            return
        if relative.name == FOLDER_FILE:
            node = self.folder(relative.parent)
            if relative.parent != PurePosixPath():
                info = document.get("info")
                if not isinstance(info, dict) or not info.get("name"):
                    info = {
                        **(info if isinstance(info, dict) else {}),
                        "name": relative.parent.name,
                    }
                node.data = {**document, "info": info}
                node.path = f"{relative} $"
            return
        self.folder(relative.parent).children.append(Node(f"{relative} $", document))

    def nodes(self) -> list[Node]:
        return self.folders[PurePosixPath()].children
