"""Inline feedback in theme colours: a message label and a "this field has a problem" mark.

qdarkstyle colours text through its stylesheet, so a palette change would not show; a
widget's own stylesheet wins over the application's. The colours come from palette.py
and are re-applied when the theme changes. The theme switch restyles widgets before it
records the new theme, so the re-colouring waits for the event loop's next turn.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QLayout, QVBoxLayout, QWidget

from explorer.ui.widgets.theme import colour, palette

_PROBLEM = "_explorer_problem"


class MessageLabel(QLabel):
    """A word-wrapped message coloured by role ("error", "warning", "muted"), hidden when
    empty."""

    def __init__(self, role: str = "muted", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._role = role
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setVisible(False)
        self._restyle()

    @property
    def role(self) -> str:
        """The colour role of the current message."""
        return self._role

    def show_message(self, text: str, role: str | None = None) -> None:
        """Show `text` in the colour of `role` (or the current role); hide when empty."""
        if role is not None and role != self._role:
            self._role = role
            self._restyle()
        self.setText(text)
        self.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow a theme switch."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            QTimer.singleShot(0, self, self._restyle)

    def _restyle(self) -> None:
        sheet = f"QLabel {{ color: {colour(self._role)}; }}"
        if self.styleSheet() != sheet:
            self.setStyleSheet(sheet)


class _ThemeFollower(QObject):
    """Re-applies a widget's problem colour after a theme switch."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.StyleChange and isinstance(watched, QWidget):
            QTimer.singleShot(0, watched, lambda: _apply_problem_style(watched))
        return False


def open_in_browser(url: str, open_url: Callable[[QUrl], bool]) -> tuple[str, bool]:
    """Hand `url` to the system's browser and put it on the clipboard as well: Qt knows
    only whether the system's opener started (xdg-open on Linux), not whether a browser
    appeared, so "Opened" could be untrue on a machine without one. Returns the one line
    to show and whether it is a warning (nothing could be started at all)."""
    QGuiApplication.clipboard().setText(url)
    if open_url(QUrl(url)):
        return f"Sent {url} to the web browser (also copied, in case none opens).", False
    return f"No web browser could be started. {url} is copied: paste it into a browser.", True


def mark_problem(widget: QWidget, problem: str) -> None:
    """Colour `widget`'s text as an error and explain `problem` in its tooltip; "" clears."""
    if widget.property(_PROBLEM) is None:
        follower = _ThemeFollower(widget)
        widget.installEventFilter(follower)
    widget.setProperty(_PROBLEM, problem)
    widget.setToolTip(problem)
    _apply_problem_style(widget)


def problem_of(widget: QWidget) -> str:
    """The problem last marked on `widget`, or ""."""
    return widget.property(_PROBLEM) or ""


def _apply_problem_style(widget: QWidget) -> None:
    problem = widget.property(_PROBLEM) or ""
    sheet = f"color: {palette().error};" if problem else ""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def stacked(*items: QWidget | QLayout, parent: QWidget | None = None) -> QWidget:
    """A widget holding `items` one above the other, tightly: a field and its message in
    one form row, so a hidden message leaves no gap."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    for item in items:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    return box


def add_form_row(form: QFormLayout, label: str, field: QWidget, *notes: QWidget) -> None:
    """A form row of `field` with `notes` under it; the label's mnemonic focuses `field`."""
    parent = field.parentWidget()
    caption = QLabel(label, parent)
    caption.setBuddy(field)
    form.addRow(caption, stacked(field, *notes, parent=parent) if notes else field)
