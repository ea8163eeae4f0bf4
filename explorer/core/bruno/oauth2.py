"""Bruno's OAuth 2.0 auth (`auth:oauth2`), both ways.

Bruno's block: grant_type (authorization_code, client_credentials, password, implicit),
callback_url, authorization_url, access_token_url, refresh_token_url, client_id,
client_secret, scope, state, pkce, credentials_placement (body, basic_auth_header; newer
Bruno: token_endpoint_auth_method client_secret_post / client_secret_basic),
token_placement (header, url), token_header_prefix, token_query_key, username, password,
auto_fetch_token, auto_refresh_token. API Explorer always fetches and refreshes tokens
when a send needs them. What has no place here is reported (one sentence per kind,
whatever the number of requests): the implicit grant (imported as the code grant with
PKCE), a fixed state, a separate refresh URL, a callback only Bruno's own browser window
can catch.
"""

from __future__ import annotations

from collections.abc import Callable

from explorer.core.auth.loopback import is_loopback
from explorer.core.model import Auth, AuthKind, OAuth2, OAuth2Grant

OAUTH2_BLOCK = "auth:oauth2"
_GRANTS = {
    "authorization_code": OAuth2Grant.AUTHORIZATION_CODE,
    "implicit": OAuth2Grant.AUTHORIZATION_CODE,
    "client_credentials": OAuth2Grant.CLIENT_CREDENTIALS,
    "password": OAuth2Grant.PASSWORD,
}


def oauth2_auth(value: Callable[[str], str], notes: list[str]) -> Auth:
    """The OAuth 2.0 of an `auth:oauth2` block read with `value(row name)`; sentences
    about what was not carried are added to `notes` once each."""

    def note(sentence: str) -> None:
        if sentence not in notes:
            notes.append(sentence)

    grant_name = value("grant_type") or "authorization_code"
    grant = _GRANTS.get(grant_name, OAuth2Grant.AUTHORIZATION_CODE)
    pkce = value("pkce") == "true"
    if grant_name == "implicit":
        pkce = True
        note(
            "OAuth 2.0 implicit grants were imported as the authorization code grant with "
            "PKCE: API Explorer does not offer the implicit grant (deprecated by the OAuth "
            "2.0 Security BCP)"
        )
    elif grant_name not in _GRANTS:
        note(f"OAuth 2.0 grant {grant_name!r} was imported as the authorization code grant")
    if value("state") or (
        value("refresh_token_url") and value("refresh_token_url") != value("access_token_url")
    ):
        note(
            "OAuth 2.0 settings without a place here were not carried over: a fixed state "
            "(made anew for every sign-in here), a refresh URL other than the token URL"
        )
    callback = value("callback_url")
    if grant == OAuth2Grant.AUTHORIZATION_CODE and not is_loopback(callback):
        note(
            "OAuth 2.0 callback URLs that only Bruno's own sign-in window can catch were "
            "kept: here the sign-in comes back to 127.0.0.1; empty the Redirect URI field "
            "and register http://127.0.0.1/callback (any port) with the provider"
        )
    if not value("access_token_url"):
        note("OAuth 2.0 settings without a token URL were imported: fill it in before sending")
    method = value("token_endpoint_auth_method")
    in_body = value("credentials_placement") == "body" or method == "client_secret_post"
    placement = value("token_placement")
    settings = OAuth2(
        grant=grant,
        auth_url=value("authorization_url"),
        token_url=value("access_token_url"),
        client_id=value("client_id"),
        client_secret=value("client_secret"),
        scope=value("scope"),
        redirect_uri=callback,
        pkce=pkce,
        client_auth="body" if in_body else "basic",
        token_in="query" if placement in ("url", "query", "queryparams") else "header",
        header_prefix=value("token_header_prefix") if value("token_header_prefix") else "Bearer",
        query_param=value("token_query_key") or "access_token",
    )
    return Auth(
        AuthKind.OAUTH2,
        username=value("username"),
        password=value("password"),
        oauth2=settings,
    )


def oauth2_rows(auth: Auth) -> list[tuple[str, str]]:
    """The rows of the `auth:oauth2` block for an OAUTH2 `auth`."""
    s = auth.oauth2
    rows = [("grant_type", s.grant.value)]
    if s.grant == OAuth2Grant.AUTHORIZATION_CODE:
        rows += [
            ("callback_url", s.redirect_uri),
            ("authorization_url", s.auth_url),
        ]
    rows += [
        ("access_token_url", s.token_url),
        ("refresh_token_url", s.token_url),
    ]
    if s.grant == OAuth2Grant.PASSWORD:
        rows += [("username", auth.username), ("password", auth.password)]
    rows += [
        ("client_id", s.client_id),
        ("client_secret", s.client_secret),
        ("scope", s.scope),
    ]
    if s.grant == OAuth2Grant.AUTHORIZATION_CODE:
        rows.append(("pkce", "true" if s.pkce else "false"))
    rows += [
        ("credentials_placement", "body" if s.client_auth == "body" else "basic_auth_header"),
        ("credentials_id", "credentials"),
        ("token_placement", "url" if s.token_in == "query" else "header"),
        ("token_header_prefix", s.header_prefix),
        ("token_query_key", s.query_param),
        ("auto_fetch_token", "true"),
        ("auto_refresh_token", "true"),
    ]
    return rows
