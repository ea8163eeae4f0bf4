"""Server-sent events live in a request tab: headers at once, events as they arrive at
the server's rate, Stop keeps what arrived, Reconnect sends Last-Event-ID; against a
paced raw-socket server written outside the project."""

from __future__ import annotations

import itertools
import statistics

import pytest
from PySide6.QtCore import QThreadPool

from explorer.core.http.sse import resumed
from explorer.core.model import Assertion, Operator, Pair, Request, Subject
from explorer.core.streams import StreamMessage
from explorer.ui.response.streams.sse_panel import SsePanel
from explorer.ui.response.tests_view import PASSED
from explorer.ui.window.request_tab import RequestTab
from tests.support.canned_server import canned, raw_server
from tests.support.sse_server import PacedEventServer


@pytest.fixture
def tab(qtbot):
    tab = RequestTab()
    qtbot.addWidget(tab)
    tab.resize(1280, 720)
    tab.show()
    yield tab
    tab.shutdown()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def panel_of(tab: RequestTab) -> SsePanel:
    panel = tab.response_view.parts.events_panel
    assert panel is not None
    return panel


def rows(tab: RequestTab) -> int:
    panel = tab.response_view._parts and tab.response_view._parts.events_panel
    return panel.view.model.rowCount() if panel is not None else 0


def test_a_stream_shows_live_and_stop_keeps_what_arrived(qtbot, tab) -> None:
    with PacedEventServer(count=0, interval=0.005) as server:
        tab.load(Request(url=server.url))
        tab.send()
        qtbot.waitUntil(lambda: rows(tab) >= 5, timeout=5000)
        # Live: the status and headers are shown, the send still runs.
        view = tab.response_view
        assert tab.runner.busy and tab.editor.busy
        assert view.summary.status_label.text() == "200 OK"
        assert view.parts.currentWidget() is panel_of(tab)
        assert view.parts.headers_table.rowCount() == 3
        assert tab.editor.send_button.text() == "Stop"
        assert panel_of(tab).live and "/s · live" in panel_of(tab).state.text()
        with qtbot.waitSignal(tab.runner.finished, timeout=5000):
            tab.cancel()  # the Send button's Stop, Esc
    response = tab.last_response
    assert response is not None and response.stopped == "stopped by you"
    panel = panel_of(tab)
    assert panel.view.model.rowCount() == len(response.events or ()) >= 5
    assert "ended: stopped by you" in panel.state.text()
    assert not tab.editor.busy and tab.editor.send_button.text() == "Send"
    assert response.body.startswith(b"id: 0\nevent: tick\n")  # the Body tab's raw text
    assert tab.response_view.parts.timing_view.tree.findItems("First event", _recursive())


def _recursive():
    from PySide6.QtCore import Qt

    return Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive


def test_reconnect_resumes_after_the_last_event_id(qtbot, tab) -> None:
    with PacedEventServer(count=4, interval=0.001, retry_ms=1500) as server:
        tab.load(Request(url=server.url, headers=(Pair("Last-Event-ID", "old"),)))
        with qtbot.waitSignal(tab.runner.finished, timeout=5000):
            tab.send()
        panel = panel_of(tab)
        assert panel.last_event_id == "3" and panel.reconnect_button.isEnabled()
        with qtbot.waitSignal(tab.runner.finished, timeout=5000):
            panel.reconnect_button.click()
        assert server.last_event_ids == ["old", "3"]
    assert [e.id for e in tab.last_response.events or ()] == ["4", "5", "6", "7"]
    assert [e.id for e in panel.view.model.messages()] == ["4", "5", "6", "7"]
    assert "wait 1,500 ms before reconnecting" in panel.reconnect_button.toolTip()
    assert tab.editor.request().headers == (Pair("Last-Event-ID", "old"),)  # unchanged


def test_the_view_shows_events_at_the_servers_rate(qtbot, tab) -> None:
    interval = 0.01
    with PacedEventServer(count=20, interval=interval) as server:
        tab.load(Request(url=server.url))
        with qtbot.waitSignal(tab.runner.finished, timeout=5000):
            tab.send()
    shown = panel_of(tab).view.model.messages()
    assert len(shown) == 20
    gaps = [b.at_ms - a.at_ms for a, b in itertools.pairwise(shown)]
    assert abs(statistics.median(gaps) - interval * 1000) < 3


def test_a_plain_response_after_a_stream_hides_the_events(qtbot, tab) -> None:
    stream = canned(200, "OK", [("Content-Type", "text/event-stream")], b"data: x\n\n")
    plain = canned(200, "OK", [("Content-Type", "text/plain")], b"hello")
    with raw_server({"/s": stream, "/p": plain}) as server:
        for path, shown in (("/s", True), ("/p", False)):
            tab.load(Request(url=server.url + path))
            with qtbot.waitSignal(tab.runner.finished, timeout=5000):
                tab.send()
            parts = tab.response_view.parts
            assert parts.isTabVisible(parts.indexOf(panel_of(tab))) is shown
    assert parts.currentWidget() is not panel_of(tab)


