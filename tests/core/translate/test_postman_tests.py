"""Postman test scripts become assertions and captures: each pattern real collections use,
what is not converted kept verbatim and counted, and the import report's count."""

from __future__ import annotations

import json

import pytest

from explorer.core.formats import import_text
from explorer.core.model import Assertion, Capture, Operator, Subject
from explorer.core.translate.postman_tests import translate_tests

A, S, Op = Assertion, Subject, Operator


def rows(script: str) -> tuple[Assertion, ...]:
    translation = translate_tests(script)
    assert translation.converted == translation.total, translation.kept
    return translation.assertions


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("pm.response.to.have.status(201);", A(S.STATUS, Op.EQ, "201")),
        ("pm.response.to.not.have.status(404);", A(S.STATUS, Op.EQ, "404", negate=True)),
        ('pm.response.to.have.header("Location");', A(S.HEADER, Op.EXISTS, argument="Location")),
        (
            "pm.response.to.have.header('Content-Type', 'application/json');",
            A(S.HEADER, Op.EQ, "application/json", "Content-Type"),
        ),
        ("pm.response.to.have.jsonBody();", A(S.JSONPATH, Op.EXISTS, argument="$")),
        (
            'pm.response.to.have.jsonBody("data.items[0].id");',
            A(S.JSONPATH, Op.EXISTS, argument="$.data.items[0].id"),
        ),
        ('pm.response.to.have.jsonBody("a.b", 3);', A(S.JSONPATH, Op.EQ, "3", "$.a.b")),
        ("pm.response.to.be.ok;", A(S.STATUS, Op.EQ, "200")),
        ("pm.response.to.be.notFound;", A(S.STATUS, Op.EQ, "404")),
        ("pm.response.to.be.json;", A(S.JSONPATH, Op.EXISTS, argument="$")),
        ("pm.response.to.have.body('pong');", A(S.BODY, Op.EQ, "pong")),
        ("pm.response.to.have.body('200');", A(S.BODY, Op.EQ, '"200"')),
        ("pm.expect(pm.response.code).to.eql(200);", A(S.STATUS, Op.EQ, "200")),
        ("pm.expect(pm.response.code).to.equal(200);", A(S.STATUS, Op.EQ, "200")),
        ("pm.expect(pm.response.code).to.not.equal(500);", A(S.STATUS, Op.NE, "500")),
        (
            "pm.expect(pm.response.responseTime).to.be.below(500);",
            A(S.DURATION, Op.LT, "500"),
        ),
        (
            "var jsonData = pm.response.json(); pm.expect(jsonData.a.b[0]).to.eql('x');",
            A(S.JSONPATH, Op.EQ, "x", "$.a.b[0]"),
        ),
        (
            "const body = JSON.parse(responseBody); pm.expect(body.name).to.equal('Ada');",
            A(S.JSONPATH, Op.EQ, "Ada", "$.name"),
        ),
        (
            "pm.expect(pm.response.json().tags).to.include('x');",
            A(S.JSONPATH, Op.CONTAINS, "x", "$.tags"),
        ),
        (
            'pm.expect(pm.response.json().name).to.be.a("string");',
            A(S.JSONPATH, Op.IS_TYPE, "string", "$.name"),
        ),
        (
            'pm.expect(pm.response.json().items).to.be.an("array");',
            A(S.JSONPATH, Op.IS_TYPE, "list", "$.items"),
        ),
        (
            "pm.expect(pm.response.json().items).to.have.lengthOf(3);",
            A(S.JSONPATH, Op.COUNT, "3", "$.items"),
        ),
        (
            "pm.expect(pm.response.json().items.length).to.be.above(0);",
            A(S.JSONPATH, Op.GT, "0", "$.items", ("count",)),
        ),
        (
            "pm.expect(pm.response.json().total).to.be.at.least(10);",
            A(S.JSONPATH, Op.GE, "10", "$.total"),
        ),
        (
            "pm.expect(pm.response.json().total).to.be.at.most(10);",
            A(S.JSONPATH, Op.LE, "10", "$.total"),
        ),
        (
            "pm.expect(pm.response.json()['odd-key']).to.exist;",
            A(S.JSONPATH, Op.EXISTS, argument="$['odd-key']"),
        ),
        (
            "pm.expect(pm.response.json().gone).to.be.undefined;",
            A(S.JSONPATH, Op.EXISTS, argument="$.gone", negate=True),
        ),
        (
            "pm.expect(pm.response.json()).to.have.property('id');",
            A(S.JSONPATH, Op.EXISTS, argument="$.id"),
        ),
        (
            "pm.expect(pm.response.json()).to.have.property('id', 7);",
            A(S.JSONPATH, Op.EQ, "7", "$.id"),
        ),
        (
            "pm.expect(pm.response.text()).to.match(/^ok/i);",
            A(S.BODY, Op.MATCHES, "(?i)^ok"),
        ),
        (
            "pm.expect(pm.response.headers.get('Content-Type')).to.include('json');",
            A(S.HEADER, Op.CONTAINS, "json", "Content-Type"),
        ),
        (
            "pm.expect(pm.response.json().id).to.eql(pm.environment.get('id'));",
            A(S.JSONPATH, Op.EQ, "{{id}}", "$.id"),
        ),
        (
            "pm.expect(pm.response.json().ok).to.be.true;",
            A(S.JSONPATH, Op.EQ, "true", "$.ok"),
        ),
        (
            "pm.expect(pm.response.code === 200).to.be.true;",
            A(S.STATUS, Op.EQ, "200"),
        ),
        (
            "pm.expect(pm.response.text().includes('x')).to.be.false;",
            A(S.BODY, Op.CONTAINS, "x", negate=True),
        ),
        ('tests["Status code is 200"] = responseCode.code === 200;', None),
        (
            'tests["Body has id"] = responseBody.has("id");',
            A(S.BODY, Op.CONTAINS, "id", name="Body has id"),
        ),
        (
            'tests["fast"] = responseTime < 200;',
            A(S.DURATION, Op.LT, "200", name="fast"),
        ),
        (
            'tests["ct"] = postman.getResponseHeader("Content-Type");',
            A(S.HEADER, Op.EXISTS, argument="Content-Type", name="ct"),
        ),
        (
            'var d = JSON.parse(responseBody); tests["one"] = d.items.length === 1;',
            A(S.JSONPATH, Op.EQ, "1", "$.items", ("count",), name="one"),
        ),
        (
            'tests["has"] = responseBody.indexOf("abc") !== -1;',
            A(S.BODY, Op.CONTAINS, "abc", name="has"),
        ),
    ],
)
def test_each_pattern(script: str, expected: Assertion | None) -> None:
    if expected is None:
        expected = A(S.STATUS, Op.EQ, "200", name="Status code is 200")
    assert rows(script) == (expected,)


