"""Save a new request: choose its name and the folder (of any open collection) it goes in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.core.collection import Folder
from explorer.qt.workspace import Workspace
from explorer.ui.widgets.fitting import fit_popup

SaveTarget = tuple[Path, str, str]  # collection root, folder rel, request name


def folder_choices(workspace: Workspace) -> list[tuple[str, Path, str]]:
    """(label, collection root, folder rel) of every collection and folder, in tree order."""
    choices: list[tuple[str, Path, str]] = []
    for opened in workspace.collections.values():
        choices.append((opened.name, opened.root, ""))
        folders = sorted(
            (i for i in opened.items.values() if isinstance(i.item, Folder)),
            key=lambda i: i.rel,
        )
        for info in folders:
            label = " / ".join((opened.name, *info.folder_path, info.item.name))
            choices.append((label, opened.root, info.rel))
    return choices


class SaveRequestDialog(QDialog):
    """Name + target folder; the default folder is the default collection."""

    def __init__(
        self,
        workspace: Workspace,
        name: str,
        default_root: Path,
        default_folder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save request")
        self.setAccessibleName("Save request")
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setAccessibleName("Request name")
        self.name_edit.selectAll()
        self.folder_combo = QComboBox(self)
        self.folder_combo.setAccessibleName("Save in folder")
        # Wide enough for a name and a folder path at any text size; the list of folders
        # opens wider when a path is longer.
        self.folder_combo.setMinimumWidth(max(320, 44 * self.fontMetrics().averageCharWidth()))
        for label, root, rel in folder_choices(workspace):
            self.folder_combo.addItem(label, (str(root), rel))
            if root == default_root and rel == default_folder:
                self.folder_combo.setCurrentIndex(self.folder_combo.count() - 1)
        fit_popup(self.folder_combo, box=False)
        form = QFormLayout()
        form.addRow("Name:", self.name_edit)
        form.addRow("Save in:", self.folder_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _on_accept(self) -> None:
        if self.name_edit.text().strip():
            self.accept()
        else:
            self.name_edit.setFocus()

    def target(self) -> SaveTarget:
        """The chosen collection root, folder and name."""
        root, rel = self.folder_combo.currentData()
        return Path(root), rel, self.name_edit.text().strip()
