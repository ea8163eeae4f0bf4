"""The arrows of docs/ARCHITECTURE.md, checked on the source so that a lazy import inside a
function, or one under `if TYPE_CHECKING:`, counts too: core knows no Qt and no use case,
the application layer knows no Qt, qt knows no widgets, the command line knows no Qt, the
server knows nothing of the app, the regions of the window depend one way, and no module
imports itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

QT = ("PySide6", "shiboken6", "qdarkstyle", "qtpy")
FRONT_ENDS = ("explorer.qt", "explorer.ui", "explorer.cli", "explorer.gui")
UI_REGIONS = (
    "window", "request", "response", "sidebar", "dialogs", "runner", "load", "learn", "widgets",
)  # fmt: skip


def other_regions(*allowed: str) -> tuple[str, ...]:
    return tuple(f"explorer.ui.{r}" for r in UI_REGIONS if r not in allowed)


RULES = {
    "explorer/core": (*QT, *FRONT_ENDS, "explorer.application"),
    "explorer/application": (*QT, *FRONT_ENDS),
    "explorer/qt": (
        "PySide6.QtWidgets",
        "qdarkstyle",
        "explorer.ui",
        "explorer.cli",
        "explorer.gui",
    ),
    "explorer/cli": (*QT, "explorer.qt", "explorer.ui", "explorer.gui"),
    "bundled_server": ("explorer", "PySide6", "shiboken6"),
    # The window's regions: shared widgets know no region; a region knows the shared
    # widgets (the sidebar and the dialogs also open dialogs and request parts); only
    # the window knows them all.
    "explorer/ui/widgets": (*other_regions("widgets"), "explorer.cli", "explorer.gui"),
    "explorer/ui/request": (*other_regions("request", "widgets"), "explorer.cli", "explorer.gui"),
    "explorer/ui/response": (*other_regions("response", "widgets"), "explorer.cli", "explorer.gui"),
    "explorer/ui/dialogs": (
        *other_regions("dialogs", "request", "widgets"),
        "explorer.cli",
        "explorer.gui",
    ),
    "explorer/ui/sidebar": (
        *other_regions("sidebar", "dialogs", "request", "widgets"),
        "explorer.cli",
        "explorer.gui",
    ),
    # The collection runner knows only the shared widgets; the window composes it.
    "explorer/ui/runner": (*other_regions("runner", "widgets"), "explorer.cli", "explorer.gui"),
    # So does the load test window.
    "explorer/ui/load": (*other_regions("load", "widgets"), "explorer.cli", "explorer.gui"),
    # So does the Learn panel: it sees the window through its LearnHost Protocol.
    "explorer/ui/learn": (*other_regions("learn", "widgets"), "explorer.cli", "explorer.gui"),
    "explorer/ui/window": ("explorer.cli", "explorer.gui"),
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


# Libraries of one kind of request, loaded when such a request is made: a plain `run`
# must not pay for them (Authlib alone took 120 ms of a 260 ms run).
# Locust and gevent (which patches the standard library) run only in the load command's
# child processes.
ON_FIRST_USE = (
    "authlib", "botocore", "oauthlib", "graphql", "websockets", "flask_sock", "locust", "gevent",
)  # fmt: skip


def test_the_command_line_run_loads_no_library_of_another_kind_of_request():
    import subprocess
    import sys

    code = (
        "import sys, explorer.cli.run, explorer.application.running, explorer.application.oauth\n"
        "import explorer.application.sending, explorer.core.http.prepare\n"
        f"print(' '.join(m for m in {ON_FIRST_USE!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""


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
    "botocore",
    "oauthlib",
    "authlib",
    "graphql",
    "websockets",
    "locust",
    "gevent",
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


# -- import cycles -----------------------------------------------------------------------


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the project modules it imports, lazily, under TYPE_CHECKING or not."""
    paths = [
        p
        for top in ("explorer", "bundled_server")
        for p in (root / top).rglob("*.py")
        if "__pycache__" not in p.parts
    ]
    names = {module_name(p, root): p for p in paths}
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for target in _targets(ast.parse(path.read_text(encoding="utf-8")), package):
            while target and target not in names:
                target = target.rpartition(".")[0]  # `from a.b import name` -> a.b
            if target and target != name:
                graph[name].add(target)
    return graph


def _targets(tree: ast.Module, package: str) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            found.extend(f"{base}.{alias.name}" for alias in node.names)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_a_cycle_through_type_checking_counts(tmp_path):
    package = tmp_path / "explorer"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from explorer.b import thing\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from explorer import a\n"
    )
    (tmp_path / "bundled_server").mkdir()
    assert cycles(import_graph(tmp_path)) == [["explorer.a", "explorer.b"]]


# -- the layout ----------------------------------------------------------------------------

# A folder past about 15 modules wants splitting by idea.
MAX_MODULES_PER_FOLDER = 16


def test_no_folder_is_overgrown():
    crowded = {}
    for folder in sorted({p.parent for p in (ROOT / "explorer").rglob("*.py")}):
        count = len([p for p in folder.glob("*.py") if p.name != "__init__.py"])
        if count > MAX_MODULES_PER_FOLDER:
            crowded[str(folder.relative_to(ROOT))] = count
    assert crowded == {}


@pytest.mark.parametrize("layer", ["explorer/ui", "explorer/qt"])
def test_every_qt_layer_module_uses_qt(layer):
    """Qt-free code belongs in core or the application layer, where it is tested without
    a display and reused by the command line."""
    qt_free = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / layer).rglob("*.py"))
        if path.name != "__init__.py"
        and not any(name.startswith("PySide6") for name in imported_modules(path))
    ]
    assert qt_free == []


# -- who writes the user's files -----------------------------------------------------------

# The functions that write a collection folder or the global variables. The storage layer
# implements them; only the use cases call them, so the window and the command line cannot
# drift in how secrets are moved or staging is used. (Write methods called on a history or
# a collection store are checked in tests/application/test_application_layer.py.)
WRITERS = (
    "explorer.core.storage.collection_files.save_collection",
    "explorer.core.formats.destination.write_new_collection",
    "explorer.core.storage.global_variables.save_globals",
)
MAY_WRITE = ("explorer/application", "explorer/core")


def writers_outside_the_application(root: Path = ROOT) -> list[str]:
    found = []
    for top in ("explorer", "bundled_server"):
        for path in sorted((root / top).rglob("*.py")):
            where = str(path.relative_to(root))
            if where.startswith(MAY_WRITE):
                continue
            found.extend(f"{where} imports {n}" for n in imported_modules(path) if n in WRITERS)
    return found


def test_only_the_application_layer_calls_the_collection_writers():
    assert writers_outside_the_application() == []


def test_the_writer_check_catches_the_window_saving_a_collection(tmp_path):
    window = tmp_path / "explorer" / "ui" / "window"
    window.mkdir(parents=True)
    (window / "leak.py").write_text(
        "def f(c, root):\n"
        "    from explorer.core.storage.collection_files import save_collection\n"
        "    save_collection(c, root)\n"
    )
    use_case = tmp_path / "explorer" / "application"
    use_case.mkdir(parents=True)
    (use_case / "fine.py").write_text(
        "from explorer.core.storage.collection_files import save_collection\n"
    )
    (tmp_path / "bundled_server").mkdir()
    assert writers_outside_the_application(tmp_path) == [
        "explorer/ui/window/leak.py imports explorer.core.storage.collection_files.save_collection"
    ]
