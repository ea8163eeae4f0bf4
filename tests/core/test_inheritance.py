"""Auth and headers inherited from folders and the collection."""

from __future__ import annotations

import pytest

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Auth, AuthKind, Pair, Request
from explorer.core.resolve.inheritance import (
    FolderNotFoundError,
    Source,
    auth_source,
    effective_request,
    header_sources,
)

COLLECTION_AUTH = Auth(AuthKind.BASIC, username="root", password="{{pw}}")
OUTER_AUTH = Auth(AuthKind.BEARER, token="{{outer}}")
INHERIT = Auth(AuthKind.INHERIT)


def _collection(outer_auth=OUTER_AUTH, inner_auth=INHERIT, collection_auth=COLLECTION_AUTH):
    inner = Folder(name="Inner", auth=inner_auth, headers=(Pair("X-Level", "inner"),))
    outer = Folder(
        name="Outer",
        items=(inner,),
        auth=outer_auth,
        headers=(Pair("X-Level", "outer"), Pair("X-Outer", "1"), Pair("X-Off", "1", enabled=False)),
    )
    return Collection(
        name="c",
        items=(outer,),
        auth=collection_auth,
        headers=(Pair("User-Agent", "collection"), Pair("accept", "*/*")),
    )


def _item(auth=INHERIT, headers=(), inherit_headers=True):
    return RequestItem(Request(url="http://h", auth=auth, headers=headers), inherit_headers)


def test_nearest_folder_auth_wins():
    auth, source = auth_source(_collection(), ("Outer", "Inner"), _item())
    assert (auth, source) == (OUTER_AUTH, Source("folder", ("Outer",)))
    inner_auth = Auth(AuthKind.API_KEY, key_name="k", key_value="v")
    auth, source = auth_source(_collection(inner_auth=inner_auth), ("Outer", "Inner"), _item())
    assert (auth, source.label) == (inner_auth, "folder Outer / Inner")


def test_collection_auth_when_all_folders_inherit_and_none_when_nothing():
    collection = _collection(outer_auth=INHERIT)
    assert auth_source(collection, ("Outer", "Inner"), _item()) == (
        COLLECTION_AUTH,
        Source("collection"),
    )
    bare = _collection(outer_auth=INHERIT, collection_auth=INHERIT)
    assert auth_source(bare, ("Outer",), _item())[0] == Auth(AuthKind.NONE)


def test_own_auth_is_kept_even_none():
    own = Auth(AuthKind.NONE)
    assert auth_source(_collection(), ("Outer",), _item(auth=own)) == (own, Source("request"))


def test_headers_nearer_overrides_farther_case_insensitively():
    item = _item(headers=(Pair("Accept", "application/json"), Pair("X-Own", "1")))
    request = effective_request(_collection(), ("Outer", "Inner"), item)
    assert request.headers == (
        Pair("User-Agent", "collection"),
        Pair("X-Outer", "1"),
        Pair("X-Level", "inner"),
        Pair("Accept", "application/json"),
        Pair("X-Own", "1"),
    )
    assert request.auth == OUTER_AUTH


def test_header_sources_say_where_each_comes_from():
    item = _item(headers=(Pair("X-Level", "mine"), Pair("User-Agent", "off", enabled=False)))
    rows = [
        (s.header.name, s.source.label, s.overridden)
        for s in header_sources(_collection(), ("Outer", "Inner"), item)
    ]
    assert rows == [
        ("User-Agent", "collection", False),  # a disabled request header does not override
        ("accept", "collection", False),
        ("X-Level", "folder Outer", True),
        ("X-Outer", "folder Outer", False),
        ("X-Level", "folder Outer / Inner", True),
        ("X-Level", "request", False),
        ("User-Agent", "request", False),
    ]


def test_inherit_headers_off_keeps_only_own_headers():
    item = _item(headers=(Pair("X-Own", "1"),), inherit_headers=False)
    assert effective_request(_collection(), ("Outer",), item).headers == (Pair("X-Own", "1"),)


def test_unknown_folder_path_is_a_typed_error():
    with pytest.raises(FolderNotFoundError):
        effective_request(_collection(), ("Nope",), _item())
