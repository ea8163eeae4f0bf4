"""The Auth tab's OAuth 2.0 page: the settings, and the token they give.

The settings are the request's (saved with it; the client secret moves to a secret
variable on save). The token is not: it is in the local secret store, shown here masked
with its expiry, its granted scopes and whether a refresh token came with it.
"Get new access token" runs the grant (the authorization code in the system browser
through a loopback listener; client credentials and password directly), "Refresh" uses
the refresh token, "Clear token" forgets it. Every network or disk step runs on
`qt/oauth_flow.OAuthJobs`; the page only shows.

The page works with the settings as the request will send them: `{{variables}}` and
secret variables resolved by its `OAuthHost`: the window's (`qt/oauth_flow.window_oauth`),
or, outside a window, the settings as written and the app's own secret store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, Protocol

from PySide6.QtCore import QObject, QSize, Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import Auth, AuthKind, OAuth2, OAuth2Grant
from explorer.ui.request.auth.base import AuthPage, SecretField
from explorer.ui.widgets.feedback import MessageLabel, open_in_browser
from explorer.ui.widgets.fitting import fit_popup

if TYPE_CHECKING:
    from explorer.core.auth.oauth2 import Connection
    from explorer.core.auth.tokens import Token, TokenStore
    from explorer.qt.oauth_flow import OAuthJobs

GRANTS = (
    ("Authorization code (browser, PKCE)", OAuth2Grant.AUTHORIZATION_CODE),
    ("Client credentials", OAuth2Grant.CLIENT_CREDENTIALS),
    ("Password (legacy)", OAuth2Grant.PASSWORD),
)
CLIENT_AUTH = (("Basic auth header", "basic"), ("In the request body", "body"))
TOKEN_PLACES = (("Header", "header"), ("Query parameter", "query"))
EXPLANATION = (
    "Gets an access token from the token URL and sends it with the request. The token "
    "is kept in the local secret store, never in the collection."
)
LOOPBACK_PLACEHOLDER = "loopback on 127.0.0.1 (automatic)"


class OAuthHost(Protocol):
    """What the page needs from the window (qt/oauth_flow.WindowOAuth)."""

    @property
    def jobs(self) -> OAuthJobs: ...

    def resolved(self, page: QObject, auth: Auth) -> Auth:
        """`auth` as the request holding `page` sends it: variables resolved."""
        ...

    def token_store(self) -> TokenStore: ...

    def connection(self, page: QObject, auth: Auth) -> Connection:
        """How the request of `page` reaches its token endpoint (TLS, proxy)."""
        ...


class _StandaloneHost:
    """The page outside a window (or before the window set a host): settings as
    written, the app's own secret store."""

    def __init__(self, parent: QWidget) -> None:
        from explorer.qt.oauth_flow import OAuthJobs

        self.jobs = OAuthJobs(parent)

    def resolved(self, page: QObject, auth: Auth) -> Auth:
        return auth

    def connection(self, page: QObject, auth: Auth) -> Connection:
        from explorer.core.auth.oauth2 import Connection

        return Connection()

    def token_store(self) -> TokenStore:
        from explorer.core.auth.tokens import TokenStore
        from explorer.core.paths import secret_store_path
        from explorer.core.storage.secrets import SecretStore

        return TokenStore(SecretStore(secret_store_path()))


