"""OAuth 2.0 for both front ends: the token a send needs, and the flows that get one.

A request with OAUTH2 auth is sent with the stored token of its settings (resolved:
`{{variables}}` and secret variables filled in). `ensure_token` takes that token from
the local secret store (`core/auth/tokens`); when it is missing or expired it refreshes
it with its refresh token, or, for client credentials and the password grant, fetches a
new one; the authorization code grant needs a person and a browser, so without a valid
token or a refresh token it fails with the one line to show ("… get a token in the
window first"). `with_token` then puts the access token into `Auth.token` of the
request to send only (core/http/prepare attaches it), and among the send's sensitive
values, so it is kept from other origins, redacted in the history and masked in reports.

None of this runs on the GUI thread: the window calls it on a worker, `run` in its loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from explorer.core.auth import oauth2
from explorer.core.auth.oauth2 import Connection, OAuth2Failure
from explorer.core.auth.tokens import Token, TokenStore, token_name
from explorer.core.model import Auth, AuthKind, OAuth2Grant

if TYPE_CHECKING:
    from explorer.application.sending import PreparedSend
    from explorer.core.storage.secrets import SecretStore

__all__ = ["OAuth2Failure", "TokenSource", "ensure_token", "fetch_token", "with_token"]

NEEDS_A_PERSON = (
    "OAuth 2.0 (authorization code): no valid access token for {url}; this grant needs a "
    "person and a browser: get a token in the window first (Auth tab ▸ Get new access "
    "token)."
)


def username_of(auth: Auth) -> str:
    """The user a token is for: only the password grant has one."""
    return auth.username if auth.oauth2.grant == OAuth2Grant.PASSWORD else ""


def fetch_token(auth: Auth, connection: Connection | None = None) -> Token:
    """A new token without a person: client credentials or the password grant."""
    settings = auth.oauth2
    if settings.grant == OAuth2Grant.CLIENT_CREDENTIALS:
        return oauth2.client_credentials(settings, connection)
    if settings.grant == OAuth2Grant.PASSWORD:
        return oauth2.password_grant(settings, auth.username, auth.password, connection)
    raise OAuth2Failure(NEEDS_A_PERSON.format(url=settings.token_url or "this request"))


def refresh_token(
    auth: Auth, store: TokenStore, token: Token, connection: Connection | None = None
) -> Token:
    """`token` refreshed, and stored."""
    fresh = oauth2.refresh(auth.oauth2, token.refresh_token, connection)
    store.put(auth.oauth2, fresh, username_of(auth))
    return fresh


_locks_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def _lock_for(auth: Auth) -> threading.Lock:
    """One lock per token: two sends that find it expired at once (two tabs, a tab and
    the runner) refresh it once; the second finds the new one. A refresh token may be
    good for one use only (rotation), so a second refresh with it would fail."""
    name = token_name(auth.oauth2, username_of(auth))
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


def ensure_token(
    auth: Auth,
    store: TokenStore,
    now: float | None = None,
    connection: Connection | None = None,
) -> Token:
    """A valid token for resolved OAUTH2 `auth`: the stored one, refreshed, or new (see
    the module's docstring), the token endpoint reached over `connection` (the request's
    own TLS and proxy settings). Raises OAuth2Failure with the line to show."""
    with _lock_for(auth):
        return _ensure(auth, store, now, connection)


def _ensure(
    auth: Auth, store: TokenStore, now: float | None, connection: Connection | None
) -> Token:
    now = time.time() if now is None else now
    settings, user = auth.oauth2, username_of(auth)
    token = store.get(settings, user)
    if token is not None and token.access_token and not token.expired(now):
        return token
    refresh_failure = ""
    if token is not None and token.refresh_token:
        try:
            return refresh_token(auth, store, token, connection)
        except OAuth2Failure as exc:
            refresh_failure = str(exc)
    if settings.grant == OAuth2Grant.AUTHORIZATION_CODE:
        if refresh_failure:
            raise OAuth2Failure(f"{refresh_failure} Get a new token in the window (Auth tab).")
        raise OAuth2Failure(NEEDS_A_PERSON.format(url=settings.token_url or "this request"))
    fresh = fetch_token(auth, connection)
    store.put(settings, fresh, user)
    return fresh


def with_token(prepared: PreparedSend, token: Token) -> PreparedSend:
    """`prepared` sending `token`: in the request to send (never the written one), and
    its values among the send's sensitive ones."""
    request = prepared.request
    sent = request.with_changes(auth=replace(request.auth, token=token.access_token))
    return replace(prepared, request=sent, sensitive=prepared.sensitive | token.secrets())


# What the run engine calls for a prepared send with OAUTH2 auth: the same send with
# its token, or OAuth2Failure.
TokenSource = Callable[["PreparedSend"], "PreparedSend"]


def token_source(secrets: SecretStore) -> TokenSource:
    """The engine's `TokenSource` over the local secret store."""
    store = TokenStore(secrets)

    def attach(prepared: PreparedSend) -> PreparedSend:
        if prepared.request.auth.kind != AuthKind.OAUTH2:
            return prepared
        request = prepared.request
        connection = Connection.of(request.options)
        return with_token(prepared, ensure_token(request.auth, store, connection=connection))

    return attach
