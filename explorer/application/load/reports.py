"""The reports of a load test: `html` (one self-contained page: what ran and how, the
thresholds' verdict, totals, a table per request, requests per second, latency and
errors over time as inline SVG, the errors) and `csv` (one row per request and a Total
row). Each is written atomically (core/atomic), also when the run was stopped."""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.atomic import write_text_atomic

if TYPE_CHECKING:
    from explorer.application.load.thresholds import Verdict

REPORT_KINDS = ("html", "csv")
COLUMNS = ("name", "requests", "failures", "rps", "p50", "p95", "p99", "average", "max")


@dataclass(frozen=True)
class ReportHead:
    """What the report says before its figures: what ran, when, how, how it ended."""

    title: str = ""  # "Practice / Items"
    setup: str = ""  # "10 users at 5/s · 30 s"
    started: str = ""  # local time, "2026-12-05 12:24:03"
    reason: str = ""  # duration | iterations | stopped | error
    engine: str = ""  # "Locust 2.47.0"


def write_reports(
    reports: tuple[tuple[str, str], ...],
    final: dict[str, Any],
    history: list[dict[str, Any]],
    verdicts: list[Verdict],
    head: ReportHead | None = None,
) -> tuple[dict[str, str], str]:
    """Write each report; (kind -> absolute path written, the first problem or "")."""
    written: dict[str, str] = {}
    problem = ""
    for kind, path in reports:
        if kind == "html":
            text = html_report(final, history, verdicts, head or ReportHead())
        else:
            text = csv_report(final)
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


_ENDED = {
    "duration": "ran its duration",
    "iterations": "every user did its iterations",
    "stopped": "stopped before its end",
    "error": "ended by an error",
}


def html_report(
    final: dict[str, Any],
    history: list[dict[str, Any]],
    verdicts: list[Verdict],
    head: ReportHead,
) -> str:
    """One self-contained page (no script, no outside file): what ran and how, the
    verdict, the totals, a table per request, three charts over time, the errors."""
    total = final["total"]
    requests, failures = total["requests"], total["failures"]
    share = failures / requests * 100 if requests else 0.0
    failed = [v for v in verdicts if not v.passed]
    if failed:
        verdict = '<p class="verdict fail">Thresholds failed</p>'
    elif verdicts:
        verdict = '<p class="verdict ok">Thresholds passed</p>'
    else:
        verdict = ""
    checks = "".join(
        f"<li class={'ok' if v.passed else 'fail'}>{'passed' if v.passed else 'FAILED'}: "
        f"fail if {_e(v.rule)} (actual {_e(v.actual)})</li>"
        for v in verdicts
    )
    about = " · ".join(
        _e(part)
        for part in (
            head.started,
            head.setup,
            _ENDED.get(head.reason, head.reason),
            f"{final['elapsed']:.1f} s",
        )
        if part
    )
    cards = "".join(
        f'<div class="card"><div class="value{extra}">{value}</div>'
        f'<div class="label">{label}</div></div>'
        for value, label, extra in (
            (f"{requests:,}", "requests", ""),
            (f"{share:.2f} %", f"errors ({failures:,})", " bad" if failures else ""),
            (f"{total['rps']:.1f}", "requests/s", ""),
            (_ms(total["p50"]), "p50", ""),
            (_ms(total["p95"]), "p95", ""),
            (_ms(total["p99"]), "p99", ""),
        )
    )
    rows = "".join(_row(row) for row in final["by_request"])
    rows += _row({"name": "Total", **total}, css="total")
    errors = "".join(
        f"<tr><td>{e['count']:,}</td><td>{_e(e['kind'])}</td><td>{_e(e['name'])}</td>"
        f"<td>{_e(e['message'])}</td></tr>"
        for e in final["errors"]
    )
    errors_table = (
        '<table class="errors"><tr><th>count</th><th>kind</th><th>request</th>'
        f"<th>message</th></tr>{errors}</table>"
        if errors
        else "<p>No errors.</p>"
    )
    times = [line["elapsed"] for line in history]
    rps = _chart("Requests per second", times, {"total": [h["total"]["rps"] for h in history]})
    latency = _chart(
        "Latency (ms)",
        times,
        {p: [h["total"][p] for h in history] for p in ("p50", "p95", "p99")},
    )
    errors_chart = _chart(
        "Errors per second", times, {"errors": _per_second(history)}, colours=("#d62728",)
    )
    heading = "Load test" + (f": {_e(head.title)}" if head.title else "")
    engine = f" with {_e(head.engine)}" if head.engine else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{heading} — API Explorer</title>
