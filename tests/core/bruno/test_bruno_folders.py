"""A Bruno collection folder imported (order, folders, environments, auth, bodies,
assertions, captures, scripts, variables, what is lost), exported, and read back; the
guarded folder entry point and its bounds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.application.exporting import collection_export, write_collection
from explorer.core.bruno import checks, files
from explorer.core.collection import (
    Collection,
    Environment,
    Folder,
    RequestItem,
    Variable,
    walk_requests,
)
from explorer.core.formats import FormatError, convert_folder
from explorer.core.graphql.request import payload
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
    Request,
    Scripts,
    Subject,
)

FIXTURE = Path(__file__).parents[1] / "formats" / "fixtures" / "bruno" / "shop"


def _requests(collection: Collection) -> dict[str, Request]:
    return {item.request.name: item.request for _, item in walk_requests(collection)}


def test_the_fixture_imports_in_bruno_order_with_everything_it_holds() -> None:
    imported = convert_folder(FIXTURE)
    assert imported.format == "bruno"
    collection = imported.result.collection
    order = [("/".join(path), item.name) for path, item in walk_requests(collection)]
    assert order == [
        ("Catalog", "List products"),
        ("Catalog", "Get product"),
        ("Orders/Payments", "Upload receipt"),
        ("Orders/Payments", "Query payments"),
        ("Orders/Payments", "Refund"),
        ("Orders", "Create order"),
        ("Orders", "Add note"),
        ("Orders", "Export order"),
        ("Orders", "Search orders"),
        ("", "Status"),
    ]  # folders first, by seq; then requests by seq; `drafts` is in bruno.json's ignore
    assert collection.name == "Shop API"
    assert collection.headers == (
        Pair("X-Client", "api-explorer-tests"),
        Pair("X-Debug", "1", False),
    )
    assert collection.auth == Auth(AuthKind.BEARER, token="{{token}}")
    assert collection.variables == (Variable("apiVersion", "v2"),)
    assert collection.scripts.kept_pre_request.startswith("// Runs before every request")
    local, prod = collection.environments
    assert local.name == "Local" and prod.name == "Prod"
    assert Variable("token", "", secret=True) in local.variables
    assert Variable("legacyHost", "http://old.local", enabled=False) in local.variables
    orders = collection.items[1]
    assert orders.name == "Orders" and orders.auth == Auth(
        AuthKind.BASIC, username="clerk", password="{{adminPassword}}"
    )
    requests = _requests(collection)
    listed = requests["List products"]
    assert listed.url == "{{baseUrl}}/products?page=1&size={{pageSize}}"
    assert listed.params == (Pair("debug", "true", False),)  # the URL holds the enabled ones
    assert Assertion(Subject.HEADER, Operator.CONTAINS, "application/json", "content-type") in (
        listed.assertions
    )
    assert Assertion(Subject.STATUS, Operator.MATCHES, "^(?:200|201)$") in listed.assertions
    assert Assertion(Subject.STATUS, Operator.EQ, "500", enabled=False) in listed.assertions
    assert Capture("firstQuery", Subject.JSONPATH, "$.query[0][0]") in listed.captures
    kept = listed.scripts.kept_post_response
    assert "res.body: isJson" in kept and "sum: res.body.query.length + 1" in kept
    assert 'test("lists products"' in kept
    product = requests["Get product"]
    assert product.url == "{{baseUrl}}/products/:id?view=full"  # its own variable, written in
    assert product.path_params == (Pair("id", "42"),)
    create = requests["Create order"]
    assert create.headers == (Pair("X-Channel", "web"),)  # the folder's variable, written in
    assert create.body.kind == BodyKind.RAW and create.body.content_type == "application/json"
    graphql = requests["Query payments"].body
    assert graphql.kind == BodyKind.GRAPHQL
    assert payload(graphql.graphql) == {
        "query": "query Payments($order: ID!) {\n  payments(order: $order) { id amount }\n}",
        "variables": {"order": "7"},
    }
    upload = requests["Upload receipt"].body
    assert upload.kind == BodyKind.MULTIPART
    assert (
        upload.parts[1].file == "files/receipt.txt" and upload.parts[1].content_type == "text/plain"
    )
    assert not upload.parts[2].enabled
    assert requests["Export order"].options.timeout == 5.0
    search = requests["Search orders"]
    assert search.auth == Auth(AuthKind.API_KEY, key_name="X-Api-Key", key_value="{{token}}")
    assert requests["Refund"].auth.kind == AuthKind.DIGEST
    assert dict(imported.result.files) == {"files/receipt.txt": b"receipt #7\ntotal 12.50\n"}
    report = "\n".join(imported.result.report)
    assert "converted 21 of 22 into assertion rows" in report
    assert "converted 3 of 4 into captures" in report
    assert "3 JavaScript script(s) kept verbatim" in report
    assert "1 `tests` block(s) kept" in report
    assert "GraphQL" not in report  # a GraphQL body of its own now: nothing to say
    assert "1 JSON body(ies) held comments, which Bruno removes before sending" in report
    assert "1 body block(s) of a kind their request does not send" in report  # body:text
    assert "1 request or folder variable(s) disabled, or not used" in report  # ~unused
    assert "1 request(s) had tags" in report
    assert "1 row annotation(s) (@description and the like)" in report
    assert create.body.text == (
        '{\n  "sku": "A-1",\n  "quantity": 2, \n  "note": "leave at the door"\n}'
    )


def test_folders_come_in_the_order_of_brunos_runner(tmp_path: Path) -> None:
    # Bruno sorts folders by name, then moves each one with a seq to that position:
    # "Zeta" (no folder.bru) first, then "Alpha" (seq 2), as bru runs them.
    folder = _collection(
        tmp_path,
        {
            "Alpha/folder.bru": "meta {\n  name: Alpha\n  seq: 2\n}\n",
            "Alpha/a.bru": "get {\n  url: http://x/a\n}\n",
            "Zeta/z.bru": "meta {\n  name: z\n}\nget {\n  url: http://x/z\n}\n",
            "r2.bru": "meta {\n  seq: 2\n}\nget {\n  url: http://x/r2\n}\n",
            "r1.bru": "get {\n  url: http://x/r1?a=1\n}\nquery {\n  a: 1\n  ~b: 2\n}\n",
        },
    )
    collection = convert_folder(folder).result.collection
    assert [item.name for item in collection.items] == ["Zeta", "Alpha", "r1", "r2"]
    assert collection.items[2].request.params == (Pair("b", "2", False),)  # Bruno 0.x `query`


def _collection(root: Path, files_: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "bruno.json").write_text('{"version": "1", "name": "T", "type": "collection"}')
    for name, text in files_.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_what_cannot_be_carried_is_reported(tmp_path: Path) -> None:
    folder = _collection(
        tmp_path,
        {
            "a.bru": "meta {\n  name: A\n  seq: 1\n}\nget {\n  url: http://x/{{process.env.HOST}}\n"
            "  auth: wsse\n}\nauth:wsse {\n  username: u\n  password: p\n}\n"
            "settings {\n  keepAlive: yes\n  followRedirects: false\n}\n",
            "b.bru": "meta {\n  name: B\n  type: grpc\n}\ngrpc {\n  url: x\n}\n",
            "broken.bru": "meta {\n  name: broken\n",
            "c.bru": "get {\n  url: http://x?k=1\n  auth: apikey\n}\n"
            "auth:apikey {\n  key: k\n  value: v\n  placement: queryparams\n}\n",
        },
    )
    result = convert_folder(folder).result
    requests = _requests(result.collection)
    assert sorted(requests) == ["A", "c"]
    assert requests["A"].auth.kind == AuthKind.NONE
    assert requests["A"].options.follow_redirects is False
    assert requests["c"].auth == Auth(AuthKind.API_KEY, key_name="k", key_value="v", key_in="query")
    report = "\n".join(result.report)
    assert "1 WSSE auth setting(s) not carried over" in report  # (OAuth 2.0 is carried now)
    assert "b.bru: a grpc request" in report
    assert (
        "broken.bru: The block `meta` is never closed with a `}` line (line 1, column 1)" in report
    )
    assert "process.env" in report
    assert "1 request setting(s) without an equivalent" in report


def test_a_folder_that_is_not_bruno_says_what_it_saw(tmp_path: Path) -> None:
    with pytest.raises(FormatError) as raised:
        convert_folder(tmp_path)
    assert raised.value.message == (
        f"no bruno.json or opencollection.yml in {tmp_path}: not a collection folder this app reads"
    )
    (tmp_path / "bruno.json").write_text("[1]")
    with pytest.raises(FormatError, match=r"bruno\.json is not a JSON object"):
        convert_folder(tmp_path)
    (tmp_path / "bruno.json").write_text("{oops")
    with pytest.raises(FormatError, match=r"bruno.json: Invalid JSON"):
        convert_folder(tmp_path)
    with pytest.raises(FormatError, match="no such folder"):
        convert_folder(tmp_path / "missing")


def test_links_are_never_followed_out_of_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("do not read")
    (outside / "evil.bru").write_text("get {\n  url: http://evil\n}\n")
    folder = _collection(
        tmp_path / "c",
        {
            "r.bru": "post {\n  url: http://x\n  body: multipartForm\n}\n"
            "body:multipart-form {\n  f: @file(link.txt)\n  g: @file(../outside/secret.txt)\n}\n"
        },
    )
    os.symlink(outside / "evil.bru", folder / "evil.bru")
    os.symlink(outside, folder / "linked")
    os.symlink(outside / "secret.txt", folder / "link.txt")
    result = convert_folder(folder).result
    assert [item.name for _, item in walk_requests(result.collection)] == ["r"]
    assert result.files == ()
    report = "\n".join(result.report)
    assert "3 symbolic link(s) in the folder were not followed" in report
    assert "link.txt: missing, a link or unreadable, not copied" in report
    assert "../outside/secret.txt: outside the collection folder, not copied" in report


def test_the_folder_read_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _collection(tmp_path, {f"r{i}.bru": "get {\n  url: http://x\n}\n" for i in range(5)})
    monkeypatch.setattr(files, "MAX_FOLDER_FILES", 3)
    with pytest.raises(FormatError, match="more than 3 files"):
        convert_folder(folder)
    monkeypatch.setattr(files, "MAX_FOLDER_FILES", 100)
    monkeypatch.setattr(files, "MAX_FOLDER_BYTES", 40)
    with pytest.raises(FormatError, match="larger than"):
        convert_folder(folder)
    monkeypatch.setattr(files, "MAX_FOLDER_BYTES", 10_000)
    deep = folder
    for _ in range(files.MAX_WALK_DEPTH + 1):
        deep = deep / "d"
    deep.mkdir(parents=True)
    with pytest.raises(FormatError, match="nested more than"):
        convert_folder(folder)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("res.status", "eq 200", [(Subject.STATUS, "", Operator.EQ, "200", False)]),
        ("res.body.name", 'eq "Ann"', [(Subject.JSONPATH, "$.name", Operator.EQ, '"Ann"', False)]),
        ("res.body.name", "eq 'Ann'", [(Subject.JSONPATH, "$.name", Operator.EQ, '"Ann"', False)]),
        ("res.body.tags", "eq [1]", [(Subject.JSONPATH, "$.tags", Operator.EQ, '"[1]"', False)]),
        ("res('a.b')", "neq 1", [(Subject.JSONPATH, "$.a.b", Operator.NE, "1", False)]),
        ("res.headers.etag", "isDefined", [(Subject.HEADER, "etag", Operator.EXISTS, "", False)]),
        ("res.body.x", "notContains y", [(Subject.JSONPATH, "$.x", Operator.CONTAINS, "y", True)]),
        (
            "res.body.x",
            "notMatches /a+/",
            [(Subject.JSONPATH, "$.x", Operator.MATCHES, "a+", True)],
        ),
        ("res.body.ok", "isTruthy", [(Subject.JSONPATH, "$.ok", Operator.EQ, "true", False)]),
        ("res.body.n", "isNull", [(Subject.JSONPATH, "$.n", Operator.IS_TYPE, "null", False)]),
        ("res.body.s", "isNotEmpty", [(Subject.JSONPATH, "$.s", Operator.IS_TYPE, "empty", True)]),
        (
            "res.body.a",
            "notIn x, y",
            [(Subject.JSONPATH, "$.a", Operator.MATCHES, "^(?:x|y)$", True)],
        ),
        (
            "res.responseTime",
            "between 1, 9",
            [
                (Subject.DURATION, "", Operator.GE, "1", False),
                (Subject.DURATION, "", Operator.LE, "9", False),
            ],
        ),
        ("res.status", "200", [(Subject.STATUS, "", Operator.EQ, "200", False)]),
        ("res.body", "isJson", None),
        ("res.body.items.length", "eq 2", None),
        ("res.getStatus()", "eq 200", None),
        ("res.body.x", "eq ${a}", None),
    ],
)
def test_bruno_operators_map_onto_rows(left: str, right: str, expected: list | None) -> None:
    rows = checks.assertions_of(left, right, True)
    if expected is None:
        assert rows is None
        return
    assert rows is not None
    assert [(r.subject, r.argument, r.operator, r.expected, r.negate) for r in rows] == expected


def _export(collection: Collection) -> tuple[dict[str, str], tuple[str, ...]]:
    export = collection_export(collection, "bruno")
    assert export.text == ""
    return {file.name: file.text for file in export.files}, export.report


def test_the_export_says_what_bruno_cannot_carry_and_never_writes_a_secret() -> None:
    request = Request(
        method="PURGE",
        name="Purge: all",
        url="http://x/a",
        params=(Pair("q", "1"), Pair("off", "2", False)),
        auth=Auth(AuthKind.API_KEY, key_name="key", key_value="{{apiKey}}", key_in="query"),
        assertions=(
            Assertion(Subject.XPATH, Operator.EQ, "1", "//a"),
            Assertion(Subject.JSONPATH, Operator.EQ, "2", "$.n", filters=("count",)),
            Assertion(Subject.STATUS, Operator.LT, "400"),
            Assertion(Subject.JMESPATH, Operator.EQ, '"x"', "a.b[0]"),
        ),
        captures=(Capture("id", Subject.JSONPATH, "$.id", secret=True, to_environment=True),),
        options=Options(trust_redirects=True),
        scripts=Scripts(pre_request="print('python')"),
    )
    collection = Collection(
        "C",
        items=(RequestItem(request, inherit_headers=False),),
        variables=(Variable("password", "hunter2-value", secret=True),),
        environments=(Environment("Prod", (Variable("token", "tok-value", secret=True),)),),
    )
    written, report = _export(collection)
    assert sorted(written) == [
        "Purge- all.bru",
        "bruno.json",
        "collection.bru",
        "environments/Prod.bru",
    ]
    assert not any("hunter2" in text or "tok-value" in text for text in written.values())
    assert "vars:secret [\n  token,\n  password\n]" in written["environments/Prod.bru"]
    request_text = written["Purge- all.bru"]
    assert "http {\n  method: PURGE\n  url: http://x/a?q=1&key={{apiKey}}\n" in request_text
    assert "  ~off: 2\n" in request_text
    assert 'assert {\n  res.status: lt 400\n  res.body.a.b[0]: eq "x"\n}' in request_text
    assert "vars:post-response {\n  id: res.body.id\n}" in request_text
    joined = "\n".join(report)
    assert (
        "2 assertion(s) have no Bruno `assert` form and were not exported "
        "(xpath ==, jsonpath == with filters)"
    ) in joined
    assert "1 Python script(s) were not exported" in joined
    assert "1 secret capture(s) become ordinary Bruno runtime variables, shown in" in joined
    assert "1 request(s) send credentials on to another host after a redirect" in joined
    assert "1 capture(s) also wrote to the active environment" in joined
    assert "1 secret collection variable(s) were written without their value" in joined
    assert "1 request(s) that do not take their folders' headers" in joined
    assert "1 request(s) with a method Bruno's file format cannot name" in joined


def test_import_export_import_gives_the_same_requests(tmp_path: Path) -> None:
    first = convert_folder(FIXTURE).result
    written = write_collection(first.collection, "bruno", tmp_path / "out")
    assert (tmp_path / "out" / "bruno.json") in written.paths
    second = convert_folder(tmp_path / "out").result
    before, after = _requests(first.collection), _requests(second.collection)
    assert list(before) == list(after)
    for name, request in before.items():
        again = after[name]
        assert again.method == request.method and again.headers == request.headers, name
        assert again.body == request.body and again.auth == request.auth, name
        assert again.assertions == request.assertions and again.captures == request.captures
        assert again.scripts == request.scripts, name
        assert again.description == request.description, name
    assert second.collection.environments == first.collection.environments
    assert second.collection.variables == first.collection.variables
    assert second.collection.headers == first.collection.headers


def test_what_the_bru_format_cannot_hold_is_reported_and_the_rest_reads_back(
    tmp_path: Path,
) -> None:
    request = Request(
        method="POST",
        url="http://x/a",
        name="folder",  # beside folder.bru: the file gets another name, the request keeps it
        headers=(
            Pair("X-Pad", " padded "),
            Pair("X-Quote", "'''"),
            Pair("X-Bracket", "["),
            Pair("X-Multi", "a\n  b"),
        ),
        body=Body(BodyKind.RAW, text="line\n}\n  }\nend", content_type="text/csv"),
        description="docs with\n}\na brace",
    )
    collection = Collection("C", items=(Folder("F", items=(RequestItem(request),)),))
    written = write_collection(collection, "bruno", tmp_path / "out")
    assert (tmp_path / "out" / "F" / "folder (2).bru").is_file()
    report = "\n".join(written.report)
    assert "1 row(s) hold what Bruno's format cannot" in report
    assert "1 value(s) lose the spaces at their start or end" in report
    [(_, item)] = walk_requests(convert_folder(tmp_path / "out").result.collection)
    again = item.request
    assert again.name == "folder"
    assert again.headers == (
        Pair("X-Pad", "padded"),
        Pair("X-Bracket", "["),
        Pair("X-Multi", "a\n  b"),
        Pair("Content-Type", "text/csv"),
    )
    assert again.body.text == "line\n}\n  }\nend" and again.description == request.description
