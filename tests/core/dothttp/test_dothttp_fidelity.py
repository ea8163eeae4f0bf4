""".http import and export fidelity (#14): any method token, `<` bodies that are not
file includes, and export -> import round trips that give back the same requests."""

from __future__ import annotations

import re

import pytest

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.dothttp.exporter import export_http, export_http_files
from explorer.core.dothttp.parser import import_http
from explorer.core.formats import detect_format, import_text
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    Operator,
    Options,
    Pair,
    Part,
    Request,
    Subject,
)


def _only(text: str) -> Request:
    items = import_http(text).collection.items
    assert len(items) == 1
    assert isinstance(items[0], RequestItem)
    return items[0].request


def _round_trip(request: Request, **collection: object) -> Request:
    text = export_http(Collection("c", items=(RequestItem(request),), **collection))  # type: ignore[arg-type]
    again = _only(text)
    return again.with_changes(name=request.name)


@pytest.mark.parametrize("method", ["PURGE", "QUERY", "PROPFIND", "MKCOL", "M-SEARCH", "LOCK"])
def test_any_method_token_is_a_request_line(method: str) -> None:
    text = f"### one\n{method} https://x.io/a HTTP/1.1\nDepth: 1\n\n<q/>\n"
    request = _only(text)
    assert (request.method, request.url, request.headers) == (
        method,
        "https://x.io/a",
        (Pair("Depth", "1"),),
    )
    assert detect_format(text) == "http"
    # Our own export of such a request reads back.
    assert _round_trip(Request(method, "https://x.io/b", name="m")).method == method


def test_a_host_without_scheme_before_the_version_is_a_url_not_a_method() -> None:
    assert _only("example.com/a HTTP/1.1\n").url == "example.com/a"
    assert _only("get https://x.io/\n").method == "GET"


@pytest.mark.parametrize(
    "body",
    ["<xml>hi</xml>", "<!DOCTYPE html>\n<html></html>", "<a href='x'>", "<@tag>"],
)
def test_a_body_starting_with_angle_bracket_is_text_unless_it_is_a_file_include(
    body: str,
) -> None:
    request = _only(f"POST https://x.io/\nContent-Type: text/xml\n\n{body}\n")
    assert request.body == Body(BodyKind.RAW, text=body, content_type="text/xml")


def test_file_includes_are_the_spaced_forms() -> None:
    assert _only("POST https://x.io/\n\n< ./a.bin\n").body.file == "./a.bin"
    assert _only("POST https://x.io/\n\n<@ ./a.json\n").body.file == "./a.json"
    assert _only("POST https://x.io/\n\n<@latin1 ./a.txt\n").body.kind == BodyKind.BINARY


@pytest.mark.parametrize(
    "auth",
    [
        Auth(AuthKind.BASIC, "{{user}}", "{{password}}"),
        Auth(AuthKind.BASIC, "ann", "p:a ss"),
        Auth(AuthKind.BASIC, "ann smith", "pw"),
        Auth(AuthKind.BASIC, "ann", ""),
        Auth(AuthKind.DIGEST, "ann", "{{pw}}"),
        Auth(AuthKind.API_KEY, key_name="api_key", key_value="{{key}}", key_in="query"),
        Auth(AuthKind.API_KEY, key_name="X-Key", key_value="{{key}}", key_in="header"),
    ],
)
def test_auth_round_trips(auth: Auth) -> None:
    request = Request("GET", "https://x.io/a", params=(Pair("q", "1"),), auth=auth, name="a")
    assert _round_trip(request) == request


def test_basic_auth_uses_the_form_jetbrains_reads() -> None:
    text = export_http(
        Collection("c", items=(RequestItem(Request(auth=Auth(AuthKind.BASIC, "{{u}}", "{{p}}"))),))
    )
    assert "Authorization: Basic {{u}} {{p}}" in text
    assert _only("GET https://x.io/\nAuthorization: Basic dXNlcjpwYXNz\n").headers == (
        Pair("Authorization", "Basic dXNlcjpwYXNz"),
    )


