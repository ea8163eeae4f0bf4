"""Generated code really runs: the Python script, the curl command and the Node script
send the same request as `requests` does directly, against a local echo server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from explorer.core.codegen import TARGETS
from explorer.core.model import (
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Options,
    Pair,
    Part,
    Request,
)

SECRET_NAMES = frozenset({"api_token", "password"})
# Header values stay ASCII: clients disagree on how to encode others (latin-1 vs UTF-8).
SECRETS = {"API_TOKEN": 'tok\'en "$HOME" `id` &x', "PASSWORD": "p@ss:w'rd"}
ODD = "quotes ' \" backslash \\ dollar $HOME backtick `id` newline\nand ünïcødé ✓ 🚀"


def _upload(tmp: Path) -> str:
    path = tmp / "upload file.txt"
    path.write_text("file content ✓\n", encoding="utf-8")
    return str(path)


# Each case: the request (given the server URL and a temp dir) and the same request
# written by hand with `requests`, which is what the generated code must reproduce.
Case = tuple[Callable[[str, Path], Request], Callable[[str, Path], dict]]

CASES: dict[str, Case] = {
    "get-with-query": (
        lambda base, tmp: Request(
            url=f"{base}/echo",
            params=(Pair("q", "a b&c"), Pair("q", "second"), Pair("off", "x", enabled=False)),
            headers=(Pair("X-Trace", "1"), Pair("X-Odd", 'it\'s "quoted" $x `y`')),
        ),
        lambda base, tmp: dict(
            method="GET",
            url=f"{base}/echo",
            params=[("q", "a b&c"), ("q", "second")],
            headers={"X-Trace": "1", "X-Odd": 'it\'s "quoted" $x `y`'},
        ),
    ),
    "json-body-with-odd-text": (
        lambda base, tmp: Request(
            method="POST",
            url=f"{base}/echo",
            body=Body(
                BodyKind.RAW, text=json.dumps({"text": ODD}), content_type="application/json"
            ),
        ),
        lambda base, tmp: dict(
            method="POST",
            url=f"{base}/echo",
            data=json.dumps({"text": ODD}).encode(),
            headers={"Content-Type": "application/json"},
        ),
    ),
    "raw-text-unicode": (
        lambda base, tmp: Request(
            method="PUT",
            url=f"{base}/echo",
            body=Body(BodyKind.RAW, text=ODD, content_type="text/plain; charset=utf-8"),
        ),
        lambda base, tmp: dict(
            method="PUT",
            url=f"{base}/echo",
            data=ODD.encode(),
            headers={"Content-Type": "text/plain; charset=utf-8"},
        ),
    ),
    "form": (
        lambda base, tmp: Request(
            method="POST",
            url=f"{base}/echo",
            body=Body(BodyKind.FORM, form=(Pair("a", "1 2"), Pair("a", "x&y=z"), Pair("b", ODD))),
        ),
        lambda base, tmp: dict(
            method="POST",
            url=f"{base}/echo",
            data=[("a", "1 2"), ("a", "x&y=z"), ("b", ODD)],
        ),
    ),
    "multipart-with-file": (
        lambda base, tmp: Request(
            method="POST",
            url=f"{base}/echo",
            body=Body(
                BodyKind.MULTIPART,
                parts=(
                    Part("field", "value ü"),
                    Part("doc", file=_upload(tmp), content_type="text/plain"),
                ),
            ),
        ),
        lambda base, tmp: dict(
            method="POST",
            url=f"{base}/echo",
            files=[
                ("field", (None, "value ü")),
                ("doc", ("upload file.txt", Path(_upload(tmp)).read_bytes(), "text/plain")),
            ],
        ),
    ),
    "binary-file": (
        lambda base, tmp: Request(
            method="POST",
            url=f"{base}/echo",
            body=Body(BodyKind.BINARY, file=_upload(tmp), content_type="application/octet-stream"),
        ),
        lambda base, tmp: dict(
            method="POST",
            url=f"{base}/echo",
            data=Path(_upload(tmp)).read_bytes(),
            headers={"Content-Type": "application/octet-stream"},
        ),
    ),
    "secrets-from-environment": (
        lambda base, tmp: Request(
            url=f"{base}/echo",
            params=(Pair("key", "pre-{{api_token}}"),),
            headers=(Pair("X-Token", "Token {{api_token}}!"),),
            auth=Auth(AuthKind.BASIC, username="user 1", password="{{password}}"),
        ),
        lambda base, tmp: dict(
            method="GET",
            url=f"{base}/echo",
            params=[("key", "pre-" + SECRETS["API_TOKEN"])],
            headers={"X-Token": f"Token {SECRETS['API_TOKEN']}!"},
            auth=("user 1", SECRETS["PASSWORD"]),
        ),
    ),
    "bearer-and-api-key": (
        lambda base, tmp: Request(
            method="DELETE",
            url=f"{base}/echo/:id",
            path_params=(Pair("id", "42"),),
            auth=Auth(AuthKind.BEARER, token="{{api_token}}"),
            headers=(Pair("X-Api-Key", "plain"),),
        ),
        lambda base, tmp: dict(
            method="DELETE",
            url=f"{base}/echo/42",
            headers={"Authorization": "Bearer " + SECRETS["API_TOKEN"], "X-Api-Key": "plain"},
        ),
    ),
    "follow-redirect": (
        lambda base, tmp: Request(url=f"{base}/redirect", options=Options(follow_redirects=True)),
        lambda base, tmp: dict(method="GET", url=f"{base}/redirect"),
    ),
    "error-status": (
        lambda base, tmp: Request(method="PATCH", url=f"{base}/status/418"),
        lambda base, tmp: dict(method="PATCH", url=f"{base}/status/418"),
    ),
}


def _expected(case: Case, base: str, tmp: Path) -> tuple[int, dict]:
    response = requests.request(timeout=10, **case[1](base, tmp))
    return response.status_code, response.json()


def _run(command: list[str], tmp: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **SECRETS}
    return subprocess.run(command, capture_output=True, cwd=tmp, env=env, timeout=30)


@pytest.mark.parametrize("name", CASES)
def test_python_script_matches_requests(name: str, echo_url: str, tmp_path: Path) -> None:
    case = CASES[name]
    script = TARGETS["python"].generate(case[0](echo_url, tmp_path), SECRET_NAMES)
    for secret in SECRETS.values():
        assert secret not in script
    path = tmp_path / "script.py"
    path.write_text(script, encoding="utf-8")
    result = _run([sys.executable, str(path)], tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    status, body = _expected(case, echo_url, tmp_path)
    assert int(result.stderr.split()[0]) == status
    assert json.loads(result.stdout) == body


@pytest.mark.skipif(shutil.which("curl") is None, reason="the curl binary is not installed")
@pytest.mark.parametrize("name", CASES)
def test_curl_command_matches_requests(name: str, echo_url: str, tmp_path: Path) -> None:
    case = CASES[name]
    command = TARGETS["curl"].generate(case[0](echo_url, tmp_path), SECRET_NAMES)
    for secret in SECRETS.values():
        assert secret not in command
    result = _run(["bash", "-c", command.replace("curl ", "curl -sS ", 1)], tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    _, body = _expected(case, echo_url, tmp_path)
    assert json.loads(result.stdout) == body


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("name", CASES)
def test_fetch_script_matches_requests(name: str, echo_url: str, tmp_path: Path) -> None:
    case = CASES[name]
    script = TARGETS["fetch"].generate(case[0](echo_url, tmp_path), SECRET_NAMES)
    path = tmp_path / "script.js"
    path.write_text(script, encoding="utf-8")
    result = _run(["node", str(path)], tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    status, body = _expected(case, echo_url, tmp_path)
    assert int(result.stderr.split()[0]) == status
    assert json.loads(result.stdout) == body


def test_python_script_fails_clearly_without_its_secret(echo_url: str, tmp_path: Path) -> None:
    request = Request(url=f"{echo_url}/echo", headers=(Pair("X-Token", "{{api_token}}"),))
    path = tmp_path / "script.py"
    path.write_text(TARGETS["python"].generate(request, SECRET_NAMES), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "API_TOKEN"}
    result = subprocess.run([sys.executable, str(path)], capture_output=True, env=env, timeout=30)
    assert result.returncode != 0
    assert b"API_TOKEN" in result.stderr
