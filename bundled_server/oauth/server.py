"""Authlib's authorization server and resource protector, wired to ``OAuthStore``.

One server object serves every app instance: the grants look clients up in code and
codes and tokens up in the running app's state (``current_state().oauth``), so tests
that build many apps never share a token.
"""

from __future__ import annotations

import hmac
from typing import Any, ClassVar

from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749 import (  # type: ignore[import-untyped]
    InvalidGrantError,
    InvalidRequestError,
    UnsupportedTokenTypeError,
    grants,
)
from authlib.oauth2.rfc6749.util import extract_basic_authorization  # type: ignore[import-untyped]
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator, InvalidTokenError  # type: ignore[import-untyped]
from authlib.oauth2.rfc7009 import RevocationEndpoint  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import CodeChallenge  # type: ignore[import-untyped]

from ..state import current_state
from .clients import SCOPES, Client, find_client
from .store import ACCESS_TOKEN_LIFETIME, AuthorizationCode, OAuthStore, Token, new_token

REALM = "practice-oauth"
# Public clients authenticate with "none" (client_id only); the client decides which of
# these it may use (Client.check_endpoint_auth_method).
AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


def _store() -> OAuthStore:
    return current_state().oauth


def _check_user(username: str, password: str) -> str | None:
    """The username when the pair matches a seeded practice user (auth.check_credentials
    raises a problem response, which a grant must not do: it answers RFC 6749 errors)."""
    for user in current_state().store.users.all():
        if user["username"] == username and hmac.compare_digest(
            str(user["password"]).encode(), password.encode()
        ):
            return username
    return None


def check_user(username: str, password: str) -> str | None:
    """Public for the consent page's login form."""
    return _check_user(username, password)


class S256Only(CodeChallenge):  # type: ignore[misc]  # untyped Authlib
    """PKCE with S256 only, and required from a public client at the authorization
    request already (RFC 7636 §4.4.1), not just when the code comes back: "plain" sends
    the verifier itself through the browser, which is what PKCE is there to avoid."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        payload = grant.request.payload.data
        client: Client = grant.request.client
        if client.is_public and not payload.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge (S256).")
        if payload.get("code_challenge") and payload.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Send code_challenge_method=S256 (plain is refused).")
        super().validate_code_challenge(grant, redirect_uri)


class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]  # untyped Authlib
    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    @staticmethod
    def validate_authorization_redirect_uri(request: Any, client: Client) -> str:
        """Authlib's check, with messages that never repeat the URI: Authlib refuses an
        error description with a quote or backslash in it, and a URI can hold both."""
        uri: str | None = request.payload.redirect_uri
        if not uri:
            raise InvalidRequestError("Send redirect_uri: a loopback address of the client.")
        if not client.check_redirect_uri(uri):
            raise InvalidRequestError(
                "The redirect_uri is not one this client may use "
                "(http://127.0.0.1 or http://localhost, any port and path)."
            )
        return uri

    def save_authorization_code(self, code: str, request: Any) -> None:
        payload = request.payload.data
        _store().save_code(
            AuthorizationCode(
                code=code,
                client_id=request.client.get_client_id(),
                redirect_uri=request.payload.redirect_uri or "",
                scope=request.scope or "",
                username=request.user,
                code_challenge=payload.get("code_challenge"),
                code_challenge_method=payload.get("code_challenge_method"),
                issued_at=_store().now(),
            )
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        return _store().find_code(code, client.get_client_id())

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        _store().delete_code(authorization_code.code)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> str:
        return authorization_code.username


class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):  # type: ignore[misc]
    """Legacy (RFC 9700 §2.4 says it MUST NOT be used): the client sees the password.
    It is here so the lesson can show why."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

    def authenticate_user(self, username: str, password: str) -> str:
        user = _check_user(username[:200], password[:200])
        if user is None:  # RFC 6749 §5.2: wrong resource owner credentials are invalid_grant
            raise InvalidGrantError("Unknown username or wrong password.")
        return user


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]


class RotatingRefreshGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    """Each refresh returns a new refresh token and retires the old one (rotation); a
    retired refresh token used again revokes the whole family (RFC 9700 §4.14.2)."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        token = _store().by_refresh_token(refresh_token)
        if token is None:
            return None
        if token.rotated:
            _store().revoke_family(token.family)
            return None
        return token if token.refresh_usable() else None

    def authenticate_user(self, refresh_token: Token) -> str | None:
        return refresh_token.username

    def revoke_old_credential(self, refresh_token: Token) -> None:
        refresh_token.rotated = True
        _store().revoke(refresh_token)


class Revocation(RevocationEndpoint):  # type: ignore[misc]  # untyped Authlib
    CLIENT_AUTH_METHODS = AUTH_METHODS

    def check_params(self, request: Any, client: Client) -> None:
        """RFC 7009 §2.2.1: an unknown token_type_hint is a 400 (Authlib says 401, with
        no challenge to go with it)."""
        try:
            super().check_params(request, client)
        except UnsupportedTokenTypeError as error:
            error.status_code = 400
            raise

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        store = _store()
        if token_type_hint == "refresh_token":
            return store.by_refresh_token(token_string) or store.by_access_token(token_string)
        return store.by_access_token(token_string) or store.by_refresh_token(token_string)

    def revoke_token(self, token: Token, request: Any) -> None:
        # Revoking either half ends the grant: RFC 7009 §2.1 lets a refresh token's
        # revocation take its access tokens with it, and we keep the two together.
        _store().revoke(token)


class Server(AuthorizationServer):  # type: ignore[misc]  # untyped Authlib
    """Authlib's Flask server with clients from code and tokens in the app's state."""

    def query_client(self, client_id: str) -> Client | None:
        return find_client(client_id)

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        store = _store()
        grant_type = request.payload.grant_type or "authorization_code"
        family = None
        old = getattr(request, "refresh_token", None)
        if isinstance(old, Token):
            family = old.family
        store.save_token(
            new_token(
                token,
                request.client.get_client_id(),
                request.user,
                grant_type,
                family,
                store.now,
            )
        )


def _authenticate_public(query_client: Any, request: Any) -> Client | None:
    """Authlib's "none" method (a public client names itself with client_id in the body),
    also taking the id from a Basic header with an empty password, which clients set to
    "send credentials as Basic" send for a client that has no secret."""
    client_id = request.payload.client_id
    if not client_id:
        basic_id, basic_secret = extract_basic_authorization(request.headers)
        client_id = basic_id if basic_id and not basic_secret else None
    if not client_id or request.payload.data.get("client_secret"):
        return None
    client: Client | None = query_client(client_id)
    return client


def _access_token(**_: Any) -> str:
    return str(generate_token(42))


def _refresh_token(**_: Any) -> str:
    return str(generate_token(48))


def _expires_in(client: Client, grant_type: str) -> int:
    return ACCESS_TOKEN_LIFETIME


def _build() -> Server:
    server = Server()
    server.scopes_supported = list(SCOPES)
    server.register_token_generator(
        "default", BearerTokenGenerator(_access_token, _refresh_token, _expires_in)
    )
    server.register_grant(CodeGrant, [S256Only(required=True)])
    server.register_grant(ClientCredentialsGrant)
    server.register_grant(RotatingRefreshGrant)
    server.register_grant(PasswordGrant)
    server.register_endpoint(Revocation)
    server.register_client_auth_method("none", _authenticate_public)
    return server


class StoreTokenValidator(BearerTokenValidator):  # type: ignore[misc]  # untyped Authlib
    """Bearer tokens looked up in the store, with a reason a learner can act on."""

    def authenticate_token(self, token_string: str) -> Token | None:
        return _store().by_access_token(token_string[:200])

    def validate_token(self, token: Token | None, scopes: Any, request: Any) -> None:
        if token is None:
            reason = "This server did not issue that access token (or has forgotten it)."
        elif token.is_revoked():
            reason = "The access token was revoked."
        elif token.is_expired():
            reason = "The access token expired."
        else:
            super().validate_token(token, scopes, request)
            return
        raise InvalidTokenError(reason, realm=self.realm)


authorization_server = _build()
require_oauth = ResourceProtector()
require_oauth.register_token_validator(StoreTokenValidator(realm=REALM))
