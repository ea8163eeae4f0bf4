"""The Auth tab's OAuth 1.0a page: consumer and token credentials, signature method,
where the oauth_* parameters go, and the realm.

The request is signed when it is sent (core/auth/signing): nothing here touches the
network. The secrets are masked until shown, and move to secret variables on save.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QFormLayout, QWidget

from explorer.core.auth.oauth1 import settings_problems
from explorer.core.model import Auth, OAuth1
from explorer.ui.request.auth.base import AuthPage

EXPLANATION = (
    "Signs each request with OAuth 1.0a (RFC 5849) when it is sent: the signature covers "
    "the method, URL, query and a form body; the secrets themselves are never sent "
    "(except with PLAINTEXT, which is for HTTPS only)."
)
SIGNATURE_METHODS = ("HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT")
PLACEMENTS = (
    ("Authorization header", "header"),
    ("Query parameters", "query"),
    ("Form body (the URL when there is none)", "body"),
)


class OAuth1Page(AuthPage):
    """Edits `Auth.oauth1`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.consumer_key_edit = self._line_edit("Consumer key", "the key the provider gave")
        self.consumer_secret_field = self._secret("Consumer secret")
        self.token_field = self._secret("Access token")
        self.token_field.line_edit.setPlaceholderText("empty for a two-legged request")
        self.token_secret_field = self._secret("Token secret")
        self.method_combo = self._combo("Signature method", [(m, m) for m in SIGNATURE_METHODS])
        self.placement_combo = self._combo("Add OAuth parameters to", list(PLACEMENTS))
        self.realm_edit = self._line_edit("Realm", "optional")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Consumer &key:", self.consumer_key_edit)
        form.addRow("Consumer &secret:", self.consumer_secret_field)
        form.addRow("Access t&oken:", self.token_field)
        form.addRow("Token secr&et:", self.token_secret_field)
        form.addRow("Signature &method:", self.method_combo)
        form.addRow("Add &to:", self.placement_combo)
        form.addRow("&Realm:", self.realm_edit)

    def fill(self, auth: Auth) -> Auth:
        settings = OAuth1(
            consumer_key=self.consumer_key_edit.text().strip(),
            consumer_secret=self.consumer_secret_field.line_edit.text(),
            token=self.token_field.line_edit.text(),
            token_secret=self.token_secret_field.line_edit.text(),
            signature_method=self.method_combo.currentData(),
            realm=self.realm_edit.text(),
            placement=self.placement_combo.currentData(),
        )
        return replace(auth, oauth1=settings)

    def show_auth(self, auth: Auth) -> None:
        settings = auth.oauth1
        self.consumer_key_edit.setText(settings.consumer_key)
        self.consumer_secret_field.line_edit.setText(settings.consumer_secret)
        self.token_field.line_edit.setText(settings.token)
        self.token_secret_field.line_edit.setText(settings.token_secret)
        _choose(self.method_combo, settings.signature_method)
        _choose(self.placement_combo, settings.placement)
        self.realm_edit.setText(settings.realm)

    def problems(self, auth: Auth) -> list[str]:
        return settings_problems(auth.oauth1)


def _choose(combo: QComboBox, value: str) -> None:
    """Select `value`; one the box does not offer (a hand-edited file) is added, so that
    showing it and reading it back loses nothing."""
    index = combo.findData(value)
    if index < 0:
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
