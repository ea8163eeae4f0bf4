"""A load test's transport (`Transport(lean=True)`) against a raw keep-alive server on
127.0.0.1: the same response without the phase marks, the netrc file looked for once,
and a cancel that still stops a send waiting on a reused connection (whose socket the
cancel token keeps without duplicating it)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.core.http.cancel import CancelToken
from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.transport import Transport
from explorer.core.model import Auth, AuthKind, Body, BodyKind, OAuth1, Pair, Request

ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Served: yes\r\n"
    b'Content-Length: 12\r\n\r\n{"ok": true}'
)


class KeepAliveServer:
    """Answers every request on a connection with ANSWER, keeping it open; a request for
    /hold is answered only once `release` is set (`held` says it arrived), one for
    /set-cookie sets a cookie. Each request's head is kept in `heads`, its body (of
    Content-Length bytes) in `bodies`."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.heads: list[bytes] = []
        self.bodies: list[bytes] = []
        self.connections = 0
        self.held = threading.Event()
        self.release = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        buffer = b""
        with connection:
            while True:
                try:
                    data = connection.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                buffer += data
                while b"\r\n\r\n" in buffer:
                    head, rest = buffer.split(b"\r\n\r\n", 1)
                    length = _content_length(head)
                    if len(rest) < length:
                        break  # the body is still on its way
                    buffer = rest[length:]
                    self.heads.append(head)
                    self.bodies.append(rest[:length])
                    if head.startswith(b"GET /hold "):
                        self.held.set()
                        self.release.wait(30)
                        return  # the client gave up: this connection is done
                    cookie = b"Set-Cookie: k=v; Path=/\r\n" if b" /set-cookie " in head else b""
                    connection.sendall(ANSWER.replace(b"X-Served", cookie + b"X-Served", 1))

    def close(self) -> None:
        self.release.set()
        self.listener.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


@pytest.fixture(scope="module")
def server() -> Iterator[KeepAliveServer]:
    server = KeepAliveServer()
    yield server
    server.close()


@pytest.fixture
def lean() -> Iterator[Transport]:
    transport = Transport(lean=True)
    yield transport
    transport.close()


def test_a_lean_send_gives_the_same_response_without_phases(server, lean):
    request = Request(url=f"{server.url}/items", headers=(Pair("X-Id", "7"),))
    response = lean.send(request)
    again = lean.send(request)
    assert (response.status, response.reason, response.body) == (200, "OK", b'{"ok": true}')
    assert ("X-Served", "yes") in response.headers
    assert response.elapsed_ms > 0 and again.elapsed_ms > 0
    # The headers as prepared are what it says it sent; the wire saw the same ones.
    assert ("X-Id", "7") in response.sent.headers
    assert server.heads[-1].startswith(b"GET /items HTTP/1.1") and b"X-Id: 7" in server.heads[-1]
    # No phases: the first byte is not peeked at, so no wait phase is measured apart.
    assert response.timing.wait == 0.0 and response.timing.first_event is None


@pytest.mark.parametrize("is_lean", [True, False])
def test_a_cancel_stops_a_send_waiting_on_a_reused_connection(server, is_lean):
    url = server.url
    server.held.clear()
    lean = Transport(lean=is_lean)
    lean.send(Request(url=f"{url}/warm"))  # the connection the next send reuses
    connections = server.connections
    token = CancelToken()
    outcome: dict[str, object] = {}

    def send() -> None:
        try:
            lean.send(Request(url=f"{url}/hold"), token)
        except SendError as error:
            outcome["kind"] = error.kind

    thread = threading.Thread(target=send)
    thread.start()
    assert server.held.wait(10)
    token.cancel()
    thread.join(10)
    lean.close()
    assert not thread.is_alive()
    assert outcome["kind"] == ErrorKind.CANCELLED
    assert server.connections == connections  # it was the reused connection


@pytest.mark.parametrize("exists", [True, False])
def test_the_netrc_file_is_looked_for_once(server, tmp_path: Path, monkeypatch, exists):
    netrc = tmp_path / "netrc"
    monkeypatch.setenv("NETRC", str(netrc))
    entry = "machine 127.0.0.1 login ann password pw\n"
    if exists:
        netrc.write_text(entry)
        netrc.chmod(0o600)
    transport = Transport(lean=True)
    try:
        if not exists:
            netrc.write_text(entry)  # too late: none was found when it was made
            netrc.chmod(0o600)
        transport.send(Request(url=f"{server.url}/netrc"))
    finally:
        transport.close()
    sent_auth = b"Authorization: Basic " in server.heads[-1]
    assert sent_auth is exists


def test_a_request_sent_again_is_prepared_from_its_first_preparation(server, lean):
    body = Body(kind=BodyKind.RAW, text='{"n": 1}', content_type="application/json")
    request = Request(method="POST", url=f"{server.url}/post", body=body)
    for _ in range(3):
        assert lean.send(request).status == 200
    assert server.bodies[-3:] == [b'{"n": 1}'] * 3
    assert len({head for head in server.heads[-3:]}) == 1
    assert b"Content-Type: application/json" in server.heads[-1]
    assert lean._reuse is not None and lean._reuse.get(lean.session, request) is not None


def test_a_cookie_set_meanwhile_goes_with_a_reused_request(server, lean):
    request = Request(url=f"{server.url}/items")
    lean.send(request)
    lean.send(request)  # kept from here on
    assert b"Cookie:" not in server.heads[-1]
    lean.send(Request(url=f"{server.url}/set-cookie"))
    lean.send(request)
    assert b"Cookie: k=v" in server.heads[-1]


def test_a_signed_request_is_signed_anew_each_time(server, lean):
    oauth = OAuth1(consumer_key="ck", consumer_secret="cs", token="t", token_secret="ts")
    request = Request(url=f"{server.url}/signed", auth=Auth(kind=AuthKind.OAUTH1, oauth1=oauth))
    for _ in range(3):
        lean.send(request)
    signatures = [
        next(line for line in head.split(b"\r\n") if line.startswith(b"Authorization: OAuth"))
        for head in server.heads[-3:]
    ]
    assert all(line.count(b"oauth_signature=") == 1 for line in signatures)
    assert len(set(signatures)) == 3  # a nonce of its own each time
