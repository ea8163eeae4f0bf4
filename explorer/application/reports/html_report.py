"""A self-contained HTML page of a run: totals, failures first, every request below.

One file with its style inline: no script, no font, no image, nothing loaded from
outside it (a report opened from a CI artefact must not call out; the links to the
specifications a finding rests on are followed only when clicked). Every text from a
run is escaped (`html.escape`), so a server's reason phrase or a URL cannot add markup.

A run with `--explain` adds its findings' totals to the header and, under each request,
a collapsible "Explain" list: severity, rule, summary, explanation and references.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from explorer.application.reports.text import case_name, failure_text, findings_total
from explorer.core.explain.findings import Severity
from explorer.core.units import human_duration, human_size

if TYPE_CHECKING:
    from collections.abc import Sequence

    from explorer.application.running import RunResult, RunSummary
    from explorer.core.explain.findings import Finding

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #1d1d1f; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
.totals { margin: 0.5em 0 1.5em; }
.pass { color: #11702f; } .fail { color: #b3261e; font-weight: 600; }
details { border: 1px solid #ddd; border-radius: 4px; margin: 0.3em 0; padding: 0.3em 0.6em; }
details.failed { border-color: #b3261e; }
summary { cursor: pointer; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
pre { white-space: pre-wrap; word-break: break-all; margin: 0.3em 0; }
ul { margin: 0.3em 0; padding-left: 1.4em; }
details.explain { border: none; padding: 0; }
ul.findings { list-style: none; padding-left: 0.4em; }
ul.findings li { margin: 0.4em 0; }
ul.findings p { margin: 0.15em 0 0.15em 1.6em; }
.error { color: #b3261e; } .warning { color: #8a5300; } .info { color: #2458a6; }
"""
# The mark of each severity, as the command line shows it (info: INFORMATION SOURCE).
MARKS = {"error": "✖", "warning": "⚠", "info": "\u2139"}


def html_bytes(summary: RunSummary) -> bytes:
    """The report as one UTF-8 HTML page."""
    passed_assertions, assertions = summary.assertion_counts
    failed = [r for r in summary.results if not r.passed]
    state = (
        "cancelled"
        if summary.cancelled
        else "stopped at the first failure"
        if (summary.bailed)
        else "finished"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{escape(summary.name)}: run report</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape(summary.name)}</h1>",
        f'<p class="totals">{escape(summary.started_at)}, {state}, '
        f"{summary.seconds:.1f} s, {summary.iterations} iteration(s): "
        f'<span class="pass">{len(summary.results) - len(failed)} passed</span>, '
        f'<span class="{"fail" if failed else "pass"}">{len(failed)} failed</span>; '
        f"{passed_assertions} of {assertions} assertions passed"
        + (f"; findings: {findings_total(summary.finding_counts)}" if summary.explained else "")
        + "</p>",
    ]
    if failed:
        parts.append("<h2>Failures</h2>")
        parts += [_result(r, summary.iterations, open_=True) for r in failed]
    parts.append("<h2>All requests</h2>")
    parts += [_result(r, summary.iterations, open_=False) for r in summary.results]
    parts.append("</body></html>\n")
    return "\n".join(parts).encode("utf-8")


def _result(result: RunResult, iterations: int, open_: bool) -> str:
    where = " / ".join(result.folder)
    if result.status is not None:
        outcome = (
            f"{result.status} {escape(result.reason)}, {human_duration(result.elapsed_ms)}, "
            f"{human_size(result.size)}"
        )
    else:
        outcome = escape(result.error)
    mark = '<span class="pass">PASS</span>' if result.passed else '<span class="fail">FAIL</span>'
    title = escape(case_name(result, iterations))
    lines = [
        f'<details class="{"passed" if result.passed else "failed"}"{" open" if open_ else ""}>',
        f"<summary>{mark} {title} <small>{escape(where)}</small> — {outcome}"
        f"{_finding_marks(result.findings)}</summary>",
        f"<pre>{escape(result.method)} {escape(result.url)}"
        + (f"\n-&gt; {escape(result.final_url)}" if result.final_url else "")
        + "</pre>",
    ]
    if result.error:
        lines.append(f'<p class="fail">{escape(result.error)}</p>')
        if result.hint:
            lines.append(f"<p>{escape(result.hint)}</p>")
    if result.results:
        items = [
            f'<li class="{"pass" if a.passed else "fail"}">'
            f"{'passed' if a.passed else 'failed'}: <code>{escape(failure_text(a))}</code></li>"
            for a in result.results
        ]
        lines.append("<ul>" + "".join(items) + "</ul>")
    if result.captured:
        items = [
            f"<li>captured <code>{escape(c.variable)}</code> = "
            f"<code>{escape(c.value if c.value is not None else '(nothing: ' + c.message + ')')}"
            "</code></li>"
            for c in result.captured
        ]
        lines.append("<ul>" + "".join(items) + "</ul>")
    if result.console:
        lines.append("<pre>" + escape("\n".join(result.console)) + "</pre>")
    if result.findings:
        lines.append(_explain(result.findings))
    lines.append("</details>")
    return "\n".join(lines)


def _finding_marks(findings: Sequence[Finding]) -> str:
    """ " ✖ 1 ⚠ 2" after a request's outcome: its errors and warnings at a glance."""
    marks = ""
    for severity in ("error", "warning"):
        count = sum(f.severity.value == severity for f in findings)
        if count:
            marks += f' <span class="{severity}">{MARKS[severity]} {count}</span>'
    return marks


def _explain(findings: Sequence[Finding]) -> str:
    """The collapsible "Explain" list of one request's findings."""
    counts = dict.fromkeys(Severity, 0)
    for finding in findings:
        counts[finding.severity] += 1
    total = findings_total(counts, zeros=False)
    items = []
    for finding in findings:
        severity = finding.severity.value
        references = ", ".join(
            f'<a href="{escape(ref.url)}" rel="noreferrer">{escape(ref.label)}</a>'
            for ref in finding.rule.references
            if ref.url.startswith(("https://", "http://"))
        )
        items.append(
            f'<li><span class="{severity}">{MARKS.get(severity, "")} {severity}</span> '
            f"<code>{escape(finding.rule_id)}</code> {escape(finding.summary)}"
            + (f"<p>{escape(finding.explanation)}</p>" if finding.explanation else "")
            + (f"<p><small>{references}</small></p>" if references else "")
            + "</li>"
        )
    return (
        f'<details class="explain"><summary>Explain ({escape(total)})</summary>'
        f'<ul class="findings">{"".join(items)}</ul></details>'
    )
