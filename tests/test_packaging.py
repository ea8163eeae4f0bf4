"""The wheel: what an installed API Explorer needs is in it, and nothing else.

Builds a real wheel with pip from a copy of the project (a build writes build/ and
*.egg-info next to the sources), then reads its file list and entry points.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from explorer.ui.widgets.app_icon import SIZES

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = (
    ".git",
    ".venv",
    ".tools",  # the peer tools (node_modules): large, and no package of ours
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*cache",
    ".coverage*",
    ".hypothesis",
    "htmlcov",
    "screenshots",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """A wheel built by pip from a copy of the working tree (with a .venv beside it, as
    in a checkout, to show it stays out)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*LEFT_OUT))
    (source / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    # The venv's own setuptools (a dev dependency) builds it: an isolated build would
    # fetch setuptools into a fresh environment first, 18 s of the suite for nothing.
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    command += ["-q", "-w", str(work)]
    result = subprocess.run([*command, str(source)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = work.glob("api_explorer-*.whl")
    return zipfile.ZipFile(built)


def files_under(folder: Path, base: Path) -> set[str]:
    """Every file below `folder`, as a path relative to `base` with / separators."""
    return {
        path.relative_to(base).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_practice_server_ships_its_templates_static_files_and_data(wheel):
    names = set(wheel.namelist())
    for folder in ("templates", "static", "data"):
        expected = files_under(ROOT / "bundled_server" / folder, ROOT)
        assert expected, folder
        assert expected - names == set(), folder


def test_the_window_icon_and_desktop_entry_ship_inside_the_package(wheel):
    names = set(wheel.namelist())
    icons = {f"explorer/resources/icons/api-explorer-{size}.png" for size in SIZES}
    assert (
        icons
        | {
            "explorer/resources/icons/api-explorer.svg",
            "explorer/resources/api-explorer.desktop",
        }
        <= names
    )


def test_no_tests_venv_or_development_files_in_the_wheel(wheel):
    top_levels = {name.split("/")[0] for name in wheel.namelist()}
    assert top_levels == {"explorer", "bundled_server", "api_explorer-0.1.0.dist-info"}
    leaked = [
        name
        for name in wheel.namelist()
        if "__pycache__" in name or name.endswith((".pyc", "screenshot.png"))
    ]
    assert leaked == []


def test_every_module_of_the_source_tree_is_in_the_wheel(wheel):
    names = set(wheel.namelist())
    modules = {
        name
        for package in ("explorer", "bundled_server")
        for name in files_under(ROOT / package, ROOT)
        if name.endswith(".py")
    }
    assert modules - names == set()


def test_the_wheel_has_both_entry_points_and_the_licence(wheel):
    names = wheel.namelist()
    (entry_points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "[console_scripts]\napi-explorer = explorer.__main__:run\n" in text
    assert "[gui_scripts]\napi-explorer-gui = explorer.gui:main\n" in text
    assert "api_explorer-0.1.0.dist-info/licenses/LICENSE" in names
