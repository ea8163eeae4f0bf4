"""RequestRunner: results arrive on the GUI thread; stale results are dropped."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThreadPool

from explorer.core.http.exchange import ErrorKind
from explorer.core.model import Request
from explorer.qt.runner import RequestRunner


@pytest.fixture
def runner(qtbot):
    runner = RequestRunner()
    yield runner
    runner.cancel()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def test_result_arrives_on_gui_thread(qtbot, runner, live_server):
    threads = []
    runner.finished.connect(lambda *_: threads.append(threading.current_thread()))
    with qtbot.waitSignal(runner.finished, timeout=10_000) as blocker:
        send_id = runner.send(Request(url=f"{live_server}/health"))
    received_id, response = blocker.args
    assert received_id == send_id
    assert response.status == 200
    assert threads == [threading.main_thread()]
    assert not runner.busy


def test_failure_is_a_signal_not_an_exception(qtbot, runner):
    with qtbot.waitSignal(runner.failed, timeout=10_000) as blocker:
        runner.send(Request(url="http://127.0.0.1:1/"))
    _, error = blocker.args
    assert error.kind == ErrorKind.CONNECTION_REFUSED


def test_newer_send_wins_over_older(qtbot, runner, live_server):
    finished = []
    runner.finished.connect(lambda send_id, response: finished.append((send_id, response)))
    runner.send(Request(url=f"{live_server}/delay/1"))
    with qtbot.waitSignal(runner.finished, timeout=10_000):
        second = runner.send(Request(url=f"{live_server}/health"))
    qtbot.wait(1300)  # long enough for the first, slow response to have come back
    assert [send_id for send_id, _ in finished] == [second]
    assert finished[0][1].url.endswith("/health")


def test_cancel_drops_the_result(qtbot, runner, live_server):
    delivered = []
    runner.finished.connect(lambda *args: delivered.append(args))
    runner.failed.connect(lambda *args: delivered.append(args))
    with qtbot.waitSignal(runner.cancelled, timeout=1000):
        runner.send(Request(url=f"{live_server}/delay/0.5"))
        runner.cancel()
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)
    assert delivered == []
    assert not runner.busy


def test_the_network_stack_is_loaded_by_the_worker_not_the_gui_thread(live_server):
    # A fresh process, since this one has long imported requests: the first send loads
    # requests (some 60 ms of imports), and that must not happen on the GUI thread.
    import subprocess
    import sys
    from pathlib import Path

    code = f"""
import sys, threading
from PySide6.QtCore import QCoreApplication, QEventLoop
loaded_on = []

class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "requests":
            loaded_on.append(threading.current_thread() is threading.main_thread())
        return None

sys.meta_path.insert(0, Watch())
from explorer.core.model import Request
from explorer.qt.runner import RequestRunner
app = QCoreApplication([])
runner = RequestRunner()
loop = QEventLoop()
runner.finished.connect(lambda *_: loop.quit())
runner.send(Request(url="{live_server}/health"))
loop.exec()
print(loaded_on)
"""
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[False]"  # loaded once, by a worker thread


def test_sensitive_values_reach_the_transport(qtbot, live_server):
    from explorer.core.http.transport import Transport

    seen = []

    class RecordingTransport(Transport):
        def send(self, request, cancel=None, progress=None, *, sensitive=()):
            seen.append(frozenset(sensitive))
            return super().send(request, cancel, progress, sensitive=sensitive)

    transport = RecordingTransport()
    runner = RequestRunner(transport)
    try:
        with qtbot.waitSignal(runner.finished, timeout=10_000):
            runner.send(Request(url=f"{live_server}/health"), {"s3cret"})
    finally:
        runner.cancel()
        assert QThreadPool.globalInstance().waitForDone(10_000)
        transport.close()
    assert seen == [frozenset({"s3cret"})]
