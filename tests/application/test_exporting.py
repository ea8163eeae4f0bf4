"""Exporting and code generation through the application layer, without Qt: every
collection format and code target of the registry, and no secret value in any of them."""

from __future__ import annotations

import pytest

from explorer.application.codegen import collection_code, for_code
from explorer.application.exporting import collection_text, write_collection
from explorer.application.formats import CODE_TARGETS, COLLECTION_FORMATS
from explorer.core.collection import Collection, Folder, RequestItem, Variable, walk_requests
from explorer.core.formats import convert
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
    assert code.startswith(f"{marker} Items/list\n")
    assert f"\n\n{marker} me\n" in code
    assert "TOKEN" in code  # the secret's environment variable


def test_for_code_keeps_only_secret_names():
    ready = for_code(Request(url="{{base}}/x?t={{token}}"), scopes())
    assert ready.request.url.startswith("https://h.example/x")
    assert ready.secret_names == frozenset({"token"})
