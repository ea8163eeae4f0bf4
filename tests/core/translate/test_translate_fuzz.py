"""The translators never raise, whatever the script text: arbitrary text, and soups of
the tokens real test scripts are made of (so that the parser reaches deep into the
patterns). Short in the normal suite; FUZZ_EXAMPLES runs more."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.formats import FormatError, import_text
from explorer.core.translate.jetbrains_handlers import translate_handler
from explorer.core.translate.postman_tests import translate_tests
from explorer.core.translate.postman_tests_export import postman_test_script

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0")) or 150

TOKENS = [
    "pm", ".", "test", "(", ")", "{", "}", "[", "]", ";", ",", "\n", " ", "=>", "function",
    '"name"', "'x'", "`t`", "`${a}`", "0", "-1", "200", "1e999", "true", "null", "response",
    "to", "have", "status", "header", "jsonBody", "expect", "eql", "not", "be", "a", "an",
    "lengthOf", "above", "below", "include", "match", "/re/i", "json", "text", "code",
    "responseTime", "var", "const", "jsonData", "=", "===", "!==", "&&", "!", "tests",
    "responseBody", "has", "responseCode", "JSON", "parse", "environment", "set", "get",
    "postman", "setEnvironmentVariable", "length", "property", "within", "?.", "\\u{110000}",
    "'\\x'", "\ud800", "new", "RegExp", "typeof", "indexOf", "Number", "isInteger", "//c",
    "/*", "*/",
]  # fmt: skip


def _never_raises(script: str) -> None:
    translation = translate_tests(script)
    assert 0 <= translation.converted <= translation.total
    # whatever was read writes back out without raising
    rows = (translation.assertions, translation.captures)
    postman_test_script(*rows, translation.kept, "the request")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=400))
def test_arbitrary_text(script: str) -> None:
    _never_raises(script)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(TOKENS), max_size=80))
def test_token_soup(tokens: list[str]) -> None:
    _never_raises("".join(tokens))


def test_deep_nesting_and_long_chains() -> None:
    _never_raises("pm.expect(" * 3000 + "x" + ")" * 3000 + ".to.eql(1);")
    _never_raises("pm.expect(pm.response.json()" + ".a" * 5000 + ").to.eql(1);")
    _never_raises("pm.expect(pm.response.json().a).to.eql(" + "[" * 5000 + "]" * 5000 + ");")
    _never_raises("x" * 600_000)  # past the size bound: kept whole


HTTP_TOKENS = [
    "{{", "}}", "login", ".response", ".request", ".body", ".headers", ".$", ".token", ".*",
    "//a", "\n", " ", "###", "# @name login\n", "GET http://h/", "\n\n", "> {%", "%}",
    "client", ".assert(", ".test(", ".global", ".set(", "response", ".status", "===", "200",
    ")", ";", '"x"', ",", "function () {", "}",
]  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=400) | st.lists(st.sampled_from(TOKENS + HTTP_TOKENS)).map("".join))
def test_jetbrains_handlers_never_raise(script: str) -> None:
    translation = translate_handler(script)
    assert 0 <= translation.converted <= translation.total


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(HTTP_TOKENS), max_size=60).map("".join))
def test_http_files_with_references_import_or_fail_in_one_line(text: str) -> None:
    try:
        import_text("# @name login\nGET http://h/\n\n###\n" + text, "http")
    except FormatError as error:
        assert "\n" not in str(error)
