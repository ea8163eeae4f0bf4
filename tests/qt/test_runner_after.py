"""RequestRunner's `after`: work on a response on the worker thread, its result after
the response as `checked`; a response still delivered when a newer send starts keeps
its check, a dropped response's check is dropped too, an exception is passed on."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThreadPool

from explorer.core.model import Request
from explorer.qt.runner import RequestRunner


@pytest.fixture
def runner(qtbot):
    runner = RequestRunner()
    yield runner
    runner.cancel()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def test_after_runs_on_the_worker_and_follows_the_response(qtbot, runner, live_server):
    order: list[str] = []
    ran_on: list[threading.Thread] = []

    def after(response):
        ran_on.append(threading.current_thread())
        return response.status * 2

    runner.finished.connect(lambda *_: order.append("finished"))
    runner.checked.connect(lambda *_: order.append("checked"))
    with qtbot.waitSignal(runner.checked, timeout=10_000) as checked:
        send_id = runner.send(Request(url=f"{live_server}/health"), after=after)
    assert checked.args == [send_id, 400]
    assert order == ["finished", "checked"]
    assert ran_on and ran_on[0] is not threading.main_thread()


def test_an_exception_in_after_is_passed_on(qtbot, runner, live_server):
    def after(_response):
        raise ValueError("broken check")

    with qtbot.waitSignal(runner.checked, timeout=10_000) as checked:
        runner.send(Request(url=f"{live_server}/health"), after=after)
    assert isinstance(checked.args[1], ValueError)


def test_a_delivered_response_keeps_its_check_when_a_newer_send_starts(qtbot, runner, live_server):
    def slow(_response):
        threading.Event().wait(0.3)
        return "first"

    checked: list[tuple[int, object]] = []
    runner.checked.connect(lambda send_id, result: checked.append((send_id, result)))
    with qtbot.waitSignal(runner.finished, timeout=10_000):
        first = runner.send(Request(url=f"{live_server}/health"), after=slow)
    runner.send(Request(url=f"{live_server}/delay/0.5"))  # no after: nothing to check
    qtbot.waitUntil(lambda: bool(checked), timeout=10_000)
    assert checked == [(first, "first")]


def test_a_dropped_response_s_check_is_dropped(qtbot, runner, live_server):
    ran: list[int] = []
    checked: list[object] = []
    runner.checked.connect(lambda *args: checked.append(args))
    runner.send(Request(url=f"{live_server}/delay/0.5"), after=lambda r: ran.append(1))
    with qtbot.waitSignal(runner.finished, timeout=10_000):
        runner.send(Request(url=f"{live_server}/health"))
    assert QThreadPool.globalInstance().waitForDone(5_000)
    qtbot.wait(100)
    assert checked == []
