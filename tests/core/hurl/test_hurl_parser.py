"""The Hurl parser: every part of an entry, every section, values with their types, and
errors that say what and where (line and column)."""

from __future__ import annotations

import pytest

from explorer.core.formats.common import FormatError
from explorer.core.hurl.parser import MAX_FILTERS, MAX_JSON_DEPTH, parse_hurl, quote
from explorer.core.hurl.syntax import (
    AssertLine,
    CaptureLine,
    KeyValue,
    MultipartItem,
    Query,
    Value,
)


def one(text: str):
    parsed = parse_hurl(text)
    assert len(parsed.entries) == 1
    return parsed.entries[0]


def asserts(lines: str) -> tuple[AssertLine, ...]:
    entry = one(f"GET http://h/\nHTTP 200\n[Asserts]\n{lines}\n")
    section = entry.response.section("Asserts")
    return section.items


def test_request_line_headers_and_comments_above():
    entry = one(
        "# A file comment\n\n# Describes it\n# Get the user\n"
        "GET https://example.org/users/{{id}}?x=1  # trailing comment\n"
        "Accept: application/json\nX-Hash: a\\#b\n"
    )
    request = entry.request
    assert (request.method, request.url) == ("GET", "https://example.org/users/{{id}}?x=1")
    assert request.headers == (
        KeyValue("Accept", "application/json", 6),
        KeyValue("X-Hash", "a#b", 7),
    )
    assert request.comments == ("Describes it", "Get the user")
    assert entry.response is None


def test_every_request_section_and_its_short_name():
    entry = one(
        "POST http://h/upload\n"
        "[Options]\nlocation: true\nvariable: n=1\n"
        "[Query]\nq: a b\n"
        "[Cookies]\nsid: 123\n"
        "[BasicAuth]\nbob: s3cret\n"
        "[Multipart]\nfield: value\nfile1: file,data.bin; application/octet-stream\n"
        "file2: file,my\\ file.txt;\n"
    )
    request = entry.request
    names = [section.name for section in request.sections]
    assert names == ["Options", "QueryStringParams", "Cookies", "BasicAuth", "MultipartFormData"]
    assert request.section("QueryStringParams").items == (KeyValue("q", "a b", 6),)
    assert request.section("MultipartFormData").items == (
        MultipartItem("field", "value", line=12),
        MultipartItem("file1", file="data.bin", content_type="application/octet-stream", line=13),
        MultipartItem("file2", file="my file.txt", line=14),
    )


def test_a_section_written_twice_is_refused_with_its_place():
    with pytest.raises(FormatError) as error:
        parse_hurl("POST http://h/\n[FormParams]\na: 1\n[Form]\nb: 2\n")
    assert error.value.message == "The section [Form] appears twice"
    assert error.value.location == "line 4, column 1"


def test_a_response_section_in_a_request_is_refused():
    with pytest.raises(FormatError) as error:
        parse_hurl("GET http://h/\n[Asserts]\nstatus == 200\n")
    assert "belongs to a response" in error.value.message
    assert error.value.location == "line 2, column 1"


def test_response_line_headers_captures_and_asserts():
    entry = one(
        "GET http://h/\nHTTP/1.1 201\nContent-Type: text/plain\n"
        '[Captures]\ntoken: header "X-Token" redact\nid: jsonpath "$.id" toInt\n'
        "[Asserts]\nstatus == 201\n"
    )
    response = entry.response
    assert (response.version, response.status) == ("HTTP/1.1", "201")
    assert response.headers == (KeyValue("Content-Type", "text/plain", 3),)
    assert response.section("Captures").items == (
        CaptureLine("token", Query("header", "X-Token"), (), True, 5),
        CaptureLine("id", Query("jsonpath", "$.id"), ("toInt",), False, 6),
    )


@pytest.mark.parametrize("status", ["HTTP *", "HTTP/2 200", "HTTP/* *", "HTTP/1.0 404"])
def test_status_lines(status):
    assert one(f"GET http://h/\n{status}\n").response is not None


