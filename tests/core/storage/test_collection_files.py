"""Collections as folders of YAML files: round trips, hand edits, corrupt files, the
fine-grained operations, conflicts and secrets."""

from __future__ import annotations

import pytest
import yaml

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Pair, Request
from explorer.core.storage.collection_files import (
    CollectionStore,
    load_collection,
    save_collection,
)
from explorer.core.storage.errors import (
    ConflictError,
    SecretLeakError,
    UnreadableFileError,
)
from tests.core.storage.collection_samples import (
    SECRET_ENV_KEY,
    SECRET_PASSWORD,
    SECRET_TOKEN,
    every_request,
    sample_collection,
)


def test_round_trip_of_every_request_kind(tmp_path):
    collection = sample_collection()
    save_collection(collection, tmp_path / "c")
    result = load_collection(tmp_path / "c")
    assert result.problems == ()
    assert result.collection == sample_collection(with_secret_values=False)


@pytest.mark.parametrize("item", every_request(), ids=lambda item: item.name)
def test_each_request_survives_a_file_round_trip(tmp_path, item):
    save_collection(Collection(name="one", items=(item,)), tmp_path)
    assert load_collection(tmp_path).collection.items == (item,)


def test_files_are_readable_yaml_with_stable_order(tmp_path):
    locations = save_collection(sample_collection(), tmp_path)
    first = {p: p.read_bytes() for p in tmp_path.rglob("*.yaml")}
    save_collection(load_collection(tmp_path).collection, tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.yaml")} == first
    text = (tmp_path / locations[(0, 0, 1)]).read_text()  # "body raw-json"
    assert 'text: |\n    {\n      "name": "Ada",\n' in text
    keys = list(yaml.safe_load(text))
    assert keys[:4] == ["schema_version", "name", "method", "url"]
    assert (tmp_path / "users" / "admin" / "folder.yaml").is_file()
    assert (tmp_path / "environments" / "local.yaml").is_file()


def test_order_survives_reload_even_against_name_order(tmp_path):
    items = tuple(RequestItem(Request(name=n)) for n in ("zeta", "alpha", "mid"))
    save_collection(Collection(name="c", items=items), tmp_path)
    assert [i.name for i in load_collection(tmp_path).collection.items] == ["zeta", "alpha", "mid"]


HAND_WRITTEN = {
    "collection.yaml": "# my notes\nname: Hand made\nheaders:\n  - {value: v, name: X-A}\n",
    "ping.yaml": "url: http://h/ping\n",
    "post.yml": (
        "# comment\nbody:\n  text: |\n    hello\n  kind: RAW\nmethod: POST\n"
        "options: {timeout: 5}\nname: Post it\nheaders:\n  - name: Port\n    value: 8080\n"
    ),
    "extra/folder.yaml": "auth: {kind: bearer, token: t}\n",
    "extra/inner.yaml": "name: Inner\nunknown_key: ignored\n",
}


def test_hand_edited_files_load(tmp_path):
    for rel, text in HAND_WRITTEN.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    result = load_collection(tmp_path)
    assert result.problems == ()
    c = result.collection
    assert (c.name, c.headers) == ("Hand made", (Pair("X-A", "v"),))
    extra, ping, post = c.items  # no order list: name order
    assert extra.name == "extra" and extra.auth == Auth(kind=AuthKind.BEARER, token="t")
    assert extra.items[0].request.auth.kind == AuthKind.INHERIT
    assert ping.request == Request(url="http://h/ping", name="ping", auth=Auth(AuthKind.INHERIT))
    assert post.request.body == Body(kind=BodyKind.RAW, text="hello\n")
    assert post.request.options.timeout == 5.0
    assert post.request.headers == (Pair("Port", "8080"),)


def test_corrupt_file_is_reported_skipped_and_never_overwritten(tmp_path):
    locations = save_collection(sample_collection(), tmp_path)
    broken = tmp_path / locations[(2,)]
    broken_bytes = b"name: broken\nurl: [unclosed\nmethod: GET\n"
    broken.write_bytes(broken_bytes)
    bad_shape = tmp_path / locations[(3,)]
    bad_shape.write_bytes(b"name: x\nheaders: not-a-list\n")

    store = CollectionStore(tmp_path)
    result = store.load()
    by_path = {p.path: p for p in result.problems}
    assert set(by_path) == {broken, bad_shape}
    assert by_path[broken].line == 3 and "flow sequence" in by_path[broken].message
    assert "headers" in by_path[bad_shape].message
    assert len(result.collection.items) == len(sample_collection().items) - 2

    store.save(result.collection)
    store.save(result.collection, force=True)
    save_collection(result.collection, tmp_path)
    assert broken.read_bytes() == broken_bytes
    assert bad_shape.read_bytes() == b"name: x\nheaders: not-a-list\n"
    with pytest.raises(UnreadableFileError):
        store.save_request(locations[(2,)], RequestItem(Request(name="x")), force=True)
    # Fixed by hand, it comes back in its place at the end.
    broken.write_text("name: fixed\n")
    names = [i.name for i in load_collection(tmp_path).collection.items]
    assert "fixed" in names


def test_corrupt_collection_file_still_loads_the_requests(tmp_path):
    save_collection(sample_collection(), tmp_path)
    (tmp_path / "collection.yaml").write_text("name: [\n")
    result = load_collection(tmp_path)
    assert [p.path.name for p in result.problems] == ["collection.yaml"]
    assert result.collection.name == tmp_path.name
    assert len(result.collection.items) == len(sample_collection().items)
    edited = result.collection.items[1:]
    save_collection(Collection(name="ignored", items=edited), tmp_path)
    assert (tmp_path / "collection.yaml").read_text() == "name: [\n"
    assert len(load_collection(tmp_path).collection.items) == len(edited)


def test_no_secret_value_in_any_file_under_the_collection(tmp_path):
    save_collection(sample_collection(), tmp_path)
    store = CollectionStore(tmp_path)
    store.load()
    store.save(sample_collection())
    store.save_environment(Environment("prod", (Variable("token", SECRET_TOKEN, secret=True),)))
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        for secret in (SECRET_TOKEN, SECRET_PASSWORD, SECRET_ENV_KEY):
            assert secret.encode() not in data, path
    collection_yaml = yaml.safe_load((tmp_path / "collection.yaml").read_text())
    assert {"name": "token", "secret": True} in collection_yaml["variables"]


def test_a_literal_secret_value_refuses_to_be_written(tmp_path):
    store = CollectionStore(tmp_path, secret_values={"token": SECRET_TOKEN})
    store.load()
    # Not a credential field (those are moved to secret variables): a body that quotes it.
    body = Body(kind=BodyKind.RAW, text=f"token={SECRET_TOKEN}")
    leaky = RequestItem(Request(name="leak", body=body))
    with pytest.raises(SecretLeakError) as info:
        store.save(Collection(name="c", items=(leaky,)))
    assert info.value.secret_name == "token"
    assert not any(SECRET_TOKEN.encode() in p.read_bytes() for p in tmp_path.rglob("*.yaml"))


def test_fine_grained_operations_touch_only_their_files(tmp_path):
    locations = save_collection(sample_collection(), tmp_path)
    store = CollectionStore(tmp_path)
    store.load()
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.yaml")}

    target = locations[(2,)]
    edited = RequestItem(Request(name="body raw-json", url="http://changed"))
    store.save_request(target, edited)
    changed = {p for p in tmp_path.rglob("*.yaml") if before.get(p) != p.read_bytes()}
    assert changed == {tmp_path / target}

    new_rel = store.add_item("users", RequestItem(Request(name="Brand new")), index=0)
    assert new_rel == "users/brand-new.yaml"
    renamed = store.rename_item(new_rel, "Renamed one")
    assert renamed == "users/renamed-one.yaml"
    moved = store.move_item(renamed, "users/admin", index=1)
    assert moved == "users/admin/renamed-one.yaml"
    folder_rel = store.rename_item("users/admin", "Administrators")
    assert folder_rel == "users/administrators"
    store.delete_item(locations[(3,)])

    c = load_collection(tmp_path).collection
    users = c.items[0]
    admin = users.items[0]
    assert admin.name == "Administrators"
    assert [i.name for i in admin.items][:2] == [admin.items[0].name, "Renamed one"]
    assert all(i.name != "Brand new" for i in users.items)
    assert c.items[2].request.url == "http://changed"
    assert not (tmp_path / locations[(3,)]).exists()


def test_full_save_deletes_removed_items_but_not_foreign_files(tmp_path):
    locations = save_collection(sample_collection(), tmp_path)
    store = CollectionStore(tmp_path)
    result = store.load()
    (tmp_path / "pulled.yaml").write_text("name: From git\n")
    (tmp_path / "README.md").write_text("notes")
    smaller = Collection(name="c", items=result.collection.items[:1])
    store.save(smaller)
    assert not (tmp_path / locations[(2,)]).exists()
    assert not (tmp_path / "empty-folder").exists()
    assert (tmp_path / "README.md").read_text() == "notes"
    assert [i.name for i in load_collection(tmp_path).collection.items] == ["Users", "From git"]


def test_write_refuses_when_the_file_changed_on_disk(tmp_path):
    locations = save_collection(sample_collection(), tmp_path)
    first, second = CollectionStore(tmp_path), CollectionStore(tmp_path)
    first.load()
    second.load()
    rel = locations[(2,)]
    first.save_request(rel, RequestItem(Request(name="mine")))
    with pytest.raises(ConflictError) as info:
        second.save_request(rel, RequestItem(Request(name="theirs")))
    assert info.value.path == tmp_path / rel
    assert load_collection(tmp_path).collection.items[2].name == "mine"
    second.load()
    second.save_request(rel, RequestItem(Request(name="theirs")))
    assert load_collection(tmp_path).collection.items[2].name == "theirs"


def test_settings_save_ignores_an_order_change_by_another_instance(tmp_path):
    save_collection(sample_collection(), tmp_path)
    first, second = CollectionStore(tmp_path), CollectionStore(tmp_path)
    first.load()
    loaded = second.load().collection
    first.add_item("", RequestItem(Request(name="added elsewhere")))
    second.save_settings(Collection(name="Renamed", variables=loaded.variables))
    reloaded = load_collection(tmp_path).collection
    assert reloaded.name == "Renamed"
    assert reloaded.items[-1].name == "added elsewhere"


def test_is_own_write_tells_our_changes_from_external_ones(tmp_path):
    locations = save_collection(sample_collection(), tmp_path)
    store = CollectionStore(tmp_path)
    store.load()
    rel = locations[(2,)]
    store.save_request(rel, RequestItem(Request(name="ours")))
    assert store.is_own_write(tmp_path / rel)
    (tmp_path / rel).write_text("name: theirs\n")
    assert not store.is_own_write(tmp_path / rel)


def test_new_collection_gets_an_id_used_as_secret_key(tmp_path):
    save_collection(Collection(name="c"), tmp_path / "a")
    result = load_collection(tmp_path / "a")
    assert len(result.collection_key) == 32
    (tmp_path / "b").mkdir()
    assert load_collection(tmp_path / "b").collection_key.startswith("path:")


def test_moving_a_folder_into_itself_is_refused(tmp_path):
    save_collection(
        Collection(name="c", items=(Folder(name="A", items=(Folder(name="B"),)),)), tmp_path
    )
    store = CollectionStore(tmp_path)
    store.load()
    with pytest.raises(Exception, match="into itself"):
        store.move_item("a", "a/b")
