"""Generated and timed bodies: /bytes, /range, /large, /gzip, /deflate, /json, /xml, /html,
/image, /delay, /drip, /stream, /sse."""

from __future__ import annotations

import gzip
import json
import struct
import time
import xml.etree.ElementTree as ET
import zlib

import pytest

from bundled_server.toolbox.payloads import large_chunks

from .conftest import assert_problem


def test_bytes_size_and_seed(client):
    a = client.get("/bytes/1000?seed=3")
    assert a.status_code == 200 and len(a.data) == 1000
    assert a.mimetype == "application/octet-stream"
    assert client.get("/bytes/1000?seed=3").data == a.data
    assert client.get("/bytes/1000?seed=4").data != a.data
    assert client.get("/bytes/0").data == b""
    assert_problem(client.get("/bytes/99999999"), 400)


def test_range_206_and_416(client):
    full = client.get("/range/52")
    assert full.data == b"abcdefghijklmnopqrstuvwxyz" * 2
    assert full.headers["Accept-Ranges"] == "bytes"
    part = client.get("/range/52", headers={"Range": "bytes=26-29"})
    assert part.status_code == 206 and part.data == b"abcd"
    assert part.headers["Content-Range"] == "bytes 26-29/52"
    tail = client.get("/range/52", headers={"Range": "bytes=-3"})
    assert tail.data == b"xyz"
    outside = client.get("/range/52", headers={"Range": "bytes=100-200"})
    assert_problem(outside, 416)
    assert outside.headers["Content-Range"] == "bytes */52"


@pytest.mark.parametrize("size", [0.001, 0.5, 1, 2.5])
def test_large_is_exact_valid_json(client, size):
    response = client.get(f"/large/{size}")
    expected = round(size * 1024 * 1024)
    assert response.headers["Content-Length"] == str(expected)
    assert len(response.data) == expected
    records = json.loads(response.data)
    assert records[0]["id"] == 1
    assert [r["id"] for r in records] == list(range(1, len(records) + 1))
    assert client.get(f"/large/{size}").data == response.data  # deterministic


def test_large_is_streamed_and_capped(client):
    chunks = large_chunks(5 * 1024 * 1024)
    assert next(chunks) == b"["
    assert len(next(chunks)) < 100_000  # one batch at a time, not the whole document
    for bad in ("0", "201", "abc", "nan"):
        assert_problem(client.get(f"/large/{bad}"), 400)


def test_gzip_and_deflate(client):
    gz = client.get("/gzip")
    assert gz.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(gz.data))["gzipped"] is True
    deflated = client.get("/deflate")
    assert deflated.headers["Content-Encoding"] == "deflate"
    assert json.loads(zlib.decompress(deflated.data))["deflated"] is True


def test_json_xml_html_samples(client):
    assert client.get("/json").get_json()["library"]["books"]
    xml = client.get("/xml")
    assert xml.mimetype == "application/xml"
    assert ET.fromstring(xml.data).tag == "library"
    html = client.get("/html")
    assert html.mimetype == "text/html" and b"<h1>Practice Library</h1>" in html.data


def _png_dimensions(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        offset += 12 + length
    return size


@pytest.mark.parametrize(
    ("fmt", "mimetype", "magic"),
    [
        ("png", "image/png", b"\x89PNG"),
        ("jpeg", "image/jpeg", b"\xff\xd8\xff"),
        ("webp", "image/webp", b"RIFF"),
        ("gif", "image/gif", b"GIF89a"),
        ("svg", "image/svg+xml", b"<svg"),
    ],
)
def test_images(client, fmt, mimetype, magic):
    response = client.get(f"/image/{fmt}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.data.startswith(magic)


def test_png_is_well_formed(client):
    assert _png_dimensions(client.get("/image/png").data) == (64, 64)
    assert client.get("/image/gif").data.endswith(b"\x00\x3b")


def test_image_negotiation(client):
    webp = client.get("/image", headers={"Accept": "image/webp,image/*;q=0.8"})
    assert webp.mimetype == "image/webp" and "Accept" in webp.headers["Vary"]
    assert client.get("/image", headers={"Accept": ""}).mimetype == "image/png"
    body = assert_problem(client.get("/image", headers={"Accept": "text/plain"}), 406)
    assert "image/png" in body["available"]
    assert_problem(client.get("/image/bmp"), 404)


def test_delay_and_server_timing(client):
    started = time.perf_counter()
    response = client.post("/delay/0.3")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200 and elapsed >= 0.3
    assert response.get_json()["method"] == "POST"
    timing = response.headers["Server-Timing"]
    entries = [entry.strip().split(";")[0] for entry in timing.split(",")]
    assert entries == ["delay", "render", "total"]
    duration = float(timing.split("dur=")[1].split(";")[0])
    assert 300 <= duration < 2000
    for bad in ("11", "-1", "soon", "nan"):
        assert_problem(client.get(f"/delay/{bad}"), 400)


def test_drip_streams_slowly(client):
    started = time.perf_counter()
    response = client.get("/drip?numbytes=20&duration=0.4&code=201", buffered=False)
    assert response.status_code == 201
    assert response.headers["Content-Length"] == "20"
    chunks = list(response.response)
    elapsed = time.perf_counter() - started
    assert b"".join(chunks) == b"*" * 20
    assert len(chunks) > 1 and elapsed >= 0.35
    response.close()
    assert_problem(client.get("/drip?duration=1000"), 400)
    assert_problem(client.get("/drip?numbytes=0"), 400)


def test_stream_ndjson(client):
    response = client.get("/stream/4")
    assert response.mimetype == "application/x-ndjson"
    lines = response.get_data(as_text=True).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [0, 1, 2, 3]
    assert_problem(client.get("/stream/101"), 400)


def test_sse(client):
    response = client.get("/sse?count=3&interval=0")
    assert response.mimetype == "text/event-stream"
    events = [block for block in response.get_data(as_text=True).split("\n\n") if "id:" in block]
    assert [block.split("\n")[0] for block in events] == ["id: 0", "id: 1", "id: 2"]
    resumed = client.get("/sse?count=1&interval=0", headers={"Last-Event-ID": "9"})
    assert "id: 10\n" in resumed.get_data(as_text=True)
    assert_problem(client.get("/sse?count=100&interval=10"), 400)
