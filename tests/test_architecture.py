"""The three arrows of docs/ARCHITECTURE.md: core knows no Qt, qt knows no widgets, the server
knows nothing of the app. Checked on the source, so a lazy import inside a function
counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RULES = {
    "explorer/core": ("PySide6", "shiboken6", "qdarkstyle", "qtpy", "explorer.qt", "explorer.ui"),
    "explorer/qt": ("PySide6.QtWidgets", "qdarkstyle", "explorer.ui"),
    "bundled_server": ("explorer", "PySide6", "shiboken6"),
}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def violations(folder: str, forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted((root / folder).rglob("*.py")):
        for name in imported_modules(path):
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden):
                found.append(f"{path.relative_to(root)} imports {name}")
    return found


@pytest.mark.parametrize(("folder", "forbidden"), sorted(RULES.items()))
def test_layer_imports(folder, forbidden):
    assert (ROOT / folder).is_dir()
    assert violations(folder, forbidden) == []


def test_the_check_catches_a_violation(tmp_path):
    bad = tmp_path / "explorer" / "core"
    bad.mkdir(parents=True)
    (bad / "leak.py").write_text("def f():\n    from PySide6.QtCore import QObject\n")
    assert violations("explorer/core", RULES["explorer/core"], tmp_path) == [
        "explorer/core/leak.py imports PySide6.QtCore",
        "explorer/core/leak.py imports PySide6.QtCore.QObject",
    ]


def test_command_line_entry_does_not_import_qt():
    import subprocess
    import sys

    code = "import sys, explorer.__main__; print('PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"


# Loaded after the first paint (the workspace) or on first use (a send, a formatter, the
# server); none of them may creep onto the start-up path (docs/ARCHITECTURE.md: Start-up).
NOT_BEFORE_FIRST_PAINT = (
    "requests",
    "urllib3",
    "flask",
    "werkzeug",
    "yaml",
    "sqlite3",
    "pygments",
    "orjson",
    "jmespath",
    "jsonpath",
    "explorer.core.http.exchange",
    "explorer.core.http.transport",
    "explorer.qt.workspace",
    "explorer.ui.response.body_view",
)


def test_window_start_up_path_stays_lean(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from explorer.gui import start\n"
        "app, window, _ = start([])\n"
        f"print(' '.join(m for m in {NOT_BEFORE_FIRST_PAINT!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "API_EXPLORER_HOME": str(tmp_path)}
    # Not measured by coverage: its data file is SQLite, which would count as loaded.
    env.pop("COVERAGE_PROCESS_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
