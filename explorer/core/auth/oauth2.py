"""OAuth 2.0 client flows (RFC 6749, PKCE RFC 7636), done by Authlib's requests client.

What this module adds around Authlib: the settings as the app keeps them (`OAuth2`),
bounds (a timeout on every call, the token endpoint's answer read up to `MAX_ANSWER`
bytes, no redirects followed from a token endpoint), and every failure as one
plain-language line (`OAuth2Failure`): the endpoint's RFC 6749 §5.2 `error` and
`error_description`, a network problem, an answer that is not a token.

Client authentication is `client_secret_basic` ("basic") or `client_secret_post`
("body"); a client without a secret is a public client (`none`), which is what PKCE is
for.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import requests
import urllib3

from explorer.core.auth.tokens import Token
from explorer.core.model import OAuth2, Options

# Turning verification off is the user's choice in the Settings tab, said there; as the
# transport does, the library's warning (which would go to stderr) is not repeated.
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

TIMEOUT = 30.0  # seconds for one call of a token endpoint
MAX_ANSWER = 1024 * 1024  # a token answer is a few hundred bytes; more is not one
_MAX_LINE = 300  # an error description from a server, shown on one line


class OAuth2Failure(Exception):
    """A flow that did not give a token: `str()` is the line to show."""


@dataclass(frozen=True)
class Connection:
    """How to reach the token endpoint: as the request itself goes (its Settings tab and
    the app's network defaults), so a provider behind the same proxy, with the same
    private CA or a self-signed certificate in development, is reached the same way."""

    timeout: float = TIMEOUT
    verify: bool | str = True  # False, True or a CA bundle's path
    cert: str | tuple[str, str] | None = None
    proxy: str = ""  # "" with `system_proxy`: the system's; without: direct
    system_proxy: bool = True

    @classmethod
    def of(cls, options: Options) -> Connection:
        """The connection of a request's (resolved) options."""
        verify: bool | str = options.verify_tls
        if options.verify_tls and options.ca_bundle:
            verify = options.ca_bundle
        cert: str | tuple[str, str] | None = None
        if options.client_cert:
            cert = (
                (options.client_cert, options.client_key)
                if options.client_key
                else options.client_cert
            )
        return cls(
            timeout=min(options.timeout, TIMEOUT) if options.timeout else TIMEOUT,
            verify=verify,
            cert=cert,
            proxy=options.proxy,
            system_proxy=options.use_system_proxy,
        )

    def session_options(self) -> dict[str, Any]:
        """The keyword arguments of each call of the token endpoint."""
        extra: dict[str, Any] = {"timeout": self.timeout, "verify": self.verify}
        if self.cert:
            extra["cert"] = self.cert
        if self.proxy:
            extra["proxies"] = {"http": self.proxy, "https": self.proxy}
        elif not self.system_proxy:
            extra["proxies"] = {"http": "", "https": ""}  # direct, environment ignored
        return extra


@dataclass(frozen=True)
class AuthorizationRequest:
    """The authorization URL to open and what the code exchange needs from it."""

    url: str
    state: str
    code_verifier: str  # "" without PKCE
    redirect_uri: str


def _client_auth(settings: OAuth2) -> str:
    if not settings.client_secret:
        return "none"
    return "client_secret_post" if settings.client_auth == "body" else "client_secret_basic"


def _bounded(response: requests.Response, *_args: Any, **_kwargs: Any) -> requests.Response:
    """A response hook that reads the body itself, at most `MAX_ANSWER` bytes (requests
    runs hooks before it reads the body)."""
    data = response.raw.read(MAX_ANSWER + 1, decode_content=True)
    response.close()
    if len(data) > MAX_ANSWER:
        raise OAuth2Failure(
            f"The token endpoint {response.url} answered more than {MAX_ANSWER // 1024} KiB: "
            "that is not a token answer."
        )
    response._content = data
    response._content_consumed = True  # type: ignore[attr-defined]
    return response


def _session(settings: OAuth2, redirect_uri: str = "", timeout: float = TIMEOUT) -> Any:
    # Authlib (with joserfc and cryptography: about 120 ms) loads on the first token
    # call, not with every `run` or the window's first Send. It ships no type information.
    from authlib.integrations.requests_client import (  # type: ignore[import-untyped]
        OAuth2Session,
    )

    session = OAuth2Session(
        client_id=settings.client_id,
        client_secret=settings.client_secret or None,
        token_endpoint_auth_method=_client_auth(settings),
        scope=settings.scope.strip() or None,
        redirect_uri=redirect_uri or None,
        code_challenge_method="S256" if settings.pkce else None,
        default_timeout=timeout,
    )
    session.hooks["response"] = [_bounded]
    return session


def _check(settings: OAuth2, *, authorize: bool = False) -> None:
    if authorize and not settings.auth_url.strip():
        raise OAuth2Failure("OAuth 2.0: the authorization URL is empty (Auth tab).")
    if not settings.token_url.strip():
        raise OAuth2Failure("OAuth 2.0: the token URL is empty (Auth tab).")
    if not settings.client_id.strip():
        raise OAuth2Failure("OAuth 2.0: the client ID is empty (Auth tab).")


def authorization_request(settings: OAuth2, redirect_uri: str) -> AuthorizationRequest:
    """The authorization URL for the code grant, with a fresh `state` and, with PKCE, a
    fresh code verifier whose S256 challenge the URL carries."""
    from authlib.common.security import generate_token  # type: ignore[import-untyped]

    _check(settings, authorize=True)
    verifier = generate_token(64) if settings.pkce else ""
    with _session(settings, redirect_uri) as session:
        url, state = session.create_authorization_url(
            settings.auth_url.strip(), code_verifier=verifier or None
        )
    return AuthorizationRequest(url, state, verifier, redirect_uri)


def exchange_code(
    settings: OAuth2,
    started: AuthorizationRequest,
    code: str,
    connection: Connection | None = None,
) -> Token:
    """Exchange the authorization `code` (its state already checked) for a token."""
    extra: dict[str, Any] = {"code": code}
    if started.code_verifier:
        extra["code_verifier"] = started.code_verifier
    return _call(settings, "authorization_code", connection, started.redirect_uri, **extra)


def client_credentials(settings: OAuth2, connection: Connection | None = None) -> Token:
    """A token for the client itself (RFC 6749 §4.4)."""
    return _call(settings, "client_credentials", connection)


def password_grant(
    settings: OAuth2, username: str, password: str, connection: Connection | None = None
) -> Token:
    """A token for a user's name and password (RFC 6749 §4.3, legacy)."""
    if not username:
        raise OAuth2Failure("OAuth 2.0 password grant: the user name is empty (Auth tab).")
    return _call(settings, "password", connection, username=username, password=password)


def refresh(settings: OAuth2, refresh_token: str, connection: Connection | None = None) -> Token:
    """A new access token for `refresh_token` (RFC 6749 §6). A server that sends no new
    refresh token leaves the old one valid: it is kept."""
    if not refresh_token:
        raise OAuth2Failure("OAuth 2.0: there is no refresh token: get a new access token.")
    token = _call(settings, "refresh_token", connection, refresh_token=refresh_token)
    if not token.refresh_token:
        token = Token(
            token.access_token, token.token_type, refresh_token, token.expires_at, token.scope
        )
    return token


def _call(
    settings: OAuth2,
    grant: str,
    connection: Connection | None,
    redirect_uri: str = "",
    **params: Any,
) -> Token:
    from authlib.common.errors import AuthlibBaseError  # type: ignore[import-untyped]

    _check(settings)
    connection = connection or Connection()
    url = settings.token_url.strip()
    asked = time.time()
    call = {"allow_redirects": False, **connection.session_options()}
    try:
        with _session(settings, redirect_uri, connection.timeout) as session:
            if grant == "refresh_token":
                data = session.refresh_token(url, **call, **params)
            else:
                data = session.fetch_token(url, grant_type=grant, **call, **params)
    except OAuth2Failure:
        raise
    except AuthlibBaseError as exc:
        raise OAuth2Failure(_endpoint_error(url, exc.error, exc.description)) from None
    except requests.Timeout:
        raise OAuth2Failure(
            f"The token endpoint {url} did not answer within {connection.timeout:g} s."
        ) from None
    except requests.exceptions.SSLError as exc:
        raise OAuth2Failure(
            f"The token endpoint {url} failed the TLS check: {_line(exc)[:160]} (a private "
            "CA or a self-signed certificate: see the request's Settings tab)."
        ) from None
    except requests.ConnectionError as exc:
        raise OAuth2Failure(f"Could not reach the token endpoint {url}: {_reason(exc)}") from None
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        raise OAuth2Failure(
            f"The token endpoint {url} answered HTTP {status} without an OAuth error."
        ) from None
    except (requests.RequestException, ValueError) as exc:
        raise OAuth2Failure(
            f"The token endpoint {url} did not give a token: {_line(exc)}"
        ) from None
    token = Token.from_response(dict(data), now=asked)
    if not token.access_token:
        raise OAuth2Failure(f"The token endpoint {url} answered without an access_token.")
    return token


def _endpoint_error(url: str, error: object, description: object) -> str:
    """RFC 6749 §5.2 as one line: what the code means, then the server's own words."""
    meaning = ERROR_MEANINGS.get(str(error), "")
    words = f" ({_line(description)})" if description else ""
    tail = f": {meaning}" if meaning else ""
    return f"The token endpoint {url} refused: {error}{words}{tail}"


ERROR_MEANINGS = {
    "invalid_request": "the request misses or repeats a parameter",
    "invalid_client": "the client ID or secret is wrong, or the client authentication "
    "(Basic or body) is not the one the server expects",
    "invalid_grant": "the code, refresh token or user credentials are invalid, expired "
    "or were issued to another client",
    "unauthorized_client": "this client may not use this grant type",
    "unsupported_grant_type": "the server does not offer this grant type",
    "invalid_scope": "the scope asked for is unknown or more than the client may have",
}


def _reason(exc: BaseException) -> str:
    text = _line(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in text:
            return marker.lower()
    return text


def _line(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= _MAX_LINE else text[: _MAX_LINE - 1] + "…"
