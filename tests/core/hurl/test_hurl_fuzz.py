"""Fuzzing the Hurl parser and importer with Hypothesis.

The property: for any text, `import_hurl` returns a collection or raises FormatError
with a one-line message, and never anything else; it never hangs (an alarm bounds each
example); and what it imports exports to Hurl that parses again. The texts are arbitrary
Unicode, and (to reach past the first line) sequences of Hurl's own tokens and lines.

The normal suite runs a short version; `make fuzz` sets FUZZ_EXAMPLES to run more.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.formats.common import FormatError
from explorer.core.hurl.exporter import export_hurl
from explorer.core.hurl.importer import import_hurl
from explorer.core.hurl.parser import parse_hurl

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or 150
SECONDS_PER_EXAMPLE = 20  # generous: a valid file of this size parses in milliseconds


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so no guard in the parser can swallow it."""


@pytest.fixture(autouse=True)
def _alarm() -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise Hang(f"parsing took longer than {SECONDS_PER_EXAMPLE} s")

    previous = signal.signal(signal.SIGALRM, ring)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the alarm bounds each example; timing noise is not a failure
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

TOKENS = [
    "GET",
    "POST",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "http://h/x",
    "{{",
    "}}",
    "{{v}}",
    "{",
    "}",
    "[",
    "]",
    ":",
    ";",
    ",",
    "#",
    "\\",
    "\\u{",
    '"',
    "`",
    "```",
    "```json\n",
    "```escape\n",
    "/",
    "HTTP",
    "HTTP/1.1",
    "HTTP/2",
    " 200",
    " *",
    "[Asserts]",
    "[Captures]",
    "[Options]",
    "[QueryStringParams]",
    "[Form]",
    "[Multipart]",
    "[BasicAuth]",
    "[Cookies]",
    "[Nope]",
    "jsonpath",
    '"$.a"',
    "header",
    "regex",
    "/a\\/b/",
    "count",
    "nth",
    "-1",
    "split",
    "replace",
    "not",
    "==",
    "!=",
    ">=",
    "exists",
    "isEmpty",
    "contains",
    "matches",
    "1.5",
    "true",
    "null",
    "base64,",
    "aGk=",
    "hex,",
    "00ff",
    "file,",
    "a.txt",
    "redact",
    "<a>",
    "</a>",
    "<?x?>",
    "<!--",
    "-->",
    "name: value",
    "location: true",
    "variable: x=1",
    "body",
    "bytes",
    "sha256",
    "status",
    "é",
    "\x00",
    "\ud800",
]
LINES = [
    "GET http://h/{{id}}?a=1",
    "POST http://h/",
    "HTTP 200",
    "HTTP/1.1 *",
    "Content-Type: application/json",
    "[Asserts]",
    "[Captures]",
    "[Options]",
    "[Multipart]",
    'jsonpath "$.a" count == 2',
    'header "X" split "," nth 0 not contains "b"',
    "body matches /\\d+/",
    'token: jsonpath "$.t" redact',
    "f: file,a.txt; text/plain",
    "location: true",
    'variable: x="a b"',
    '{"a": [1, {{v}}]}',
    "<a><b/></a>",
    "```",
    "text",
    "base64,aGk=;",
    "# a comment",
    "",
]


def check(text: str) -> None:
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_EXAMPLE)
    try:
        try:
            result = import_hurl(text)
        except FormatError as error:
            assert "\n" not in str(error) and "\r" not in str(error), repr(str(error))
            assert error.message.strip()
            return
        parse_hurl(export_hurl(result.collection))  # what it read, it can write and reread
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    check(text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=80))
def test_token_soup(tokens: list[str]) -> None:
    check("".join(tokens))


@FUZZ
@given(st.lists(st.sampled_from(LINES), max_size=30), st.text(max_size=20))
def test_shuffled_lines(lines: list[str], tail: str) -> None:
    check("\n".join(lines) + tail)


def test_long_lines_of_one_character_parse_in_linear_time() -> None:
    """Scans that restart at every character would take minutes here."""
    for char in '{ \\/`"#[<a:':
        line = char * 300_000
        for text in (
            f"GET http://h/\nX: {line}\n",
            f'GET http://h/\nHTTP 200\n[Asserts]\nbody == "{line}\n',
            f"POST http://h/\n{line}\n",
            f"GET {line}\n",
        ):
            check(text)
