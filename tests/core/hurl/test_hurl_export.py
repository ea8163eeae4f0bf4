"""Exporting a collection as Hurl: what Hurl can carry reads back unchanged
(import(export(c)) == c), and what it cannot is listed, in the result and in the file."""

from __future__ import annotations

from dataclasses import replace

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.hurl.exporter import export_hurl, hurl_export
from explorer.core.hurl.importer import import_hurl
from explorer.core.hurl.parser import parse_hurl
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    Operator,
    Options,
    Pair,
    Part,
    Request,
    Subject,
)

HURL_OPTIONS = Options(follow_redirects=False, max_redirects=50)


def request(**changes) -> Request:
    base = Request(
        method="GET", url="https://api.example/items", name="List items", options=HURL_OPTIONS
    )
    return replace(base, **changes)


CARRIED = Collection(
    "shop",
    items=(
        RequestItem(
            request(
                description="Every item, newest first.\n\nPaged.",
                params=(Pair("page", "2"), Pair("q", "a b#c"), Pair("{{k}}", " {{v}} ")),
                headers=(Pair("Accept", "application/json"), Pair("X-Tab", "a\tb\\c")),
                auth=Auth(AuthKind.BASIC, username="bob.o'neil", password="p#ss word "),
                options=Options(follow_redirects=True, max_redirects=5, verify_tls=False),
                assertions=(
                    Assertion(Subject.STATUS, Operator.EQ, "200"),
                    Assertion(Subject.VERSION, Operator.EQ, '"1.1"'),
                    Assertion(Subject.HEADER, Operator.EQ, '"application/json"', "Content-Type"),
                    Assertion(Subject.JSONPATH, Operator.EQ, "2", "$.items", ("count",)),
                    Assertion(Subject.JSONPATH, Operator.EQ, '"1"', "$.items[0].id"),
                    Assertion(Subject.JSONPATH, Operator.NE, "null", "$.next"),
                    Assertion(Subject.JSONPATH, Operator.GT, "{{min}}", "$.total"),
                    Assertion(Subject.JSONPATH, Operator.LE, "2.5", "$.ratio"),
                    Assertion(Subject.JSONPATH, Operator.EQ, "false", "$.done", negate=True),
                    Assertion(
                        Subject.HEADER, Operator.CONTAINS, '"b"', "X-L", ('split ","', "nth 0")
                    ),
                    Assertion(Subject.BODY, Operator.MATCHES, '"^\\\\{.*\\"id\\""'),
                    Assertion(Subject.XPATH, Operator.EXISTS, "", "//a[@href='x']", negate=True),
                    Assertion(Subject.REGEX, Operator.EQ, '"7"', 'id="(\\d+)"'),
                    Assertion(Subject.VARIABLE, Operator.IS_TYPE, "string", "token"),
                    Assertion(Subject.JSONPATH, Operator.IS_TYPE, "empty", "$.warnings"),
                    Assertion(Subject.COOKIE, Operator.STARTS_WITH, '"a"', "sid"),
                    Assertion(Subject.DURATION, Operator.LT, "1000"),
                    Assertion(Subject.SIZE, Operator.GT, "0"),
                    Assertion(Subject.REDIRECTS, Operator.EQ, "0"),
                    Assertion(Subject.URL, Operator.ENDS_WITH, '"/items"'),
                    Assertion(Subject.SHA256, Operator.EQ, '"00ff"'),
                    Assertion(Subject.BODY, Operator.EQ, '"line\\n```\\nmore"'),
                ),
                captures=(
                    Capture("token", Subject.JSONPATH, "$.token", secret=True),
                    Capture("id", Subject.HEADER, "Location", ('regex "/(\\\\d+)$"', "toInt")),
                    Capture("code", Subject.STATUS),
                ),
            )
        ),
        RequestItem(
            request(
                method="POST",
                name="Create",
                headers=(Pair("X-Empty", ""),),
                body=Body(
                    BodyKind.RAW,
                    text='{\n  "name": "{{name}}"\n}\n',
                    content_type="application/json",
                ),
                assertions=(Assertion(Subject.STATUS, Operator.EQ, "201"),),
            )
        ),
        RequestItem(
            request(
                method="PUT",
                name="Raw no newline",
                body=Body(BodyKind.RAW, text="a,b", content_type="text/csv"),
            )
        ),
        RequestItem(
            request(method="PUT", name="Backticks", body=Body(BodyKind.RAW, text="x ``` y"))
        ),
        RequestItem(
            request(
                method="POST",
                name="Login",
                body=Body(BodyKind.FORM, form=(Pair("user", "bob"), Pair("pass", "{{pw}}"))),
            )
        ),
        RequestItem(
            request(
                method="POST",
                name="Upload",
                body=Body(
                    BodyKind.MULTIPART,
                    parts=(
                        Part("note", "hi there"),
                        Part("doc", file="files/my doc.pdf", content_type="application/pdf"),
                        Part("raw", file="data.bin", content_type="application/octet-stream"),
                    ),
                ),
            )
        ),
        RequestItem(
            request(
                method="PUT",
                name="Binary",
                body=Body(
                    BodyKind.BINARY, file="blob.bin", content_type="application/octet-stream"
                ),
            )
        ),
        RequestItem(
            request(
                name="Proxied",
                options=Options(
                    follow_redirects=True,
                    max_redirects=50,
                    trust_redirects=True,
                    proxy="http://proxy:3128",
                    ca_bundle="ca.pem",
                    client_cert="c.pem",
                    client_key="k.pem",
                ),
            )
        ),
    ),
    variables=(Variable("min", "1"), Variable("name", 'a b "q"')),
)


