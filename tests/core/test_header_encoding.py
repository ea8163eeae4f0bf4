"""Non-ASCII header values go out as UTF-8 bytes (as curl sends them) and Basic
credentials are UTF-8 (RFC 7617): checked on the bytes a raw socket server receives."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator

import pytest

from explorer.core.http.prepare import header_note
from explorer.core.http.transport import Transport
from explorer.core.model import Auth, AuthKind, Pair, Request


class RecordingServer:
    """Reads one request's head on 127.0.0.1, keeps its bytes, answers 200."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            conn.settimeout(5)
            while b"\r\n\r\n" not in self.received:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                self.received += chunk
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    def header_lines(self) -> list[bytes]:
        return self.received.split(b"\r\n\r\n")[0].split(b"\r\n")[1:]

    def close(self) -> None:
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    server = RecordingServer()
    yield server
    server.close()


@pytest.fixture
def transport() -> Iterator[Transport]:
    transport = Transport()
    yield transport
    transport.close()


def test_non_ascii_header_value_is_sent_as_utf8(transport, server):
    request = Request(url=server.url, headers=(Pair("X-Name", "Jürgen €"), Pair("X-Plain", "abc")))
    response = transport.send(request)
    assert response.status == 200
    lines = server.header_lines()
    assert "X-Name: Jürgen €".encode() in lines
    assert b"X-Plain: abc" in lines
    # The request as sent shows the text, not mojibake.
    assert ("X-Name", "Jürgen €") in response.sent.headers


def test_basic_credentials_are_utf8(transport, server):
    auth = Auth(kind=AuthKind.BASIC, username="jürgen", password="pässwörd€")
    transport.send(Request(url=server.url, auth=auth))
    token = base64.b64encode("jürgen:pässwörd€".encode()).decode("ascii")
    assert f"Authorization: Basic {token}".encode() in server.header_lines()


def test_header_note_flags_only_non_ascii_values():
    assert "UTF-8" in header_note("X-Name", "Jürgen")
    assert header_note("X-Name", "Jurgen") == ""
