"""The WebSocket client against an echo server from outside the project (websockets'
own sync server, tests/support/ws_echo_server): the handshake as a timed exchange, the
headers that go with it, messages both ways, ping, close, and plain-language failures."""

from __future__ import annotations

import base64
import itertools
import threading
import time

import pytest
from websockets.sync.server import serve

from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.model import Auth, AuthKind, MessageKind, Options, Pair, Request, Stream
from explorer.core.streams import StreamMessage
from explorer.core.ws.connection import open_connection
from explorer.core.ws.messages import MessageProblem, close_text, payload
from tests.support.tls_server import self_signed_context
from tests.support.ws_echo_server import ws_echo_server


@pytest.fixture(scope="module")
def echo_url():
    with ws_echo_server() as url:
        yield url


def ws(url: str, **changes) -> Request:
    return Request(method="WS", url=url, **changes)


def test_the_handshake_is_a_timed_exchange_with_the_request_headers(echo_url):
    request = ws(
        echo_url + "/chat",
        params=(Pair("room", "a b"),),
        headers=(Pair("Origin", "http://app.example"), Pair("X-Mine", "1"), Pair("Upgrade", "no")),
        auth=Auth(kind=AuthKind.BEARER, token="t0k"),
    )
    connection = open_connection(request, lambda m: None)
    try:
        response = connection.handshake
        assert (response.status, response.reason) == (101, "Switching Protocols")
        assert response.header("Upgrade").lower() == "websocket"
        assert response.url == echo_url + "/chat?room=a%20b"
        sent = dict(response.sent.headers)
        assert sent["Authorization"] == "Bearer t0k"
        assert sent["Origin"] == "http://app.example" and sent["X-Mine"] == "1"
        assert sent["Upgrade"] == "websocket"  # the handshake's own header wins
        assert [n for n, _ in response.sent.headers].count("Upgrade") == 1
        timing = response.timing
        assert timing.dns is not None and timing.connect is not None and timing.tls is None
        assert timing.wait > 0 and timing.total >= timing.wait
        assert response.remote_address.startswith("127.0.0.1:")
    finally:
        connection.close()


def test_messages_both_ways_ping_and_a_close_from_the_server(echo_url):
    log: list[StreamMessage] = []
    connection = open_connection(ws(echo_url), log.append)
    connection.send("hello")
    connection.send(b"\x00\xff")
    connection.ping()
    connection.send("close:4001:done here")
    closed = connection.receive(time.perf_counter() + 5)
    assert closed is not None and closed.by_server
    assert (closed.code, closed.reason) == (4001, "done here")
    assert closed.summary == "The server closed the connection: 4001 application: done here"
    rows = [(m.direction, m.type, m.data, m.size) for m in log]
    assert ("out", "text", "hello", 5) in rows and ("in", "text", "hello", 5) in rows
    assert ("in", "binary", base64.b64encode(b"\x00\xff").decode(), 2) in rows
    pong = next(m for m in log if m.type == "pong")
    assert pong.direction == "in" and pong.data.startswith("round trip ")
    assert log[-1].type == "close" and log[-1].data == "4001 application: done here"
    assert all(
        a.at_ms <= b.at_ms
        for a, b in itertools.pairwise(log)
        if a.direction == b.direction == "out"
    )


def test_closing_with_a_code_and_reason(echo_url):
    log: list[StreamMessage] = []
    connection = open_connection(ws(echo_url), log.append)
    connection.close(4002, "bye")
    closed = connection.receive()
    assert closed is not None and not closed.by_server and closed.code == 4002
    assert ("out", "close", "4002 application: bye") in [(m.direction, m.type, m.data) for m in log]


def test_a_connection_lost_without_a_close_frame_says_so(echo_url):
    connection = open_connection(ws(echo_url), lambda m: None)
    connection.send("drop")
    closed = connection.receive(time.perf_counter() + 5)
    assert closed is not None and closed.code is None
    assert closed.summary == "The connection was lost: the socket ended without a close frame"


def test_subprotocols_are_offered(echo_url):
    connection = open_connection(ws(echo_url, stream=Stream(subprotocols=("chat", "v2"))), print)
    try:
        assert dict(connection.handshake.sent.headers)["Sec-WebSocket-Protocol"] == "chat, v2"
        assert connection.subprotocol == ""  # the echo server chose none
    finally:
        connection.abort()


def test_a_message_over_the_limit_closes_with_1009(echo_url):
    connection = open_connection(ws(echo_url), lambda m: None, max_size=10)
    connection.send("x" * 50)  # echoed back: too big for us
    closed = connection.receive(time.perf_counter() + 5)
    assert closed is not None and closed.code == 1009


@pytest.mark.parametrize(
    ("url", "kind", "words"),
    [
        (
            "/refuse",
            ErrorKind.INVALID_RESPONSE,
            "refused the WebSocket upgrade: 403 Forbidden — no sockets for you",
        ),
        ("ftp://127.0.0.1:1/", ErrorKind.INVALID_URL, "starts with ws:// or wss://, not 'ftp'"),
        ("http://127.0.0.1:1/", ErrorKind.CONNECTION_REFUSED, "Connection refused"),
        ("ws://127.0.0.1:1/", ErrorKind.CONNECTION_REFUSED, "Connection refused by 127.0.0.1:1"),
        ("ws://no-such-host.invalid/", ErrorKind.UNKNOWN_HOST, "Unknown host"),
        ("ws:///x", ErrorKind.INVALID_URL, "no host"),
    ],
)
def test_failures_to_open_are_one_plain_line(echo_url, url, kind, words):
    with pytest.raises(SendError) as raised:
        open_connection(ws(echo_url + url if url.startswith("/") else url), lambda m: None)
    assert raised.value.kind == kind and words in raised.value.message
    assert "\n" not in raised.value.message


def test_payloads_are_checked_before_sending():
    assert payload(MessageKind.TEXT, "hi") == "hi"
    assert payload(MessageKind.JSON, '{"a": 1}') == '{"a": 1}'
    assert payload(MessageKind.BINARY, "AAH/\n") == b"\x00\x01\xff"
    with pytest.raises(MessageProblem, match="Not valid JSON"):
        payload(MessageKind.JSON, "{a")
    with pytest.raises(MessageProblem, match="Not valid base64"):
        payload(MessageKind.BINARY, "*")
    with pytest.raises(MessageProblem, match="at most 3 can be sent"):
        payload(MessageKind.TEXT, "four", max_size=3)
    assert close_text(1000, "") == "1000 normal" and close_text(None, "") == "no status"


def test_wss_honours_the_ca_bundle_and_verification(tmp_path):
    context, cert = self_signed_context(tmp_path)
    with serve(lambda c: c.send(c.recv()), "127.0.0.1", 0, ssl=context) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"wss://localhost:{server.socket.getsockname()[1]}/"
        with pytest.raises(SendError) as raised:
            open_connection(ws(url), lambda m: None)
        assert raised.value.kind == ErrorKind.TLS
        for options in (Options(ca_bundle=str(cert)), Options(verify_tls=False)):
            log: list[StreamMessage] = []
            connection = open_connection(ws(url, options=options), log.append)
            response = connection.handshake
            assert response.encrypted and response.timing.tls is not None
            assert response.certificate_checked == options.verify_tls
            connection.send("secure")
            connection.receive(time.perf_counter() + 5)
            assert ("in", "secure") in [(m.direction, m.data) for m in log]
        server.shutdown()
