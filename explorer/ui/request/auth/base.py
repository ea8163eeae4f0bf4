"""What the Auth tab and its pages share: the page interface and the masked field.

In a module of its own so that a page (auth/oauth1_page, …) and the Auth tab, which
lists the pages in `auth_editor.PAGES`, import it without importing each other.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QSizePolicy, QToolButton, QWidget

from explorer.core.model import Auth
from explorer.ui.widgets.fitting import fit_popup


class AuthPage(QWidget):
    """The settings of one scheme with many of them. Subclasses emit `changed` on
    every user edit and never on `show_auth`."""

    changed = Signal()

    def fill(self, auth: Auth) -> Auth:
        """`auth` with this page's fields set from the widgets."""
        raise NotImplementedError

    def show_auth(self, auth: Auth) -> None:
        """Show this page's fields of `auth`."""
        raise NotImplementedError

    def problems(self, auth: Auth) -> list[str]:
        """What would make this scheme send something other than intended."""
        return []

    # -- fields that report every user edit as `changed` ----------------------------------

    def _line_edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self.changed)
        return edit

    def _secret(self, name: str) -> SecretField:
        field = SecretField(name, self)
        field.line_edit.textEdited.connect(self.changed)
        return field

    def _combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        for label, value in items:
            combo.addItem(label, value)
        combo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        fit_popup(combo)
        combo.activated.connect(self.changed)
        return combo


class SecretField(QWidget):
    """A masked line edit with a Show/Hide toggle."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit(self)
        self.line_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.line_edit.setAccessibleName(what)
        self.reveal_button = QToolButton(self)
        self.reveal_button.setText("Show")
        self.reveal_button.setCheckable(True)
        self.reveal_button.setAccessibleName(f"Show {what.lower()}")
        self.reveal_button.setToolTip(f"Show or hide the {what.lower()}")
        self.reveal_button.toggled.connect(self._on_reveal_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.reveal_button)
        self.setFocusProxy(self.line_edit)

    def is_revealed(self) -> bool:
        """True while the secret is shown in clear."""
        return self.line_edit.echoMode() == QLineEdit.EchoMode.Normal

    def _on_reveal_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.line_edit.setEchoMode(mode)
        self.reveal_button.setText("Hide" if shown else "Show")
