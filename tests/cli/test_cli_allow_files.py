"""`run` and local files: a collection's relative file paths are taken inside its folder,
and a file outside it is uploaded only with `--allow-files`. A real process, real files
and a real HTTP server on 127.0.0.1 that records what arrives."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Body, BodyKind, Part, Request
from explorer.core.storage.collection_files import save_collection

ROOT = Path(__file__).resolve().parents[2]


class _Recorder(BaseHTTPRequestHandler):
    bodies: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        type(self).bodies.append(self.rfile.read(length))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[bytes]]]:
    """(base URL, the bodies that arrived) of a recording server in a thread."""
    handler = type("Recorder", (_Recorder,), {"bodies": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.bodies
    server.shutdown()
    server.server_close()
    thread.join(5)


def cli(*args: str, home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, API_EXPLORER_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def make_collection(folder: Path, *requests: Request) -> Path:
    save_collection(Collection("Files", items=tuple(RequestItem(r) for r in requests)), folder)
    return folder


def test_a_file_outside_the_collection_is_not_sent_without_allow_files(tmp_path, recorder):
    url, bodies = recorder
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_bytes(b"top secret outside")
    folder = make_collection(
        tmp_path / "imported",
        Request("POST", f"{url}/up", name="upload", body=Body(BodyKind.BINARY, file=str(secret))),
    )
    result = cli("run", str(folder), home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    fail_lines = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert len(fail_lines) == 1
    assert str(secret) in fail_lines[0] and "--allow-files" in fail_lines[0]
    assert "Traceback" not in result.stderr
    assert bodies == []  # nothing reached the server

    allowed = cli("run", str(folder), "--allow-files", home=tmp_path / "home", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert bodies == [b"top secret outside"]


def test_a_multipart_part_through_a_symlink_leaving_the_folder_is_refused(tmp_path, recorder):
    url, bodies = recorder
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "key.pem").write_text("PRIVATE KEY")
    request = Request(
        "POST",
        f"{url}/form",
        name="form",
        body=Body(BodyKind.MULTIPART, parts=(Part("f", file="certs/key.pem"),)),
    )
    folder = make_collection(tmp_path / "cloned", request)
    os.symlink(outside, folder / "certs")
    result = cli("run", str(folder), home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert str((outside / "key.pem").resolve()) in result.stdout
    assert bodies == []


def test_relative_paths_are_taken_inside_the_collection_folder_not_the_cwd(tmp_path, recorder):
    url, bodies = recorder
    folder = tmp_path / "api"
    (folder / "data").mkdir(parents=True)
    payload = os.urandom(2048)
    (folder / "data" / "pay.bin").write_bytes(payload)
    make_collection(
        folder,
        Request("POST", f"{url}/up", name="up", body=Body(BodyKind.BINARY, file="data/pay.bin")),
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cli("run", str(folder), home=tmp_path / "home", cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [hashlib.sha256(b).hexdigest() for b in bodies] == [hashlib.sha256(payload).hexdigest()]


def test_an_unreadable_request_file_is_one_warning_and_the_run_goes_on(tmp_path, recorder, capsys):
    from explorer.cli import main
    from tests.support.unreadable import make_unreadable, permissions_enforced

    url, bodies = recorder
    folder = make_collection(
        tmp_path / "api",
        Request("POST", f"{url}/one", name="one"),
        Request("POST", f"{url}/locked", name="locked"),
        Request("POST", f"{url}/two", name="two"),
    )
    make_unreadable(folder / "locked.yaml")
    # In this process, so that the file is unreadable to the code under test even as root.
    with permissions_enforced():
        status = main(["run", str(folder)])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    assert len(bodies) == 2
    [warning] = err.splitlines()
    assert warning.startswith("warning: skipped ") and str(folder / "locked.yaml") in warning
    assert "cannot be read (Permission denied)" in warning
    assert out.splitlines()[-1] == "2 passed, 0 failed"
