"""``/redirect/<n>`` and ``/redirect-to``: redirect chains, without an open redirect.

httpbin's ``/redirect-to?url=`` sends a browser anywhere, which phishing pages love.
Here the target must be a relative path or a loopback URL; anything else is 400.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Blueprint, Response, request
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import Rule

from ..links import json_redirect
from ..problems import Problem

bp = Blueprint("redirects", __name__)

REDIRECT_CODES = (301, 302, 303, 307, 308)
MAX_HOPS = 20


def _status() -> int:
    raw = request.args.get("status", request.args.get("status_code", "302"))
    if not raw.isdigit() or int(raw) not in REDIRECT_CODES:
        raise Problem(
            400,
            f"status must be one of {', '.join(map(str, REDIRECT_CODES))}.",
            kind="invalid-parameter",
        )
    return int(raw)


def _register(state: BlueprintSetupState) -> None:
    """Redirects answer every method: 307/308 keep it, 301/302/303 let clients switch."""
    state.app.url_map.add(Rule("/redirect/<int:n>", endpoint="redirects.redirect_n"))
    state.app.url_map.add(Rule("/redirect-to", endpoint="redirects.redirect_to"))
    state.app.view_functions["redirects.redirect_n"] = redirect_n
    state.app.view_functions["redirects.redirect_to"] = redirect_to


bp.record_once(_register)


def redirect_n(n: int) -> Response:
    """Redirect ``n`` times, then land on ``/get`` (``?absolute=true``, ``?status=307``)."""
    if not 1 <= n <= MAX_HOPS:
        raise Problem(400, f"n must be from 1 to {MAX_HOPS}.", kind="invalid-parameter")
    code = _status()
    query = request.query_string.decode("latin-1")
    target = "/get" if n == 1 else f"/redirect/{n - 1}" + (f"?{query}" if query else "")
    if request.args.get("absolute") == "true":
        target = request.host_url.rstrip("/") + target
    return json_redirect(target, code)


def is_safe_target(url: str) -> bool:
    """A path on this server, or an http(s) URL whose host is a loopback address."""
    if not url or any(c in url for c in "\\\r\n\t") or url.startswith("//"):
        return False  # "\\" and "//" tricks turn a path into another host in browsers
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def redirect_to(url: str | None = None) -> Response:
    """Redirect to ``?url=`` when it is relative or loopback; 400 otherwise."""
    target = request.args.get("url", "")
    if not is_safe_target(target):
        raise Problem(
            400,
            "url must be a relative path (like /get) or a loopback URL "
            "(http://127.0.0.1:…, http://localhost:…); this server is not an open redirect.",
            kind="invalid-parameter",
            errors=[{"parameter": "url", "detail": "not relative and not loopback"}],
        )
    return json_redirect(target, _status())
