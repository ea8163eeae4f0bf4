"""The Sample API collection (with its assertions and captures) exported as a Hurl file
runs green against a fresh practice server with `python -m explorer run FILE`: what the
exporter writes is Hurl that the importer and the runner read back with the same
meaning. What it cannot carry (OpenAPI checks, environments, secrets) is listed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from bundled_server import create_app
from explorer.core.hurl.exporter import hurl_export
from explorer.core.sample_collection import install_sample_collection
from explorer.core.storage.collection_files import load_collection

ROOT = Path(__file__).parents[2]


@pytest.fixture
def fresh_server() -> Iterator[str]:
    """A practice server of its own (the sample changes the server's data)."""
    server = make_server(
        "127.0.0.1", 0, create_app({"TESTING": True, "TIME_SCALE": 0.01}), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(5)


def test_the_sample_collection_as_hurl_runs_green(fresh_server, tmp_path):
    with urllib.request.urlopen(fresh_server + "/openapi.json", timeout=30) as answer:
        document = answer.read().decode("utf-8")
    folder = install_sample_collection(document, fresh_server, tmp_path / "Sample API")
    collection = load_collection(folder).collection
    exported = hurl_export(collection)
    assert any("openapi" in loss for loss in exported.losses)
    assert any("Environments" in loss for loss in exported.losses)
    path = tmp_path / "sample.hurl"
    path.write_text(exported.text, encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(path), "--var", f"base_url={fresh_server}"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=dict(os.environ, API_EXPLORER_HOME=str(tmp_path / "home")),
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    totals = done.stdout.strip().splitlines()[-1]
    assert " 0 failed " in totals
    passed = int(totals.split(" of ")[0].rsplit("(", 1)[1])
    assert passed >= 50, totals  # the sample's checks made it across, not just statuses
