""".http named-request references become captures and variables; JetBrains response
handlers become assertions and captures, the rest kept and counted."""

from __future__ import annotations

import pytest

from explorer.core.formats import import_text
from explorer.core.model import Assertion, Capture, Operator, Subject
from explorer.core.translate.http_references import handler_source
from explorer.core.translate.jetbrains_handlers import translate_handler

A, S, Op = Assertion, Subject, Operator

CHAIN = """@host = http://localhost:5000
@saved = {{login.response.body.$.access_token}}

### Login
# @name login
POST {{host}}/auth/token
Content-Type: application/json

{"username": "ada", "password": "analytical"}

### Who am I
GET {{host}}/auth/me
Authorization: Bearer {{login.response.body.$.access_token}}
X-Where: {{login.response.headers.Location}}
X-Page: {{login.response.body.//title}}
X-All: {{ login.response.body.* }}
X-Sent: {{login.request.headers.Host}}
X-Other: {{nobody.response.body.$.id}}
"""


def requests(text: str) -> dict[str, object]:
    result = import_text(text, "http")
    return {item.request.name: item.request for item in result.collection.items}  # type: ignore[union-attr]


def test_references_become_captures_on_the_named_request() -> None:
    result = import_text(CHAIN, "http")
    login, me = (item.request for item in result.collection.items)  # type: ignore[union-attr]
    assert login.captures == (
        Capture("login_access_token", S.JSONPATH, "$.access_token"),
        Capture("login_location", S.HEADER, "Location"),
        Capture("login_title", S.XPATH, "//title"),
        Capture("login_body", S.BODY),
    )
    headers = {pair.name: pair.value for pair in me.headers}
    assert headers == {
        "Authorization": "Bearer {{login_access_token}}",
        "X-Where": "{{login_location}}",
        "X-Page": "{{login_title}}",
        "X-All": "{{login_body}}",
        "X-Sent": "{{login.request.headers.Host}}",
        "X-Other": "{{nobody.response.body.$.id}}",
    }
    variables = {v.name: v.value for v in result.collection.variables}
    assert variables["saved"] == "{{login_access_token}}"
    assert any("{{login.request.headers.Host}} was left as written" in x for x in result.report)
    assert any("{{nobody.response.body.$.id}} was left as written" in x for x in result.report)


HANDLER = """### Login
# @name login
POST http://localhost/auth/token
Content-Type: application/json

{"username": "ada"}

> {%
    client.test("Logged in", function () {
        client.assert(response.status === 200, "Response status is not 200");
        client.assert(response.body.token_type === "Bearer");
    });
    client.test("Content", () => {
        client.assert(response.headers.valueOf("Content-Type").includes("json"));
        var type = response.contentType.mimeType;
        client.assert(type === "application/json", "Expected JSON");
    });
    client.global.set("token", response.body.access_token);
    client.log("logged in");
%}

### Me
GET http://localhost/auth/me
Authorization: Bearer {{token}}

> {% client.global.set("user", response.body.username); %}
"""


