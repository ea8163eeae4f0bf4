"""Spooled response bodies never outlive their use: deleted when the response is dropped,
at exit, and after a crash at the next start; private while they exist."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Response as WsgiResponse

from explorer.core.collection import Collection, RequestItem
from explorer.core.http import spool
from explorer.core.http.transport import SPOOL_THRESHOLD, Transport
from explorer.core.model import Request
from explorer.core.storage.collection_files import CollectionStore

ROOT = Path(__file__).resolve().parents[2]
BIG = SPOOL_THRESHOLD + 1024 * 1024  # past the threshold: spooled to a file


@pytest.fixture
def big_server():
    """Serves BIG bytes at any path."""
    block = b"b" * (1024 * 1024)

    def app(environ, start_response):
        response = WsgiResponse((block for _ in range(BIG // len(block))), mimetype="text/plain")
        response.headers["Content-Length"] = str(BIG // len(block) * len(block))
        return response(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}/big"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """This process's temp directory and spool folder moved into tmp_path."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(spool, "_folder", None)
    return temp


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_a_spooled_body_is_private_and_goes_with_its_response(private_tmp, big_server):
    transport = Transport()
    try:
        response = transport.send(Request(url=big_server))
    finally:
        transport.close()
    path = response.body_path
    assert path is not None and path.stat().st_size == response.body_size
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    assert path.parent.parent == private_tmp / f"api-explorer-{os.getuid()}"
    kept = str(path)
    del response, path
    assert not os.path.exists(kept)


def cli_env(tmp_path: Path, temp: Path) -> dict[str, str]:
    return dict(os.environ, TMPDIR=str(temp), API_EXPLORER_HOME=str(tmp_path / "home"))


def test_run_of_a_large_response_leaves_no_file_in_the_temp_directory(tmp_path, big_server):
    folder = tmp_path / "big"
    CollectionStore(folder).save(
        Collection(name="Big", items=(RequestItem(Request(name="big", url=big_server)),))
    )
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(folder)],
        cwd=ROOT, env=cli_env(tmp_path, temp), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "17.0 MB" in result.stdout  # it really was large enough to be spooled
    assert files_in(temp) == []


def test_a_killed_process_spool_is_removed_at_the_next_start(tmp_path, live_server):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = cli_env(tmp_path, temp)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from explorer.core.http import spool\n"
         "handle, path = spool.create()\n"
         "handle.write(b'secret body'); handle.close()\n"
         "print(path, flush=True)\n"
         "time.sleep(60)\n"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        left = Path(holder.stdout.readline().strip())
        assert left.is_file()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        holder.stdout.close()
    assert left.is_file()  # SIGKILL ran no clean-up
    folder = tmp_path / "next"
    CollectionStore(folder).save(
        Collection(name="N", items=(RequestItem(Request(name="h", url=f"{live_server}/health")),))
    )
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(folder)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not left.parent.exists()
    assert files_in(temp) == []


def test_folders_of_live_processes_are_kept(private_tmp):
    mine = spool.process_folder()
    (mine / "response-x.body").write_bytes(b"in use")
    assert spool.remove_stale() == []
    assert (mine / "response-x.body").exists()


def test_a_spool_root_that_is_not_ours_is_never_swept(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    victim = elsewhere / "999999999-important"
    victim.mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    assert spool.remove_stale(link) == []
    assert victim.exists()


def test_the_window_start_removes_a_dead_run_spool(tmp_path):
    temp = tmp_path / "tmp"
    stale = temp / f"api-explorer-{os.getuid()}" / "999999999-crashed"  # past any pid_max
    stale.mkdir(parents=True)
    (stale / "response-x.body").write_bytes(b"left by a crash")
    code = (
        "import time\n"
        "from explorer.gui import start\n"
        "app, window, _ = start([])\n"
        "time.sleep(1)\n"  # the sweep runs on a background thread
    )
    env = dict(cli_env(tmp_path, temp), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
