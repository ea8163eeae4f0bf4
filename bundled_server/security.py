"""Safety rails for a server that runs on a learner's own machine.

A web page the learner visits could otherwise reach this server: DNS rebinding is
stopped by TRUSTED_HOSTS (a forged Host gets 400), and CORS is granted only to the
server's own origins, never reflected for anyone who asks.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from werkzeug.exceptions import SecurityError

LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1"]

# Pages may load only what this server serves; the code-on-demand script included.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def trusted_hosts(bound_host: str | None = None) -> list[str]:
    """127.0.0.1, localhost and the host the server was bound to."""
    hosts = list(LOCAL_HOSTS)
    if bound_host and bound_host not in hosts and bound_host not in ("0.0.0.0", "::"):
        hosts.append(bound_host)
    return hosts


def is_own_origin(origin: str) -> bool:
    """Same host list and same port as this request: a page this server served."""
    try:
        host = request.host
    except SecurityError:  # a forged Host: nothing is "own" then
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host_port = host.rsplit(":", 1)
    own_port = host_port[1] if len(host_port) == 2 and not host.endswith("]") else "80"
    origin_port = str(parts.port or (443 if parts.scheme == "https" else 80))
    allowed = request.trusted_hosts or LOCAL_HOSTS
    return parts.hostname in allowed and origin_port == own_port


Guard = Literal["nosniff", "csp", "cors"]


def leave_out(*guards: Guard) -> None:
    """Send this response without some of the headers below. Only the "common mistakes"
    endpoints call it: leaving a header out, or CORS as they wrote it, IS their lesson."""
    g.left_out = frozenset(guards) | g.get("left_out", frozenset())


def _add_headers(response: Response) -> Response:
    left_out: frozenset[str] = g.get("left_out", frozenset())
    if request.method == "OPTIONS" and response.status_code == 200 and not response.data:
        # Flask's automatic OPTIONS answer is empty; it should not claim to be HTML.
        del response.headers["Content-Type"]
    if "nosniff" not in left_out:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.mimetype == "text/html" and "csp" not in left_out:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    origin = request.headers.get("Origin")
    if origin and "cors" not in left_out:
        # The answer depends on Origin, so caches must key on it.
        response.vary.add("Origin")
        if is_own_origin(origin):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = (
                "ETag, Location, Link, Retry-After, X-Total-Count"
            )
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = (
                    "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
                )
                asked = request.headers.get("Access-Control-Request-Headers")
                if asked:
                    response.headers["Access-Control-Allow-Headers"] = asked
                response.headers["Access-Control-Max-Age"] = "600"
    return response


def init_app(app: Flask) -> None:
    """Install the header hook."""
    app.after_request(_add_headers)
