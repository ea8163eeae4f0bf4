"""``/auth/*``: stateless authentication with a signed bearer token.

The token carries who you are and when it expires, signed with a key the server
knows. The server stores nothing per login, so any server instance, and the same
server after a restart, accepts the token: the statelessness constraint at work.
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .payload import json_object
from .problems import Problem

bp = Blueprint("auth", __name__, url_prefix="/auth")

REALM = "practice"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["TOKEN_SECRET"], salt="access-token")


def credentials_from_request() -> tuple[str, str]:
    """Username and password from Basic auth, a JSON body or a form."""
    if request.authorization and request.authorization.type == "basic":
        auth = request.authorization
        return auth.username or "", auth.password or ""
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.form.get("username", ""), request.form.get("password", "")
    body = json_object()
    return str(body.get("username", "")), str(body.get("password", ""))


def check_credentials(username: str, password: str) -> str:
    """Return the username when the pair matches a seeded user, else raise 401."""
    users = current_app.extensions["practice"].store.users.all()
    for user in users:
        # compare_digest: the lesson may as well show the right way to compare secrets.
        if user["username"] == username and hmac.compare_digest(
            user["password"].encode(), password.encode()
        ):
            return username
    raise Problem(
        401,
        "Unknown username or wrong password. The seeded users and their practice "
        "passwords are listed on /lessons/statelessness.",
        headers={"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'},
    )


def _bearer_challenge(error: str | None = None, description: str | None = None) -> str:
    challenge = f'Bearer realm="{REALM}"'
    if error:
        challenge += f', error="{error}"'
    if description:
        challenge += f', error_description="{description}"'
    return challenge


def verify_bearer() -> dict[str, Any]:
    """Return the token's claims or raise 401 with an RFC 6750 challenge."""
    auth = request.authorization
    if auth is None or auth.type != "bearer" or not auth.token:
        raise Problem(
            401,
            "Send Authorization: Bearer <token>; get a token from POST /auth/token.",
            headers={"WWW-Authenticate": _bearer_challenge()},
        )
    lifetime = current_app.config["TOKEN_LIFETIME"]
    try:
        claims: dict[str, Any] = _serializer().loads(auth.token, max_age=lifetime)
    except SignatureExpired:
        raise Problem(
            401,
            "The token has expired; ask POST /auth/token for a new one.",
            headers={"WWW-Authenticate": _bearer_challenge("invalid_token", "expired")},
        ) from None
    except BadSignature:
        raise Problem(
            401,
            "The token's signature does not match: it was changed or not issued here.",
            headers={"WWW-Authenticate": _bearer_challenge("invalid_token", "bad signature")},
        ) from None
    return claims


@bp.post("/token")
def issue_token() -> Response:
    """Exchange a username and password for a signed, expiring bearer token."""
    username = check_credentials(*credentials_from_request())
    issued = int(time.time())
    lifetime = current_app.config["TOKEN_LIFETIME"]
    token = _serializer().dumps({"sub": username, "iat": issued})
    response = jsonify(access_token=token, token_type="Bearer", expires_in=lifetime)
    # RFC 6749 §5.1: token responses must not be cached.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/me")
def me() -> Response:
    """Who the bearer token says you are; nothing about it is stored on the server."""
    claims = verify_bearer()
    lifetime = current_app.config["TOKEN_LIFETIME"]
    response = jsonify(
        username=claims["sub"],
        issued_at=claims["iat"],
        expires_at=claims["iat"] + lifetime,
        stored_on_server=False,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
