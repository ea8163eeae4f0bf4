"""A Postman collection, run three ways against the recording server, arrives the same.

`tests/fixtures/postman/roundtrip/` is a collection written for these tests (every body
mode, a file upload inside the fixture folder, a urlencoded body under a JSON
Content-Type header, a GET with a body and `disableBodyPruning`, a value-less query
parameter, non-ASCII values, basic/bearer/API-key auth on the collection, a folder and
requests, variables of the collection and of the environment file, `pm.test` scripts).

(a) newman runs the original with its environment file; (b) API Explorer imports it and
the `run` engine sends every request; (c) newman runs API Explorer's export of the
import, with the environment file written beside it (`-e`). What arrives must be the
same (`Recorded.compared()`: method, raw target, headers but the tool-specific ones,
body; multipart by parts). Before the export, the imported collection is given headers
on the collection, a folder and a request overriding one (which Postman has no place
for above a request): the export must carry them into each request so that newman
sends what API Explorer sends. One newman invocation per run.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from explorer.application.exporting import collection_export
from explorer.application.running import Run, RunPlan, RunSummary, whole_collection
from explorer.application.scopes import command_line_scope, request_scopes
from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.formats import import_text
from explorer.core.model import Pair
from tests.support.peer_tools import NEWMAN, needs_newman
from tests.support.recording_server import Recorded, RecordingServer

FIXTURE = Path(__file__).parents[1] / "fixtures" / "postman" / "roundtrip"
COLLECTION = FIXTURE / "roundtrip.postman_collection.json"
ENVIRONMENT = FIXTURE / "roundtrip.Local.postman_environment.json"
SECRET = "k-12345-secret"  # the environment's secret apiKey
REQUESTS = 16
ADDED = {"x-collection", "x-layer"}  # the headers given to the imported collection

pytestmark = needs_newman


def newman(
    collection: Path, environment: Path, base_url: str, report: Path, *extra: str
) -> dict[str, Any]:
    """One newman run, its JSON report written to `report` (never beside the fixture);
    the report's run (every request must have passed)."""
    done = subprocess.run(
        [
            str(NEWMAN),
            "run",
            str(collection),
            "-e",
            str(environment),
            "--env-var",
            f"baseUrl={base_url}",
            *extra,
            "--working-dir",
            str(FIXTURE),
            "--reporters",
            "json",
            "--reporter-json-export",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert report.exists(), done.stderr
    run = json.loads(report.read_text(encoding="utf-8"))["run"]
    assert run["failures"] == [], run["failures"]
    assert done.returncode == 0
    return run


def with_headers(collection: Collection) -> Collection:
    """The import with headers above its requests: on the collection, on the folder
    "Bodies", and on its request "Text" overriding the folder's."""

    def item(node: Folder | RequestItem) -> Folder | RequestItem:
        if isinstance(node, Folder) and node.name == "Bodies":
            return replace(
                node,
                headers=(Pair("X-Layer", "folder"),),
                items=tuple(item(inner) for inner in node.items),
            )
        if isinstance(node, RequestItem) and node.name == "Text":
            headers = (*node.request.headers, Pair("X-Layer", "request"))
            return replace(node, request=node.request.with_changes(headers=headers))
        return node

    return replace(
        collection,
        headers=(Pair("X-Collection", "c"), Pair("X-Off", "no", enabled=False)),
        items=tuple(item(node) for node in collection.items),
    )


def run_ours(collection: Collection, base_url: str) -> RunSummary:
    environment = collection.environments[0]
    plan = RunPlan(
        collection=collection,
        selection=whole_collection(collection),
        root=FIXTURE,
        scopes=tuple(request_scopes((), collection, environment)),
        overrides=command_line_scope({"baseUrl": base_url}, {}),
    )
    return Run(plan).run()


def compared(recorded: Recorded, leave_out: frozenset[str] = frozenset()) -> dict[str, Any]:
    """`compared()`, a urlencoded body as its pairs: newman writes a space as %20 and
    API Explorer as `+`, both meaning the same to every form parser."""
    out = recorded.compared()
    out["headers"] = [pair for pair in out["headers"] if pair[0] not in leave_out]
    content_type = (recorded.header_text("content-type") or "").lower()
    if content_type.startswith("application/x-www-form-urlencoded"):
        out["body"] = parse_qsl(recorded.body.decode("ascii"), keep_blank_values=True)
    return out


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("newman-roundtrip")
    with RecordingServer() as server:
        original = newman(COLLECTION, ENVIRONMENT, server.url, out / "original.json")
        a = server.take()

        result = import_text(COLLECTION.read_text(encoding="utf-8"), "postman")
        environments = import_text(ENVIRONMENT.read_text(encoding="utf-8"), "postman")
        collection = replace(
            with_headers(result.collection), environments=environments.environments
        )
        summary = run_ours(collection, server.url)
        b = server.take()

        export = collection_export(collection, "postman")
        main = out / "exported.postman_collection.json"
        main.write_text(export.text, encoding="utf-8")
        for file in export.files:
            (out / file.name.replace("{stem}", "exported")).write_text(file.text, "utf-8")
        exported_env = out / "exported.Local.postman_environment.json"
        again = newman(
            main, exported_env, server.url, out / "again.json", "--env-var", f"apiKey={SECRET}"
        )
        c = server.take()
    return {
        "a": a,
        "b": b,
        "c": c,
        "original": original,
        "again": again,
        "summary": summary,
        "import_report": result.report,
        "export": export,
        "exported_env": exported_env.read_text(encoding="utf-8"),
    }


def test_newman_and_api_explorer_send_the_same_requests(recordings: dict[str, Any]) -> None:
    a, b = recordings["a"], recordings["b"]
    assert len(a) == len(b) == REQUESTS
    assert recordings["summary"].passed
    for theirs, ours in zip(a, b, strict=True):
        assert compared(theirs) == compared(ours, ADDED), theirs.target


def test_newman_runs_the_export_and_sends_what_api_explorer_sends(
    recordings: dict[str, Any],
) -> None:
    b, c = recordings["b"], recordings["c"]
    assert len(c) == REQUESTS
    assert (
        recordings["again"]["stats"]["assertions"] == recordings["original"]["stats"]["assertions"]
    )
    for ours, exported in zip(b, c, strict=True):
        assert compared(ours) == compared(exported), ours.target
    # The headers above the requests arrived, the request's own winning.
    layers = {r.path: (r.header_text("X-Layer"), r.header_text("X-Collection")) for r in c}
    assert layers["/bodies/text"] == ("request", "c")
    assert layers["/bodies/json"] == ("folder", "c")
    assert layers["/auth/basic"] == (None, "c")
    assert all(r.header("X-Off") is None for r in c)


def test_the_details_that_used_to_differ(recordings: dict[str, Any]) -> None:
    by_path = {r.path: r for r in recordings["c"]}
    # A bodiless GET gains no Content-Type; a GET with a body sends it.
    assert by_path["/bodies/get-empty"].header("Content-Type") is None
    assert by_path["/bodies/get-with-body"].body == b'{"search": "body on a GET"}'
    # The value-less parameter stays value-less.
    assert by_path["/query"].raw_query.startswith("pretty&q=caf%C3%A9%20au%20lait&")
    # A urlencoded body goes out as a form whatever header the source named.
    form = by_path["/bodies/form-json"]
    assert form.header_text("Content-Type") == "application/x-www-form-urlencoded"
    report = " ".join(recordings["import_report"])
    assert "Content-Type header of 'Form with a JSON header' was left out" in report


def test_the_export_reports_and_keeps_secrets_out(recordings: dict[str, Any]) -> None:
    export = recordings["export"]
    assert [file.name for file in export.files] == ["{stem}.Local.postman_environment.json"]
    assert any("written into each of the" in line for line in export.report)
    assert SECRET not in export.text and SECRET not in recordings["exported_env"]
    values = {row["key"]: row for row in json.loads(recordings["exported_env"])["values"]}
    assert values["apiKey"] == {"key": "apiKey", "value": "", "type": "secret", "enabled": True}
    assert values["unused"]["enabled"] is False
