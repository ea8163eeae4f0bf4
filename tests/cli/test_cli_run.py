"""`python -m explorer run` end to end: a real collection folder, a real server, a real
process; and the errors a person can make on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Pair, Request
from explorer.core.storage.collection_files import CollectionStore

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, API_EXPLORER_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.fixture
def collection_dir(tmp_path, live_server):
    folder = tmp_path / "practice"
    collection = Collection(
        name="Practice",
        variables=(Variable("base", live_server),),
        environments=(Environment("local", (Variable("who", "ada"),)),),
        items=(
            RequestItem(Request(name="health", url="{{base}}/health")),
            Folder(
                name="echo",
                headers=(Pair("X-From-Folder", "yes"),),
                items=(
                    RequestItem(
                        Request(
                            name="anything",
                            method="POST",
                            url="{{base}}/anything",
                            params=(Pair("user", "{{who}}"),),
                        )
                    ),
                ),
            ),
        ),
    )
    CollectionStore(folder).save(collection)
    return folder


def test_run_sends_in_order_and_passes(collection_dir, tmp_path):
    report = tmp_path / "report.xml"
    result = cli("run", str(collection_dir), "--env", "local", "--junit", str(report),
                 home=tmp_path / "home")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok    200 GET ") and lines[0].endswith("[health]")
    assert lines[1].startswith("ok    200 POST ") and "user=ada" in lines[1]
    assert lines[1].endswith("[echo/anything]")
    assert lines[-1] == "2 passed, 0 failed"
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite.get("tests") == "2" and suite.get("failures") == "0"


def test_unresolved_and_unreachable_fail_the_run(tmp_path):
    folder = tmp_path / "broken"
    collection = Collection(
        name="Broken",
        items=(
            RequestItem(Request(name="refused", url="http://127.0.0.1:1/")),
            RequestItem(Request(name="missing var", url="{{nowhere}}/x")),
        ),
    )
    CollectionStore(folder).save(collection)
    report = tmp_path / "junit.xml"
    result = cli("run", str(folder), "--junit", str(report), home=tmp_path / "home")
    assert result.returncode == 1
    assert "Connection refused" in result.stdout
    assert "unresolved: nowhere" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 2 failed"
    assert ET.parse(report).getroot().find("testsuite").get("failures") == "2"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("run", "/no/such/folder"), "not a collection folder"),
        (("import", "/no/such/file.json"), "no such file"),
    ],
)
def test_errors_are_one_line(tmp_path, args, words):
    result = cli(*args, home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert words in result.stderr and "Traceback" not in result.stderr


def test_unknown_environment_is_named(collection_dir, tmp_path):
    result = cli("run", str(collection_dir), "--env", "prod", home=tmp_path / "home")
    assert result.returncode == 2
    assert "no environment named 'prod' (known: local)" in result.stderr
