"""The local secret store: permissions, get/set/delete, filling collections."""

from __future__ import annotations

import os
import stat

import pytest

from explorer.core.collection import Collection, Environment, Variable
from explorer.core.storage.errors import FileFormatError
from explorer.core.storage.secrets import SecretStore


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_file_is_created_with_mode_0600(tmp_path):
    store = SecretStore(tmp_path / "data" / "secrets.json")
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        store.set("c1", "", "token", "abc")
    finally:
        os.umask(old_umask)
    assert _mode(store.path) == 0o600


def test_wider_mode_is_fixed_when_opened(tmp_path):
    store = SecretStore(tmp_path / "secrets.json")
    store.set("c1", "", "token", "abc")
    os.chmod(store.path, 0o644)
    assert store.get("c1", "", "token") == "abc"
    assert _mode(store.path) == 0o600


def test_get_set_delete_keyed_by_collection_environment_name(tmp_path):
    store = SecretStore(tmp_path / "secrets.json")
    store.set("c1", "local", "token", "one")
    store.set("c1", "staging", "token", "two")
    store.set("c2", "local", "token", "three")
    assert store.get("c1", "local", "token") == "one"
    assert store.get("c1", "staging", "token") == "two"
    assert store.get("c2", "local", "token") == "three"
    assert store.get("c2", "staging", "token") is None
    assert store.delete("c1", "local", "token") is True
    assert store.delete("c1", "local", "token") is False
    assert store.get("c1", "local", "token") is None
    assert SecretStore(store.path).values() == {"two", "three"}
    assert store.values("c1") == {"two"}


def test_keep_and_fill_move_values_between_collection_and_store(tmp_path):
    store = SecretStore(tmp_path / "secrets.json")
    full = Collection(
        name="c",
        variables=(Variable("token", "t-value", secret=True), Variable("plain", "p")),
        environments=(Environment("local", (Variable("pw", "pw-value", secret=True),)),),
    )
    store.keep("key", full)
    empty = Collection(
        name="c",
        variables=(Variable("token", "", secret=True), Variable("plain", "p")),
        environments=(Environment("local", (Variable("pw", "", secret=True),)),),
    )
    assert store.fill("key", empty) == full
    assert store.fill("other", empty) == empty


def test_corrupt_store_is_a_typed_error_and_left_alone(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text("{not json")
    with pytest.raises(FileFormatError) as info:
        SecretStore(path).get("c", "", "n")
    assert info.value.problem.path == path
    assert path.read_text() == "{not json"
