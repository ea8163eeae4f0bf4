"""What a hostile or broken client can send: lone surrogates, endless chunked bodies, silence.

The body-size and idle tests talk to real werkzeug servers over raw sockets on 127.0.0.1,
because both bugs live below Flask's test client (the chunked decoder and the socket).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterable, Iterator

import pytest
from werkzeug.serving import make_server

from bundled_server import create_app
from bundled_server.__main__ import parse_args

from .conftest import PROBLEM, assert_problem, read_ready_line

LONE_SURROGATE = b'{"title": "\\ud800"}'  # JSON text escapes: valid syntax, invalid Unicode


@pytest.mark.parametrize("path", ["/api/todos", "/anything", "/post"])
def test_lone_surrogate_is_400_problem(client, path):
    response = client.post(path, data=LONE_SURROGATE, content_type="application/json")
    body = assert_problem(response, 400)
    assert body["type"] == "/problems/malformed-json"
    assert "/title" in body["detail"] and "surrogate" in body["detail"]


def test_lone_surrogate_in_a_member_name_is_400_and_the_answer_is_utf8(client):
    raw = b'{"a": [1, {"\\udc00x": 2}]}'
    response = client.post("/api/todos", data=raw, content_type="application/json")
    body = assert_problem(response, 400)
    assert "/a/1/" in body["detail"]
    response.get_data().decode("utf-8")  # strict: the answer itself is valid UTF-8


def test_paired_surrogates_are_fine(client):
    raw = b'{"title": "\\ud83d\\ude00 party"}'
    response = client.post("/api/todos", data=raw, content_type="application/json")
    assert response.status_code == 201
    assert response.get_json()["title"] == "\N{GRINNING FACE} party"


def test_deeply_nested_json_is_400_not_500(client):
    response = client.post("/api/todos", data=b"[" * 100_000, content_type="application/json")
    assert_problem(response, 400)


def test_lone_surrogate_over_the_wire_is_400(server):
    status, headers, body = _exchange(
        server.url,
        b"POST /api/todos HTTP/1.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(LONE_SURROGATE) + LONE_SURROGATE,
    )
    assert status == 400 and headers["content-type"] == PROBLEM
    assert "surrogate" in json.loads(body)["detail"]


# --- chunked bodies over the cap ------------------------------------------------------


def _host_port(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def _exchange(url: str, head: bytes, chunks: Iterable[bytes] = ()) -> tuple:
    """Send ``head`` then ``chunks`` (from a thread, so a server that answers early and
    stops reading cannot deadlock us) and read the whole answer: (status, headers, body)."""
    host, port = _host_port(url)
    with socket.create_connection((host, port), timeout=20) as sock:
        sock.sendall(head.replace(b"\r\n", f"\r\nHost: {host}:{port}\r\n".encode(), 1))

        def send_rest() -> None:
            try:
                for chunk in chunks:
                    sock.sendall(chunk)
            except OSError:
                pass  # the server may close once it has answered 413

        sender = threading.Thread(target=send_rest, daemon=True)
        sender.start()
        received = bytearray()
        while b"\r\n\r\n" not in received or len(received) < _expected_length(received):
            data = sock.recv(65536)
            if not data:
                break
            received += data
    head_bytes, _, body = bytes(received).partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _expected_length(received: bytearray) -> int:
    head, _, _ = bytes(received).partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(head) + 4 + int(value)
    return 1 << 62  # no length: read to the end of the connection


def _chunked(total: int, size: int = 1024 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        yield b"%x\r\n" % piece + b"x" * piece + b"\r\n"
        sent += piece
    yield b"0\r\n\r\n"


CHUNKED_HEAD = (
    b"POST %s HTTP/1.1\r\nContent-Type: application/octet-stream\r\n"
    b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
)


def test_chunked_upload_over_the_32_mib_cap_is_413(server):
    status, headers, body = _exchange(
        server.url, CHUNKED_HEAD % b"/anything", _chunked(33 * 1024 * 1024)
    )
    assert status == 413, body[:200]
    assert headers["content-type"] == PROBLEM
    assert str(32 * 1024 * 1024) in json.loads(body)["detail"]


@pytest.fixture
def small_cap_url() -> Iterator[str]:
    """A real werkzeug server whose body cap is 1000 bytes (the practice app, unchanged)."""
    app = create_app({"MAX_CONTENT_LENGTH": 1000})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.mark.parametrize(("size", "status"), [(999, 200), (1000, 200), (1001, 413), (5000, 413)])
def test_chunked_body_is_allowed_up_to_the_cap_exactly(small_cap_url, size, status):
    got, headers, body = _exchange(small_cap_url, CHUNKED_HEAD % b"/anything", _chunked(size, 300))
    assert got == status, body[:200]
    if status == 200:
        assert json.loads(body)["data_size"] == size  # nothing cut
    else:
        assert headers["content-type"] == PROBLEM


def test_chunked_multipart_upload_over_the_cap_is_413(small_cap_url):
    part = (
        b"--b\r\nContent-Disposition: form-data; name=f; filename=a.bin\r\n\r\n"
        + b"x" * 4000
        + b"\r\n--b--\r\n"
    )
    head = CHUNKED_HEAD.replace(b"application/octet-stream", b"multipart/form-data; boundary=b")
    status, headers, _ = _exchange(
        small_cap_url, head % b"/upload", iter([b"%x\r\n" % len(part) + part + b"\r\n0\r\n\r\n"])
    )
    assert status == 413 and headers["content-type"] == PROBLEM


# --- idle connections -----------------------------------------------------------------


def test_idle_timeout_defaults_to_30_seconds():
    assert parse_args([]).idle_timeout == 30.0
    assert parse_args(["--idle-timeout", "1.5"]).idle_timeout == 1.5


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf"])
def test_bad_idle_timeout_is_a_usage_error(spawn, value):
    process = spawn("--idle-timeout", value)
    assert process.wait(timeout=10) == 2
    stderr = process.stderr.read().decode()
    assert "--idle-timeout" in stderr and "Traceback" not in stderr


def test_silent_connection_is_closed_after_the_idle_timeout(spawn):
    process = spawn("--port", "0", "--idle-timeout", "1")
    host, port = _host_port(json.loads(read_ready_line(process))["url"])
    with socket.create_connection((host, port), timeout=10) as sock:
        began = time.monotonic()
        assert sock.recv(1024) == b""  # closed by the server, not by our 10 s timeout
        assert time.monotonic() - began < 8
    # The server is still fine for everyone else.
    status, _, _ = _exchange(f"http://{host}:{port}", b"GET /health HTTP/1.1\r\n\r\n")
    assert status == 200


def test_stalled_body_is_closed_after_the_idle_timeout(spawn):
    process = spawn("--port", "0", "--idle-timeout", "1")
    host, port = _host_port(json.loads(read_ready_line(process))["url"])
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(
            f"POST /anything HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Length: 100\r\n\r\nonly ten b".encode()
        )
        began = time.monotonic()
        while sock.recv(65536):  # whatever it answers, it must then close
            pass
        assert time.monotonic() - began < 8
