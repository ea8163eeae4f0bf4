"""The one question asked when a file changed on disk since the app read it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from explorer.core.storage.errors import ConflictError


def ask_conflict(parent: QWidget, error: ConflictError, what: str) -> str:
    """ "reload", "overwrite" or "cancel". `what` names what Reload shows, e.g. "the file"."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "File changed on disk",
        f"{error.path}\n{error.reason} (another window, an editor or git).\n\n"
        f"Reload shows {what} as it is now and drops your changes; Overwrite replaces "
        "it with your version.",
        parent=parent,
    )
    reload_button = box.addButton("Reload", QMessageBox.ButtonRole.DestructiveRole)
    overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is overwrite:
        return "overwrite"
    if box.clickedButton() is reload_button:
        return "reload"
    return "cancel"
