"""The practice server's WebSocket endpoints (flask-sock on Werkzeug's threaded server,
as `python -m bundled_server` runs it): the echo, the chat room that two clients share,
and their bounds. The clients are websockets' own."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from werkzeug.serving import make_server

from bundled_server import create_app
from bundled_server.realtime import MAX_MEMBERS


@pytest.fixture(scope="module")
def ws_base() -> Iterator[str]:
    """A practice server whose idle time-outs are a hundredth of the real ones."""
    app = create_app({"TESTING": True, "REALTIME_IDLE_SCALE": 0.005})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(5)


def test_the_echo_sends_text_and_binary_back(ws_base):
    with connect(ws_base + "/ws/echo") as ws:
        ws.send("hello")
        assert ws.recv(timeout=5) == "hello"
        ws.send(b"\x00\x01")
        assert ws.recv(timeout=5) == b"\x00\x01"


def test_a_too_large_message_closes_with_1009(ws_base):
    with connect(ws_base + "/ws/echo", max_size=None) as ws:
        ws.send("x" * (64 * 1024 + 1))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


def test_an_idle_echo_socket_is_closed_with_1001(ws_base):
    with connect(ws_base + "/ws/echo") as ws, pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=5)  # idle for 0.3 s at this scale
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
    assert closed.value.rcvd.reason.startswith("idle for")


def _next(ws) -> dict:
    return json.loads(ws.recv(timeout=5))


def test_two_people_chat_in_a_room(ws_base):
    with connect(ws_base + "/ws/chat?room=tea&name=ada") as ada:
        assert _next(ada)["text"] == "ada joined tea (nobody else here yet)"
        with connect(ws_base + "/ws/chat?room=tea&name=bob") as bob:
            assert _next(bob)["text"] == "bob joined tea (also here: ada)"
            assert _next(ada)["from"] == "server"
            bob.send("hi ada")
            for ws in (ada, bob):
                message = _next(ws)
                assert (message["from"], message["text"]) == ("bob", "hi ada")
                assert message["at"].endswith("+00:00")
        assert _next(ada)["text"] == "bob left tea"


def test_chat_names_and_rooms_are_bounded(ws_base):
    bad_name = connect(ws_base + "/ws/chat?room=x&name=" + "n" * 40)
    with bad_name as ws, pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    # Unread notices pile up in these clients: an unbounded queue keeps them reading.
    people = [
        connect(f"{ws_base}/ws/chat?room=full&name=p{i}", max_queue=None, legacy=True)
        for i in range(MAX_MEMBERS)
    ]
    try:
        for i, ws in enumerate(people):  # each one's own notice: every one has joined
            while not _next(ws)["text"].startswith(f"p{i} joined full"):
                pass  # another's notice, who joined first
        late = connect(ws_base + "/ws/chat?room=full&name=late")
        with late as ws, pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd is not None and "is full" in closed.value.rcvd.reason
    finally:
        for ws in people:
            ws.close()
