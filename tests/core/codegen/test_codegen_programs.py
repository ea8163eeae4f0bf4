"""A whole collection is ONE program per language that runs and sends every request in
order; HTTPie commands run without a terminal; PowerShell sends any method.

Before: `export --to fetch` pasted one script per request after another (`readFile`
declared twice: a SyntaxError), `--to python` stopped after the first request (its
`sys.exit`), Go had one `main` per request, HTTPie read the body from a standard input
that was not a terminal, and PowerShell passed PURGE to `-Method`, which refuses it.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.application.codegen import collection_code
from explorer.core.codegen import generate
from explorer.core.collection import Collection, Folder, RequestItem, Variable
from explorer.core.model import Body, BodyKind, Pair, Part, Request
from explorer.core.resolve.variables import Scope
from tests.support import peer_tools
from tests.support.recording_server import RecordingServer


@pytest.fixture(scope="module")
def server():
    with RecordingServer() as running:
        yield running


def _collection(upload: Path) -> Collection:
    """Three requests, one in a folder, each using a file and a secret: what made the
    pasted scripts collide (the same helper or variable declared twice)."""
    return Collection(
        "Shop",
        variables=(Variable("base", "http://placeholder"), Variable("token", "", secret=True)),
        items=(
            RequestItem(
                Request(
                    name="upload",
                    method="POST",
                    url="{{base}}/one",
                    body=Body(BodyKind.BINARY, file=str(upload), content_type="text/plain"),
                    headers=(Pair("X-Token", "{{token}}"),),
                )
            ),
            Folder(
                "items",
                items=(
                    RequestItem(
                        Request(
                            name="attach",
                            method="PUT",
                            url="{{base}}/two",
                            params=(Pair("q", "a b"),),
                            body=Body(BodyKind.MULTIPART, parts=(Part("f", file=str(upload)),)),
                            headers=(Pair("X-Token", "{{token}}"),),
                        )
                    ),
                ),
            ),
            RequestItem(
                Request(
                    name="purge",
                    method="PURGE",
                    url="{{base}}/three",
                    headers=(Pair("X-Token", "{{token}}"),),
                )
            ),
        ),
    )


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "TOKEN": "from-env", **extra}


COMMANDS = {
    "python": ([sys.executable], "py", True),
    "fetch": ([str(peer_tools.NODE)], "js", peer_tools.NODE),
    "go": ([str(peer_tools.GO), "run"], "go", peer_tools.GO),
    "curl": (["bash"], "sh", peer_tools.CURL),
    "httpie": (["bash"], "sh", peer_tools.HTTPIE.exists()),
}


@pytest.mark.parametrize("target", COMMANDS)
def test_a_collection_is_one_program_sending_every_request_in_order(target, server, tmp_path):
    command, suffix, present = COMMANDS[target]
    if not present:
        pytest.skip(f"{target}'s tool is not installed (make test installs it)")
    upload = tmp_path / "note.txt"
    upload.write_text("note ✓\n", encoding="utf-8")
    collection = _collection(upload)
    scopes = [
        Scope.from_variables("collection", collection.variables),
        Scope("run", {"base": server.url}),
    ]
    code = collection_code(target, collection, scopes)
    assert "from-env" not in code
    program = tmp_path / f"shop.{suffix}"
    program.write_text(code, encoding="utf-8")
    server.take()
    path = f"{peer_tools.HTTPIE.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    result = subprocess.run(
        [*command, str(program)], capture_output=True, cwd=tmp_path, timeout=180,
        env=_env(PATH=path), stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    arrived = server.take()
    assert [(r.method, r.path) for r in arrived] == [
        ("POST", "/one"),
        ("PUT", "/two"),
        ("PURGE", "/three"),
    ]
    assert [r.header_text("x-token") for r in arrived] == ["from-env"] * 3
    assert arrived[0].body == upload.read_bytes()
    assert arrived[1].multipart_parts()[0]["data"] == upload.read_bytes()
    # Each request is titled with its folder path in the program.
    assert "items/attach" in code


@peer_tools.needs_httpie
def test_httpie_commands_run_without_a_terminal(server, tmp_path):
    # Run from a script, cron or CI, standard input is a pipe: HTTPie reads its body
    # from there unless told --ignore-stdin, and refuses key=value items beside it.
    requests = [
        Request(method="POST", url=f"{server.url}/form", body=Body(
            BodyKind.FORM, form=(Pair("a", "1"),))),
        Request(method="POST", url=f"{server.url}/raw", body=Body(
            BodyKind.RAW, text="hello", content_type="text/plain")),
    ]  # fmt: skip
    server.take()
    for request in requests:
        command = generate("httpie", request).replace("http ", f"{peer_tools.HTTPIE} ", 1)
        result = subprocess.run(["bash", "-c", command], capture_output=True, input=b"", timeout=60)
        assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert [r.body for r in server.take()] == [b"a=1", b"hello"]


def test_powershell_sends_a_method_outside_its_list_with_custom_method():
    # Invoke-RestMethod's -Method takes only its WebRequestMethod names; -CustomMethod
    # takes any. (PowerShell is not installed here: the script is checked as text.)
    purge = generate("powershell", Request(method="PURGE", url="https://x.io/a"))
    assert "    CustomMethod = 'PURGE'" in purge
    assert "    Method = 'PURGE'" not in purge
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"):
        code = generate("powershell", Request(method=method, url="https://x.io/a"))
        assert f"    Method = '{method}'" in code
        assert "CustomMethod" not in code
    for method in ("PROPFIND", "QUERY", "get"):
        code = generate("powershell", Request(method=method, url="https://x.io/a"))
        assert f"    CustomMethod = '{method}'" in code


def test_a_powershell_collection_is_one_script_with_a_block_per_request():
    from explorer.core.codegen import generate_all

    requests = [
        ("a", Request(method="GET", url="https://x.io/a")),
        ("f/b", Request(method="PURGE", url="https://x.io/b", params=(Pair("pretty"),))),
    ]
    code = generate_all("powershell", requests)
    assert code.count("Generated by API Explorer") == 1
    assert code.count("Invoke-RestMethod @parameters") == 2
    assert "\n# f/b\n# PURGE https://x.io/b\n" in code
    assert "$uri += '?' + 'pretty'\n" in code  # value-less, as the app sends it


def test_python_script_fails_clearly_without_its_secret(server, tmp_path):
    request = Request(url=f"{server.url}/echo", headers=(Pair("X-Token", "{{api_token}}"),))
    path = tmp_path / "script.py"
    path.write_text(generate("python", request, frozenset({"api_token"})), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "API_TOKEN"}
    result = subprocess.run([sys.executable, str(path)], capture_output=True, env=env, timeout=30)
    assert result.returncode != 0
    assert b"API_TOKEN" in result.stderr


@peer_tools.needs_node
def test_export_to_fetch_on_the_command_line_writes_a_script_node_runs(server, tmp_path):
    # The issue's own case: `export DIR --to fetch` of a whole collection.
    from explorer.core.storage.collection_files import CollectionStore

    upload = tmp_path / "note.txt"
    upload.write_text("note\n", encoding="utf-8")
    collection = _collection(upload)
    collection = dataclasses.replace(
        collection, variables=(Variable("base", server.url), Variable("token", "", secret=True))
    )
    CollectionStore(tmp_path / "shop").save(collection)
    script = tmp_path / "shop.js"
    exported = subprocess.run(
        [sys.executable, "-m", "explorer", "export", str(tmp_path / "shop"), "--to", "fetch",
         "--out", str(script)],
        capture_output=True, text=True, timeout=60,
        env=dict(os.environ, API_EXPLORER_HOME=str(tmp_path / "home")),
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    server.take()
    ran = subprocess.run(
        [str(peer_tools.NODE), str(script)], capture_output=True, timeout=60, env=_env()
    )
    assert ran.returncode == 0, ran.stderr.decode(errors="replace")
    assert [(r.method, r.path) for r in server.take()] == [
        ("POST", "/one"),
        ("PUT", "/two"),
        ("PURGE", "/three"),
    ]


def test_a_powershell_form_writes_a_space_as_plus_as_the_app_sends_it():
    body = Body(BodyKind.FORM, form=(Pair("a b", "c d"),))
    code = generate("powershell", Request(method="POST", url="https://x.io/", body=body))
    assert (
        "Body = [uri]::EscapeDataString('a b').Replace('%20', '+') + '=' + "
        "[uri]::EscapeDataString('c d').Replace('%20', '+')"
    ) in code
