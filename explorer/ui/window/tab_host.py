"""What `WorkspaceTabs` needs of the window that holds the request tabs.

The window (`MainWindow`) satisfies this Protocol as it is; `WorkspaceTabs` sees only
these members, never the rest of the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar, QTabWidget

    from explorer.ui.window.request_tab import RequestTab


class TabHost(Protocol):
    """The window's tab area, a way to open a tab, and its status bar."""

    @property
    def tabs(self) -> QTabWidget:
        """The widget holding the request tabs (and the parent of the tabs' dialogs)."""
        ...

    def new_tab(self) -> RequestTab:
        """Open an empty request tab, make it current and return it."""
        ...

    def statusBar(self) -> QStatusBar:  # noqa: N802 - Qt's name, which MainWindow has
        """Where short messages are shown."""
        ...
