"""Small bars shown at the top of a request tab: where the request lives and what it
inherits, and notices that need a decision (a file changed on disk, a large body).

Notices are compact: one line each, the whole text on hover or under "Details", at most
two shown at a time with "+N more" (several of them once stacked into 140 px of orange
above the request). Their colours come from the theme's sheet (`kind` "warning" or
"info"), so a theme switch re-tints them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.widgets.theme import palette

# Notices shown at once; the others wait behind "+N more".
SHOWN_NOTICES = 2


class NoticeText(QLabel):
    """A notice's text on one line, elided at its end; `text()` is still the whole text
    (shown as the tooltip). Unfolded, it wraps and can be selected."""

    elided_changed = Signal(bool)

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setToolTip(text)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._unfolded = False
        self._elided = False

    @property
    def elided(self) -> bool:
        """True when one line does not hold the whole text."""
        return self._elided

    def set_unfolded(self, unfolded: bool) -> None:
        """Show the whole text, wrapped and selectable (True), or one elided line."""
        self._unfolded = unfolded
        self.setWordWrap(unfolded)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            if unfolded
            else Qt.TextInteractionFlag.NoTextInteraction
        )
        self.updateGeometry()
        self.update()

    def _one_line(self) -> str:
        return " ".join(self.text().split())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        if self._unfolded:
            return super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._one_line()), self._line())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return super().minimumSizeHint() if self._unfolded else QSize(0, self._line())

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return super().heightForWidth(width) if self._unfolded else self._line()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return self._unfolded

    def _line(self) -> int:
        margins = self.contentsMargins()
        return self.fontMetrics().height() + margins.top() + margins.bottom()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._measure()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(text)
        self._measure()

    def _measure(self) -> None:
        width = self.contentsRect().width()
        elided = self.fontMetrics().horizontalAdvance(self._one_line()) > width
        if elided != self._elided:
            self._elided = elided
            self.elided_changed.emit(elided)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self._unfolded:
            super().paintEvent(event)
            return
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self._one_line(), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.palette(),
            self.isEnabled(),
            shown,
            QPalette.ColorRole.WindowText,
        )
        painter.end()


class TabNotice(QFrame):
    """A message with a few buttons; a button's action runs, then the bar goes away.
    One line high: a long text is elided, with the whole of it on hover and under
    Details. A notice without a "Dismiss" action gets a ✕ to close it."""

    closed = Signal()

    def __init__(
        self,
        text: str,
        actions: list[tuple[str, Callable[[], object]]],
        name: str,
        parent: QWidget | None = None,
        warning: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tabNotice")
        self.setProperty("kind", "warning" if warning else "info")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(name)
        self.setAccessibleDescription(text)
        self.label = NoticeText(text, self)
        self.details_button = QToolButton(self)
        self.details_button.setText("Details")
        self.details_button.setCheckable(True)
        self.details_button.setAutoRaise(True)
        self.details_button.setToolTip("Show the whole message")
        self.details_button.setVisible(False)
        self.details_button.toggled.connect(self._unfold)
        self.label.elided_changed.connect(self._on_elided)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 2, 2)
        layout.setSpacing(4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        self.buttons: dict[str, QPushButton] = {}
        for caption, action in actions:
            button = QPushButton(caption, self)
            button.setAccessibleName(caption)
            button.clicked.connect(lambda _c=False, run=action: self._run(run))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.buttons[caption] = button
        if "Dismiss" not in self.buttons:
            close = QToolButton(self)
            close.setText("\u2715")
            close.setAutoRaise(True)
            close.setToolTip("Dismiss")
            close.setAccessibleName("Dismiss")
            close.clicked.connect(lambda: self._run(lambda: None))
            layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)

    def _on_elided(self, elided: bool) -> None:
        self.details_button.setVisible(elided or self.details_button.isChecked())

    def _unfold(self, unfolded: bool) -> None:
        self.label.set_unfolded(unfolded)
        self.details_button.setText("Less" if unfolded else "Details")
        self.details_button.setVisible(unfolded or self.label.elided)

    def _run(self, action: Callable[[], object]) -> None:
        self.hide()
        self.closed.emit()
        self.deleteLater()
        action()


class NoticeStack(QWidget):
    """The tab's notices, newest first: at most `SHOWN_NOTICES` of them, then a
    "+N more" button that shows the rest (and "Fewer" folds them again)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeStack")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._notices: list[TabNotice] = []
        self._all = False
        self.more_button = QToolButton(self)
        self.more_button.setAutoRaise(True)
        self.more_button.setAccessibleName("More notices")
        self.more_button.clicked.connect(self._toggle_all)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 0)
        self._layout.setSpacing(3)
        self._layout.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._refresh()

    @property
    def notices(self) -> list[TabNotice]:
        """The notices not dismissed yet, newest first."""
        return list(self._notices)

    def add(self, notice: TabNotice) -> None:
        """Show `notice` first; the oldest shown folds behind "+N more"."""
        notice.setParent(self)
        self._notices.insert(0, notice)
        self._layout.insertWidget(0, notice)
        notice.closed.connect(lambda n=notice: self._remove(n))
        self._refresh()

    def _remove(self, notice: TabNotice) -> None:
        if notice in self._notices:
            self._notices.remove(notice)
            self._refresh()

    def _toggle_all(self) -> None:
        self._all = not self._all
        self._refresh()

    def _refresh(self) -> None:
        hidden = max(len(self._notices) - SHOWN_NOTICES, 0)
        if hidden == 0:
            self._all = False
        for index, notice in enumerate(self._notices):
            notice.setVisible(self._all or index < SHOWN_NOTICES)
        self.more_button.setVisible(hidden > 0)
        self.more_button.setText("Fewer notices" if self._all else f"+{hidden} more")
        self.setVisible(bool(self._notices))


class LocationBar(QLabel):
    """One line: the collection path of the request, and where auth/headers come from."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("locationBar")
        self.setAccessibleName("Request location and inheritance")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setContentsMargins(10, 4, 10, 0)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(f"color: {palette().muted};")

    def refresh_colours(self) -> None:
        """Re-tint after a theme change."""
        self.setStyleSheet(f"color: {palette().muted};")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """One line ending in "…" when the tab is too narrow for it (it was cut off
        mid-word); the tooltip holds the details."""
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            QPalette.ColorRole.WindowText,
        )
        painter.end()

    def shown_text(self) -> str:
        """The text as drawn: one line, cut with "…" to the width there is."""
        one_line = " ".join(self.text().split())
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(one_line, Qt.TextElideMode.ElideRight, width)
