"""Recording sends in the history, secrets redacted.

The history keeps the request as the user wrote it (variables unresolved, so reopening
it shows `{{name}}`), and what went out and came back with every sensitive value of the
send removed in every encoding (`explorer.core.storage.history_redact`). These are the
only functions that write history rows for a send; the window calls them on its
history thread (`explorer.qt.workspace.Workspace`), never on the GUI thread.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from explorer.application.sending import PreparedSend
from explorer.core.http.exchange import Response, SentRequest, Timing
from explorer.core.model import Request
from explorer.core.storage.history import History, HistoryEntry


def open_history(path: Path, keep_sensitive: bool = False) -> tuple[History, str]:
    """The history database at `path` and "" — or, when it cannot be read, a new empty
    one and why: the unreadable file is set aside next to it, never lost."""
    try:
        return History(path, keep_sensitive=keep_sensitive), ""
    except sqlite3.DatabaseError as exc:
        aside = path.with_name(f"history.unreadable-{int(time.time())}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            old = path.with_name(path.name + suffix)
            if old.exists():
                old.replace(aside.with_name(aside.name + suffix))
        problem = (
            f"The history database {path} could not be read ({exc}); it was kept as "
            f"{aside.name} and a new, empty history was started."
        )
        return History(path, keep_sensitive=keep_sensitive), problem


def record_exchange(
    history: History,
    response: Response,
    written: Request | None = None,
    sensitive: Iterable[str] = (),
) -> int:
    """Store one exchange (`written`: the request as written); return its entry id."""
    return history.add(response, written, secrets=sensitive)


def record_failure(
    history: History,
    written: Request,
    message: str,
    sensitive: Iterable[str] = (),
    sent: Request | None = None,
) -> int:
    """Store a request that got no response (`sent`: the resolved one that was tried,
    for its URL and headers, redacted); return its entry id."""
    return history.add_failure(written, message, secrets=sensitive, sent=sent)


def record_sent(history: History, prepared: PreparedSend, response: Response) -> int:
    """Store the exchange of a prepared send."""
    return record_exchange(history, response, prepared.written, prepared.sensitive)


def record_unsent(history: History, prepared: PreparedSend, message: str) -> int:
    """Store a prepared send that failed with `message` (no response)."""
    return record_failure(
        history, prepared.written, message, prepared.sensitive, sent=prepared.request
    )


def prune_history(history: History, max_entries: int, max_age_days: int) -> int:
    """Apply the size and age limits (0: no limit); return how many entries went."""
    return history.prune(max_entries or None, max_age_days or None)


def delete_entries(history: History, ids: list[int]) -> int:
    """Delete the entries `ids`; return how many were deleted."""
    return history.delete(ids) if ids else 0


def clear_history(history: History) -> None:
    """Delete every entry."""
    history.clear()


def response_from_history(entry: HistoryEntry, with_body: bool) -> Response:
    """A Response rebuilt from a stored history entry (body left out unless asked)."""
    summary = entry.summary
    body = entry.response_body if with_body else b""
    sent = SentRequest(
        method=summary.method,
        url=summary.url,
        headers=entry.request_headers,
        body=entry.request_body,
        body_size=len(entry.request_body),
    )
    return Response(
        status=summary.status,
        reason=summary.reason,
        http_version=entry.http_version,
        url=summary.url,
        headers=entry.response_headers,
        body=body,
        body_size=summary.size if with_body else 0,
        wire_size=summary.size,
        timing=Timing(total=summary.elapsed_ms),
        sent=sent,
        elapsed_ms=summary.elapsed_ms,
    )
