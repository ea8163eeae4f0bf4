"""The SQLite history: add, search, redaction, truncation, grouping, prune."""

from __future__ import annotations

import time

import pytest

from explorer.core.http.exchange import Response, SentRequest, Timing
from explorer.core.model import Auth, AuthKind, Pair, Request
from explorer.core.storage.history import History
from explorer.core.storage.history_redact import REDACTED

SECRET = "s3cret-value-123456"


def _response(
    url="http://127.0.0.1/items",
    method="GET",
    status=200,
    body=b'{"ok": true}',
    request_headers=(("Accept", "*/*"),),
    request_body=b"",
    body_path=None,
    body_size=None,
):
    sent = SentRequest(method, url, request_headers, request_body, len(request_body))
    return Response(
        status=status,
        reason="OK" if status < 400 else "Not Found",
        http_version="HTTP/1.1",
        url=url,
        headers=(("Content-Type", "application/json"), ("Set-Cookie", "sid=abcdef123")),
        body=body if body_path is None else b"",
        body_size=len(body) if body_size is None else body_size,
        wire_size=len(body),
        timing=Timing(total=12.5),
        sent=sent,
        body_path=body_path,
        elapsed_ms=12.5,
    )


@pytest.fixture
def history(tmp_path):
    db = History(tmp_path / "history.sqlite3", body_cap=1024)
    yield db
    db.close()


def test_add_and_get_full_entry(history):
    request = Request(method="POST", url="{{base}}/items", headers=(Pair("Accept", "*/*"),))
    entry_id = history.add(
        _response(method="POST", request_body=b'{"name": "x"}'), request=request, timestamp=1000.0
    )
    entry = history.get(entry_id)
    assert entry.summary.method == "POST" and entry.summary.status == 200
    assert entry.summary.elapsed_ms == 12.5 and entry.summary.timestamp == 1000.0
    assert entry.request_body == b'{"name": "x"}'
    assert entry.response_body == b'{"ok": true}'
    assert ("Content-Type", "application/json") in entry.response_headers
    assert entry.request == request
    assert history.get(entry_id + 100) is None


def test_sensitive_headers_and_secrets_are_redacted(tmp_path, history):
    headers = (("Authorization", f"Bearer {SECRET}"), ("Cookie", "sid=1"), ("X-Key", SECRET))
    echo = f'{{"headers": {{"Authorization": "Bearer {SECRET}"}}}}'.encode()
    request = Request(
        url=f"http://h/?k={SECRET}", auth=Auth(AuthKind.BEARER, token="literal-token-abcd")
    )
    entry_id = history.add(
        _response(url=f"http://h/?k={SECRET}", request_headers=headers, body=echo),
        request=request,
        secrets={SECRET},
    )
    entry = history.get(entry_id)
    # Cookies keep their names (a HAR export lists them), never their values.
    assert dict(entry.request_headers) == {
        "Authorization": REDACTED,
        "Cookie": f"sid={REDACTED}",
        "X-Key": REDACTED,
    }
    assert dict(entry.response_headers)["Set-Cookie"] == f"sid={REDACTED}"
    assert SECRET.encode() not in entry.response_body
    assert SECRET not in entry.summary.url
    assert entry.request.auth.token == REDACTED
    history.close()
    raw = (tmp_path / "history.sqlite3").read_bytes()
    wal = tmp_path / "history.sqlite3-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    for leaked in (SECRET.encode(), b"literal-token-abcd", b"sid=abcdef123"):
        assert leaked not in raw


def test_opt_in_keeps_sensitive_values(tmp_path):
    db = History(tmp_path / "h.sqlite3", keep_sensitive=True)
    entry_id = db.add(_response(request_headers=(("Authorization", "Bearer abc"),)))
    assert dict(db.get(entry_id).request_headers) == {"Authorization": "Bearer abc"}
    db.close()


def test_big_body_is_truncated_with_a_flag(tmp_path, history):
    spooled = tmp_path / "spool.bin"
    spooled.write_bytes(b"x" * 5000)
    small = history.add(_response(body=b"y" * 1024))
    big = history.add(_response(body_path=spooled, body_size=5000))
    assert history.get(small).response_body_truncated is False
    entry = history.get(big)
    assert entry.response_body == b"x" * 1024 and entry.response_body_truncated
    assert entry.summary.size == 5000


def test_search_by_text_method_status_with_3000_entries(history):
    methods = ("GET", "POST", "PUT", "DELETE")
    for i in range(3000):
        history.add(
            _response(
                url=f"http://api.test/items/{i}",
                method=methods[i % 4],
                status=404 if i % 10 == 0 else 200,
                body=b"needle-in-body" if i == 1234 else b"{}",
            ),
            timestamp=1_000_000.0 + i,
        )
    assert history.count() == 3000
    started = time.perf_counter()
    hits = history.search("items/123", limit=100)
    assert {h.url for h in hits} == {f"http://api.test/items/123{d}" for d in ("", *"0123456789")}
    assert [h.url for h in history.search("needle-in")] == ["http://api.test/items/1234"]
    assert [h.url for h in history.search("NEEDLE")] == ["http://api.test/items/1234"]
    not_found = history.search(status=404, limit=1000)
    assert len(not_found) == 300 and all(h.status == 404 for h in not_found)
    assert len(history.search(status="4xx", method="get", limit=1000)) == 150
    deletes = history.search(method="DELETE", limit=5)
    assert next(h.url for h in deletes) == "http://api.test/items/2999"
    assert len(history.search("it", limit=5000)) == 3000  # short text: LIKE path
    page = history.search(limit=10, offset=10)
    assert [h.timestamp for h in page] == [1_000_000.0 + i for i in range(2989, 2979, -1)]
    assert time.perf_counter() - started < 2.0  # generous: a full scan per query would fail


def test_by_day_groups_newest_first(history):
    day = 86400.0
    base = time.mktime((2026, 3, 10, 12, 0, 0, 0, 0, -1))
    for offset in (0, 1, 2):
        history.add(_response(), timestamp=base + offset * day)
        history.add(_response(), timestamp=base + offset * day + 60)
    groups = history.by_day()
    assert [day for day, _ in groups] == ["2026-03-12", "2026-03-11", "2026-03-10"]
    assert all(len(entries) == 2 for _, entries in groups)


def test_delete_clear_and_prune(history):
    now = 10_000_000.0
    ids = [
        history.add(_response(url=f"http://h/{i}"), timestamp=now - i * 86400) for i in range(10)
    ]
    assert history.delete([ids[0], ids[1]]) == 2
    assert history.search("http://h/0") == []
    assert history.prune(max_age_days=5.5, now=now) == 4  # ages 6..9 days
    assert history.prune(max_entries=2) == 2
    assert [h.url for h in history.search()] == ["http://h/2", "http://h/3"]
    history.clear()
    assert history.count() == 0 and history.search("h/2") == []


def test_failure_is_recorded_without_response(history):
    request = Request(url="http://nowhere.invalid/", headers=(Pair("Authorization", "Basic abcd"),))
    entry = history.get(history.add_failure(request, "unknown host"))
    assert entry.summary.status == 0 and entry.summary.error == "unknown host"
    assert dict(entry.request_headers) == {"Authorization": REDACTED}
    assert entry.request.headers == (Pair("Authorization", REDACTED),)
