"""The words every report (and the command line's output) uses for a result."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from explorer.application.running import RunResult
    from explorer.core.checks.results import AssertionResult
    from explorer.core.explain.findings import Severity


def failure_text(result: AssertionResult) -> str:
    """One line for a failed assertion: which one, expected and actual (masked
    already), why when it is not a plain mismatch, and where it is written."""
    actual = result.actual if result.actual else "(nothing)"
    text = result.label
    if result.expected:
        text += f": expected {result.expected}, actual {actual}"
    else:
        text += f": actual {actual}"
    if result.message:
        text += f" ({result.message})"
    if result.source and result.source != "request":
        text += f" [{result.source}]"
    return text


def case_name(result: RunResult, iterations: int) -> str:
    """What a report calls one request of one iteration."""
    name = result.name or f"{result.method} {result.url}"
    return f"{name} (iteration {result.iteration})" if iterations > 1 else name


def findings_total(counts: Mapping[Severity, int], zeros: bool = True) -> str:
    """ "2 errors, 5 warnings, 12 info": findings by severity; with `zeros` every
    severity is named, also at 0 (a run's total, which a CI log can be searched for)."""
    words = {"error": ("error", "errors"), "warning": ("warning", "warnings")}
    parts = []
    for severity, count in counts.items():
        if count or zeros:
            one, many = words.get(severity.value, (severity.value, severity.value))
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)
