"""``/mistakes/…``: one endpoint per mistake that real APIs make, for the lesson on them.

Every other endpoint of this server tries to be correct; these are wrong on purpose,
each in ONE way, so that the learner sees the explainer's finding (and REDbot's) beside
the lesson that explains it. Everything else about them is right: bounded input, the
companion headers they do not leave out, and errors as ``application/problem+json``
(except where the error format is the mistake). Each docstring names the mistake and a
real API that makes it.

Safe on a learner's machine: ``/mistakes/redirect-to`` redirects anywhere (that is the
mistake) but the server never fetches anything, and the URL is capped.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, jsonify, request
from flask.blueprints import BlueprintSetupState
from werkzeug.datastructures import Headers
from werkzeug.http import http_date
from werkzeug.routing import Rule

from .conditional import is_not_modified, not_modified
from .links import json_redirect
from .negotiation import best_mimetype
from .problems import PROBLEM_MIMETYPE, Problem, problem_response
from .security import leave_out

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

bp = Blueprint("mistakes", __name__, url_prefix="/mistakes")

MAX_REDIRECT_URL = 2048  # what browsers and proxies reliably carry in a Location
NO_STORE = {"Cache-Control": "no-store"}  # so that no caching finding muddies the lesson
_ETAG = "mistake-v1"
# 100 bytes of ASCII for the range mistake: any slice of it is easy to check by eye.
_RANGE_BODY = (b"0123456789" * 10)[:100]
_CACHE_SECONDS = 600


def _no_store(response: Response) -> Response:
    response.headers.update(NO_STORE)
    return response


@bp.get("/not-modified-without-etag")
def not_modified_without_etag() -> Response:
    """200 with an ETag; If-None-Match with it gets a 304 WITHOUT the ETag.

    RFC 9110 §15.4.5: a 304 must repeat the ETag (and Cache-Control, Vary …) a 200
    would have sent, or a cache cannot tell which stored response it refreshes.
    httpbin's ``/cache`` answers 304 without ETag (to any conditional request at all)."""
    if is_not_modified(_ETAG):
        return not_modified({"Cache-Control": "no-cache"})  # the mistake: no ETag
    response = jsonify(
        note=f'Send If-None-Match: "{_ETAG}" and look at the 304: its ETag is missing.'
    )
    response.headers.update({"ETag": f'"{_ETAG}"', "Cache-Control": "no-cache"})
    return response


@bp.get("/rate-limited")
def rate_limited() -> Response:
    """429 without Retry-After: the client cannot know when to try again.

    RFC 6585 §4 says a 429 MAY say how long to wait; without it clients guess and
    retry at once, which is the load the limit was for. httpbin's ``/status/429``."""
    return _no_store(
        problem_response(429, "Too many requests. (This answer never says when to retry.)")
    )


@bp.get("/unavailable")
def unavailable() -> Response:
    """503 without Retry-After (RFC 9110 §15.6.4, §10.2.3): when does the outage end?

    httpbin's ``/status/503``, and many maintenance pages."""
    return _no_store(
        problem_response(503, "Down for maintenance. (This answer never says for how long.)")
    )


@bp.get("/redirect-to")
def redirect_to() -> Response:
    """302 to ANY ``?url=``: an open redirect (OWASP "Unvalidated Redirects").

    A link on a trusted host that lands anywhere is what phishing needs; httpbin's
    ``/redirect-to`` is one (``/redirect-to`` of this server allows only relative and
    loopback targets). The server only writes the Location: it never fetches the URL."""
    target = request.args.get("url", "")
    if not target or len(target) > MAX_REDIRECT_URL:
        raise Problem(
            400,
            f"url must be given and at most {MAX_REDIRECT_URL} characters long.",
            kind="invalid-parameter",
            errors=[{"parameter": "url", "detail": f"1 to {MAX_REDIRECT_URL} characters"}],
        )
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        raise Problem(
            400,
            "url must not contain control characters (they would split the headers).",
            kind="invalid-parameter",
            errors=[{"parameter": "url", "detail": "control characters"}],
        )
    return _no_store(json_redirect(target, 302))


@bp.get("/redirect-without-location")
def redirect_without_location() -> Response:
    """302 without Location: a redirect that says "elsewhere" but not where.

    RFC 9110 §15.4.3 says the server SHOULD send Location; clients then stop on the
    302 and show its body. Hand-written redirects (a status set, the header forgotten)."""
    response = jsonify(status=302, note="Found… but where? There is no Location header.")
    response.status_code = 302
    return _no_store(response)


@bp.post("/created-without-location")
def created_without_location() -> Response:
    """201 without Location: the client cannot find what it just created.

    RFC 9110 §15.3.2: a 201 names the new resource in Location (or the request URI is
    it). Many APIs send the new object's id in the body only."""
    given: Any = request.get_json(silent=True)
    if not isinstance(given, dict):
        raise Problem(
            400,
            'Send a JSON object (any fields), for example {"name": "Lamp"}.',
            kind="invalid-parameter",
        )
    created = {"id": 1000 + int(time.monotonic() * 1000) % 9000, **given}
    response = jsonify(created)
    response.status_code = 201
    return _no_store(response)


