"""Dialogs for making and opening collections."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.storage.layout import slugify


class NewCollectionDialog(QDialog):
    """A name and the folder the collection's folder is made in."""

    def __init__(self, default_parent: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New collection")
        self.setAccessibleName("New collection")
        self.name_edit = QLineEdit("My API", self)
        self.name_edit.setAccessibleName("Collection name")
        self.name_edit.selectAll()
        self.parent_edit = QLineEdit(str(default_parent), self)
        self.parent_edit.setAccessibleName("Create in folder")
        browse = QPushButton("Browse…", self)
        browse.setAccessibleName("Choose the folder")
        browse.clicked.connect(self._browse)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Collection folder")
        self.name_edit.textChanged.connect(self._update)
        self.parent_edit.textChanged.connect(self._update)
        where = QHBoxLayout()
        where.addWidget(self.parent_edit, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Name:", self.name_edit)
        form.addRow("In folder:", where)
        form.addRow("Files go to:", self.result_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            QLabel("A collection is a folder of plain YAML files you can keep in git.", self)
        )
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        self._update()

    def folder(self) -> Path:
        """Where the collection's folder will be."""
        parent = Path(self.parent_edit.text().strip()).expanduser()
        return parent / slugify(self.name_edit.text(), "collection")

    def name(self) -> str:
        """The collection's name."""
        return self.name_edit.text().strip() or "Collection"

    def _update(self) -> None:
        self.result_label.setText(str(self.folder()))

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Create in folder", self.parent_edit.text())
        if chosen:
            self.parent_edit.setText(chosen)
