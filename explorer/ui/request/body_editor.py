"""The Body tab: a kind selector and one page per kind (raw, form, multipart, binary).

Every page keeps its content while another kind is shown, and `value()` returns all of
them in the `Body`, so switching the kind back and forth loses nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.http.prepare import default_content_type
from explorer.core.model import Body, BodyKind, Request
from explorer.core.units import human_size
from explorer.ui.request.graphql.graphql_page import GraphQLPage
from explorer.ui.request.multipart_table import MultipartTable
from explorer.ui.request.raw_body_editor import RawBodyEditor
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.file_picker import FilePicker
from explorer.ui.widgets.fitting import fit_popup
from explorer.ui.widgets.key_value_table import KeyValueTable

KINDS = (
    ("None", BodyKind.NONE),
    ("Raw", BodyKind.RAW),
    ("Form URL-encoded", BodyKind.FORM),
    ("Multipart form", BodyKind.MULTIPART),
    ("Binary file", BodyKind.BINARY),
    ("GraphQL", BodyKind.GRAPHQL),
)
BINARY_TYPES = (
    "application/octet-stream",
    "application/pdf",
    "application/zip",
    "application/gzip",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "audio/mpeg",
    "video/mp4",
    "text/csv",
)


class BinaryBodyEditor(QWidget):
    """A file whose bytes are the body, with an optional content type."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file_picker = FilePicker("Body file", self)
        self.file_picker.changed.connect(self._on_edited)
        self.content_type_edit = QLineEdit(self)
        self.content_type_edit.setPlaceholderText("application/octet-stream")
        self.content_type_edit.setAccessibleName("Body file content type")
        self.content_type_edit.setCompleter(QCompleter(list(BINARY_TYPES), self))
        self.content_type_edit.textEdited.connect(self._on_edited)
        self.size_label = MessageLabel("muted", self)
        self.size_label.setAccessibleName("Body file size")
        form = QFormLayout(self)
        form.setContentsMargins(0, 4, 0, 0)
        form.addRow("&File:", self.file_picker)
        form.addRow("", self.size_label)
        form.addRow("Content &type:", self.content_type_edit)
        self.setTabOrder(self.file_picker.line_edit, self.file_picker.browse_button)
        self.setTabOrder(self.file_picker.browse_button, self.content_type_edit)
        self._show_size()

    def set_value(self, path: str, content_type: str) -> None:
        """Show `path` and `content_type`, without emitting `changed`."""
        self.file_picker.set_path(path)
        self.content_type_edit.setText(content_type)
        self._show_size()

    def _show_size(self) -> None:
        path_text = self.file_picker.path().strip()
        problem = self.file_picker.problem()
        if not path_text:
            self.size_label.show_message("Choose the file whose bytes are sent.", "muted")
        elif problem:
            self.size_label.show_message(problem.capitalize(), "error")
        elif "{{" in path_text:
            self.size_label.show_message("The path is resolved when the request is sent.")
        else:
            size = Path(path_text).expanduser().stat().st_size
            self.size_label.show_message(human_size(size), "muted")

    def _on_edited(self) -> None:
        self._show_size()
        self.changed.emit()