def test_predicate_values_keep_their_type():
    found = asserts(
        'jsonpath "$.a" == "1"\njsonpath "$.a" == 1\njsonpath "$.a" == 1.50\n'
        'jsonpath "$.a" == true\njsonpath "$.a" == null\njsonpath "$.a" == {{ x }}\n'
        'jsonpath "$.a" == `back "tick"`\nsha256 == hex,ABcd;\nbytes startsWith base64,AAE=;\n'
        'body matches /\\d+\\/x/\njsonpath "$.a" == -3\n'
    )
    assert [a.value for a in found] == [
        Value("string", "1"),
        Value("number", "1"),
        Value("number", "1.50"),
        Value("boolean", "true"),
        Value("null", "null"),
        Value("template", "{{ x }}"),
        Value("string", 'back "tick"'),
        Value("hex", "abcd"),
        Value("hex", "0001"),
        Value("regex", "\\d+/x"),
        Value("number", "-3"),
    ]


def test_predicates_negation_and_word_forms():
    found = asserts(
        'jsonpath "$.a" not == 4\njsonpath "$.a" equals 4\njsonpath "$.a" greaterThan 1\n'
        'jsonpath "$.a" not exists\njsonpath "$.a" isEmpty\nheader "A" includes "x"\n'
    )
    assert [(a.negate, a.predicate) for a in found] == [
        (True, "=="),
        (False, "=="),
        (False, ">"),
        (True, "exists"),
        (False, "isEmpty"),
        (False, "includes"),
    ]


def test_filters_are_kept_as_hurl_text_regex_literals_quoted():
    (found,) = asserts(
        'header "X" split "," nth -1 regex /(\\d+)/ replace /a/ "b" count toInt == 1'
    )
    assert found.filters == (
        'split ","',
        "nth -1",
        'regex "(\\\\d+)"',
        'replaceRegex "a" "b"',
        "count",
        "toInt",
    )
    assert found.query == Query("header", "X")


def test_quoted_strings_unescape_and_quote_inverts_them():
    (found,) = asserts('body == "a\\"b\\\\c\\n\\t\\u{e9}{{v}}"')
    assert found.value == Value("string", 'a"b\\c\n\té{{v}}')
    text = 'a"b\\c\n\té{{v}}'
    (again,) = asserts(f"body == {quote(text)}")
    assert again.value.text == text


def test_bodies_json_xml_multiline_oneline():
    def body(text: str):
        return one(f"POST http://h/\n{text}\nHTTP 200\n").request.body

    json_body = body('{\n  "a": {{n}},\n  "s": "}]"\n}')
    assert (json_body.kind, json_body.text) == ("json", '{\n  "a": {{n}},\n  "s": "}]"\n}')
    assert body("[1, [2]]").text == "[1, [2]]"
    xml = body('<?xml version="1.0"?>\n<a x="1>2"><!-- c --><b/>t</a>')
    assert (xml.kind, xml.text) == ("xml", '<?xml version="1.0"?>\n<a x="1>2"><!-- c --><b/>t</a>')
    text = body("```\nline1\nline2\n```")
    assert (text.kind, text.text, text.lang) == ("text", "line1\nline2\n", "")
    assert body("```json\n{}\n```").lang == "json"
    assert body("```inline text```").text == "inline text"
    assert body("```escape\na\\tb\n```").text == "a\tb\n"
    assert body("`one line`").text == "one line"
    assert body("base64,SGVs\n bG8=;").data == b"Hello"
    assert body("hex,48656c6c6f;").data == b"Hello"
    assert (body("file,data.json;").kind, body("file,data.json;").text) == ("file", "data.json")
    graphql = body("```graphql\n{ me }\n```")
    assert (graphql.kind, graphql.text) == ("graphql", "{ me }\n")


def test_entries_follow_each_other_with_or_without_responses():
    parsed = parse_hurl(
        "GET http://h/1\n\n# second\nPOST http://h/2\n{}\nHTTP 200\n```\nok\n```\nGET http://h/3\n"
    )
    assert [e.request.url for e in parsed.entries] == ["http://h/1", "http://h/2", "http://h/3"]
    assert parsed.entries[1].request.comments == ("second",)
    assert parsed.entries[1].response.body.text == "ok\n"


def test_crlf_line_ends():
    entry = one("GET http://h/\r\nAccept: a\r\nHTTP 200\r\n[Asserts]\r\nstatus == 200\r\n")
    assert entry.request.headers == (KeyValue("Accept", "a", 2),)


