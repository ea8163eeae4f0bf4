"""`python -m explorer run` with a WebSocket request against the practice server's
/ws/echo: the saved messages go out, the echoes are collected, the assertions read them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import (
    Assertion,
    MessageKind,
    Operator,
    Request,
    SavedMessage,
    Stream,
    Subject,
)
from explorer.core.storage.collection_files import CollectionStore

ROOT = Path(__file__).resolve().parents[2]


def test_run_connects_sends_collects_and_checks(tmp_path, live_server):
    stream = Stream(
        messages=(
            SavedMessage("hello", MessageKind.TEXT, "hello {{who}}"),
            SavedMessage("order", MessageKind.JSON, '{"n": 2}'),
        ),
        collect_messages=2,
        collect_seconds=5,
    )
    request = Request(
        name="echo",
        method="WS",
        url=live_server.replace("http://", "ws://") + "/ws/echo",
        stream=stream,
        assertions=(
            Assertion(Subject.STATUS, Operator.EQ, "101"),
            Assertion(Subject.JSONPATH, Operator.EQ, '"hello ada"', "$[2].data"),
            Assertion(Subject.JSONPATH, Operator.EQ, "2", "$[3].json.n"),
            Assertion(Subject.JSONPATH, Operator.EQ, "3", "$[3].json.n"),  # fails on purpose
        ),
    )
    folder = tmp_path / "ws"
    CollectionStore(folder).save(Collection(name="WS", items=(RequestItem(request),)))
    env = dict(os.environ, API_EXPLORER_HOME=str(tmp_path / "home"))
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(folder), "--var", "who=ada", "--explain"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("FAIL  101 WS ws://") and lines[0].endswith("[echo]"), lines
    assert any("$[3].json.n" in line for line in lines[1:-1]), lines
    assert lines[-2] == "0 passed, 1 failed (3 of 4 assertions passed)", lines
    # The messages a run keeps as the 101's body were never an HTTP body to judge.
    assert lines[-1] == "findings: 0 errors, 0 warnings, 0 info", lines