class BodyEditor(QWidget):
    """Edits a `Body`; `changed` fires on every user edit."""

    changed = Signal()
    kind_chosen = Signal(str)  # a BodyKind the user chose in the box (not set_value)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind_combo = QComboBox(self)
        for label, kind in KINDS:
            self.kind_combo.addItem(label, kind)
        self.kind_combo.setAccessibleName("Body kind")
        fit_popup(self.kind_combo)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_chosen)
        kind_label = QLabel("&Body:", self)
        kind_label.setBuddy(self.kind_combo)
        self.hint_label = MessageLabel("muted", self)
        self.hint_label.setAccessibleName("Body content type")
        self.hint_label.setWordWrap(False)

        self.none_page = QLabel("This request has no body.", self)
        self.none_page.setEnabled(False)
        self.raw_editor = RawBodyEditor(self)
        self.form_table = KeyValueTable("Form fields", parent=self)
        self.multipart_table = MultipartTable(self)
        self.binary_editor = BinaryBodyEditor(self)
        self.graphql_page = GraphQLPage(self)
        self.stack = QStackedWidget(self)
        for page in (
            self.none_page,
            self.raw_editor,
            self.form_table,
            self.multipart_table,
            self.binary_editor,
            self.graphql_page,
        ):
            self.stack.addWidget(page)
        for editor in (
            self.raw_editor,
            self.form_table,
            self.multipart_table,
            self.binary_editor,
            self.graphql_page,
        ):
            editor.changed.connect(self._on_page_changed)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(kind_label)
        row.addWidget(self.kind_combo)
        row.addSpacing(12)
        row.addWidget(self.hint_label, 1)
        row.addStretch(1)  # the box stays by its label when there is no hint to show
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.stack, 1)
        self.multipart_table.set_parts(())
        self._show_kind()

    def kind(self) -> BodyKind:
        """The body kind chosen."""
        # Qt hands back the enum as a plain str: turn it back into the enum.
        return BodyKind(self.kind_combo.currentData())

    def value(self) -> Body:
        """The body as edited; every kind's fields are filled, `content_type` is that of
        the chosen kind (raw language or binary type)."""
        return Body(
            kind=self.kind(),
            text=self.raw_editor.text(),
            content_type=self._content_type(),
            form=self.form_table.pairs(),
            parts=self.multipart_table.parts(),
            file=self.binary_editor.file_picker.path().strip(),
            graphql=self.graphql_page.value(),
        )

    def set_value(self, body: Body) -> None:
        """Show `body`, without emitting `changed`."""
        self.blockSignals(True)
        try:
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(body.kind)))
            raw_type = body.content_type if body.kind == BodyKind.RAW else ""
            self.raw_editor.set_value(body.text, raw_type)
            self.form_table.set_pairs(body.form)
            self.multipart_table.set_parts(body.parts)
            binary_type = body.content_type if body.kind == BodyKind.BINARY else ""
            self.binary_editor.set_value(body.file, binary_type)
            self.graphql_page.set_value(body.graphql)
            self._show_kind()
        finally:
            self.blockSignals(False)

    def content_type_hint(self) -> str:
        """The Content-Type the body implies ("" for no body); for multipart the boundary
        is only known when the request is prepared."""
        # Only the kind and type matter; copying a large raw text on each key is waste.
        body = Body(kind=self.kind(), content_type=self._content_type())
        # The tab does not know the method: a GraphQL body is shown as POSTed (a GET
        # carries it as query parameters, which the hint says).
        method = "POST" if body.kind == BodyKind.GRAPHQL else "GET"
        return default_content_type(Request(method=method, body=body))

    def _content_type(self) -> str:
        if self.kind() == BodyKind.RAW:
            return self.raw_editor.content_type()
        if self.kind() == BodyKind.BINARY:
            return self.binary_editor.content_type_edit.text().strip()
        return ""

    def problems(self) -> list[str]:
        """Problems of the shown kind that will stop or spoil the send (missing files)."""
        kind = self.kind()
        if kind == BodyKind.MULTIPART:
            return self.multipart_table.problems()
        if kind == BodyKind.BINARY:
            path = self.binary_editor.file_picker.path().strip()
            problem = self.binary_editor.file_picker.problem()
            if not path:
                return ["Body: no file chosen"]
            return [f"Body file: {problem}"] if problem else []
        return []

    def _show_kind(self) -> None:
        self.stack.setCurrentIndex(self.kind_combo.currentIndex())
        hint = self.content_type_hint()
        self.hint_label.show_message(f"Content-Type: {hint}" if hint else "")
        graphql = self.kind() == BodyKind.GRAPHQL
        self.hint_label.setToolTip(
            "With GET the operation goes as query parameters" if graphql else ""
        )

    def _on_kind_chosen(self, _index: int) -> None:
        self._show_kind()
        self.kind_chosen.emit(self.kind())
        self.changed.emit()

    def _on_page_changed(self) -> None:
        self._show_kind()
        self.changed.emit()
