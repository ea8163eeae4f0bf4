"""Postman's OAuth 2.0 auth ("oauth2"), both ways.

Postman keeps the settings as key/value rows: grant_type (authorization_code,
authorization_code_with_pkce, client_credentials, password_credentials, implicit),
authUrl, accessTokenUrl, clientId, clientSecret, scope, redirect_uri (or useBrowser,
Postman's own callback), client_authentication (header, body), addTokenTo (header,
queryParams), headerPrefix, challengeAlgorithm (S256, plain), username, password.

What API Explorer has no place for is reported, never silently dropped: the implicit
grant (imported as the code grant with PKCE, its safer successor), a fixed state or code
verifier (made anew for every sign-in here), plain PKCE, a separate refresh URL, extra
parameters (audience, resource), and a token saved in the file: tokens live in the local
secret store, so it is not imported and a new one is fetched.
"""

from __future__ import annotations

from typing import Any

from explorer.core.model import Auth, AuthKind, OAuth2, OAuth2Grant

_GRANTS = {
    "authorization_code": OAuth2Grant.AUTHORIZATION_CODE,
    "authorization_code_with_pkce": OAuth2Grant.AUTHORIZATION_CODE,
    "implicit": OAuth2Grant.AUTHORIZATION_CODE,
    "client_credentials": OAuth2Grant.CLIENT_CREDENTIALS,
    "password_credentials": OAuth2Grant.PASSWORD,
}
# Postman's own callback page, which only the Postman app can receive.
POSTMAN_CALLBACKS = (
    "https://oauth.pstmn.io/v1/callback",
    "https://oauth.pstmn.io/v1/browser-callback",
)
_EXTRA = (
    "audience",
    "resource",
    "refreshTokenUrl",
    "state",
    "code_verifier",
    "authRequestParams",
    "tokenRequestParams",
    "refreshRequestParams",
)


def oauth2_auth(values: dict[str, str], where: str, report: list[str]) -> Auth:
    """The Auth for Postman's "oauth2" rows `values`; what has no place here is said
    in `report` (`where` names the auth)."""
    grant_name = values.get("grant_type") or "authorization_code"
    grant = _GRANTS.get(grant_name)
    if grant is None:
        report.append(
            f"The OAuth 2.0 at {where} uses the grant {grant_name!r}, which API Explorer "
            "does not offer: imported as the authorization code grant."
        )
        grant = OAuth2Grant.AUTHORIZATION_CODE
    if grant_name == "implicit":
        report.append(
            f"The OAuth 2.0 at {where} uses the implicit grant, which API Explorer does not "
            "offer (OAuth 2.0 Security BCP: deprecated): imported as the authorization "
            "code grant with PKCE."
        )
    redirect = values.get("redirect_uri", "")
    if redirect in POSTMAN_CALLBACKS or values.get("useBrowser") == "true":
        redirect = ""
        report.append(
            f"The OAuth 2.0 at {where} used Postman's callback page: here the sign-in "
            "comes back to a listener on 127.0.0.1 (register http://127.0.0.1/callback, "
            "any port, with the provider)."
        )
    dropped = [key for key in _EXTRA if values.get(key)]
    if grant_name == "authorization_code_with_pkce" and values.get("challengeAlgorithm") == "plain":
        dropped.append("plain PKCE (S256 is used)")
    if dropped:
        report.append(
            f"The OAuth 2.0 at {where} has settings API Explorer does not carry: "
            f"{', '.join(dropped)}."
        )
    if values.get("accessToken") or values.get("refreshToken"):
        report.append(
            f"The OAuth 2.0 at {where} had a token saved in the file: it was not imported "
            "(tokens are kept in the local secret store); get a new one in the Auth tab."
        )
    if not values.get("accessTokenUrl"):
        report.append(
            f"The OAuth 2.0 at {where} has no token URL: fill it in its Auth tab before sending."
        )
    settings = OAuth2(
        grant=grant,
        auth_url=values.get("authUrl", ""),
        token_url=values.get("accessTokenUrl", ""),
        client_id=values.get("clientId", ""),
        client_secret=values.get("clientSecret", ""),
        scope=values.get("scope", ""),
        redirect_uri=redirect,
        # Postman's plain "authorization_code" has no PKCE; every other code grant here does.
        pkce=grant_name != "authorization_code",
        client_auth="body" if values.get("client_authentication") == "body" else "basic",
        token_in="query" if values.get("addTokenTo") == "queryParams" else "header",
        header_prefix=values.get("headerPrefix", "Bearer")
        if "headerPrefix" in values
        else "Bearer",
    )
    return Auth(
        AuthKind.OAUTH2,
        username=values.get("username", ""),
        password=values.get("password", ""),
        oauth2=settings,
    )


def oauth2_values(auth: Auth, losses: list[str] | None = None) -> dict[str, Any]:
    """Postman's rows for an OAUTH2 `auth` (as a mapping); what Postman cannot say is
    added to `losses` (one sentence per kind of loss, whatever the number of requests)."""
    s = auth.oauth2
    grant = {
        OAuth2Grant.AUTHORIZATION_CODE: (
            "authorization_code_with_pkce" if s.pkce else "authorization_code"
        ),
        OAuth2Grant.CLIENT_CREDENTIALS: "client_credentials",
        OAuth2Grant.PASSWORD: "password_credentials",
    }[s.grant]
    values: dict[str, Any] = {
        "grant_type": grant,
        "accessTokenUrl": s.token_url,
        "clientId": s.client_id,
        "clientSecret": s.client_secret,
        "scope": s.scope,
    }
    if s.grant == OAuth2Grant.AUTHORIZATION_CODE:
        values["authUrl"] = s.auth_url
        if s.redirect_uri:
            values["redirect_uri"] = s.redirect_uri
        else:  # the loopback listener: Postman's own browser callback is its nearest
            values["useBrowser"] = True
            if losses is not None:
                losses.append(
                    "OAuth 2.0 sign-ins come back to a listener on 127.0.0.1 here; Postman "
                    "uses its own browser callback instead (register it with the provider)."
                )
        if s.pkce:
            values["challengeAlgorithm"] = "S256"
    if s.grant == OAuth2Grant.PASSWORD:
        values["username"] = auth.username
        values["password"] = auth.password
    values["client_authentication"] = "body" if s.client_auth == "body" else "header"
    values["addTokenTo"] = "queryParams" if s.token_in == "query" else "header"
    values["headerPrefix"] = s.header_prefix
    if s.token_in == "query" and s.query_param != "access_token" and losses is not None:
        losses.append(
            f"An OAuth 2.0 token sent as the query parameter {s.query_param!r} is named "
            "access_token in Postman, which has no other name for it."
        )
    return values
