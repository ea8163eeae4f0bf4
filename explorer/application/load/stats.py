"""Locust's statistics as the `--progress json` objects (HELPERS.md "Load tests"):
totals and per request (requests, failures, rps, p50/p95/p99 in ms) and the errors by
kind. Add fields, never rename: the window reads these lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from locust.stats import RequestStats, StatsEntry

KINDS = ("assertion", "http", "connection", "timeout", "other")
MAX_ERRORS = 100  # distinct errors a line carries, most frequent first


def entry_json(entry: StatsEntry, name: str, elapsed: float, final: bool) -> dict[str, Any]:
    """One entry's figures. `rps` is Locust's rate of the last seconds while running
    (the child replaces it by the rate since the previous line), over the whole run in
    the final line. The percentiles are over the run so far."""
    requests = entry.num_requests
    rps = (requests / elapsed if elapsed > 0 else 0.0) if final else entry.current_rps
    return {
        "name": name,
        "requests": requests,
        "failures": entry.num_failures,
        "rps": round(float(rps), 2),
        "p50": _percentile(entry, 0.5),
        "p95": _percentile(entry, 0.95),
        "p99": _percentile(entry, 0.99),
        "average": round(entry.avg_response_time, 2),
        "max": round(entry.max_response_time or 0.0, 2),
    }


def _percentile(entry: StatsEntry, fraction: float) -> float:
    return float(entry.get_response_time_percentile(fraction)) if entry.num_requests else 0.0


def snapshot(stats: RequestStats, names: list[str], elapsed: float, final: bool) -> dict[str, Any]:
    """The "total", "by_request" and "errors" of a line; requests in selection order."""
    total = entry_json(stats.total, "Total", elapsed, final)
    total.pop("name")
    by_request = []
    for name in names:
        method, _, label = name.partition(" ")
        entry = stats.entries.get((label, method))
        if entry is not None:
            by_request.append(entry_json(entry, name, elapsed, final))
    return {"total": total, "by_request": by_request, "errors": errors(stats)}


def errors(stats: RequestStats) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for error in stats.errors.values():
        # The exception itself in this process, its repr from a worker: "kind: message".
        text = error.error if isinstance(error.error, str) else repr(error.error)
        kind, colon, message = text.partition(": ")
        if not colon or kind not in KINDS:
            kind, message = "other", text
        found.append(
            {
                "kind": kind,
                "name": f"{error.method} {error.name}",
                "message": message[:500],
                "count": error.occurrences,
            }
        )
    found.sort(key=lambda e: -int(e["count"]))
    return found[:MAX_ERRORS]
