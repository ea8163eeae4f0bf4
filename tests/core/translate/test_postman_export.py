"""Assertions and captures written as Postman test scripts: read back by the importer
they give the same rows; what has no Postman form is listed, never silently dropped."""

from __future__ import annotations

import json

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.formats.postman import import_postman
from explorer.core.formats.postman_export import export_postman, export_postman_report
from explorer.core.model import Assertion, Capture, Operator, Request, Scripts, Subject
from explorer.core.translate.postman_tests_export import postman_test_script

A, S, Op = Assertion, Subject, Operator

# Every exportable form, written as the importer reads it back (its canonical form).
ROWS = (
    A(S.STATUS, Op.EQ, "200"),
    A(S.STATUS, Op.EQ, "500", negate=True),
    A(S.STATUS, Op.NE, "404", name="not found"),
    A(S.HEADER, Op.EXISTS, argument="Location"),
    A(S.HEADER, Op.EXISTS, argument="X-Debug", negate=True),
    A(S.HEADER, Op.CONTAINS, "json", "Content-Type", name="content"),
    A(S.JSONPATH, Op.EQ, "abc", "$.a.b[0]", name="content"),
    A(S.JSONPATH, Op.EQ, '"200"', "$.code_text"),
    A(S.JSONPATH, Op.EQ, "null", "$.nothing"),
    A(S.JSONPATH, Op.EQ, '{"k": [1, 2]}', "$.object"),
    A(S.JSONPATH, Op.GT, "0", "$.items", ("count",)),
    A(S.JSONPATH, Op.COUNT, "3", "$.items"),
    A(S.JSONPATH, Op.IS_TYPE, "integer", "$.id"),
    A(S.JSONPATH, Op.IS_TYPE, "string", "$.name", negate=True),
    A(S.JSONPATH, Op.IS_TYPE, "list", "$['odd key']"),
    A(S.JSONPATH, Op.IS_TYPE, "object", "$.o"),
    A(S.JSONPATH, Op.IS_TYPE, "null", "$.n"),
    A(S.JSONPATH, Op.IS_TYPE, "empty", "$.e"),
    A(S.JSONPATH, Op.EXISTS, argument="$.x", negate=True),
    A(S.JSONPATH, Op.EQ, "{{id}}", "$.id"),
    A(S.JSONPATH, Op.LE, "10", "$.n"),
    A(S.JSONPATH, Op.GE, "1.5", "$.f"),
    A(S.BODY, Op.MATCHES, "(?i)ab+c"),
    A(S.BODY, Op.MATCHES, "^\\d{3}$"),
    A(S.BODY, Op.STARTS_WITH, "{"),
    A(S.BODY, Op.ENDS_WITH, "}", negate=True),
    A(S.BODY, Op.CONTAINS, "x {{y}} z"),
    A(S.DURATION, Op.LT, "5000"),
    A(S.SIZE, Op.LE, "100000"),
    A(S.COOKIE, Op.EQ, "abc", "session"),
    A(S.JSON_SCHEMA, Op.VALID, argument='{"type": "object"}'),
)
CAPTURES = (
    Capture("token", S.JSONPATH, "$.access_token"),
    Capture("where", S.HEADER, "Location", to_environment=True),
    Capture("count", S.JSONPATH, "$.items", ("count",)),
    Capture("code", S.STATUS),
)


def _request(**changes: object) -> Request:
    return Request(url="http://localhost/x", name="R").with_changes(**changes)  # type: ignore[arg-type]


def test_export_then_import_gives_the_same_rows() -> None:
    kept = 'console.log("kept as it was");\n'
    request = _request(assertions=ROWS, captures=CAPTURES, scripts=Scripts(kept_post_response=kept))
    folder = Folder("F", (RequestItem(request),), assertions=(A(S.STATUS, Op.LT, "500"),))
    collection = Collection(
        "C", (folder,), captures=(Capture("t", S.BODY),), assertions=(A(S.DURATION, Op.LT, "9"),)
    )
    text, losses = export_postman_report(collection)
    assert losses == ()
    back = import_postman(text).collection
    inner = back.items[0]
    assert isinstance(inner, Folder)
    again = inner.items[0]
    assert isinstance(again, RequestItem)
    assert again.request.assertions == ROWS
    assert again.request.captures == CAPTURES
    assert again.request.scripts == Scripts(kept_post_response=kept)
    assert inner.assertions == folder.assertions
    assert (back.assertions, back.captures) == (collection.assertions, collection.captures)
    # and once more: the second export is the first
    assert export_postman(back) == text


