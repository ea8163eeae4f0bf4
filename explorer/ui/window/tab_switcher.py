"""The request tabs' bar: a preview tab drawn in italics, and a button listing every tab.

A preview tab (a request opened by a single click in the collections tree) is the one
the next single click replaces; its title is in italics until it is pinned, as in the
editors and API clients people know. When there are more tabs than fit, the bar scrolls;
the button at its right corner lists every open tab (title with its method, ● when
modified) to jump to.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QPaintEvent
from PySide6.QtWidgets import QMenu, QTabBar, QTabWidget, QToolButton, QWidget

PREVIEW = "preview"  # the tab data of a preview tab


class RequestTabBar(QTabBar):
    """A tab bar that draws the preview tab's title in italics."""

    def preview_index(self) -> int:
        """The index of the preview tab, or -1."""
        for index in range(self.count()):
            if self.tabData(index) == PREVIEW:
                return index
        return -1

    def set_preview(self, index: int) -> None:
        """Make the tab at `index` the preview tab (-1: none is)."""
        for other in range(self.count()):
            wanted = PREVIEW if other == index else None
            if self.tabData(other) != wanted:
                self.setTabData(other, wanted)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        index = self.preview_index()
        if index < 0 or not self.tabRect(index).intersects(event.rect()):
            return
        # The preview tab drawn again over itself, its title in italics. Imported here:
        # the style classes' enums cost ~5 ms to create, before the first paint.
        from PySide6.QtWidgets import QStyle, QStyleOptionTab, QStylePainter

        painter = QStylePainter(self)
        font = painter.font()
        font.setItalic(True)
        painter.setFont(font)
        option = QStyleOptionTab()
        self.initStyleOption(option, index)
        painter.drawControl(QStyle.ControlElement.CE_TabBarTab, option)


class TabListButton(QToolButton):
    """The corner button of the request tabs: a menu of every open tab."""

    def __init__(self, tabs: QTabWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent or tabs)
        self._tabs = tabs
        self.setText("⌄")
        self.setToolTip("All open tabs")
        self.setAccessibleName("All open tabs")
        self.setAutoRaise(True)
        self.setMinimumWidth(24)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_of_tabs = QMenu(self)
        self.menu_of_tabs.setAccessibleName("Open tabs")
        self.menu_of_tabs.aboutToShow.connect(self.fill)
        self.setMenu(self.menu_of_tabs)

    def fill(self) -> None:
        """List the tabs as they are now, the current one checked."""
        menu, tabs = self.menu_of_tabs, self._tabs
        menu.clear()
        for index in range(tabs.count()):
            action = QAction(tabs.tabText(index).replace("&", "&&"), menu)
            action.setToolTip(tabs.tabToolTip(index))
            action.setCheckable(True)
            action.setChecked(index == tabs.currentIndex())
            bar = tabs.tabBar()
            if bar.tabData(index) == PREVIEW:
                font = action.font()
                font.setItalic(True)
                action.setFont(font)
            widget = tabs.widget(index)
            action.triggered.connect(lambda _checked=False, w=widget: self._go(w))
            menu.addAction(action)

    def _go(self, widget: QWidget) -> None:
        if self._tabs.indexOf(widget) >= 0:
            self._tabs.setCurrentWidget(widget)
            widget.setFocus()