<style>
body{{font:14px system-ui,sans-serif;margin:2em auto;max-width:1180px;padding:0 1.5em;
color:#1d232a;background:#fff}}
h1{{font-size:1.6em;margin:0 0 .2em}}h2{{font-size:1.2em;margin:1.6em 0 .4em}}
.about{{color:#5b6672;margin:0 0 1em}}
.verdict{{font-weight:600;font-size:1.1em;margin:.4em 0}}
.ok{{color:#17702a}}.fail,.bad{{color:#b00020}}
ul.checks{{margin:.2em 0 1em;padding-left:1.2em}}
.cards{{display:flex;flex-wrap:wrap;gap:.8em;margin:1em 0}}
.card{{border:1px solid #d5dbe1;border-radius:6px;padding:.6em 1em;min-width:7.5em}}
.value{{font-size:1.5em;font-weight:600}}.label{{color:#5b6672;font-size:.9em}}
table{{border-collapse:collapse;margin:.6em 0;width:100%}}
td,th{{border-bottom:1px solid #e3e7eb;padding:5px 8px;text-align:right}}
th{{background:#f3f5f7;font-weight:600}}td:first-child,th:first-child{{text-align:left}}
table.errors td:nth-child(3),table.errors td:nth-child(4){{text-align:left}}
tr.total td{{font-weight:600;border-top:2px solid #c9d0d6}}
.charts{{display:flex;flex-wrap:wrap;gap:1em}}
svg{{border:1px solid #e3e7eb;border-radius:6px}}
footer{{color:#8a949e;font-size:.85em;margin-top:2em}}
</style></head><body>
<h1>{heading}</h1>
<p class="about">{about}</p>
{verdict}<ul class="checks">{checks}</ul>
<div class="cards">{cards}</div>
<h2>Requests</h2>
<table><tr>{"".join(f"<th>{c}</th>" for c in _HEADINGS)}</tr>{rows}</table>
<h2>Over time</h2>
<div class="charts">{rps}{latency}{errors_chart}</div>
<h2>Errors</h2>
{errors_table}
<footer>Made by API Explorer{engine}. Times are milliseconds from Locust.</footer>
</body></html>
"""


_HEADINGS = ("request", "requests", "failures", "req/s", "p50", "p95", "p99", "average", "max")


def _row(row: dict[str, Any], css: str = "") -> str:
    failures = row.get("failures", 0) or 0
    cells = [
        _e(str(row["name"])),
        f"{row.get('requests', 0):,}",
        f'<span class="bad">{failures:,}</span>' if failures else "0",
        f"{row.get('rps', 0):.1f}",
        *(_ms(row.get(key)) for key in ("p50", "p95", "p99", "average", "max")),
    ]
    attribute = f' class="{css}"' if css else ""
    return f"<tr{attribute}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _ms(value: Any) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _per_second(history: list[dict[str, Any]]) -> list[float]:
    """Failures per second between two points of the history (its first: since 0)."""
    rates, before, since = [], 0, 0.0
    for point in history:
        count, at = point["total"]["failures"], point["elapsed"]
        rates.append(max(0, count - before) / (at - since) if at > since else 0.0)
        before, since = count, at
    return rates


def _e(text: str) -> str:
    return html.escape(text, quote=True)


_COLOURS = ("#1f77b4", "#ff7f0e", "#d62728")


def _scale(value: float) -> str:
    """An axis label: "1,500", "43", "0.5" (never "1.5e+03")."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _chart(
    title: str,
    times: list[float],
    series: dict[str, list[float]],
    colours: tuple[str, ...] = _COLOURS,
) -> str:
    """A line chart as inline SVG: `series` over `times` (seconds), a scale on the left
    (0, half, top) and the legend under the time axis."""
    width, height, left, right, top_pad, bottom = 370, 220, 56, 16, 30, 44
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
            f"{_scale(top * share)}</text>"
        )
    parts.append(
        f'<text x="{width - right}" y="{base + 16}" text-anchor="end" font-size="11">'
        f"{end:.0f} s</text>"
        f'<text x="{left}" y="{base + 16}" font-size="11">0 s</text>'
    )
    for position, (colour, (name, values)) in enumerate(zip(colours, series.items(), strict=False)):
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
