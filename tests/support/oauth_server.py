"""An OAuth 2.0 provider written outside the project: Authlib's Flask authorization
server in its reference setup (authlib.integrations.flask_oauth2.AuthorizationServer and
ResourceProtector, the rfc6749 grants, PKCE from rfc7636), with in-memory models
instead of SQLAlchemy, on 127.0.0.1 in a thread.

Grants: authorization code (PKCE S256 required for the public client, allowed for the
confidential one), client credentials, password, refresh token. `/authorize` approves at
once for the user "alice" (the consent a person would give), so a test follows the
authorization URL with requests and the app's loopback listener receives the redirect
for real. `/api/me` is a resource protected by a bearer token (header or
`access_token` query parameter, as RFC 6750 allows).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector, current_token
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.models import AuthorizationCodeMixin, ClientMixin, TokenMixin
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Flask, jsonify, request
from werkzeug.serving import WSGIRequestHandler, make_server

USERS = {"alice": "wonderland"}
EXPIRES_IN = 3600


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...] = ()
    scope: str = "read write"
    auth_methods: tuple[str, ...] = ("client_secret_basic", "client_secret_post")
    grant_types: tuple[str, ...] = (
        "authorization_code",
        "client_credentials",
        "password",
        "refresh_token",
    )

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0] if self.redirect_uris else ""

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(self.scope.split())
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # RFC 8252 §7.3: a loopback redirect matches whatever its port.
        return redirect_uri.startswith("http://127.0.0.1:") or redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self.client_secret) and client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in self.auth_methods

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: str
    code_challenge: str | None = None
    code_challenge_method: str | None = None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class Token(TokenMixin):
    client_id: str
    user: str | None
    access_token: str
    scope: str
    refresh_token: str | None = None
    issued_at: float = field(default_factory=time.time)
    expires_in: int = EXPIRES_IN
    revoked: bool = False

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> str | None:
        return self.user

    def get_client(self) -> Client:
        return STATE.clients[self.client_id]


@dataclass
class State:
    clients: dict[str, Client] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    tokens: list[Token] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)  # forms seen

    def by_access(self, value: str) -> Token | None:
        return next((t for t in self.tokens if t.access_token == value), None)


STATE = State()


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [  # noqa: RUF012 - Authlib reads a list
        "client_secret_basic",
        "client_secret_post",
        "none",
    ]

    def save_authorization_code(self, code: str, req: object) -> None:
        r = self.request
        STATE.codes[code] = Code(
            code,
            r.client.client_id,
            r.payload.redirect_uri,
            r.payload.scope,
            r.user,
            r.payload.data.get("code_challenge"),
            r.payload.data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        found = STATE.codes.get(code)
        return found if found is not None and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code: Code) -> None:
        STATE.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: Code) -> str:
        return authorization_code.user


class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [  # noqa: RUF012 - Authlib reads a list
        "client_secret_basic",
        "client_secret_post",
    ]

    def authenticate_user(self, username: str, password: str) -> str | None:
        return username if USERS.get(username) == password else None


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [  # noqa: RUF012 - Authlib reads a list
        "client_secret_basic",
        "client_secret_post",
    ]


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = [  # noqa: RUF012 - Authlib reads a list
        "client_secret_basic",
        "client_secret_post",
        "none",
    ]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        found = next((t for t in STATE.tokens if t.refresh_token == refresh_token), None)
        return found if found is not None and not found.revoked else None

    def authenticate_user(self, credential: Token) -> str | None:
        return credential.user

    def revoke_old_credential(self, refresh_token: Token) -> None:
        refresh_token.revoked = True


def _save_token(token: dict[str, object], req: object) -> None:
    client = req.client  # type: ignore[attr-defined]
    STATE.tokens.append(
        Token(
            client.client_id,
            req.user,  # type: ignore[attr-defined]
            str(token["access_token"]),
            str(token.get("scope", "")),
            str(token["refresh_token"]) if token.get("refresh_token") else None,
            expires_in=int(token.get("expires_in", EXPIRES_IN)),  # type: ignore[call-overload]
        )
    )


class _Validator(BearerTokenValidator):
    def authenticate_token(self, token_string: str) -> Token | None:
        return STATE.by_access(token_string)


def create_app() -> Flask:
    app = Flask("oauth_reference")
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = dict.fromkeys(
        ("authorization_code", "client_credentials", "password", "refresh_token"), EXPIRES_IN
    )
    app.config["OAUTH2_REFRESH_TOKEN_GENERATOR"] = True
    app.config["OAUTH2_SCOPES_SUPPORTED"] = ["read", "write"]
    server = AuthorizationServer(app, query_client=STATE.clients.get, save_token=_save_token)
    server.register_grant(AuthorizationCodeGrant, [CodeChallenge(required=False)])
    server.register_grant(PasswordGrant)
    server.register_grant(ClientCredentialsGrant)
    server.register_grant(RefreshTokenGrant)
    protect = ResourceProtector()
    protect.register_token_validator(_Validator())

    @app.get("/authorize")
    def authorize():  # type: ignore[no-untyped-def]
        # The consent page a person would see, approved at once for "alice".
        grant = server.get_consent_grant(end_user="alice")
        return server.create_authorization_response(grant=grant, grant_user="alice")

    @app.post("/token")
    def issue_token():  # type: ignore[no-untyped-def]
        STATE.token_requests.append(
            {**request.form.to_dict(), "_auth": request.headers.get("Authorization", "")}
        )
        return server.create_token_response()

    @app.post("/huge")
    def huge():  # type: ignore[no-untyped-def]
        # A "token endpoint" that never stops talking: the client must not read it all.
        return '{"access_token": "' + "x" * (2 * 1024 * 1024) + '"}'

    @app.get("/api/me")
    @protect("read")
    def me():  # type: ignore[no-untyped-def]
        return jsonify(user=current_token.user, client=current_token.client_id)

    return app


class _Quiet(WSGIRequestHandler):
    def log_request(self, *_args: object, **_kwargs: object) -> None:
        return


@dataclass
class Provider:
    url: str
    state: State

    def expire_all(self) -> None:
        """Every access token issued so far is past its lifetime (the server's view)."""
        for token in self.state.tokens:
            token.expires_in = -1


@contextmanager
def running_provider() -> Iterator[Provider]:
    """The provider on a free port of 127.0.0.1, with a confidential client "app" (secret
    "app-secret") and a public client "native" (no secret, PKCE)."""
    import os

    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on 127.0.0.1
    STATE.clients.clear()
    STATE.codes.clear()
    STATE.tokens.clear()
    STATE.token_requests.clear()
    STATE.clients["app"] = Client("app", "app-secret")
    STATE.clients["native"] = Client(
        "native", "", auth_methods=("none",), grant_types=("authorization_code", "refresh_token")
    )
    server = make_server("127.0.0.1", 0, create_app(), threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}", STATE)
    finally:
        server.shutdown()
        thread.join(5)
