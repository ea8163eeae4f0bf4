"""Between HAR entries and history entries: HAR responses go into the history on import,
and history entries come out as HAR on export."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from explorer.core.formats.har import HarEntry
from explorer.core.http.exchange import Response, SentRequest, Timing
from explorer.core.model import Body, BodyKind, Pair, Request
from explorer.core.urls import split_url

if TYPE_CHECKING:
    from explorer.core.storage.history import HistoryEntry


def exchange_from_har(entry: HarEntry) -> tuple[Request, Response]:
    """The editor request and the response of one HAR entry, ready for `History.add`."""
    base, params = split_url(entry.url)
    content_type = next((v for k, v in entry.request_headers if k.lower() == "content-type"), "")
    body = Body()
    if entry.request_body:
        text = entry.request_body.decode("utf-8", errors="replace")
        body = Body(kind=BodyKind.RAW, text=text, content_type=content_type)
    request = Request(
        method=entry.method,
        url=base,
        params=params,
        headers=tuple(Pair(k, v) for k, v in entry.request_headers if not k.startswith(":")),
        body=body,
    )
    sent = SentRequest(
        method=entry.method,
        url=entry.url,
        headers=entry.request_headers,
        body=entry.request_body,
        body_size=len(entry.request_body),
    )
    response = Response(
        status=entry.status,
        reason=entry.reason,
        http_version=entry.http_version,
        url=entry.url,
        headers=entry.response_headers,
        body=entry.response_body,
        body_size=len(entry.response_body),
        wire_size=len(entry.response_body),
        timing=Timing(total=entry.time_ms),
        sent=sent,
        elapsed_ms=entry.time_ms,
    )
    return request, response


def har_from_history(entry: HistoryEntry | None) -> HarEntry | None:
    """A HAR entry for a stored exchange, its redirect hops before it; None for a
    missing entry or a failed send."""
    if entry is None or entry.summary.status == 0:
        return None
    summary = entry.summary
    started = datetime.fromtimestamp(summary.timestamp, UTC).isoformat(timespec="milliseconds")
    started = started.replace("+00:00", "Z")
    redirects = tuple(
        HarEntry(
            method=hop.method,
            url=hop.url,
            request_headers=hop.request_headers,
            request_body=hop.request_body,
            status=hop.status,
            reason=hop.reason,
            http_version=entry.http_version,
            response_headers=hop.response_headers,
            started=started,
            time_ms=hop.elapsed_ms,
        )
        for hop in entry.hops
    )
    return HarEntry(
        method=summary.method,
        url=summary.url,
        request_headers=entry.request_headers,
        request_body=entry.request_body,
        status=summary.status,
        reason=summary.reason,
        http_version=entry.http_version,
        response_headers=entry.response_headers,
        response_body=entry.response_body,
        started=started,
        time_ms=summary.elapsed_ms,
        redirects=redirects,
        comment=_cut(entry),
        response_size=summary.size,
    )


def _cut(entry: HistoryEntry) -> str:
    """What the history did not keep whole, for the entry's HAR comment."""
    cut = [
        f"the {what} body after its first {len(body):,} bytes"
        for what, body, truncated in (
            ("request", entry.request_body, entry.request_body_truncated),
            ("response", entry.response_body, entry.response_body_truncated),
        )
        if truncated
    ]
    return f"The history did not keep {' nor '.join(cut)}." if cut else ""
