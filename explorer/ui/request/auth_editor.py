"""The Auth tab: a scheme and its credentials, secrets masked until revealed.

All fields stay filled while another scheme is shown (Basic and Digest share the user
name and password), and `value()` returns them all, so switching loses nothing.

The simple schemes are rows of one form; a scheme with many settings (OAuth 2.0,
OAuth 1.0a, AWS Signature) is an `AuthPage` of its own module, listed in `PAGES`, shown
under the type box while its scheme is chosen.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.core.http.prepare import header_problem
from explorer.core.model import Auth, AuthKind
from explorer.ui.request.auth import aws_page, oauth1_page, oauth2_page
from explorer.ui.request.auth.base import AuthPage, SecretField
from explorer.ui.widgets.feedback import MessageLabel, add_form_row
from explorer.ui.widgets.fitting import fit_popup

KINDS = (
    ("No auth", AuthKind.NONE),
    ("Inherit from parent", AuthKind.INHERIT),
    ("Basic", AuthKind.BASIC),
    ("Bearer token", AuthKind.BEARER),
    ("API key", AuthKind.API_KEY),
    ("Digest", AuthKind.DIGEST),
)
EXPLANATIONS = {
    AuthKind.NONE: "No credentials are sent.",
    AuthKind.INHERIT: "Uses the auth of the folder or collection this request is in.",
    AuthKind.BASIC: "Sends Authorization: Basic base64(username:password). Base64 is not "
    "encryption: use HTTPS.",
    AuthKind.BEARER: "Sends Authorization: Bearer <token>.",
    AuthKind.API_KEY: "Sends the key under the name you choose, as a header or as a query "
    "parameter.",
    AuthKind.DIGEST: "Answers the server's 401 challenge with Authorization: Digest …, a hash "
    "of the credentials; the password itself is not sent.",
}
KEY_PLACES = (("Header", "header"), ("Query parameter", "query"))


@dataclass(frozen=True)
class PageKind:
    """A scheme shown as a page of its own: its label in the type box, the one-line
    explanation, and how to build its page."""

    kind: AuthKind
    label: str
    explanation: str
    page: Callable[[QWidget], AuthPage]


# Schemes with a page of their own, in the order the type box lists them after the rest.
PAGES: tuple[PageKind, ...] = (
    PageKind(AuthKind.OAUTH2, "OAuth 2.0", oauth2_page.EXPLANATION, oauth2_page.OAuth2Page),
    PageKind(AuthKind.OAUTH1, "OAuth 1.0", oauth1_page.EXPLANATION, oauth1_page.OAuth1Page),
    PageKind(AuthKind.AWS_SIGV4, "AWS Signature", aws_page.EXPLANATION, aws_page.AwsPage),
)


class AuthEditor(QWidget):
    """Edits an `Auth`; `changed` fires on every user edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._inherit_allowed = False
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName("Auth type")
        self.kind_combo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self._fill_kinds()
        self.kind_combo.currentIndexChanged.connect(self._on_kind_chosen)
        self.explanation = MessageLabel("muted", self)
        self.explanation.setAccessibleName("Auth explanation")

        self.username_edit = self._line_edit("Username")
        self.password_field = SecretField("Password", self)
        self.token_field = SecretField("Token", self)
        self.key_name_edit = self._line_edit("API key name", "X-API-Key")
        self.key_value_field = SecretField("API key value", self)
        self.key_in_combo = QComboBox(self)
        for label, place in KEY_PLACES:
            self.key_in_combo.addItem(label, place)
        self.key_in_combo.setAccessibleName("Add API key to")
        self.key_in_combo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.key_in_combo.currentIndexChanged.connect(self._on_edited)
        fit_popup(self.key_in_combo)
        for field in (self.password_field, self.token_field, self.key_value_field):
            field.line_edit.textEdited.connect(self._on_edited)
        self.problem_label = MessageLabel("error", self)
        self.problem_label.setAccessibleName("Auth problem")
        self.moved_label = MessageLabel("muted", self)
        self.moved_label.setAccessibleName("Where the saved credentials went")

        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        add_form_row(self.form, "T&ype:", self.kind_combo, self.explanation)
        self.form.addRow("&Username:", self.username_edit)
        self.form.addRow("&Password:", self.password_field)
        self.form.addRow("&Token:", self.token_field)
        self.form.addRow("Key &name:", self.key_name_edit)
        self.form.addRow("Key &value:", self.key_value_field)
        self.form.addRow("Add &to:", self.key_in_combo)
        self.pages: dict[AuthKind, AuthPage] = {}
        for entry in PAGES:
            page = entry.page(self)
            page.changed.connect(self._on_edited)
            page.hide()
            self.pages[entry.kind] = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(self.form)
        for page in self.pages.values():
            # A page that asks for height (it scrolls) takes what is left; the others keep
            # their size, with the problems right under them.
            grows = page.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Expanding
            layout.addWidget(page, 1 if grows else 0)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.moved_label)
        layout.addStretch(0)  # the height left, unless a growing page is shown
        self._tab_order()
        self._show_kind()

    def _line_edit(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._on_edited)
        return edit

    def _tab_order(self) -> None:
        chain = [
            self.kind_combo,
            self.username_edit,
            self.password_field.line_edit,
            self.password_field.reveal_button,
            self.token_field.line_edit,
            self.token_field.reveal_button,
            self.key_name_edit,
            self.key_value_field.line_edit,
            self.key_value_field.reveal_button,
            self.key_in_combo,
        ]
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)

    def _fill_kinds(self) -> None:
        current = self.kind_combo.currentData()
        # Refilling is not a choice by the user: no `changed`.
        self.kind_combo.blockSignals(True)
        try:
            self.kind_combo.clear()
            for label, kind in (*KINDS, *((entry.label, entry.kind) for entry in PAGES)):
                if kind != AuthKind.INHERIT or self._inherit_allowed:
                    self.kind_combo.addItem(label, kind)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(current)))
            fit_popup(self.kind_combo)  # "Inherit from parent" whole, not "Inherit from pare"
        finally:
            self.kind_combo.blockSignals(False)

    def set_inherit_allowed(self, allowed: bool) -> None:
        """Offer "Inherit from parent" (for requests in a folder or collection)."""
        if allowed != self._inherit_allowed:
            self._inherit_allowed = allowed
            self._fill_kinds()
            self._show_kind()

    def kind(self) -> AuthKind:
        """The scheme chosen."""
        # Qt hands back the enum as a plain str: turn it back into the enum.
        return AuthKind(self.kind_combo.currentData())

    def value(self) -> Auth:
        """The credentials as edited; every scheme's fields are filled."""
        auth = Auth(
            kind=self.kind(),
            username=self.username_edit.text(),
            password=self.password_field.line_edit.text(),
            token=self.token_field.line_edit.text(),
            key_name=self.key_name_edit.text().strip(),
            key_value=self.key_value_field.line_edit.text(),
            key_in=self.key_in_combo.currentData(),
        )
        for page in self.pages.values():
            auth = page.fill(auth)
        return auth

    def set_value(self, auth: Auth) -> None:
        """Show `auth`, without emitting `changed`. An inherited auth turns on the
        Inherit choice rather than being lost."""
        self.blockSignals(True)
        try:
            if auth.kind == AuthKind.INHERIT:
                self.set_inherit_allowed(True)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(auth.kind)))
            self.username_edit.setText(auth.username)
            self.password_field.line_edit.setText(auth.password)
            self.token_field.line_edit.setText(auth.token)
            self.key_name_edit.setText(auth.key_name)
            self.key_value_field.line_edit.setText(auth.key_value)
            self.key_in_combo.setCurrentIndex(max(0, self.key_in_combo.findData(auth.key_in)))
            for page in self.pages.values():
                page.blockSignals(True)
                try:
                    page.show_auth(auth)
                finally:
                    page.blockSignals(False)
        finally:
            self.blockSignals(False)
        self._show_kind()

    def show_moved(self, moved: dict[str, str]) -> None:
        """Say which saved fields now hold a secret variable: `moved` maps a field
        ("password", "token", "API key") to the variable's name. Empty hides the note."""
        lines = [
            f"On save, the {what} moved to the secret variable {{{{{name}}}}}: its value is "
            "in the local secret store, the collection file holds only the name."
            for what, name in moved.items()
        ]
        self.moved_label.show_message("\n".join(lines))

    def problems(self) -> list[str]:
        """What would make the chosen scheme send something other than intended."""
        auth = self.value()
        if auth.kind == AuthKind.API_KEY:
            if not auth.key_name:
                return ["API key: give the key a name, or nothing is sent"]
            if auth.key_in == "header":
                problem = header_problem(auth.key_name, auth.key_value)
                return [f"API key: {problem}"] if problem else []
        if auth.kind == AuthKind.BEARER:
            problem = header_problem("Authorization", auth.token)
            return [f"Bearer token: {problem}"] if problem else []
        page = self.pages.get(auth.kind)
        return page.problems(auth) if page is not None else []

    def _show_kind(self) -> None:
        kind = self.kind()
        explanations = {**EXPLANATIONS, **{entry.kind: entry.explanation for entry in PAGES}}
        self.explanation.show_message(explanations[kind])
        for page_kind, page in self.pages.items():
            page.setVisible(page_kind == kind)
        with_user = kind in (AuthKind.BASIC, AuthKind.DIGEST)
        rows = {
            self.username_edit: with_user,
            self.password_field: with_user,
            self.token_field: kind == AuthKind.BEARER,
            self.key_name_edit: kind == AuthKind.API_KEY,
            self.key_value_field: kind == AuthKind.API_KEY,
            self.key_in_combo: kind == AuthKind.API_KEY,
        }
        for widget, visible in rows.items():
            self.form.setRowVisible(widget, visible)
        self.problem_label.show_message("\n".join(self.problems()))

    def _on_kind_chosen(self, _index: int) -> None:
        self._show_kind()
        self.changed.emit()

    def _on_edited(self, *_args: object) -> None:
        self.problem_label.show_message("\n".join(self.problems()))
        self.moved_label.show_message("")  # about the last save, not this edit
        self.changed.emit()
