"""The timeline of a live load test: requests per second, p50/p95/p99 and errors per
second by kind, one point per stats line, bounded.

Requests per second are counted here, from the growth of the request count between two
lines: the "rps" of a stats line is Locust's rate over its last seconds, which stays 0
for the first two seconds of a run and lags a change of pace.

A run of hours must not grow the window's memory: past `MAX_POINTS` the timeline keeps
every other point (the chart still spans the whole run, at half the detail).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer.core.load_runs.progress import ERROR_KINDS, Stats

MAX_POINTS = 600


@dataclass
class Timeline:
    """Points over elapsed seconds; `None` where a latency is not known yet."""

    elapsed: list[float] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    p50: list[float | None] = field(default_factory=list)
    p95: list[float | None] = field(default_factory=list)
    p99: list[float | None] = field(default_factory=list)
    errors: dict[str, list[float]] = field(
        default_factory=lambda: {kind: [] for kind in ERROR_KINDS}
    )
    _last_counts: dict[str, int] = field(default_factory=dict)
    _last_elapsed: float = 0.0
    _last_requests: int = 0

    def add(self, stats: Stats) -> None:
        """Add the point of one stats line (errors per second since the previous line)."""
        counts = dict.fromkeys(ERROR_KINDS, 0)
        for row in stats.errors:
            counts[row.kind] += row.count
        first = not self.elapsed
        span = max(stats.elapsed - (0.0 if first else self._last_elapsed), 1e-3)
        self.elapsed.append(stats.elapsed)
        self.rps.append(max(stats.total.requests - self._last_requests, 0) / span)
        self.p50.append(stats.total.p50)
        self.p95.append(stats.total.p95)
        self.p99.append(stats.total.p99)
        for kind in ERROR_KINDS:
            grown = max(counts[kind] - self._last_counts.get(kind, 0), 0)
            self.errors[kind].append(grown / span)
        self._last_counts = counts
        self._last_elapsed = stats.elapsed
        self._last_requests = stats.total.requests
        if len(self.elapsed) > MAX_POINTS:
            self._halve()

    def _halve(self) -> None:
        columns: list[list[float] | list[float | None]] = [self.elapsed, self.rps]
        columns += [self.p50, self.p95, self.p99, *self.errors.values()]
        for values in columns:
            del values[1::2]

    def __len__(self) -> int:
        return len(self.elapsed)
