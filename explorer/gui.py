"""Start the window: the only place that wires the UI together.

Start-up is kept lean (docs/ARCHITECTURE.md: Start-up): nothing here imports requests or
Flask. requests is imported on the first send, Flask only ever runs in the sample-server
child process.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from explorer.core.atomic import make_private_dir
from explorer.core.paths import data_dir

if TYPE_CHECKING:
    import argparse

    from explorer.qt.workspace import Workspace
    from explorer.ui.window.main_window import MainWindow

APP_NAME = "API Explorer"


def open_settings(directory: Path) -> QSettings:
    """Preferences and window layout, as an INI file in the data directory (0600: it
    names collections, files and hosts; Qt keeps the mode of the file it replaces)."""
    from explorer.core.atomic import make_private_file

    make_private_dir(directory, tighten=True)
    make_private_file(directory / "settings.ini")
    return QSettings(str(directory / "settings.ini"), QSettings.Format.IniFormat)


def build_window(
    app: QApplication, settings: QSettings, directory: Path | None = None, deferred: bool = True
) -> MainWindow:
    """Apply the remembered theme and build the main window (not shown yet), with its
    workspace (collections, history, drafts) in `directory` (default: `data_dir()`).

    `deferred`: the workspace is loaded right after the window's first paint, so the
    window appears before YAML, SQLite and the docks are loaded (docs/ARCHITECTURE.md: Start-up).
    """
    from explorer.core.http import limits
    from explorer.qt.preference_store import load_preferences
    from explorer.ui.widgets.fonts import set_code_font
    from explorer.ui.widgets.theme import apply_theme, choose_theme, theme_for
    from explorer.ui.window.main_window import MainWindow

    # The maximum body size set in Preferences is the default of every send.
    saved = settings.value(limits.MAX_BODY_SETTING, 0)
    limits.set_default_max_body_size(limits.size_from_setting(saved))

    preferences = load_preferences(settings)
    set_code_font(preferences.font)  # before any code view is made
    # "dark" and "light" as stored before "system" existed mean what they meant.
    theme = theme_for(preferences.theme)
    choose_theme(app, theme)

    def make_workspace() -> Workspace:
        from explorer.qt.workspace import Workspace

        return Workspace(directory or data_dir(), settings)

    if deferred:
        window = MainWindow(settings, workspace_factory=make_workspace)
    else:
        window = MainWindow(settings, workspace=make_workspace())
    apply_theme(app, theme)  # last: see `choose_theme`
    return window


# What a plain start (no arguments, the usual case) means: see parse_arguments.
_PLAIN_START = SimpleNamespace(smoke_test=False, start_server=False)


def parse_arguments(argv: list[str]) -> tuple[SimpleNamespace | argparse.Namespace, list[str]]:
    """The app's own flags, and the arguments left for Qt (-platform, -style …).

    Without arguments argparse is not even imported: 2 ms of start-up saved.
    """
    if not argv:
        return _PLAIN_START, []
    import argparse

    from explorer.cli import WINDOW_FLAGS  # the flags' one list, checked before Qt starts

    parser = argparse.ArgumentParser(prog="api-explorer", description=APP_NAME)
    for flag, text in WINDOW_FLAGS.items():
        parser.add_argument(flag, action="store_true", help=text)
    return parser.parse_known_args(argv)


def start(
    argv: list[str] | None = None,
) -> tuple[QApplication, MainWindow, SimpleNamespace | argparse.Namespace]:
    """Parse the arguments, make the application and show the window (restoring the
    last session); the caller runs the event loop."""
    args, qt_args = parse_arguments(sys.argv[1:] if argv is None else argv)
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("api-explorer")
    app.setDesktopFileName("api-explorer")
    from explorer.ui.widgets.app_icon import app_icon

    app.setWindowIcon(app_icon())  # the title bar's and the taskbar's
    from explorer.qt.gc_guard import install

    install(app)
    from explorer.core.http import spool

    # Spooled bodies left by a run that crashed or was killed; this run's own go with
    # their responses and at exit (core/spool.py).
    spool.sweep_once(background=True)
    directory = data_dir()
    settings = open_settings(directory)
    window = build_window(app, settings, directory)
    if not settings.contains("window/geometry"):
        _fit_to_screen(window, app)
    window.show()
    if args.start_server:
        window.start_server()
    return app, window, args


def _fit_to_screen(window: MainWindow, app: QApplication) -> None:
    """A first start opens at the window's own size or smaller, inside the screen: on a
    1280×720 screen a 1280×800 window hid its status bar, and the newcomer's offers in
    it, below the screen's edge. A geometry saved at the last quit is kept as it was."""
    screen = app.primaryScreen()
    if screen is None:
        return
    available = screen.availableGeometry()
    window.resize(window.size().boundedTo(available.size()))
    window.move(available.topLeft())


def main(argv: list[str] | None = None) -> int:
    """Open the window and run until it closes."""
    app, _window, args = start(argv)
    if args.smoke_test:
        QTimer.singleShot(0, app.quit)
    return app.exec()
