"""One Send, one way: the tab asks, the application layer prepares, the runner sends, the
result comes back to the tab once and is recorded once. The tab is the only holder of
the send in flight (docs/ARCHITECTURE.md)."""

from __future__ import annotations

from explorer.application.sending import PreparedSend


def collect(signal) -> list[tuple]:
    seen: list[tuple] = []
    signal.connect(lambda *args: seen.append(args))
    return seen


def test_the_result_comes_back_once_and_is_recorded_once(qtbot, window, live_server):
    tab = window.current_tab()
    tab.editor.url_edit.setText(f"{live_server}/anything/walk")
    finished = collect(tab.exchange_finished)
    before = window.workspace.history.count()
    with qtbot.waitSignals([tab.runner.finished, window.workspace.history_changed], timeout=10_000):
        tab.send()
        prepared = tab.in_flight
        assert isinstance(prepared, PreparedSend)
        assert prepared.request.url == f"{live_server}/anything/walk"
    assert tab.in_flight is None
    assert len(finished) == 1 and finished[0][0] is prepared
    assert finished[0][1] is tab.last_response
    assert window.workspace.history.count() == before + 1


def test_a_new_send_replaces_the_one_in_flight_and_only_it_comes_back(qtbot, window, live_server):
    tab = window.current_tab()
    finished = collect(tab.exchange_finished)
    failed = collect(tab.exchange_failed)
    before = window.workspace.history.count()
    tab.editor.url_edit.setText(f"{live_server}/delay/3")
    tab.send()
    slow = tab.in_flight
    tab.editor.url_edit.setText(f"{live_server}/anything/second")
    with qtbot.waitSignals([tab.runner.finished, window.workspace.history_changed], timeout=10_000):
        tab.send()
        assert tab.editor.busy  # the cancel of the first did not end the second
    assert slow is not None and slow.request.url.endswith("/delay/3")
    assert [args[0].request.url for args in finished] == [f"{live_server}/anything/second"]
    assert failed == []
    qtbot.wait(200)  # nothing else arrives: the first send's result is dropped
    assert window.workspace.history.count() == before + 1


def test_a_cancelled_send_leaves_nothing_in_flight_and_nothing_recorded(qtbot, window, live_server):
    tab = window.current_tab()
    failed = collect(tab.exchange_failed)
    before = window.workspace.history.count()
    tab.editor.url_edit.setText(f"{live_server}/delay/3")
    tab.send()
    assert tab.in_flight is not None
    with qtbot.waitSignal(tab.runner.cancelled, timeout=5_000):
        tab.cancel()
    assert tab.in_flight is None and not tab.editor.busy
    assert failed == []
    assert window.workspace.history.count() == before
