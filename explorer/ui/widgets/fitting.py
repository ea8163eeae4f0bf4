"""Controls that fit their text: a combo box whose list is as wide as its longest item, a
name dialog as wide as its title, tab pages that ask only for the room of the one shown, a
row of controls that folds in two rather than widen its window, a page that scrolls
rather than hold its pane open.

Qt opens a combo box's list exactly as wide as the box itself (with the styles this app
uses), and paints each item after a check-mark column. A box squeezed by its layout, or
one in a table row, then cut its items: "Inherit from pare" in the Auth tab, "Te" and
"Fil" in a multipart row. These sizes follow the font, so they hold at 200% text too.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)


def longest_item_width(combo: QComboBox) -> int:
    """The width in pixels of the combo's longest item text, in the combo's font."""
    metrics = combo.fontMetrics()
    texts = (combo.itemText(index) for index in range(combo.count()))
    return max((metrics.horizontalAdvance(text) for text in texts), default=0)


def popup_allowance(combo: QComboBox) -> int:
    """What an item of the list takes besides its text: the check-mark column, the item
    margins and the list's frame (measured: about 40 px at a 9 pt font), plus room for a
    scroll bar when the list scrolls."""
    metrics = combo.fontMetrics()
    allowance = 3 * metrics.height() + 2 * metrics.averageCharWidth()
    if combo.count() > combo.maxVisibleItems():
        allowance += combo.style().pixelMetric(combo.style().PixelMetric.PM_ScrollBarExtent)
    return allowance


def fit_popup(combo: QComboBox, box: bool = True) -> None:
    """Open the combo's list at least as wide as its longest item (call again after the
    items change), never wider than most of the screen; with `box`, keep the box itself
    wide enough for its items too (for short lists: long ones would widen a dialog)."""
    wanted = longest_item_width(combo) + popup_allowance(combo)
    screen = combo.screen()
    if screen is not None:
        wanted = min(wanted, screen.availableGeometry().width() * 3 // 5)
    combo.view().setMinimumWidth(wanted)
    if box:
        combo.setMinimumContentsLength(0)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)


def ask_text(parent: QWidget, title: str, label: str, default: str = "") -> str | None:
    """Ask for one line of text (a name) in a dialog wide enough for its title: Qt's own
    getText dialog is so narrow that a window manager cut "New environment" to
    "New e…nment". The stripped answer, or None when cancelled or empty."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(default)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    metrics = dialog.fontMetrics()
    # The title bar's font is the window manager's, often bold and larger (1.2), and the
    # bar holds an icon and three buttons (about 10 lines' height).
    title_width = metrics.horizontalAdvance(title)
    dialog.setMinimumWidth(
        max(30 * metrics.averageCharWidth(), int(1.2 * title_width) + 10 * metrics.height())
    )
    dialog.resize(dialog.minimumWidth(), dialog.sizeHint().height())
    accepted = dialog.exec() == QInputDialog.DialogCode.Accepted
    text = dialog.textValue().strip()
    dialog.deleteLater()
    return text if accepted and text else None


def size_by_current_page(tabs: QTabWidget) -> None:
    """Only the page shown counts for the tab widget's minimum size (call again after a
    page is replaced). A stack of pages otherwise asks for the tallest of them all, so a
    short pane could not show the request's Params without the room of its Tests."""
    current = tabs.currentIndex()
    for index in range(tabs.count()):
        page = tabs.widget(index)
        if page is None:
            continue
        policy = QSizePolicy.Policy.Preferred if index == current else QSizePolicy.Policy.Ignored
        if page.sizePolicy().verticalPolicy() != policy:
            page.setSizePolicy(policy, policy)


def follow_current_page(tabs: QTabWidget) -> None:
    """`size_by_current_page` now and whenever another page is shown."""
    size_by_current_page(tabs)
    tabs.currentChanged.connect(lambda _index: size_by_current_page(tabs))


class FoldingRow(QWidget):
    """Two groups of controls (`first`, `second`) on one row when they fit, the second
    under the first when they do not. Its minimum is the wider group's, so a large text
    size folds the row instead of widening the window past the screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = QHBoxLayout()
        self.second = QHBoxLayout()
        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.addLayout(self.first, 1)
        self._box.addLayout(self.second)

    @property
    def folded(self) -> bool:
        return self._box.direction() == QBoxLayout.Direction.TopToBottom

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        first, second = self.first.minimumSize(), self.second.minimumSize()
        height = first.height() + second.height() + self._box.spacing()
        return QSize(max(first.width(), second.width()), height if self.folded else
                     max(first.height(), second.height()))  # fmt: skip

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        wanted = self.first.sizeHint().width() + self.second.sizeHint().width()
        direction = (
            QBoxLayout.Direction.LeftToRight
            if event.size().width() >= wanted + self._box.spacing()
            else QBoxLayout.Direction.TopToBottom
        )
        if direction != self._box.direction():
            self._box.setDirection(direction)
            self.updateGeometry()


def scrolling_page(owner: QWidget, page: QWidget) -> QScrollArea:
    """Fill `owner` with `page` in a frameless scroll area: at 1280×720 or at a large text
    size the page scrolls instead of holding its pane (and the window) open."""
    scroll = QScrollArea(owner)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(page)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll)
    return scroll
