"""The practice server killed from outside (SIGKILL) while running, with the real child."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from explorer.qt.server_controller import ServerController, ServerState, exit_description

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="signals are a Unix notion"),
]


def test_exit_descriptions():
    assert exit_description(9, crashed=True) == "killed by signal 9 (SIGKILL)"
    assert exit_description(15, crashed=True) == "killed by signal 15 (SIGTERM)"
    assert exit_description(9, crashed=False) == "it exited with code 9"


def test_sigkill_is_reported_as_a_kill_not_an_exit_code(qtbot):
    controller = ServerController()
    try:
        with qtbot.waitSignal(controller.ready, timeout=20_000):
            controller.start()
        with qtbot.waitSignal(controller.failed, timeout=10_000) as blocker:
            os.kill(controller.pid, signal.SIGKILL)
        message = blocker.args[0]
        assert message.startswith("The practice server stopped unexpectedly: killed by signal 9")
        assert "exit code" not in message
        assert controller.state == ServerState.FAILED
        assert controller.failure == "stopped unexpectedly"
        assert controller.url == ""  # nothing offers a dead address any more
    finally:
        controller.stop()


def test_the_window_says_stopped_unexpectedly(qtbot, window):
    with qtbot.waitSignal(window.server.ready, timeout=20_000):
        window.start_server_action.trigger()
    with qtbot.waitSignal(window.server.failed, timeout=10_000):
        os.kill(window.server.pid, signal.SIGKILL)
    status = window.server_status.text()
    assert status == "Sample server: stopped unexpectedly"
    assert "failed to start" not in window.statusBar().currentMessage()
    box_text = window.server_error_box.text()
    assert "killed by signal 9 (SIGKILL)" in box_text and "exit code 9" not in box_text
    assert window.start_server_action.isEnabled()  # it can be started again
    with qtbot.waitSignal(window.server.ready, timeout=20_000):
        window.start_server_action.trigger()
    assert window.server_status.text().startswith("Sample server: running at ")
