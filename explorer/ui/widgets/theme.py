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

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from explorer.core.preferences import ThemeChoice
from explorer.ui.widgets.palette import DARK, LIGHT, STATUS_ROLES, Palette


class Theme(StrEnum):
    """The two themes, by the name settings store."""

    DARK = "dark"
    LIGHT = "light"


# The palette of each theme: every colour of our own widgets (see palette.py).
PALETTES = {Theme.DARK: DARK, Theme.LIGHT: LIGHT}


def theme_for_scheme(scheme: Qt.ColorScheme) -> Theme:
    """The theme that matches the desktop's colour scheme; dark when the desktop does
    not say (Qt reports Unknown on many window managers), as the app's own default."""
    return Theme.LIGHT if scheme == Qt.ColorScheme.Light else Theme.DARK


def system_scheme() -> Qt.ColorScheme:
    """The desktop's colour scheme as Qt (6.5+) reports it."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return Qt.ColorScheme.Unknown
    return app.styleHints().colorScheme()


def theme_for(choice: ThemeChoice, scheme: Qt.ColorScheme | None = None) -> Theme:
    """The theme to show for the user's choice; "follow the system" reads `scheme` (by
    default the desktop's current one)."""
    if choice == ThemeChoice.SYSTEM:
        return theme_for_scheme(system_scheme() if scheme is None else scheme)
    return Theme(choice.value)


def _extra_qss(colours: Palette) -> str:
    """Our additions to qdarkstyle's sheet: badges, the URL bar and the Send button."""
    return f"""
QLabel#statusBadge {{ font-weight: bold; padding: 2px 8px; border-radius: 3px; }}
QLabel#metric {{ padding: 2px 6px; }}
QLabel#errorTitle {{ font-weight: bold; font-size: 13pt; }}
QLineEdit#urlEdit, QComboBox#methodCombo {{ min-height: 26px; }}
QPushButton#sendButton {{
    font-weight: bold; min-width: 84px; min-height: 26px; color: {colours.send_text};
    background-color: {colours.send_background}; border: 1px solid {colours.send_background};
    border-radius: 4px;
}}
QPushButton#sendButton:hover {{
    background-color: {colours.send_hover}; border-color: {colours.send_hover};
}}
QPushButton#sendButton:focus {{ border: 2px solid {colours.send_focus}; }}
QPushButton#sendButton[busy="true"] {{
    background-color: {colours.send_busy}; border-color: {colours.send_busy};
}}
QPushButton#sendButton[busy="true"]:hover {{ background-color: {colours.send_busy_hover}; }}
QLabel#schemeNote, QLabel#warningNote {{ padding: 2px 4px; }}
QFrame#tabNotice {{
    border: 1px solid {colours.muted}; border-left: 3px solid {colours.info}; border-radius: 3px;
}}
QFrame#tabNotice[kind="warning"] {{
    border-color: {colours.warning}; border-left: 3px solid {colours.warning};
}}
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
    return qss + _extra_qss(PALETTES[theme])


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Switch the whole application to `theme`."""
    app.setStyleSheet(stylesheet(theme))
    choose_theme(app, theme)


def choose_theme(app: QApplication, theme: Theme) -> None:
    """Record `theme` (what `palette` and `current_theme` answer) and its link colour,
    without the style sheet. At start-up the window is built after this and the sheet is
    applied last: Qt then polishes the finished tree once, which is about 15 ms quicker
    than re-polishing every widget as it is added to a styled parent."""
    qpalette = app.palette()
    qpalette.setColor(
        QPalette.ColorGroup.Normal, QPalette.ColorRole.Link, QColor(PALETTES[theme].link)
    )
    app.setPalette(qpalette)
    app.setProperty("explorerTheme", theme.value)


def current_theme(app: QApplication | None = None) -> Theme:
    """The theme last applied (dark when none was)."""
    holder = app or QApplication.instance()
    value = holder.property("explorerTheme") if holder is not None else None
    return Theme(value) if value in (Theme.DARK.value, Theme.LIGHT.value) else Theme.DARK


def palette(theme: Theme | None = None) -> Palette:
    """The palette of `theme`, by default of the current theme."""
    return PALETTES[theme or current_theme()]


def palette_for(qpalette: QPalette) -> Palette:
    """The palette whose colours read well on `qpalette`'s text background."""
    return PALETTES[Theme.DARK if is_dark(qpalette) else Theme.LIGHT]


def is_dark(qpalette: QPalette) -> bool:
    """True when the palette's text background is dark."""
    return qpalette.color(QPalette.ColorRole.Base).lightness() < 128


def colour(name: str, theme: Theme | None = None) -> str:
    """The colour of a role chosen at run time: a message role ("error", "warning",
    "muted" …) or a status class ("2xx" …). Code that knows its role reads
    `palette().role` instead, which mypy checks."""
    colours = palette(theme)
    return colours.status(name) if name in STATUS_ROLES else getattr(colours, name)