class OAuth2Page(AuthPage):
    """OAuth 2.0 settings and the current token."""

    host: ClassVar[OAuthHost | None] = None  # tests; else the window's (window_oauth)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._own_host: _StandaloneHost | None = None
        self._generation = 0  # the panel shows only the newest job's answer
        self._acting = False  # a get, refresh or clear is running: no reload meanwhile
        self._sign_in = 0  # the sign-in in progress, if any
        self._token: Token | None = None
        self.open_url = QDesktopServices.openUrl  # replaceable in tests

        self.grant_combo = self._choice_box("Grant type", GRANTS)
        self.auth_url_edit = self._line("Authorization URL", "https://example.com/authorize")
        self.token_url_edit = self._line("Token URL", "https://example.com/oauth/token")
        self.client_id_edit = self._line("Client ID")
        self.client_secret_field = SecretField("Client secret", self)
        self.client_secret_field.line_edit.setPlaceholderText("none for a public client")
        self.client_secret_field.line_edit.textEdited.connect(self._edited)
        self.username_edit = self._line("OAuth user name")
        self.password_field = SecretField("OAuth password", self)
        self.password_field.line_edit.textEdited.connect(self._edited)
        self.scope_edit = self._line("Scope", "read write (space-separated)")
        self.redirect_edit = self._line("Redirect URI", LOOPBACK_PLACEHOLDER)
        self.pkce_box = QCheckBox("Use P&KCE (S256)", self)
        self.pkce_box.setAccessibleName("Use PKCE")
        self.pkce_box.toggled.connect(self._edited)
        self.client_auth_combo = self._choice_box("Client authentication", CLIENT_AUTH)
        self.token_in_combo = self._choice_box("Add token to", TOKEN_PLACES)
        self.prefix_edit = self._line("Header prefix", "Bearer")
        self.prefix_edit.setMaximumWidth(120)
        self.query_param_edit = self._line("Query parameter name", "access_token")
        self.query_param_edit.setMaximumWidth(160)
        placement = QWidget(self)
        row = QHBoxLayout(placement)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.token_in_combo)
        self.prefix_label = QLabel("Prefix:", placement)
        self.prefix_label.setBuddy(self.prefix_edit)
        self.param_label = QLabel("Name:", placement)
        self.param_label.setBuddy(self.query_param_edit)
        for widget in (
            self.prefix_label,
            self.prefix_edit,
            self.param_label,
            self.query_param_edit,
        ):
            row.addWidget(widget)
        row.addStretch(1)

        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        # A narrow pane puts a label above its field rather than scroll sideways.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # Mnemonics avoid the menu bar's (F, E, R, S, V, H).
        self.form.addRow("&Grant:", self.grant_combo)
        self.form.addRow("&Auth URL:", self.auth_url_edit)
        self.form.addRow("Toke&n URL:", self.token_url_edit)
        self.form.addRow("C&lient ID:", self.client_id_edit)
        self.form.addRow("Client se&cret:", self.client_secret_field)
        self.form.addRow("User na&me:", self.username_edit)
        self.form.addRow("Pass&word:", self.password_field)
        self.form.addRow("Sco&pe:", self.scope_edit)
        self.form.addRow("Re&direct URI:", self.redirect_edit)
        self.form.addRow("", self.pkce_box)
        self.form.addRow("Client a&uth:", self.client_auth_combo)
        self.form.addRow("Add token &to:", placement)

        inner = QWidget(self)
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 6, 0)
        inner_layout.addLayout(self.form)
        inner_layout.addWidget(self._token_panel(inner))
        inner_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName("OAuth 2.0 settings")
        scroll.setWidget(inner)
        self._inner = inner
        scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self._reload = QTimer(self)  # settings typed: the token they name, once typing stops
        self._reload.setSingleShot(True)
        self._reload.setInterval(400)
        self._reload.timeout.connect(self._load_if_shown)
        self._ticker = QTimer(self)  # "expires in …" follows the clock while shown
        self._ticker.setInterval(30_000)
        self._ticker.timeout.connect(self._show_token)
        self.show_auth(Auth())  # the defaults (PKCE on, "Bearer", "access_token")
        self._show_token()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """All of the settings and the token panel: the Auth tab gives that much when it
        has it, and the page scrolls when it has less (a scroll area alone asks for a
        few lines)."""
        return self._inner.sizeHint()

    # ---- building ----------------------------------------------------------------------

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._edited)
        return edit

    def _choice_box(self, name: str, choices: tuple[tuple[str, str], ...]) -> QComboBox:
        combo = QComboBox(self)
        for label, value in choices:
            combo.addItem(label, value)
        combo.setAccessibleName(name)
        combo.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        combo.currentIndexChanged.connect(self._edited)
        fit_popup(combo)
        return combo

    def _token_panel(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Access token", parent)
        self.token_field = SecretField("Access token", box)
        self.token_field.line_edit.setReadOnly(True)
        self.token_field.line_edit.setPlaceholderText("none yet")
        self.expiry_label = QLabel(box)
        self.expiry_label.setAccessibleName("Token expiry")
        self.scopes_label = QLabel(box)
        self.scopes_label.setAccessibleName("Scopes granted")
        self.scopes_label.setWordWrap(True)
        self.refresh_label = QLabel(box)
        self.refresh_label.setAccessibleName("Refresh token")
        self.get_button = QPushButton("Get new access t&oken", box)
        self.get_button.setAccessibleName("Get new access token")
        self.get_button.clicked.connect(self.get_new_token)
        self.refresh_button = QPushButton("Refresh", box)
        self.refresh_button.setAccessibleName("Refresh the access token")
        self.refresh_button.clicked.connect(self.refresh_token)
        self.clear_button = QPushButton("Clear token", box)
        self.clear_button.setAccessibleName("Clear the access token")
        self.clear_button.clicked.connect(self.clear_token)
        self.cancel_button = QPushButton("Cancel sign-in", box)
        self.cancel_button.setAccessibleName("Cancel the sign-in")
        self.cancel_button.clicked.connect(self.cancel_sign_in)
        self.cancel_button.hide()
        self.status_label = MessageLabel("muted", box)
        self.status_label.setAccessibleName("Token status")
        self.status_label.setTextInteractionFlags(self.status_label.textInteractionFlags())

        buttons = QHBoxLayout()
        for button in (self.get_button, self.refresh_button, self.clear_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        details = QFormLayout()
        details.addRow("Token:", self.token_field)
        details.addRow("Expiry:", self.expiry_label)
        details.addRow("Scopes:", self.scopes_label)
        details.addRow("Refresh token:", self.refresh_label)
        layout = QVBoxLayout(box)
        layout.addLayout(buttons)
        layout.addLayout(details)
        layout.addWidget(self.status_label)
        return box

    # ---- AuthPage ----------------------------------------------------------------------

    def settings(self) -> OAuth2:
        """The OAuth 2.0 settings as edited."""
        return OAuth2(
            grant=OAuth2Grant(self.grant_combo.currentData()),
            auth_url=self.auth_url_edit.text().strip(),
            token_url=self.token_url_edit.text().strip(),
            client_id=self.client_id_edit.text().strip(),
            client_secret=self.client_secret_field.line_edit.text(),
            scope=self.scope_edit.text().strip(),
            redirect_uri=self.redirect_edit.text().strip(),
            pkce=self.pkce_box.isChecked(),
            client_auth=self.client_auth_combo.currentData(),
            token_in=self.token_in_combo.currentData(),
            header_prefix=self.prefix_edit.text().strip(),
            query_param=self.query_param_edit.text().strip(),
        )

    def fill(self, auth: Auth) -> Auth:
        auth = replace(auth, oauth2=self.settings())
        if auth.kind == AuthKind.OAUTH2:  # the password grant's user: only while chosen
            auth = replace(
                auth,
                username=self.username_edit.text(),
                password=self.password_field.line_edit.text(),
            )
        return auth

    def show_auth(self, auth: Auth) -> None:
        s = auth.oauth2
        self.grant_combo.setCurrentIndex(max(0, self.grant_combo.findData(s.grant)))
        self.auth_url_edit.setText(s.auth_url)
        self.token_url_edit.setText(s.token_url)
        self.client_id_edit.setText(s.client_id)
        self.client_secret_field.line_edit.setText(s.client_secret)
        self.username_edit.setText(auth.username)
        self.password_field.line_edit.setText(auth.password)
        self.scope_edit.setText(s.scope)
        self.redirect_edit.setText(s.redirect_uri)
        self.pkce_box.setChecked(s.pkce)
        self.client_auth_combo.setCurrentIndex(
            max(0, self.client_auth_combo.findData(s.client_auth))
        )
        self.token_in_combo.setCurrentIndex(max(0, self.token_in_combo.findData(s.token_in)))
        self.prefix_edit.setText(s.header_prefix)
        self.query_param_edit.setText(s.query_param)
        self._show_grant()
        if auth.kind == AuthKind.OAUTH2:
            self._reload.start()

    def problems(self, auth: Auth) -> list[str]:
        s = auth.oauth2
        missing = [
            name
            for name, empty in (
                ("authorization URL", s.grant == OAuth2Grant.AUTHORIZATION_CODE and not s.auth_url),
                ("token URL", not s.token_url),
                ("client ID", not s.client_id),
            )
            if empty
        ]
        found = []
        if missing:
            found.append(f"OAuth 2.0: fill in the {_listed(missing)}")
        if s.token_in == "header" and any(c in s.header_prefix for c in "\r\n"):
            found.append("OAuth 2.0: the header prefix holds a line break")
        return found

    # ---- the token ---------------------------------------------------------------------

    def _host(self) -> OAuthHost:
        from explorer.qt.oauth_flow import window_oauth

        if OAuth2Page.host is not None:
            return OAuth2Page.host
        window = window_oauth()
        if window is not None:
            return window
        if self._own_host is None:
            self._own_host = _StandaloneHost(self)
        return self._own_host

    def current_auth(self) -> Auth:
        """The editor's auth as the request sends it (resolved by the host)."""
        editor = self.parentWidget()
        value = getattr(editor, "value", None)
        auth = value() if callable(value) else self.fill(Auth(AuthKind.OAUTH2))
        auth = replace(auth, kind=AuthKind.OAUTH2)
        return self._host().resolved(self, auth)

    def load_token(self) -> None:
        """Show the stored token of the current settings (read off the GUI thread)."""
        if self._acting:
            return
        host = self._host()
        host.jobs.load(self.current_auth(), host.token_store(), self._loaded(), self._failed())

    def _load_if_shown(self) -> None:
        if self.isVisible():
            self.load_token()

    def get_new_token(self) -> None:
        """Run the grant: in the browser (authorization code) or directly."""
        host = self._host()
        auth = self.current_auth()
        problems = self.problems(auth)
        if problems:
            self.status_label.show_message(problems[0], "error")
            return
        if auth.oauth2.grant == OAuth2Grant.AUTHORIZATION_CODE:
            self._sign_in = host.jobs.sign_in(
                auth,
                host.token_store(),
                self._browse,
                self._got(),
                self._failed(),
                host.connection(self, auth),
            )
            self.status_label.show_message("Starting the sign-in…", "muted")
        else:
            connection = host.connection(self, auth)
            host.jobs.fetch(auth, host.token_store(), self._got(), self._failed(), connection)
            self.status_label.show_message("Asking the token endpoint…", "muted")
        self._busy(True)

    def refresh_token(self) -> None:
        host = self._host()
        auth = self.current_auth()
        done, failed = self._got("Refreshed."), self._failed()
        host.jobs.refresh(auth, host.token_store(), done, failed, host.connection(self, auth))
        self.status_label.show_message("Refreshing…", "muted")
        self._busy(True)

    def clear_token(self) -> None:
        host = self._host()
        self._busy(True)
        host.jobs.clear(
            self.current_auth(), host.token_store(), self._got("Token cleared."), self._failed()
        )

    def cancel_sign_in(self) -> None:
        if self._sign_in:
            self._host().jobs.cancel(self._sign_in)
            self._sign_in = 0
            self._newest()  # its late answer is not shown
            self._busy(False)
            self.status_label.show_message("Sign-in cancelled.", "muted")

    def _browse(self, url: str) -> None:
        line, warning = open_in_browser(url, self.open_url)
        self.status_label.show_message(
            f"Waiting for the sign-in in the browser (5 min at most). {line}",
            "warning" if warning else "muted",
        )

    def _newest(self) -> int:
        self._generation += 1
        return self._generation

    def _loaded(self) -> Callable[[Token | None], None]:
        generation = self._newest()

        def done(token: Token | None) -> None:
            if generation == self._generation:
                self._token = token
                self._show_token()

        return done

    def _got(self, message: str = "") -> Callable[[Token | None], None]:
        generation = self._newest()

        def done(token: Token | None) -> None:
            if generation != self._generation:
                return
            self._sign_in = 0
            self._busy(False)
            self._token = token
            self._show_token()
            fallback = "Got a new access token." if token is not None else ""
            self.status_label.show_message(message or fallback, "muted")

        return done

    def _failed(self) -> Callable[[str], None]:
        generation = self._generation  # the job just asked for (_loaded/_got came first)

        def failed(text: str) -> None:
            if generation != self._generation:
                return
            self._sign_in = 0
            self._busy(False)
            self.status_label.show_message(text, "error")

        return failed

    def _busy(self, busy: bool) -> None:
        self._acting = busy
        for button in (self.get_button, self.refresh_button, self.clear_button):
            button.setEnabled(not busy)
        self.cancel_button.setVisible(busy and bool(self._sign_in))
        if not busy:
            self._show_token()

    def _show_token(self) -> None:
        from explorer.core.auth.tokens import expiry_text

        token = self._token
        self.token_field.line_edit.setText(token.access_token if token else "")
        self.token_field.line_edit.setCursorPosition(0)  # shows its start, not a cut end
        if token is None:
            self.expiry_label.setText("no token yet")
            self.scopes_label.setText("—")
            self.refresh_label.setText("—")
        else:
            self.expiry_label.setText(expiry_text(token))
            self.scopes_label.setText(token.scope or "(as asked: the server named none)")
            self.refresh_label.setText("yes" if token.refresh_token else "no")
        self.refresh_button.setEnabled(bool(token and token.refresh_token))
        self.clear_button.setEnabled(token is not None)

    # ---- showing -----------------------------------------------------------------------

    def _show_grant(self) -> None:
        grant = OAuth2Grant(self.grant_combo.currentData())
        code = grant == OAuth2Grant.AUTHORIZATION_CODE
        rows = {
            self.auth_url_edit: code,
            self.redirect_edit: code,
            self.pkce_box: code,
            self.username_edit: grant == OAuth2Grant.PASSWORD,
            self.password_field: grant == OAuth2Grant.PASSWORD,
        }
        for widget, visible in rows.items():
            self.form.setRowVisible(widget, visible)
        header = self.token_in_combo.currentData() == "header"
        for widget in (self.prefix_label, self.prefix_edit):
            widget.setVisible(header)
        for widget in (self.param_label, self.query_param_edit):
            widget.setVisible(not header)
        self.get_button.setText("Get new access t&oken…" if code else "Get new access t&oken")

    def _edited(self, *_args: object) -> None:
        self._show_grant()
        self._reload.start()
        self.changed.emit()

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        self._ticker.start()
        self._reload.start()

    def hideEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().hideEvent(event)  # type: ignore[arg-type]
        self._ticker.stop()


def _listed(names: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
