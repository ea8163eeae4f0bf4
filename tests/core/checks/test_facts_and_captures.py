"""The facts read from real responses (a spooled body read back bounded, cookies and
redirects along the chain) and captures of every kind of subject."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import pytest

from explorer.core.checks.evaluate import MAX_CAPTURE_CHARS, CheckContext, capture, evaluate
from explorer.core.checks.facts import facts_from_response
from explorer.core.checks.results import ResponseFacts
from explorer.core.http.transport import Transport
from explorer.core.model import Assertion, Capture, Operator, Request, Subject

from .conftest import Fetch

Ctx = Callable[..., CheckContext]


def test_facts_from_a_spooled_body_are_read_back_bounded(live_server: str, context: Ctx):
    transport = Transport(spool_threshold=64 * 1024)
    response = transport.send(Request(url=f"{live_server}/large/1"))
    try:
        assert response.body_path is not None and response.body == b""
        size = response.body_size
        assert size >= 1024 * 1024
        whole = facts_from_response(response)
        assert whole.body_complete and len(whole.body) == size == whole.body_size
        assert whole.body == response.body_path.read_bytes()
        sha = evaluate(Assertion(Subject.SHA256, Operator.MATCHES, "^[0-9a-f]{64}$"), whole,
                       context())  # fmt: skip
        assert sha.passed
        cut = facts_from_response(response, limit=1000)
        assert len(cut.body) == 1000 and not cut.body_complete and cut.body_size == size
        result = evaluate(Assertion(Subject.BODY, Operator.CONTAINS, "x"), cut, context())
        assert not result.passed and "larger than the checks read" in result.message
        # Size and status do not need the body.
        size_check = Assertion(Subject.SIZE, Operator.EQ, str(size))
        assert evaluate(size_check, cut, context()).passed
    finally:
        response.body_path.unlink(missing_ok=True)
        transport.close()


def test_facts_of_a_missing_spool_file_are_an_incomplete_body(fetch: Fetch, live_server: str):
    transport = Transport(spool_threshold=1024)
    response = transport.send(Request(url=f"{live_server}/bytes/4096"))
    assert response.body_path is not None
    response.body_path.unlink()
    facts = facts_from_response(response)
    assert facts.body == b"" and not facts.body_complete
    transport.close()


def test_facts_status_headers_cookies_redirects(fetch: Fetch) -> None:
    facts = fetch("/cookies/set/flavour/mint")
    assert facts.status == 200 and facts.url.endswith("/cookies")
    assert facts.redirects == 1 and facts.redirect_statuses == (302,)
    assert ("flavour", "mint") in facts.cookies
    assert facts.http_version == "1.1"
    assert facts.content_type.startswith("application/json")
    assert facts.elapsed_ms > 0


def test_captures_of_each_subject(fetch: Fetch, context: Ctx) -> None:
    item = fetch("/api/items/1")
    ctx = context(seen="yes")

    def take(subject: Subject, argument: str = "", *filters: str) -> str | None:
        return capture(Capture("v", subject, argument, filters), item, ctx).value

    assert take(Subject.JSONPATH, "$.id") == "1"
    assert take(Subject.JSONPATH, "$.name") == "Mechanical keyboard"  # text as it is
    assert take(Subject.JSONPATH, "$.tags") == '["desk","typing"]'  # lists as JSON
    assert take(Subject.JSONPATH, "$.in_stock") == "true"
    assert take(Subject.JSONPATH, "$.tags[*]") == '["desk","typing"]'
    assert take(Subject.JMESPATH, "tags[0]") == "desk"
    assert take(Subject.HEADER, "Content-Type") == "application/json"
    assert take(Subject.STATUS) == "200"
    assert take(Subject.REGEX, r'"price":\s*([\d.]+)') == "89.9"
    assert take(Subject.JSONPATH, "$.created_at", 'regex "^(\\d{4})"') == "2025"
    assert take(Subject.VARIABLE, "seen") == "yes"
    assert take(Subject.URL).endswith("/api/items/1")
    body = take(Subject.BODY)
    assert body is not None and json.loads(body)["id"] == 1
    cookie = capture(
        Capture("c", Subject.COOKIE, "flavour"), fetch("/cookies/set/flavour/mint"), ctx
    )
    assert cookie.value == "mint"


def test_capture_carries_its_flags_and_says_why_it_is_empty(fetch: Fetch, context: Ctx):
    item = fetch("/api/items/1")
    token = capture(
        Capture("token", Subject.JSONPATH, "$.name", secret=True, to_environment=True),
        item, context(), source="folder A",
    )  # fmt: skip
    assert (token.variable, token.secret, token.to_environment, token.source) == (
        "token", True, True, "folder A",
    )  # fmt: skip
    cases = [
        (Capture("x", Subject.JSONPATH, "$.nope"), "jsonpath $.nope matched nothing"),
        (Capture("x", Subject.JSONPATH, "$.tags[?@ == 'zzz']"), "matched nothing"),
        (Capture("x", Subject.HEADER, "X-Nope"), "header X-Nope matched nothing"),
        (Capture("x", Subject.JSONPATH, "$["), "JSONPath '$[':"),
        (Capture("x", Subject.JSONPATH, "$.id", ("nth 3",)), "Filter nth:"),
        (Capture("x", Subject.OPENAPI, "a#GET /"), "openapi is a check"),
    ]
    for row, message in cases:
        taken = capture(row, item, context())
        assert taken.value is None and message in taken.message, (row, taken.message)


def test_a_capture_longer_than_a_variable_may_be_is_refused(context: Ctx) -> None:
    big = json.dumps({"a": "x" * (MAX_CAPTURE_CHARS + 1)}).encode()
    facts = ResponseFacts(status=200, body=big, body_size=len(big), content_type="application/json")
    taken = capture(Capture("a", Subject.JSONPATH, "$.a"), facts, context())
    assert taken.value is None and "longer than" in taken.message
    cut = replace(facts, body_complete=False)
    assert capture(Capture("b", Subject.BODY), cut, context()).value is None


@pytest.mark.parametrize("source", ["request", "folder A / B", "collection"])
def test_source_is_passed_through(fetch: Fetch, context: Ctx, source: str) -> None:
    result = evaluate(Assertion(Subject.STATUS, Operator.EQ, "200"), fetch("/json"), context(),
                      source)  # fmt: skip
    assert result.source == source


def test_a_parsed_body_is_kept_only_while_its_facts_live(context: Ctx) -> None:
    import gc

    from explorer.core.checks import queries

    body = json.dumps({"a": list(range(1000))}).encode()
    facts = ResponseFacts(
        status=200, body=body, body_size=len(body), content_type="application/json"
    )
    rows = [Assertion(Subject.JSONPATH, Operator.COUNT, "1000", "$.a"),
            Assertion(Subject.JMESPATH, Operator.EQ, "999", "a[-1]")]  # fmt: skip
    assert all(evaluate(row, facts, context()).passed for row in rows)
    assert facts in queries._JSON_CACHE._entries  # parsed once for both
    before = len(queries._JSON_CACHE._entries)
    del facts
    gc.collect()
    assert len(queries._JSON_CACHE._entries) == before - 1


def test_cookie_attributes_as_hurl_names_them(context: Ctx) -> None:
    facts = ResponseFacts(
        status=200,
        headers=(
            ("Set-Cookie", "LSID=DQAAAK; Path=/accounts; Expires=Wed, 13 Jan 2021 22:23:01 GMT;"
                           " Secure; HttpOnly; SameSite=Lax"),
            ("Set-Cookie", "theme=dark; Max-Age=60"),
        ),
        cookies=(("LSID", "DQAAAK"), ("theme", "dark")),
    )  # fmt: skip
    ctx = context()

    def check(argument: str, operator: Operator, expected: str = "") -> bool:
        return evaluate(Assertion(Subject.COOKIE, operator, expected, argument), facts, ctx).passed

    assert check("LSID", Operator.EQ, "DQAAAK")
    assert check("LSID[Value]", Operator.EQ, "DQAAAK")
    assert check("LSID[Expires]", Operator.EQ, "Wed, 13 Jan 2021 22:23:01 GMT")
    assert check("LSID[Path]", Operator.EQ, "/accounts")
    assert check("LSID[Secure]", Operator.EXISTS)
    assert check("LSID[HttpOnly]", Operator.EXISTS)
    assert check("LSID[SameSite]", Operator.EQ, "Lax")
    assert check("theme[Max-Age]", Operator.EQ, "60")
    assert not check("theme[Secure]", Operator.EXISTS)
    assert not check("theme[Domain]", Operator.EXISTS)
    assert not check("nope[Value]", Operator.EXISTS)
