"""The history of sent requests, in SQLite.

What is stored per exchange: method, URL, request headers and body, status, reason, time,
size, response headers, and the response body up to `body_cap` bytes (a flag says when
it was cut), plus the editor `Request` so an entry can be reopened as a tab.

Secrets never reach the database (unless the user opted in with `keep_sensitive`): the
editor request is stored as the user wrote it (secret variables stay `{{name}}`, literal
credentials are masked), and everything that went out or came back (URL, headers,
bodies, error text, the search index) has every encoding of every secret value of the
send removed, nothing else (see `history_redact`). The database and its -wal/-shm
files are readable by their owner only (0600).

`add` takes the project's `Response` (whose `sent` is the request as it went out) and,
optionally, the editor `Request`; `add_failure` records a request that got no response.
Listing and searching return `HistorySummary` rows without bodies; `get` loads one full
`HistoryEntry` with its bodies. Search uses an FTS5 trigram index when this SQLite has
one (substring matches, case-insensitive), else LIKE.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from explorer.core.atomic import make_private_dir, make_private_file
from explorer.core.http.exchange import Headers, Response
from explorer.core.model import SECRET_AUTH_FIELDS, AuthKind, Request
from explorer.core.storage import codec
from explorer.core.storage.history_redact import (
    REDACTED,
    SENSITIVE_HEADERS,
    Redactor,
    redact_headers,
    sensitive_values,
)

DEFAULT_BODY_CAP = 1024 * 1024
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    reason TEXT NOT NULL,
    elapsed_ms REAL NOT NULL,
    size INTEGER NOT NULL,
    error TEXT NOT NULL,
    http_version TEXT NOT NULL,
    request_headers TEXT NOT NULL,
    request_body BLOB NOT NULL,
    request_body_truncated INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body BLOB NOT NULL,
    response_body_truncated INTEGER NOT NULL,
    request_json TEXT NOT NULL,
    hops TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS entries_ts ON entries (ts);
"""
# Added after the first release: a database made before it gets the column on opening.
_ADDED_COLUMNS = {"hops": "TEXT NOT NULL DEFAULT '[]'"}
_SUMMARY_COLUMNS = "id, ts, method, url, status, reason, elapsed_ms, size, error"


@dataclass(frozen=True)
class HistorySummary:
    """One row of the history list: no headers, no bodies."""

    id: int
    timestamp: float  # seconds since the epoch
    method: str
    url: str
    status: int  # 0 when the request failed without a response
    reason: str
    elapsed_ms: float
    size: int  # full response body size, even when the stored body was cut
    error: str = ""

    @property
    def day(self) -> str:
        """The local date of the entry, YYYY-MM-DD."""
        return datetime.fromtimestamp(self.timestamp).date().isoformat()


@dataclass(frozen=True)
class StoredHop:
    """One redirect before the final response, redacted like the rest of the entry:
    the request that went out (body capped) and the redirecting answer."""

    method: str
    url: str
    status: int
    reason: str
    request_headers: Headers
    request_body: bytes
    response_headers: Headers
    elapsed_ms: float


@dataclass(frozen=True)
class HistoryEntry:
    """A full history entry, bodies included; `hops` are the redirects before it."""

    summary: HistorySummary
    http_version: str
    request_headers: Headers
    request_body: bytes
    request_body_truncated: bool
    response_headers: Headers
    response_body: bytes
    response_body_truncated: bool
    request: Request | None  # the editor request, for reopening as a tab
    hops: tuple[StoredHop, ...] = ()


