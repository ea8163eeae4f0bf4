"""The Docs tab: the request's description, what it is for, in plain text.

Saved in the request's file like every other part. The Sample API's requests carry the
sentence their OpenAPI operation describes them with; the collections tree shows it when
hovering the request.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

MAX_DESCRIPTION = 64 * 1024  # characters; a description is prose, not a payload


class DocsEditor(QWidget):
    """Edits a request's description."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setAccessibleName("Description")
        self.text_edit.setPlaceholderText(
            "What this request is for, what it expects and what it returns."
        )
        self.text_edit.setTabChangesFocus(True)
        # Prose wraps at the width of the pane: never a sideways scroll bar.
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text_edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text_edit.textChanged.connect(self.changed)
        note = QLabel("Shown when hovering the request in the collections tree.", self)
        note.setObjectName("hintNote")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(note)

    def set_value(self, description: str) -> None:
        """Show `description` (without emitting `changed`)."""
        self.text_edit.blockSignals(True)
        try:
            self.text_edit.setPlainText(description)
        finally:
            self.text_edit.blockSignals(False)

    def value(self) -> str:
        """The description as edited, trailing white space dropped."""
        return self.text_edit.toPlainText().rstrip()

    def problems(self) -> list[str]:
        """What must be fixed before sending: nothing, unless the text is huge."""
        if len(self.text_edit.toPlainText()) > MAX_DESCRIPTION:
            return [f"The description is longer than {MAX_DESCRIPTION:,} characters."]
        return []
