"""Small bars shown at the top of a request tab: where the request lives and what it
inherits, and notices that need a decision (a file changed on disk, a large body)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from explorer.ui.widgets.theme import palette


class TabNotice(QFrame):
    """A message with a few buttons; a button's action runs, then the bar goes away."""

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
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(name)
        tint = palette().warning if warning else palette().muted
        self.setStyleSheet(
            f"QFrame#tabNotice {{ border: 1px solid {tint}; border-radius: 3px; }}"
            f"QFrame#tabNotice QLabel {{ color: {tint}; }}"
        )
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for caption, action in actions:
            button = QPushButton(caption, self)
            button.setAccessibleName(caption)
            button.clicked.connect(lambda _c=False, run=action: self._run(run))
            layout.addWidget(button)
            self.buttons[caption] = button

    def _run(self, action: Callable[[], object]) -> None:
        self.hide()
        self.deleteLater()
        action()


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
