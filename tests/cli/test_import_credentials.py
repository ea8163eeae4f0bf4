"""`import` moves the credentials of a curl command into the secret store; `run` sends
them all the same. Real processes, a real socket on 127.0.0.1, files searched byte by byte."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "ada", "Zq9-pw!sec"
TOKEN = "ck-77c1e0aa9b"


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, API_EXPLORER_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A server on 127.0.0.1 that answers 200 and keeps the headers of every request."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(dict(self.headers.items()))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()
    thread.join(5)


def forms(secret: str) -> set[bytes]:
    """Raw, percent-encoded, form-encoded and base64 (alone and as user:secret)."""
    texts = {secret, quote(secret, safe=""), quote_plus(secret)}
    found = {t.encode() for t in texts}
    found |= {base64.b64encode(t.encode()) for t in (secret, f"{USER}:{secret}")}
    return found


def files_holding(folder: Path, secret: str) -> list[str]:
    return [
        str(path)
        for path in folder.rglob("*")
        if path.is_file() and any(form in path.read_bytes() for form in forms(secret))
    ]


def test_curl_credentials_leave_the_files_and_still_reach_the_server(tmp_path, recorder):
    url, seen = recorder
    home, folder = tmp_path / "home", tmp_path / "imported"
    command = tmp_path / "request.sh"
    command.write_text(f"curl -u {USER}:{PASSWORD} -H 'Cookie: sid={TOKEN}' {url}/private\n")

    imported = cli("import", str(command), "--into", str(folder), home=home)
    assert imported.returncode == 0, imported.stderr
    assert "moved 2 credentials to secret variables: {{cookie}}, {{basic_password}}" in (
        imported.stderr
    )
    assert files_holding(folder, PASSWORD) == []
    assert files_holding(folder, TOKEN) == []
    assert PASSWORD not in imported.stdout + imported.stderr

    ran = cli("run", str(folder), home=home)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert len(seen) == 1
    expected = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert seen[0]["Authorization"] == f"Basic {expected}"
    assert seen[0]["Cookie"] == f"sid={TOKEN}"


def test_the_import_listing_shows_the_files_not_the_credential(tmp_path):
    command = tmp_path / "request.sh"
    command.write_text(f"curl http://{USER}:{TOKEN}@127.0.0.1:9/x\n")
    imported = cli("import", str(command), "--into", str(tmp_path / "c"), home=tmp_path / "h")
    assert imported.returncode == 0, imported.stderr
    assert TOKEN not in imported.stdout + imported.stderr
    # curl sends a URL's user-info as Basic auth, and so does the import (#14): the URL
    # listed is bare and the password went to the secret store with the other auth.
    assert "GET     http://127.0.0.1:9/x" in imported.stdout
    assert "{{basic_password}}" in imported.stderr
    assert files_holding(tmp_path / "c", TOKEN) == []


def test_an_api_key_given_as_the_basic_user_name_leaves_the_files(tmp_path, recorder):
    # Found on real Stripe docs lines: `curl -u sk_test_…:` puts the key in the user name
    # with no password; it stayed in the collection file and every export.
    url, seen = recorder
    key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
    command = tmp_path / "stripe.sh"
    command.write_text(f"curl {url}/v1/charges -u {key}:\n")
    folder, home = tmp_path / "stripe", tmp_path / "home"
    imported = cli("import", str(command), "--into", str(folder), home=home)
    assert imported.returncode == 0, imported.stderr
    assert "{{api_key}}" in imported.stderr
    assert files_holding(folder, key) == []
    exported = cli("export", str(folder), "--to", "postman", home=home)
    assert key not in exported.stdout and "{{api_key}}" in exported.stdout

    ran = cli("run", str(folder), home=home)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert seen[0]["Authorization"] == "Basic " + base64.b64encode(f"{key}:".encode()).decode()


def test_a_person_s_user_name_without_a_password_stays_a_user_name(tmp_path):
    command = tmp_path / "plain.sh"
    command.write_text("curl -u ada: http://127.0.0.1:9/x\n")
    folder = tmp_path / "c"
    imported = cli("import", str(command), "--into", str(folder), home=tmp_path / "h")
    assert imported.returncode == 0, imported.stderr
    assert "secret variables" not in imported.stderr
    assert any("ada" in path.read_text() for path in folder.rglob("*.yaml"))
