"""A JUnit XML report of a run, for CI systems that show test results."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.atomic import write_bytes_atomic

if TYPE_CHECKING:
    from explorer.cli.run import Outcome


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
            name=outcome.name or f"{outcome.request.method} {outcome.request.url}",
            time=f"{outcome.seconds:.3f}",
        )
        if outcome.error is not None:
            failure = ET.SubElement(case, "failure", message=outcome.error.message)
            failure.text = f"{outcome.error.kind.value}: {outcome.error.hint}"
        elif outcome.response is not None:
            output = ET.SubElement(case, "system-out")
            output.text = f"{outcome.response.status} {outcome.response.reason}"
    tree = ET.ElementTree(ET.Element("testsuites"))
    tree.getroot().append(suite)
    ET.indent(tree)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, ET.tostring(tree.getroot(), encoding="utf-8", xml_declaration=True))
