"""Reports of a run (JUnit XML, JSON, a self-contained HTML page), written atomically.

Every report is made from a `RunSummary`'s `RunResult`s alone, whose texts are already
masked or shown as written (see explorer.application.running): no secret can reach a
report. The window's export and `run --reporter` both write through `write_report`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.atomic import write_bytes_atomic

if TYPE_CHECKING:
    from explorer.application.running import RunSummary

REPORT_KINDS = ("junit", "json", "html")


class ReportError(Exception):
    """A report could not be written; `str()` is one line naming the file."""


def write_report(kind: str, path: Path, summary: RunSummary) -> None:
    """Write the `kind` report (one of REPORT_KINDS) of `summary` to `path`."""
    if kind == "junit":
        from explorer.application.reports.junit import junit_bytes as render
    elif kind == "json":
        from explorer.application.reports.json_report import json_bytes as render
    elif kind == "html":
        from explorer.application.reports.html_report import html_bytes as render
    else:
        raise ValueError(f"unknown report kind {kind!r}")
    write_file(path, render(summary))


def write_file(path: Path, data: bytes) -> None:
    """`data` to `path` atomically, its folder made if missing; ReportError if not."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data)
    except OSError as error:
        raise ReportError(f"{path}: cannot write the report: {error.strerror or error}") from None
