"""The OAuth 2.0 endpoints: consent page, token, revocation, metadata, and the resource.

The token and revocation endpoints answer errors as RFC 6749 §5.2 JSON
(``{"error": "invalid_grant", "error_description": …}``): that IS the specification for
those endpoints, and every OAuth client reads it. Everything else answers errors as
problem+json like the rest of the server; the browser-facing authorization endpoint shows
an HTML page to a browser instead. An authorization request with an unknown client or a
redirect URI the client may not use gets that error page and is never redirected
(RFC 6749 §4.1.2.1): redirecting it would make this server an open redirector.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2 import OAuth2Error  # type: ignore[import-untyped]
from authlib.oauth2.rfc6750 import InsufficientScopeError, InvalidTokenError  # type: ignore[import-untyped]
from flask import Blueprint, Response, jsonify, make_response, render_template, request

from ..items import SCHEMA as ITEM_SCHEMA
from ..items import create_item
from ..negotiation import best_mimetype, use_language
from ..payload import json_object
from ..problems import Problem
from ..state import current_state
from ..validation import validate
from .clients import SCOPES, Client
from .server import REALM, authorization_server, check_user, require_oauth
from .store import Token
from .text import consent_text, scope_words

bp = Blueprint("oauth", __name__)

BROWSER_COOKIE = "practice_oauth_browser"
MAX_FIELD = 200  # a username or password longer than this is not a practice user's


# --------------------------------------------------------------------------- metadata


@bp.get("/.well-known/oauth-authorization-server")
def metadata() -> Response:
    """RFC 8414 metadata: where the endpoints are and what this server supports, so a
    client configures itself from one URL."""
    base = request.host_url.rstrip("/")
    response = jsonify(
        issuer=base,
        authorization_endpoint=f"{base}/oauth/authorize",
        token_endpoint=f"{base}/oauth/token",
        revocation_endpoint=f"{base}/oauth/revoke",
        scopes_supported=list(SCOPES),
        response_types_supported=["code"],
        grant_types_supported=[
            "authorization_code",
            "client_credentials",
            "refresh_token",
            "password",
        ],
        token_endpoint_auth_methods_supported=[
            "client_secret_basic",
            "client_secret_post",
            "none",
        ],
        revocation_endpoint_auth_methods_supported=[
            "client_secret_basic",
            "client_secret_post",
            "none",
        ],
        code_challenge_methods_supported=["S256"],
        service_documentation=f"{base}/lessons/oauth",
    )
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    response.make_conditional(request)
    return response


# --------------------------------------------------------------------------- authorize


def _browser() -> str | None:
    value = request.cookies.get(BROWSER_COOKIE, "")
    return value if 16 <= len(value) <= 64 else None


def _error_page(status: int, detail: str) -> Response:
    """An HTML page for a person at a browser, problem+json for a program: never a
    redirect, since the redirect URI could not be trusted."""
    if best_mimetype(["application/problem+json", "text/html"]) == "text/html":
        lang = use_language()
        html = render_template(
            "oauth_error.html", lang=lang, text=consent_text(lang), detail=detail, status=status
        )
        response = make_response(html, status)
        response.headers["Cache-Control"] = "no-store"
        return response
    raise Problem(status, detail, headers={"Cache-Control": "no-store"})


def _consent_grant(user: str | None) -> Any:
    """Authlib's check of the authorization request. It raises ValueError when an error
    description would repeat a quote or backslash the request sent (response_type="a\"b"):
    that is a bad request, not a crash."""
    try:
        return authorization_server.get_consent_grant(end_user=user)
    except ValueError:
        raise OAuth2Error(
            "The request has characters this server does not repeat back.", error="invalid_request"
        ) from None


def _oauth_error(error: OAuth2Error) -> Response:
    """A redirect back to the client when the error came after its redirect URI was
    checked (RFC 6749 §4.1.2.1), the error page otherwise."""
    if error.redirect_uri:
        response: Response = authorization_server.handle_error_response(None, error)
        return response
    description = error.description or error.error
    return _error_page(400, f"The authorization request was refused ({error.error}): {description}")


def _consent_page(
    grant: Any, browser: str, user: str | None, problem: str = "", status: int = 200
) -> Response:
    lang = use_language()
    client: Client = grant.request.client
    scope = grant.request.scope or ""
    ticket = current_state().oauth.open_ticket(browser, request.query_string.decode("latin-1"))
    html = render_template(
        "oauth_consent.html",
        lang=lang,
        text=consent_text(lang),
        client=client,
        scopes=scope_words(scope, lang),
        redirect_uri=grant.redirect_uri,
        user=_display_name(user),
        ticket=ticket,
        action=request.full_path if request.query_string else request.path,
        problem=problem,
        lang_links={code: _with_language(code) for code in ("en", "ko")},
    )
    response = make_response(html, status)
    # A consent page is for this moment and this browser only.
    response.headers["Cache-Control"] = "no-store"
    response.set_cookie(BROWSER_COOKIE, browser, httponly=True, samesite="Lax", path="/oauth")
    return response


def _with_language(code: str) -> str:
    """This page's own query with lang=code: a bare "?lang=ko" would drop the
    authorization request and turn the page into an error."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return "?" + urlencode([*args, ("lang", code)])


def _display_name(username: str | None) -> str | None:
    if username is None:
        return None
    for user in current_state().store.users.all():
        if user["username"] == username:
            return f"{user['name']} ({username})"
    return username


