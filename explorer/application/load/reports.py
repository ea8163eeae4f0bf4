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
    checks = "".join(
        f"<li class={'ok' if v.passed else 'fail'}>{'passed' if v.passed else 'FAILED'}: "
        f"{_e(v.rule)} (actual {_e(v.actual)})</li>"
        for v in verdicts
    )
    times = [line["elapsed"] for line in history]
    rps = _chart("Requests per second", times, {"rps": [h["total"]["rps"] for h in history]})
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
<table><tr><th>count</th><th>kind</th><th>request</th><th>message</th></tr>{errors}</table>
</body></html>
"""


def _row(row: dict[str, Any]) -> str:
    cells = [_e(str(row["name"]))] + [f"{row.get(c, '')}" for c in COLUMNS[1:]]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_COLOURS = ("#1f77b4", "#ff7f0e", "#d62728")


def _chart(title: str, times: list[float], series: dict[str, list[float]]) -> str:
    """A line chart as inline SVG: `series` over `times` (seconds)."""
    width, height, pad = 480, 200, 30
    top = max((v for values in series.values() for v in values), default=0.0) or 1.0
    end = max(times, default=0.0) or 1.0
    lines = []
    for colour, (name, values) in zip(_COLOURS, series.items(), strict=False):
        points = " ".join(
            f"{pad + (width - 2 * pad) * t / end:.1f},"
            f"{height - pad - (height - 2 * pad) * v / top:.1f}"
            for t, v in zip(times, values, strict=True)
        )
        lines.append(f'<polyline fill="none" stroke="{colour}" points="{points}"/>')
        lines.append(
            f'<text x="{width - pad - 40}" y="{pad + 14 * len(lines) // 2}" '
            f'fill="{colour}">{_e(name)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f'<text x="{pad}" y="18">{_e(title)} (max {top:g}, {end:g} s)</text>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#999"/>' + "".join(lines) + "</svg>"
    )
