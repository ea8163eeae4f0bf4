"""OAuth 2.0 tokens: one record per (token URL, client, scope, grant, user), kept in the
local secret store, never in a collection file, the history, a report or a log.

Tokens belong to the provider and the client, not to one collection: a scratch tab, a
collection and `run FILE` with the same settings share one token, as a browser shares
one login. They live in the secret store under a reserved collection key (`STORE_KEY`,
which no collection folder can have: keys of folders are paths), one entry per settings,
the record as a small JSON text.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from explorer.core.model import OAuth2
from explorer.core.storage.secrets import SecretStore

STORE_KEY = "#oauth2"
# A token this close to its expiry counts as expired: the request it is attached to
# needs time to reach the server, and clocks differ a little.
EXPIRY_SKEW = 30.0
# A stored record longer than this is not one of ours: ignored, as if none.
_MAX_RECORD = 64 * 1024


@dataclass(frozen=True)
class Token:
    """What a token endpoint granted (RFC 6749 §5.1). `expires_at` is seconds since the
    epoch (None: the server did not say); `scope` is what was granted, which may differ
    from what was asked."""

    access_token: str
    token_type: str = "Bearer"
    refresh_token: str = ""
    expires_at: float | None = None
    scope: str = ""

    def expired(self, now: float | None = None, skew: float = EXPIRY_SKEW) -> bool:
        """Whether the access token is (about to be) past its lifetime."""
        if self.expires_at is None:
            return False
        return (time.time() if now is None else now) >= self.expires_at - skew

    def secrets(self) -> frozenset[str]:
        """The values that must never be shown or stored in clear."""
        return frozenset(v for v in (self.access_token, self.refresh_token) if v)

    @classmethod
    def from_response(cls, data: dict[str, Any], now: float | None = None) -> Token:
        """A token from a token endpoint's JSON answer (`expires_in` made absolute)."""
        now = time.time() if now is None else now
        expires_at: float | None = None
        expires_in = data.get("expires_in")
        if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
            expires_at = now + float(expires_in)
        elif isinstance(data.get("expires_at"), int | float):
            expires_at = float(data["expires_at"])
        scope = data.get("scope", "")
        return cls(
            access_token=str(data.get("access_token", "")),
            token_type=str(data.get("token_type") or "Bearer"),
            refresh_token=str(data.get("refresh_token") or ""),
            expires_at=expires_at,
            scope=" ".join(scope) if isinstance(scope, list) else str(scope or ""),
        )

    def to_text(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_text(cls, text: str) -> Token | None:
        """The record stored as `text`, or None when it is not one."""
        if len(text) > _MAX_RECORD:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
            return None
        expires = data.get("expires_at")
        return cls(
            access_token=data["access_token"],
            token_type=str(data.get("token_type") or "Bearer"),
            refresh_token=str(data.get("refresh_token") or ""),
            expires_at=float(expires) if isinstance(expires, int | float) else None,
            scope=str(data.get("scope") or ""),
        )


def token_name(settings: OAuth2, username: str = "") -> str:
    """The store's name for the token of `settings` (resolved): a digest, so the store's
    file does not list the providers and users one has tokens for."""
    user = username if settings.grant.value == "password" else ""
    parts = (
        settings.token_url.strip(),
        settings.client_id,
        settings.scope.strip(),
        settings.grant.value,
        user,
    )
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    return f"token-{digest[:32]}"


class TokenStore:
    """Tokens in the local secret store (thread-safe through the store's file lock)."""

    def __init__(self, secrets: SecretStore) -> None:
        self.secrets = secrets

    def get(self, settings: OAuth2, username: str = "") -> Token | None:
        text = self.secrets.get(STORE_KEY, "", token_name(settings, username))
        return Token.from_text(text) if text else None

    def put(self, settings: OAuth2, token: Token, username: str = "") -> None:
        self.secrets.set(STORE_KEY, "", token_name(settings, username), token.to_text())

    def clear(self, settings: OAuth2, username: str = "") -> bool:
        """Forget the token; whether there was one."""
        return self.secrets.delete(STORE_KEY, "", token_name(settings, username))


def expiry_text(token: Token, now: float | None = None) -> str:
    """ "expires in 58 min", "expired 3 min ago", "no expiry given": for people."""
    if token.expires_at is None:
        return "no expiry given"
    left = token.expires_at - (time.time() if now is None else now)
    span = _span(abs(left))
    return f"expires in {span}" if left > 0 else f"expired {span} ago"


def _span(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 48 * 3600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"