def test_a_plain_jmespath_becomes_the_same_jsonpath() -> None:
    script = postman_test_script((A(S.JMESPATH, Op.EQ, "1", "a.b[0]"),), (), "", "the request 'R'")
    assert script.losses == ()
    assert "pm.response.json()?.a?.b?.[0]" in "\n".join(script.lines)
    request = _request(assertions=(A(S.JMESPATH, Op.EQ, "1", "a.b[0]"),))
    back = import_postman(export_postman(Collection("C", (RequestItem(request),))))
    item = back.collection.items[0]
    assert isinstance(item, RequestItem)
    assert item.request.assertions == (A(S.JSONPATH, Op.EQ, "1", "$.a.b[0]"),)


def test_what_has_no_postman_form_is_listed() -> None:
    request = _request(
        assertions=(
            A(S.XPATH, Op.EXISTS, argument="//a"),
            A(S.OPENAPI, Op.VALID, argument="api.yaml#GET /x"),
            A(S.JSON_SCHEMA, Op.VALID, argument="schemas/user.json"),
            A(S.JSONPATH, Op.EQ, "1", "$..id"),
            A(S.JSONPATH, Op.EQ, "1", "$.id", ("toInt",)),
            A(S.STATUS, Op.EQ, "200", enabled=False),
            A(S.STATUS, Op.EQ, "201"),
        ),
        captures=(Capture("x", S.REGEX, "id=(\\d+)", ("nth 0",)),),
        scripts=Scripts(pre_request="print(1)"),
    )
    text, losses = export_postman_report(Collection("C", (RequestItem(request),)))
    assert len(losses) == 8
    for words in ("xpath //a", "openapi", "schemas/user.json", "$..id", "toInt", "disabled"):
        assert any(words in line for line in losses), words
    assert any("capture of 'x'" in line for line in losses)
    assert any("Python scripts" in line for line in losses)
    exported = json.loads(text)["item"][0]["event"]
    assert exported == [
        {
            "listen": "test",
            "script": {
                "type": "text/javascript",
                "exec": [
                    'pm.test("status == 201", function () {',
                    "    pm.response.to.have.status(201);",
                    "});",
                ],
            },
        }
    ]


def test_kept_scripts_go_back_verbatim() -> None:
    scripts = Scripts(kept_pre_request="var a = 1;\nvar b = 2;", kept_post_response="if (x) {}\n")
    collection = Collection("C", (RequestItem(_request(scripts=scripts)),))
    document = json.loads(export_postman(collection))
    events = {event["listen"]: event["script"]["exec"] for event in document["item"][0]["event"]}
    assert events == {"prerequest": ["var a = 1;", "var b = 2;"], "test": ["if (x) {}"]}


def test_a_kept_jetbrains_handler_is_not_written_into_a_postman_script() -> None:
    kept = 'client.log("from an .http import");\n'
    script = postman_test_script((), (), kept, "the request 'R'")
    assert script.lines == ()
    assert script.losses == (
        "The kept JetBrains handler post-response script of the request 'R' was not "
        "exported: newman would fail on it (Postman's sandbox has only `pm`).",
    )
    postman_kept = "if (pm.response.code === 200) { client = 1; }\n"
    assert postman_test_script((), (), postman_kept, "x").lines == (postman_kept.strip(),)


