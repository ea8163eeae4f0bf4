"""The response's Console tab: what the request's Python scripts printed, and their
errors, for the last send. The lines arrive masked (secret values never reach it) and
bounded by the script runner; the view keeps at most `MAX_LINES` of them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fonts import monospace_font

MAX_LINES = 5000
NOTHING = "No script ran for this send."


class ConsoleView(QWidget):
    """Script output of one send: a line of status above, the output below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Script console")
        self.status = MessageLabel("muted", self)
        self.status.setAccessibleName("Script status")
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setFont(monospace_font())
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setMaximumBlockCount(MAX_LINES)
        self.text.setAccessibleName("Script output")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.status)
        layout.addWidget(self.text, 1)
        self.clear()

    def clear(self, status: str = NOTHING) -> None:
        self.text.clear()
        self.status.show_message(status, "muted")

    def show_lines(self, lines: Sequence[str], error: str = "", status: str = "") -> None:
        """Show a send's output; `error` (one line) is said above it in the error colour."""
        self.text.setPlainText("\n".join(lines[-MAX_LINES:]))
        if error:
            self.status.show_message(f"Script error: {error}", "error")
        else:
            ran = "The scripts ran." if lines else "The scripts ran and printed nothing."
            self.status.show_message(status or ran, "muted")

    def lines(self) -> list[str]:
        """The lines shown."""
        text = self.text.toPlainText()
        return text.split("\n") if text else []
