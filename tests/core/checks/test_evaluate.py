"""Assertions evaluated on real responses of the practice server: every subject, every
operator, negation, variables in expected values, and bad input as one-line messages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from explorer.core.checks.evaluate import CheckContext, describe, evaluate
from explorer.core.checks.results import ResponseFacts
from explorer.core.model import Assertion, Operator, Subject

from .conftest import Fetch

Ctx = Callable[..., CheckContext]
S, Op = Subject, Operator


@pytest.fixture(scope="module")
def item(fetch: Fetch) -> ResponseFacts:
    return fetch("/api/items/1")


@pytest.fixture(scope="module")
def xml(fetch: Fetch) -> ResponseFacts:
    return fetch("/xml")


@pytest.fixture(scope="module")
def page(fetch: Fetch) -> ResponseFacts:
    return fetch("/html")


def check(facts: ResponseFacts, context: CheckContext, *args: object, **kw: object) -> bool:
    result = evaluate(Assertion(*args, **kw), facts, context)  # type: ignore[arg-type]
    assert result.passed or result.actual or result.message, result
    return result.passed


# --------------------------------------------------------------------------- subjects


def test_status_header_and_json_subjects(item: ResponseFacts, context: Ctx) -> None:
    ctx = context()
    assert check(item, ctx, S.STATUS, Op.EQ, "200")
    assert not check(item, ctx, S.STATUS, Op.EQ, "201")
    assert check(item, ctx, S.HEADER, Op.CONTAINS, "json", "Content-Type")
    assert check(item, ctx, S.HEADER, Op.CONTAINS, "json", "content-type")  # any case
    assert check(item, ctx, S.JSONPATH, Op.EQ, "1", "$.id")
    assert check(item, ctx, S.JSONPATH, Op.EQ, '"Mechanical keyboard"', "$.name")
    assert check(item, ctx, S.JSONPATH, Op.EQ, "Mechanical keyboard", "$.name")
    assert check(item, ctx, S.JSONPATH, Op.EQ, '["desk", "typing"]', "$.tags")
    assert check(item, ctx, S.JSONPATH, Op.EQ, "true", "$.in_stock")
    assert not check(item, ctx, S.JSONPATH, Op.EQ, "1", "$.in_stock")  # a boolean is no number
    assert check(item, ctx, S.JMESPATH, Op.EQ, "89.9", "price")
    assert check(item, ctx, S.JMESPATH, Op.EQ, '"desk"', "tags[0]")


def test_body_regex_size_sha_url_version_duration(item: ResponseFacts, context: Ctx) -> None:
    import hashlib

    ctx = context()
    assert check(item, ctx, S.BODY, Op.CONTAINS, "Tenkeyless")
    assert check(item, ctx, S.REGEX, Op.EQ, "89.9", r'"price":\s*([\d.]+)')
    assert check(item, ctx, S.SIZE, Op.EQ, str(len(item.body)))
    assert check(item, ctx, S.SHA256, Op.EQ, hashlib.sha256(item.body).hexdigest())
    assert check(item, ctx, S.URL, Op.ENDS_WITH, "/api/items/1")
    assert check(item, ctx, S.VERSION, Op.EQ, "1.1")  # read as a number, compared as text
    assert check(item, ctx, S.VERSION, Op.EQ, '"1.1"')
    assert check(item, ctx, S.DURATION, Op.LT, "60000")
    assert check(item, ctx, S.DURATION, Op.GE, "0")


def test_cookie_and_redirects(fetch: Fetch, context: Ctx) -> None:
    facts = fetch("/cookies/set/flavour/mint")
    ctx = context()
    assert check(facts, ctx, S.REDIRECTS, Op.EQ, "1")
    assert check(facts, ctx, S.COOKIE, Op.EQ, "mint", "flavour")
    assert not check(facts, ctx, S.COOKIE, Op.EXISTS, "", "other")
    assert check(fetch("/redirect/2"), ctx, S.REDIRECTS, Op.EQ, "2")
    assert check(fetch("/json"), ctx, S.REDIRECTS, Op.EQ, "0")


def test_xpath_on_xml_and_html(xml: ResponseFacts, page: ResponseFacts, context: Ctx) -> None:
    ctx = context()
    assert check(xml, ctx, S.XPATH, Op.EQ, "Practice Library", "string(/library/@name)")
    assert check(xml, ctx, S.XPATH, Op.EQ, "3", "count(//book)")
    assert check(xml, ctx, S.XPATH, Op.COUNT, "3", "//book")
    assert check(xml, ctx, S.XPATH, Op.CONTAINS, "RESTful Web APIs", "//book/title")
    assert check(xml, ctx, S.XPATH, Op.EQ, "true", "boolean(//book[@year=2013])")
    assert not check(xml, ctx, S.XPATH, Op.EXISTS, "", "//magazine")
    assert check(xml, ctx, S.XPATH, Op.COUNT, "0", "//magazine")
    assert check(page, ctx, S.XPATH, Op.EQ, "Practice Library", "string(//title)")
    assert check(page, ctx, S.XPATH, Op.COUNT, "3", "//li")  # HTML: no closing tags needed
    assert check(page, ctx, S.XPATH, Op.CONTAINS, "웹 API", "string(//ul)")


def test_variable_subject_and_variables_in_expected(item: ResponseFacts, context: Ctx) -> None:
    ctx = context(item_id="1", name="Mechanical keyboard", seen="42")
    assert check(item, ctx, S.JSONPATH, Op.EQ, "{{item_id}}", "$.id")
    assert check(item, ctx, S.JSONPATH, Op.EQ, "{{name}}", "$.name")
    assert check(item, ctx, S.JSONPATH, Op.EQ, "1", "$.{{field}}".replace("{{field}}", "id"))
    assert check(item, ctx, S.VARIABLE, Op.EQ, "42", "seen")
    assert check(item, ctx, S.VARIABLE, Op.GT, "41", "seen")  # a numeric text orders as one
    assert not check(item, ctx, S.VARIABLE, Op.EXISTS, "", "unset")
    result = evaluate(Assertion(S.VARIABLE, Op.EQ, "x", "unset"), item, ctx)
    assert not result.passed and result.message == "The variable unset is not set"


# --------------------------------------------------------------------------- operators


def test_every_operator(item: ResponseFacts, context: Ctx) -> None:
    ctx = context()
    name = "$.name"
    assert check(item, ctx, S.JSONPATH, Op.NE, "Other", name)
    assert check(item, ctx, S.JSONPATH, Op.LT, "100", "$.price")
    assert check(item, ctx, S.JSONPATH, Op.LE, "89.9", "$.price")
    assert check(item, ctx, S.JSONPATH, Op.GT, "89", "$.price")
    assert check(item, ctx, S.JSONPATH, Op.GE, "89.9", "$.price")
    assert not check(item, ctx, S.JSONPATH, Op.GT, "89.9", "$.price")
    assert check(item, ctx, S.JSONPATH, Op.CONTAINS, "keyboard", name)
    assert check(item, ctx, S.JSONPATH, Op.CONTAINS, "desk", "$.tags")  # element of a list
    assert check(item, ctx, S.JSONPATH, Op.CONTAINS, "self", "$._links")  # key of an object
    assert check(item, ctx, S.JSONPATH, Op.STARTS_WITH, "Mech", name)
    assert check(item, ctx, S.JSONPATH, Op.ENDS_WITH, "board", name)
    assert check(item, ctx, S.JSONPATH, Op.MATCHES, r"^\d{4}-\d{2}-\d{2}T", "$.created_at")
    assert check(item, ctx, S.JSONPATH, Op.MATCHES, r"/^mech/i".replace("/i", "/"), name) is False
    assert check(item, ctx, S.JSONPATH, Op.EXISTS, "", "$.owner_id")
    assert check(item, ctx, S.JSONPATH, Op.COUNT, "2", "$.tags")
    assert check(item, ctx, S.JSONPATH, Op.COUNT, "19", name)  # a text's length
    assert check(item, ctx, S.STATUS, Op.LT, '"300"')  # a quoted number still orders


@pytest.mark.parametrize(
    ("argument", "type_name", "expected"),
    [
        ("$.name", "string", True),
        ("$.id", "integer", True),
        ("$.id", "number", True),
        ("$.price", "float", True),
        ("$.price", "integer", False),
        ("$.in_stock", "boolean", True),
        ("$.tags", "list", True),
        ("$._links", "object", True),
        ("$._links", "collection", True),
        ("$.created_at", "date", True),
        ("$.name", "date", False),
        ("$.description", "empty", False),
        ("$.id", "null", False),
    ],
)
def test_is_type(
    item: ResponseFacts, context: Ctx, argument: str, type_name: str, expected: bool
) -> None:
    assert check(item, context(), S.JSONPATH, Op.IS_TYPE, type_name, argument) is expected


def test_negate_turns_each_operator_around(item: ResponseFacts, context: Ctx) -> None:
    ctx = context()
    assert check(item, ctx, S.JSONPATH, Op.EQ, "2", "$.id", negate=True)
    assert not check(item, ctx, S.JSONPATH, Op.EQ, "1", "$.id", negate=True)
    assert check(item, ctx, S.JSONPATH, Op.CONTAINS, "mouse", "$.name", negate=True)
    assert check(item, ctx, S.JSONPATH, Op.EXISTS, "", "$.deleted_at", negate=True)
    assert not check(item, ctx, S.JSONPATH, Op.EXISTS, "", "$.id", negate=True)
    assert check(item, ctx, S.JSONPATH, Op.IS_TYPE, "string", "$.id", negate=True)
    # Negation does not turn "could not judge" into a pass.
    assert not check(item, ctx, S.JSONPATH, Op.EQ, "1", "$[", negate=True)
    assert not check(item, ctx, S.JSONPATH, Op.EQ, "1", "$.missing", negate=True)


def test_result_shows_actual_and_expected(item: ResponseFacts, context: Ctx) -> None:
    assertion = Assertion(S.JSONPATH, Op.EQ, "{{want}}", "$.name")
    result = evaluate(assertion, item, context(want="Trackball"), source="folder A")
    assert not result.passed
    assert (result.actual, result.expected) == ("Mechanical keyboard", "Trackball")
    assert result.label == "jsonpath $.name == {{want}}"
    assert result.source == "folder A" and result.assertion == assertion and not result.message
    named = evaluate(Assertion(S.STATUS, Op.EQ, "200", name="OK please"), item, context())
    assert named.label == "OK please" and named.passed


def test_describe() -> None:
    assert describe(Assertion(S.JSONPATH, Op.GT, "0", "$.id")) == "jsonpath $.id > 0"
    assert describe(Assertion(S.STATUS, Op.EQ, "200")) == "status == 200"
    assert describe(Assertion(S.HEADER, Op.EXISTS, "", "ETag", negate=True)) == (
        "header ETag not exists"
    )
    assert describe(Assertion(S.JSONPATH, Op.EQ, "2", "$.a", filters=('split ","', "count"))) == (
        'jsonpath $.a split "," count == 2'
    )
    assert describe(Assertion(S.JSON_SCHEMA, Op.VALID, argument="item.schema.json")) == (
        "jsonschema item.schema.json valid"
    )
    assert describe(Assertion(S.JSONPATH, Op.COUNT, "3", "$.tags")) == "jsonpath $.tags count == 3"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("assertion", "message"),
    [
        (Assertion(S.JSONPATH, Op.EQ, "1", "$["), "JSONPath '$[':"),
        (Assertion(S.JSONPATH, Op.EQ, "1", ""), "jsonpath needs a JSONPath expression"),
        (Assertion(S.JMESPATH, Op.EQ, "1", "a[?"), "JMESPath 'a[?':"),
        (Assertion(S.XPATH, Op.EQ, "1", "//["), "XPath '//[':"),
        (Assertion(S.REGEX, Op.EQ, "1", "(unclosed"), "Bad regular expression '(unclosed'"),
        (Assertion(S.JSONPATH, Op.MATCHES, "(", "$.name"), "Bad regular expression '('"),
        (Assertion(S.JSONPATH, Op.LT, "3", "$.tags"), "Cannot order a list against a integer"),
        (Assertion(S.JSONPATH, Op.IS_TYPE, "potato", "$.id"), "Unknown type 'potato'"),
        (Assertion(S.JSONPATH, Op.COUNT, "many", "$.tags"), "count needs a whole number"),
        (Assertion(S.STATUS, Op.VALID), "valid applies to the jsonschema and openapi"),
        (Assertion(S.HEADER, Op.EQ, "x", "X-Nope"), "The response has no X-Nope header"),
        (Assertion(S.JSONPATH, Op.EQ, "1", "$.id", filters=("bogus",)), "Unknown filter 'bogus'"),
    ],
)
def test_bad_input_is_a_failed_result_with_a_message(
    item: ResponseFacts, context: Ctx, assertion: Assertion, message: str
) -> None:
    result = evaluate(assertion, item, context())
    assert not result.passed
    assert result.message.startswith(message), result.message
    assert "\n" not in result.message


def test_non_json_body(xml: ResponseFacts, context: Ctx) -> None:
    result = evaluate(Assertion(S.JSONPATH, Op.EQ, "1", "$.id"), xml, context())
    assert not result.passed and result.message.startswith("The body is not JSON")
    html_as_xml = evaluate(Assertion(S.XPATH, Op.EXISTS, "", "//x"), _with_body(b"{}"), context())
    assert html_as_xml.message.startswith("The body is not well-formed XML")


def test_incomplete_body_is_not_judged(item: ResponseFacts, context: Ctx) -> None:
    from dataclasses import replace

    cut = replace(item, body=item.body[:10], body_complete=False)
    for assertion in (
        Assertion(S.JSONPATH, Op.EQ, "1", "$.id"),
        Assertion(S.BODY, Op.CONTAINS, "{"),
        Assertion(S.SHA256, Op.EXISTS),
    ):
        result = evaluate(assertion, cut, context())
        assert not result.passed
        assert "larger than the checks read" in result.message
    assert evaluate(Assertion(S.STATUS, Op.EQ, "200"), cut, context()).passed


def _with_body(body: bytes, content_type: str = "application/xml") -> ResponseFacts:
    return ResponseFacts(
        status=200, headers=(("Content-Type", content_type),), body=body,
        body_size=len(body), content_type=content_type,
    )  # fmt: skip


def test_header_with_several_values(context: Ctx) -> None:
    facts = ResponseFacts(status=200, headers=(("Vary", "Accept"), ("Vary", "Cookie")))
    ctx = context()
    assert check(facts, ctx, S.HEADER, Op.EQ, "Cookie", "Vary")  # one of them
    assert check(facts, ctx, S.HEADER, Op.COUNT, "2", "Vary")
    assert check(facts, ctx, S.HEADER, Op.EQ, "Origin", "Vary", negate=True)


def test_a_json_body_that_is_a_text_is_not_read_twice(context: Ctx) -> None:
    # python-jsonpath reads a str document as JSON: the body "[1, 2]" (a JSON string)
    # must stay the text [1, 2], not become a list.
    body = b'"[1, 2]"'
    facts = ResponseFacts(
        status=200, body=body, body_size=len(body), content_type="application/json"
    )
    ctx = context()
    assert check(facts, ctx, S.JSONPATH, Op.EQ, '"[1, 2]"', "$")
    assert check(facts, ctx, S.JSONPATH, Op.IS_TYPE, "string", "$")
    assert check(facts, ctx, S.JSONPATH, Op.COUNT, "1", "$..*", negate=True)
    assert check(facts, ctx, S.JSONPATH, Op.COUNT, "0", "$[*]")
