"""Property-based fuzzing of the HAR parts: multipart bodies split and joined, cookies
read from any header, postData read from any shape, and the export of any exchange
imported back with the bytes that were sent.

Short in the normal suite; `make fuzz` sets FUZZ_EXAMPLES to run many more.
"""

from __future__ import annotations

import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.core.formats import FormatError, convert
from explorer.core.formats.har import HarEntry, export_har, import_har
from explorer.core.har.cookies import request_cookies, response_cookies
from explorer.core.har.multipart import FormPart, join_parts, split_parts
from explorer.core.har.post_data import read_post_data

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None
BOUNDARY = "fuzzB0undary7"

names = st.text(st.characters(blacklist_characters='"\\\r\n', codec="utf-8"), max_size=12)
payloads = st.binary(max_size=64).filter(lambda data: BOUNDARY.encode() not in data)
parts = st.builds(
    FormPart,
    name=names,
    data=payloads,
    filename=st.none() | names,
    content_type=st.sampled_from(["", "text/plain", "application/octet-stream", "image/png"]),
)


@settings(max_examples=EXAMPLES or 150, deadline=None)
@given(st.lists(parts, max_size=5))
def test_multipart_parts_join_and_split_back(form: list[FormPart]) -> None:
    assert split_parts(join_parts(form, BOUNDARY), BOUNDARY) == form


@settings(max_examples=EXAMPLES or 150, deadline=None)
@given(data=st.binary(max_size=300), boundary=st.text(max_size=30), cut=st.integers(0, 300))
def test_any_bytes_split_as_parts_or_none(data: bytes, boundary: str, cut: int) -> None:
    joined = join_parts([FormPart("a", data, "f.bin")], BOUNDARY)
    for body, mark in ((data, boundary), (joined[:cut], BOUNDARY), (joined, boundary)):
        found = split_parts(body, mark)
        assert found is None or all(isinstance(part, FormPart) for part in found)


@settings(max_examples=EXAMPLES or 150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Cookie", "Set-Cookie", "X"]), st.text()), max_size=4))
def test_cookies_are_read_from_any_header(headers: list[tuple[str, str]]) -> None:
    for cookie in [*request_cookies(tuple(headers)), *response_cookies(tuple(headers))]:
        assert isinstance(cookie["name"], str) and cookie["name"]
        assert isinstance(cookie["value"], str)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
post_keys = st.sampled_from(["mimeType", "text", "params", "encoding", "_encoding", "x"])
post_values = st.sampled_from(
    [
        "multipart/form-data; boundary=b",
        "application/x-www-form-urlencoded",
        "base64",
        "QUJD",
        "a=1",
    ]
)


@settings(max_examples=EXAMPLES or 200, deadline=None)
@given(
    st.dictionaries(post_keys, post_values | json_values, max_size=5), st.sets(st.text(max_size=5))
)
def test_post_data_of_any_shape_is_a_body_or_one_error(post: dict, used: set[str]) -> None:
    try:
        read = read_post_data(post, "$.postData", 0, set(used))
    except FormatError as error:
        assert "\n" not in str(error)
        return
    for name, _data in read.files:
        assert "/" not in name and not name.startswith(".")
        assert not name.lower().endswith((".yaml", ".yml"))


content_types = st.sampled_from(
    ["application/json", "application/octet-stream", "text/plain; charset=utf-8", ""]
)


@st.composite
def exchanges(draw: st.DrawFn) -> HarEntry:
    multipart = draw(st.booleans())
    if multipart:
        body = join_parts(draw(st.lists(parts, min_size=1, max_size=3)), BOUNDARY)
        content_type = f"multipart/form-data; boundary={BOUNDARY}"
    else:
        body, content_type = draw(st.binary(max_size=80)), draw(content_types)
    headers = (("Content-Type", content_type),) if content_type else ()
    cookie = draw(st.text(max_size=20))
    return HarEntry(
        method=draw(st.sampled_from(["GET", "POST", "PUT", "PURGE"])),
        url=f"http://h.example/{draw(st.text('abc/%?=&', max_size=10))}",
        request_headers=(*headers, ("Cookie", cookie)),
        request_body=body,
        status=draw(st.integers(100, 599)),
        response_headers=(("Set-Cookie", cookie),),
        response_body=draw(st.binary(max_size=40)),
    )


@settings(max_examples=EXAMPLES or 150, deadline=None)
@given(st.lists(exchanges(), min_size=1, max_size=3))
def test_an_exported_exchange_imports_with_the_bytes_sent(entries: list[HarEntry]) -> None:
    text = export_har(entries)
    json.loads(text)
    back = import_har(text)
    assert [e.request_body for e in back.entries] == [e.request_body for e in entries]
    assert [e.response_body for e in back.entries] == [e.response_body for e in entries]
    assert convert(text).format == "har"
