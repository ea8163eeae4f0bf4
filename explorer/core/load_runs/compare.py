"""Two saved load runs side by side: totals, and p50/p95/rps of each request name, with
the change from the first (the baseline) to the second."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.load_runs.progress import Finished, Totals


@dataclass(frozen=True)
class Change:
    """One measure in both runs; `better` says which way is good (None: neither)."""

    label: str
    before: float | None
    after: float | None
    unit: str  # "ms", "/s", "%" or ""
    lower_is_better: bool | None

    @property
    def change(self) -> str:
        """ "+12.0 %" (relative), "new"/"gone", or "" when nothing to say."""
        if self.before is None and self.after is None:
            return ""
        if self.before is None:
            return "new"
        if self.after is None:
            return "gone"
        if self.before == 0:
            return "" if self.after == 0 else "+∞"
        return f"{(self.after - self.before) / self.before * 100:+.1f} %"

    @property
    def worse(self) -> bool:
        """True when the change goes the bad way by more than 5 %."""
        return self._beyond_noise(bad=True)

    @property
    def better(self) -> bool:
        """True when the change goes the good way by more than 5 %."""
        return self._beyond_noise(bad=False)

    def _beyond_noise(self, bad: bool) -> bool:
        if self.lower_is_better is None or self.before is None or self.after is None:
            return False
        lower_is_bad = self.lower_is_better != bad  # which way this question counts
        if self.before == 0:
            return self.after > 0 and not lower_is_bad
        ratio = (self.after - self.before) / self.before
        return ratio < -0.05 if lower_is_bad else ratio > 0.05


@dataclass(frozen=True)
class RequestComparison:
    name: str
    p50: Change
    p95: Change
    rps: Change


def compare_totals(before: Finished, after: Finished) -> list[Change]:
    a, b = before.total, after.total
    return [
        Change("Requests", a.requests, b.requests, "", None),
        # A count grows with the run's length: the share of errors says better or worse.
        Change("Failures", a.failures, b.failures, "", None),
        Change("Errors", a.error_share * 100, b.error_share * 100, "%", True),
        Change("Requests/s", a.rps, b.rps, "/s", False),
        Change("p50", a.p50, b.p50, "ms", True),
        Change("p95", a.p95, b.p95, "ms", True),
        Change("p99", a.p99, b.p99, "ms", True),
        Change("Duration", before.elapsed, after.elapsed, "s", None),
    ]


def compare_requests(before: Finished, after: Finished) -> list[RequestComparison]:
    """Every request name of either run, in the first run's order, then the new ones."""
    first = {row.name: row.totals for row in before.by_request}
    second = {row.name: row.totals for row in after.by_request}
    names = list(first) + [name for name in second if name not in first]
    return [_request(name, first.get(name), second.get(name)) for name in names]


def _request(name: str, a: Totals | None, b: Totals | None) -> RequestComparison:
    return RequestComparison(
        name,
        Change("p50", a.p50 if a else None, b.p50 if b else None, "ms", True),
        Change("p95", a.p95 if a else None, b.p95 if b else None, "ms", True),
        Change("rps", a.rps if a else None, b.rps if b else None, "/s", False),
    )
