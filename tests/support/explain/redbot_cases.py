"""The responses the explainer is compared with REDbot on
(tests/e2e/test_explain_vs_redbot.py), and what each must draw from the explainer.

The practice server's mistakes and some correct endpoints, the files the outside
servers serve, and crafted responses: bytes no well-behaved server sends, one for each
pair of tests/support/explain/redbot_map that the servers never exercise.
"""

from __future__ import annotations

import time
from email.utils import formatdate

# What each practice-server mistake must draw from the explainer (HELPERS' rule ids).
MISTAKES: dict[str, tuple[str, tuple[tuple[str, str], ...], str]] = {
    # label: (path, request headers, the rule it must draw)
    "304 without ETag": (
        "/mistakes/not-modified-without-etag",
        (("If-None-Match", '"mistake-v1"'),),
        "conditional.not-modified-without-etag",
    ),
    "429 without Retry-After": ("/mistakes/rate-limited", (), "status.retry-after-missing"),
    "503 without Retry-After": ("/mistakes/unavailable", (), "status.retry-after-missing"),
    "open redirect": (
        "/mistakes/redirect-to?url=https://phish.example/login",
        (),
        "redirects.open-redirect",
    ),
    "302 without Location": (
        "/mistakes/redirect-without-location",
        (),
        "status.redirect-without-location",
    ),
    "201 without Location": (
        "/mistakes/created-without-location",
        (("Content-Type", "application/json"),),
        "status.created-without-location",
    ),
    "JSON as HTML": ("/mistakes/json-as-html", (), "content.type-mismatch"),
    "wrong charset": ("/mistakes/charset", (), "content.charset-wrong"),
    "401 without challenge": (
        "/mistakes/unauthorized-without-challenge",
        (),
        "status.unauthorized-without-challenge",
    ),
    "405 without Allow": (
        "/mistakes/method-not-allowed",
        (),
        "status.method-not-allowed-without-allow",
    ),
    "206 without Content-Range": (
        "/mistakes/partial-without-range",
        (("Range", "bytes=0-9"),),
        "status.partial-without-content-range",
    ),
    "careless cookies": ("/mistakes/cookie", (), "cookies.samesite-none-without-secure"),
    "CORS * with credentials": (
        "/mistakes/cors",
        (("Origin", "https://app.example"),),
        "cors.credentials-with-wildcard",
    ),
    "CORS echo without Vary": (
        "/mistakes/cors-echo",
        (("Origin", "https://app.example"),),
        "cors.vary-origin-missing",
    ),
    "contradicting Cache-Control": (
        "/mistakes/cache-contradiction",
        (),
        "caching.contradicting-directives",
    ),
    "negotiated without Vary": (
        "/mistakes/vary-missing",
        # A client that negotiates: it names what it prefers and what it also takes.
        (("Accept", "application/xml, application/json;q=0.5"),),
        "caching.vary-missing",
    ),
    "problem with a wrong status": ("/mistakes/problem", (), "problem.structure"),
    "HTML without guards": ("/mistakes/html-page", (), "security.nosniff-missing"),
    "204 with a body": ("/mistakes/no-content-with-body", (), "status.no-content-with-body"),
}
CORRECT = (
    "/api/items/1",
    "/cache/30",
    "/etag/v1",
    "/static/css/style.css",
    "/",
    "/lessons/cacheability",
    "/api/users",
)
FILES = {
    "data.json": '{"library": {"name": "Practice", "books": [{"title": "RESTful Web APIs"}]}}\n',
    "page.html": (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>A page'
        "</title></head><body><h1>Café</h1><p>Served by someone else.</p></body></html>\n"
    ),
    "notes.txt": "Plain text, UTF-8: café, 안녕하세요.\n",
}


Headers = tuple[tuple[str, str], ...]

