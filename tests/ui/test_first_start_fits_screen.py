"""A first start opens inside the screen: a 1280×800 window on a smaller screen hid the
status bar, where a newcomer's offer to learn is shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = (
    "from explorer.gui import start\n"
    "app, window, _ = start([])\n"
    "screen = app.primaryScreen().availableGeometry()\n"
    "frame = window.geometry()\n"
    "print(screen.width(), screen.height(), frame.width(), frame.height())\n"
)


def test_the_first_window_fits_a_screen_smaller_than_its_own_size(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "API_EXPLORER_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    screen_w, screen_h, width, height = map(int, result.stdout.split())
    assert screen_w < 1280  # the offscreen screen is smaller than the window's own size
    assert (width, height) == (min(1280, screen_w), min(800, screen_h))