def test_kept_bruno_and_insomnia_scripts_stay_out_of_the_postman_export() -> None:
    # Seen by hand: a Bruno collection exported to Postman failed in newman with
    # "ReferenceError: bru is not defined" (and `req`) in every script it kept.
    scripts = Scripts(
        kept_pre_request='req.setHeader("X-Trace", "1");\n',
        kept_post_response='bru.setVar("id", res.getBody().id);\n',
    )
    folder_scripts = Scripts(kept_pre_request='insomnia.request.addHeader("a: b");\n')
    collection = Collection(
        "C",
        (Folder("F", (RequestItem(_request(scripts=scripts)),), scripts=folder_scripts),),
    )
    text, losses = export_postman_report(collection)
    assert "bru." not in text and "req." not in text and "insomnia." not in text
    assert sorted(losses) == sorted(
        (
            "The kept Insomnia pre-request script of the folder 'F' was not exported: newman "
            "would fail on it (Postman's sandbox has only `pm`).",
            "The kept Bruno pre-request script of the request 'R' was not exported: newman "
            "would fail on it (Postman's sandbox has only `pm`).",
            "The kept Bruno post-response script of the request 'R' was not exported: newman "
            "would fail on it (Postman's sandbox has only `pm`).",
        )
    )


def test_a_bruno_script_with_a_local_named_like_a_postman_global_stays_out() -> None:
    # Seen with a real Bruno collection (a ServeRest suite): its tests blocks begin
    # `const responseBody = res.getBody();`. The local was taken for Postman's legacy
    # `responseBody` global, the script was written into the export verbatim, and newman
    # failed on it ("Identifier 'responseBody' has already been declared").
    kept = 'const responseBody = res.getBody();\nbru.setEnvVar("id", responseBody._id);\n'
    script = postman_test_script((), (), kept, "the request 'R'")
    assert script.lines == ()
    assert script.losses == (
        "The kept Bruno post-response script of the request 'R' was not exported: newman "
        "would fail on it (Postman's sandbox has only `pm`).",
    )
    # Plain JavaScript whose own locals are named like Bruno's globals is no Bruno script.
    plain = "const res = [1, 2];\nfunction f(req) { return req; }\nf(res);\n"
    assert postman_test_script((), (), plain, "x").lines == tuple(plain.strip().split("\n"))
    # A legacy Postman script reads the global, and stays.
    legacy = 'var data = JSON.parse(responseBody);\ntests["ok"] = data.id > 0;\n'
    assert postman_test_script((), (), legacy, "x").lines == tuple(legacy.strip().split("\n"))


def test_secret_variables_written_empty_are_named_in_the_report() -> None:
    # Seen with a real Postman collection (a Reqres suite): its `x-api-key` header became
    # the secret {{x_api_key}} on import; the export wrote it empty, as it must, but said
    # nothing, and newman sent `x-api-key:` with no value.
    from explorer.core.collection import Environment, Variable

    collection = Collection(
        "C",
        (RequestItem(_request()),),
        variables=(Variable("x_api_key", "k", secret=True), Variable("plain", "p")),
        environments=(
            Environment("Prod", (Variable("token", "t", secret=True), Variable("x_api_key"))),
        ),
    )
    text, losses = export_postman_report(collection)
    assert '"k"' not in text
    assert (
        "2 secret variable(s) were written without their value (token, x_api_key): set them "
        "in Postman, or give them to newman with --env-var NAME=VALUE."
    ) in losses


def test_a_written_content_type_header_is_not_doubled_by_the_body_type() -> None:
    # Seen with a real Bruno collection (restful-booker): requests with a JSON body and
    # their own `Content-Type: application/json` header went out of the Postman export
    # with the header twice, and newman sent it twice; API Explorer sends the written
    # header alone, as it does here for a different one.
    from explorer.core.model import Body, BodyKind, Pair

    json_body = Body(BodyKind.RAW, text="{}", content_type="application/json")
    requests = (
        _request(headers=(Pair("Content-Type", "application/json"),), body=json_body),
        _request(headers=(Pair("content-type", "application/vnd.api+json"),), body=json_body),
        _request(body=json_body),
    )
    collection = Collection("C", tuple(RequestItem(r) for r in requests))
    items = json.loads(export_postman(collection))["item"]
    types = [
        [h["value"] for h in item["request"]["header"] if h["key"].lower() == "content-type"]
        for item in items
    ]
    assert types == [["application/json"], ["application/vnd.api+json"], ["application/json"]]