class History:
    """The history database at `path` (created if missing). Thread-safe."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        body_cap: int = DEFAULT_BODY_CAP,
        keep_sensitive: bool = False,
    ) -> None:
        self.path = Path(path)
        self.body_cap = body_cap
        self.keep_sensitive = keep_sensitive
        self._lock = threading.Lock()
        _create_private(self.path)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        # Deleted entries are overwritten, not left in free pages of the file.
        self._db.execute("PRAGMA secure_delete=ON")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        _add_missing_columns(self._db)
        self.full_text = _create_search_table(self._db)
        _restrict_companions(self.path)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    # ---- writing -----------------------------------------------------------------------

    def add(
        self,
        response: Response,
        request: Request | None = None,
        secrets: Iterable[str] = (),
        timestamp: float | None = None,
    ) -> int:
        """Record one exchange; return the new entry's id.

        `request` is the editor request as the user wrote it (variables unresolved);
        `secrets` are the secret values of the send (secret variables and auth fields),
        removed in every encoding from what went out and came back.
        """
        sent = response.sent
        received = [header for hop in response.hops for header in (*hop.sent.headers, *hop.headers)]
        hide = self._redactor((*sent.headers, *response.headers, *received), secrets)
        request_body, request_cut = self._cap(sent.body, hide)
        response_body, response_cut = self._cap(_read_head(response, self.body_cap, hide), hide)
        row = {
            "ts": time.time() if timestamp is None else timestamp,
            "method": sent.method.upper(),
            "url": hide.text(sent.url),
            "status": response.status,
            "reason": hide.text(response.reason),
            "elapsed_ms": response.elapsed_ms or response.timing.total,
            "size": response.body_size,
            "error": "",
            "http_version": response.http_version,
            "request_headers": self._headers(sent.headers, hide),
            "request_body": request_body,
            "request_body_truncated": request_cut or len(sent.body) < sent.body_size,
            "response_headers": self._headers(response.headers, hide),
            "response_body": response_body,
            "response_body_truncated": response_cut or response.body_size > self.body_cap,
            "request_json": self._request_json(request, hide),
            "hops": self._hops(response, hide),
        }
        return self._insert(row, hide)

    def _hops(self, response: Response, hide: Redactor) -> str:
        """The redirect hops as JSON, redacted and capped like the entry itself."""
        hops = [
            {
                "method": hop.sent.method.upper(),
                "url": hide.text(hop.sent.url),
                "status": hop.status,
                "reason": hide.text(hop.reason),
                "request_headers": json.loads(self._headers(hop.sent.headers, hide)),
                "request_body": base64.b64encode(self._cap(hop.sent.body, hide)[0]).decode(),
                "response_headers": json.loads(self._headers(hop.headers, hide)),
                "elapsed_ms": hop.timing.total,
            }
            for hop in response.hops
        ]
        return _safe_json(hops, hide)

    def add_failure(
        self,
        request: Request,
        message: str,
        secrets: Iterable[str] = (),
        timestamp: float | None = None,
        sent: Request | None = None,
    ) -> int:
        """Record a request that produced no response (status 0, `message` as error).

        `request` is the editor request as written; `sent` the resolved one that was
        tried (for the URL and headers, redacted), when there is one.
        """
        tried = sent or request
        headers = tuple((p.name, p.value) for p in tried.headers if p.enabled)
        hide = self._redactor(headers, secrets)
        body = tried.body.text.encode()
        row = {
            "ts": time.time() if timestamp is None else timestamp,
            "method": tried.method.upper(),
            "url": hide.text(tried.url),
            "status": 0,
            "reason": "",
            "elapsed_ms": 0.0,
            "size": 0,
            "error": hide.text(message),
            "http_version": "",
            "request_headers": self._headers(headers, hide),
            "request_body": self._cap(body, hide)[0],
            "request_body_truncated": len(body) > self.body_cap,
            "response_headers": "[]",
            "response_body": b"",
            "response_body_truncated": False,
            "request_json": self._request_json(request, hide),
        }
        return self._insert(row, hide)

    def _redactor(self, headers: Headers, secrets: Iterable[str]) -> Redactor:
        if self.keep_sensitive:
            return Redactor(())
        return Redactor(sensitive_values(headers, secrets))

    def _insert(self, row: dict[str, object], hide: Redactor) -> int:
        columns = ", ".join(row)
        marks = ", ".join(f":{key}" for key in row)
        # Decoding can join bytes into text that was not there: redact the index too.
        search_body = hide.text(_text(row["request_body"]) + "\n" + _text(row["response_body"]))
        with self._lock:
            self._db.execute("BEGIN")
            try:
                cursor = self._db.execute(f"INSERT INTO entries ({columns}) VALUES ({marks})", row)
                self._db.execute(
                    "INSERT INTO search (rowid, url, method, status, body) VALUES (?, ?, ?, ?, ?)",
                    (cursor.lastrowid, row["url"], row["method"], str(row["status"]), search_body),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return int(cursor.lastrowid or 0)

    def _cap(self, data: bytes, hide: Redactor) -> tuple[bytes, bool]:
        data = hide.bytes(data)
        return data[: self.body_cap], len(data) > self.body_cap

    def _headers(self, headers: Headers, hide: Redactor) -> str:
        if not self.keep_sensitive:
            headers = redact_headers(headers, hide)
        return _safe_json([list(pair) for pair in headers], hide)

    def _request_json(self, request: Request | None, hide: Redactor) -> str:
        if request is None:
            return ""
        data = codec.request_to_data(request)
        if not self.keep_sensitive:
            data = _redact_data(data, hide)
        return _safe_json(data, hide)

    # ---- reading -----------------------------------------------------------------------

    def search(
        self,
        text: str | None = None,
        method: str | None = None,
        status: int | str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[HistorySummary]:
        """Entries newest first, filtered: `text` is a substring of the URL, method,
        status or body text; `method` exact; `status` a code (404) or class ("4xx")."""
        where, args = self._filters(text, method, status)
        sql = (
            f"SELECT {_SUMMARY_COLUMNS} FROM entries {where} "
            "ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?"
        )
        with self._lock:
            rows = self._db.execute(sql, (*args, limit, offset)).fetchall()
        return [HistorySummary(*row) for row in rows]

    def by_day(
        self,
        text: str | None = None,
        method: str | None = None,
        status: int | str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[tuple[str, list[HistorySummary]]]:
        """`search` results grouped by local day (YYYY-MM-DD), newest day first."""
        groups: dict[str, list[HistorySummary]] = {}
        for summary in self.search(text, method, status, limit, offset):
            groups.setdefault(summary.day, []).append(summary)
        return list(groups.items())

    def _filters(
        self, text: str | None, method: str | None, status: int | str | None
    ) -> tuple[str, list[object]]:
        clauses: list[str] = []
        args: list[object] = []
        if method:
            clauses.append("method = ?")
            args.append(method.upper())
        if status is not None:
            low, high = _status_range(status)
            clauses.append("status BETWEEN ? AND ?")
            args += [low, high]
        if text:
            clauses.append(f"id IN (SELECT rowid FROM search WHERE {self._text_clause(text)})")
            args += self._text_args(text)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", args

    def _text_clause(self, text: str) -> str:
        if self.full_text and len(text) >= 3:
            return "search MATCH ?"
        return " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in ("url", "method", "status", "body"))

    def _text_args(self, text: str) -> list[object]:
        if self.full_text and len(text) >= 3:
            return ['"' + text.replace('"', '""') + '"']
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return [pattern] * 4

    def same_request(self, method: str, url: str, limit: int = 50) -> list[HistorySummary]:
        """The entries sent with this method to exactly this URL (as stored), newest
        first: the earlier responses of one request, for comparing."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM entries WHERE method = ? AND url = ? "
                "ORDER BY ts DESC, id DESC LIMIT ?",
                (method.upper(), url, limit),
            ).fetchall()
        return [HistorySummary(*row) for row in rows]

    def summaries(self, ids: Iterable[int]) -> list[HistorySummary]:
        """The summaries (no bodies) of the entries `ids` that exist, newest first."""
        chosen = [int(entry_id) for entry_id in ids][:500]
        marks = ", ".join("?" * len(chosen))
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM entries WHERE id IN ({marks}) "
                "ORDER BY ts DESC, id DESC",
                chosen,
            ).fetchall()
        return [HistorySummary(*row) for row in rows]

    def get(self, entry_id: int) -> HistoryEntry | None:
        """The full entry with its bodies, or None when there is no such entry."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_SUMMARY_COLUMNS}, http_version, request_headers, request_body, "
                "request_body_truncated, response_headers, response_body, "
                "response_body_truncated, request_json, hops FROM entries WHERE id = ?",
                (entry_id,),
            ).fetchone()
        if row is None:
            return None
        request = None
        if row[16]:
            request, _ = codec.request_from_data(json.loads(row[16]), AuthKind.NONE)
        return HistoryEntry(
            summary=HistorySummary(*row[:9]),
            http_version=row[9],
            request_headers=tuple(tuple(pair) for pair in json.loads(row[10])),
            request_body=bytes(row[11]),
            request_body_truncated=bool(row[12]),
            response_headers=tuple(tuple(pair) for pair in json.loads(row[13])),
            response_body=bytes(row[14]),
            response_body_truncated=bool(row[15]),
            request=request,
            hops=_stored_hops(row[17]),
        )

    def count(self) -> int:
        """How many entries there are."""
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM entries").fetchone()[0])

    # ---- removing ----------------------------------------------------------------------

    def delete(self, ids: Iterable[int]) -> int:
        """Delete entries by id; return how many were deleted."""
        chosen = [(int(i),) for i in ids]
        with self._lock:
            self._db.execute("BEGIN")
            before = self._db.total_changes
            self._db.executemany("DELETE FROM entries WHERE id = ?", chosen)
            deleted = self._db.total_changes - before
            self._db.executemany("DELETE FROM search WHERE rowid = ?", chosen)
            self._db.execute("COMMIT")
        return deleted

    def clear(self) -> None:
        """Delete every entry."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM entries")
            self._db.execute("DELETE FROM search")
            self._db.execute("COMMIT")

    def prune(
        self,
        max_entries: int | None = None,
        max_age_days: float | None = None,
        now: float | None = None,
    ) -> int:
        """Delete entries older than `max_age_days` and all but the newest `max_entries`;
        return how many were deleted."""
        doomed: set[int] = set()
        with self._lock:
            if max_age_days is not None:
                cutoff = (time.time() if now is None else now) - max_age_days * 86400
                rows = self._db.execute("SELECT id FROM entries WHERE ts < ?", (cutoff,))
                doomed.update(row[0] for row in rows)
            if max_entries is not None:
                rows = self._db.execute(
                    "SELECT id FROM entries ORDER BY ts DESC, id DESC LIMIT -1 OFFSET ?",
                    (max(max_entries, 0),),
                )
                doomed.update(row[0] for row in rows)
        return self.delete(doomed) if doomed else 0


