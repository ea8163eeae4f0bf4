"""Fixtures for the practice server: a fresh app per test, and real subprocesses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bundled_server import create_app

REPO = Path(__file__).resolve().parents[2]
PROBLEM = "application/problem+json"


@pytest.fixture
def app() -> Flask:
    """A new app with its own in-memory data (tests never share state)."""
    return create_app({"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Flask's test client for ``app`` (Host: localhost)."""
    return app.test_client()


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with ``status``; return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    for member in ("type", "title", "status", "detail"):
        assert member in body
    assert body["status"] == status
    assert "Traceback" not in response.get_data(as_text=True)
    return body


@dataclass
class ServerProcess:
    """A running ``python -m bundled_server`` child and its announced URL."""

    process: subprocess.Popen
    url: str
    started: float


def _start(args: list[str], stdin=subprocess.PIPE) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "bundled_server", *args],
        cwd=REPO,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def read_ready_line(process: subprocess.Popen, timeout: float = 10) -> str:
    """The first stdout line, waited for with a deadline (never hangs the suite)."""
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        if not selector.select(timeout):
            raise AssertionError("the server printed no ready line in time")
    finally:
        selector.close()
    return process.stdout.readline().decode()


def stop(process: subprocess.Popen) -> None:
    """Terminate, wait, kill: no child outlives its test."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream:
            stream.close()


@pytest.fixture
def spawn() -> Iterator[Callable[..., subprocess.Popen]]:
    """Start ``python -m bundled_server`` with arguments; every child is stopped at teardown."""
    started: list[subprocess.Popen] = []

    def start(*args: str, stdin=subprocess.PIPE) -> subprocess.Popen:
        process = _start(list(args), stdin=stdin)
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process)


@pytest.fixture
def server(spawn) -> ServerProcess:
    """A running server on a free port."""
    began = time.monotonic()
    process = spawn("--port", "0")
    line = read_ready_line(process)
    return ServerProcess(process, json.loads(line)["url"], began)
