"""Draw resources/icons/api-explorer.svg as the PNG sizes a desktop asks for.

    python -m tests.support.icons        (or `make icons`)

Qt's own SVG renderer is used, so no other tool is needed. The PNGs are committed: the
window loads them without Qt's SVG plug-in.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from explorer.ui.widgets.app_icon import ICON_DIR, SIZES


def render(svg: Path, size: int, target: Path) -> None:
    """Draw `svg` into a transparent `size`×`size` PNG at `target`."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    if not image.save(str(target), "PNG"):
        raise OSError(f"cannot write {target}")


def main() -> int:
    """Render every size next to the SVG as api-explorer-SIZE.png."""
    _app = QGuiApplication(sys.argv[:1])
    for size in SIZES:
        render(ICON_DIR / "api-explorer.svg", size, ICON_DIR / f"api-explorer-{size}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