@bp.get("/json-as-html")
def json_as_html() -> Response:
    """A JSON body labelled ``Content-Type: text/html``.

    RFC 9110 §8.3: the media type tells the client how to read the body; a browser
    would render this as a page (and sniff it) and clients skip JSON parsing. Common in
    PHP and hand-rolled servers whose default type is text/html."""
    body = json.dumps({"id": 1, "name": "Mechanical keyboard", "note": "I am JSON."}, indent=2)
    response = Response(body + "\n", content_type="text/html; charset=utf-8")
    return _no_store(response)


@bp.get("/charset")
def charset() -> Response:
    """UTF-8 text labelled ``charset=iso-8859-1``: "Café" arrives as "CafÃ©".

    RFC 9110 §8.3.2 (charset), and the mojibake of every server whose framework
    defaults to Latin-1 while the data is UTF-8 (old servlet containers, for one)."""
    text = "Café, naïve, 안녕하세요: UTF-8 bytes, labelled ISO-8859-1.\n"
    response = Response(text.encode("utf-8"), content_type="text/plain; charset=iso-8859-1")
    return _no_store(response)


@bp.get("/unauthorized-without-challenge")
def unauthorized_without_challenge() -> Response:
    """401 without WWW-Authenticate: "log in", but not how.

    RFC 9110 §15.5.2 and §11.6.1: a 401 MUST carry a challenge naming the scheme
    (Basic, Bearer …). Many token APIs answer 401 with a JSON error only."""
    return _no_store(problem_response(401, "You must log in. (But with which scheme?)"))


def _register(state: BlueprintSetupState) -> None:
    """Every method reaches the 405 view (a rule without a method list), OPTIONS too."""
    state.app.url_map.add(
        Rule("/mistakes/method-not-allowed", endpoint="mistakes.method_not_allowed")
    )
    state.app.view_functions["mistakes.method_not_allowed"] = method_not_allowed


bp.record_once(_register)


def method_not_allowed() -> Response:
    """405 without Allow, to every method (GET too).

    RFC 9110 §15.5.6: a 405 MUST list the methods the resource does allow in Allow (an
    empty Allow for none); without it the client cannot correct its request. Frameworks
    whose 405 handler is custom-written often drop it."""
    return _no_store(
        problem_response(405, f"{request.method} is not allowed here. (Which method is?)")
    )


@bp.get("/partial-without-range")
def partial_without_range() -> Response:
    """206 to a Range request, without Content-Range: which bytes are these?

    RFC 9110 §15.3.7: a single-part 206 MUST carry Content-Range. Without a Range
    header the whole 100-byte body comes back as 200 with ``Accept-Ranges: bytes``;
    an unsatisfiable range gets a correct 416."""
    headers = {"Accept-Ranges": "bytes", "ETag": '"range-100"', **NO_STORE}
    ranges = request.range
    if ranges is None or len(ranges.ranges) != 1:  # none, or several: the whole body
        return _text(_RANGE_BODY, 200, headers)
    window = ranges.range_for_length(len(_RANGE_BODY))
    if window is None:
        response = problem_response(
            416,
            f"The range is outside the {len(_RANGE_BODY)} bytes of this resource.",
            headers={"Content-Range": f"bytes */{len(_RANGE_BODY)}"},
        )
        return _no_store(response)
    start, stop = window
    return _text(_RANGE_BODY[start:stop], 206, headers)  # the mistake: no Content-Range


def _text(body: bytes, status: int, headers: dict[str, str]) -> Response:
    response = Response(body, status=status, content_type="text/plain; charset=utf-8")
    response.headers.update(headers)
    return response


@bp.get("/cookie")
def cookie() -> Response:
    """A session cookie without HttpOnly and SameSite, and a SameSite=None one without
    Secure.

    RFC 6265 §4.1.2.6 (HttpOnly keeps scripts away from a session), RFC 6265bis §4.1.2.7
    (SameSite): script-readable session ids are what XSS steals, and browsers reject
    SameSite=None without Secure. Older frameworks' session defaults."""
    response = jsonify(note="Look at the two Set-Cookie headers: what is missing from each?")
    response.headers.add("Set-Cookie", "session=practice-4f2a9c; Path=/")
    response.headers.add("Set-Cookie", "tracker=practice-77; Path=/; SameSite=None")
    return _no_store(response)


@bp.get("/cors")
def cors() -> Response:
    """``Access-Control-Allow-Origin: *`` with ``Access-Control-Allow-Credentials: true``.

    The Fetch standard (CORS protocol) forbids the pair: browsers refuse the response,
    so the credentialed call the server meant to allow fails. A copied CORS snippet
    that "allows everything"."""
    leave_out("cors")
    response = jsonify(note="Browsers refuse this answer to a request with credentials.")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Credentials"] = "true"
    return _no_store(response)


