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


# Every target of the registry but the history's (tested below). Go and PowerShell were
# missing from `export --to` while the window and the README offered them.
@pytest.mark.parametrize(
    "target", ["postman", "http", "curl", "python", "httpie", "fetch", "go", "powershell"]
)
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
    elif target == "go":
        assert text.startswith("// ") and "package main" in text and "net/http" in text
    elif target == "powershell":
        assert "Invoke-RestMethod" in text or "Invoke-WebRequest" in text
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


def test_export_targets_are_the_registry(tmp_path):
    from explorer.application.formats import EXPORT_TARGETS

    assert {"go", "powershell", "har"} <= set(EXPORT_TARGETS)
    result = cli("export", "--help", home=tmp_path)
    assert result.returncode == 0
    for target in EXPORT_TARGETS:
        assert target in result.stdout


def record_har_fixture(home: Path) -> int:
    """The exchanges of the browser HAR fixture, stored in the history of `home` as the
    window stores them; the number of those with a response (a HAR export leaves out the
    others, as the window's does)."""
    from explorer.core.formats import convert
    from explorer.core.formats.har_history import exchange_from_har
    from explorer.core.storage.history import History

    imported = convert((FIXTURES / "har" / "browser.har").read_text(encoding="utf-8"))
    history = History(home / "history.sqlite3")
    try:
        for entry in imported.har_entries:
            request, response = exchange_from_har(entry)
            history.add(response, request)
    finally:
        history.close()
    return sum(1 for entry in imported.har_entries if entry.status)


def test_export_history_as_har_writes_what_the_window_writes(tmp_path):
    from explorer.application.exporting import history_entries, write_history
    from explorer.core.storage.history import History

    home = tmp_path / "home"
    home.mkdir()
    count = record_har_fixture(home)
    out = tmp_path / "history.har"
    result = cli("export", "--to", "har", "--out", str(out), home=home)
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["log"]["version"] == "1.2"
    assert len(document["log"]["entries"]) == count > 0
    # History ▸ Export as HAR writes the same file (ask_export_history_har -> write_history).
    history = History(home / "history.sqlite3")
    try:
        window_file = tmp_path / "window.har"
        write_history(history_entries(history), window_file)
    finally:
        history.close()
    assert window_file.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--to", "har"), "the history is empty"),
        (("somewhere", "--to", "har"), "exports the history, not a collection"),
        (("--to", "go"), "needs a collection folder"),
    ],
)
def test_export_misuse_is_one_line(tmp_path, args, message):
    result = cli("export", *args, home=tmp_path / "empty-home")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "empty-home" / "history.sqlite3").exists()


def test_export_of_an_unreadable_history_is_one_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    result = cli("export", "--to", "har", home=home)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "cannot read the history" in result.stderr
    assert result.stderr.count("\n") == 1