# Responses no well-behaved server sends, made byte by byte by a raw-socket server, so
# that every pair of the map that the servers above never exercise is seen once:
# label -> (path, request headers, status line, response headers, body, the rule).
_HTML = b"<!doctype html><title>t</title><p>hi</p>"
_JSON = b'{"ok": true}'
CRAFTED: dict[str, tuple[str, Headers, str, Headers, bytes, str]] = {
    "418": (
        "/teapot",
        (),
        "418 I'm a teapot",
        (("Content-Type", "text/plain"),),
        b"short and stout",
        "status.nonstandard-code",
    ),
    "201 to a GET": (
        "/created",
        (),
        "201 Created",
        (("Location", "/created/1"), ("Content-Type", "application/json")),
        _JSON,
        "status.created-by-safe-method",
    ),
    "405 listing the method": (
        "/allow",
        (),
        "405 Method Not Allowed",
        (("Allow", "GET, HEAD"), ("Content-Type", "text/plain")),
        b"no",
        "status.method-in-allow",
    ),
    "206 not asked for": (
        "/partial",
        (),
        "206 Partial Content",
        (("Content-Range", "bytes 0-3/10"), ("Content-Type", "text/plain")),
        b"0123",
        "status.range-not-requested",
    ),
    "416 without Content-Range": (
        "/range",
        (("Range", "bytes=50-60"),),
        "416 Range Not Satisfiable",
        (("Content-Type", "text/plain"),),
        b"no",
        "status.unsatisfiable-without-length",
    ),
    "Content-Range on a 200": (
        "/content-range",
        (),
        "200 OK",
        (
            ("Content-Range", "bytes 0-3/4"),
            ("Content-Type", "text/plain"),
            ("Cache-Control", "no-store"),
        ),
        b"0123",
        "status.content-range-out-of-place",
    ),
    "412 without a condition": (
        "/precondition",
        (),
        "412 Precondition Failed",
        (("Content-Type", "text/plain"),),
        b"no",
        "status.precondition-failed-without-condition",
    ),
    "304 without Date": (
        "/not-modified",
        (("If-None-Match", '"v1"'),),
        "304 Not Modified",
        (("ETag", '"v1"'), ("Date", "")),
        b"",
        "status.not-modified-without-date",
    ),
    "Location on a 200": (
        "/located",
        (),
        "200 OK",
        (("Location", "/elsewhere"), ("Content-Type", "text/plain"), ("Cache-Control", "no-store")),
        b"here",
        "status.location-out-of-place",
    ),
    "relative Location": (
        "/moved",
        (),
        "302 Found",
        (("Location", "/new-place"), ("Content-Type", "text/plain")),
        b"moved",
        "redirects.relative-location",
    ),
    "public and private": (
        "/public-private",
        (),
        "200 OK",
        (
            ("Cache-Control", "public, private, max-age=60"),
            ("ETag", '"p"'),
            ("Content-Type", "text/plain"),
        ),
        b"both",
        "caching.contradicting-directives",
    ),
    "public to an authorized request": (
        "/authorized",
        (("Authorization", "Bearer practice"),),
        "200 OK",
        (
            ("Cache-Control", "public, max-age=60"),
            ("ETag", '"a"'),
            ("Content-Type", "application/json"),
        ),
        _JSON,
        "caching.public-with-authorization",
    ),
    "Expires beside max-age": (
        "/expires",
        (),
        "200 OK",
        (
            ("Cache-Control", "max-age=60"),
            ("Expires", "+60"),
            ("ETag", '"e"'),
            ("Content-Type", "text/plain"),
        ),
        b"fresh",
        "caching.expires-and-max-age",
    ),
    "no-cache without a validator": (
        "/no-cache",
        (),
        "200 OK",
        (("Cache-Control", "no-cache"), ("Content-Type", "text/plain")),
        b"check me",
        "caching.no-cache-without-validator",
    ),
    "Vary: *": (
        "/vary-star",
        (),
        "200 OK",
        (("Vary", "*"), ("Cache-Control", "max-age=60"), ("Content-Type", "text/plain")),
        b"any",
        "caching.vary-star",
    ),
    "Last-Modified in the future": (
        "/future",
        (),
        "200 OK",
        (
            ("Last-Modified", "+86400"),
            ("Cache-Control", "no-cache"),
            ("Content-Type", "text/plain"),
        ),
        b"soon",
        "caching.bad-last-modified",
    ),
    "two origins allowed": (
        "/cors-two",
        (("Origin", "https://a.example"),),
        "200 OK",
        (
            ("Access-Control-Allow-Origin", "https://a.example https://b.example"),
            ("Vary", "Origin"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "cors.multiple-origins",
    ),
    "credentials yes": (
        "/cors-yes",
        (("Origin", "https://a.example"),),
        "200 OK",
        (
            ("Access-Control-Allow-Origin", "https://a.example"),
            ("Access-Control-Allow-Credentials", "yes"),
            ("Vary", "Origin"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "cors.credentials-not-true",
    ),
    "null origin": (
        "/cors-null",
        (("Origin", "https://a.example"),),
        "200 OK",
        (
            ("Access-Control-Allow-Origin", "null"),
            ("Vary", "Origin"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "cors.null-origin",
    ),
    "nosniff misspelt": (
        "/nosnif",
        (),
        "200 OK",
        (
            ("X-Content-Type-Options", "nosnif"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "security.nosniff-invalid",
    ),
    "X-Frame-Options ALLOWALL": (
        "/frames",
        (),
        "200 OK",
        (
            ("X-Frame-Options", "ALLOWALL"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'self'"),
            ("Cache-Control", "no-store"),
        ),
        _HTML,
        "security.frame-options-invalid",
    ),
    "__Host- cookie with a Path": (
        "/host-cookie",
        (),
        "200 OK",
        (
            ("Set-Cookie", "__Host-id=1; Secure; Path=/app; HttpOnly; SameSite=Lax"),
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
        ),
        _JSON,
        "cookies.prefix-violation",
    ),
    "Content-Length and Transfer-Encoding": (
        "/framing",
        (),
        "200 OK",
        (
            ("Transfer-Encoding", "chunked"),
            ("Content-Length", "4"),
            ("Content-Type", "text/plain"),
            ("Cache-Control", "no-store"),
        ),
        b"4\r\nbody\r\n0\r\n\r\n",
        "content.length-with-transfer-encoding",
    ),
}


def crafted_bytes(status: str, headers: Headers, body: bytes) -> bytes:
    """The response: a Date of now (\"\" leaves it out), "+N" dates N seconds ahead, a
    Content-Length unless the case frames the body itself."""
    now = time.time()
    lines = [f"HTTP/1.1 {status}"]
    names = {name.lower() for name, _ in headers}
    if "date" not in names:
        lines.append(f"Date: {formatdate(now, usegmt=True)}")
    for name, value in headers:
        if value.startswith("+"):
            value = formatdate(now + int(value[1:]), usegmt=True)
        if value:
            lines.append(f"{name}: {value}")
    if not names & {"content-length", "transfer-encoding"} and not status.startswith("304"):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
