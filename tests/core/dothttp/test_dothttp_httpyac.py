"""Round trip with the real httpyac: the same .http file (with its JetBrains environment
files) sent by httpyac and by API Explorer's import arrives the same at a recording
server; our export of that import, run by httpyac, arrives the same again, and the
JetBrains handlers we write pass in httpyac. One httpyac run per file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from explorer.application.exporting import write_collection
from explorer.core.collection import Collection, walk_requests
from explorer.core.formats import import_text
from explorer.core.http.transport import Transport
from explorer.core.resolve.variables import Scope, resolve_request
from tests.support.peer_tools import HTTPYAC, needs_httpyac
from tests.support.recording_server import VARYING_HEADERS, Recorded, RecordingServer

SOURCE = Path(__file__).parents[1] / "formats" / "fixtures" / "http" / "roundtrip"
PLACEHOLDER_HOST = "http://127.0.0.1:1"
# httpyac 6.16.7 sends only the methods it lists: PURGE becomes a GET to "PURGE http://…",
# which fails before anything is sent. JetBrains and API Explorer send any method.
NOT_SENT_BY_HTTPYAC = "PURGE"
PIXEL = b"\x89PNG\r\n\x1a\n\x00\x01\xff binary"

pytestmark = needs_httpyac


def _httpyac(folder: Path, name: str) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [str(HTTPYAC), "send", name, "--all", "--env", "dev", "--json"],
        cwd=folder, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    summary: dict = json.loads(done.stdout)["summary"]  # type: ignore[type-arg]
    return summary


def _as_sent_by_explorer(collection: Collection, server: RecordingServer) -> list[Recorded]:
    (dev,) = [env for env in collection.environments if env.name == "dev"]
    scopes = [
        Scope("collection", {v.name: v.value for v in collection.variables}),
        Scope("dev", {v.name: v.value for v in dev.variables}),
    ]
    transport = Transport()
    try:
        for _path, item in walk_requests(collection):
            transport.send(resolve_request(item.request, scopes))
    finally:
        transport.close()
    return server.take()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The recordings of httpyac on the source, API Explorer on its import, and httpyac
    on the export, with httpyac's summaries and the export's files."""
    with RecordingServer() as server:
        source = tmp_path_factory.mktemp("source")
        shutil.copytree(SOURCE, source, dirs_exist_ok=True)
        # Binary bytes for the image part (the fixtures folder holds text only).
        (source / "files" / "pixel.dat").write_bytes(PIXEL)
        env_file = source / "http-client.env.json"
        env_file.write_text(env_file.read_text().replace(PLACEHOLDER_HOST, server.url))

        source_summary = _httpyac(source, "shop.http")
        by_httpyac = server.take()

        imported = import_text(
            (source / "shop.http").read_text(encoding="utf-8"),
            filename="shop.http",
            base_dir=source,
        )
        by_explorer = _as_sent_by_explorer(imported.collection, server)

        out = tmp_path_factory.mktemp("export")
        written = write_collection(imported.collection, "http", out / "shop.http")
        private = out / "http-client.private.env.json"
        exported_private = private.read_text()
        # The user fills in the secrets the export leaves empty.
        values = json.loads((source / "http-client.private.env.json").read_text())
        private.write_text(json.dumps(values))
        export_summary = _httpyac(out, "shop.http")
        by_httpyac_on_export = server.take()
    return {
        "source_summary": source_summary,
        "by_httpyac": by_httpyac,
        "by_explorer": by_explorer,
        "export_summary": export_summary,
        "by_httpyac_on_export": by_httpyac_on_export,
        "written": written,
        "exported_private": exported_private,
        "imported": imported,
    }


def test_api_explorer_sends_what_httpyac_sends_for_the_same_file(runs) -> None:  # type: ignore[no-untyped-def]
    explorer = [r.compared() for r in runs["by_explorer"]]
    httpyac = [r.compared() for r in runs["by_httpyac"]]
    assert len(explorer) == 10
    assert [r for r in explorer if r["method"] != NOT_SENT_BY_HTTPYAC] == httpyac
    assert explorer[-1]["method"] == "PURGE"
    assert runs["source_summary"]["erroredRequests"] == 1  # only the PURGE


def test_the_export_run_by_httpyac_arrives_the_same(runs) -> None:  # type: ignore[no-untyped-def]
    # The GraphQL request is exported in REST Client's form, whose marker header httpyac
    # sends along (the export's report says so): the one difference, on that request.
    marker = frozenset({"x-request-type"})
    exported = [r.compared(VARYING_HEADERS | marker) for r in runs["by_httpyac_on_export"]]
    assert exported == [r.compared() for r in runs["by_httpyac"]]
    marked = [r.path for r in runs["by_httpyac_on_export"] if r.header_text("x-request-type")]
    assert marked == ["/api/graphql"]
    summary = runs["export_summary"]
    assert summary["failedTests"] == 0
    assert summary["successTests"] >= 1  # the handler we wrote ran and passed
    assert summary["erroredRequests"] == 1  # the PURGE, as on the source


def test_the_export_writes_environments_and_secret_names_without_values(runs) -> None:  # type: ignore[no-untyped-def]
    names = [path.name for path in runs["written"].paths]
    assert names == ["shop.http", "http-client.env.json", "http-client.private.env.json"]
    assert json.loads(runs["exported_private"]) == {"dev": {"password": "", "token": ""}}
    assert "not-real" not in runs["written"].paths[0].read_text()


def test_the_import_reports_what_it_did(runs) -> None:  # type: ignore[no-untyped-def]
    assert any("not PURGE" in line for line in runs["written"].report)
    report = " ".join(runs["imported"].report)
    assert "2 environment(s)" in report
    assert "converted 3 of 3 statements" in report
