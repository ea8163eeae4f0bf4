"""/anything, /get … /delete, /headers, /ip, /user-agent, /uuid, /upload."""

from __future__ import annotations

import base64
import hashlib
import io
import uuid

import pytest

from .conftest import assert_problem


def test_anything_shape_for_json(client):
    body = b'{"k": [1, 2]}'
    response = client.post(
        "/anything/a/b?x=1&x=2&sp=a%20b",
        data=body,
        content_type="application/json",
        headers={"X-Trace": "abc"},
    )
    assert response.status_code == 200
    echo = response.get_json()
    assert echo["method"] == "POST"
    assert echo["path"] == "/anything/a/b"
    assert echo["url"] == "http://localhost/anything/a/b?x=1&x=2&sp=a%20b"
    assert echo["query_string"] == "x=1&x=2&sp=a%20b"
    assert echo["args"] == {"x": ["1", "2"], "sp": "a b"}
    assert echo["headers"]["X-Trace"] == "abc"
    assert echo["data"] == body.decode()
    assert base64.b64decode(echo["data_base64"]) == body
    assert echo["data_sha256"] == hashlib.sha256(body).hexdigest()
    assert echo["data_size"] == len(body)
    assert echo["json"] == {"k": [1, 2]}
    assert echo["form"] == {} and echo["files"] == []
    assert echo["origin"] == "127.0.0.1"


def test_anything_binary_and_invalid_utf8(client):
    body = b"\xff\xfe\x00raw"
    echo = client.put("/anything", data=body, content_type="application/octet-stream").get_json()
    assert echo["data"] == "\ufffd\ufffd\x00raw"
    assert base64.b64decode(echo["data_base64"]) == body
    assert echo["json"] is None and echo["data_size"] == 6


def test_anything_form_and_files(client):
    response = client.post(
        "/anything",
        data={
            "tag": ["a", "b"],
            "note": "hi",
            "upload": (io.BytesIO(b"hello world"), "hello.txt", "text/plain"),
        },
    )
    echo = response.get_json()
    assert echo["form"] == {"tag": ["a", "b"], "note": "hi"}
    assert echo["files"] == [
        {
            "name": "upload",
            "filename": "hello.txt",
            "content_type": "text/plain",
            "size": 11,
            "sha256": hashlib.sha256(b"hello world").hexdigest(),
        }
    ]
    assert echo["data_size"] > 11  # the raw multipart body is echoed too


@pytest.mark.parametrize(
    "method", ["GET", "DELETE", "PATCH", "OPTIONS", "PURGE", "PROPFIND", "FOO"]
)
def test_anything_accepts_any_method(client, method):
    response = client.open("/anything", method=method)
    assert response.status_code == 200
    assert response.get_json()["method"] == method


def test_urlencoded_form(client):
    echo = client.post(
        "/anything", data="a=1&a=2&b=%C3%A9", content_type="application/x-www-form-urlencoded"
    ).get_json()
    assert echo["form"] == {"a": ["1", "2"], "b": "é"}
    assert echo["data"] == "a=1&a=2&b=%C3%A9"


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_method_endpoints(client, method):
    response = getattr(client, method)(
        f"/{method}", json={"m": method} if method != "get" else None
    )
    assert response.status_code == 200
    assert response.get_json()["method"] == method.upper()
    other = "post" if method == "get" else "get"
    wrong = getattr(client, other)(f"/{method}")
    assert_problem(wrong, 405)
    assert method.upper() in wrong.headers["Allow"]


def test_small_helpers(client):
    assert client.get("/headers", headers={"X-A": "1"}).get_json()["headers"]["X-A"] == "1"
    assert client.get("/ip").get_json() == {"origin": "127.0.0.1"}
    ua = client.get("/user-agent", headers={"User-Agent": "practice/1.0"}).get_json()
    assert ua == {"user-agent": "practice/1.0"}
    first, second = (client.get("/uuid").get_json()["uuid"] for _ in range(2))
    assert uuid.UUID(first).version == 4 and first != second


def test_upload_describes_fields_and_files(client):
    payload = bytes(range(256)) * 100
    response = client.post(
        "/upload",
        data={
            "caption": "two files",
            "a": (io.BytesIO(payload), "data.bin", "application/octet-stream"),
            "b": (io.BytesIO(b""), "empty.txt", "text/plain"),
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["fields"] == {"caption": "two files"}
    files = {f["name"]: f for f in body["files"]}
    assert files["a"]["size"] == len(payload)
    assert files["a"]["sha256"] == hashlib.sha256(payload).hexdigest()
    assert files["a"]["filename"] == "data.bin"
    assert files["a"]["content_type"] == "application/octet-stream"
    assert files["b"]["size"] == 0
    assert body["total_file_bytes"] == len(payload)


def test_upload_requires_multipart_and_caps_size():
    from bundled_server import create_app

    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 2048}).test_client()
    assert_problem(client.post("/upload", json={"a": 1}), 415)
    big = client.post("/upload", data={"f": (io.BytesIO(b"x" * 4096), "big.bin")})
    assert_problem(big, 413)
