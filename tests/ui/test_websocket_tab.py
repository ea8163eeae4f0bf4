"""A WebSocket request in a real tab against the outside echo server (websockets' own):
typing ws:// makes it one, the Messages tab takes the Body tab's place, Connect shows the
handshake and the live log, messages go both ways, ping and close, a refused upgrade is
one plain line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from explorer.core.model import MessageKind, Request, SavedMessage, Stream
from explorer.ui.window.request_tab import RequestTab
from tests.support.ws_echo_server import ws_echo_server


@pytest.fixture(scope="module")
def echo_url():
    with ws_echo_server() as url:
        yield url


def rows(tab: RequestTab) -> list[tuple[str, str, str]]:
    assert tab._ws_panel is not None
    return [(m.direction, m.type, m.data) for m in tab._ws_panel.log.model.messages()]


def test_typing_a_ws_url_makes_a_websocket_request_with_a_messages_tab(qtbot):
    tab = RequestTab()
    qtbot.addWidget(tab)
    editor = tab.editor
    editor.url_edit.setText("ws://127.0.0.1:9/chat")
    assert editor.method_combo.currentText() == "WS"
    assert editor.tabs.tabText(2) == "Messages"
    assert editor.send_button.text() == "Connect"
    page = editor.messages_page
    page.add_message()
    page.kind.setCurrentIndex(page.kind.findData(MessageKind.JSON))
    page.text.setPlainText("{nope")
    assert editor.problems() and "Not valid JSON" in editor.problems()[0]
    page.text.setPlainText('{"ok": true}')
    page.subprotocols.setText("chat, v2")
    request = editor.request()
    assert request.stream.subprotocols == ("chat", "v2")
    assert request.stream.messages == (SavedMessage("Message 1", MessageKind.JSON, '{"ok": true}'),)
    editor.method_combo.setCurrentText("GET")  # the Body tab comes back, the messages stay
    assert editor.tabs.tabText(2).startswith("Body") and editor.send_button.text() == "Send"
    assert editor.request().stream.messages == request.stream.messages


def test_connect_send_ping_and_close_against_the_echo_server(qtbot, echo_url):
    tab = RequestTab()
    qtbot.addWidget(tab)
    saved = SavedMessage("hello", MessageKind.TEXT, "saved hello")
    tab.load(Request(method="WS", url=echo_url + "/room", stream=Stream(messages=(saved,))))
    tab.resize(1000, 700)
    tab.show()
    tab.send()
    qtbot.waitUntil(lambda: tab.editor.send_button.text() == "Disconnect", timeout=5_000)
    view = tab.response_view
    assert tab.last_response is not None and tab.last_response.status == 101
    assert view.parts.currentWidget() is tab._ws_panel
    assert not view.parts.isTabVisible(view.parts.indexOf(view.parts.body_view))
    panel = tab._ws_panel
    assert panel is not None and panel.send_button.isEnabled()
    tab.editor.messages_page.list.setCurrentRow(0)
    tab.editor.messages_page.send_button.click()  # the Messages tab's "Send now"
    panel.composer.setPlainText("AAE=")
    panel.kind.setCurrentIndex(panel.kind.findData(MessageKind.BINARY))
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    panel.ping_button.click()
    qtbot.waitUntil(lambda: len([r for r in rows(tab) if r[0] == "in"]) >= 3, timeout=5_000)
    got = rows(tab)
    assert ("out", "text", "saved hello") in got and ("in", "text", "saved hello") in got
    assert ("in", "binary", "AAE=") in got
    assert any(t == "pong" and d.startswith("round trip") for _, t, d in got)
    panel.kind.setCurrentIndex(panel.kind.findData(MessageKind.JSON))
    panel.composer.setPlainText("{bad")
    panel.send_button.click()
    assert panel.problem.text().startswith("Not valid JSON")
    panel.close_code.setValue(4000)
    panel.close_reason.setText("done")
    panel.close_button.click()
    qtbot.waitUntil(lambda: tab.editor.send_button.text() == "Connect", timeout=5_000)
    assert panel.state.text() == "Closed: 4000 application: done"
    assert not panel.send_button.isEnabled()


def test_a_refused_upgrade_is_shown_as_an_error(qtbot, echo_url):
    tab = RequestTab()
    qtbot.addWidget(tab)
    tab.load(Request(method="WS", url=echo_url + "/refuse"))
    failed = []
    tab.exchange_failed.connect(lambda _p, error: failed.append(error))
    tab.send()
    qtbot.waitUntil(lambda: bool(failed), timeout=5_000)
    assert "403 Forbidden — no sockets for you" in failed[0].message
    assert tab.editor.send_button.text() == "Connect"


def test_kept_messages_are_not_scanned_by_every_garbage_collection(qtbot):
    """The live table keeps its messages as plain tuples, which the cyclic collector
    stops tracking: kept as dataclass instances, 30,000 of them made one collection on
    the GUI thread take 87 ms of a 10,000-a-second stream (bench_ws)."""
    import gc

    from explorer.core.streams import StreamMessage
    from explorer.ui.response.streams.stream_view import StreamView

    view = StreamView()
    qtbot.addWidget(view)
    view.append([StreamMessage(float(n), "in", "text", f"m{n}", size=2) for n in range(100)])
    gc.collect()
    assert not any(gc.is_tracked(row) for row in view.model._messages)
    assert view.model.message(7) == StreamMessage(7.0, "in", "text", "m7", size=2)


def test_the_handshake_is_recorded_in_the_history_redacted_and_without_messages(
    qtbot, window, echo_url
):
    from explorer.core.model import Auth, AuthKind

    tab = window.current_tab()
    request = Request(
        method="WS",
        url=echo_url + "/hist",
        auth=Auth(kind=AuthKind.BEARER, token="s3cret-token"),
        stream=Stream(messages=(SavedMessage("m", MessageKind.TEXT, "kept out"),)),
    )
    tab.load(request, saved=False)
    with qtbot.waitSignal(window.workspace.history_changed, timeout=10_000):
        tab.send()
    tab.editor.messages_page.list.setCurrentRow(0)
    tab.editor.messages_page.send_button.click()
    qtbot.waitUntil(lambda: ("in", "text", "kept out") in rows(tab), timeout=5_000)
    [summary] = window.workspace.history.search()
    assert (summary.method, summary.status) == ("GET", 101)  # the upgrade, as it went out
    entry = window.workspace.history.get(summary.id)
    assert entry is not None and entry.request is not None
    assert entry.request.method == "WS"  # reopened, it is a WebSocket request again
    stored = repr((entry.request_headers, entry.response_headers, entry.request))
    assert "s3cret-token" not in stored and "Sec-WebSocket-Accept" in stored
    assert entry.response_body == b""  # the messages are not kept in the history
    tab.cancel()  # Disconnect
    qtbot.waitUntil(lambda: tab.editor.send_button.text() == "Connect", timeout=5_000)


def test_ctrl_enter_in_the_composer_sends_the_message_inside_the_window(qtbot, window, echo_url):
    """The window's Send is Ctrl+Enter too: in the composer the keys send the message
    (two shortcuts on one key were ambiguous and neither fired), elsewhere the request."""
    tab = window.new_tab()
    tab.load(Request(method="WS", url=echo_url + "/keys"))
    tab.send()
    qtbot.waitUntil(lambda: tab.editor.send_button.text() == "Disconnect", timeout=5_000)
    panel = tab._ws_panel
    assert panel is not None
    window.activateWindow()
    panel.composer.setFocus()
    panel.composer.setPlainText("by keys")
    qtbot.keyClick(panel.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ("in", "text", "by keys") in rows(tab), timeout=5_000)
    assert tab.editor.send_button.text() == "Disconnect"  # still connected, not re-sent


def test_server_pings_are_counted_and_shown_only_when_asked(qtbot):
    from explorer.core.streams import StreamMessage
    from explorer.ui.response.streams.ws_panel import WsPanel

    panel = WsPanel()
    qtbot.addWidget(panel)
    keepalive = StreamMessage(20_000.0, "in", "ping", "", size=0)
    ours = StreamMessage(1.0, "out", "ping", "1", size=1)
    answer = StreamMessage(2.0, "in", "pong", "round trip 1.0 ms", size=1)
    text = StreamMessage(3.0, "in", "text", "hello", size=5)
    panel._on_arrived([keepalive, ours, answer, text, keepalive])
    assert [(m.direction, m.type) for m in panel.log.model.messages()] == [
        ("out", "ping"), ("in", "pong"), ("in", "text")
    ]  # fmt: skip
    assert panel.show_server_pings.text() == "Show server pings (2)"
    panel.show_server_pings.setChecked(True)
    panel._on_arrived([keepalive])
    assert panel.log.model.messages()[-1] == keepalive
