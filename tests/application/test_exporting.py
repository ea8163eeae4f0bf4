"""Exporting and code generation through the application layer, without Qt: every
collection format and code target of the registry, and no secret value in any of them."""

from __future__ import annotations

import pytest

from explorer.application.codegen import collection_code, for_code
from explorer.application.exporting import collection_text, write_collection
from explorer.application.formats import CODE_TARGETS, COLLECTION_FORMATS
from explorer.core.collection import Collection, Folder, RequestItem, Variable, walk_requests
from explorer.core.formats import convert, convert_folder
from explorer.core.model import Auth, AuthKind, Pair, Request
from explorer.core.resolve.variables import Scope

SECRET = "s3cret-token-77"
COLLECTION = Collection(
    "Shop",
    variables=(Variable("base", "https://h.example"), Variable("token", SECRET, secret=True)),
    headers=(Pair("X-Team", "api"),),
    items=(
        Folder("Items", items=(RequestItem(Request(name="list", url="{{base}}/items")),)),
        RequestItem(
            Request(
                name="me",
                url="{{base}}/me",
                auth=Auth(kind=AuthKind.BEARER, token="{{token}}"),
            )
        ),
    ),
)


def scopes() -> list[Scope]:
    return [Scope.from_variables("collection", COLLECTION.variables)]


@pytest.mark.parametrize("format", COLLECTION_FORMATS)
def test_every_collection_format_reads_back_without_the_secret(tmp_path, format):
    path = tmp_path / f"shop{COLLECTION_FORMATS[format].suffix}"
    write_collection(COLLECTION, format, path)
    if COLLECTION_FORMATS[format].folder:  # a folder of files, read back as a folder
        for file in path.rglob("*"):
            assert not file.is_file() or SECRET not in file.read_text(encoding="utf-8")
        back = convert_folder(path).result.collection
    else:
        text = path.read_text(encoding="utf-8")
        assert text == collection_text(COLLECTION, format)
        assert SECRET not in text
        back = convert(text, filename=path.name).result.collection
    urls = [item.request.url for _folder, item in walk_requests(back)]
    assert urls == ["{{base}}/items", "{{base}}/me"]


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="choose from postman, http"):
        collection_text(COLLECTION, "yaml")


@pytest.mark.parametrize("target", CODE_TARGETS)
def test_every_code_target_resolves_variables_and_reads_secrets_from_the_environment(target):
    code = collection_code(target, COLLECTION, scopes())
    assert SECRET not in code and "{{" not in code
    assert "https://h.example/items" in code and "https://h.example/me" in code
    marker = "//" if target in ("go", "fetch") else "#"
    # One program: each request under its title, in order, after the program's header.
    assert f"\n{marker} Items/list\n" in code
    assert f"\n\n{marker} me\n" in code
    assert code.index(f"{marker} Items/list\n") < code.index(f"{marker} me\n")
    assert "TOKEN" in code  # the secret's environment variable


def test_for_code_keeps_only_secret_names():
    ready = for_code(Request(url="{{base}}/x?t={{token}}"), scopes())
    assert ready.request.url.startswith("https://h.example/x")
    assert ready.secret_names == frozenset({"token"})


def _export_with_files(monkeypatch, files, folder=False):
    """Postman's key with a made-up export of several files: the writing rules are the
    same for every format that has files beside its main one."""
    from explorer.application import exporting
    from explorer.application.formats import ExportFormat

    spec = ExportFormat("postman", "test", "" if folder else ".postman_collection.json", folder)
    monkeypatch.setitem(exporting.COLLECTION_FORMATS, "postman", spec)
    export = exporting.CollectionExport("" if folder else "MAIN", ("a loss",), files)
    monkeypatch.setattr(exporting, "collection_export", lambda collection, format: export)


def test_files_named_after_the_main_file_are_written_beside_it_and_replaced(tmp_path, monkeypatch):
    from explorer.application.exporting import ExportedFile

    files = (ExportedFile("{stem}.Prod.postman_environment.json", "ENV"),)
    _export_with_files(monkeypatch, files)
    (tmp_path / "shop.Prod.postman_environment.json").write_text("old", encoding="utf-8")
    written = write_collection(COLLECTION, "postman", tmp_path / "shop.postman_collection.json")
    assert written.paths == (
        tmp_path / "shop.postman_collection.json",
        tmp_path / "shop.Prod.postman_environment.json",
    )
    assert (tmp_path / "shop.Prod.postman_environment.json").read_text() == "ENV"
    assert written.report == ("a loss",)


def test_a_shared_file_beside_it_is_never_replaced_when_it_holds_something_else(
    tmp_path, monkeypatch
):
    from explorer.application.exporting import ExportedFile

    _export_with_files(monkeypatch, (ExportedFile("http-client.env.json", "NEW"),))
    (tmp_path / "http-client.env.json").write_text("the user's own", encoding="utf-8")
    written = write_collection(COLLECTION, "postman", tmp_path / "a.postman_collection.json")
    assert (tmp_path / "http-client.env.json").read_text() == "the user's own"
    assert written.paths == (tmp_path / "a.postman_collection.json",)
    assert written.report[-1] == "http-client.env.json exists beside it and was left as it was"


def test_a_folder_format_writes_into_a_new_folder_only(tmp_path, monkeypatch):
    from explorer.application.exporting import ExportedFile

    files = (ExportedFile("bruno.json", "{}"), ExportedFile("Items/list.bru", "get {}"))
    _export_with_files(monkeypatch, files, folder=True)
    written = write_collection(COLLECTION, "postman", tmp_path / "out")
    assert written.paths == (tmp_path / "out/bruno.json", tmp_path / "out/Items/list.bru")
    assert (tmp_path / "out/Items/list.bru").read_text() == "get {}"
    with pytest.raises(FileExistsError):
        write_collection(COLLECTION, "postman", tmp_path / "out")


def test_an_export_file_name_cannot_leave_its_folder(tmp_path, monkeypatch):
    from explorer.application.exporting import ExportedFile

    _export_with_files(monkeypatch, (ExportedFile("../escape.json", "x"),))
    with pytest.raises(ValueError, match="leaves its folder"):
        write_collection(COLLECTION, "postman", tmp_path / "a.postman_collection.json")
    assert not (tmp_path.parent / "escape.json").exists()