@pytest.mark.parametrize("text", ["a", "a\n", "a\n\n", '{\n  "x": 1\n}\n', "line1\n\nline3"])
def test_a_body_keeps_its_final_line_breaks_exactly(text: str) -> None:
    request = Request(
        "POST", "https://x.io/", body=Body(BodyKind.RAW, text=text, content_type="text/plain")
    )
    assert _round_trip(request) == request


def test_httpyac_body_end_marker_keeps_the_blank_lines_before_it() -> None:
    request = _only("POST https://x.io/\n\nabc\n\n<--->\n\n###\n")
    assert request.body.text == "abc\n"


def test_multipart_round_trips_with_files_text_and_content_types() -> None:
    body = Body(
        BodyKind.MULTIPART,
        parts=(
            Part("title", value="Hello"),
            Part("meta", value='{"a": 1}', content_type="application/json"),
            Part("file", file="/data/photo.heic", content_type="image/heic"),
            Part("raw", file="/data/blob.bin"),
        ),
    )
    request = Request("POST", "https://x.io/upload", body=body, name="u")
    assert _round_trip(request) == request


def test_a_multipart_body_we_cannot_carry_stays_text() -> None:
    text = (
        "POST https://x.io/\nContent-Type: multipart/form-data; boundary=B\n\n"
        '--B\nContent-Disposition: form-data; name="a"\nX-Odd: 1\n\nv\n--B--\n'
    )
    assert _only(text).body.kind == BodyKind.RAW


def test_a_secret_variable_is_never_an_empty_assignment() -> None:
    collection = Collection(
        "c",
        items=(RequestItem(Request(url="{{host}}/a", auth=Auth(AuthKind.BEARER, token="{{t}}"))),),
        variables=(Variable("host", "https://x.io"), Variable("t", "hunter2", secret=True)),
    )
    text = export_http(collection)
    assert "hunter2" not in text
    assert "@t" not in text
    assert "@host = https://x.io" in text
    assert [v.name for v in import_http(text).collection.variables] == ["host"]


def test_folders_inherited_headers_and_auth_are_written_into_each_request() -> None:
    inner = Request(url="https://x.io/a", auth=Auth(AuthKind.INHERIT), name="A")
    collection = Collection(
        "c",
        items=(Folder("F", items=(RequestItem(inner),), headers=(Pair("X-F", "1"),)),),
        auth=Auth(AuthKind.BEARER, token="{{t}}"),
    )
    request = _only(export_http(collection))
    assert request.headers == (Pair("X-F", "1"), Pair("Authorization", "Bearer {{t}}"))


ROWS = (
    Assertion(Subject.STATUS, Operator.EQ, "200"),
    Assertion(Subject.HEADER, Operator.CONTAINS, "json", "Content-Type"),
    Assertion(Subject.JSONPATH, Operator.EQ, "Ann", "$.name"),
    Assertion(Subject.JSONPATH, Operator.GT, "2", "$.items", ("count",)),
    Assertion(Subject.JSONPATH, Operator.IS_TYPE, "list", "$.items"),
    Assertion(Subject.BODY, Operator.MATCHES, "^a.b$"),
    Assertion(Subject.HEADER, Operator.EXISTS, argument="X-Id"),
    Assertion(Subject.JSONPATH, Operator.EQ, "{{id}}", "$.id"),
)
CAPTURES = (
    Capture("token", Subject.JSONPATH, "$.token"),
    Capture("location", Subject.HEADER, "Location"),
)


def test_assertions_and_captures_become_a_handler_that_reads_back() -> None:
    request = Request("GET", "https://x.io/", assertions=ROWS, captures=CAPTURES, name="r")
    exported = export_http_files(Collection("c", items=(RequestItem(request),)))
    assert "> {%" in exported.text
    assert "client.test(" in exported.text
    again = _only(exported.text)
    assert again.assertions == ROWS
    assert again.captures == CAPTURES
    assert not any("was not exported" in line for line in exported.losses)


def test_a_pattern_with_a_slash_matches_the_same_after_the_round_trip() -> None:
    row = Assertion(Subject.BODY, Operator.MATCHES, "a/b")
    request = Request(url="https://x.io/", assertions=(row,), name="r")
    (again,) = _only(export_http(Collection("c", items=(RequestItem(request),)))).assertions
    assert again.operator == Operator.MATCHES
    assert re.search(again.expected, "xa/by") and not re.search(again.expected, "ab")


