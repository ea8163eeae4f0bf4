"""A plain text view of a response body: JSON pretty-printed, other text as it is.

Bodies are decoded with replacement characters, so invalid UTF-8 never fails. Only the
first `DISPLAY_LIMIT` bytes are laid out, because QPlainTextEdit blocks the GUI for
seconds on multi-megabyte text (DESIGN.md); the summary line always shows the full size.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from explorer.core.units import human_size
from explorer.ui.request_editor import monospace_font

DISPLAY_LIMIT = 2 * 1024 * 1024


class SimpleBodyView(QWidget):
    """Read-only body text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setFont(monospace_font())
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setAccessibleName("Response body")
        self.note = QLabel("", self)
        self.note.setAccessibleName("Body note")
        self.note.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 1)

    def set_body(self, data: bytes, path: Path | None, content_type: str) -> None:
        size = path.stat().st_size if path is not None else len(data)
        if path is not None:
            with path.open("rb") as handle:
                data = handle.read(DISPLAY_LIMIT)
        shown = data[:DISPLAY_LIMIT]
        text = shown.decode(_charset(content_type), errors="replace")
        if "json" in content_type.lower() and size <= DISPLAY_LIMIT:
            text = _pretty_json(text)
        self.text.setPlainText(text)
        truncated = size > len(shown)
        self.note.setVisible(truncated)
        if truncated:
            self.note.setText(f"Showing the first {human_size(len(shown))} of {human_size(size)}.")

    def clear(self) -> None:
        self.text.clear()
        self.note.setVisible(False)

    def plain_text(self) -> str:
        return self.text.toPlainText()


def _pretty_json(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"')
            try:
                "".encode(charset)
            except LookupError:
                return "utf-8"
            return charset
    return "utf-8"