@bp.get("/cors-echo")
def cors_echo() -> Response:
    """The request's Origin echoed in Access-Control-Allow-Origin, without
    ``Vary: Origin``, on a response caches may keep.

    Fetch standard §3.2.5 (CORS and caching): a cache then serves the answer allowed for
    one origin to another, and the other origin's page breaks. Echo-the-Origin CORS
    middleware configured without Vary."""
    leave_out("cors")
    origin = request.headers.get("Origin", "")
    headers = {"ETag": '"cors-echo-v1"', "Cache-Control": f"public, max-age={_CACHE_SECONDS}"}
    if is_not_modified("cors-echo-v1"):
        response = not_modified(headers)
    else:
        response = jsonify(origin=origin or None, note="Whatever Origin you send is allowed.")
        response.headers.update(headers)
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin[:2048]
    return response


@bp.get("/cache-contradiction")
def cache_contradiction() -> Response:
    """``Cache-Control: no-store, max-age=600`` (and an Expires): store it or not?

    RFC 9111 §5.2.2.5: no-store wins, so the max-age and Expires are dead weight that
    says the author meant something else. Cache headers added by two layers (the app
    and a proxy or framework default) end up like this."""
    response = jsonify(note="no-store and max-age=600 in one Cache-Control: which was meant?")
    response.headers["Cache-Control"] = f"no-store, max-age={_CACHE_SECONDS}"
    response.headers["Expires"] = http_date(time.time() + _CACHE_SECONDS)
    return response


@bp.get("/vary-missing")
def vary_missing() -> Response:
    """JSON or XML by Accept, cacheable, without ``Vary: Accept``.

    RFC 9110 §12.5.5 and RFC 9111 §4.1: a cache then hands the XML to the next client
    that asked for JSON. Content negotiation bolted on without touching the headers."""
    xml = best_mimetype(["application/json", "application/xml"]) == "application/xml"
    tag = "vary-missing-xml" if xml else "vary-missing-json"
    headers = {"ETag": f'"{tag}"', "Cache-Control": f"public, max-age={_CACHE_SECONDS}"}
    if is_not_modified(tag):
        return not_modified(headers)
    if xml:
        response = Response(
            '<?xml version="1.0" encoding="UTF-8"?>\n<item id="1"><name>Mechanical '
            "keyboard</name></item>\n",
            content_type="application/xml; charset=utf-8",
        )
    else:
        response = jsonify(id=1, name="Mechanical keyboard")
    response.headers.update(headers)
    return response


@bp.get("/problem")
def problem() -> Response:
    """A problem+json whose ``status`` (422) contradicts the response's status (400).

    RFC 9457 §3.1.2: ``status`` is advisory but MUST match the real one; clients that
    log the body then report the wrong error. Gateways that rewrite status codes but
    pass bodies through produce it."""
    body = {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 422,
        "detail": "The body says 422, the status line says 400.",
        "instance": request.path,
    }
    text = json.dumps(body, indent=2) + "\n"
    return _no_store(Response(text, status=400, mimetype=PROBLEM_MIMETYPE))


@bp.get("/html-page")
def html_page() -> Response:
    """An HTML page without ``X-Content-Type-Options: nosniff`` and without a
    Content-Security-Policy.

    Fetch §X-Content-Type-Options and CSP Level 3: without them a browser may sniff
    other responses as script, and an injected ``<script>`` runs. Most pages out there."""
    leave_out("nosniff", "csp")
    page = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>A page without guards</title></head>\n<body><h1>A page without guards</h1>"
        "<p>No X-Content-Type-Options, no Content-Security-Policy.</p></body></html>\n"
    )
    return _no_store(Response(page, content_type="text/html; charset=utf-8"))


class _BodyOn204(Response):
    """Werkzeug drops the body of a 204 (and its Content-Length); this one keeps both,
    which is the mistake. Its development server writes whatever the app gives it."""

    def get_app_iter(self, environ: WSGIEnvironment) -> Iterable[bytes]:
        return [self.get_data()] if environ["REQUEST_METHOD"] != "HEAD" else []

    def get_wsgi_headers(self, environ: WSGIEnvironment) -> Headers:
        headers = super().get_wsgi_headers(environ)
        headers["Content-Length"] = str(len(self.get_data()))
        return headers


@bp.get("/no-content-with-body")
def no_content_with_body() -> Response:
    """204 No Content with a body (and a Content-Length saying so).

    RFC 9110 §15.3.5: a 204 ends at its headers; a client reads the body as the start
    of the next response on the connection. Handlers that set 204 but still return
    ``{"ok": true}``."""
    response = _BodyOn204(b'{"ok": true}\n', status=204, content_type="application/json")
    return _no_store(response)
