"""``/status/<codes>``, ``/rate-limited`` and ``/unstable``: answers a client must cope with.

Unlike httpbin, each status comes with the header the RFCs pair it with (Location,
WWW-Authenticate, Allow, Retry-After …), so a client can be tested against the real
thing, and every error body is problem+json.
"""

from __future__ import annotations

import math
import random
from http import HTTPStatus

from flask import Blueprint, Response, jsonify, request
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import Rule

from ..problems import problem_response
from ..state import current_state
from .limits import number_arg

bp = Blueprint("status", __name__)

# Companion headers (RFC 9110 unless noted).
COMPANIONS: dict[int, dict[str, str]] = {
    201: {"Location": "/anything/created"},
    301: {"Location": "/get"},
    302: {"Location": "/get"},
    303: {"Location": "/get"},
    305: {"Location": "/get"},
    307: {"Location": "/get"},
    308: {"Location": "/get"},
    401: {"WWW-Authenticate": 'Basic realm="practice", charset="UTF-8"'},
    405: {},  # Allow depends on the method asked with: see _allow
    407: {"Proxy-Authenticate": 'Basic realm="practice-proxy"'},
    413: {"Retry-After": "10"},
    415: {"Accept": "application/json"},
    416: {"Content-Range": "bytes */0"},
    426: {"Upgrade": "HTTP/2.0", "Connection": "Upgrade"},
    429: {"Retry-After": "5"},
    503: {"Retry-After": "5"},
}
NO_BODY = {204, 205, 304}


def _register(state: BlueprintSetupState) -> None:
    """Any method may ask for any status, so the rule has no method list."""
    state.app.url_map.add(Rule("/status/<codes>", endpoint="status.status"))
    state.app.view_functions["status.status"] = status


bp.record_once(_register)


def _bad(detail: str) -> Response:
    return problem_response(400, detail, kind="invalid-parameter")


def _pick(codes: str) -> int | Response:
    """``418``, ``200,500`` (equal odds) or ``200:0.9,500:0.1`` (weighted)."""
    choices: list[tuple[int, float]] = []
    for part in codes.split(","):
        code_text, _, weight_text = part.partition(":")
        try:
            code = int(code_text)
            weight = float(weight_text) if weight_text else 1.0
        except ValueError:
            return _bad(f"{part!r} is not a status code (or code:weight).")
        if not 200 <= code <= 599:
            return _bad(f"{code} is outside 200–599 (1xx are not final responses).")
        if not math.isfinite(weight) or weight < 0:
            return _bad(f"The weight in {part!r} must be a number ≥ 0.")
        choices.append((code, weight))
    if sum(w for _, w in choices) <= 0:
        return _bad("At least one weight must be above 0.")
    seeded = request.args.get("seed")
    rng = random.Random(seeded) if seeded is not None else random.SystemRandom()
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def status_response(code: int) -> Response:
    """The response for ``code`` with its companion headers."""
    headers = dict(COMPANIONS.get(code, {}))
    if code == 405:
        headers["Allow"] = _allow(request.method)
    if code in NO_BODY:
        response = Response(status=code)
        del response.headers["Content-Type"]
        if code == 304:
            response.headers["ETag"] = '"status-304"'
    elif code >= 400:
        response = problem_response(code, f"You asked for status {code}.", headers=headers)
        headers = {}
    else:
        response = jsonify(status=code, reason=_phrase(code), headers_sent=headers)
        response.status_code = code
    response.headers.update(headers)
    return response


def _allow(method: str) -> str:
    """The methods a 405 offers: never the one that was just refused, which would
    contradict the answer (RFC 9110 §15.5.6; the explainer flags it)."""
    offered = ("POST", "OPTIONS") if method in ("GET", "HEAD") else ("GET", "HEAD", "OPTIONS")
    return ", ".join(name for name in offered if name != method)


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Unassigned"


def status(codes: str) -> Response:
    """Answer with the status (or one of the weighted statuses) in the path."""
    picked = _pick(codes)
    return picked if isinstance(picked, Response) else status_response(picked)


@bp.get("/rate-limited")
def rate_limited() -> Response:
    """A few requests per window per client, then 429 with Retry-After."""
    limiter = current_state().limiter
    allowed, remaining, reset_in = limiter.hit(request.remote_addr or "unknown")
    reset = max(1, math.ceil(reset_in))
    # draft-ietf-httpapi-ratelimit-headers: a draft, labelled as such in the body.
    headers = {
        "RateLimit-Policy": f'"practice";q={limiter.limit};w={int(limiter.window)}',
        "RateLimit": f'"practice";r={remaining};t={reset}',
    }
    if not allowed:
        return problem_response(
            429,
            f"At most {limiter.limit} requests every {limiter.window:g} s; try again in {reset} s.",
            kind="rate-limited",
            headers=headers | {"Retry-After": str(reset)},
            retry_after=reset,
        )
    response = jsonify(
        allowed=True,
        limit=limiter.limit,
        remaining=remaining,
        window_seconds=limiter.window,
        note="RateLimit and RateLimit-Policy follow an IETF draft, not an RFC yet.",
    )
    response.headers.update(headers)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/unstable", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unstable() -> Response:
    """Fail at random (500 or 503 + Retry-After) with ``failure_rate``; ``seed`` repeats."""
    rate = number_arg("failure_rate", 0.5, 0.0, 1.0)
    seeded = request.args.get("seed")
    rng = random.Random(seeded) if seeded is not None else random.SystemRandom()
    if rng.random() < rate:
        code = rng.choice([500, 503])
        headers = {"Retry-After": "1"} if code == 503 else {}
        return problem_response(
            code, f"A deliberate failure (failure_rate={rate:g}).", headers=headers
        )
    response = jsonify(ok=True, failure_rate=rate, seed=seeded)
    response.headers["Cache-Control"] = "no-store"
    return response
