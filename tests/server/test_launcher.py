"""``python -m bundled_server`` as a real child process (the app's ServerController contract)."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from .conftest import REPO, read_ready_line

pytestmark = pytest.mark.e2e


def _get(url: str, timeout: float = 2.0) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_ready_line_and_health_within_two_seconds(server):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
    status, _headers, body = _get(server.url + "/health")
    assert status == 200
    assert json.loads(body)["status"] == "ok"
    assert time.monotonic() - server.started < 2.0


def test_ready_line_is_exact_json(spawn):
    process = spawn("--host", "127.0.0.1", "--port", "0")
    line = read_ready_line(process)
    assert line.endswith("\n")
    data = json.loads(line)
    assert list(data) == ["event", "url"] and data["event"] == "ready"
    assert line == json.dumps(data) + "\n"


def test_requests_are_logged_on_stderr_not_stdout(server):
    _get(server.url + "/api/todos")
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=5)
    assert server.process.stdout.read() == b""
    assert b'"GET /api/todos HTTP/1.1" 200' in server.process.stderr.read()


def test_sigterm_exits_cleanly(server):
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=5) == 0


def test_sigint_exits_cleanly(server):
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(timeout=5) == 0
    assert b"Traceback" not in server.process.stderr.read()


def test_stdin_close_stops_the_server(server):
    server.process.stdin.close()
    assert server.process.wait(timeout=5) == 0
    with pytest.raises(OSError):  # noqa: PT011 - refused or reset: any OSError shows it stopped
        urllib.request.urlopen(server.url + "/health", timeout=1)


def test_stdin_devnull_keeps_running(spawn):
    process = spawn("--port", "0", stdin=subprocess.DEVNULL)
    url = json.loads(read_ready_line(process))["url"]
    time.sleep(0.5)
    assert process.poll() is None
    assert _get(url + "/health")[0] == 200


def test_port_taken_is_one_clear_line(spawn):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = spawn("--port", str(port))
        assert process.wait(timeout=10) != 0
        stderr = process.stderr.read().decode()
    assert stderr == f"error: port {port} on 127.0.0.1 is already in use\n"
    assert process.stdout.read() == b""


def test_forged_host_refused_and_slow_stream_does_not_block(server):
    request = urllib.request.Request(server.url + "/health", headers={"Host": "evil.example"})
    status, headers, _body = _get_request(request)
    assert status == 400 and headers["Content-Type"] == "application/problem+json"
    # A slow drip holds one thread; the threaded server still answers others at once.
    slow = urllib.request.urlopen(server.url + "/drip?numbytes=5&duration=3", timeout=10)
    started = time.monotonic()
    assert _get(server.url + "/health")[0] == 200
    assert time.monotonic() - started < 1.0
    slow.close()


def _get_request(request: urllib.request.Request) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_upload_over_cap_is_413_over_the_wire(server):
    import requests

    response = requests.post(
        server.url + "/upload", files={"f": ("big.bin", b"x" * (33 * 1024 * 1024))}, timeout=30
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"] == "application/problem+json"


def test_flask_run_works():
    import os
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    flask = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "bundled_server", "run", "--port", str(port)],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 10
        status = None
        while time.monotonic() < deadline:
            try:
                status = _get(f"http://127.0.0.1:{port}/health")[0]
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
    finally:
        flask.terminate()
        flask.wait(timeout=5)
        flask.stdout.close()
        flask.stderr.close()