def test_the_state_line_counts_and_rates(qtbot) -> None:
    panel = SsePanel()
    qtbot.addWidget(panel)
    panel.start()
    batch = [StreamMessage(float(i), "in", "tick", "{}", str(i), 2) for i in range(100)]
    panel.append(batch[:50])
    panel.append(batch[50:])
    assert panel.rate() > 0
    assert panel.state.text().startswith("100 events · ")
    assert panel.state.text().endswith("live · last id 99")
    assert not panel.reconnect_button.isEnabled() and panel.stop_button.isEnabled()


def test_resumed_replaces_the_requests_own_last_event_id() -> None:
    request = Request(headers=(Pair("last-event-id", "1"), Pair("X", "y")))
    assert resumed(request, "9").headers == (Pair("X", "y"), Pair("Last-Event-ID", "9"))
    assert resumed(request, "").headers == (Pair("X", "y"),)


def test_the_rate_counts_what_came_after_the_oldest_batch(qtbot) -> None:
    panel = SsePanel()
    qtbot.addWidget(panel)
    panel.start()
    panel._recent.extend([(10.0, 50), (10.05, 5), (10.10, 5)])
    assert panel.rate(now=10.10) == pytest.approx(100.0)  # 10 events in 0.1 s
    assert panel.rate(now=13.0) == 0.0  # nothing for longer than the window


def test_while_live_the_events_tab_takes_explains_room(qtbot, tab) -> None:
    # Side by side at 1280 px the response pane is about 460 px: nine titles filled it,
    # and Events pushed Explain behind the scroll arrows while the stream was live.
    # Explain judges a whole exchange: it comes back with the response.
    with PacedEventServer(count=0, interval=0.005) as server:
        tab.load(Request(url=server.url))
        tab.send()
        qtbot.waitUntil(lambda: rows(tab) >= 2, timeout=5000)
        parts = tab.response_view.parts
        shown = [parts.tabText(i) for i in range(parts.count()) if parts.isTabVisible(i)]
        assert len(shown) == 8 and shown[0] == "Events"  # the usual 9, Explain out
        assert not parts.isTabVisible(parts.indexOf(parts.explain_view))
        with qtbot.waitSignal(tab.runner.finished, timeout=5000):
            tab.cancel()
    assert parts.isTabVisible(parts.indexOf(parts.explain_view))


def test_the_tests_tab_checks_the_events_when_stopped(qtbot, window) -> None:
    # The window's checks of an event stream read its events (messages_json), as a
    # run's do; a Stop delivers the response, so its checks run.
    count = Assertion(Subject.JSONPATH, Operator.GE, "3", "$", filters=("count",))
    first = Assertion(Subject.JSONPATH, Operator.EQ, "0", "$[0].json.n")
    with PacedEventServer(count=0, interval=0.005) as server:
        tab = window.current_tab()
        tab.editor.set_request(Request(url=server.url, assertions=(count, first)))
        tab.send()
        qtbot.waitUntil(lambda: rows(tab) >= 3, timeout=5000)
        with qtbot.waitSignals([tab.runner.finished, tab.runner.checked], timeout=10_000):
            tab.cancel()
    shown = tab.response_view.parts.tests_view.results_table.row_texts()
    assert [row[0] for row in shown] == [PASSED, PASSED]


def test_after_a_stream_every_tab_has_room_in_a_narrow_pane(qtbot, tab) -> None:
    # Events and the nine usual titles overflowed a side-by-side pane at 1280x720 once
    # the stream ended (Explain back): the empty Cookies and Redirects tabs step aside.
    with PacedEventServer(count=3, interval=0.001) as server:
        tab.load(Request(url=server.url))
        with qtbot.waitSignal(tab.runner.finished, timeout=5000):
            tab.send()
    parts = tab.response_view.parts
    bar = parts.tabBar()

    def needed() -> int:
        return sum(
            bar.tabSizeHint(i).width() for i in range(parts.count()) if parts.isTabVisible(i)
        )

    tab.resize(1000, 720)
    qtbot.waitUntil(lambda: parts.width() < 520)
    assert needed() <= parts.width()
    assert parts.isTabVisible(parts.indexOf(parts.explain_view))
    assert not parts.isTabVisible(parts.indexOf(parts.cookies_page))  # it had nothing
    tab.resize(1600, 720)
    qtbot.waitUntil(lambda: parts.isTabVisible(parts.indexOf(parts.cookies_page)))
