"""The request model becomes exactly the prepared request expected, for every kind."""

from __future__ import annotations

import base64
import hashlib
import io
from contextlib import ExitStack

import pytest
import requests
from werkzeug.formparser import parse_form_data
from werkzeug.test import EnvironBuilder

from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.prepare import automatic_headers, final_url, header_problem, prepare
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Pair, Part, Request


def prepared(request: Request):
    with ExitStack() as files:
        result = prepare(requests.Session(), request, files)
        if hasattr(result.body, "read"):
            result.body = result.body.read()
        return result


def parse_multipart(prep) -> tuple[dict, dict]:
    builder = EnvironBuilder(
        method="POST",
        input_stream=io.BytesIO(prep.body),
        content_type=prep.headers["Content-Type"],
        content_length=len(prep.body),
    )
    _, form, files = parse_form_data(builder.get_environ())
    return form, files


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        ("http://h/p", [Pair("q", "a b")], "http://h/p?q=a%20b"),
        ("http://h/p", [Pair("q", "a&b=c#d")], "http://h/p?q=a%26b%3Dc%23d"),
        ("http://h/p", [Pair("q", "1+1")], "http://h/p?q=1%2B1"),
        ("http://h/p", [Pair("k", "한")], "http://h/p?k=%ED%95%9C"),
        ("http://h/p", [Pair("a", "1"), Pair("a", "2")], "http://h/p?a=1&a=2"),
        ("http://h/p", [Pair("a", "1"), Pair("b", "2", enabled=False)], "http://h/p?a=1"),
        ("http://h/p?x=1", [Pair("y", "2")], "http://h/p?x=1&y=2"),
        ("http://h/p#frag", [Pair("y", "2")], "http://h/p?y=2#frag"),
        ("http://h/p", [Pair("flag", "")], "http://h/p?flag"),
        ("h:8080/p", [], "http://h:8080/p"),
    ],
)
def test_query_encoding(url, params, expected):
    request = Request(url=url, params=tuple(params))
    assert final_url(request) == expected
    assert prepared(request).url == expected


@pytest.mark.parametrize(
    ("url", "values", "expected"),
    [
        ("http://h/users/:id", {"id": "42"}, "http://h/users/42"),
        (
            "http://h/users/:id/items/:item",
            {"id": "7", "item": "a b"},
            "http://h/users/7/items/a%20b",
        ),
        ("http://h/files/:name", {"name": "a/b"}, "http://h/files/a%2Fb"),
        ("http://h:8080/:id", {"id": "x"}, "http://h:8080/x"),
        ("http://h/users/:id", {}, "http://h/users/:id"),
    ],
)
def test_path_parameters(url, values, expected):
    path_params = tuple(Pair(name, value) for name, value in values.items())
    assert prepared(Request(url=url, path_params=path_params)).url == expected


def test_raw_json_body():
    body = Body(kind=BodyKind.RAW, text='{"a": "é"}', content_type="application/json")
    prep = prepared(Request(method="POST", url="http://h/", body=body))
    assert prep.body == '{"a": "é"}'.encode()
    assert prep.headers["Content-Type"] == "application/json"
    assert prep.headers["Content-Length"] == str(len('{"a": "é"}'.encode()))


def test_form_body():
    body = Body(
        kind=BodyKind.FORM,
        form=(Pair("a", "1 2"), Pair("b", "&="), Pair("off", "x", enabled=False)),
    )
    prep = prepared(Request(method="POST", url="http://h/", body=body))
    assert prep.body == "a=1+2&b=%26%3D"
    assert prep.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_multipart_body(tmp_path):
    upload = tmp_path / "photo.png"
    upload.write_bytes(b"\x89PNG fake image bytes")
    body = Body(
        kind=BodyKind.MULTIPART,
        parts=(
            Part("title", "Holiday"),
            Part("photo", file=str(upload), content_type="image/png"),
            Part("skipped", "x", enabled=False),
        ),
    )
    prep = prepared(Request(method="POST", url="http://h/", body=body))
    assert prep.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    form, files = parse_multipart(prep)
    assert dict(form) == {"title": "Holiday"}
    photo = files["photo"]
    assert photo.filename == "photo.png"
    assert photo.content_type == "image/png"
    assert hashlib.sha256(photo.read()).digest() == hashlib.sha256(upload.read_bytes()).digest()