@bp.get("/oauth/authorize")
def authorize() -> Response:
    """Check the request, then ask the user (logging in first when needed)."""
    browser = _browser() or secrets.token_urlsafe(24)
    user = current_state().oauth.logged_in(browser)
    try:
        grant = _consent_grant(user)
    except OAuth2Error as error:
        return _oauth_error(error)
    return _consent_page(grant, browser, user)


@bp.post("/oauth/authorize")
def decide() -> Response:
    """The consent form's answer: a code for the client on Approve, access_denied on Deny.
    Only the browser that was shown the form can answer it, once (CSRF)."""
    store = current_state().oauth
    browser = _browser()
    ticket = request.form.get("ticket", "")
    query = request.query_string.decode("latin-1")
    if browser is None or not store.take_ticket(ticket, browser, query):
        return _error_page(
            400,
            "This consent form was not shown to this browser, was already answered or "
            "is too old. Start the authorization again from the app.",
        )
    user = store.logged_in(browser)
    try:
        grant = _consent_grant(user)
    except OAuth2Error as error:
        return _oauth_error(error)
    if request.form.get("decision") != "approve":
        response: Response = authorization_server.create_authorization_response(
            grant_user=None, grant=grant
        )
        return response
    if user is None:
        username = request.form.get("username", "")[:MAX_FIELD]
        user = check_user(username, request.form.get("password", "")[:MAX_FIELD])
        if user is None:
            lang = use_language()
            return _consent_page(grant, browser, None, consent_text(lang)["wrong_password"])
        store.log_in(browser, user)
    response = authorization_server.create_authorization_response(grant_user=user, grant=grant)
    response.headers["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- token


def _basic_challenge(response: Response) -> Response:
    """Wrong client credentials in a Basic header get 401 with a Basic challenge (RFC 6749
    §5.2). Authlib writes `Basic error="invalid_client", …`; Basic has no error
    parameters but needs a realm (RFC 7617 §2), so the challenge is written as Basic's."""
    if response.status_code == 401 and response.headers.get("WWW-Authenticate", "").startswith(
        "Basic "
    ):
        response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


@bp.post("/oauth/token")
def token() -> Response:
    """Every grant: authorization_code (+ PKCE), client_credentials, refresh_token,
    password. Success and errors are RFC 6749 §5.1/§5.2 JSON with no-store."""
    return _basic_challenge(authorization_server.create_token_response())


@bp.post("/oauth/revoke")
def revoke() -> Response:
    """RFC 7009: 200 whether or not the token was known (a client cannot learn more)."""
    return _basic_challenge(authorization_server.create_endpoint_response("revocation"))


# --------------------------------------------------------------------------- resource


def _challenge(error: str | None = None, description: str | None = None, scope: str = "") -> str:
    parts = [f'realm="{REALM}"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append(f'error_description="{description}"')
    if scope:
        parts.append(f'scope="{scope}"')
    return "Bearer " + ", ".join(parts)


def _token(scope: str | None) -> Token:
    """The request's valid access token, or the RFC 6750 §3 answer: 401 with a
    challenge (no error code when no token came at all, §3.1), 403 when a scope is
    missing."""
    try:
        token: Token = require_oauth.acquire_token([scope] if scope else None)
    except InsufficientScopeError:
        raise Problem(
            403,
            f"The access token lacks the scope {scope!r}; ask for it when you get the token.",
            headers={"WWW-Authenticate": _challenge("insufficient_scope", scope=scope or "")},
        ) from None
    except InvalidTokenError as error:
        reason = error.description or "The access token is not valid."
        raise Problem(
            401,
            f"{reason} Get a new one from POST /oauth/token (or refresh it).",
            headers={"WWW-Authenticate": _challenge("invalid_token", reason, scope or "")},
        ) from None
    except OAuth2Error:
        raise Problem(
            401,
            "Send Authorization: Bearer <access token>; get one from POST /oauth/token.",
            headers={"WWW-Authenticate": _challenge(scope=scope or "")},
        ) from None
    return token


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _user_record(username: str | None) -> dict[str, Any] | None:
    for user in current_state().store.users.all():
        if user["username"] == username:
            return user
    return None


@bp.get("/oauth/me")
def me() -> Response:
    """What the access token stands for: which client, on whose behalf, which scopes."""
    found = _token(None)
    user = _user_record(found.username)
    remaining = max(0, int(found.expires_at() - current_state().oauth.now()))
    return _no_store(
        jsonify(
            client_id=found.client_id,
            username=found.username,
            name=user["name"] if user else None,
            scope=found.scope,
            grant_type=found.grant_type,
            expires_in=remaining,
        )
    )


def _item_view(item: dict[str, Any]) -> dict[str, Any]:
    return {key: item[key] for key in ("id", "name", "price", "category", "owner_id")}


@bp.get("/oauth/items")
def list_items() -> Response:
    """Items the token may read (read:items): the user's own for a user's token, every
    item for a client acting for itself."""
    found = _token("read:items")
    user = _user_record(found.username)
    records = current_state().store.items.all()
    if user is not None:
        records = [item for item in records if item["owner_id"] == user["id"]]
    data = [_item_view(item) for item in records]
    return _no_store(jsonify(data=data, total=len(data), on_behalf_of=found.username))


@bp.post("/oauth/items")
def add_item() -> Response:
    """Create an item (write:items), owned by the user the token speaks for."""
    found = _token("write:items")
    body = json_object()
    user = _user_record(found.username)
    if user is not None:
        body["owner_id"] = user["id"]
    return create_item(validate(body, ITEM_SCHEMA))
