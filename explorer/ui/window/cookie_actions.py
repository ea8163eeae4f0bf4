"""The window's cookie commands: Request ▸ Cookies… and the response's "Manage cookies…".

Both open the one cookie manager of the window (explorer.ui.dialogs.cookie_manager, on
the workspace's jar). Once the workspace is attached, the jar is read on the background
queue, so the first send does not wait for it and an unreadable file is reported in the
status bar at once (it is set aside, never lost).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

if TYPE_CHECKING:
    from explorer.qt.workspace import Workspace
    from explorer.ui.dialogs.cookie_manager import CookieManager

SHORTCUT = "Ctrl+Shift+K"


class CookieActions(QObject):
    """Opens the cookie manager; reports a cookie file that could not be read."""

    def __init__(self, window: QMainWindow, workspace: Workspace) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.dialog: CookieManager | None = None
        self.action = QAction("Coo&kies…", window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setToolTip("See, add, edit and delete the cookies every tab sends")
        self.action.triggered.connect(self.open_manager)
        window.addAction(self.action)
        store = workspace.cookies
        if not store.loaded:
            workspace.run_later(store.jar, lambda _jar: self._report(), lambda _error: None)

    def fill_request_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.action)

    def open_manager(self) -> None:
        """Show the cookie manager (one per window), brought to the front if open."""
        from explorer.ui.dialogs.cookie_manager import CookieManager

        if self.dialog is None:
            self.dialog = CookieManager(self.workspace, self.window)
            self.dialog.finished.connect(self._on_closed)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _on_closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def _report(self) -> None:
        problem = self.workspace.cookies.problem
        if problem:
            self.window.statusBar().showMessage(problem, 20_000)
