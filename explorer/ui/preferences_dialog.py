"""Preferences: how much history is kept, and whether credentials are kept in it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.workspace import Workspace


class PreferencesDialog(QDialog):
    """Edit the history limits; Save applies them at once (old entries are pruned)."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        entries, days = workspace.history_limits()
        self.max_entries = QSpinBox(self)
        self.max_entries.setRange(0, 1_000_000)
        self.max_entries.setSingleStep(500)
        self.max_entries.setSpecialValueText("No limit")
        self.max_entries.setValue(entries)
        self.max_entries.setAccessibleName("Maximum history entries")
        self.max_age = QSpinBox(self)
        self.max_age.setRange(0, 3650)
        self.max_age.setSuffix(" days")
        self.max_age.setSpecialValueText("No limit")
        self.max_age.setValue(days)
        self.max_age.setAccessibleName("Maximum history age in days")
        self.keep_sensitive = QCheckBox(
            "Keep Authorization, Cookie and secret values in the history", self
        )
        self.keep_sensitive.setChecked(workspace.history.keep_sensitive)
        self.keep_sensitive.setAccessibleName("Keep credentials in history")
        note = QLabel("By default they are replaced by a placeholder before being stored.", self)
        note.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Keep at most:", self.max_entries)
        form.addRow("Forget entries older than:", self.max_age)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>History</b>", self))
        layout.addLayout(form)
        layout.addWidget(self.keep_sensitive)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def apply(self) -> None:
        """Store the preferences, prune the history, close."""
        self.workspace.set_history_preferences(
            self.max_entries.value(), self.max_age.value(), self.keep_sensitive.isChecked()
        )
        self.accept()
