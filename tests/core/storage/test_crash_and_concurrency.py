"""SIGKILL in the middle of autosaving drafts, and two processes saving one collection."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explorer.core.collection import Collection
from explorer.core.storage.collection_files import load_collection, save_collection
from explorer.core.storage.session import load_session

WORKERS = Path(__file__).with_name("concurrency_workers.py")
ROOT = Path(__file__).resolve().parents[3]


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKERS), *args],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def processes():
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        if process.stdout:
            process.stdout.close()


def test_drafts_survive_sigkill_at_random_moments(tmp_path, processes):
    path = tmp_path / "session.json"
    rng = random.Random(6)
    seen_counters = set()
    for _ in range(8):
        child = _start("drafts", str(path))
        processes.append(child)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        session = load_session(path)  # must always parse
        counter = session.active_tab
        assert len(session.tabs) == counter % 5 + 1
        assert session.tabs[0].request.body.text == f"typed {counter}\n" * (counter % 300)
        seen_counters.add(counter)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "session.json"]
    assert leftovers == []  # load_session removed temp files of the killed writers
    assert len(seen_counters) > 1


def test_two_processes_saving_one_collection_leave_valid_files(tmp_path, processes):
    save_collection(Collection(name="start"), tmp_path)
    for name in ("alpha", "beta"):
        processes.append(_start("collection", str(tmp_path), name, "25"))
    for child in processes:
        out, _ = child.communicate(timeout=60)
        assert child.returncode == 0, out
    result = load_collection(tmp_path)
    assert result.problems == ()
    assert result.collection.name in ("by alpha", "by beta")
    assert [i.name for i in result.collection.items] == [f"req {i}" for i in range(8)]
    writer = result.collection.name.removeprefix("by ")
    assert {i.request.url for i in result.collection.items} == {f"http://{writer}/24"}
    assert not [p for p in tmp_path.rglob(".*tmp-*")]
