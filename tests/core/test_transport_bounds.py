"""Bounded sends against hostile servers on 127.0.0.1: gzip bombs and endless bodies stop
at the size limit, a cancel ends every phase at once, deadlines and timeouts hold.

The servers are raw sockets in threads, so they can misbehave in ways no framework lets
a server misbehave (never answer a TLS handshake, send 100 Continue for ever …).
"""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import urllib3

from explorer.core.http import limits
from explorer.core.http.cancel import CancelToken
from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.transport import CHUNK_SIZE, Transport
from explorer.core.model import Options, Request
from tests.support.hostile_server import Handler, HostileServer, read_request

MiB = 1024 * 1024


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], HostileServer]]:
    servers: list[HostileServer] = []

    def start(handler: Handler) -> HostileServer:
        servers.append(HostileServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def spool_dir(tmp_path: Path) -> Path:
    return tmp_path / "spool"


@pytest.fixture
def transport(spool_dir: Path) -> Iterator[Transport]:
    # A low spool threshold, so that the bodies below go to files that must be deleted.
    transport = Transport(spool_dir=spool_dir, spool_threshold=1 * MiB)
    yield transport
    transport.close()


def gzip_bomb(server_counter: list[int]) -> Handler:
    """An endless gzip stream of zeros: each 1 MiB inflates from about 1 KiB."""
    zeros = bytes(MiB)

    def handler(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n"
            b"Connection: close\r\n\r\n"
        )
        packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        while True:
            data = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
            conn.sendall(data)
            server_counter[0] += MiB

    return handler


def endless(conn: socket.socket) -> None:
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")
    block = b"x" * 65536
    while True:
        conn.sendall(block)


def silent(conn: socket.socket) -> None:
    """Accepts the connection, then never says a word (not even to a TLS hello)."""
    while conn.recv(65536):
        pass


def no_headers(conn: socket.socket) -> None:
    read_request(conn)
    while conn.recv(65536):
        pass


def left_in(folder: Path) -> list[Path]:
    """Files left in `folder`, once the background delete of a failed send has run."""
    deadline = time.monotonic() + 5
    while True:
        files = [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []
        if not files or time.monotonic() > deadline:
            return files
        time.sleep(0.02)


def send_error(transport: Transport, request: Request) -> tuple[SendError, float]:
    started = time.perf_counter()
    with pytest.raises(SendError) as caught:
        transport.send(request)
    return caught.value, time.perf_counter() - started


# -- size ---------------------------------------------------------------------------


def test_a_gzip_bomb_stops_at_the_limit_with_no_file_left(serve, transport, spool_dir):
    inflated = [0]
    server = serve(gzip_bomb(inflated))
    request = Request(url=server.url(), options=Options(max_body_size=8 * MiB))
    error, seconds = send_error(transport, request)
    assert error.kind == ErrorKind.BODY_TOO_LARGE
    assert error.message == "The response body passed the 8.0 MB limit"
    assert "Preferences" in error.hint
    assert seconds < 10
    # The server could run ahead only by what the socket buffers hold (a few MiB of
    # compressed zeros inflate to GiB, so this bounds how far the client inflated).
    assert inflated[0] < 4096 * MiB
    assert left_in(spool_dir) == []


def test_an_endless_body_stops_at_the_limit_with_no_file_left(serve, transport, spool_dir):
    server = serve(endless)
    request = Request(url=server.url(), options=Options(max_body_size=5 * MiB))
    error, seconds = send_error(transport, request)
    assert error.kind == ErrorKind.BODY_TOO_LARGE
    assert "5.0 MB limit" in error.message
    assert seconds < 10
    assert left_in(spool_dir) == []


def test_the_app_default_applies_when_the_request_sets_no_limit(serve, transport):
    server = serve(endless)
    limits.set_default_max_body_size(2 * MiB)
    try:
        error, _ = send_error(transport, Request(url=server.url()))
    finally:
        limits.set_default_max_body_size(0)
    assert error.kind == ErrorKind.BODY_TOO_LARGE and "2.0 MB limit" in error.message
    assert limits.default_max_body_size() == limits.DEFAULT_MAX_BODY_SIZE == 1 << 30


def test_a_transport_default_applies_and_a_request_limit_overrides_it(serve, spool_dir):
    server = serve(endless)
    transport = Transport(spool_dir=spool_dir, max_body_size=1 * MiB)
    try:
        small, _ = send_error(transport, Request(url=server.url()))
        larger, _ = send_error(
            transport, Request(url=server.url(), options=Options(max_body_size=3 * MiB))
        )
    finally:
        transport.close()
    assert "1.0 MB limit" in small.message and "3.0 MB limit" in larger.message


def test_a_declared_length_past_the_limit_fails_before_reading(serve, transport):
    def huge(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n")
        silent(conn)  # sends nothing more: reading would wait for the timeout

    server = serve(huge)
    request = Request(url=server.url(), options=Options(max_body_size=MiB, timeout=30))
    error, seconds = send_error(transport, request)
    assert error.kind == ErrorKind.BODY_TOO_LARGE
    assert seconds < 5


def test_a_head_response_declaring_a_huge_length_is_accepted(serve, transport):
    def head(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n")
        silent(conn)

    server = serve(head)
    request = Request(method="HEAD", url=server.url(), options=Options(max_body_size=MiB))
    response = transport.send(request)
    assert response.status == 200 and response.body == b""


def test_a_body_at_the_limit_is_accepted(serve, transport):
    def exact(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n")
        conn.sendall(b"y" * 1000)

    server = serve(exact)
    response = transport.send(Request(url=server.url(), options=Options(max_body_size=1000)))
    assert response.body == b"y" * 1000


def test_urllib3_inflates_at_most_one_read_at_a_time(serve):
    # The transport relies on this (urllib3 >= 2.6): without it one read of a bomb's
    # compressed chunk could inflate hundreds of MiB at once, past any limit.
    server = serve(gzip_bomb([0]))
    with urllib3.PoolManager() as pool:
        response = pool.request("GET", server.url(), preload_content=False)
        sizes = [len(response.read1(CHUNK_SIZE, decode_content=True)) for _ in range(50)]
        response.release_conn()
    assert max(sizes) <= CHUNK_SIZE and sum(sizes) > 0


# -- cancel in every phase ---------------------------------------------------------


def cancel_after(transport: Transport, request: Request, delay: float = 0.3) -> tuple:
    """Send on a thread, cancel after `delay`: (error, seconds from cancel to return)."""
    token = CancelToken()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            transport.send(request, token)
        except SendError as error:
            outcome["error"] = error
        outcome["at"] = time.perf_counter()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    time.sleep(delay)
    cancelled_at = time.perf_counter()
    token.cancel()
    worker.join(10)
    assert not worker.is_alive(), "the send did not return after the cancel"
    return outcome.get("error"), outcome["at"] - cancelled_at


@pytest.mark.parametrize("timeout", [30.0, 0.0])
def test_cancel_during_a_tls_handshake_returns_at_once(serve, transport, timeout):
    server = serve(silent)
    request = Request(url=server.url("https"), options=Options(timeout=timeout))
    error, seconds = cancel_after(transport, request)
    assert isinstance(error, SendError) and error.kind == ErrorKind.CANCELLED
    assert seconds < 2
    # The real time it ran, not "after 0.00 ms".
    assert error.elapsed_ms >= 250


@pytest.mark.parametrize("timeout", [30.0, 0.0])
def test_cancel_while_waiting_for_headers_returns_at_once(serve, transport, timeout):
    server = serve(no_headers)
    request = Request(url=server.url(), options=Options(timeout=timeout))
    error, seconds = cancel_after(transport, request)
    assert isinstance(error, SendError) and error.kind == ErrorKind.CANCELLED
    assert seconds < 2


def test_cancel_during_a_name_lookup_returns_at_once(transport, monkeypatch):
    # A hanging DNS server cannot be made on 127.0.0.1: the lookup itself is slowed.
    real = socket.getaddrinfo

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    request = Request(url="http://slow-lookup.invalid/", options=Options(timeout=0))
    error, seconds = cancel_after(transport, request)
    assert isinstance(error, SendError) and error.kind == ErrorKind.CANCELLED
    assert seconds < 2


def test_cancel_while_connecting_returns_at_once(transport):
    # A listener whose backlog is full never completes new handshakes.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        fillers = []
        try:
            for _ in range(8):
                filler = socket.socket()
                filler.setblocking(False)
                filler.connect_ex(listener.getsockname())
                fillers.append(filler)
            url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
            error, seconds = cancel_after(transport, Request(url=url, options=Options(timeout=0)))
        finally:
            for filler in fillers:
                filler.close()
    assert isinstance(error, SendError) and error.kind == ErrorKind.CANCELLED
    assert seconds < 2


# -- deadlines and timeouts ---------------------------------------------------------


def endless_continue(conn: socket.socket) -> None:
    read_request(conn)
    while True:
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        time.sleep(0.1)


def trickle(conn: socket.socket) -> None:
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
    while True:
        conn.sendall(b"z")
        time.sleep(0.1)


def test_endless_interim_responses_are_refused(serve, transport):
    server = serve(endless_continue)
    error, seconds = send_error(transport, Request(url=server.url(), options=Options(timeout=0)))
    assert error.kind == ErrorKind.CONNECTION_FAILED
    assert "100 Continue" in error.message
    assert seconds < 10


def pause_before_closing(conn: socket.socket) -> None:
    """A body delimited by the connection closing: when a stop shuts the socket down
    mid-body, the read sees an end that looks like the body's own."""
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npartial")
    time.sleep(10)


@pytest.mark.parametrize("handler", [endless_continue, trickle, silent, pause_before_closing])
def test_the_total_deadline_ends_the_whole_exchange(serve, transport, handler):
    server = serve(handler)
    scheme = "https" if handler is silent else "http"
    request = Request(url=server.url(scheme), options=Options(timeout=0, total_timeout=1.0))
    error, seconds = send_error(transport, request)
    assert error.kind == ErrorKind.TOTAL_TIMEOUT
    assert "1 s" in error.message and "total time limit" in error.message
    assert 0.9 <= seconds < 3
    assert 900 <= error.elapsed_ms < 3000


def test_a_response_inside_the_deadline_is_untouched(serve, transport):
    def quick(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    server = serve(quick)
    request = Request(url=server.url(), options=Options(total_timeout=5.0))
    assert transport.send(request).body == b"ok"


def test_a_one_second_timeout_fires_after_about_one_second(serve, transport):
    server = serve(no_headers)
    request = Request(url=server.url(), options=Options(timeout=1.0))
    error, seconds = send_error(transport, request)
    assert error.kind == ErrorKind.READ_TIMEOUT
    # It fired after two seconds: the wait for the first byte and the read of the
    # headers each waited the whole timeout.
    assert 0.9 <= seconds < 1.7


def test_a_cancel_mid_body_is_not_a_complete_response(serve, transport):
    server = serve(pause_before_closing)
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    with pytest.raises(SendError) as caught:
        transport.send(Request(url=server.url(), options=Options(timeout=0)), cancel)
    assert caught.value.kind == ErrorKind.CANCELLED