@pytest.mark.parametrize(
    ("text", "message", "location"),
    [
        ("Accept: x\n", "Expected a request line (METHOD URL)", "line 1, column 1"),
        ("\n  get http://h/\n", "Expected a request line (METHOD URL)", "line 2, column 3"),
        ("GET http://h/\n[Nope]\n", "Unknown section [Nope]", "line 2, column 1"),
        ("GET http://h/\nHTTP 200\n[Asserts]\nstatus\n", "Expected a predicate", "line 4"),
        (
            "GET http://h/\nHTTP 200\n[Asserts]\nstatus wat 3\n",
            "Unknown predicate 'wat'",
            "line 4, column 8",
        ),
        (
            "GET http://h/\nHTTP 200\n[Asserts]\nfoo == 3\n",
            "Unknown query 'foo'",
            "line 4, column 1",
        ),
        (
            'GET http://h/\nHTTP 200\n[Asserts]\nbody == "abc\n',
            "A quoted string is not closed",
            "line 4, column 9",
        ),
        (
            "GET http://h/\nHTTP 200\n[Asserts]\nstatus == \n",
            "Expected a value",
            "line 4, column 11",
        ),
        ('POST http://h/\n{"a": [1}\n', "Unexpected '}' in the JSON body", "line 2, column 9"),
        ('POST http://h/\n{"a": 1\n', "The JSON body is not closed", "line 2, column 1"),
        ("POST http://h/\n```\nabc\n", "A ``` string is not closed", "line 2, column 1"),
        ("POST http://h/\n<a><b></a\n", "The XML body is not closed", "line 2, column 1"),
        ("POST http://h/\nbase64,@@@;\n", "Not valid base64", "line 2, column 1"),
        ("GET http://h/\nX-A: a\\qb\n", "Invalid escape \\q", "line 2, column 7"),
        (
            "GET http://h/\nX-A: {{b\n",
            "A template {{ is not closed by }} on its line",
            "line 2, column 6",
        ),
        ("GET http://h/\nHTTP 200\nGET\n", "Expected ':' after 'GET'", "line 3, column 4"),
        ("POST http://h/\n{}\nextra\n", "Expected a request line (METHOD URL)", "line 3"),
    ],
)
def test_errors_say_what_and_where(text, message, location):
    with pytest.raises(FormatError) as error:
        parse_hurl(text)
    assert error.value.message.startswith(message)
    assert error.value.location.startswith(location)
    assert "\n" not in str(error.value)


def test_bounds_filters_and_json_depth():
    with pytest.raises(FormatError, match=f"More than {MAX_FILTERS} filters"):
        asserts("body" + " count" * (MAX_FILTERS + 1) + " == 1")
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(FormatError, match="nested more than"):
        parse_hurl(f"POST http://h/\n{deep}\n")


def test_bounds_line_length_and_size(monkeypatch):
    from explorer.core.hurl import parser

    monkeypatch.setattr(parser, "MAX_LINE_CHARS", 100)
    with pytest.raises(FormatError) as error:
        parse_hurl("GET http://h/\nX: " + "a" * 200 + "\n")
    assert error.value.location == "line 2, column 1"
    monkeypatch.setattr(parser, "MAX_HURL_CHARS", 10)
    with pytest.raises(FormatError, match="larger than"):
        parse_hurl("GET http://h/\n")


def test_entries_are_bounded(monkeypatch):
    from explorer.core.hurl import parser

    monkeypatch.setattr(parser, "MAX_ENTRIES", 3)
    with pytest.raises(FormatError, match="More than 3 entries"):
        parse_hurl("GET http://h/\n" * 4)


def test_many_entries_parse_in_linear_time():
    """Each line number was counted from the start of the file: 10,000 entries took
    82 s. Four times the entries must take about four times as long, not sixteen."""
    import time

    entry = (
        'POST http://h/items\n{{"id": {n}}}\nHTTP 201\n[Captures]\nid: jsonpath "$.id"\n'
        '[Asserts]\njsonpath "$.id" == {n}\nheader "X" split "," nth 0 == "a"\n\n'
    )

    def seconds(count: int) -> float:
        text = "".join(entry.format(n=n) for n in range(count))
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            parse_hurl(text)
            best = min(best, time.perf_counter() - started)
        return best

    small, large = seconds(1000), seconds(4000)
    assert large < 9 * small, (small, large)
