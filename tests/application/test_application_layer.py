"""The application layer's rules (docs/ARCHITECTURE.md), checked on the source so that a
lazy import or a call inside a function counts too:

- it is Qt-free: no PySide6, no explorer.qt, explorer.ui or explorer.cli;
- the front ends (the window's qt and ui layers, the command line) write history rows
  and collection files only through it: none of their modules calls a write method on a
  history or a collection store. (Core modules below it, such as the import staging,
  use core/storage directly.)
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "shiboken6", "qdarkstyle", "explorer.qt", "explorer.ui", "explorer.cli")
FRONT_ENDS = ("explorer/qt/", "explorer/ui/", "explorer/cli/", "explorer/gui.py")
HISTORY_WRITES = {"add", "add_failure", "prune", "delete", "clear"}
STORE_WRITES = {
    "save",
    "save_request",
    "save_settings",
    "save_folder",
    "save_environment",
    "delete_environment",
    "add_item",
    "rename_item",
    "delete_item",
    "move_item",
}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_the_application_layer_is_qt_free():
    found = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "explorer" / "application").rglob("*.py"))
        for name in imported_modules(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    ]
    assert found == []


def writes(path: Path, root: Path) -> list[str]:
    """Calls like `self.history.add(...)` or `opened.store.save_request(...)`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = ast.unparse(node.func.value).lower()
        method = node.func.attr
        if (receiver.endswith("history") and method in HISTORY_WRITES) or (
            receiver.endswith("store") and method in STORE_WRITES
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} {receiver}.{method}")
    return found


def writers_in_the_front_ends(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "explorer").rglob("*.py")):
        if path.relative_to(root).as_posix().startswith(FRONT_ENDS):
            found += writes(path, root)
    return found


def test_the_front_ends_write_history_and_collections_only_through_the_application():
    assert (ROOT / "explorer" / "gui.py").is_file()
    assert writers_in_the_front_ends(ROOT) == []


def test_the_check_catches_a_write_from_the_window(tmp_path):
    window = tmp_path / "explorer" / "ui" / "window"
    window.mkdir(parents=True)
    (window / "leak.py").write_text(
        "def f(self, response):\n"
        "    self.workspace.history.add(response)\n"
        "    self.workspace.collections[1].store.save_request('a.yaml', None)\n"
    )
    allowed = tmp_path / "explorer" / "application"
    allowed.mkdir(parents=True)
    (allowed / "fine.py").write_text("def f(history, r):\n    history.add(r)\n")
    assert writers_in_the_front_ends(tmp_path) == [
        "explorer/ui/window/leak.py:2 self.workspace.history.add",
        "explorer/ui/window/leak.py:3 self.workspace.collections[1].store.save_request",
    ]