def test_rows_without_a_jetbrains_form_are_reported() -> None:
    rows = (
        Assertion(Subject.XPATH, Operator.EXISTS, argument="//h1"),
        Assertion(Subject.STATUS, Operator.EQ, "200", enabled=False),
        Assertion(Subject.JSONPATH, Operator.EQ, '{"a": 1}', "$.x"),
    )
    request = Request(url="https://x.io/", assertions=rows, name="r")
    losses = export_http_files(Collection("c", items=(RequestItem(request),))).losses
    assert sum("was not exported" in line for line in losses) == 3


def test_environments_go_beside_with_secret_names_only() -> None:
    collection = Collection(
        "c",
        items=(RequestItem(Request(url="{{host}}/a")),),
        variables=(Variable("api_token", "hunter2", secret=True),),
        environments=(
            Environment("dev", (Variable("host", "http://dev"), Variable("pw", "s3cret", True))),
            Environment("prod", (Variable("host", "https://prod"),)),
        ),
    )
    exported = export_http_files(collection)
    files = dict(exported.files)
    assert set(files) == {"http-client.env.json", "http-client.private.env.json"}
    assert '"host": "http://dev"' in files["http-client.env.json"]
    private = files["http-client.private.env.json"]
    assert "s3cret" not in private and "hunter2" not in private
    assert '"pw": ""' in private and '"api_token": ""' in private


