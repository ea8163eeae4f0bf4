"""The reports of a load test: `html` (one self-contained page: totals, a table per
request, thresholds, errors, and requests per second and latency over time as inline
SVG) and `csv` (one row per request and a Total row). Each is written atomically
(core/atomic), also when the run was stopped."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.atomic import write_text_atomic

if TYPE_CHECKING:
    from explorer.application.load.thresholds import Verdict

REPORT_KINDS = ("html", "csv")
COLUMNS = ("name", "requests", "failures", "rps", "p50", "p95", "p99", "average", "max")


def write_reports(
    reports: tuple[tuple[str, str], ...],
    final: dict[str, Any],
    history: list[dict[str, Any]],
    verdicts: list[Verdict],
) -> tuple[dict[str, str], str]:
    """Write each report; (kind -> absolute path written, the first problem or "")."""
    written: dict[str, str] = {}
    problem = ""
    for kind, path in reports:
        text = html_report(final, history, verdicts) if kind == "html" else csv_report(final)
        target = Path(path).absolute()
        try:
            write_text_atomic(target, text)
        except OSError as error:
            problem = problem or f"{path}: the {kind} report could not be written: {error}"
            continue
        written[kind] = str(target)
    return written, problem


def csv_report(final: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in [*final["by_request"], {"name": "Total", **final["total"]}]:
        writer.writerow([row.get(column, "") for column in COLUMNS])
    return out.getvalue()


def html_report(
    final: dict[str, Any], history: list[dict[str, Any]], verdicts: list[Verdict]
) -> str:
    total = final["total"]
    rows = "".join(_row(row) for row in [*final["by_request"], {"name": "Total", **total}])
    errors = "".join(
        f"<tr><td>{e['count']:,}</td><td>{_e(e['kind'])}</td><td>{_e(e['name'])}</td>"
        f"<td>{_e(e['message'])}</td></tr>"
        for e in final["errors"]
    )
    errors_table = (
        "<table><tr><th>count</th><th>kind</th><th>request</th><th>message</th></tr>"
        f"{errors}</table>"
        if errors
        else "<p>No errors.</p>"
    )
    checks = "".join(
        f"<li class={'ok' if v.passed else 'fail'}>{'passed' if v.passed else 'FAILED'}: "
        f"{_e(v.rule)} (actual {_e(v.actual)})</li>"
        for v in verdicts
    )
    times = [line["elapsed"] for line in history]
    rps = _chart("Requests per second", times, {"total": [h["total"]["rps"] for h in history]})
    latency = _chart(
        "Latency (ms)",
        times,
        {p: [h["total"][p] for h in history] for p in ("p50", "p95", "p99")},
    )
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Load test report</title>
<style>
body{{font:14px system-ui,sans-serif;margin:2em;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px}}
td:not(:first-child){{text-align:right}}.ok{{color:#17702a}}.fail{{color:#b00020}}
svg{{border:1px solid #ddd;margin:0 1em 1em 0}}
</style></head><body>
<h1>Load test</h1>
<p>{total["requests"]:,} requests, {total["failures"]:,} failures in {final["elapsed"]:.1f} s,
{total["rps"]:.1f} requests per second; p50 {total["p50"]:g} ms, p95 {total["p95"]:g} ms,
p99 {total["p99"]:g} ms.</p>
<ul>{checks}</ul>
<table><tr>{head}</tr>{rows}</table>
<div>{rps}{latency}</div>
<h2>Errors</h2>
{errors_table}
</body></html>
"""


def _row(row: dict[str, Any]) -> str:
    cells = [_e(str(row["name"]))] + [f"{row.get(c, '')}" for c in COLUMNS[1:]]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_COLOURS = ("#1f77b4", "#ff7f0e", "#d62728")


def _chart(title: str, times: list[float], series: dict[str, list[float]]) -> str:
    """A line chart as inline SVG: `series` over `times` (seconds), a scale on the left
    (0, half, top) and the legend under the time axis."""
    width, height, left, right, top_pad, bottom = 480, 220, 56, 16, 30, 44
    top = max((v for values in series.values() for v in values), default=0.0) or 1.0
    end = max(times, default=0.0) or 1.0
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    base = height - bottom
    parts = [f'<text x="{left}" y="18" font-weight="bold">{_e(title)}</text>']
    for share in (0.0, 0.5, 1.0):
        y = base - plot_h * share
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{top * share:.3g}</text>"
        )
    parts.append(
        f'<text x="{width - right}" y="{base + 16}" text-anchor="end" font-size="11">'
        f"{end:.0f} s</text>"
        f'<text x="{left}" y="{base + 16}" font-size="11">0 s</text>'
    )
    for position, (colour, (name, values)) in enumerate(
        zip(_COLOURS, series.items(), strict=False)
    ):
        points = " ".join(
            f"{left + plot_w * t / end:.1f},{base - plot_h * v / top:.1f}"
            for t, v in zip(times, values, strict=True)
        )
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        x = left + 70 * position
        parts.append(
            f'<rect x="{x}" y="{height - 16}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{height - 7}" font-size="12">{_e(name)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="system-ui,sans-serif">' + "".join(parts) + "</svg>"
    )
