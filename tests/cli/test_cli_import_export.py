"""`import` and `export` on the command line, with real files and real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.storage.collection_files import load_collection

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "core" / "formats" / "fixtures"


def cli(*args: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, API_EXPLORER_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, input=stdin,
    )  # fmt: skip


def test_import_curl_from_stdin_as_json(tmp_path):
    command = "curl -X POST https://api.example.com/v1/items -H 'Accept: application/json' -d 'a=1'"
    result = cli("import", "-", "--json", home=tmp_path, stdin=command)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    item = json.loads(line)
    assert item["method"] == "POST"
    assert item["url"] == "https://api.example.com/v1/items"
    assert ["Accept", "application/json"] in item["headers"]
    # curl's -d sends a form; the importer shows it as form rows.
    assert item["body"]["kind"] == "form"
    assert item["body"]["content"] == [["a", "1"]]
    assert "imported 1 request(s)" in result.stderr


@pytest.mark.parametrize(
    "fixture",
    ["postman/v21_collection.json", "openapi/petstore_v3.yaml", "http/requests.http",
     "insomnia/export.json", "har/browser.har"],
)  # fmt: skip
def test_import_into_a_folder_that_loads_back(tmp_path, fixture):
    target = tmp_path / "imported"
    result = cli("import", str(FIXTURES / fixture), "--into", str(target), home=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = [line for line in result.stdout.splitlines() if line.strip()]
    loaded = load_collection(target)
    assert loaded.problems == ()
    from explorer.core.collection import walk_requests

    assert len(walk_requests(loaded.collection)) == len(printed) > 0


def test_malformed_file_is_one_line_with_its_location(tmp_path):
    result = cli("import", str(FIXTURES / "postman" / "bad_json.json"), home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "line" in result.stderr
    assert result.stderr.count("\n") == 1


def test_import_refuses_a_non_empty_folder(tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    result = cli("import", str(FIXTURES / "http" / "requests.http"), "--into", str(target),
                 home=tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert (target / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("target", ["postman", "http", "curl", "python", "httpie", "fetch"])
def test_export_every_target(tmp_path, target):
    folder = tmp_path / "c"
    assert cli("import", str(FIXTURES / "postman" / "v21_collection.json"), "--into",
               str(folder), home=tmp_path).returncode == 0  # fmt: skip
    out = tmp_path / f"export.{target}"
    result = cli("export", str(folder), "--to", target, "--out", str(out), home=tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    if target == "postman":
        assert json.loads(text)["info"]["schema"].endswith("v2.1.0/collection.json")
    elif target == "http":
        assert "###" in text
    elif target == "python":
        compile(text, "export.py", "exec")
    else:
        assert text.strip()


def test_exported_code_resolves_variables_but_reads_secrets_from_the_environment(
    tmp_path, live_server
):
    from explorer.core.collection import Collection, RequestItem, Variable
    from explorer.core.model import Auth, AuthKind, Request
    from explorer.core.storage.collection_files import CollectionStore

    folder = tmp_path / "c"
    collection = Collection(
        name="Secrets",
        variables=(Variable("base", live_server), Variable("token", "", secret=True)),
        items=(
            RequestItem(
                Request(
                    name="bearer",
                    url="{{base}}/bearer",
                    auth=Auth(kind=AuthKind.BEARER, token="{{token}}"),
                )
            ),
        ),
    )
    CollectionStore(folder).save(collection)
    script = tmp_path / "bearer.py"
    result = cli("export", str(folder), "--to", "python", "--out", str(script), home=tmp_path)
    assert result.returncode == 0, result.stderr
    code = script.read_text()
    assert f"{live_server}/bearer" in code and "{{base}}" not in code
    assert "os.environ['TOKEN']" in code
    run = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        env=dict(os.environ, TOKEN="from-the-environment"),
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith(b"200")
    assert json.loads(run.stdout)["token"] == "from-the-environment"
