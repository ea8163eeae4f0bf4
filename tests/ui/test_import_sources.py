"""One way to read an import source: the command line and the window's import dialog
read the same bytes into the same requests (a BOM, a download, a file reference of an
.http file), and refuse the same input with the same one-line message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from explorer.core.collection import walk_requests
from explorer.ui.dialogs.import_dialog import ImportDialog

ROOT = Path(__file__).resolve().parents[2]
BOM = "\ufeff"
HTTP_FILE = (
    "### Create\n"
    "POST https://api.example.com/items\n"
    "Content-Type: application/json\n"
    "\n"
    "< ./body.json\n"
    "\n"
    "### List\n"
    "GET https://api.example.com/items?page=2\n"
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A real HTTP server on 127.0.0.1 serving the folder it yields, and its base URL."""
    folder = tmp_path / "served"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def cli_import(source: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "explorer", "import", source, "--json"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def cli_requests(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str, str, object]]:
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return [(r["method"], r["url"], r["body"]["kind"], r["body"]["content"]) for r in rows]


def dialog_requests(qtbot, dialog: ImportDialog) -> list[tuple[str, str, str, object]]:
    from explorer.core.urls import join_url

    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    dialog.import_button.click()
    result = dialog.result()
    assert result is not None
    rows = []
    for _folder, item in walk_requests(result.collection):
        request = item.request
        body = request.body
        content = body.file if body.kind.value == "binary" else body.text
        rows.append((request.method, join_url(request.url, request.params), body.kind.value,
                     content))  # fmt: skip
    return rows


@pytest.fixture
def dialog(qtbot) -> Iterator[ImportDialog]:
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    assert dialog.finish_work(5000)


def test_a_downloaded_http_file_gives_the_same_requests_on_both_sides(
    qtbot, dialog, served, tmp_path
):
    folder, base = served
    (folder / "requests.http").write_text(BOM + HTTP_FILE, encoding="utf-8")
    url = f"{base}/requests.http"
    on_the_command_line = cli_requests(cli_import(url, tmp_path))
    dialog.fetch_url(url)
    in_the_window = dialog_requests(qtbot, dialog)
    assert on_the_command_line == in_the_window
    # A download has no folder: `< ./body.json` stays as written. The command line took
    # the URL for a path and made it "http:/127.0.0.1:…/body.json".
    assert on_the_command_line[0][2:] == ("binary", "./body.json")
    assert len(on_the_command_line) == 2


@pytest.mark.parametrize("bom", ["", BOM])
def test_a_file_gives_the_same_requests_on_both_sides(qtbot, dialog, tmp_path, bom):
    source = tmp_path / "requests.http"
    source.write_text(bom + HTTP_FILE, encoding="utf-8")
    on_the_command_line = cli_requests(cli_import(str(source), tmp_path))
    dialog.set_file(source)
    assert on_the_command_line == dialog_requests(qtbot, dialog)
    assert on_the_command_line[0][2:] == ("binary", str(tmp_path / "body.json"))


def test_standard_input_and_pasted_text_read_a_bom_alike(qtbot, dialog, tmp_path):
    command = "curl -X PUT https://h.example/items/7 -H 'Accept: text/plain'"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "import", "-", "--json"],
        cwd=tmp_path, env=env, capture_output=True, timeout=60,
        input=(BOM + command).encode("utf-8"),
    )  # fmt: skip
    on_the_command_line = cli_requests(
        subprocess.CompletedProcess(result.args, result.returncode,
                                    result.stdout.decode(), result.stderr.decode())
    )  # fmt: skip
    dialog.set_text(BOM + command)
    assert on_the_command_line == dialog_requests(qtbot, dialog)
    assert on_the_command_line[0][:2] == ("PUT", "https://h.example/items/7")


def test_utf16_is_refused_alike_with_one_line(qtbot, dialog, tmp_path):
    source = tmp_path / "wide.http"
    source.write_bytes(HTTP_FILE.encode("utf-16"))  # with its BOM
    result = cli_import(str(source), tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"error: {source}: This is not UTF-8 text (byte 0)\n"
    dialog.set_file(source)
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=10_000)
    assert dialog.error_label.text() == f"{source}: This is not UTF-8 text — at byte 0"
    assert not dialog.import_button.isEnabled()
