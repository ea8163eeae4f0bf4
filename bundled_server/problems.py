"""RFC 9457 problem details: the one error format of the practice server.

Every failure, from a mistyped URL to a crash, leaves the server as
``application/problem+json`` with ``type``, ``title``, ``status`` and ``detail``.
Flask's own error pages are HTML, which is exactly what a JSON API must not send.
"""

from __future__ import annotations

import contextlib
import json
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.wrappers import Response as WsgiResponse

PROBLEM_MIMETYPE = "application/problem+json"

bp = Blueprint("problems", __name__)

# Problem types with a page of their own under /problems/<slug>. Anything else is
# "about:blank", which RFC 9457 §4.2.1 reserves for "nothing more than the status code".
PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    "validation-error": (
        "Your request is not valid",
        "The body was well-formed JSON but some fields break the rules. The `errors` "
        "member lists each field (as a JSON Pointer) with what is wrong. Fix them and "
        "send again: this is status 422 (Unprocessable Content).",
    ),
    "malformed-json": (
        "The body is not valid JSON",
        "The parser stopped at the line and column given in `detail`. This is a syntax "
        "problem, so the status is 400 (Bad Request).",
    ),
    "unsupported-media-type": (
        "Unsupported media type",
        "The Content-Type of the body is not one this resource reads. The `Accept` or "
        "`Accept-Patch` response header says what it does read (status 415).",
    ),
    "duplicate": (
        "A resource with this value already exists",
        "A field that must be unique (such as an item's name) is already taken. "
        "Choose another value or update the existing resource (status 409 Conflict).",
    ),
    "precondition-failed": (
        "Precondition failed",
        "`If-Match` named an ETag that is no longer current, so the write was refused "
        "to avoid losing someone else's update. GET the resource again, re-apply your "
        "change and send it with the new ETag (status 412).",
    ),
    "not-acceptable": (
        "No acceptable representation",
        "None of the media types in your `Accept` header is available. The `available` "
        "member lists what is (status 406).",
    ),
    "invalid-parameter": (
        "Invalid query parameter",
        "A query parameter has a value the server cannot use; `errors` says which one "
        "and why (status 400).",
    ),
    "rate-limited": (
        "Too many requests",
        "You sent more requests than the limit allows in the current window. Wait the "
        "number of seconds in `Retry-After` and try again (status 429).",
    ),
}


class Problem(HTTPException):
    """An HTTP error that renders itself as ``application/problem+json``."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.kind = kind
        self.title = title
        self.extra_headers = dict(headers or {})
        self.extensions = extensions

    def get_response(self, environ: Any = None, scope: Any = None) -> Response:
        """Build the problem+json response (werkzeug calls this when raised)."""
        return problem_response(
            self.code or 500,
            self.description or "",
            kind=self.kind,
            title=self.title,
            headers=self.extra_headers,
            **self.extensions,
        )


def problem_response(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """Return an RFC 9457 response; ``kind`` picks a documented problem type."""
    if kind:
        type_uri = f"/problems/{kind}"
        title = title or PROBLEM_TYPES[kind][0]
    else:
        type_uri = "about:blank"
        title = title or _phrase(status)
    body: dict[str, Any] = {"type": type_uri, "title": title, "status": status, "detail": detail}
    # Outside a request there is no path (never in practice, but never crash here).
    with contextlib.suppress(RuntimeError):
        body["instance"] = request.path
    body.update(extensions)
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a detail: escape rather than crash
        text = json.dumps(body, ensure_ascii=True, indent=2) + "\n"
    response = Response(text, status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _detail_for(error: HTTPException) -> str:
    """Say what went wrong for this request, not werkzeug's generic sentence."""
    if isinstance(error, NotFound) and request.url_rule is None:
        return f"No route matches {request.path}. GET / lists every endpoint."
    if isinstance(error, MethodNotAllowed):
        allowed = ", ".join(sorted(error.valid_methods or []))
        return f"{request.method} is not allowed on {request.path}. Allowed: {allowed}."
    if isinstance(error, RequestEntityTooLarge):
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return f"The request body is larger than this server accepts ({limit} bytes)."
    return error.description or _phrase(error.code or 500)


def handle_http_exception(error: HTTPException) -> WsgiResponse:
    """Turn any werkzeug HTTP error into problem+json, keeping its headers (Allow …)."""
    if isinstance(error, Problem):
        return error.get_response()
    status = error.code or 500
    if status < 400:  # RequestRedirect and friends are not errors: let werkzeug answer
        return error.get_response()
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return problem_response(status, _detail_for(error), headers=headers)


def handle_unexpected(error: Exception) -> Response:
    """Log the traceback on stderr; the client only learns that something broke."""
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return problem_response(
        500, "The server hit an unexpected error. The details are in the server log."
    )


def init_app(app: Flask) -> None:
    """Register the handlers so that no HTML error page can ever leave the server."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
    app.register_blueprint(bp)


@bp.get("/problems/<slug>")
def problem_type(slug: str) -> str:
    """Explain one problem type in plain words (the ``type`` URI points here)."""
    if slug not in PROBLEM_TYPES:
        raise Problem(404, f"There is no problem type called {slug!r}.")
    title, text = PROBLEM_TYPES[slug]
    return render_template("problem_type.html", slug=slug, title=title, text=text)
