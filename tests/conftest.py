"""Shared fixtures: headless Qt, an isolated data directory, a live practice server."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator

import pytest

# Before anything imports PySide6: no display is needed for any test.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads or writes the real home directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("API_EXPLORER_HOME", str(home / "api-explorer"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    return home


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The practice server's app in a thread on a free port: its base URL."""
    from werkzeug.serving import make_server

    from bundled_server import create_app

    server = make_server("127.0.0.1", 0, create_app({"TESTING": True}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(5)


# Every this many tests a process collects all its objects, frozen ones included.
FULL_COLLECTION_EVERY = 100
_tests_run = itertools.count(1)


@pytest.fixture(autouse=True)
def collect_garbage_on_the_gui_thread(request: pytest.FixtureRequest):
    """As the app does (explorer.qt.gc_guard): a Qt object freed by a collection that
    happens to run in a worker thread would be destroyed in the wrong thread.

    A full collection walks every object the process holds: about 75 ms a test once the
    window's modules are loaded, a third of the suite's time. What survived a collection
    is frozen (gc.freeze), so the next one walks only what the next test made; every
    FULL_COLLECTION_EVERY tests everything is walked again, so a cycle that became
    garbage among the frozen objects is still freed, within that many tests."""
    import gc

    gc.disable()
    yield
    if next(_tests_run) % FULL_COLLECTION_EVERY == 0:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def restore_the_theme():
    """A test that switches the theme (View ▸ Light) leaves the application as it found
    it: with the suite spread over processes, the next test in the same process must
    not inherit light colours it does not expect."""
    import sys

    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets else None
    before = (app.property("explorerTheme"), app.styleSheet()) if app else None
    yield
    if app is not None and before is not None:
        if app.property("explorerTheme") != before[0]:
            from explorer.ui.widgets.theme import Theme, choose_theme

            choose_theme(app, Theme(before[0]) if before[0] else Theme.DARK)
            app.setProperty("explorerTheme", before[0])
        if app.styleSheet() != before[1]:
            app.setStyleSheet(before[1])


@pytest.fixture(autouse=True)
def release_held_modifiers():
    """A key click with Ctrl or Shift (qtbot.keyClick) leaves Qt believing the modifier
    is still held until the next key event says otherwise; the next test's
    setCurrentItem in a multi-selection list then toggled the row instead of selecting
    it. A test hands the next one a keyboard with nothing held."""
    yield
    import sys

    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets else None
    if app is None:
        return
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    if app.keyboardModifiers() != Qt.KeyboardModifier.NoModifier:
        blank = widgets.QWidget()
        QTest.keyClick(blank, Qt.Key.Key_unknown)  # an event that holds no modifier
        blank.deleteLater()


@pytest.fixture
def window(qtbot, tmp_path):
    """The real main window, its settings and workspace in `tmp_path`; closed after."""
    from PySide6.QtCore import QSettings, QThreadPool

    from explorer.ui.window.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    assert QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def recording_server():
    """A recording echo server (tests/support/recording_server.py): its `url`, and every
    request exactly as it arrived in `requests` / `take()`."""
    from tests.support.recording_server import RecordingServer

    with RecordingServer() as server:
        yield server