def test_a_range_of_codes_is_two_assertions() -> None:
    assert rows("pm.response.to.be.success;") == (
        A(S.STATUS, Op.GE, "200"),
        A(S.STATUS, Op.LT, "300"),
    )


def test_pm_test_names_its_assertions_and_groups_them() -> None:
    script = """
pm.test("Status code is 200", function () {
    pm.response.to.have.status(200);
});
pm.test("Body", () => {
    const json = pm.response.json();
    pm.expect(json.id).to.eql(1);
    pm.expect(json.name).to.eql("x");
});
"""
    translation = translate_tests(script)
    assert translation.assertions == (
        A(S.STATUS, Op.EQ, "200", name="Status code is 200"),
        A(S.JSONPATH, Op.EQ, "1", "$.id", name="Body"),
        A(S.JSONPATH, Op.EQ, "x", "$.name", name="Body"),
    )
    assert (translation.converted, translation.total, translation.kept) == (3, 3, "")


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (
            'pm.environment.set("token", pm.response.json().access_token);',
            Capture("token", S.JSONPATH, "$.access_token", to_environment=True),
        ),
        (
            'pm.collectionVariables.set("id", pm.response.json().data[0].id);',
            Capture("id", S.JSONPATH, "$.data[0].id"),
        ),
        ('pm.globals.set("code", pm.response.code);', Capture("code", S.STATUS)),
        (
            'pm.variables.set("loc", pm.response.headers.get("Location"));',
            Capture("loc", S.HEADER, "Location"),
        ),
        (
            "var jsonData = JSON.parse(responseBody);\n"
            'postman.setEnvironmentVariable("x", jsonData.id);',
            Capture("x", S.JSONPATH, "$.id", to_environment=True),
        ),
        (
            'postman.setGlobalVariable("s", pm.cookies.get("session"));',
            Capture("s", S.COOKIE, "session"),
        ),
        (
            'pm.environment.set("n", pm.response.json().items.length);',
            Capture("n", S.JSONPATH, "$.items", ("count",), to_environment=True),
        ),
    ],
)
def test_captures(script: str, expected: Capture) -> None:
    translation = translate_tests(script)
    assert translation.captures == (expected,)
    assert (translation.converted, translation.total, translation.kept) == (1, 1, "")


