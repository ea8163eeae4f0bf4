"""The Sample API collection checks itself: run against a fresh practice server, every
assertion passes, the login's token is captured (secret) and used by the next request,
created ids are captured and reused, and the token never reaches the output or reports."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.collection import walk_requests
from explorer.core.model import Subject
from explorer.core.sample_collection import install_sample_collection, sample_collection

from .sample_driver import run_chain

ROOT = Path(__file__).parents[3]


@pytest.fixture(scope="module")
def fresh_server() -> Iterator[str]:
    """A practice server of its own (the sample resets and changes the server's data)."""
    from werkzeug.serving import make_server

    from bundled_server import create_app

    server = make_server(
        "127.0.0.1", 0, create_app({"TESTING": True, "TIME_SCALE": 0.01}), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def openapi_text(fresh_server: str) -> str:
    import urllib.request

    with urllib.request.urlopen(f"{fresh_server}/openapi.json", timeout=10) as answer:
        return str(answer.read().decode())


@pytest.fixture
def sample(tmp_path: Path, openapi_text: str, fresh_server: str) -> Path:
    return install_sample_collection(openapi_text, fresh_server, tmp_path / "Sample API")


def test_the_main_requests_carry_checks_and_captures(openapi_text: str) -> None:
    collection = sample_collection(openapi_text, "http://127.0.0.1:1")
    requests = {
        (item.request.method, item.request.url.removeprefix("{{base_url}}")): item.request
        for _folder, item in walk_requests(collection)
    }
    login = requests["POST", "/auth/token"]
    [token] = login.captures
    assert (token.variable, token.argument, token.secret) == ("token", "$.access_token", True)
    assert requests["GET", "/auth/me"].auth.token == "{{token}}"
    assert [c.variable for c in requests["POST", "/api/items"].captures] == ["item_id", "item_name"]
    for method in ("PUT", "PATCH", "DELETE"):
        [param] = requests[method, "/api/items/:item_id"].path_params
        assert param.value == "{{item_id}}"
    every = [a for request in requests.values() for a in request.assertions]
    assert sum(a.subject is Subject.OPENAPI for a in every) == len(requests)
    assert {a.subject for a in every} >= {
        Subject.STATUS, Subject.JSONPATH, Subject.JMESPATH, Subject.XPATH, Subject.HEADER,
        Subject.OPENAPI,
    }  # fmt: skip


def test_the_sample_runs_green_and_chains(sample: Path) -> None:
    assert (sample / "openapi.json").is_file()
    run = run_chain(sample, "Sample server")
    assert run.failures == []
    assert len(run.results) > 200
    captured = {value.variable: value for _name, value in run.captured}
    assert captured["token"].value and captured["token"].secret
    assert captured["item_id"].value and int(captured["item_id"].value) > 0
    statuses = dict(run.statuses)
    assert statuses["Who am I (token)"] == 200


def test_run_from_the_command_line_passes_without_showing_the_token(
    sample: Path, tmp_path: Path
) -> None:
    # The server has already been run against above: the collection resets it first
    # and deletes what it creates, so it passes again and again.
    junit = tmp_path / "report.xml"
    env = dict(os.environ, API_EXPLORER_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(sample), "--env", "Sample server",
         "--reporter", f"junit:{junit}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " 0 failed" in done.stdout
    report = junit.read_text()
    tree = ET.fromstring(report)
    failures = tree.findall(".//failure") + tree.findall(".//error")
    assert failures == []
    # The token the server issued (its signed payload starts with {"sub":"ada") is
    # nowhere in what the run printed or wrote.
    for text in (done.stdout, done.stderr, report):
        assert "eyJzdWIiOiJhZGEi" not in text


def test_the_mistakes_are_sent_the_way_their_mistake_shows(openapi_text: str) -> None:
    # The Sample API's "common mistakes" show their mistake when sent as they are: the
    # 304 is asked for with the ETag, the negotiation with a real Accept, the open
    # redirect is shown and not followed off this machine, and each expects its status.
    collection = sample_collection(openapi_text, "http://127.0.0.1:1")
    requests = {
        (item.request.method, item.request.url.removeprefix("{{base_url}}")): item.request
        for _folder, item in walk_requests(collection)
    }
    conditional = requests["GET", "/mistakes/not-modified-without-etag"]
    assert [(h.name, h.value, h.enabled) for h in conditional.headers] == [
        ("If-None-Match", '"mistake-v1"', True)
    ]
    negotiated = requests["GET", "/mistakes/vary-missing"]
    assert [h.value for h in negotiated.headers if h.name == "Accept"] == [
        "application/xml, application/json;q=0.5"
    ]
    assert requests["GET", "/mistakes/redirect-to"].options.follow_redirects is False
    statuses = {
        path: [a.expected for a in request.assertions if a.subject is Subject.STATUS]
        for (_method, path), request in requests.items()
        if path.startswith("/mistakes/")
    }
    assert statuses["/mistakes/not-modified-without-etag"] == ["304"]
    assert statuses["/mistakes/rate-limited"] == ["429"]
    assert statuses["/mistakes/method-not-allowed"] == ["405"]