def _add_missing_columns(db: sqlite3.Connection) -> None:
    present = {row[1] for row in db.execute("PRAGMA table_info(entries)")}
    for column, declaration in _ADDED_COLUMNS.items():
        if column not in present:
            db.execute(f"ALTER TABLE entries ADD COLUMN {column} {declaration}")


def _stored_hops(text: str) -> tuple[StoredHop, ...]:
    """The hops column read back; a value this code did not write reads as no hops."""
    try:
        rows = json.loads(text or "[]")
        return tuple(
            StoredHop(
                method=str(row["method"]),
                url=str(row["url"]),
                status=int(row["status"]),
                reason=str(row["reason"]),
                request_headers=tuple((str(k), str(v)) for k, v in row["request_headers"]),
                request_body=base64.b64decode(row.get("request_body", "")),
                response_headers=tuple((str(k), str(v)) for k, v in row["response_headers"]),
                elapsed_ms=float(row["elapsed_ms"]),
            )
            for row in rows
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return ()


def _create_search_table(db: sqlite3.Connection) -> bool:
    """Create the search index; True when it is FTS5 with trigrams, False for plain LIKE."""
    try:
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search "
            "USING fts5(url, method, status, body, tokenize='trigram')"
        )
        return True
    except sqlite3.OperationalError:  # SQLite built without FTS5 or older than 3.34
        db.execute(
            "CREATE TABLE IF NOT EXISTS search "
            "(rowid INTEGER PRIMARY KEY, url TEXT, method TEXT, status TEXT, body TEXT)"
        )
        return False


