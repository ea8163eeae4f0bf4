"""The cacheability lesson: ``/cache``, ``/cache/<seconds>``, ``/etag/<tag>``, ``/time``.

Fixes what httpbin gets wrong: a 304 only when the validator really matches, and
the 304 always carries the ETag (RFC 9110 §15.4.5).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Blueprint, Response, jsonify, request
from werkzeug.http import http_date

from .conditional import is_not_modified, not_modified
from .problems import Problem

bp = Blueprint("caching", __name__)

_STARTED = datetime.now(UTC).replace(microsecond=0)
_START_TAG = f"cache-{int(_STARTED.timestamp())}"
MAX_AGE_LIMIT = 31_536_000  # one year, the customary ceiling for max-age
MODES = ("public", "private", "no-cache", "no-store", "immutable")


@bp.get("/cache")
def cache() -> Response:
    """A resource with ETag and Last-Modified: revalidate it and get 304."""
    headers = {
        "ETag": f'"{_START_TAG}"',
        "Last-Modified": http_date(_STARTED),
        "Cache-Control": "no-cache",
    }
    if is_not_modified(_START_TAG, _STARTED):
        return not_modified(headers)
    response = jsonify(
        generated_at=time.time(),
        note="Send If-None-Match with the ETag (or If-Modified-Since) to get 304.",
    )
    response.headers.update(headers)
    return response


@bp.get("/cache/<int:seconds>")
def cache_for(seconds: int) -> Response:
    """Cacheable for ``seconds`` (``Cache-Control: public, max-age=…``; ``?mode=`` varies it)."""
    if seconds > MAX_AGE_LIMIT:
        raise Problem(400, f"seconds must be at most {MAX_AGE_LIMIT}.", kind="invalid-parameter")
    mode = request.args.get("mode", "public")
    if mode not in MODES:
        raise Problem(400, f"mode must be one of {', '.join(MODES)}.", kind="invalid-parameter")
    if mode in ("no-store", "no-cache"):
        cache_control = mode
    elif mode == "immutable":
        cache_control = f"public, max-age={seconds}, immutable"
    else:
        cache_control = f"{mode}, max-age={seconds}"
    response = jsonify(
        generated_at=time.time(),
        cache_control=cache_control,
        note="generated_at stays the same while a cache serves this response.",
    )
    response.headers["Cache-Control"] = cache_control
    return response


@bp.get("/etag/<etag>")
def etag(etag: str) -> Response:
    """A fixed strong ETag: If-None-Match → 304, If-Match mismatch → 412."""
    headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache"}
    if "If-Match" in request.headers:
        wanted = request.if_match
        if not wanted.star_tag and not wanted.contains(etag):
            raise Problem(
                412,
                f'If-Match does not contain "{etag}".',
                kind="precondition-failed",
                headers=headers,
            )
    if is_not_modified(etag):
        return not_modified(headers)
    response = jsonify(etag=etag, note='Repeat with If-None-Match: "' + etag + '" for a 304.')
    response.headers.update(headers)
    return response


@bp.get("/time")
def now() -> Response:
    """The server clock; ``?cache=<seconds>`` makes it cacheable to show staleness."""
    seconds = request.args.get("cache")
    response = jsonify(epoch=time.time(), iso=datetime.now(UTC).isoformat())
    if seconds is None:
        response.headers["Cache-Control"] = "no-store"
    elif seconds.isdigit() and int(seconds) <= MAX_AGE_LIMIT:
        response.headers["Cache-Control"] = f"public, max-age={int(seconds)}"
    else:
        raise Problem(400, "cache must be a whole number of seconds.", kind="invalid-parameter")
    return response
