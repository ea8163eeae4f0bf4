"""A JSON report of a run: totals, then one object per request per iteration.

A run with `--explain` adds the findings: their totals by severity, and each result's
"findings" (`Finding.as_dict`); without it the report has no such keys at all."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.application.running import RunResult, RunSummary

FORMAT_VERSION = 1


def json_bytes(summary: RunSummary) -> bytes:
    """The report as UTF-8 JSON."""
    passed_assertions, assertions = summary.assertion_counts
    totals: dict[str, object] = {
        "requests": len(summary.results),
        "passed": len(summary.results) - summary.failed_count,
        "failed": summary.failed_count,
        "assertions": assertions,
        "assertions_passed": passed_assertions,
        "assertions_failed": assertions - passed_assertions,
    }
    if summary.explained:
        counts = summary.finding_counts
        totals["findings"] = {severity.value: count for severity, count in counts.items()}
    document = {
        "format": "api-explorer-run",
        "version": FORMAT_VERSION,
        "collection": summary.name,
        "started_at": summary.started_at,
        "seconds": round(summary.seconds, 3),
        "iterations": summary.iterations,
        "cancelled": summary.cancelled,
        "bailed": summary.bailed,
        "totals": totals,
        "results": [_result(result, summary.explained) for result in summary.results],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _result(result: RunResult, explained: bool) -> dict[str, Any]:
    error = None
    if result.error:
        error = {"kind": result.error_kind, "message": result.error, "hint": result.hint}
    return {
        "iteration": result.iteration,
        "folder": list(result.folder),
        "name": result.name,
        "method": result.method,
        "url": result.url,
        "final_url": result.final_url or None,
        "status": result.status,
        "reason": result.reason,
        "elapsed_ms": round(result.elapsed_ms, 3),
        "size": result.size,
        "passed": result.passed,
        "error": error,
        "unresolved": list(result.unresolved),
        "assertions": [
            {
                "label": a.label,
                "passed": a.passed,
                "expected": a.expected,
                "actual": a.actual,
                "message": a.message,
                "source": a.source,
            }
            for a in result.results
        ],
        "captured": [
            {
                "variable": c.variable,
                "value": c.value,
                "secret": c.secret,
                "to_environment": c.to_environment,
                "message": c.message,
                "source": c.source,
            }
            for c in result.captured
        ],
        "console": list(result.console),
    } | ({"findings": [finding.as_dict() for finding in result.findings]} if explained else {})
