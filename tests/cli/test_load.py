"""`python -m explorer load` as whole processes, with Locust in its child processes,
against tests/support/counting_server (the standard library's server, not the
project's) which counts what it receives and answers after a known delay."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Assertion, Capture, Operator, Pair, Request, Subject
from explorer.core.storage.collection_files import CollectionStore
from tests.support.counting_server import Counter, counting_server

ROOT = Path(__file__).resolve().parents[2]
# Seconds the server waits before answering: long enough that this machine's own
# overhead (a few ms when it is busy) is a few per cent of it. Locust keeps times over
# 100 ms to the nearest 10 ms.
DELAY = 0.2


def load(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", "load", *args],
        cwd=ROOT, env=_env(home), capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, API_EXPLORER_HOME=str(home), PYTHONIOENCODING="utf-8")


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture(scope="module")
def server() -> Iterator[Counter]:
    with counting_server(DELAY) as counter:
        yield counter


@pytest.fixture(scope="module")
def folder(server: Counter, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`items` (expects 200), folder `auth`: `login` captures the token, `me` sends it;
    `broken` expects 200 of a 503."""
    ok = (Assertion(Subject.STATUS, Operator.EQ, "200"),)
    items = Request(name="items", url=f"{server.url}/items", assertions=ok)
    login = Request(
        method="POST", name="login", url=f"{server.url}/login",
        captures=(Capture("token", Subject.JSONPATH, "$.token"),),
    )  # fmt: skip
    me = Request(
        name="me", url=f"{server.url}/me", assertions=ok,
        headers=(Pair("Authorization", "Bearer {{token}}"),),
    )  # fmt: skip
    broken = Request(name="broken", url=f"{server.url}/status/503", assertions=ok)
    collection = Collection(
        name="Load",
        items=(
            RequestItem(items),
            Folder(name="auth", items=(RequestItem(login), RequestItem(me))),
            RequestItem(broken),
        ),
    )
    path = tmp_path_factory.mktemp("load") / "collection"
    CollectionStore(path).save(collection)
    return path


