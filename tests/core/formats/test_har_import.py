"""HAR import: malformed entries are skipped and counted (never empty requests),
queryString pairs are kept without duplicating the URL's query, and postData in every
shape writers use (params, multipart text or params, base64); the export's bodies,
redirects and cookies come back."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from explorer.core.collection import walk_requests
from explorer.core.formats import FormatError, convert
from explorer.core.formats.har import HarEntry, export_har, import_har
from explorer.core.har.multipart import FormPart, join_parts, split_parts
from explorer.core.model import Body, BodyKind, Pair, Part

FIXTURES = Path(__file__).parent / "fixtures" / "har"


def _load(name: str):
    return convert((FIXTURES / name).read_text(encoding="utf-8"), filename=name)


def _requests(imported):
    return [item.request for _, item in walk_requests(imported.result.collection)]


def test_malformed_entries_are_skipped_and_counted() -> None:
    imported = _load("malformed_entries.har")
    assert [(r.method, r.url) for r in _requests(imported)] == [
        ("GET", "https://photos.example.net/api/ok")
    ]
    assert len(imported.har_entries) == 1
    assert imported.result.report == (
        "1 HAR entry skipped (entry 1): url, method directly under the entry instead of"
        " under request.",
        "1 HAR entry skipped (entry 3): no request.",
        "2 HAR entries skipped (entries 4, 6): an empty URL.",
        "1 HAR entry skipped (entry 5): not an object.",
    )


def test_an_archive_of_nothing_but_malformed_entries_is_refused() -> None:
    document = {"log": {"entries": [{"url": "https://x.example/a", "method": "GET"}]}}
    with pytest.raises(FormatError) as caught:
        convert(json.dumps(document), "har")
    assert "None of the 1 HAR entries could be read" in caught.value.message
    assert "directly under the entry" in caught.value.message


@pytest.mark.parametrize(
    ("document", "said"),
    [
        ({"info": {}, "item": []}, "Not a HAR archive: a JSON object with keys info, item"),
        ({"log": {"version": "1.2"}}, "a HAR log without entries"),
        ({"log": {"entries": {"0": {}}}}, "Expected an array, found an object"),
        ([1], "Not a HAR archive: no log object"),
    ],
)
def test_a_document_that_is_no_archive_says_what_it_is(document, said) -> None:
    with pytest.raises(FormatError) as caught:
        convert(json.dumps(document), "har")
    assert said in caught.value.message


def test_an_empty_archive_is_an_empty_collection() -> None:
    imported = convert('{"log": {"version": "1.2", "entries": []}}', "har")
    assert _requests(imported) == [] and imported.result.report == ()


def test_query_string_pairs_are_kept_once() -> None:
    both, only_in_query_string, *_ = _requests(_load("bodies_and_queries.har"))
    # Chrome writes the query in the URL and decoded in queryString: kept once.
    assert both.url == "https://photos.example.net/api/albums"
    assert both.params == (Pair("sort", "new"), Pair("q", "red tulips"))
    # Some writers give it only in queryString: kept, repeated names too.
    assert only_in_query_string.url == "https://photos.example.net/api/search"
    assert only_in_query_string.params == (
        Pair("tag", "spring"),
        Pair("tag", "garden"),
        Pair("page", "2"),
    )


def test_post_data_in_every_shape() -> None:
    imported = _load("bodies_and_queries.har")
    _, _, login, upload, notes, raw, patch = _requests(imported)
    assert login.body == Body(BodyKind.FORM, form=(Pair("user", "mia"), Pair("remember", "yes")))
    # A multipart body recorded as text (its file's content left out, as Chrome does).
    assert upload.body.kind is BodyKind.MULTIPART
    assert upload.body.parts == (
        Part("title", "Spring photos"),
        Part("photo", file="tulip.jpg", content_type="image/jpeg"),
    )
    assert (
        "The content of the file tulip.jpg (form field 'photo') was not recorded"
        in (imported.result.report[0])
    )
    # Multipart params with a file's content: the file is written beside the collection.
    assert notes.body.parts == (
        Part("album", "7"),
        Part("note", file="note.txt", content_type="text/plain"),
    )
    files = dict(imported.result.files)
    assert files["note.txt"] == b"first light\n"
    # Base64: the bytes as a binary body, from a file beside the collection.
    assert raw.body.kind is BodyKind.BINARY and files[raw.body.file] == b"\x89PNG\x00\xff"
    assert imported.har_entries[5].request_body == b"\x89PNG\x00\xff"
    assert patch.body == Body(
        BodyKind.RAW, text='{"title": "Spring"}', content_type="application/json"
    )
    # What went out, for the history: the multipart body rebuilt with its boundary.
    sent = imported.har_entries[4].request_body
    assert split_parts(sent, "xyzBOUNDARY") == [
        FormPart("album", b"7"),
        FormPart("note", b"first light\n", "note.txt", "text/plain"),
    ]


def test_imported_files_are_written_inside_the_collection(tmp_path) -> None:
    from explorer.application.importing import write_new_collection
    from explorer.core.storage.collection_files import load_collection
    from explorer.core.storage.secrets import SecretStore

    imported = _load("bodies_and_queries.har")
    folder = tmp_path / "photos"
    write_new_collection(imported.result, folder, SecretStore(tmp_path / "secrets.json"))
    assert (folder / "note.txt").read_bytes() == b"first light\n"
    loaded = load_collection(folder).collection
    assert len(walk_requests(loaded)) == 7  # the files are no folders of the collection


def test_the_export_comes_back_with_bodies_redirects_and_cookies() -> None:
    boundary = "b0undary"
    multipart = join_parts(
        [FormPart("a", "ü".encode()), FormPart("f", b"\x00\x01", "x.bin", "image/png")], boundary
    )
    hop = HarEntry(
        method="POST",
        url="http://h.example/go",
        request_headers=(("Content-Type", "text/plain"),),
        request_body=b"hi",
        status=307,
        reason="Temporary Redirect",
        response_headers=(
            ("Location", "/there"),
            ("Set-Cookie", "sid=«redacted»; Path=/; HttpOnly"),
        ),
    )
    entries = [
        HarEntry(
            method="POST",
            url="http://h.example/there",
            request_headers=(("Cookie", "sid=«redacted»"), ("Content-Type", "text/plain")),
            request_body=b"hi",
            status=200,
            reason="OK",
            redirects=(hop,),
        ),
        HarEntry(
            method="PUT",
            url="http://h.example/bin",
            request_headers=(("Content-Type", "application/octet-stream"),),
            request_body=b"\xff\x00\xfe",
            status=204,
        ),
        HarEntry(
            method="POST",
            url="http://h.example/form",
            request_headers=(("Content-Type", f"multipart/form-data; boundary={boundary}"),),
            request_body=multipart,
            status=200,
        ),
    ]
    text = export_har(entries)
    rows = json.loads(text)["log"]["entries"]
    assert [(r["request"]["url"], r["response"]["status"]) for r in rows] == [
        ("http://h.example/go", 307),
        ("http://h.example/there", 200),
        ("http://h.example/bin", 204),
        ("http://h.example/form", 200),
    ]
    assert rows[0]["response"]["redirectURL"] == "/there"
    assert rows[0]["response"]["cookies"] == [
        {"name": "sid", "value": "«redacted»", "path": "/", "httpOnly": True, "secure": False}
    ]
    assert rows[1]["request"]["cookies"] == [{"name": "sid", "value": "«redacted»"}]
    binary = rows[2]["request"]
    assert binary["bodySize"] == 3 and binary["postData"]["encoding"] == "base64"
    assert base64.b64decode(binary["postData"]["text"]) == b"\xff\x00\xfe"
    params = rows[3]["request"]["postData"]["params"]
    assert params == [
        {"name": "a", "value": "ü"},
        {
            "name": "f",
            "fileName": "x.bin",
            "contentType": "image/png",
            "value": "AAE=",
            "encoding": "base64",
            "_encoding": "base64",
        },
    ]
    back = import_har(text)
    assert [e.request_body for e in back.entries] == [b"hi", b"hi", b"\xff\x00\xfe", multipart]
    form = back.result.collection.items[3].request.body
    assert form.kind is BodyKind.MULTIPART
    assert form.parts == (Part("a", "ü"), Part("f", file="x.bin", content_type="image/png"))
    assert dict(back.result.files)["x.bin"] == b"\x00\x01"


def test_a_set_cookie_expiry_becomes_iso_8601() -> None:
    from explorer.core.har.cookies import response_cookies

    (cookie,) = response_cookies(
        (("Set-Cookie", "id=a3fWa; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Secure; Domain=x.io"),)
    )
    assert cookie == {
        "name": "id",
        "value": "a3fWa",
        "expires": "2015-10-21T07:28:00.000Z",
        "secure": True,
        "domain": "x.io",
        "httpOnly": False,
    }
    assert response_cookies((("Set-Cookie", "x=1; Expires=whenever"),)) == [
        {"name": "x", "value": "1", "httpOnly": False, "secure": False}
    ]


def test_an_empty_post_data_is_no_body() -> None:
    """Fiddler writes `"postData": {"text": "", "mimeType": ""}` on every GET."""
    entry = {
        "request": {
            "method": "GET",
            "url": "http://h.example/get?a=1",
            "headers": [{"name": "Content-Type", "value": "text/plain"}],
            "postData": {"text": "", "mimeType": ""},
        }
    }
    (request,) = _requests(convert(json.dumps({"log": {"entries": [entry]}}), "har"))
    assert request.body == Body()
    assert request.headers == (Pair("Content-Type", "text/plain"),)  # kept as recorded


def test_cookies_recorded_only_in_cookies_are_sent_as_a_header() -> None:
    cookies = [{"name": "__utmt", "value": "1", "expires": None}, {"name": "id", "value": "a b"}]
    entry = {"request": {"method": "GET", "url": "http://h.example/", "cookies": cookies}}
    with_header = {
        "request": {
            "method": "GET",
            "url": "http://h.example/",
            "cookies": cookies,
            "headers": [{"name": "cookie", "value": "__utmt=1; id=a b"}],
        }
    }
    document = {"log": {"entries": [entry, with_header]}}
    only, both = _requests(convert(json.dumps(document), "har"))
    assert only.headers == (Pair("Cookie", "__utmt=1; id=a b"),)
    assert both.headers == (Pair("cookie", "__utmt=1; id=a b"),)  # not twice


def test_query_string_values_written_percent_encoded_are_not_encoded_twice() -> None:
    # Seen with a real HAR (httpsnippet's query-encoded fixture): `queryString` held
    # `2019-06-13T19%3A08%3A25.455Z`, the URL no query; the import sent
    # `startTime=2019-06-13T19%253A08%253A25.455Z`, a different value.
    from explorer.core.urls import join_url

    entry = {
        "request": {
            "method": "GET",
            "url": "https://h.example/anything",
            "queryString": [
                {"name": "startTime", "value": "2019-06-13T19%3A08%3A25.455Z"},
                {"name": "q", "value": "100% sure"},  # no escape: taken as written
            ],
        },
        "response": {"status": 200},
    }
    imported = import_har(json.dumps({"log": {"version": "1.2", "entries": [entry]}}))
    [request] = _requests(imported)
    assert request.params == (
        Pair("startTime", "2019-06-13T19:08:25.455Z"),
        Pair("q", "100% sure"),
    )
    assert "%25" not in join_url(request.url, request.params).replace("100%25", "")
