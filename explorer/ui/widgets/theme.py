"""Dark and light themes from qdarkstyle, loaded without its qtpy shim.

`qdarkstyle.load_stylesheet()` goes through qtpy, whose enum shims cost about 0.1 s at
start-up (see docs/ARCHITECTURE.md: Start-up). The stylesheet itself is a plain file in
the package whose icons are referenced as Qt resources; we read the file and point those
references at the package's icon files instead, which costs a few milliseconds.
"""

from __future__ import annotations

import importlib.util
from enum import StrEnum
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


class Theme(StrEnum):
    DARK = "dark"
    LIGHT = "light"


# qdarkstyle's accent colour for links (its palette's COLOR_ACCENT_3), applied to the
# application palette as qdarkstyle itself does, so rich text links are readable.
_LINK_COLOURS = {Theme.DARK: "#1A72BB", Theme.LIGHT: "#3D8EC9"}

# Colours of our own widgets per theme: status classes, timing bars, warnings.
COLOURS = {
    Theme.DARK: {
        "1xx": "#9aa5b1",
        "2xx": "#3fb950",
        "3xx": "#58a6ff",
        "4xx": "#d29922",
        "5xx": "#f85149",
        "error": "#f85149",
        "muted": "#9aa5b1",
        "warning": "#d29922",
        "panel": "#1d242c",
    },
    Theme.LIGHT: {
        "1xx": "#57606a",
        "2xx": "#1a7f37",
        "3xx": "#0969da",
        "4xx": "#9a6700",
        "5xx": "#cf222e",
        "error": "#cf222e",
        "muted": "#57606a",
        "warning": "#9a6700",
        "panel": "#f0f3f6",
    },
}

_EXTRA_QSS = """
QLabel#statusBadge { font-weight: bold; padding: 2px 8px; border-radius: 3px; }
QLabel#metric { padding: 2px 6px; }
QLabel#errorTitle { font-weight: bold; font-size: 13pt; }
QLineEdit#urlEdit, QComboBox#methodCombo { font-size: 11pt; min-height: 26px; }
QPushButton#sendButton {
    font-weight: bold; min-width: 84px; min-height: 26px; color: #ffffff;
    background-color: #1f6feb; border: 1px solid #1f6feb; border-radius: 4px;
}
QPushButton#sendButton:hover { background-color: #388bfd; border-color: #388bfd; }
QPushButton#sendButton:focus { border: 2px solid #a5d6ff; }
QPushButton#sendButton[busy="true"] { background-color: #b62324; border-color: #b62324; }
QPushButton#sendButton[busy="true"]:hover { background-color: #da3633; }
QLabel#schemeNote, QLabel#warningNote { padding: 2px 4px; }
"""


def _package_dir() -> Path:
    spec = importlib.util.find_spec("qdarkstyle")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("qdarkstyle is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def stylesheet(theme: Theme) -> str:
    """The full stylesheet for `theme`, icons resolved to files."""
    folder = _package_dir() / theme.value
    qss = (folder / f"{theme.value}style.qss").read_text(encoding="utf-8")
    icons = (folder / "rc").as_posix()
    qss = qss.replace(f":/qss_icons/{theme.value}/rc", icons)
    return qss + _EXTRA_QSS


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Switch the whole application to `theme`."""
    app.setStyleSheet(stylesheet(theme))
    choose_theme(app, theme)


def choose_theme(app: QApplication, theme: Theme) -> None:
    """Record `theme` (what `colour` and `current_theme` answer) and its link colour,
    without the style sheet. At start-up the window is built after this and the sheet is
    applied last: Qt then polishes the finished tree once, which is about 15 ms quicker
    than re-polishing every widget as it is added to a styled parent."""
    palette = app.palette()
    palette.setColor(
        QPalette.ColorGroup.Normal, QPalette.ColorRole.Link, QColor(_LINK_COLOURS[theme])
    )
    app.setPalette(palette)
    app.setProperty("explorerTheme", theme.value)


def current_theme(app: QApplication | None = None) -> Theme:
    """The theme last applied (dark when none was)."""
    app = app or QApplication.instance()
    value = app.property("explorerTheme") if app is not None else None
    return Theme(value) if value in (Theme.DARK.value, Theme.LIGHT.value) else Theme.DARK


def colour(name: str, theme: Theme | None = None) -> str:
    """A named colour of the current theme ("2xx", "error", "muted" …)."""
    return COLOURS[theme or current_theme()][name]