def test_what_is_not_converted_is_kept_verbatim_and_counted() -> None:
    script = """// Checks of the login
var jsonData = pm.response.json();
pm.test("Status code is 200", function () {
    pm.response.to.have.status(200);
});
pm.test("Mixed", function () {
    pm.expect(jsonData.id).to.eql(5);
    pm.expect(jsonData.kind).to.be.oneOf(["a", "b"]);
});
if (jsonData.next) { postman.setNextRequest("Next"); }
pm.environment.set("token", jsonData.token);
"""
    translation = translate_tests(script)
    assert (translation.converted, translation.total) == (3, 5)
    assert translation.unconverted == 2
    assert translation.kept == (
        "// Checks of the login\n"
        "var jsonData = pm.response.json();\n"
        'pm.test("Mixed", function () {\n'
        '    pm.expect(jsonData.kind).to.be.oneOf(["a", "b"]);\n'
        "});\n"
        'if (jsonData.next) { postman.setNextRequest("Next"); }\n'
    )
    assert translation.captures == (Capture("token", S.JSONPATH, "$.token", to_environment=True),)


def test_an_alias_no_kept_statement_uses_is_dropped_with_the_comments() -> None:
    script = "// parse it\nvar data = pm.response.json();\npm.expect(data.a).to.eql(1);\n"
    translation = translate_tests(script)
    assert translation.kept == ""
    assert (translation.converted, translation.total) == (1, 1)


@pytest.mark.parametrize(
    "script",
    [
        "pm.expect(pm.response.code).to.be.oneOf([200, 201]);",
        "pm.response.to.have.status('OK');",
        "pm.expect(jsonData.x).to.eql(1);",  # jsonData is not known to be the body
        "pm.expect(pm.response.json().a[i]).to.eql(1);",
        "pm.expect(pm.response.json().a).to.be.ok;",
        "postman.setNextRequest('x');",
        "pm.environment.set('x', 'literal');",
        "pm.environment.set(name, pm.response.code);",
        "console.log(pm.response.json());",
        "pm.expect(pm.response.json().a).to.eql(;",
        "pm.sendRequest('https://example.org', function () {});",
        "pm.test.skip('later', function () { pm.response.to.have.status(200); });",
    ],
)
def test_unconverted_statements_are_kept_whole(script: str) -> None:
    translation = translate_tests(script)
    assert (translation.assertions, translation.captures) == ((), ())
    assert translation.converted == 0
    assert translation.total >= 1
    assert translation.kept.strip() == script.strip()


def test_the_import_report_counts_statements_and_keeps_the_rest_on_the_request() -> None:
    document = {
        "info": {
            "name": "Counted",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "event": [{"listen": "test", "script": {"exec": ["pm.response.to.be.ok;"]}}],
        "item": [
            {
                "name": "One",
                "request": {"method": "GET", "url": "http://localhost/a"},
                "event": [
                    {"listen": "prerequest", "script": {"exec": ["var t = Date.now();"]}},
                    {
                        "listen": "test",
                        "script": {
                            "exec": [
                                "pm.test('ok', function () {",
                                "    pm.response.to.have.status(200);",
                                "    pm.expect(pm.response.json().x).to.be.oneOf([1, 2]);",
                                "});",
                            ]
                        },
                    },
                ],
            }
        ],
    }
    result = import_text(json.dumps(document), "postman")
    assert result.report[0] == (
        "Postman tests: converted 2 of 3 test statements into assertions and captures; "
        "the other 1 are kept as Postman script (shown, not run)."
    )
    assert result.collection.assertions == (A(S.STATUS, Op.EQ, "200"),)
    request = result.collection.items[0].request  # type: ignore[union-attr]
    assert request.assertions == (A(S.STATUS, Op.EQ, "200", name="ok"),)
    assert "oneOf" in request.scripts.kept_post_response
    assert "status(200)" not in request.scripts.kept_post_response
    assert request.scripts.kept_pre_request == "var t = Date.now();"
    assert request.scripts.pre_request == request.scripts.post_response == ""
