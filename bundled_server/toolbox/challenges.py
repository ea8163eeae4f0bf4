"""Authentication challenges: Basic (RFC 7617), Bearer (RFC 6750), Digest (RFC 7616).

Digest is real: the nonce is signed and time-stamped (so nothing is stored), and
the response hash is checked exactly as RFC 7616 §3.4.1 defines it, which is what
``requests.auth.HTTPDigestAuth`` and curl ``--digest`` compute.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Callable
from typing import Protocol

from flask import Blueprint, Response, jsonify, request

from ..problems import Problem

bp = Blueprint("challenges", __name__)

BASIC_REALM = "practice-basic"
DIGEST_REALM = "practice-digest"
NONCE_LIFETIME = 300  # seconds; older nonces get a new challenge with stale=true
_NONCE_KEY = os.urandom(32)  # per process: a restart simply asks for a new nonce


class _Digest(Protocol):
    def hexdigest(self) -> str: ...


DIGEST_ALGORITHMS: dict[str, Callable[[bytes], _Digest]] = {
    "MD5": hashlib.md5,
    "MD5-sess": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-256-sess": hashlib.sha256,
    "SHA-512-256": lambda data: hashlib.new("sha512_256", data),
    "SHA-512-256-sess": lambda data: hashlib.new("sha512_256", data),
}
QOPS = ("auth", "auth-int")


@bp.get("/basic-auth/<user>/<passwd>")
def basic_auth(user: str, passwd: str) -> Response:
    """200 when Basic credentials match the path, else 401 with a Basic challenge."""
    auth = request.authorization
    if (
        auth is None
        or auth.type != "basic"
        or not hmac.compare_digest((auth.username or "").encode(), user.encode())
        or not hmac.compare_digest((auth.password or "").encode(), passwd.encode())
    ):
        raise Problem(
            401,
            f"Send Basic credentials {user}:<password from the URL>.",
            headers={"WWW-Authenticate": f'Basic realm="{BASIC_REALM}", charset="UTF-8"'},
        )
    return jsonify(authenticated=True, user=user, scheme="Basic")


@bp.get("/bearer")
def bearer() -> Response:
    """200 for any Bearer token (it is echoed back), else 401 with a Bearer challenge."""
    auth = request.authorization
    if auth is None or auth.type != "bearer" or not auth.token:
        challenge = 'Bearer realm="practice"'
        if request.headers.get("Authorization"):
            challenge += ', error="invalid_request"'
        raise Problem(
            401,
            "Send Authorization: Bearer <any token>.",
            headers={"WWW-Authenticate": challenge},
        )
    return jsonify(authenticated=True, token=auth.token, scheme="Bearer")


def _hash(algorithm: str, text: str) -> str:
    return DIGEST_ALGORITHMS[algorithm](text.encode()).hexdigest()


def make_nonce(now: float | None = None) -> str:
    """``base64(timestamp:hmac)``: verifiable later without remembering it."""
    stamp = str(int(now if now is not None else time.time()))
    mac = hmac.new(_NONCE_KEY, stamp.encode(), hashlib.sha256).hexdigest()
    return base64.b64encode(f"{stamp}:{mac}".encode()).decode()


def nonce_state(nonce: str) -> str:
    """``valid``, ``stale`` (ours but too old) or ``invalid``."""
    try:
        stamp, mac = base64.b64decode(nonce, validate=True).decode().split(":", 1)
        issued = int(stamp)
    except ValueError:
        return "invalid"
    expected = hmac.new(_NONCE_KEY, stamp.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, expected):
        return "invalid"
    return "valid" if time.time() - issued <= NONCE_LIFETIME else "stale"


def _challenge(qop: str, algorithm: str, stale: bool = False) -> Problem:
    opaque = hashlib.sha256(DIGEST_REALM.encode()).hexdigest()[:32]
    header = (
        f'Digest realm="{DIGEST_REALM}", qop="{qop}", algorithm={algorithm}, '
        f'nonce="{make_nonce()}", opaque="{opaque}"'
    )
    if stale:
        header += ", stale=true"
    return Problem(
        401,
        "Digest authentication required: answer the challenge in WWW-Authenticate.",
        headers={"WWW-Authenticate": header},
    )


def expected_response(
    params: dict[str, str], algorithm: str, password: str, method: str, body: bytes
) -> str:
    """The ``response`` value RFC 7616 §3.4.1 defines for these parameters."""
    ha1 = _hash(algorithm, f"{params['username']}:{DIGEST_REALM}:{password}")
    if algorithm.endswith("-sess"):
        ha1 = _hash(algorithm, f"{ha1}:{params['nonce']}:{params.get('cnonce', '')}")
    a2 = f"{method}:{params['uri']}"
    if params.get("qop") == "auth-int":
        a2 += ":" + DIGEST_ALGORITHMS[algorithm](body).hexdigest()
    ha2 = _hash(algorithm, a2)
    if params.get("qop"):
        parts = [ha1, params["nonce"], params["nc"], params["cnonce"], params["qop"], ha2]
    else:  # RFC 2069 compatibility: no qop
        parts = [ha1, params["nonce"], ha2]
    return _hash(algorithm, ":".join(parts))


@bp.get("/digest-auth/<qop>/<user>/<passwd>")
@bp.get("/digest-auth/<qop>/<user>/<passwd>/<algorithm>")
def digest_auth(qop: str, user: str, passwd: str, algorithm: str = "MD5") -> Response:
    """200 when the Digest answer is right for ``user``/``passwd``, else a 401 challenge."""
    if qop not in QOPS:
        raise Problem(400, f"qop must be one of {', '.join(QOPS)}.", kind="invalid-parameter")
    if algorithm not in DIGEST_ALGORITHMS:
        raise Problem(
            400,
            f"algorithm must be one of {', '.join(DIGEST_ALGORITHMS)}.",
            kind="invalid-parameter",
        )
    auth = request.authorization
    if auth is None or auth.type != "digest":
        raise _challenge(qop, algorithm)
    params = {k: str(v) for k, v in auth.parameters.items()}
    required = ("username", "realm", "nonce", "uri", "response")
    if any(not params.get(name) for name in required) or params.get("qop") not in (qop, None):
        raise _challenge(qop, algorithm)
    if params.get("qop") and not (params.get("nc") and params.get("cnonce")):
        raise _challenge(qop, algorithm)
    state = nonce_state(params["nonce"])
    if state != "valid":
        raise _challenge(qop, algorithm, stale=state == "stale")
    # The uri parameter must name this resource (RFC 7616 §3.4.6).
    uri_path = params["uri"].split("?", 1)[0]
    if uri_path != request.path or params["realm"] != DIGEST_REALM:
        raise _challenge(qop, algorithm)
    good = expected_response(params, algorithm, passwd, request.method, request.get_data())
    if params["username"] != user or not hmac.compare_digest(good, params["response"]):
        raise _challenge(qop, algorithm)
    return jsonify(authenticated=True, user=user, scheme="Digest", qop=qop, algorithm=algorithm)