def test_binary_body(tmp_path):
    blob = tmp_path / "data.bin"
    blob.write_bytes(bytes(range(256)))
    body = Body(kind=BodyKind.BINARY, file=str(blob))
    prep = prepared(Request(method="PUT", url="http://h/", body=body))
    assert prep.body == bytes(range(256))
    assert prep.headers["Content-Type"] == "application/octet-stream"
    assert prep.headers["Content-Length"] == "256"


def test_user_content_type_is_kept():
    body = Body(kind=BodyKind.RAW, text="<a/>", content_type="application/xml")
    headers = (Pair("content-type", "text/xml; charset=utf-8"),)
    prep = prepared(Request(method="POST", url="http://h/", headers=headers, body=body))
    assert prep.headers["Content-Type"] == "text/xml; charset=utf-8"


def test_basic_auth():
    auth = Auth(kind=AuthKind.BASIC, username="ada", password="pä ss")
    prep = prepared(Request(url="http://h/", auth=auth))
    # RFC 7617: UTF-8, as curl and browsers send it (requests alone would use latin-1).
    expected = base64.b64encode("ada:pä ss".encode()).decode()
    assert prep.headers["Authorization"] == f"Basic {expected}"


def test_bearer_auth():
    prep = prepared(Request(url="http://h/", auth=Auth(kind=AuthKind.BEARER, token="t0k")))
    assert prep.headers["Authorization"] == "Bearer t0k"


def test_api_key_in_header_and_query():
    header = Auth(kind=AuthKind.API_KEY, key_name="X-Api-Key", key_value="k1", key_in="header")
    assert prepared(Request(url="http://h/", auth=header)).headers["X-Api-Key"] == "k1"
    query = Auth(kind=AuthKind.API_KEY, key_name="api key", key_value="k&2", key_in="query")
    assert prepared(Request(url="http://h/p", auth=query)).url == "http://h/p?api%20key=k%262"


def test_digest_auth_waits_for_the_challenge():
    auth = Auth(kind=AuthKind.DIGEST, username="u", password="p")
    prep = prepared(Request(url="http://h/", auth=auth))
    assert "Authorization" not in prep.headers  # sent only in answer to a 401


def test_duplicate_headers_survive_preparation():
    headers = (Pair("X-A", "1"), Pair("X-B", "b"), Pair("x-a", "2"))
    prep = prepared(Request(url="http://h/", headers=headers))
    # HTTPHeaderDict spells every line of a name as it was first written.
    assert [(k, v) for k, v in prep.headers.items() if k.lower() == "x-a"] == [
        ("X-A", "1"),
        ("X-A", "2"),
    ]


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("X Y", "v", "whitespace"),
        ("X:Y", "v", "not allowed"),
        ("X", "a\r\nb", "line break"),
        ("", "v", "no name"),
    ],
)
def test_header_problems(name, value, words):
    assert words in header_problem(name, value)
    with pytest.raises(SendError) as caught:
        prepared(Request(url="http://h/", headers=(Pair(name, value),)))
    assert caught.value.kind == ErrorKind.INVALID_HEADER


def test_automatic_headers_list_what_requests_adds():
    body = Body(kind=BodyKind.RAW, text='{"a":1}', content_type="application/json")
    request = Request(
        method="POST",
        url="http://example.com:8080/x",
        headers=(Pair("Accept", "application/json"),),
        body=body,
        auth=Auth(kind=AuthKind.BEARER, token="abc"),
    )
    rows = {name: value for name, value, _source in automatic_headers(request)}
    assert rows["Host"] == "example.com:8080"
    assert rows["User-Agent"].startswith("python-requests/")
    assert rows["Content-Type"] == "application/json"
    assert rows["Content-Length"] == "7"
    assert rows["Authorization"] == "Bearer abc"
    assert "Accept" not in rows  # the user set it
    # And they are what really goes out.
    prep = prepared(request)
    for name in ("User-Agent", "Content-Type", "Content-Length", "Authorization"):
        assert prep.headers[name] == rows[name]


def test_a_url_without_a_host_is_named_once_in_the_message():
    with ExitStack() as files, pytest.raises(SendError) as caught:
        prepare(requests.Session(), Request(url="http:///api/todos"), files)
    assert caught.value.kind == ErrorKind.INVALID_URL
    assert caught.value.message == "Invalid URL 'http:///api/todos': No host supplied"
