"""Insomnia's OAuth 2.0 authentication ("oauth2").

Insomnia's fields: grantType (authorization_code, client_credentials, password,
implicit, refresh_token), authorizationUrl, accessTokenUrl, clientId, clientSecret,
scope, redirectUrl, usePkce (with pkceMethod S256 or plain), credentialsInBody,
tokenPrefix (NO_PREFIX for none), username, password. Insomnia always sends the token
in the Authorization header. What has no place here is reported: the implicit grant
(imported as the code grant with PKCE), plain PKCE, a fixed state, audience, resource,
origin and an OpenID Connect response type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from explorer.core.model import Auth, AuthKind, OAuth2, OAuth2Grant

_GRANTS = {
    "authorization_code": OAuth2Grant.AUTHORIZATION_CODE,
    "implicit": OAuth2Grant.AUTHORIZATION_CODE,
    "client_credentials": OAuth2Grant.CLIENT_CREDENTIALS,
    "password": OAuth2Grant.PASSWORD,
}
_EXTRA = {
    "state": "fixed state",
    "audience": "audience",
    "resource": "resource",
    "origin": "origin",
}


def oauth2_auth(
    text: Callable[[str], str], data: Mapping[str, Any], owner: str, report: list[str]
) -> Auth:
    """The Auth for Insomnia's oauth2 authentication, reading its text fields with `text`
    (variables and tags converted) and its flags from `data`."""
    grant_name = text("grantType") or "authorization_code"
    grant = _GRANTS.get(grant_name)
    if grant is None:
        report.append(
            f"The OAuth 2.0 of {owner} uses the grant {grant_name!r}, which API Explorer "
            "does not offer as a grant of its own: imported as the authorization code grant."
        )
        grant = OAuth2Grant.AUTHORIZATION_CODE
    pkce = data.get("usePkce") is True
    if grant_name == "implicit":
        pkce = True
        report.append(
            f"The OAuth 2.0 of {owner} uses the implicit grant, which API Explorer does not "
            "offer (deprecated by the OAuth 2.0 Security BCP): imported as the "
            "authorization code grant with PKCE."
        )
    dropped = [label for key, label in _EXTRA.items() if text(key)]
    if pkce and data.get("pkceMethod") == "plain":
        dropped.append("plain PKCE (S256 is used)")
    if text("responseType") not in ("", "code", "token"):
        dropped.append(f"response type {text('responseType')}")
    if dropped:
        report.append(
            f"The OAuth 2.0 of {owner} has settings API Explorer does not carry: "
            f"{', '.join(dropped)}."
        )
    if not text("accessTokenUrl"):
        report.append(
            f"The OAuth 2.0 of {owner} has no token URL: fill it in its Auth tab before sending."
        )
    prefix = text("tokenPrefix")
    settings = OAuth2(
        grant=grant,
        auth_url=text("authorizationUrl"),
        token_url=text("accessTokenUrl"),
        client_id=text("clientId"),
        client_secret=text("clientSecret"),
        scope=text("scope"),
        redirect_uri=text("redirectUrl"),
        pkce=pkce,
        client_auth="body" if data.get("credentialsInBody") is True else "basic",
        header_prefix="" if prefix == "NO_PREFIX" else (prefix or "Bearer"),
    )
    return Auth(
        AuthKind.OAUTH2, username=text("username"), password=text("password"), oauth2=settings
    )
