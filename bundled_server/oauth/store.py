"""What the authorization server remembers: codes, tokens and consent logins.

All of it lives in memory in the app's state (``PracticeState.oauth``) and is emptied by
``POST /admin/reset``. Every table is bounded (the oldest entry goes first), so a loop
that asks for tokens cannot grow the server without limit. Time comes from ``clock``,
which tests replace to see a token expire without sleeping.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, TokenMixin  # type: ignore[import-untyped]

from .clients import Client, find_client

CODE_LIFETIME = 60  # seconds; RFC 6749 §4.1.2 asks for short-lived codes (10 min at most)
ACCESS_TOKEN_LIFETIME = 300  # five minutes: long enough to try, short enough to see expire
REFRESH_TOKEN_LIFETIME = 24 * 3600
LOGIN_LIFETIME = 30 * 60  # a consent login is remembered this long in the browser
TICKET_LIFETIME = 10 * 60  # a consent page must be answered within this
MAX_CODES = 100
MAX_TOKENS = 500
MAX_LOGINS = 100
MAX_TICKETS = 200


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):  # type: ignore[misc]  # untyped Authlib
    """A code handed to the client through the browser, redeemable once."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    username: str
    code_challenge: str | None
    code_challenge_method: str | None
    issued_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class Token(TokenMixin):  # type: ignore[misc]  # untyped Authlib
    """An access token and, for user grants, its refresh token."""

    access_token: str
    refresh_token: str | None
    client_id: str
    username: str | None
    scope: str
    grant_type: str
    issued_at: float
    expires_in: int
    family: str  # the tokens one authorization produced by refreshing, for reuse detection
    clock: Callable[[], float] = field(repr=False, default=time.time)
    access_revoked: bool = False
    refresh_revoked: bool = False
    rotated: bool = False  # its refresh token was used (a second use means theft)

    def check_client(self, client: Client) -> bool:
        return self.client_id == client.get_client_id()

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def expires_at(self) -> float:
        return self.issued_at + self.expires_in

    def is_expired(self) -> bool:
        return self.clock() >= self.expires_at()

    def is_revoked(self) -> bool:
        return self.access_revoked

    def refresh_usable(self) -> bool:
        return (
            self.refresh_token is not None
            and not self.refresh_revoked
            and self.clock() < self.issued_at + REFRESH_TOKEN_LIFETIME
        )

    def get_user(self) -> str | None:
        return self.username

    def get_client(self) -> Client | None:
        return find_client(self.client_id)


@dataclass
class Ticket:
    """One consent page shown: the form's hidden field names it, and only the browser
    that got the page (its cookie) can answer it, once (the form's CSRF protection)."""

    browser: str
    query: str  # the authorization request it was shown for
    issued_at: float


class _Bounded(OrderedDict[str, Any]):
    """A dict that forgets its oldest entries beyond ``limit``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: str, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


class OAuthStore:
    """The authorization server's memory for one app instance (thread-safe)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._codes = _Bounded(MAX_CODES)
        self._tokens = _Bounded(MAX_TOKENS)  # by access token
        self._refresh: dict[str, str] = {}  # refresh token -> access token
        self._logins = _Bounded(MAX_LOGINS)  # browser cookie -> (username, since)
        self._tickets = _Bounded(MAX_TICKETS)

    def now(self) -> float:
        return self.clock()

    def reset(self) -> None:
        """Forget every code, token, login and open consent page."""
        with self._lock:
            for table in (self._codes, self._tokens, self._logins, self._tickets):
                table.clear()
            self._refresh.clear()

    # --- codes -----------------------------------------------------------------------

    def save_code(self, code: AuthorizationCode) -> None:
        with self._lock:
            self._codes.put(code.code, code)

    def find_code(self, code: str, client_id: str) -> AuthorizationCode | None:
        """The code if it is unexpired and was issued to this client."""
        with self._lock:
            found: AuthorizationCode | None = self._codes.get(code)
            if found is None or found.client_id != client_id:
                return None
            if self.clock() >= found.issued_at + CODE_LIFETIME:
                del self._codes[code]
                return None
            return found

    def delete_code(self, code: str) -> None:
        with self._lock:
            self._codes.pop(code, None)

    # --- tokens ----------------------------------------------------------------------

    def save_token(self, token: Token) -> None:
        with self._lock:
            self._tokens.put(token.access_token, token)
            if token.refresh_token:
                self._refresh[token.refresh_token] = token.access_token
            # Refresh entries whose token was pushed out of the bounded table go too.
            if len(self._refresh) > len(self._tokens):
                self._refresh = {
                    refresh: access
                    for refresh, access in self._refresh.items()
                    if access in self._tokens
                }

    def by_access_token(self, access_token: str) -> Token | None:
        with self._lock:
            found: Token | None = self._tokens.get(access_token)
            return found

    def by_refresh_token(self, refresh_token: str) -> Token | None:
        with self._lock:
            access = self._refresh.get(refresh_token)
            found: Token | None = self._tokens.get(access) if access else None
            return found

    def revoke(self, token: Token, *, refresh_too: bool = True) -> None:
        with self._lock:
            token.access_revoked = True
            if refresh_too:
                token.refresh_revoked = True

    def revoke_family(self, family: str) -> None:
        """Revoke every token one authorization produced (a refresh token was replayed:
        RFC 9700 §4.14.2 says the server cannot tell thief from owner, so both lose)."""
        with self._lock:
            for token in self._tokens.values():
                if token.family == family:
                    token.access_revoked = token.refresh_revoked = True

    def token_count(self) -> int:
        with self._lock:
            return len(self._tokens)

    def code_count(self) -> int:
        with self._lock:
            return len(self._codes)

    # --- consent logins and pages --------------------------------------------------------

    def logged_in(self, browser: str | None) -> str | None:
        """The user this browser logged in as on the consent page, while it lasts."""
        with self._lock:
            found = self._logins.get(browser or "")
            if found is None:
                return None
            username, since = found
            if self.clock() >= since + LOGIN_LIFETIME:
                del self._logins[browser or ""]
                return None
            return str(username)

    def log_in(self, browser: str, username: str) -> None:
        with self._lock:
            self._logins.put(browser, (username, self.clock()))

    def open_ticket(self, browser: str, query: str) -> str:
        """A one-time id for the consent form just shown to this browser."""
        ticket = secrets.token_urlsafe(24)
        with self._lock:
            self._tickets.put(ticket, Ticket(browser, query, self.clock()))
        return ticket

    def take_ticket(self, ticket: str, browser: str, query: str) -> bool:
        """True once for a ticket this browser got for this very request, in time."""
        with self._lock:
            found: Ticket | None = self._tickets.pop(ticket, None)
        return (
            found is not None
            and secrets.compare_digest(found.browser.encode(), browser.encode())
            and found.query == query
            and self.clock() < found.issued_at + TICKET_LIFETIME
        )


def new_token(
    values: dict[str, Any],
    client_id: str,
    username: str | None,
    grant_type: str,
    family: str | None,
    clock: Callable[[], float],
) -> Token:
    """A Token from the dict Authlib's generator returned."""
    return Token(
        access_token=values["access_token"],
        refresh_token=values.get("refresh_token"),
        client_id=client_id,
        username=username,
        scope=values.get("scope", ""),
        grant_type=grant_type,
        issued_at=clock(),
        expires_in=int(values.get("expires_in", ACCESS_TOKEN_LIFETIME)),
        family=family or secrets.token_urlsafe(12),
        clock=clock,
    )
