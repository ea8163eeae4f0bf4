"""A JUnit XML report of a run, for CI systems that show test results.

One testsuite; one testcase per request per iteration. A request that got no response
(or whose script failed) has one <failure> saying why; each failed assertion is a
<failure> of its own, with the expected and actual values.

A run with `--explain` adds each request's findings to its <system-out>, one line each
("explain warning status.created-without-location: 201 Created, but no Location
header"): GitLab and Jenkins show that text with the test case, and the JUnit schema has
no other place for it in a <testcase> (properties there are not in the schema, which
pytest's xunit2 also keeps to). A finding is never a <failure>: advice does not fail CI.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from explorer.application.reports.text import case_name, failure_text

if TYPE_CHECKING:
    from explorer.application.running import RunResult, RunSummary


def junit_bytes(summary: RunSummary) -> bytes:
    """The report as UTF-8 XML."""
    results = summary.results
    suite = ET.Element(
        "testsuite",
        name=summary.name,
        tests=str(len(results)),
        failures=str(summary.failed_count),
        errors="0",
        time=f"{sum(r.seconds for r in results):.3f}",
        timestamp=summary.started_at,
    )
    for result in results:
        _case(suite, summary, result)
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    data: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return data


def _case(suite: ET.Element, summary: RunSummary, result: RunResult) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=".".join((summary.name, *result.folder)),
        name=case_name(result, summary.iterations),
        time=f"{result.seconds:.3f}",
    )
    if result.error:
        failure = ET.SubElement(
            case, "failure", message=result.error, type=result.error_kind or "error"
        )
        failure.text = f"{result.method} {result.url}\n{result.error_kind}: {result.hint}"
    for failed in result.failures:
        failure = ET.SubElement(case, "failure", message=failure_text(failed), type="assertion")
        failure.text = (
            f"{failed.label}\nexpected: {failed.expected}\nactual: {failed.actual}"
            + (f"\n{failed.message}" if failed.message else "")
            + f"\nsource: {failed.source}"
        )
    if result.status is not None:
        redirected = f" -> {result.final_url}" if result.final_url else ""
        lines = [f"{result.method} {result.url}{redirected}", f"{result.status} {result.reason}"]
        lines += [
            ("passed: " if a.passed else "FAILED: ") + failure_text(a) for a in result.results
        ]
        lines += [f"captured {c.variable} = {c.value}" for c in result.captured if c.value]
        lines += list(result.console)
        lines += [f"explain {f.severity.value} {f.rule_id}: {f.summary}" for f in result.findings]
        ET.SubElement(case, "system-out").text = "\n".join(lines)
    elif result.console:
        ET.SubElement(case, "system-out").text = "\n".join(result.console)
