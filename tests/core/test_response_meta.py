"""Cookies and Server-Timing read from real response headers."""

from __future__ import annotations

from explorer.core.http.exchange import Response, SentRequest, Timing
from explorer.core.http.response_meta import cookies_set, server_timings


def response_with(*headers: tuple[str, str]) -> Response:
    sent = SentRequest("GET", "http://127.0.0.1:5000/x", ())
    return Response(
        status=200, reason="OK", http_version="HTTP/1.1", url="http://127.0.0.1:5000/x",
        headers=headers, body=b"", body_size=0, wire_size=0, timing=Timing(), sent=sent,
    )  # fmt: skip


def test_cookies_with_attributes():
    response = response_with(
        ("Set-Cookie", "session=abc; Path=/app; HttpOnly; SameSite=Lax"),
        ("Content-Type", "text/plain"),
        ("Set-Cookie", "theme=dark; Domain=example.com; Max-Age=60; Secure"),
        ("Set-Cookie", "gone=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"),
    )
    session, theme, gone = cookies_set(response)
    assert (session.name, session.value, session.path) == ("session", "abc", "/app")
    assert session.http_only and not session.secure and session.same_site == "Lax"
    assert session.domain == "127.0.0.1" and session.expires == "session"
    assert theme.domain == "example.com" and theme.secure and theme.expires == "in 60 s"
    assert gone.value == "" and "1970" in gone.expires


def test_broken_cookie_header_is_skipped():
    response = response_with(("Set-Cookie", "=;;==bad"), ("Set-Cookie", "ok=1"))
    assert [c.name for c in cookies_set(response)] == ["ok"]


def test_server_timing_entries():
    response = response_with(
        ("Server-Timing", 'db;dur=53.2;desc="Query items", cache;desc=hit'),
        ("Server-Timing", "total;dur=80"),
    )
    entries = server_timings(response)
    assert [(e.name, e.duration_ms, e.description) for e in entries] == [
        ("db", 53.2, "Query items"),
        ("cache", None, "hit"),
        ("total", 80.0, ""),
    ]
