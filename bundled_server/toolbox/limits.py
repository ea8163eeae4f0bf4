"""Caps shared by the toolbox, and the fixed-window rate limiter behind ``/rate-limited``."""

from __future__ import annotations

import threading
import time

from ..problems import Problem

MAX_DELAY_SECONDS = 10.0  # /delay, /drip's initial delay, /sse interval
MAX_STREAM_SECONDS = 60.0  # total duration of /drip and /sse
MAX_STREAM_LINES = 100  # /stream/<n>
MAX_SSE_EVENTS = 10_000  # /sse?count=
MAX_GENERATED_BYTES = 10 * 1024 * 1024  # /bytes, /range, /drip
MAX_LARGE_MEGABYTES = 200  # /large/<megabytes>


def bounded(name: str, value: float, low: float, high: float) -> float:
    """Return ``value`` or raise a 400 problem naming the parameter and its range."""
    if not low <= value <= high:
        raise Problem(
            400,
            f"{name} must be between {low:g} and {high:g} (got {value:g}).",
            kind="invalid-parameter",
            errors=[{"parameter": name, "detail": f"must be between {low:g} and {high:g}"}],
        )
    return value


def parse_number(name: str, raw: str, low: float, high: float) -> float:
    """`raw` as a number within bounds; a 400 problem naming `name` otherwise."""
    try:
        value = float(raw)
    except ValueError:
        raise Problem(
            400,
            f"{name} must be a number (got {raw!r}).",
            kind="invalid-parameter",
            errors=[{"parameter": name, "detail": "must be a number"}],
        ) from None
    if value != value:  # NaN passes every comparison, so refuse it explicitly
        raise Problem(400, f"{name} must be a number.", kind="invalid-parameter")
    return bounded(name, value, low, high)


def number_arg(name: str, default: float, low: float, high: float) -> float:
    """A numeric query parameter within bounds (400 problem otherwise)."""
    from flask import request

    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    return parse_number(name, raw, low, high)


class RateLimiter:
    """At most ``limit`` requests per ``window`` seconds for each client key."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str) -> tuple[bool, int, float]:
        """Count one request: (allowed, remaining, seconds until the window resets)."""
        now = time.monotonic()
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            count += 1
            self._windows[key] = (start, count)
        reset_in = max(0.0, self.window - (now - start))
        return count <= self.limit, max(0, self.limit - count), reset_in

    def reset(self) -> None:
        """Forget every client's window."""
        with self._lock:
            self._windows.clear()
