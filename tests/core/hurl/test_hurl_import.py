"""Importing Hurl files: requests with their sections and bodies, implicit and explicit
checks with typed expected values, captures, options, and a report of what has no place
in the model. Through the import registry too (detection, the guarded entry)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.formats import FormatError, convert, detect_format
from explorer.core.hurl.exporter import hurl_export
from explorer.core.hurl.importer import import_hurl
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    BodyKind,
    Capture,
    Operator,
    Pair,
    Part,
    Subject,
)


def requests(text: str, **kwargs):
    result = import_hurl(text, **kwargs)
    return [item.request for item in result.collection.items], result


def test_entries_in_order_named_by_comment_or_method_and_path():
    (first, second), _ = requests(
        "# Lists every user\n# List users\nGET https://api.example/users?page=2\n\n"
        "DELETE https://api.example/users/{{id}}\n"
    )
    assert (first.name, first.description) == ("List users", "Lists every user")
    assert first.url == "https://api.example/users"
    assert first.params == (Pair("page", "2"),)
    assert second.name == "DELETE /users/{{id}}"


def test_request_sections_become_params_cookies_auth_and_bodies(tmp_path):
    (query, form, multipart), _ = requests(
        "GET http://h/search?a=1\nCookie: x=y\n[Query]\nq: hello world\n"
        "[Cookies]\nsid: abc\ntheme: dark\n[BasicAuth]\nbob: s3cr\\#t\n\n"
        "POST http://h/login\n[Form]\nuser: bob\npassword: {{password}}\n\n"
        "POST http://h/upload\n[Multipart]\nnote: hi\ndoc: file,doc.pdf; application/pdf\n",
        base_dir=tmp_path,
    )
    assert query.params == (Pair("a", "1"), Pair("q", "hello world"))
    assert query.headers == (Pair("Cookie", "x=y"), Pair("Cookie", "sid=abc; theme=dark"))
    assert query.auth == Auth(AuthKind.BASIC, username="bob", password="s3cr#t")
    assert form.body.kind == BodyKind.FORM
    assert form.body.form == (Pair("user", "bob"), Pair("password", "{{password}}"))
    assert multipart.body.parts == (
        Part("note", "hi"),
        Part("doc", file=str(tmp_path / "doc.pdf"), content_type="application/pdf"),
    )


def test_bodies_with_their_content_types():
    (json_body, xml, typed, plain, header, graphql, b64), _ = requests(
        'POST http://h/1\n{"a": {{n}}}\n\n'
        "POST http://h/2\n<a/>\n\n"
        "POST http://h/3\n```json\n[1]\n```\n\n"
        "POST http://h/4\n```\nline\n```\n\n"
        "POST http://h/5\nContent-Type: text/csv\n```\na,b\n```\n\n"
        "POST http://h/6\n```graphql\n{ me }\n```\n\n"
        "POST http://h/7\nbase64,aGk=;\n"
    )
    assert (json_body.body.text, json_body.body.content_type) == (
        '{"a": {{n}}}',
        "application/json",
    )
    assert xml.body.content_type == "application/xml"
    assert (typed.body.text, typed.body.content_type) == ("[1]\n", "application/json")
    assert (plain.body.text, plain.body.content_type) == ("line\n", "")
    assert (header.headers, header.body.content_type) == ((), "text/csv")
    assert json.loads(graphql.body.text) == {"query": "{ me }\n"}
    assert (b64.body.kind, b64.body.text) == (BodyKind.RAW, "hi")


def test_a_file_body_is_relative_to_the_hurl_file(tmp_path):
    (request,), _ = requests("POST http://h/\nfile,data.bin;\n", base_dir=tmp_path)
    assert (request.body.kind, request.body.file) == (BodyKind.BINARY, str(tmp_path / "data.bin"))


def test_options_redirects_tls_and_variables():
    (plain, follow, other), result = requests(
        "GET http://h/1\n\n"
        "GET http://h/2\n[Options]\nlocation: true\nmax-redirs: 3\ninsecure: true\n"
        'variable: token=abc\nvariable: label="a b"\n\n'
        "GET http://h/3\n[Options]\nlocation-trusted: true\nretry: 3\ndelay: 100ms\n"
    )
    # Hurl follows no redirect unless told to, and then at most 50.
    assert (plain.options.follow_redirects, plain.options.max_redirects) == (False, 50)
    assert (follow.options.follow_redirects, follow.options.max_redirects) == (True, 3)
    assert follow.options.verify_tls is False
    assert other.options.follow_redirects and other.options.trust_redirects
    variables = {v.name: v.value for v in result.collection.variables}
    assert variables == {"token": "abc", "label": "a b"}
    assert any("retry: 3" in line and "line 14" in line for line in result.report)
    assert any("delay: 100ms" in line for line in result.report)


def test_implicit_status_version_and_header_assertions():
    (request,), _ = requests("GET http://h/\nHTTP/1.1 200\nContent-Type: text/plain\n")
    assert request.assertions == (
        Assertion(Subject.STATUS, Operator.EQ, "200"),
        Assertion(Subject.VERSION, Operator.EQ, '"1.1"'),
        Assertion(Subject.HEADER, Operator.EQ, '"text/plain"', "Content-Type"),
    )
    (anything,), _ = requests("GET http://h/\nHTTP *\n")
    assert anything.assertions == ()
    (two,), result = requests("GET http://h/\nHTTP/2 200\n")
    assert two.assertions[1] == Assertion(Subject.VERSION, Operator.EQ, '"2"')
    assert "speaks HTTP/1.1" in result.report[0] and "(line 1)" in result.report[0]


def test_asserts_keep_subject_argument_filters_operator_negation_and_typed_expected():
    (request,), result = requests(
        "GET http://h/\nHTTP *\n[Asserts]\n"
        'jsonpath "$.x" count == 2\n'
        'jsonpath "$.id" == "1"\n'
        'jsonpath "$.id" == 1\n'
        'jsonpath "$.ok" != true\n'
        'jsonpath "$.none" == null\n'
        'jsonpath "$.n" > {{min}}\n'
        'header "X-List" split "," nth 0 not contains "b"\n'
        "body matches /^\\d+$/\n"
        'xpath "//h1" exists\n'
        'regex "id=(\\\\d+)" toInt >= 3\n'
        'variable "token" isString\n'
        'cookie "sid" startsWith "a"\n'
        "duration < 1000\n"
        "bytes count == 12\n"
        "redirects count == 1\n"
        'url endsWith "/done"\n'
        "sha256 == hex,ABCD;\n"
        'jsonpath "$.tags" includes "x"\n'
        'jsonpath "$.u" isUuid\n'
    )
    rows = request.assertions
    assert rows[0] == Assertion(Subject.JSONPATH, Operator.EQ, "2", "$.x", ("count",))
    assert rows[1].expected == '"1"' and rows[2].expected == "1"
    assert rows[3] == Assertion(Subject.JSONPATH, Operator.NE, "true", "$.ok")
    assert rows[4].expected == "null"
    assert (rows[5].operator, rows[5].expected) == (Operator.GT, "{{min}}")
    assert rows[6] == Assertion(
        Subject.HEADER, Operator.CONTAINS, '"b"', "X-List", ('split ","', "nth 0"), negate=True
    )
    assert (rows[7].operator, json.loads(rows[7].expected)) == (Operator.MATCHES, "^\\d+$")
    assert (rows[8].subject, rows[8].operator, rows[8].argument) == (
        Subject.XPATH,
        Operator.EXISTS,
        "//h1",
    )
    assert (rows[9].subject, rows[9].argument, rows[9].filters) == (
        Subject.REGEX,
        "id=(\\d+)",
        ("toInt",),
    )
    assert (rows[10].operator, rows[10].expected) == (Operator.IS_TYPE, "string")
    assert rows[11].subject == Subject.COOKIE
    assert rows[12] == Assertion(Subject.DURATION, Operator.LT, "1000")
    assert rows[13] == Assertion(Subject.SIZE, Operator.EQ, "12")
    assert rows[14] == Assertion(Subject.REDIRECTS, Operator.EQ, "1")
    assert rows[15].subject == Subject.URL
    assert rows[16] == Assertion(Subject.SHA256, Operator.EQ, '"abcd"')
    assert rows[17].operator == Operator.CONTAINS
    assert (rows[18].operator, rows[18].expected) == (Operator.IS_TYPE, "uuid")
    assert result.report == ()


def test_what_has_no_row_is_reported_with_its_line():
    (request,), result = requests(
        'GET http://h/\nHTTP 200\n[Captures]\nc: certificate "Subject"\n[Asserts]\n'
        "md5 == hex,00;\n"
        'cookie "sid[Path]" == "/"\n'
        'redirects nth 0 location == "/a"\n'
        "bytes startsWith hex,EF;\n"
        'jsonpath "$.a" isCollection\n'
        'ip == "127.0.0.1"\n'
        "status == 200\n"
    )
    assert request.assertions == (
        Assertion(Subject.STATUS, Operator.EQ, "200"),
        Assertion(Subject.COOKIE, Operator.EQ, '"/"', "sid[Path]"),  # an attribute
        # bytes compared with bytes: the same test on their hex digits
        Assertion(Subject.BODY, Operator.STARTS_WITH, '"ef"', filters=("toHex",)),
        Assertion(Subject.JSONPATH, Operator.IS_TYPE, "collection", "$.a"),
        Assertion(Subject.STATUS, Operator.EQ, "200"),
    )
    assert request.captures == ()
    assert len(result.report) == 4
    assert "line 4" in result.report[0] and "certificate" in result.report[0]
    assert "line 6" in result.report[1] and "md5" in result.report[1]
    assert "line 8" in result.report[2] and "redirects" in result.report[2]


def test_captures_with_filters_and_redact():
    (request,), _ = requests(
        "POST http://h/login\nHTTP 200\n[Captures]\n"
        'token: jsonpath "$.token" redact\n'
        'id: header "Location" regex "/(\\\\d+)$" toInt\n'
        "code: status\n"
    )
    assert request.captures == (
        Capture("token", Subject.JSONPATH, "$.token", secret=True),
        Capture("id", Subject.HEADER, "Location", ('regex "/(\\\\d+)$"', "toInt")),
        Capture("code", Subject.STATUS),
    )


def test_a_response_body_is_a_body_assertion_or_a_sha256_one():
    (text, data), _ = requests(
        'GET http://h/1\nHTTP 200\n{"a": 1}\n\nGET http://h/2\nHTTP 200\nhex,00ff;\n'
    )
    assert text.assertions[-1] == Assertion(Subject.BODY, Operator.EQ, json.dumps('{"a": 1}'))
    digest = "a0f3d2dc0d3b9d5f6cdf4fb2b89b26a5bf5c6b6b0a2ff0c8ffae6c7bf1d96b6f"
    assert data.assertions[-1].subject == Subject.SHA256
    assert len(json.loads(data.assertions[-1].expected)) == len(digest)


def test_detected_by_extension_and_by_unambiguous_content():
    text = "GET http://h/\nHTTP 200\n"
    assert detect_format(text, "x.hurl") == "hurl"
    assert detect_format(text) == "hurl"
    assert detect_format("GET http://h/\n[Asserts]\nstatus == 200\n") == "hurl"
    assert detect_format("GET http://h/\nAccept: */*\n") == "http"  # the .http reading


def test_through_the_guarded_entry_errors_are_one_line_with_a_place():
    imported = convert("GET http://h/\nHTTP 200\n", filename="smoke.hurl")
    assert imported.format == "hurl"
    assert imported.result.collection.name == "smoke"
    with pytest.raises(FormatError) as error:
        convert("GET http://h/\nHTTP 200\n[Asserts]\nstatus ~~ 2\n", filename="bad.hurl")
    assert error.value.location == "line 4, column 8"
    assert "\n" not in str(error.value)


def test_an_empty_file_is_refused():
    with pytest.raises(FormatError, match="No request"):
        import_hurl("# only a comment\n")


FIXTURES = Path(__file__).parents[2] / "fixtures" / "hurl"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.hurl")), ids=lambda p: p.name)
def test_hurls_own_tests_import_and_survive_export(path):
    collection = import_hurl(path.read_text(encoding="utf-8"), base_dir=FIXTURES).collection
    assert collection.items
    exported = hurl_export(collection)
    again = import_hurl(exported.text, base_dir=FIXTURES).collection
    assert again == collection, exported.losses


def test_filters_take_templates_and_multipart_files_get_their_guessed_type(tmp_path):
    (request,), _ = requests(
        "POST http://h/\n[Multipart]\na: file,notes.txt;\nb: file,blob;\n"
        'HTTP 200\n[Asserts]\njsonpath "$.list" nth {{index}} == 2\n',
        base_dir=tmp_path,
    )
    assert [part.content_type for part in request.body.parts] == [
        "text/plain",
        "application/octet-stream",
    ]
    assert request.assertions[-1].filters == ("nth {{index}}",)


def test_a_raw_multiline_body_is_reported_when_it_holds_templates():
    (request,), result = requests("POST http://h/\n```raw\nbob,{{age}}\n```\n")
    assert request.body.text == "bob,{{age}}\n"
    assert any("raw body" in line for line in result.report)
