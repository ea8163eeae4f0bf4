"""newman runs our Postman export against the practice server and agrees with `run`.

A Postman collection with tests and chained variables (login → token → who am I; create
→ id → read) is imported: its test scripts become assertions and captures. `run` checks
them against the practice server; exported again, newman (Postman's own runner,
installed by `make newman` into .tools) runs the generated `pm.test`/`pm.*.set` scripts.
Both pass every request, the chained values arrive, and a single wrong expectation makes
both fail with exactly one failure, on the same request and test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from explorer.application.importing import write_new_collection
from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.formats import ImportResult, import_text
from explorer.core.formats.postman_export import export_postman_report
from explorer.core.model import Assertion, Capture, Operator, Request, Subject

ROOT = Path(__file__).parents[2]
NEWMAN = ROOT / ".tools" / "node_modules" / ".bin" / "newman"
WORKFLOW = ROOT / "tests" / "fixtures" / "postman" / "workflow.postman_collection.json"

pytestmark = pytest.mark.skipif(
    not NEWMAN.exists(), reason="newman is not installed (make newman installs it into .tools)"
)


def newman(collection: Collection, base_url: str, tmp_path: Path) -> tuple[int, dict[str, Any]]:
    """Export `collection`, run it with newman; its exit status and JSON report's run."""
    text, losses = export_postman_report(collection)
    assert losses == ()
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "exported.postman_collection.json"
    source.write_text(text, encoding="utf-8")
    report = tmp_path / "newman.json"
    done = subprocess.run(
        [
            str(NEWMAN),
            "run",
            str(source),
            "--env-var",
            f"baseUrl={base_url}",
            "--reporters",
            "json",
            "--reporter-json-export",
            str(report),
            "--timeout-request",
            "30000",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert report.exists(), done.stderr
    return done.returncode, json.loads(report.read_text(encoding="utf-8"))["run"]


def run(collection: Collection, base_url: str, tmp_path: Path) -> tuple[int, dict[str, Any]]:
    """Write `collection` as a collection folder, `run` it; exit status and JSON report."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder = tmp_path / "collection"
    write_new_collection(ImportResult(collection), folder, None)
    report = tmp_path / "run.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "explorer",
            "run",
            str(folder),
            "--var",
            f"baseUrl={base_url}",
            "--reporter",
            f"json:{report}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert report.exists(), done.stdout + done.stderr
    return done.returncode, json.loads(report.read_text(encoding="utf-8"))


def run_failures(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (result["name"], assertion["label"])
        for result in report["results"]
        for assertion in result["assertions"]
        if not assertion["passed"]
    ]


def imported_workflow() -> Collection:
    result = import_text(WORKFLOW.read_text(encoding="utf-8"), "postman")
    return result.collection


def failures(run: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["source"]["name"], f["error"]["test"]) for f in run["failures"]]


def test_run_passes_the_imported_workflow(live_server: str, tmp_path: Path) -> None:
    status, report = run(imported_workflow(), live_server, tmp_path)
    assert run_failures(report) == []
    assert status == 0
    assert report["totals"] == {
        "requests": 4,
        "passed": 4,
        "failed": 0,
        "assertions": 17,
        "assertions_passed": 17,
        "assertions_failed": 0,
    }
    captured = {c["variable"]: c["value"] for r in report["results"] for c in r["captured"]}
    assert set(captured) == {"token", "todoId"}
    assert report["results"][3]["url"].endswith(f"/api/todos/{captured['todoId']}")


def test_the_exported_workflow_passes_in_newman(live_server: str, tmp_path: Path) -> None:
    status, run = newman(imported_workflow(), live_server, tmp_path)
    assert failures(run) == []
    assert status == 0
    stats = run["stats"]
    assert stats["requests"] == {"total": 4, "pending": 0, "failed": 0}
    # 13 pm.test blocks: 10 written from the imported pm.test/tests[] names, one for
    # the top-level responseTime row, and the 2 kept ones newman runs as they were.
    assert stats["assertions"]["failed"] == 0
    assert stats["assertions"]["total"] == 13
    # The token and the todo's id were carried to the next request by the captures.
    executions = {e["item"]["name"]: e for e in run["executions"]}
    assert executions["Who am I"]["response"]["code"] == 200
    assert executions["Read todo"]["response"]["code"] == 200


def _with_status(collection: Collection, request_name: str, expected: str) -> Collection:
    """The collection with the status assertion of one request expecting `expected`."""

    def change(item: Folder | RequestItem) -> Folder | RequestItem:
        if isinstance(item, Folder):
            return replace(item, items=tuple(change(inner) for inner in item.items))
        if item.name != request_name:
            return item
        rows = tuple(
            replace(row, expected=expected)
            if row.subject == Subject.STATUS and row.operator == Operator.EQ
            else row
            for row in item.request.assertions
        )
        return replace(item, request=item.request.with_changes(assertions=rows))

    return replace(collection, items=tuple(change(item) for item in collection.items))


def test_one_wrong_expectation_is_exactly_one_failure_in_both(
    live_server: str, tmp_path: Path
) -> None:
    wrong = _with_status(imported_workflow(), "Who am I", "201")
    status, report = run(wrong, live_server, tmp_path / "run")
    assert status == 1
    assert run_failures(report) == [("Who am I", "Status code is 200")]
    assert report["totals"]["assertions_failed"] == 1
    assert [r["passed"] for r in report["results"]] == [True, False, True, True]
    status, newman_run = newman(wrong, live_server, tmp_path / "newman")
    assert status == 1
    assert failures(newman_run) == [("Who am I", "Status code is 200")]
    assert newman_run["stats"]["assertions"]["failed"] == 1


def _every_form() -> Collection:
    """One request with an assertion of every exportable form, all true of the practice
    server's /api/todos, and a capture the next request uses."""
    a, s, op = Assertion, Subject, Operator
    rows = (
        a(s.STATUS, op.EQ, "200"),
        a(s.STATUS, op.NE, "404"),
        a(s.STATUS, op.LT, "300"),
        a(s.HEADER, op.EXISTS, argument="Content-Type"),
        a(s.HEADER, op.EXISTS, argument="X-Not-There", negate=True),
        a(s.HEADER, op.CONTAINS, "json", "Content-Type"),
        a(s.HEADER, op.STARTS_WITH, "application/", "Content-Type"),
        a(s.JSONPATH, op.GE, "1", "$.total"),
        a(s.JSONPATH, op.GT, "0", "$.data", ("count",)),
        a(s.JSONPATH, op.EQ, "1", "$.data[0].id"),
        a(s.JSONPATH, op.EQ, "true", "$.data[0].done"),
        a(s.JSONPATH, op.IS_TYPE, "integer", "$.data[0].id"),
        a(s.JSONPATH, op.IS_TYPE, "string", "$.data[0].title"),
        a(s.JSONPATH, op.IS_TYPE, "list", "$.data"),
        a(s.JSONPATH, op.IS_TYPE, "object", "$._links"),
        a(s.JSONPATH, op.IS_TYPE, "number", "$.data[0].title", negate=True),
        a(s.JSONPATH, op.EQ, "/api/todos", "$._links.self.href"),
        a(s.JSONPATH, op.EQ, '{"href": "/api/todos"}', "$._links.self"),
        a(s.JSONPATH, op.STARTS_WITH, "Read", "$.data[0].title"),
        a(s.JSONPATH, op.ENDS_WITH, "lesson", "$.data[0].title"),
        a(s.JSONPATH, op.MATCHES, "(?i)^read the", "$.data[0].title"),
        a(s.JSONPATH, op.CONTAINS, "client", "$.data[0].title"),
        a(s.JSONPATH, op.COUNT, "29", "$.data[0].title"),
        a(s.JSONPATH, op.EXISTS, argument="$.nothing", negate=True),
        a(s.JMESPATH, op.EQ, "1", "data[0].id"),
        a(s.BODY, op.CONTAINS, "_links"),
        a(s.BODY, op.MATCHES, '"total":\\s*\\d+'),
        a(s.DURATION, op.LT, "10000"),
        a(s.SIZE, op.GT, "100"),
        a(s.JSON_SCHEMA, op.VALID, argument='{"type": "object", "required": ["data", "total"]}'),
    )
    listing = Request(
        "GET",
        "{{baseUrl}}/api/todos",
        name="List",
        assertions=rows,
        captures=(Capture("first_id", s.JSONPATH, "$.data[0].id"),),
    )
    one = Request(
        "GET",
        "{{baseUrl}}/api/todos/{{first_id}}",
        name="One",
        assertions=(a(s.JSONPATH, op.EQ, "{{first_id}}", "$.id"),),
    )
    return Collection("Every form", (RequestItem(listing), RequestItem(one)))


def test_every_exportable_form_passes_in_run_and_in_newman(
    live_server: str, tmp_path: Path
) -> None:
    collection = _every_form()
    status, report = run(collection, live_server, tmp_path / "run")
    assert run_failures(report) == []
    assert status == 0
    assert report["totals"]["assertions"] == 31
    status, newman_run = newman(collection, live_server, tmp_path / "newman")
    assert failures(newman_run) == []
    assert status == 0
    assert newman_run["stats"]["assertions"]["total"] == 31
