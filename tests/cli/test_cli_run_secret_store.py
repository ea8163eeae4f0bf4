"""`run` with a secret store it cannot read: one line and a non-zero exit, never a
traceback, and nothing sent with the secret variables empty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.model import Request
from explorer.core.storage.collection_files import save_collection

ROOT = Path(__file__).resolve().parents[2]


def test_an_unreadable_secret_store_is_one_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "secrets.json").write_text("{not json")
    folder = tmp_path / "api"
    request = Request(name="one", url="http://127.0.0.1:9/?key={{token}}")
    variables = (Variable("token", "", secret=True),)
    save_collection(Collection("Api", variables=variables, items=(RequestItem(request),)), folder)
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(folder)],
        cwd=ROOT,
        env=dict(os.environ, API_EXPLORER_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the secret store cannot be read")
    assert result.stdout == ""  # nothing was sent
