"""Every write path of a collection moves literal credentials into the secret store:
the files hold `{{name}}` and a declared secret variable, the store holds the value."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
import yaml

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Auth, AuthKind, Pair, Request
from explorer.core.storage.collection_files import CollectionStore, load_collection
from explorer.core.storage.secrets import SecretStore

PASSWORD = "pä55:wörd/+=&?x"
TOKEN = "tok-3f1b9e2d77"


def encodings(secret: str, user: str = "") -> set[bytes]:
    """The forms a secret could take in a file."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    raw = {s.encode() for s in forms}
    for text in (secret, f"{user}:{secret}" if user else secret):
        raw.add(base64.b64encode(text.encode()))
    return raw


def leaks(folder: Path, secret: str, user: str = "") -> list[str]:
    """Every file under `folder` holding `secret` in any form."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {form!r}" for form in encodings(secret, user) if form in data]
    return found


@pytest.fixture
def secrets(tmp_path):
    return SecretStore(tmp_path / "data" / "secrets.json")


@pytest.fixture
def store(tmp_path, secrets):
    folder = tmp_path / "c"
    first = CollectionStore(folder, secrets=secrets)
    first.load()
    first.save(Collection("C", items=(Folder("F"),)))
    store = CollectionStore(folder, secrets=secrets)
    store.load()
    return store


def resolved_auth(store: CollectionStore, secrets: SecretStore) -> dict:
    """The collection as loaded again, secrets filled: variable name -> value."""
    result = load_collection(store.root)
    filled = secrets.fill(result.collection_key, result.collection)
    return {v.name: v.value for v in filled.variables if v.secret}


def test_save_request_moves_the_password_and_declares_the_variable(store, secrets):
    rel = store.add_item("", RequestItem(Request(name="Get user")))
    auth = Auth(AuthKind.BASIC, username="ada", password=PASSWORD)
    store.save_request(rel, RequestItem(Request(name="Get user", auth=auth)))

    assert leaks(store.root, PASSWORD, "ada") == []
    data = yaml.safe_load((store.root / rel).read_text())
    assert data["auth"] == {"kind": "basic", "username": "ada", "password": "{{basic_password}}"}
    meta = yaml.safe_load((store.root / "collection.yaml").read_text())
    assert {"name": "basic_password", "secret": True} in meta["variables"]
    assert meta["order"] == ["f", "get-user.yaml"]  # the rest of collection.yaml is kept
    assert resolved_auth(store, secrets) == {"basic_password": PASSWORD}
    assert [m.variable for m in store.moved] == ["basic_password"]


def test_add_item_moves_headers_and_reuses_a_stored_value(store, secrets):
    first = Request(name="One", headers=(Pair("Authorization", f"Bearer {TOKEN}"),))
    second = Request(name="Two", auth=Auth(AuthKind.BEARER, token=TOKEN))
    store.add_item("f", RequestItem(first))
    store.add_item("", RequestItem(second))
    assert leaks(store.root, TOKEN) == []
    one = yaml.safe_load((store.root / "f" / "one.yaml").read_text())
    two = yaml.safe_load((store.root / "two.yaml").read_text())
    assert one["headers"] == [{"name": "Authorization", "value": "Bearer {{bearer_token}}"}]
    assert two["auth"]["token"] == "{{bearer_token}}"
    assert resolved_auth(store, secrets) == {"bearer_token": TOKEN}


def test_folder_and_collection_settings_move_their_auth(store, secrets):
    store.save_folder("f", Folder("F", auth=Auth(AuthKind.API_KEY, key_name="k", key_value=TOKEN)))
    collection = load_collection(store.root).collection
    store.save_settings(
        replace(collection, auth=Auth(AuthKind.DIGEST, username="u", password=PASSWORD))
    )
    assert leaks(store.root, TOKEN) == [] and leaks(store.root, PASSWORD, "u") == []
    loaded = load_collection(store.root).collection
    assert loaded.auth.password == "{{digest_password}}"
    assert loaded.items[0].auth.key_value == "{{api_key}}"
    assert resolved_auth(store, secrets) == {"api_key": TOKEN, "digest_password": PASSWORD}


def test_a_whole_collection_save_moves_every_credential(tmp_path, secrets):
    folder = tmp_path / "imported"
    collection = Collection(
        "Imported",
        headers=(Pair("Cookie", "sid=" + TOKEN),),
        items=(
            RequestItem(Request(name="a", url=f"http://u:{quote(PASSWORD, safe='')}@h/")),
            Folder(
                "F",
                items=(RequestItem(Request(name="b", auth=Auth(AuthKind.BEARER, token=TOKEN))),),
            ),
        ),
    )
    store = CollectionStore(folder, secrets=secrets)
    store.load()
    store.save(collection)
    assert leaks(folder, TOKEN) == [] and leaks(folder, PASSWORD, "u") == []
    assert sorted(m.variable for m in store.moved) == ["bearer_token", "cookie", "url_password"]
    assert resolved_auth(store, secrets) == {
        "cookie": "sid=" + TOKEN,
        "url_password": quote(PASSWORD, safe=""),
        "bearer_token": TOKEN,
    }


def test_without_a_given_store_the_apps_secret_store_is_used(tmp_path):
    from explorer.core.paths import secret_store_path

    folder = tmp_path / "plain"
    store = CollectionStore(folder)
    store.load()
    store.save(
        Collection(
            "P", items=(RequestItem(Request(name="x", auth=Auth(AuthKind.BEARER, token=TOKEN))),)
        )
    )
    assert leaks(folder, TOKEN) == []
    key = load_collection(folder).collection_key
    assert SecretStore(secret_store_path()).get(key, "", "bearer_token") == TOKEN


def test_a_short_password_is_moved_without_a_false_leak_alarm(store, secrets):
    # "pass" is inside the key `password:` and the name `{{basic_password}}`: neither is
    # the secret, so saving works.
    auth = Auth(AuthKind.BASIC, username="user", password="pass")
    store.add_item("", RequestItem(Request(name="short", auth=auth)))
    data = yaml.safe_load((store.root / "short.yaml").read_text())
    assert data["auth"]["password"] == "{{basic_password}}"
    assert resolved_auth(store, secrets) == {"basic_password": "pass"}


def test_plain_variables_behind_a_credential_field_become_secret(tmp_path, secrets):
    from explorer.core.collection import Environment, Variable

    folder = tmp_path / "postman-like"
    collection = Collection(
        "P",
        variables=(Variable("token", TOKEN), Variable("base", "http://h")),
        environments=(Environment("prod", (Variable("key", PASSWORD),)),),
        auth=Auth(AuthKind.BEARER, token="{{token}}"),
        items=(RequestItem(Request(name="r", headers=(Pair("X-API-Key", "{{key}}"),))),),
    )
    store = CollectionStore(folder, secrets=secrets)
    store.load()
    store.save(collection)

    assert leaks(folder, TOKEN) == [] and leaks(folder, PASSWORD) == []
    loaded = load_collection(folder)
    filled = secrets.fill(loaded.collection_key, loaded.collection)
    assert [(v.name, v.value, v.secret) for v in filled.variables] == [
        ("token", TOKEN, True),
        ("base", "http://h", False),
    ]
    assert filled.environments[0].variables == (Variable("key", PASSWORD, secret=True),)
    assert sorted(m.variable for m in store.moved) == ["key", "token"]
