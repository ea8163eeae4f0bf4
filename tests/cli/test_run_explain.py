"""`python -m explorer run --explain` as a whole process, with the real rules, against a
raw-socket server that answers 201 Created without a Location header: the finding's
line under the request's, the totals line, the findings in every report, silencing with
`--explain-ignore`, a mistyped rule id as a one-line usage error, and an exit status
that findings never change."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Assertion, Operator, Request, Subject
from explorer.core.storage.collection_files import CollectionStore
from tests.support.canned_server import RawServer, canned

ROOT = Path(__file__).resolve().parents[2]
RULE = "status.created-without-location"
MARKS = {"error": "✖", "warning": "⚠"}
TOTALS = re.compile(r"^findings: (\d+) errors?, (\d+) warnings?, (\d+) info$")


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, API_EXPLORER_HOME=str(home), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
        encoding="utf-8",
    )  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A collection of one request that passes (201 expected) and draws the finding."""
    created = canned(201, "Created", [("Content-Type", "application/json")], b'{"id": 7}')
    with RawServer({"/items": created}) as server:
        request = Request(
            method="POST",
            name="create",
            url=f"{server.url}/items",
            assertions=(Assertion(Subject.STATUS, Operator.EQ, "201"),),
        )
        folder = tmp_path_factory.mktemp("explain") / "collection"
        CollectionStore(folder).save(Collection(name="Explained", items=(RequestItem(request),)))
        yield folder


def test_findings_are_printed_and_reported_and_the_exit_status_is_unchanged(folder, tmp_path):
    reports = {kind: tmp_path / f"out.{kind}" for kind in ("junit", "json", "html")}
    arguments = [f"--reporter={kind}:{path}" for kind, path in reports.items()]
    result = cli("run", str(folder), "--explain", *arguments, home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(reports["json"].read_text(encoding="utf-8"))
    [reported] = document["results"]
    [finding] = [f for f in reported["findings"] if f["rule"] == RULE]
    assert finding["severity"] in MARKS and finding["references"][0]["url"].startswith("https://")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok    201 POST ")
    # Under the request's line: its errors and warnings, never its info findings.
    shown = [line for line in lines[1:] if line.startswith("      ")]
    loud = [f for f in reported["findings"] if f["severity"] != "info"]
    assert shown == [f"      {MARKS[f['severity']]} {f['rule']}  {f['summary']}" for f in loud]
    assert lines[-2] == "1 passed, 0 failed (1 of 1 assertions passed)"
    counts = document["totals"]["findings"]
    totals = TOTALS.match(lines[-1])
    assert totals is not None, lines[-1]
    assert [int(n) for n in totals.groups()] == [counts["error"], counts["warning"], counts["info"]]
    assert sum(counts.values()) == len(reported["findings"]) >= 1
    # JUnit: findings in the case's output, never as failures.
    suite = ET.parse(reports["junit"]).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    assert not list(suite.iter("failure"))
    output = suite.findtext("testcase/system-out") or ""
    assert f"explain {finding['severity']} {RULE}: {finding['summary']}" in output.splitlines()
    # HTML: the total in the header, the finding with its reference link.
    page = reports["html"].read_text(encoding="utf-8")
    assert "; findings: " in page and f"<code>{RULE}</code>" in page
    assert f'href="{finding["references"][0]["url"]}"' in page


def test_a_silenced_rule_is_not_reported_and_without_explain_nothing_changes(folder, tmp_path):
    report = tmp_path / "silenced.json"
    silenced = cli(
        "run", str(folder), "--explain-ignore", f"{RULE},status.retry-after-missing",
        f"--reporter=json:{report}", home=tmp_path / "home",
    )  # fmt: skip
    assert silenced.returncode == 0, silenced.stderr
    assert RULE not in silenced.stdout
    assert TOTALS.match(silenced.stdout.splitlines()[-1])  # --explain-ignore implies --explain
    [reported] = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert RULE not in [f["rule"] for f in reported["findings"]]

    plain_report = tmp_path / "plain.json"
    plain = cli("run", str(folder), f"--reporter=json:{plain_report}", home=tmp_path / "home")
    assert plain.returncode == 0 and len(plain.stdout.splitlines()) == 2
    document = json.loads(plain_report.read_text(encoding="utf-8"))
    assert "findings" not in document["results"][0] and "findings" not in document["totals"]


def test_a_mistyped_rule_id_is_one_usage_line_naming_the_closest(folder, tmp_path):
    result = cli(
        "run", str(folder), "--explain-ignore", "status.created-without-locaton",
        home=tmp_path / "home",
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "unknown explain rule 'status.created-without-locaton'" in line
    assert f"did you mean '{RULE}'?" in line
