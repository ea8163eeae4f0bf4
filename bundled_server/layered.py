"""The layered-system lesson: ``/whoami`` and an in-process gateway.

``/gateway/<path>`` stands in front of the same routes the way a proxy or CDN
would: it adds ``Via`` and ``X-Forwarded-For`` on the way in, and keeps a small
shared cache that honours ``Cache-Control`` on the way out (``Age``, ``X-Cache``).
The client gets the same resource either way; only the headers reveal the layer.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.datastructures import Headers, ResponseCacheControl
from werkzeug.http import parse_cache_control_header
from werkzeug.test import run_wsgi_app

from .problems import Problem

bp = Blueprint("layered", __name__)

VIA = "1.1 practice-gateway"
MAX_LAYERS = 3  # /gateway/gateway/gateway/… beyond this is a loop, not a lesson
MAX_CACHED_BODY = 1024 * 1024
MAX_ENTRIES = 128
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# (path, query string, (header name, value) for each header named in Vary)
CacheKey = tuple[str, bytes, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class CachedResponse:
    """One stored response and when it was stored."""

    stored_at: float
    max_age: int
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class GatewayCache:
    """A tiny shared cache keyed by URL and the request headers named in Vary."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[CacheKey, CachedResponse] = {}
        self._vary: dict[str, str] = {}  # path -> the Vary its last response named

    def vary_for(self, path: str) -> str:
        """The Vary header last seen for ``path`` (the key depends on it)."""
        with self._lock:
            return self._vary.get(path, "")

    def get(self, key: CacheKey) -> CachedResponse | None:
        """A still-fresh entry, or None (stale entries are dropped)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry and time.monotonic() - entry.stored_at >= entry.max_age:
                del self._entries[key]
                entry = None
            return entry

    def put(self, key: CacheKey, entry: CachedResponse, path: str, vary: str) -> None:
        """Store, evicting the oldest entry when full."""
        with self._lock:
            self._vary[path] = vary
            if len(self._entries) >= MAX_ENTRIES:
                oldest = min(self._entries, key=lambda k: self._entries[k].stored_at)
                del self._entries[oldest]
            self._entries[key] = entry

    def clear(self) -> None:
        """Drop everything."""
        with self._lock:
            self._entries.clear()
            self._vary.clear()


@bp.get("/whoami")
def whoami() -> Response:
    """Show the proxy-related headers exactly as this server received them."""
    response = jsonify(
        remote_addr=request.remote_addr,
        host=request.host,
        via=request.headers.get("Via"),
        x_forwarded_for=request.headers.get("X-Forwarded-For"),
        x_forwarded_proto=request.headers.get("X-Forwarded-Proto"),
        forwarded=request.headers.get("Forwarded"),
        behind_a_layer=bool(request.headers.get("Via")),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _shared_max_age(headers: Headers) -> int | None:
    """Seconds a shared cache may keep this response, or None when it must not."""
    cc = parse_cache_control_header(headers.get("Cache-Control"), cls=ResponseCacheControl)
    if cc.no_store or cc.private or cc.no_cache or "Set-Cookie" in headers:
        return None
    if headers.get("Vary", "").strip() == "*":
        return None
    age = cc.s_maxage if cc.s_maxage is not None else cc.max_age
    return int(age) if age and int(age) > 0 else None


def _cache_key(path: str, vary: str) -> CacheKey:
    """URL plus the value of every request header the response varies on."""
    names = sorted({n.strip().lower() for n in vary.split(",") if n.strip()})
    varied = tuple((name, request.headers.get(name, "")) for name in names)
    return (path, request.query_string, varied)


def _inner_environ(path: str, body: bytes) -> dict[str, Any]:
    """The request as the layer forwards it: same method and body, more headers."""
    environ = dict(request.environ)
    environ["PATH_INFO"] = "/" + path
    environ["SCRIPT_NAME"] = ""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    client = request.remote_addr or "unknown"
    for key, value in (
        ("HTTP_VIA", VIA),
        ("HTTP_X_FORWARDED_FOR", client),
        ("HTTP_FORWARDED", f'for="{client}";host="{request.host}";proto={request.scheme}'),
    ):
        environ[key] = f"{environ[key]}, {value}" if environ.get(key) else value
    environ.setdefault("HTTP_X_FORWARDED_PROTO", request.scheme)
    # Werkzeug caches parsed objects in the environ; the inner request must parse anew.
    for key in [k for k in environ if k.startswith("werkzeug.")]:
        del environ[key]
    return environ


def _from_cache(entry: CachedResponse) -> Response:
    response = Response(entry.body, status=entry.status, headers=entry.headers)
    response.headers["Age"] = str(int(time.monotonic() - entry.stored_at))
    response.headers["X-Cache"] = "HIT"
    return response


@bp.route("/gateway/<path:path>", methods=ALL_METHODS)
def gateway(path: str) -> Response:
    """Forward to the same app as a proxy would, caching what is publicly cacheable."""
    if request.headers.get("Via", "").count("practice-gateway") >= MAX_LAYERS:
        raise Problem(508, f"More than {MAX_LAYERS} gateway layers: this is a loop.")
    cache = current_app.extensions["practice"].gateway_cache
    cacheable_request = request.method in ("GET", "HEAD") and "Authorization" not in request.headers
    wants_fresh = "no-cache" in request.headers.get("Cache-Control", "")
    if cacheable_request and not wants_fresh:
        entry = cache.get(_cache_key(path, cache.vary_for(path)))
        if entry is not None:
            return _from_cache(entry)

    environ = _inner_environ(path, request.get_data(cache=True))
    app_iter, status, headers = run_wsgi_app(current_app.wsgi_app, environ, buffered=False)
    code = int(status.split(" ", 1)[0])
    response = Response(app_iter, status=status, headers=headers)
    response.headers["Via"] = VIA
    max_age = _shared_max_age(response.headers)
    length = response.content_length
    if cacheable_request and code == 200 and max_age and length and length <= MAX_CACHED_BODY:
        body = response.get_data()
        stored = [(k, v) for k, v in response.headers.items() if k.lower() != "x-cache"]
        vary = response.headers.get("Vary", "")
        entry = CachedResponse(time.monotonic(), max_age, code, stored, body)
        cache.put(_cache_key(path, vary), entry, path, vary)
        response.headers["X-Cache"] = "MISS"
    else:
        response.headers["X-Cache"] = "BYPASS" if not cacheable_request else "MISS"
    return response
