"""The .bru parser and writer: blocks, rows, disabled rows, quoted names, multi-line
values, text blocks, lists, and one-line errors with their line and column."""

from __future__ import annotations

import pytest

from explorer.core.bruno.lang import dict_block, list_block, parse_bru, text_block
from explorer.core.formats.common import FormatError

REQUEST = """meta {
  name: Create user
  type: http
  seq: 3
  tags: [
    smoke
    regression
  ]
}

post {
  url: https://api.example.com/users?x=1
  body: json
  auth: bearer
}

headers {
  Content-Type: application/json
  ~X-Disabled: off
  "X-Odd: Name": value: with colon
}

auth:bearer {
  token: {{token}}
}

body:json {
  {
    "name": "Ann",
    "nested": {
      "ok": true
    }
  }
}

vars:pre-request {
  note: '''
    first line
      indented line
    last line
  '''
}

assert {
  res.body.items[0]["a b"]: eq 1
  ~res.status: neq 500
}

docs {
  # Title

  Text with } inside and a line `}` indented.
  }
}
"""


def test_blocks_rows_and_text_are_read_as_bruno_reads_them() -> None:
    parsed = parse_bru(REQUEST)
    assert parsed.names() == (
        "meta", "post", "headers", "auth:bearer", "body:json", "vars:pre-request", "assert", "docs"
    )  # fmt: skip
    meta = parsed.get("meta")
    assert meta is not None and meta.value("name") == "Create user" and meta.value("seq") == "3"
    assert meta.rows[3].items == ("smoke", "regression")
    headers = parsed.get("headers")
    assert headers is not None
    rows = [(r.name, r.value, r.enabled) for r in headers.rows]
    assert rows == [
        ("Content-Type", "application/json", True),
        ("X-Disabled", "off", False),
        ("X-Odd: Name", "value: with colon", True),
    ]
    body = parsed.get("body:json")
    assert body is not None
    assert body.text == '{\n  "name": "Ann",\n  "nested": {\n    "ok": true\n  }\n}'
    note = parsed.get("vars:pre-request")
    assert note is not None and note.value("note") == "first line\n  indented line\nlast line"
    asserts = parsed.get("assert")
    assert asserts is not None
    assert [(r.name, r.value, r.enabled) for r in asserts.rows] == [
        ('res.body.items[0]["a b"]', "eq 1", True),
        ("res.status", "neq 500", False),
    ]
    docs = parsed.get("docs")
    assert docs is not None and docs.text.endswith("indented.\n}")


def test_an_environment_with_secret_names_and_a_colour() -> None:
    parsed = parse_bru(
        "vars {\n  host: http://x\n}\nvars:secret [\n  token,\n  ~old\n]\ncolor: #f00\n"
    )
    secret = parsed.get("vars:secret")
    assert secret is not None
    assert [(r.name, r.enabled) for r in secret.rows] == [("token", True), ("old", False)]
    colour = parsed.get("color")
    assert colour is not None and colour.kind == "property" and colour.text == "#f00"


@pytest.mark.parametrize(
    ("text", "message", "location"),
    [
        ("meta {\n  name: x\n", "never closed", "line 1, column 1"),
        ("meta {\n  name x\n}\n", "Expected `name: value`", "line 2, column 3"),
        ("get {\n  ~: x\n}\n", "no name", "line 2, column 4"),
        ("hello there\n", "Expected a block", "line 1, column 1"),
        ("meta {\n}\n  stray\n", "Expected a block", "line 3, column 3"),
        ('headers {\n  "open: 1\n}\n', "not closed", "line 2, column 3"),
        ("vars {\n  a: '''\n    x\n}\n", "never closed with `'''`", "line 2, column 1"),
        ("vars:secret [\n  a\n", "never closed", "line 1, column 1"),
    ],
)
def test_malformed_files_give_one_line_with_line_and_column(
    text: str, message: str, location: str
) -> None:
    with pytest.raises(FormatError) as raised:
        parse_bru(text)
    assert message in raised.value.message
    assert raised.value.location == location
    assert "\n" not in str(raised.value)


def test_bounds_are_errors_not_hangs() -> None:
    with pytest.raises(FormatError, match="larger than"):
        parse_bru("docs {\n" + "x" * (9 * 1024 * 1024) + "\n}\n")
    with pytest.raises(FormatError, match="more than 1000 blocks"):
        parse_bru("meta {\n}\n" * 1001)
    with pytest.raises(FormatError, match="more than 10000 rows"):
        parse_bru("headers {\n" + "  a: b\n" * 10_001 + "}\n")


def test_the_writer_reads_back_as_written() -> None:
    rows = [
        ("plain", "value", True),
        ("odd: key", 'say "hi"', True),
        ("off", "x", False),
        ("multi", "line one\n  line two\nline three", True),
    ]
    text = dict_block("vars:pre-request", rows)
    text += text_block("body:json", '{\n  "a": "}"\n}\n')
    text += text_block("script:post-response", "if (x) {\n}\n")
    text += list_block("vars:secret", ["token", "~old"])
    parsed = parse_bru(text)
    block = parsed.get("vars:pre-request")
    assert block is not None
    assert [(r.name, r.value, r.enabled) for r in block.rows] == rows
    body = parsed.get("body:json")
    assert body is not None and body.text == '{\n  "a": "}"\n}\n'
    script = parsed.get("script:post-response")
    assert script is not None and script.text == "if (x) {\n}\n"


def test_assert_names_are_written_unquoted() -> None:
    text = dict_block("assert", [('res.headers["content-type"]', "contains json", True)])
    assert text == 'assert {\n  res.headers["content-type"]: contains json\n}\n'
