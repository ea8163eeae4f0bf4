"""The desktop application: the window's icon, and `make install-desktop` for one user.

Runs the real Makefile with HOME in a temporary folder, so nothing is installed for the
person running the tests.
"""

from __future__ import annotations

import filecmp
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.ui.widgets.app_icon import ICON_DIR, SIZES

ROOT = Path(__file__).resolve().parents[1]
ENTRY = Path("applications") / "api-explorer.desktop"


def make(target: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run `make TARGET` in the project as a user whose home is `home`. The venv is taken
    as set up (-o): a test must not reinstall the project."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MAKE"))}
    env["HOME"] = str(home)
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", target],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def installed_icons(share: Path) -> list[Path]:
    """Where the hicolor theme of `share` keeps each size of the icon."""
    apps = share / "icons" / "hicolor"
    return [apps / f"{size}x{size}" / "apps" / "api-explorer.png" for size in SIZES]


def test_the_icons_exist_for_every_size_and_the_svg():
    assert (ICON_DIR / "api-explorer.svg").is_file()
    assert [(ICON_DIR / f"api-explorer-{size}.png").is_file() for size in SIZES] == [True] * len(
        SIZES
    )


def test_the_app_sets_its_icon_for_the_window_and_the_taskbar(tmp_path):
    code = (
        "from explorer.gui import start\n"
        "app, window, _ = start([])\n"
        "icon = app.windowIcon()\n"
        "print(sorted(s.width() for s in icon.availableSizes()), icon.pixmap(16).isNull())\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "API_EXPLORER_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == f"{sorted(SIZES)} False"


def test_install_desktop_installs_the_entry_and_icons_for_this_user_only(tmp_path):
    result = make("install-desktop", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    share = tmp_path / ".local" / "share"
    entry = (share / ENTRY).read_text()
    assert "Icon=api-explorer\n" in entry and "Name=API Explorer\n" in entry
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert shlex.split(exec_line.removeprefix("Exec=")) == [
        str(ROOT / ".venv" / "bin" / "api-explorer-gui")
    ]
    for size, target in zip(SIZES, installed_icons(share), strict=True):
        assert filecmp.cmp(ICON_DIR / f"api-explorer-{size}.png", target, shallow=False), target
    svg = share / "icons" / "hicolor" / "scalable" / "apps" / "api-explorer.svg"
    assert filecmp.cmp(ICON_DIR / "api-explorer.svg", svg, shallow=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".local"]  # nothing else touched


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils")
def test_the_desktop_entries_are_valid(tmp_path):
    assert make("install-desktop", tmp_path).returncode == 0
    for entry in (ROOT / "resources" / "api-explorer.desktop", tmp_path / ".local/share" / ENTRY):
        result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True)
        assert result.returncode == 0 and result.stdout == b"", result.stdout


def test_the_installed_entry_starts_the_app(tmp_path):
    assert make("install-desktop", tmp_path).returncode == 0
    entry = (tmp_path / ".local" / "share" / ENTRY).read_text()
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    command = shlex.split(exec_line.removeprefix("Exec="))
    assert Path(command[0]).is_file(), f"{command[0]} is missing: run make to set up the venv"
    result = subprocess.run(
        [*command, "--help"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: api-explorer") and "--start-server" in result.stdout


def test_uninstall_desktop_removes_only_what_install_put_there(tmp_path):
    share = tmp_path / ".local" / "share"
    other = share / "applications" / "other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\n")
    assert make("install-desktop", tmp_path).returncode == 0
    result = make("uninstall-desktop", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (share / ENTRY).exists()
    assert [path for path in installed_icons(share) if path.exists()] == []
    assert not (share / "icons" / "hicolor" / "scalable" / "apps" / "api-explorer.svg").exists()
    assert other.read_text() == "[Desktop Entry]\n"
