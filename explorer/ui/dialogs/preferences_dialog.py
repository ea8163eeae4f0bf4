"""Preferences: how much history is kept, whether credentials are kept in it, and the
largest response body a send accepts."""

from __future__ import annotations

from PySide6.QtCore import QSettings
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

from explorer.core.http import limits
from explorer.qt.workspace import Workspace

MIB = 1024 * 1024


def apply_saved_limits(settings: QSettings) -> None:
    """Make the remembered maximum body size the default of every send."""
    limits.set_default_max_body_size(saved_max_body_size(settings))


def saved_max_body_size(settings: QSettings) -> int:
    """The remembered maximum, in bytes (the built-in 1 GiB when none or unreadable)."""
    return limits.size_from_setting(settings.value(limits.MAX_BODY_SETTING, 0))


class PreferencesDialog(QDialog):
    """Edit the history limits and the body size limit; Save applies them at once (old
    history entries are pruned)."""

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
        self.max_body = QSpinBox(self)
        self.max_body.setRange(1, 1 << 20)  # 1 MiB to 1 TiB
        self.max_body.setSingleStep(256)
        self.max_body.setSuffix(" MB")
        self.max_body.setValue(-(-saved_max_body_size(workspace.settings) // MIB))
        self.max_body.setAccessibleName("Maximum response body in MB")
        body_note = QLabel(
            "A send stops with a message when the decoded body passes this size; a request "
            "can set its own limit in its Settings tab.",
            self,
        )
        body_note.setWordWrap(True)

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
        layout.addWidget(QLabel("<b>Responses</b>", self))
        body_form = QFormLayout()
        body_form.addRow("Maximum response &body:", self.max_body)
        layout.addLayout(body_form)
        layout.addWidget(body_note)
        layout.addWidget(buttons)

    def apply(self) -> None:
        """Store the preferences, prune the history, close."""
        self.workspace.set_history_preferences(
            self.max_entries.value(), self.max_age.value(), self.keep_sensitive.isChecked()
        )
        size = self.max_body.value() * MIB
        if size != -(-saved_max_body_size(self.workspace.settings) // MIB) * MIB:
            self.workspace.settings.setValue(limits.MAX_BODY_SETTING, size)
            apply_saved_limits(self.workspace.settings)
        self.accept()
