"""Marking a part of a response for a moment: "look here".

When the Explain tab's "Show in response" (or a lesson's "Try it") points at a header,
a cookie, a timing phase or the status, the part is brought into view and a tinted band
is laid over it that fades out in about two seconds. The band is a child widget drawn
over the view (it takes no clicks), so it shows over a selected row too, in the colour
of the current match of a search (`search_current_match`, translucent in both themes).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEasingCurve, QRect, Qt, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTreeWidget, QTreeWidgetItem, QWidget

from explorer.ui.widgets.theme import palette

FLASH_MS = 2000  # how long the mark takes to fade away
_HOLD = 0.35  # the share of that time it stays at full strength before fading


class FlashMark(QWidget):
    """A translucent band over `rect` of `host` that fades out, then deletes itself."""

    def __init__(self, host: QWidget, rect: QRect) -> None:
        super().__init__(host)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setObjectName("flashMark")
        self.setGeometry(rect)
        self.strength = 1.0
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(FLASH_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.Linear)
        self._animation.valueChanged.connect(self._on_step)
        self._animation.finished.connect(self.deleteLater)
        self.show()
        self.raise_()
        self._animation.start()

    def _on_step(self, value: object) -> None:
        done = float(value)  # type: ignore[arg-type]
        self.strength = 1.0 if done < _HOLD else max(0.0, 1.0 - (done - _HOLD) / (1 - _HOLD))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        colours = palette()
        # Light enough to read the text under it; the accent on the left says "here".
        fill = QColor(colours.search_current_match)
        fill.setAlphaF(fill.alphaF() * 0.45 * self.strength)
        edge = QColor(colours.warning)
        edge.setAlphaF(self.strength)
        painter = QPainter(self)
        painter.fillRect(self.rect(), fill)
        painter.fillRect(QRect(0, 0, 3, self.height()), edge)  # an accent on the left
        painter.end()


def flash(host: QWidget, rect: QRect | None = None) -> FlashMark:
    """Mark `rect` of `host` (all of it by default) for a moment. An earlier mark on the
    same host goes at once: only what was pointed at last is marked."""
    for old in host.findChildren(FlashMark, options=Qt.FindChildOption.FindDirectChildrenOnly):
        old.hide()
        old.deleteLater()
    return FlashMark(host, rect if rect is not None else host.rect())


def clear_marks(root: QWidget) -> None:
    """Take away every mark under `root` at once (a new response: the old marks would
    lie over parts they no longer mean)."""
    for mark in root.findChildren(FlashMark):
        mark.hide()
        mark.deleteLater()


def flash_rows(view: QAbstractItemView, rects: Sequence[QRect]) -> None:
    """Mark rows of an item view (their rectangles in its viewport), across its width."""
    viewport = view.viewport()
    band = QRect()
    for rect in rects:
        band = band.united(QRect(0, rect.top(), viewport.width(), rect.height()))
    if not band.isEmpty():
        flash(viewport, band)


def point_at_rows(table: QTableWidget, rows: Sequence[int]) -> None:
    """Select the first of `rows`, scroll it to the middle, and mark them all."""
    if not rows:
        return
    table.clearSelection()
    table.selectRow(rows[0])
    first = table.item(rows[0], 0)
    if first is not None:
        table.scrollToItem(first, QAbstractItemView.ScrollHint.PositionAtCenter)
    table.setFocus(Qt.FocusReason.OtherFocusReason)
    rects = []
    for row in rows:
        item = table.item(row, 0)
        if item is not None:
            rects.append(table.visualItemRect(item))
    flash_rows(table, rects)


def point_at_tree_item(tree: QTreeWidget, item: QTreeWidgetItem) -> None:
    """Select `item`, scroll it into view, and mark it."""
    tree.setCurrentItem(item)
    tree.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)
    tree.setFocus(Qt.FocusReason.OtherFocusReason)
    flash_rows(tree, [tree.visualItemRect(item)])


def rows_named(table: QTableWidget, name: str, column: int = 0) -> list[int]:
    """The rows whose `column` reads `name`, case-insensitively (header names)."""
    wanted = name.strip().lower()
    found = []
    for row in range(table.rowCount()):
        item = table.item(row, column)
        if item is not None and item.text().strip().lower() == wanted:
            found.append(row)
    return found
