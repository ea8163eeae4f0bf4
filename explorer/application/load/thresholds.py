"""`--fail-if` rules: `p50|p95|p99>200ms` (or `>1.5s`), `errors>1%`, `rps<100`; a load
test fails (exit 1) when any rule holds at its end."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_RULE = re.compile(
    r"^\s*(?:(?P<pct>p50|p95|p99)\s*>\s*(?P<time>\d+(?:\.\d+)?)\s*(?P<unit>ms|s)"
    r"|errors\s*>\s*(?P<errors>\d+(?:\.\d+)?)\s*%"
    r"|rps\s*<\s*(?P<rps>\d+(?:\.\d+)?))\s*$"
)


@dataclass(frozen=True)
class Threshold:
    """One rule as written, and what it compares: `measure` of the totals (p50, p95,
    p99 in ms, errors in %, rps) against `limit`; `above` True when exceeding fails."""

    rule: str
    measure: str
    limit: float
    above: bool


@dataclass(frozen=True)
class Verdict:
    rule: str
    passed: bool
    actual: str

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "passed": self.passed, "actual": self.actual}


def parse_threshold(text: str) -> Threshold:
    """The rule in `text`; ValueError with the forms accepted."""
    match = _RULE.match(text.lower())
    if not match:
        raise ValueError(
            f"unknown rule {text!r} (expected p50|p95|p99>TIME like p95>200ms, errors>N% or rps<N)"
        )
    rule = " ".join(text.split())
    if match.group("pct"):
        scale = 1000.0 if match.group("unit") == "s" else 1.0
        return Threshold(rule, match.group("pct"), float(match.group("time")) * scale, True)
    if match.group("errors") is not None:
        return Threshold(rule, "errors", float(match.group("errors")), True)
    return Threshold(rule, "rps", float(match.group("rps")), False)


def judge(thresholds: tuple[Threshold, ...], total: dict[str, Any]) -> list[Verdict]:
    """Each rule against `total` (the "total" object of the progress lines)."""
    verdicts = []
    for threshold in thresholds:
        if threshold.measure == "errors":
            requests = total["requests"]
            actual = 100.0 * total["failures"] / requests if requests else 0.0
            shown = f"{actual:.2f} %"
        elif threshold.measure == "rps":
            actual = total["rps"]
            shown = f"{actual:.1f} rps"
        else:
            actual = total[threshold.measure]
            shown = f"{actual:g} ms"
        failed = actual > threshold.limit if threshold.above else actual < threshold.limit
        verdicts.append(Verdict(threshold.rule, not failed, shown))
    return verdicts
