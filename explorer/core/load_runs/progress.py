"""The `--progress json` protocol of `python -m explorer load`, read line by line.

The window runs the command in a child process and reads one JSON object per line:
"started", then "stats" every second, then "finished" (docs/ARCHITECTURE.md, Load tests).
A line is bounded (size, rows) and checked field by field, so a bad or hostile line is a
`ProtocolError` with a one-line message, never a traceback. Unknown fields are ignored,
so the command can add some without breaking the window.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

MAX_LINE = 1 << 20  # bytes: a stats line with 500 requests and 200 errors is ~100 KB
MAX_REQUESTS = 500  # rows of by_request kept from one line
MAX_ERRORS = 200  # rows of errors kept from one line
MAX_TEXT = 500  # characters of a name or message
ERROR_KINDS = ("assertion", "http", "connection", "timeout", "other")


class ProtocolError(ValueError):
    """A line that is not one of the protocol's objects (the message is one line)."""


@dataclass(frozen=True)
class Totals:
    """Counts and latencies (ms) of one request name, or of all of them."""

    requests: int = 0
    failures: int = 0
    rps: float = 0.0
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None

    @property
    def error_share(self) -> float:
        """Failures as a share of requests (0 when none were made)."""
        return self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class RequestStats:
    name: str
    totals: Totals


@dataclass(frozen=True)
class ErrorRow:
    kind: str  # one of ERROR_KINDS ("other" for anything else)
    name: str
    message: str
    count: int


@dataclass(frozen=True)
class Threshold:
    rule: str
    passed: bool
    actual: str


@dataclass(frozen=True)
class Started:
    users: int
    spawn_rate: float
    requests: tuple[str, ...]


@dataclass(frozen=True)
class Stats:
    elapsed: float
    users: int
    total: Totals
    by_request: tuple[RequestStats, ...]
    errors: tuple[ErrorRow, ...]


@dataclass(frozen=True)
class Finished:
    reason: str  # duration | iterations | stopped | error
    elapsed: float
    total: Totals
    by_request: tuple[RequestStats, ...]
    errors: tuple[ErrorRow, ...]
    thresholds: tuple[Threshold, ...]
    reports: dict[str, str]

    @property
    def failed_thresholds(self) -> tuple[Threshold, ...]:
        return tuple(t for t in self.thresholds if not t.passed)


Event = Started | Stats | Finished


def parse_line(line: str | bytes) -> Event:
    """One protocol line as its event; a `ProtocolError` says in one line what is wrong."""
    if len(line) > MAX_LINE:
        raise ProtocolError(f"a progress line of {len(line)} bytes (at most {MAX_LINE})")
    try:
        data = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError(f"not JSON: {_preview(line)}") from None
    return parse_object(data)


def parse_object(data: object) -> Event:
    """A decoded protocol object (a line, or a saved run.json) as its event."""
    if not isinstance(data, dict):
        raise ProtocolError(f"not a JSON object: {_preview(json.dumps(data)[:80])}")
    event = data.get("event")
    if event == "started":
        names = data.get("requests", [])
        if not isinstance(names, list):
            raise ProtocolError("started: requests is not a list")
        return Started(
            users=_int(data, "users"),
            spawn_rate=_number(data, "spawn_rate") or 0.0,
            requests=tuple(_text(n) for n in names[:MAX_REQUESTS]),
        )
    if event == "stats":
        return Stats(
            elapsed=_number(data, "elapsed") or 0.0,
            users=_int(data, "users"),
            total=_totals(data.get("total"), "total"),
            by_request=_by_request(data.get("by_request", [])),
            errors=_errors(data.get("errors", [])),
        )
    if event == "finished":
        reports = data.get("reports") or {}
        if not isinstance(reports, dict):
            raise ProtocolError("finished: reports is not an object")
        return Finished(
            reason=_text(data.get("reason", "")),
            elapsed=_number(data, "elapsed") or 0.0,
            total=_totals(data.get("total"), "total"),
            by_request=_by_request(data.get("by_request", [])),
            errors=_errors(data.get("errors", [])),
            thresholds=_thresholds(data.get("thresholds", [])),
            reports={_text(k): _text(v) for k, v in list(reports.items())[:10]},
        )
    raise ProtocolError(f"unknown event {_preview(json.dumps(event))}")


def _preview(line: str | bytes) -> str:
    text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
    text = " ".join(text.split())
    return text[:80] + ("…" if len(text) > 80 else "")


def _text(value: object) -> str:
    return str(value)[:MAX_TEXT] if value is not None else ""


def _number(data: dict[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProtocolError(f"{key} is not a number: {_preview(json.dumps(value)[:80])}")
    return float(value)


def _int(data: dict[str, Any], key: str) -> int:
    return int(_number(data, key) or 0)


def _totals(value: object, where: str) -> Totals:
    if value is None:
        return Totals()
    if not isinstance(value, dict):
        raise ProtocolError(f"{where} is not an object")
    return Totals(
        requests=_int(value, "requests"),
        failures=_int(value, "failures"),
        rps=_number(value, "rps") or 0.0,
        p50=_number(value, "p50"),
        p95=_number(value, "p95"),
        p99=_number(value, "p99"),
    )


def _rows(value: object, where: str, cap: int) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ProtocolError(f"{where} is not a list")
    rows = value[:cap]
    if not all(isinstance(row, dict) for row in rows):
        raise ProtocolError(f"{where} holds something that is not an object")
    return rows


def _by_request(value: object) -> tuple[RequestStats, ...]:
    return tuple(
        RequestStats(_text(row.get("name")), _totals(row, "by_request"))
        for row in _rows(value, "by_request", MAX_REQUESTS)
    )


def _errors(value: object) -> tuple[ErrorRow, ...]:
    found = []
    for row in _rows(value, "errors", MAX_ERRORS):
        kind = _text(row.get("kind"))
        found.append(
            ErrorRow(
                kind=kind if kind in ERROR_KINDS else "other",
                name=_text(row.get("name")),
                message=_text(row.get("message")),
                count=_int(row, "count"),
            )
        )
    return tuple(found)


def _thresholds(value: object) -> tuple[Threshold, ...]:
    return tuple(
        Threshold(_text(row.get("rule")), row.get("passed") is True, _text(row.get("actual")))
        for row in _rows(value, "thresholds", 50)
    )
