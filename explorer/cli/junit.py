"""A JUnit XML report of a run, for CI systems that show test results.

Made only from `Outcome`s, whose texts are already masked or as written (see run.py):
no secret can reach the report.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.cli.errors import CommandError
from explorer.core.atomic import write_bytes_atomic

if TYPE_CHECKING:
    from explorer.cli.outcome import Outcome


def write_junit(path: Path, suite_name: str, outcomes: list[Outcome]) -> None:
    """One testsuite, one testcase per request; a failed send is a <failure>."""
    failures = sum(not o.passed for o in outcomes)
    suite = ET.Element(
        "testsuite",
        name=suite_name,
        tests=str(len(outcomes)),
        failures=str(failures),
        errors="0",
        time=f"{sum(o.seconds for o in outcomes):.3f}",
    )
    for outcome in outcomes:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=".".join((suite_name, *outcome.folder)),
            name=outcome.name or f"{outcome.method} {outcome.url}",
            time=f"{outcome.seconds:.3f}",
        )
        if not outcome.passed:
            failure = ET.SubElement(case, "failure", message=outcome.error)
            failure.text = f"{outcome.method} {outcome.url}\n{outcome.error_kind}: {outcome.hint}"
        else:
            output = ET.SubElement(case, "system-out")
            redirected = f" -> {outcome.final_url}" if outcome.final_url else ""
            output.text = (
                f"{outcome.method} {outcome.url}{redirected}\n{outcome.status} {outcome.reason}"
            )
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    data = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data)
    except OSError as error:
        raise CommandError(f"{path}: cannot write the report: {error.strerror or error}") from None