def _status_range(status: int | str) -> tuple[int, int]:
    text = str(status).strip().lower()
    if len(text) == 3 and text.endswith("xx") and text[0].isdigit():
        low = int(text[0]) * 100
        return low, low + 99
    code = int(text)
    return code, code


def _read_head(response: Response, cap: int, hide: Redactor) -> bytes:
    """The start of the response body: enough to cap it after redaction, no more, so a
    spooled 1 GB body is never read whole."""
    if response.body_path is None:
        return response.body
    with open(response.body_path, "rb") as handle:
        return handle.read(cap + hide.widest + 1)


def _create_private(path: Path) -> None:
    """Create the database file 0600 (its directory 0700) before SQLite opens it, so it
    is never readable by others, whatever the umask."""
    make_private_dir(path.parent)
    make_private_file(path)


def _restrict_companions(path: Path) -> None:
    # SQLite gives -wal and -shm the main file's mode; an older -wal may predate that.
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        try:
            if companion.stat().st_mode & 0o077:
                companion.chmod(0o600)
        except FileNotFoundError:
            continue


def _safe_json(data: object, hide: Redactor) -> str:
    """`data` as JSON; when JSON escaping itself spelled a secret (a value holding
    backslashes or quotes), every string is masked rather than store it."""
    text = json.dumps(data)
    if hide.finds(text):
        text = json.dumps(_mask_strings(data))
    return text


def _mask_strings(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _mask_strings(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_mask_strings(value) for value in data]
    return REDACTED if isinstance(data, str) else data


def _text(data: object) -> str:
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)


def _redact_data(data: dict[str, Any], hide: Redactor) -> dict[str, Any]:
    """Editor request data with secrets removed from every string, and literal
    credentials (auth fields, sensitive header values) masked."""
    data = _redact_strings(data, hide)
    auth = data.get("auth", {})
    for key in ("password", "token", "key_value"):
        if key in auth and not _is_reference(auth[key]):
            auth[key] = REDACTED
    for part, key in SECRET_AUTH_FIELDS:
        record = auth.get(part, {})
        if key in record and not _is_reference(record[key]):
            record[key] = REDACTED
    for pair in data.get("headers", []):
        if pair["name"].lower() in SENSITIVE_HEADERS and not _is_reference(pair["value"]):
            pair["value"] = REDACTED
    return data


def _redact_strings(data: Any, hide: Redactor) -> Any:
    if isinstance(data, dict):
        return {key: _redact_strings(value, hide) for key, value in data.items()}
    if isinstance(data, list):
        return [_redact_strings(value, hide) for value in data]
    if isinstance(data, str):
        return hide.text(data)
    return data


def _is_reference(value: str) -> bool:
    # "{{token}}" names a variable; storing the name reveals nothing.
    stripped = value.strip()
    return stripped.startswith("{{") and stripped.endswith("}}") and stripped.count("{{") == 1
