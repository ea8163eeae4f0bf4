"""A JSON report of a run: totals, then one object per request per iteration."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.application.running import RunResult, RunSummary

FORMAT_VERSION = 1


def json_bytes(summary: RunSummary) -> bytes:
    """The report as UTF-8 JSON."""
    passed_assertions, assertions = summary.assertion_counts
    document = {
        "format": "api-explorer-run",
        "version": FORMAT_VERSION,
        "collection": summary.name,
        "started_at": summary.started_at,
        "seconds": round(summary.seconds, 3),
        "iterations": summary.iterations,
        "cancelled": summary.cancelled,
        "bailed": summary.bailed,
        "totals": {
            "requests": len(summary.results),
            "passed": len(summary.results) - summary.failed_count,
            "failed": summary.failed_count,
            "assertions": assertions,
            "assertions_passed": passed_assertions,
            "assertions_failed": assertions - passed_assertions,
        },
        "results": [_result(result) for result in summary.results],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _result(result: RunResult) -> dict[str, Any]:
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
    }
