"""The app's own icon, for the window's title bar, the taskbar and the task switcher.

The PNGs are drawn from `resources/icons/api-explorer.svg` by `make icons`. They are read
from the package (`explorer/resources` is the project's `resources/` folder), so an
installed wheel finds them too; Qt decodes a size only when something shows it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """API Explorer's icon at every size it is drawn in."""
    icon = QIcon()
    for size in SIZES:
        icon.addFile(str(ICON_DIR / f"api-explorer-{size}.png"), QSize(size, size))
    return icon
