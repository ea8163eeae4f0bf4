"""Broken responses from a raw socket server become plain sentences, never the words of
Python's parsers; a redirect to an unsupported scheme names the redirect's target."""

from __future__ import annotations

import gzip
import re
import socket
import threading
from collections.abc import Iterator

import pytest

from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.transport import Transport
from explorer.core.model import Request

PARSER_WORDS = ("invalid literal", "IncompleteRead", "Error -3", "decompressing", "b'", "int()")


class RawServer:
    """Answers each connection on 127.0.0.1 with fixed bytes, then closes it."""

    def __init__(self, payload: bytes) -> None:
        self.payload = payload
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)  # so that close() is noticed soon
        self.stopped = threading.Event()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                conn.recv(65536)
                conn.sendall(self.payload)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def transport() -> Iterator[Transport]:
    transport = Transport()
    yield transport
    transport.close()


def _fail(transport: Transport, payload: bytes) -> SendError:
    server = RawServer(payload)
    try:
        with pytest.raises(SendError) as caught:
            transport.send(Request(url=f"{server.url}/"))
    finally:
        server.close()
    error = caught.value
    for words in PARSER_WORDS:
        assert words not in error.message and words not in error.hint
    return error


OK = b"HTTP/1.1 200 OK\r\n"


@pytest.mark.parametrize(
    ("payload", "kind", "message"),
    [
        (
            OK + b"Transfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n",
            ErrorKind.INVALID_RESPONSE,
            "The server sent a malformed chunked body: a chunk size was not a hexadecimal number",
        ),
        (
            OK + b"Content-Length: 5000\r\n\r\n" + b"x" * 1234,
            ErrorKind.CONNECTION_FAILED,
            "The connection closed after 1,234 of 5,000 bytes",
        ),
        (
            OK + b"Transfer-Encoding: chunked\r\n\r\n10\r\nhel",
            ErrorKind.CONNECTION_FAILED,
            "The connection closed before the end of the body",
        ),
        (
            OK + b"Content-Encoding: gzip\r\nContent-Length: 20\r\n\r\nnot gzip data at all",
            ErrorKind.INVALID_RESPONSE,
            "The body is not valid gzip data, as its Content-Encoding says it is",
        ),
        (
            OK + b"Content-Encoding: deflate\r\nContent-Length: 8\r\n\r\nnot zlib",
            ErrorKind.INVALID_RESPONSE,
            "The body is not valid deflate data, as its Content-Encoding says it is",
        ),
        (
            OK
            + b"Content-Encoding: gzip\r\nContent-Length: 5000\r\n\r\n"
            + gzip.compress(b"a" * 100)[:30],
            ErrorKind.CONNECTION_FAILED,
            "The connection closed after 30 of 5,000 bytes",  # (urllib3 may count fewer)
        ),
    ],
    ids=["bad-chunk-size", "short-body", "chunked-cut", "bad-gzip", "bad-deflate", "gzip-cut"],
)
def test_broken_bodies_are_plain_sentences(transport, payload, kind, message):
    error = _fail(transport, payload)
    assert error.kind == kind
    assert re.fullmatch(re.escape(message).replace("30", r"\d+"), error.message)
    assert error.hint


def test_a_non_http_answer_names_its_first_line(transport):
    error = _fail(transport, b"SSH-2.0-OpenSSH_9.6\r\n")
    assert error.kind == ErrorKind.INVALID_RESPONSE
    assert error.message.endswith(
        "did not answer with HTTP: its first line was 'SSH-2.0-OpenSSH_9.6'"
    )


def test_an_invalid_status_line(transport):
    error = _fail(transport, b"HTTP/1.1 abc OK\r\n\r\n")
    assert error.message.endswith("sent an invalid status line: 'HTTP/1.1 abc OK'")


def test_a_closed_connection_without_response(transport):
    error = _fail(transport, b"")
    assert error.message.endswith("closed the connection without sending a response")


def test_redirect_to_file_names_the_target_and_its_scheme(transport):
    server = RawServer(
        b"HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n"
    )
    try:
        with pytest.raises(SendError) as caught:
            transport.send(Request(url=f"{server.url}/start"))
    finally:
        server.close()
    error = caught.value
    assert error.kind == ErrorKind.INVALID_URL
    assert error.message == (
        f"{server.url}/start redirected to file:///etc/passwd, whose scheme 'file' cannot "
        "be followed"
    )
    assert "'http'" not in error.message


@pytest.mark.parametrize(
    ("location", "reason"),
    [("http://[::1", "Invalid IPv6 URL"), ("http://127.0.0.1:99999/", "Port out of range")],
)
def test_redirect_to_an_invalid_url_names_the_target(transport, location, reason):
    server = RawServer(
        b"HTTP/1.1 302 Found\r\nLocation: " + location.encode() + b"\r\nContent-Length: 0\r\n\r\n"
    )
    try:
        with pytest.raises(SendError) as caught:
            transport.send(Request(url=f"{server.url}/start"))
    finally:
        server.close()
    error = caught.value
    assert error.kind == ErrorKind.INVALID_URL
    assert error.message.startswith(
        f"{server.url}/start redirected to {location!r}, which is not a valid URL ({reason}"
    )
