"""`python -m explorer run` on a collection whose variables would expand forever: it
ends promptly and names the variable at fault on a warning line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.model import Request
from explorer.core.storage.collection_files import CollectionStore

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_run_with_a_fan_out_and_a_cycle_warns_and_ends(tmp_path):
    variables = [Variable(f"v{i}", f"{{{{v{i + 1}}}}}" * 8) for i in range(15)]
    variables += [Variable("v15", "0123456789"), Variable("a", "{{b}}"), Variable("b", "{{a}}")]
    folder = tmp_path / "bomb"
    CollectionStore(folder).save(
        Collection(
            name="Bomb",
            variables=tuple(variables),
            items=(
                RequestItem(Request(name="fan", url="http://127.0.0.1:9/{{v0}}")),
                RequestItem(Request(name="loop", url="http://127.0.0.1:9/{{a}}")),
            ),
        )
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "run", str(folder), "--timeout", "2"],
        cwd=ROOT, env=dict(os.environ, API_EXPLORER_HOME=str(tmp_path / "home")),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    assert seconds < 60, seconds
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert any("expands to more than 1 MiB [fan]" in line for line in warnings), done.stderr
    assert "warning: {{a}} refers to itself: a → b → a [loop]" in warnings, done.stderr
    assert "Traceback" not in done.stderr
    assert done.returncode == 1  # nothing listens on port 9
