"""What a run keeps of its responses (explorer.qt.run_worker.ResponseStore), with real
responses from the practice server: the first failures' and the latest, bodies over the
bound dropped and a spooled body's file deleted at once."""

from __future__ import annotations

import pytest

from explorer.application.running import RunResult
from explorer.core.checks.results import AssertionResult
from explorer.core.http.transport import Transport
from explorer.core.model import Request
from explorer.qt.run_worker import ResponseStore


@pytest.fixture(scope="module")
def transport():
    made = Transport()
    yield made
    made.close()


def result(index: int, passed: bool) -> RunResult:
    check = AssertionResult("status == 200", passed, "200" if passed else "500", "200")
    return RunResult(1, index, f"R{index}", (), "GET", "http://x", status=200, results=(check,))


def test_the_first_failures_and_the_latest_are_kept(transport, live_server):
    store = ResponseStore(keep_failed=2)
    response = transport.send(Request(url=f"{live_server}/health"))
    outcomes = [False, True, False, False, True]  # passed?
    for serial, passed in enumerate(outcomes):
        told = result(serial, passed)
        assert store.take(told, response)
        store.settle(serial, told)
    assert [store.get(s) is not None for s in range(5)] == [True, False, True, False, True]
    assert store.kept() == 3
    assert "not kept" in store.note(3)
    assert store.note(0) == ""


def test_a_large_body_is_dropped_and_a_spooled_one_deleted(transport, live_server):
    store = ResponseStore(body_limit=1024 * 1024)
    big = transport.send(Request(url=f"{live_server}/range/{2 * 1024 * 1024}"))
    assert big.body_path is None and len(big.body) == 2 * 1024 * 1024
    told = result(0, False)
    store.take(told, big)
    store.settle(0, told)
    kept = store.get(0)
    assert kept is not None and kept.body == b"" and kept.status == big.status
    assert "2,097,152 bytes" in store.note(0) and "was not kept" in store.note(0)

    spooled = transport.send(Request(url=f"{live_server}/large/20"))
    assert spooled.body_path is not None and spooled.body_path.exists()
    told = result(1, True)
    store.take(told, spooled)
    assert not spooled.body_path.exists()  # the file goes as soon as the store takes it
    store.settle(1, told)
    assert store.get(1) is not None and store.get(1).body_path is None