def test_jetbrains_handlers_become_rows_and_the_rest_is_kept() -> None:
    result = import_text(HANDLER, "http")
    login, me = (item.request for item in result.collection.items)  # type: ignore[union-attr]
    assert login.assertions == (
        A(S.STATUS, Op.EQ, "200", name="Logged in"),
        A(S.JSONPATH, Op.EQ, "Bearer", "$.token_type", name="Logged in"),
        A(S.HEADER, Op.CONTAINS, "json", "Content-Type", name="Content"),
    )
    assert login.captures == (Capture("token", S.JSONPATH, "$.access_token"),)
    assert login.scripts.kept_post_response == (
        '    client.test("Content", () => {\n'
        "        var type = response.contentType.mimeType;\n"
        '        client.assert(type === "application/json", "Expected JSON");\n'
        "    });\n"
        '    client.log("logged in");\n'
    )
    assert login.body.text == '{"username": "ada"}'
    assert me.captures == (Capture("user", S.JSONPATH, "$.username"),)
    assert me.scripts.kept_post_response == ""
    assert result.report[0] == (
        "JetBrains response handlers: converted 5 of 8 statements into assertions and "
        "captures; the other 3 are kept (shown, not run)."
    )


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("client.assert(response.status === 201);", A(S.STATUS, Op.EQ, "201")),
        ("client.assert(response.status !== 500);", A(S.STATUS, Op.NE, "500")),
        ("client.assert(response.status < 400, 'ok');", A(S.STATUS, Op.LT, "400")),
        (
            "client.assert(response.body.items.length > 0);",
            A(S.JSONPATH, Op.GT, "0", "$.items", ("count",)),
        ),
        (
            'client.assert(response.body.name === client.global.get("name"));',
            A(S.JSONPATH, Op.EQ, "{{name}}", "$.name"),
        ),
        (
            'client.assert(response.body.includes("pong"));',
            A(S.BODY, Op.CONTAINS, "pong"),
        ),
        (
            'client.assert(typeof response.body.id === "number");',
            A(S.JSONPATH, Op.IS_TYPE, "number", "$.id"),
        ),
        (
            'client.assert(response.headers.valueOf("Location"));',
            A(S.HEADER, Op.EXISTS, argument="Location"),
        ),
    ],
)
def test_assert_forms(script: str, expected: Assertion) -> None:
    translation = translate_handler(script)
    assert translation.assertions == (expected,)
    assert (translation.converted, translation.total, translation.kept) == (1, 1, "")


def test_handler_source_reads_one_line_and_block_handlers() -> None:
    lines = ["GET /x", "", "> {% client.log(1); %}", "> {%", "  a();", "%}", "> other.js"]
    assert handler_source(lines) == " client.log(1); \n  a();\n"
    assert handler_source(["GET /x"]) == ""


def test_a_reference_to_response_cookies_is_reported_not_read_as_a_body_member() -> None:
    # Seen in a real .http file (a Go auth service, written for kulala):
    # `Cookie: token={{login.response.cookies.token.value}}` stayed as written without a
    # word in the report (only `body` and `headers` references were looked at).
    text = (
        "# @name login\nPOST http://h/login\n\n###\nGET http://h/me\n"
        "Cookie: token={{login.response.cookies.token.value}}\n"
    )
    result = import_text(text, filename="api.http")
    me = result.collection.items[1].request
    assert me.headers[0].value == "token={{login.response.cookies.token.value}}"
    assert result.collection.items[0].request.captures == ()
    assert any(
        "{{login.response.cookies.token.value}} was left as written" in x for x in result.report
    )


def test_linking_references_keeps_every_setting_of_the_body_and_auth():
    """The request is changed field by field: the settings no reference is written in
    (OAuth 2.0, AWS Signature, a binary file, the schema file) stay as they were."""
    from explorer.core.model import (
        Auth,
        AuthKind,
        AwsSigV4,
        Body,
        BodyKind,
        GraphQL,
        OAuth2,
        Request,
    )
    from explorer.core.translate.http_references import _map_request

    request = Request(
        url="{{a}}",
        body=Body(
            BodyKind.GRAPHQL, file="f.bin", graphql=GraphQL("{ x }", schema_file="s.graphql")
        ),
        auth=Auth(
            AuthKind.AWS_SIGV4,
            token="{{a}}",
            oauth2=OAuth2(token_url="https://t/token", pkce=False),
            aws=AwsSigV4(access_key="AKID", region="eu-west-1", service="s3"),
        ),
    )
    linked = _map_request(request, lambda text: text.replace("{{a}}", "{{b}}"))
    assert linked.url == "{{b}}" and linked.auth.token == "{{b}}"
    assert linked.auth.aws == request.auth.aws and linked.auth.oauth2 == request.auth.oauth2
    assert linked.body.file == "f.bin" and linked.body.graphql.schema_file == "s.graphql"
