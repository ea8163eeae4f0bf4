"""Start the window: the only place that wires the UI together.

Start-up is kept lean (DESIGN.md): nothing here imports requests or Flask. requests is
imported on the first send, Flask only ever runs in the sample-server child process.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

APP_NAME = "API Explorer"


def data_dir() -> Path:
    """Where the app keeps settings and data: $API_EXPLORER_HOME, else the XDG location."""
    explicit = os.environ.get("API_EXPLORER_HOME")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "api-explorer"


def open_settings(directory: Path) -> QSettings:
    """Preferences and window layout, as an INI file in the data directory."""
    directory.mkdir(parents=True, exist_ok=True)
    return QSettings(str(directory / "settings.ini"), QSettings.Format.IniFormat)


def build_window(app: QApplication, settings: QSettings) -> object:
    """Apply the remembered theme and build the main window (not shown yet)."""
    from explorer.ui.main_window import MainWindow
    from explorer.ui.theme import Theme, apply_theme

    theme_value = str(settings.value("theme", Theme.DARK.value))
    theme = Theme(theme_value) if theme_value in (Theme.DARK, Theme.LIGHT) else Theme.DARK
    apply_theme(app, theme)
    return MainWindow(settings)


def main(argv: list[str] | None = None) -> int:
    """Open the window and run until it closes."""
    parser = argparse.ArgumentParser(prog="api-explorer", description=APP_NAME)
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, wait for its first paint, then exit (for tests and benchmarks)",
    )
    parser.add_argument(
        "--start-server", action="store_true", help="start the sample server on launch"
    )
    args, qt_args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("api-explorer")
    app.setDesktopFileName("api-explorer")
    window = build_window(app, open_settings(data_dir()))
    window.show()
    if args.start_server:
        window.start_server()
    if args.smoke_test:
        QTimer.singleShot(0, app.quit)
    return app.exec()
