"""The clients this practice server knows, registered in code (no registration endpoint).

- ``explorer``: a public client (a desktop app cannot keep a secret), authorization code
  with PKCE required, refresh tokens, and the legacy password grant. Its redirect URI may
  be any loopback address at any port and path, ``http://127.0.0.1:<port>/<path>`` or
  ``http://localhost:<port>/<path>`` (RFC 8252 §7.3: a native app listens on a port the
  system gives it, so the port cannot be registered in advance).
- ``practice-service``: a confidential client with a secret, for client credentials
  (a machine acting for itself). The secret is printed in the lesson on purpose: this
  server only runs on the learner's own machine.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749.util import scope_to_list  # type: ignore[import-untyped]

SCOPES = ("profile", "read:items", "write:items")
PUBLIC_CLIENT_ID = "explorer"
SERVICE_CLIENT_ID = "practice-service"
SERVICE_CLIENT_SECRET = "practice-secret"  # printed in the lesson on purpose

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback_redirect(uri: str) -> bool:
    """http on a loopback host, any port, any path, no fragment (RFC 8252 §7.3; RFC 6749
    §3.1.2: a redirect URI has no fragment). Anything else is refused, so the server never
    sends a browser (and a code) somewhere the learner does not control."""
    if len(uri) > 2048 or any(ch in uri for ch in "\\@ \t\r\n"):
        return False  # "http://127.0.0.1\@evil.example/": browsers read \ as /
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return False
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS and not parts.fragment


@dataclass(frozen=True)
class Client(ClientMixin):  # type: ignore[misc]  # Authlib ships no type hints
    """A registered client as Authlib asks for it (see ClientMixin's methods)."""

    client_id: str
    name: str
    secret: str  # "" for a public client
    grant_types: tuple[str, ...]
    scope: str
    loopback_redirects: bool = False

    @property
    def is_public(self) -> bool:
        return not self.secret

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        # None: a loopback client names its port in every request.
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The client's whole scope when none is asked for (RFC 6749 §3.3 allows a
        default); None (invalid_scope) when it asks for one it may not have."""
        allowed = scope_to_list(self.scope)
        if not scope:
            return self.scope
        asked = scope_to_list(scope)
        if any(item not in allowed for item in asked):
            return None
        return " ".join(item for item in allowed if item in asked)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return self.loopback_redirects and is_loopback_redirect(redirect_uri)

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self.secret) and hmac.compare_digest(
            self.secret.encode(), client_secret.encode()
        )

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.is_public:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


CLIENTS = {
    PUBLIC_CLIENT_ID: Client(
        PUBLIC_CLIENT_ID,
        "API Explorer",
        "",
        ("authorization_code", "refresh_token", "password"),
        " ".join(SCOPES),
        loopback_redirects=True,
    ),
    SERVICE_CLIENT_ID: Client(
        SERVICE_CLIENT_ID,
        "Practice service",
        SERVICE_CLIENT_SECRET,
        ("client_credentials",),
        " ".join(SCOPES),
    ),
}


def find_client(client_id: str | None) -> Client | None:
    """The registered client with this id, or None."""
    return CLIENTS.get(client_id or "")
