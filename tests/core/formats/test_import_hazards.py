"""Hostile and broken inputs that crashed or hung the importers (issue 11): each now
gives a result or one FormatError with a one-line message, within a bounded time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explorer.cli import main as cli_main
from explorer.core.collection import Folder, walk_requests
from explorer.core.formats import FormatError, ImportResult, convert, import_text

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).parent / "fixtures"
BOM = "\ufeff"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command line in its own process: a hang fails the test, not the run."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def _strings(value: object) -> list[str]:
    """Every string inside a result (dataclasses, tuples), to check what would be written."""
    found: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, (tuple, list)):
            pending.extend(item)
        elif hasattr(item, "__dataclass_fields__"):
            pending.extend(getattr(item, name) for name in item.__dataclass_fields__)
    return found


# ---- crashes ---------------------------------------------------------------------------


def test_insomnia_resource_type_that_is_a_list_is_not_a_crash():
    document = json.loads(_fixture("insomnia/export.json"))
    document["resources"][-1]["_type"] = ["unit_test_suite"]  # was: unhashable type: 'list'
    result = import_text(json.dumps(document))
    assert "Insomnia ['unit_test_suite'] resources were not imported." in result.report


def test_insomnia_with_1200_nested_folders_is_refused_in_one_line():
    resources = [{"_id": "wrk", "_type": "workspace", "parentId": None, "name": "W"}]
    parent = "wrk"
    for index in range(1200):
        resources.append(
            {"_id": f"f{index}", "_type": "request_group", "parentId": parent, "name": "F"}
        )
        parent = f"f{index}"
    resources.append({"_id": "r", "_type": "request", "parentId": parent, "url": "http://x"})
    text = json.dumps({"_type": "export", "__export_format": 4, "resources": resources})
    with pytest.raises(FormatError) as caught:  # was: RecursionError
        import_text(text)
    assert "nested more than 32 levels" in caught.value.message
    assert "\n" not in str(caught.value)


def test_insomnia_folder_that_is_its_own_parent_ends():
    resources = [
        {"_id": "wrk", "_type": "workspace", "parentId": None, "name": "W"},
        {"_id": "f", "_type": "request_group", "parentId": "wrk", "name": "A"},
        {"_id": "f", "_type": "request_group", "parentId": "f", "name": "B"},
    ]
    with pytest.raises(FormatError, match="nested more than"):
        import_text(json.dumps({"_type": "export", "__export_format": 4, "resources": resources}))


HUGE = "9" * 5000  # past Python's 4,300-digit limit for int <-> str


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("postman/v21_collection.json", "info"),
        ("insomnia/export.json", "__export_source"),
        ("openapi/swagger2.json", "info"),
        ("har/browser.har", "log"),
    ],
)
def test_a_5000_digit_integer_is_not_a_crash(name: str, key: str):
    document = json.loads(_fixture(name))
    text = json.dumps(document)
    marker = json.dumps({key: document[key]})[1:-1]  # '"key": value'
    text = text.replace(marker, f'"huge": {HUGE}, {marker}', 1)
    assert HUGE in text
    result = import_text(text)  # was: ValueError (Exceeds the limit (4300 digits))
    assert walk_requests(result.collection)


def test_a_5000_digit_integer_in_yaml_and_in_a_value_is_kept_as_text():
    text = _fixture("insomnia/export.yaml")
    text = text.replace("base_url: http", f"big: {HUGE}\n    base_url: http", 1)
    assert HUGE in text
    result = import_text(text)
    values = {v.name: v.value for v in result.collection.variables}
    assert values.get("big") == HUGE


def test_yaml_date_that_does_not_exist_is_text():
    text = _fixture("insomnia/export.yaml")
    text = text.replace("base_url: http", "day: 2024-02-30\n    base_url: http", 1)
    result = import_text(text)  # was: ValueError (day is out of range for month)
    values = {v.name: v.value for v in result.collection.variables}
    assert values.get("day") == "2024-02-30"


def test_har_url_with_a_broken_ipv6_host_is_imported_as_written():
    har = {"log": {"entries": [{"request": {"method": "GET", "url": "http://[::1/"}}]}}
    result = import_text(json.dumps(har))  # was: ValueError (Invalid IPv6 URL)
    [(_, item)] = walk_requests(result.collection)
    assert item.request.url == "http://[::1/"


def _postman_with_lone_surrogate() -> str:
    document = {
        "info": {
            "name": "Surrogates",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            {"name": "first", "request": {"url": "http://a.example/1", "method": "GET"}},
            {"name": "bad\ud800name", "request": {"url": "http://a.example/2?q=\udc00"}},
        ],
    }
    text = json.dumps(document)  # ASCII with "\ud800" escapes, as a hostile file has
    assert "\\ud800" in text
    return text


def test_lone_surrogates_are_replaced_and_reported():
    result = import_text(_postman_with_lone_surrogate())
    names = [item.name for _, item in walk_requests(result.collection)]
    assert names == ["first", "bad\ufffdname"]
    assert any("U+FFFD" in line for line in result.report)
    for text in _strings(result):
        text.encode("utf-8")  # nothing the store or the terminal could not write


def test_import_with_lone_surrogates_writes_the_whole_folder(tmp_path):
    source = tmp_path / "s.json"
    source.write_text(_postman_with_lone_surrogate(), encoding="utf-8")
    target = tmp_path / "out"
    result = _cli("import", str(source), "--into", str(target))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in target.glob("*.yaml")) == [
        "bad-name.yaml",
        "collection.yaml",
        "first.yaml",
    ]


def test_a_failed_write_leaves_no_folder_behind(tmp_path, monkeypatch):
    from explorer.core.storage.collection_files import CollectionStore

    writes = []
    original = CollectionStore._apply

    def fail_on_the_third(self, write):
        writes.append(write.rel)
        if len(writes) == 3:
            raise OSError(28, "No space left on device")
        original(self, write)

    monkeypatch.setattr(CollectionStore, "_apply", fail_on_the_third)
    source = FIXTURES / "postman" / "v21_collection.json"
    target = tmp_path / "out"
    assert cli_main(["import", str(source), "--into", str(target)]) == 2
    assert len(writes) == 3
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # and no hidden half-written folder either


def test_any_unexpected_error_in_an_importer_becomes_one_line(monkeypatch):
    import explorer.core.formats.postman as postman

    def broken(text: str) -> ImportResult:
        raise ValueError("a value\nover two lines")

    monkeypatch.setattr(postman, "import_postman", broken)
    with pytest.raises(FormatError) as caught:
        convert(_fixture("postman/v21_collection.json"))
    assert "\n" not in str(caught.value)
    assert "a value over two lines" in caught.value.message


# ---- hangs -----------------------------------------------------------------------------


def _ref_bomb() -> dict:
    """10 properties per level, each a $ref to the next level, 8 levels: 10^8 values."""
    schemas = {}
    for level in range(8):
        inner = {"$ref": f"#/components/schemas/L{level + 1}"}
        schemas[f"L{level}"] = {"type": "object", "properties": {f"p{i}": inner for i in range(10)}}
    schemas["L8"] = {"type": "string"}
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/L0"}}}}
    return {
        "openapi": "3.0.0",
        "info": {"title": "bomb", "version": "1"},
        "paths": {"/a": {"post": {"requestBody": body}}},
        "components": {"schemas": schemas},
    }


def test_openapi_ref_bomb_is_bounded(tmp_path):
    source = tmp_path / "bomb.json"
    source.write_text(json.dumps(_ref_bomb()), encoding="utf-8")
    result = _cli("import", str(source), "--json", timeout=60)  # was: over 120 s
    assert result.returncode == 0, result.stderr
    assert "cut short" in result.stderr
    [line] = result.stdout.splitlines()
    assert len(line) < 2 * 1024 * 1024


def test_insomnia_yaml_alias_bomb_is_refused(tmp_path):
    # Nine levels of ten aliases each: a billion values once expanded.
    lines = ["_type: export", "__export_format: 4", "l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        keys = ", ".join(f"k{i}: *l{level - 1}" for i in range(10))
        lines.append(f"l{level}: &l{level} {{{keys}}}")
    lines += [
        "resources:",
        "  - {_id: wrk, _type: workspace, parentId: null, name: W}",
        "  - {_id: env, _type: environment, parentId: wrk, name: Base, data: *l9}",
    ]
    source = tmp_path / "bomb.yaml"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _cli("import", str(source), timeout=60)
    assert result.returncode == 2
    assert "aliases are expanded" in result.stderr
    assert "Traceback" not in result.stderr


def test_yaml_alias_loop_is_refused():
    text = (
        "_type: export\n__export_format: 4\nresources:\n"
        "  - &a {_id: e, _type: environment, parentId: w, data: {self: *a}}\n"
        "  - {_id: w, _type: workspace, name: W}\n"
    )
    with pytest.raises(FormatError, match="contains itself"):
        import_text(text, format="insomnia")


def _har(count: int, url: str = "https://shop.example.com/api/items") -> str:
    entry = {
        "request": {"method": "GET", "url": url, "headers": [{"name": "a", "value": "b"}]},
        "response": {"status": 200, "content": {"text": "{}"}},
    }
    return json.dumps({"log": {"version": "1.2", "entries": [entry] * count}})


def test_har_with_10k_same_named_requests_plans_its_files_in_linear_time(tmp_path):
    from explorer.core.storage.collection_files import CollectionStore, _Plan

    result = import_text(_har(10_000))
    items = result.collection.items
    assert len(items) == 10_000
    started = time.perf_counter()
    CollectionStore(tmp_path / "c")._plan_items("", items, (), _Plan())
    # Linear: well under a second; the quadratic name search took about 30 s here.
    assert time.perf_counter() - started < 5


# ---- BOM -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "curl/chrome_bash.txt",
        "postman/v21_collection.json",
        "insomnia/export.json",
        "insomnia/export.yaml",
        "openapi/petstore_v3.yaml",
        "openapi/swagger2.json",
        "har/browser.har",
        "http/requests.http",
    ],
)
def test_every_importer_accepts_a_utf8_bom_on_the_command_line(name, tmp_path, capsys):
    plain, source = tmp_path / Path(name).name, tmp_path / f"bom-{Path(name).name}"
    plain.write_bytes((FIXTURES / name).read_bytes())
    source.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    assert cli_main(["import", str(source), "--json"]) == 0
    with_bom = capsys.readouterr().out
    assert cli_main(["import", str(plain), "--json"]) == 0
    assert with_bom == capsys.readouterr().out
    assert import_text(BOM + _fixture(name), filename=source.name, base_dir=source.parent)


def test_folders_are_bounded_for_every_format():
    # Postman walks folders recursively too.
    item: dict = {"name": "leaf", "request": {"url": "http://x.example"}}
    for _ in range(40):
        item = {"name": "f", "item": [item]}
    document = {"info": {"name": "deep", "schema": "v2.1.0/collection.json"}, "item": [item]}
    with pytest.raises(FormatError, match="nested more than 32 levels"):
        import_text(json.dumps(document), format="postman")
    for _ in range(40 - 32):  # 32 levels are fine
        item = item["item"][0]
    document["item"] = [item]
    result = import_text(json.dumps(document), format="postman")
    depth, folder = 0, result.collection.items[0]
    while isinstance(folder, Folder):
        depth, folder = depth + 1, folder.items[0]
    assert depth == 32


def test_a_new_collection_is_synced_once_not_twice_per_file(tmp_path, monkeypatch):
    import explorer.core.atomic as atomic
    from explorer.core.formats.destination import write_new_collection

    calls = {"fsync": 0, "sync": 0}
    real_fsync = os.fsync

    def counting_fsync(fd: int) -> None:
        calls["fsync"] += 1
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", counting_fsync)
    monkeypatch.setattr(atomic.os, "sync", lambda: calls.__setitem__("sync", calls["sync"] + 1))
    result = import_text(_har(200, "https://shop.example.com/api/items?page=1"))
    write_new_collection(result.collection, tmp_path / "har")
    assert len(list((tmp_path / "har").glob("*.yaml"))) == 201
    assert calls["sync"] == 1
    assert calls["fsync"] <= 2  # the parent folder after the rename, not 402 for the files
    assert [p.name for p in tmp_path.iterdir()] == ["har"]


def test_numbers_past_the_float_range_are_not_a_crash():
    insomnia = json.loads(_fixture("insomnia/export.json"))
    insomnia["resources"][5]["metaSortKey"] = 10**400  # float() overflowed
    assert len(walk_requests(import_text(json.dumps(insomnia)).collection)) == 5
    text = _fixture("postman/v21_collection.json")
    text = text.replace('"maxRedirects": 3', '"maxRedirects": 1e999')
    assert "1e999" in text
    with pytest.raises(FormatError, match="Expected a number"):  # int(inf) overflowed
        import_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "GET https://a.example/x" + " " * 50_000 + "y\n",  # the request line
        "@host = a" + " " * 50_000 + "b\nGET https://{{host}}/\n",  # a file variable
        "# @name a" + "\t" * 50_000 + "b\nGET https://a.example/\n",  # a request name
        "GET https://a.example/\nX-A" + " " * 50_000 + "b\n",  # a line that is no header
        "GET https://a.example/" + "{{" * 50_000 + "\n",  # an unclosed variable
    ],
)
def test_long_runs_in_an_http_file_take_linear_time(text: str):
    started = time.perf_counter()
    try:
        import_text(text, format="http")
    except FormatError as error:
        assert "\n" not in str(error)
    assert time.perf_counter() - started < 5  # each took 10 s or more (quadratic regexes)


def test_a_long_chain_of_references_is_cut_short():
    count = 20_000  # each $ref points to the next: following it was quadratic (minutes)
    schemas = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(count)}
    schemas[f"S{count}"] = {"type": "string"}
    schema = {"$ref": "#/components/schemas/S0"}
    body = {"content": {"application/json": {"schema": schema}}}
    document = {
        "openapi": "3.0.0",
        "info": {"title": "chain", "version": "1"},
        "paths": {f"/p{j}": {"post": {"requestBody": body}} for j in range(10)},
        "components": {"schemas": schemas},
    }
    started = time.perf_counter()
    result = import_text(json.dumps(document))
    assert time.perf_counter() - started < 5
    assert any("chain of more than 64 references" in line for line in result.report)


def test_each_environment_is_written_once(tmp_path):
    target = tmp_path / "pets"
    source = FIXTURES / "openapi" / "petstore_v3.yaml"
    assert cli_main(["import", str(source), "--into", str(target)]) == 0
    written = sorted(p.name for p in (target / "environments").iterdir())
    assert written == ["http-localhost-8000-v1.yaml", "https-eu-pets-example-com-v1.yaml"]


def test_thousands_of_environments_plan_their_files_in_linear_time(tmp_path):
    from explorer.core.storage.collection_files import CollectionStore, _Plan

    servers = [{"url": f"https://s{i}.example"} for i in range(8000)]
    document = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "servers": servers}
    collection = import_text(json.dumps(document)).to_write()
    assert len(collection.environments) == 8000
    started = time.perf_counter()
    CollectionStore(tmp_path / "c")._plan_environments(collection.environments, _Plan())
    assert time.perf_counter() - started < 5  # was quadratic: about 25 s


def test_har_with_a_cookie_per_request_imports_in_linear_time(tmp_path):
    # A browser HAR carries a Cookie (and often Authorization) on every request: each
    # becomes a secret variable. Storing and guarding them one by one was quadratic
    # (1,000 requests took 47 s).
    entries = [
        {
            "request": {
                "method": "GET",
                "url": f"https://shop.example.com/items/{i}",
                "headers": [
                    {"name": "Cookie", "value": f"sid=cookie-value-{i:05}"},
                    {"name": "Authorization", "value": f"Bearer token-value-{i:05}"},
                ],
            },
            "response": {"status": 200, "content": {"text": "{}"}},
        }
        for i in range(1500)
    ]
    source = tmp_path / "browser.har"
    source.write_text(json.dumps({"log": {"entries": entries}}), encoding="utf-8")
    target = tmp_path / "shop"
    started = time.perf_counter()
    assert cli_main(["import", str(source), "--into", str(target)]) == 0
    assert time.perf_counter() - started < 30
    for path in target.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "cookie-value-" not in text and "token-value-" not in text, path


@pytest.mark.parametrize(
    ("body", "leaks"),
    [
        ("sends value-0042-long-secret here", True),
        ("a short pw12 word", True),
        ("inside xpw12y a word", False),
        ("nothing secret", False),
    ],
)
def test_many_secrets_are_still_all_guarded(tmp_path, body: str, leaks: bool):
    from explorer.core.collection import Collection, RequestItem
    from explorer.core.model import Body, BodyKind, Request
    from explorer.core.storage.collection_files import CollectionStore
    from explorer.core.storage.errors import SecretLeakError

    secrets = {f"s{i}": f"value-{i:04}-long-secret" for i in range(100)} | {"short": "pw12"}
    request = Request(url="https://a.example/", body=Body(BodyKind.RAW, text=body), name="r")
    store = CollectionStore(tmp_path / "c", secret_values=secrets)
    collection = Collection("c", items=(RequestItem(request),))
    if leaks:
        with pytest.raises(SecretLeakError):
            store.save(collection)
    else:
        store.save(collection)
