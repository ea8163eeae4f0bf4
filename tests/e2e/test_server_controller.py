"""ServerController with the real `python -m bundled_server` child process."""

from __future__ import annotations

import socket
import time

import pytest
import requests

from explorer.qt.server_controller import ServerController, ServerState
from tests.support.processes import is_alive

pytestmark = pytest.mark.e2e


@pytest.fixture
def controller(qtbot):
    controller = ServerController()
    yield controller
    controller.stop()
    assert controller.state in (ServerState.STOPPED, ServerState.FAILED)


def test_start_serves_and_stop_ends_the_process(qtbot, controller):
    with qtbot.waitSignal(controller.ready, timeout=20_000) as blocker:
        controller.start()
    url = blocker.args[0]
    assert url.startswith("http://127.0.0.1:")
    assert controller.state == ServerState.RUNNING
    assert requests.get(f"{url}/health", timeout=5).status_code == 200
    pid = controller.pid
    assert is_alive(pid)
    controller.stop()
    assert controller.state == ServerState.STOPPED
    deadline = time.monotonic() + 3
    while is_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_alive(pid)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/health", timeout=2)


def test_port_taken_fails_with_the_servers_own_words(qtbot, controller):
    with socket.socket() as blocker_socket:
        blocker_socket.bind(("127.0.0.1", 0))
        blocker_socket.listen(1)
        port = blocker_socket.getsockname()[1]
        with qtbot.waitSignal(controller.failed, timeout=20_000) as blocker:
            controller.start(port=port)
    message = blocker.args[0]
    assert controller.state == ServerState.FAILED
    assert str(port) in message
    assert "in use" in message
    assert "Traceback" not in message
