"""Bruno both ways with the real `bru` CLI: the fixture folder run by bru, its import
run by API Explorer, and the import exported to Bruno and run by bru again, each against
its own recording server. What arrives must be the same, and the assertions (Bruno's,
translated into rows, and the rows translated back) must pass in both tools.

One bru invocation per direction, both started at once (bru takes a few seconds to
start); API Explorer's run goes meanwhile, in this process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from explorer.application.exporting import write_collection
from explorer.application.importing import convert_folder, write_new_collection
from explorer.cli import main as cli_main
from explorer.core.storage.collection_files import load_collection
from explorer.core.storage.secrets import SecretStore
from tests.support.peer_tools import BRU, needs_bru
from tests.support.recording_server import VARYING_HEADERS, Recorded, RecordingServer

FIXTURE = Path(__file__).parent / "fixtures" / "bruno" / "shop"
SECRETS = {"token": "tok-3141", "adminPassword": "pw-2718"}
# bru's own header with the time it started each request.
IGNORED = VARYING_HEADERS | {"request-start-time"}


@dataclass
class Rounds:
    original: list[Recorded]  # bru on the fixture folder
    ours: list[Recorded]  # API Explorer's run of the imported collection
    exported: list[Recorded]  # bru on the Bruno export of the import
    original_report: list[dict[str, Any]]
    exported_report: list[dict[str, Any]]
    our_report: dict[str, Any]
    export_folder: Path
    export_report: tuple[str, ...]


def _bru(folder: Path, url: str, report: Path) -> subprocess.Popen[str]:
    args = [str(BRU), "run", "-r", "--env", "Local", "--env-var", f"baseUrl={url}"]
    for name, value in SECRETS.items():
        args += ["--env-var", f"{name}={value}"]
    args += ["--reporter-json", str(report), "--sandbox", "developer"]  # starts faster
    return subprocess.Popen(
        args, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rounds]:
    tmp = tmp_path_factory.mktemp("bruno")
    home = tmp / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("API_EXPLORER_HOME", str(home / "api-explorer"))
        patch.setenv("XDG_DATA_HOME", str(home / "data"))
        patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
        for name, value in SECRETS.items():
            patch.setenv(name, value)
        original = tmp / "original"
        shutil.copytree(FIXTURE, original)
        ours = tmp / "ours"
        write_new_collection(convert_folder(original).result, ours, SecretStore(tmp / "s.json"))
        exported = tmp / "exported"
        written = write_collection(load_collection(ours).collection, "bruno", exported)
        # As the report asks (the import copied them into our folder, which reads the
        # folder `files` as an empty folder of requests: the export has it too).
        shutil.copytree(original / "files", exported / "files", dirs_exist_ok=True)
        one, two, three = servers = [RecordingServer().__enter__() for _ in range(3)]
        try:
            first = _bru(original, one.url, tmp / "original.json")
            second = _bru(exported, three.url, tmp / "exported.json")
            status = cli_main(
                ["run", str(ours), "--env", "Local", "--var", f"baseUrl={two.url}"]
                + [arg for name in SECRETS for arg in ("--secret", name)]
                + ["--reporter", f"json:{tmp / 'ours.json'}"]
            )
            outputs = [process.communicate(timeout=120)[0] for process in (first, second)]
            assert status == 0
            assert first.returncode == 0, outputs[0][-3000:]
            assert second.returncode == 0, outputs[1][-3000:]
            yield Rounds(
                original=[r for r in one.take() if not r.target.startswith("/drafts")],
                ours=two.take(),
                exported=three.take(),
                original_report=_bru_results(tmp / "original.json"),
                exported_report=_bru_results(tmp / "exported.json"),
                our_report=json.loads((tmp / "ours.json").read_text()),
                export_folder=exported,
                export_report=written.report,
            )
        finally:  # each shutdown waits for its server's poll: all three at once
            stops = [threading.Thread(target=s.__exit__, args=(None, None, None)) for s in servers]
            for stop in stops:
                stop.start()
            for stop in stops:
                stop.join(10)


def _bru_results(path: Path) -> list[dict[str, Any]]:
    return [result for run in json.loads(path.read_text()) for result in run["results"]]


def _compared(records: list[Recorded]) -> list[dict[str, object]]:
    return [record.compared(IGNORED) for record in records]


@needs_bru
def test_api_explorer_sends_what_bruno_sends_for_the_imported_collection(rounds: Rounds) -> None:
    assert len(rounds.original) == 10  # the ignored drafts folder left out of the compare
    assert _compared(rounds.ours) == _compared(rounds.original)


@needs_bru
def test_bru_runs_the_export_and_sends_the_same(rounds: Rounds) -> None:
    assert _compared(rounds.exported) == _compared(rounds.original)


@needs_bru
def test_imported_assertions_pass_in_our_run_and_exported_ones_in_bru(rounds: Rounds) -> None:
    totals = rounds.our_report["totals"]
    assert totals["failed"] == 0 and totals["assertions_failed"] == 0
    assert totals["assertions"] == 20  # every enabled Bruno assertion but `isJson`
    for results in (rounds.original_report, rounds.exported_report):
        checks = [a for r in results for a in r["assertionResults"]]
        assert checks and all(check["status"] == "pass" for check in checks), checks
    original = sum(len(r["assertionResults"]) for r in rounds.original_report)
    exported = sum(len(r["assertionResults"]) for r in rounds.exported_report)
    assert exported == original  # the drafts request has none; `isJson` came back verbatim
    captured = {c["variable"] for r in rounds.our_report["results"] for c in r["captured"]}
    assert {"listedPath", "firstQuery", "orderMethod"} <= captured


@needs_bru
def test_the_export_holds_no_secret_value_and_says_what_to_copy(rounds: Rounds) -> None:
    texts = [p.read_text() for p in rounds.export_folder.rglob("*.bru")]
    assert not any(value in text for text in texts for value in SECRETS.values())
    local = (rounds.export_folder / "environments" / "Local.bru").read_text()
    assert "vars:secret [\n  token,\n  adminPassword\n]" in local
    assert any("copy those files" in line for line in rounds.export_report)


def test_bru_is_not_needed_to_read_the_fixture() -> None:
    # The fixture itself is what the round trip starts from: it must stay importable
    # without any tool, and its ignored folder must stay ignored.
    result = convert_folder(FIXTURE).result
    names = [item.name for item in result.collection.items]
    assert names == ["Catalog", "Orders", "Status"]
    assert os.path.isdir(FIXTURE / "drafts")