def test_the_count_matches_the_server_and_p50_is_the_delay(server, folder, tmp_path):
    server.reset()
    result = load(
        str(folder), "--request", "items", "--users", "4", "--spawn-rate", "100",
        "--iterations", "3", "--progress", "json", "--report", f"csv:{tmp_path / 's.csv'}",
        "--report", f"html:{tmp_path / 'r.html'}", home=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    events = lines(result.stdout)
    assert events[0] == {
        "event": "started", "users": 4, "spawn_rate": 100.0, "requests": ["GET items"]
    }  # fmt: skip
    finished = events[-1]
    assert finished["event"] == "finished" and finished["reason"] == "iterations"
    assert finished["total"]["requests"] == server.count == 12
    assert finished["total"]["failures"] == 0
    assert DELAY * 1000 <= finished["total"]["p50"] <= DELAY * 1000 * 1.05
    [row] = finished["by_request"]
    assert row["name"] == "GET items" and row["requests"] == 12
    assert finished["reports"] == {"csv": str(tmp_path / "s.csv"), "html": str(tmp_path / "r.html")}
    table = list(csv.DictReader((tmp_path / "s.csv").open()))
    assert [r["name"] for r in table] == ["GET items", "Total"] and table[1]["requests"] == "12"
    page = (tmp_path / "r.html").read_text()
    assert "<svg" in page and "GET items" in page and "<script" not in page
    # What ran, how and how it ended, before the figures; three charts.
    assert "<h1>Load test: Load / items</h1>" in page
    assert "4 users at 100/s · 3 iterations · every user did its iterations" in page
    assert page.count("<svg") == 3 and "Errors per second" in page and "Locust 2." in page


def test_captures_flow_per_user_and_failed_assertions_are_failures(server, folder, tmp_path):
    server.reset()
    result = load(
        str(folder), "--folder", "auth", "--request", "broken", "--users", "3",
        "--spawn-rate", "100", "--iterations", "2", "--progress", "json",
        "--fail-if", "errors>1%", "--fail-if", "p95>5s", home=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # the errors rule failed
    finished = lines(result.stdout)[-1]
    assert finished["thresholds"] == [
        {"rule": "errors>1%", "passed": False, "actual": "33.33 %"},
        {"rule": "p95>5s", "passed": True, "actual": f"{finished['total']['p95']:g} ms"},
    ]
    by_name = {row["name"]: row for row in finished["by_request"]}
    assert list(by_name) == ["POST auth/login", "GET auth/me", "GET broken"]
    assert by_name["GET auth/me"]["failures"] == 0  # every user sent its own fresh token
    assert sorted(server.seen_tokens) == sorted(server.given)  # each token used once
    assert by_name["GET broken"]["failures"] == 6 == finished["total"]["failures"]
    [error] = finished["errors"]
    assert error["kind"] == "assertion" and error["count"] == 6
    assert error["name"] == "GET broken" and "503" in error["message"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--fail-if", "p96>2ms"], "unknown rule 'p96>2ms'"),
        (["--request", "nothing"], "no request named 'nothing'"),
        (["--duration", "1s"], "give one of --duration TIME or --iterations N"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(folder, tmp_path, arguments, message):
    base = [str(folder), "--users", "1", "--spawn-rate", "1", "--iterations", "1"]
    result = load(*base, *arguments, home=tmp_path)
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert message in result.stderr


def test_sigint_stops_writes_the_reports_and_exits_130(server, folder, tmp_path):
    report = tmp_path / "r.html"
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", "load", str(folder), "--request", "items",
         "--users", "2", "--spawn-rate", "100", "--duration", "60s", "--progress", "json",
         "--report", f"html:{report}"],
        cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        started = json.loads(process.stdout.readline())
        assert started["event"] == "started"
        stats = json.loads(process.stdout.readline())  # a second later: users are running
        assert stats["event"] == "stats" and stats["total"]["requests"] > 0
        # The rate since the previous line (Locust's own stays 0 for the first seconds).
        assert stats["total"]["rps"] == pytest.approx(
            stats["total"]["requests"] / stats["elapsed"], abs=0.01
        )
        assert stats["by_request"][0]["rps"] == stats["total"]["rps"]
        assert set(stats) >= {"elapsed", "users", "total", "by_request", "errors"}
        process.send_signal(signal.SIGINT)
    except BaseException:  # a failed assertion must not leave it loading the server
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
        raise
    rest, errors = process.communicate(timeout=30)
    assert process.returncode == 130, errors
    finished = lines(rest)[-1]
    assert finished["event"] == "finished" and finished["reason"] == "stopped"
    assert finished["reports"] == {"html": str(report)} and report.exists()


def _load_process(folder: Path, home: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "explorer", "load", str(folder), "--request", "items",
         "--users", "2", "--spawn-rate", "100", "--duration", "60s", "--progress", "json",
         *extra],
        cwd=ROOT, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _children(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (zombies are not live)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _alive(pids: list[int]) -> list[int]:
    live = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            live.append(pid)
    return live


def test_sigint_with_local_workers_stops_the_master_who_writes_the_reports(
    server, folder, tmp_path
):
    """Passed to every process, SIGINT stopped the workers first, and the command killed
    the master as if a worker had failed: no reports, exit 2."""
    report = tmp_path / "r.html"
    process = _load_process(folder, tmp_path, "--workers", "2", "--report", f"html:{report}")
    try:
        assert process.stdout is not None
        assert json.loads(process.stdout.readline())["event"] == "started"
        assert json.loads(process.stdout.readline())["event"] == "stats"
    finally:
        process.send_signal(signal.SIGINT)
    rest, errors = process.communicate(timeout=30)
    assert process.returncode == 130, errors
    assert errors.strip() == "interrupted"
    finished = lines(rest)[-1]
    assert finished["event"] == "finished" and finished["reason"] == "stopped"
    assert finished["reports"] == {"html": str(report)} and report.exists()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_command_leaves_no_load_process_behind(server, folder, tmp_path):
    """The window's second Stop kills the command; its master and workers run in sessions
    of their own, and went on loading the server."""
    process = _load_process(folder, tmp_path, "--workers", "2")
    try:
        assert process.stdout is not None
        assert json.loads(process.stdout.readline())["event"] == "started"
        children = _children(process.pid)
        assert len(children) == 3  # the master and two workers
    finally:
        process.kill()
        process.communicate(timeout=30)
    deadline = time.monotonic() + 15
    while _alive(children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive(children) == []


def test_a_master_with_two_local_workers_counts_the_sum(server, folder, tmp_path):
    """Without --progress: the final table on stdout; a failed threshold exits 1."""
    server.reset()
    result = load(
        str(folder), "--request", "items", "--users", "4", "--spawn-rate", "100",
        "--iterations", "3", "--workers", "2", "--fail-if", "p95>5ms", home=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    table = result.stdout.splitlines()
    assert table[0].split()[:3] == ["request", "requests", "failures"]
    assert table[1].split()[:4] == ["GET", "items", "12", "0"]
    assert table[2].split()[:3] == ["Total", "12", "0"] and server.count == 12
    assert table[3].startswith("FAIL p95>5ms (actual 2")


def test_the_command_line_never_imports_locust_or_gevent_itself():
    code = (
        "import sys, explorer.cli, explorer.cli.load\n"
        "explorer.cli.build_parser()\n"
        "print(sorted(m for m in ('locust', 'gevent') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