def test_what_hurl_carries_reads_back_unchanged():
    exported = hurl_export(CARRIED)
    assert exported.losses == ()
    back = import_hurl(exported.text, name="shop")
    assert back.report == ()
    for original, read in zip(CARRIED.items, back.collection.items, strict=True):
        assert read == original
    assert back.collection == CARRIED


def test_the_export_is_hurl_text():
    text = export_hurl(CARRIED)
    assert text.startswith("# Every item, newest first.\n#\n# Paged.\n# List items\nGET ")
    assert 'HTTP/1.1 200\n[Captures]\ntoken: jsonpath "$.token" redact\n' in text
    assert 'jsonpath "$.items" count == 2\n' in text
    assert "[BasicAuth]\n" in text and "[FormParams]\nuser: bob\n" in text
    assert "sha256 == hex,00ff;" in text
    assert len(parse_hurl(text).entries) == len(CARRIED.items)


def test_a_hurl_file_survives_import_export_import():
    source = (
        "# Login\nPOST http://h/login\n[Form]\nuser: bob\nHTTP 302\nLocation: /home\n"
        '[Captures]\nsid: cookie "sid"\n[Asserts]\nheader "Set-Cookie" count == 1\n\n'
        "GET http://h/home\n[Options]\nlocation: true\nHTTP *\n[Asserts]\n"
        'jsonpath "$.x" toInt >= 3\nbody == ```\nhello\n```\n'
    )
    first = import_hurl(source).collection
    assert import_hurl(export_hurl(first)).collection == first


def test_losses_are_listed_in_the_result_and_atop_the_file():
    collection = Collection(
        "c",
        items=(
            Folder(
                "Admin",
                items=(
                    RequestItem(
                        request(
                            headers=(Pair("X-Off", "1", enabled=False),),
                            auth=Auth(AuthKind.BEARER, token="{{t}}"),
                            options=Options(timeout=5),
                            assertions=(
                                Assertion(Subject.JMESPATH, Operator.EQ, "1", "a.b"),
                                Assertion(Subject.STATUS, Operator.EQ, "200", enabled=False),
                                Assertion(Subject.JSONPATH, Operator.EQ, "[1, 2]", "$.a"),
                                Assertion(Subject.JSON_SCHEMA, Operator.VALID, "", "schema.json"),
                            ),
                        )
                    ),
                ),
                assertions=(Assertion(Subject.DURATION, Operator.LT, "500"),),
            ),
        ),
        variables=(Variable("api_key", "x", secret=True),),
        environments=(Environment("local"),),
    )
    exported = hurl_export(collection)
    losses = "\n".join(exported.losses)
    for expected in (
        "secret variable api_key",
        "Environments",
        "Folders",
        "jmespath",
        "Disabled headers",
        "bearer",
        "timeouts",
        "Disabled assertions",
        "list or object",
        "jsonschema",
        "Folder and collection checks",
    ):
        assert expected in losses
    assert exported.text.startswith("# Not carried over to Hurl: ")
    assert "x" not in [line for line in exported.text.splitlines() if "api_key" in line]
    back = import_hurl(exported.text).collection.items[0].request
    assert back.name == "Admin / List items"
    assert back.headers == (Pair("Authorization", "Bearer {{t}}"),)
    assert Assertion(Subject.DURATION, Operator.LT, "500") in back.assertions


def test_path_parameter_values_go_into_the_url_and_like_losses_are_one_sentence():
    items = tuple(
        RequestItem(
            request(
                name=f"Item {n}",
                url="https://api.example/items/:id",
                path_params=(Pair("id", str(n)),),
                assertions=(Assertion(Subject.JMESPATH, Operator.EQ, "1", "a"),),
            )
        )
        for n in (1, 2, 3, 4)
    )
    exported = hurl_export(Collection("c", items=items))
    back = import_hurl(exported.text).collection.items
    assert [item.request.url for item in back] == [
        f"https://api.example/items/{n}" for n in (1, 2, 3, 4)
    ]
    assert exported.losses == (
        "The path parameters of each of 4 requests (Item 1; Item 2; Item 3 and 1 more) are "
        "written into its URL.",
        "An assertion of each of 4 requests (Item 1; Item 2; Item 3 and 1 more) is not "
        "written: Hurl has no jmespath query.",
    )


def test_a_content_type_header_equal_to_the_body_type_is_no_loss():
    # A real Bruno collection's JSON requests, exported to Hurl, said the body's type
    # was lost although the header named the same type.
    same = request(
        method="POST",
        headers=(Pair("Content-Type", "application/json"),),
        body=Body(BodyKind.RAW, text="{}", content_type="application/json"),
    )
    other = replace(same, headers=(Pair("Content-Type", "application/vnd.api+json"),))
    losses = [hurl_export(Collection("C", (RequestItem(r),))).losses for r in (same, other)]
    assert not any("Content-Type" in line for line in losses[0])
    assert any("body's is lost" in line for line in losses[1])
    text = export_hurl(Collection("C", (RequestItem(same),)))
    assert text.count("Content-Type") == 1