def test_the_application_writes_the_environment_files_beside(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from explorer.application.exporting import write_collection

    collection = Collection(
        "c",
        items=(RequestItem(Request(url="{{host}}/a")),),
        environments=(Environment("dev", (Variable("host", "http://dev"),)),),
    )
    written = write_collection(collection, "http", tmp_path / "api.http")
    assert [p.name for p in written.paths] == ["api.http", "http-client.env.json"]
    result = import_text(
        (tmp_path / "api.http").read_text(), filename="api.http", base_dir=tmp_path
    )
    assert result.collection.environments == collection.environments


def test_no_redirect_and_form_bodies_still_round_trip() -> None:
    request = Request(
        "POST",
        "https://x.io/login",
        body=Body(BodyKind.FORM, form=(Pair("user", "ann"), Pair("p", "a&b c"))),
        options=Options(follow_redirects=False),
        name="l",
    )
    assert _round_trip(request) == request


def test_a_jetbrains_pre_request_script_is_kept_and_written_back() -> None:
    text = (
        '### signed\n< {%\n    request.variables.set("ts", Date.now());\n%}\n'
        "GET https://x.io/a?ts={{ts}}\n"
    )
    result = import_http(text)
    (item,) = result.collection.items
    assert isinstance(item, RequestItem)
    assert item.request.url == "https://x.io/a"
    assert "request.variables.set" in item.request.scripts.kept_pre_request
    assert any("pre-request script" in line for line in result.report)
    exported = export_http_files(result.collection)
    assert _only(exported.text).scripts == item.request.scripts
    assert not any("scripts" in line for line in exported.losses)


def test_a_member_path_reference_is_captured_as_jsonpath() -> None:
    # As httpyac reads it (DEFRA's public api.http writes it this way).
    text = (
        "# @name login\nPOST https://x.io/login\n\n###\n"
        "GET https://x.io/me\nAuthorization: Bearer {{login.response.body.access_token}}\n"
    )
    login, me = import_http(text).collection.items
    assert isinstance(login, RequestItem) and isinstance(me, RequestItem)
    assert login.request.captures == (
        Capture("login_access_token", Subject.JSONPATH, "$.access_token"),
    )
    assert me.request.headers == (Pair("Authorization", "Bearer {{login_access_token}}"),)


def test_a_file_part_followed_by_a_blank_line_is_still_the_file() -> None:
    text = (
        "POST https://x.io/bom\nContent-Type: multipart/form-data; boundary=b\n\n"
        '--b\nContent-Disposition: form-data; name="bom"; filename="bom.xml"\n\n'
        '< ./bom.xml\n\n--b\nContent-Disposition: form-data; name="name"\n\nFoo\n\n--b--\n'
    )
    body = _only(text).body
    assert body.parts == (Part("bom", file="./bom.xml"), Part("name", value="Foo\n"))


def test_file_parts_carry_the_type_api_explorer_sends() -> None:
    request = Request(
        "POST",
        "https://x.io/",
        body=Body(BodyKind.MULTIPART, parts=(Part("p", file="/d/a.png"), Part("b", file="/d/b"))),
        name="u",
    )
    text = export_http(Collection("c", items=(RequestItem(request),)))
    assert "Content-Type: image/png" in text
    assert "Content-Type: application/octet-stream" in text
    assert _round_trip(request) == request
    result = import_http(
        "POST https://x.io/\nContent-Type: multipart/form-data; boundary=b\n\n"
        '--b\nContent-Disposition: form-data; name="f"; filename="a.xml"\n\n< ./a.xml\n--b--\n'
    )
    assert any("sends application/xml" in line for line in result.report)


def test_a_query_the_app_would_re_encode_stays_as_written() -> None:
    exact = _only("GET https://x.io/a?q=caf%C3%A9&flag&n={{n}}\n")
    assert (exact.url, exact.params) == (
        "https://x.io/a",
        (Pair("q", "café"), Pair("flag"), Pair("n", "{{n}}")),
    )
    for query in ("tag=a+b", "s=%7E", "key=", "a=%2f"):
        request = _only(f"GET https://x.io/a?{query}\n")
        assert (request.url, request.params) == (f"https://x.io/a?{query}", ())
        assert _round_trip(request) == request


def test_an_api_key_in_a_query_kept_as_written_still_round_trips() -> None:
    auth = Auth(AuthKind.API_KEY, key_name="k", key_value="{{key}}", key_in="query")
    request = Request("GET", "https://x.io/a?tag=a+b", auth=auth, name="a")
    assert _round_trip(request) == request


def test_a_form_the_app_would_re_encode_is_sent_as_written() -> None:
    form = "Content-Type: application/x-www-form-urlencoded\n\n"
    assert _only(f"POST https://x.io/\n{form}a=1&b=x+y&c={{{{v}}}}\n").body.kind == BodyKind.FORM
    body = _only(f"POST https://x.io/\n{form}a=b%20c\n&d=1\n").body
    assert body == Body(
        BodyKind.RAW, text="a=b%20c&d=1", content_type="application/x-www-form-urlencoded"
    )


def test_what_an_http_file_cannot_carry_is_reported() -> None:
    request = Request(
        url="https://x.io/",
        params=(Pair("off", "1", enabled=False),),
        headers=(Pair("X-Off", "1", enabled=False), Pair("X-On", "1")),
        options=Options(timeout=5, verify_tls=False),
        description="Lists things.",
        name="r",
    )
    exported = export_http_files(Collection("c", items=(RequestItem(request),)))
    assert "X-Off" not in exported.text and "X-On: 1" in exported.text
    assert exported.losses == (
        "The timeout, TLS verification setting(s) of the request 'r' were not exported.",
        "2 switched-off row(s) of the request 'r' were not exported (.http has none).",
        "The description of the request 'r' was not exported.",
    )


def test_a_written_content_type_header_is_not_doubled_by_the_body_type() -> None:
    # Seen with a real Bruno collection (restful-booker) exported to .http: a JSON request
    # with its own `Content-Type: application/json` header got a second one, and httpyac
    # sent both; API Explorer sends the written header alone.
    from explorer.core.model import Body, BodyKind, Pair

    json_body = Body(BodyKind.RAW, text="{}", content_type="application/json")
    requests = (
        Request("POST", "http://h/a", headers=(Pair("Content-Type", "application/json"),)),
        Request("POST", "http://h/b", headers=(Pair("content-type", "text/x-custom"),)),
        Request("POST", "http://h/c"),
    )
    collection = Collection(
        "C", tuple(RequestItem(r.with_changes(body=json_body, name=r.url[-1])) for r in requests)
    )
    text = export_http(collection)
    blocks = [block for block in text.split("###") if "POST" in block]
    types = [re.findall(r"(?im)^content-type: (.*)$", block) for block in blocks]
    assert types == [["application/json"], ["text/x-custom"], ["application/json"]]
