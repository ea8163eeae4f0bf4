"""A file path field with a Browse… button; a path that does not exist is flagged."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from explorer.ui.widgets.feedback import mark_problem

NOT_FOUND = "file not found"


def path_problem(text: str) -> str:
    """Why the path in `text` cannot be read as a file, or "" (also for an empty path and
    for one holding a {{variable}}, which is only known on send)."""
    if not text.strip() or "{{" in text:
        return ""
    path = Path(text.strip()).expanduser()
    if path.is_dir():
        return "this is a folder, not a file"
    if not path.is_file():
        return NOT_FOUND
    return ""


class FilePicker(QWidget):
    """A line edit for a file path plus Browse…; `changed` fires on every user edit."""

    changed = Signal()

    def __init__(
        self,
        what: str,
        parent: QWidget | None = None,
        file_filter: str = "All files (*)",
        compact: bool = False,
    ) -> None:
        """`what` names the file in accessible names ("Body file"); `compact` shows the
        button as "…" for narrow rows."""
        super().__init__(parent)
        self._what = what
        self._filter = file_filter
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText("Path to a file")
        self.line_edit.setAccessibleName(f"{what} path")
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.textEdited.connect(self._on_text_edited)
        self.browse_button = QPushButton("…" if compact else "Browse…", self)
        self.browse_button.setAccessibleName(f"Browse for {what.lower()}")
        self.browse_button.setToolTip(f"Choose the {what.lower()} in a file dialog")
        self.browse_button.clicked.connect(self._on_browse_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.browse_button)
        self.setFocusProxy(self.line_edit)

    @property
    def what(self) -> str:
        """What the file is, as given to the constructor ("CA bundle")."""
        return self._what

    def path(self) -> str:
        """The path as typed (not expanded)."""
        return self.line_edit.text()

    def set_path(self, path: str) -> None:
        """Show `path`, without emitting `changed`."""
        self.line_edit.setText(path)
        self._check()

    def problem(self) -> str:
        """ "file not found" and the like, or "" when the path is empty or readable."""
        return path_problem(self.path())

    def _check(self) -> None:
        problem = self.problem()
        mark_problem(self.line_edit, f"{self._what}: {problem}" if problem else "")

    def _on_text_edited(self, _text: str) -> None:
        self._check()
        self.changed.emit()

    def _on_browse_clicked(self) -> None:
        # The non-native dialog behaves the same everywhere and can be driven in tests;
        # open() rather than exec() keeps the app's event loop the only one.
        start = Path(self.path()).expanduser()
        folder = start.parent if start.parent.is_dir() else Path.home()
        dialog = QFileDialog(self, f"Choose {self._what.lower()}", str(folder), self._filter)
        dialog.setObjectName("filePickerDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if start.is_file():
            dialog.selectFile(str(start))
        dialog.fileSelected.connect(self._on_file_selected)
        dialog.open()

    def _on_file_selected(self, path: str) -> None:
        if path and path != self.path():
            self.line_edit.setText(path)
            self._check()
            self.changed.emit()
