"""The first start of a newcomer offers the path through the lessons, once and quietly:
one line in the status bar with "Start learning" and a dismiss button, never a dialog.

A newcomer is someone with no progress file, no collection of their own (the default
Scratch collection holds no request) and no history. The offer is remembered (the
progress file is written with `offered`), so it never comes back.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStatusBar, QToolButton, QWidget

from explorer.core.learn.progress import Progress, progress_path, write_progress
from explorer.qt.background import BackgroundQueue
from explorer.ui.widgets.theme import palette

if TYPE_CHECKING:
    from collections.abc import Callable

    from explorer.qt.workspace import Workspace


class OfferHost(Protocol):
    """What the offer needs of the main window."""

    @property
    def workspace(self) -> Workspace | None: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - QMainWindow's name


def is_newcomer(workspace: Workspace, progress_file: Path) -> bool:
    """No progress file, no collection of their own, no history."""
    if progress_file.exists():
        return False
    default = workspace.default_root.resolve()
    for root, opened in workspace.collections.items():
        if root != default or opened.collection.items:
            return False
    return workspace.history.count() == 0


class LearnOffer(QWidget):
    """ "New to HTTP APIs? [Start learning] [×]" in the status bar."""

    accepted = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("learnOffer")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        self.label = QLabel("New to HTTP and REST? Short lessons, with requests to try.", self)
        self.start_button = QPushButton("Start learning", self)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Not now (View ▸ Learn opens the lessons any time)")
        self.close_button.setAccessibleName("Dismiss the lessons offer")
        layout.addWidget(self.label)
        layout.addWidget(self.start_button)
        layout.addWidget(self.close_button)
        self.start_button.clicked.connect(self._accept)
        self.close_button.clicked.connect(self._dismiss)
        self._style()

    def _style(self) -> None:
        # The status bar draws push buttons flat, like its text: this one must read as a
        # button, as the environment's offer beside it does (the theme's link colour).
        tint = palette().link
        self.start_button.setStyleSheet(
            f"QPushButton {{ color: {tint}; border: 1px solid {tint}; border-radius: 3px;"
            " padding: 1px 8px; margin: 1px 4px; }"
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:  # another theme, once it is recorded
            QTimer.singleShot(0, self, self._style)

    def follow_message(self, message: str) -> None:
        """Step aside while the status bar shows a message (see offer_learning)."""
        self.setVisible(not message)

    def _accept(self) -> None:
        self.hide()
        self.accepted.emit()
        self.deleteLater()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
        self.deleteLater()


def offer_learning(
    host: OfferHost,
    open_learning: Callable[[], object],
    progress_file: Path | None = None,
) -> LearnOffer | None:
    """Show the offer when this is a newcomer's first start; it is remembered as made
    at once (written off the GUI thread). None when there is nothing to offer."""
    workspace = host.workspace
    path = progress_file if progress_file is not None else progress_path()
    if workspace is None or not is_newcomer(workspace, path):
        return None
    bar = host.statusBar()
    offer = LearnOffer(bar)
    bar.addWidget(offer)
    # A status message normally hides the bar's other widgets until it goes, but Qt
    # shows them again when the bar is laid out anew (the server's environment offer
    # added beside it did), and the two texts were drawn over each other. The offer
    # follows the message itself: hidden while one is shown, back when it clears.
    bar.messageChanged.connect(offer.follow_message)
    offer.follow_message(bar.currentMessage())
    offer.accepted.connect(open_learning)
    queue = BackgroundQueue(offer)
    queue.run(functools.partial(write_progress, Progress(offered=True), path))
    return offer
