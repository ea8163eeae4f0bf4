"""A one-line label that never asks for more width than it is given.

A QLabel's size hint is its whole text, so a long message (a footer, a notice) widens
its pane and moves the splitters around it. This label shows as much as fits, ends with
"…" when cut, and keeps the whole text in its tooltip and accessible description.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class ElidedLabel(QWidget):
    """One line of text, cut with "…" to the width it has; the full text on hover."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name, a drop-in
        self._text = text
        self.setToolTip(text if self.is_elided() else "")
        self.setAccessibleDescription(text)
        self.update()

    def is_elided(self) -> bool:
        """True when the text does not fit and ends in "…"."""
        return self.fontMetrics().horizontalAdvance(self._text) > max(0, self.width())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(
            self.fontMetrics().horizontalAdvance(self._text), self.minimumSizeHint().height()
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, self.fontMetrics().height() + 2)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.setToolTip(self._text if self.is_elided() else "")

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, self.width())
        painter.setPen(self.palette().windowText().color())
        painter.drawText(
            self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown
        )
