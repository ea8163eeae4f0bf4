"""The "Sample API" collection built from the practice server's own /openapi.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.collection import Folder, walk_requests
from explorer.core.formats import FormatError
from explorer.core.sample_collection import install_sample_collection, sample_collection
from explorer.core.storage.collection_files import load_collection

BASE = "http://127.0.0.1:54321"


@pytest.fixture(scope="module")
def openapi_text() -> str:
    from bundled_server import create_app

    response = create_app({"TESTING": True}).test_client().get("/openapi.json")
    assert response.status_code == 200, "the practice server serves no /openapi.json yet"
    return response.get_data(as_text=True)


def _tags_with_operations(openapi_text: str) -> list[str]:
    document = json.loads(openapi_text)
    used = {
        tag
        for path_item in document["paths"].values()
        for operation in path_item.values()
        if isinstance(operation, dict)
        for tag in operation.get("tags", [])[:1]
    }
    return [tag["name"] for tag in document["tags"] if tag["name"] in used]


def test_one_folder_per_lesson_tag(openapi_text: str) -> None:
    collection = sample_collection(openapi_text, BASE)
    folders = [item.name for item in collection.items if isinstance(item, Folder)]
    assert collection.name == "Sample API"
    assert folders == _tags_with_operations(openapi_text)
    assert len(folders) >= 3
    assert all(item.items for item in collection.items if isinstance(item, Folder))


def test_every_request_addresses_base_url(openapi_text: str) -> None:
    requests = walk_requests(sample_collection(openapi_text, BASE))
    assert len(requests) >= 10
    for _, item in requests:
        assert item.request.url.startswith("{{base_url}}/"), item.request.url


def test_environment_and_variable_point_at_the_running_server(openapi_text: str) -> None:
    collection = sample_collection(openapi_text, BASE + "/")
    assert [env.name for env in collection.environments] == ["Sample server"]
    values = {v.name: v.value for v in collection.environments[0].variables}
    assert values == {"base_url": BASE}
    assert {v.name: v.value for v in collection.variables}["base_url"] == BASE


def test_install_writes_a_collection_that_loads_back_equal(
    openapi_text: str, tmp_path: Path
) -> None:
    folder = install_sample_collection(openapi_text, BASE, tmp_path / "Sample API")
    loaded = load_collection(folder)
    assert loaded.problems == ()
    assert loaded.collection == sample_collection(openapi_text, BASE)


def test_refresh_replaces_everything_and_leaves_nothing_stale(
    openapi_text: str, tmp_path: Path
) -> None:
    # An older server had an extra lesson and ran on another port.
    document = json.loads(openapi_text)
    document["tags"].append({"name": "retired-lesson"})
    document["paths"]["/retired"] = {
        "get": {"tags": ["retired-lesson"], "summary": "Retired", "responses": {"200": {}}}
    }
    folder = tmp_path / "Sample API"
    install_sample_collection(json.dumps(document), "http://127.0.0.1:1111", folder)
    assert (folder / "retired-lesson").is_dir()
    before = {p.relative_to(folder) for p in folder.rglob("*.yaml")}

    install_sample_collection(openapi_text, BASE, folder)

    after = {p.relative_to(folder) for p in folder.rglob("*.yaml")}
    assert not (folder / "retired-lesson").exists()
    assert after < before
    assert not any("1111" in p.read_text() for p in folder.rglob("*.yaml"))
    assert load_collection(folder).collection == sample_collection(openapi_text, BASE)


def test_a_broken_document_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(FormatError):
        install_sample_collection('{"openapi": "3.1.0", "paths": [', BASE, tmp_path / "s")
    assert not (tmp_path / "s").exists()


# ---- refreshing around the user's files ------------------------------------------------

OTHER = "http://127.0.0.1:60001"


def _store(folder: Path, tmp_path: Path):
    from explorer.core.storage.collection_files import CollectionStore
    from explorer.core.storage.secrets import SecretStore

    store = CollectionStore(folder, secrets=SecretStore(tmp_path / "secrets.json"))
    store.load()
    return store


def _base_urls(folder: Path) -> set[str]:
    collection = load_collection(folder).collection
    values = {v.value for v in collection.variables if v.name == "base_url"}
    return values | {v.value for e in collection.environments for v in e.variables}


def test_reinstall_keeps_the_users_requests_edits_and_order(
    openapi_text: str, tmp_path: Path
) -> None:
    from explorer.core.collection import RequestItem
    from explorer.core.model import Request

    folder = install_sample_collection(openapi_text, BASE, tmp_path / "Sample API")
    store = _store(folder, tmp_path)
    lesson = load_collection(folder).locations[(0,)]
    mine = store.add_item(lesson, RequestItem(Request(name="Mine", url="{{base_url}}/x")), 1)
    edited_rel = load_collection(folder).locations[(1, 0)]
    edited = load_collection(folder).collection.items[1].items[0]
    store.save_request(
        edited_rel, RequestItem(edited.request.with_changes(url="{{base_url}}/edited"))
    )
    kept = {rel: (folder / rel).read_bytes() for rel in (mine, edited_rel)}
    untouched_rel = load_collection(folder).locations[(2, 0)]
    untouched = (folder / untouched_rel).read_bytes()

    install_sample_collection(openapi_text, OTHER, folder)

    assert {rel: (folder / rel).read_bytes() for rel in kept} == kept
    assert (folder / untouched_rel).read_bytes() == untouched  # still the app's own
    loaded = load_collection(folder)
    assert loaded.problems == ()
    assert loaded.collection.items[0].items[1].name == "Mine"  # same place in the order
    assert _base_urls(folder) == {OTHER}
    assert loaded.collection_key == load_collection(folder).collection_key


def test_reinstall_never_brings_back_or_removes_what_the_user_deleted_or_changed(
    openapi_text: str, tmp_path: Path
) -> None:
    folder = install_sample_collection(openapi_text, BASE, tmp_path / "Sample API")
    locations = load_collection(folder).locations
    deleted, changed = folder / locations[(0, 0)], folder / locations[(0, 1)]
    deleted.unlink()
    changed.write_text(changed.read_text() + "# my note\n")
    collection_yaml = folder / "collection.yaml"
    collection_yaml.write_text(collection_yaml.read_text() + "description: mine\n")

    # The next server no longer has the changed request's lesson at all.
    document = json.loads(openapi_text)
    first_tag = _tags_with_operations(openapi_text)[0]
    document["paths"] = {
        path: item
        for path, item in document["paths"].items()
        if not any(
            first_tag in (op.get("tags") or [])[:1] for op in item.values() if isinstance(op, dict)
        )
    }
    install_sample_collection(json.dumps(document), OTHER, folder)

    assert not deleted.exists()
    assert changed.read_text().endswith("# my note\n")
    assert (changed.parent / "folder.yaml").exists()  # the folder still holds the user's file
    assert "description: mine" in collection_yaml.read_text()
    environment = load_collection(folder).collection.environments[0]
    assert {v.value for v in environment.variables} == {OTHER}


def test_a_folder_installed_before_the_manifest_is_adopted_without_losing_user_files(
    openapi_text: str, tmp_path: Path
) -> None:
    from explorer.core.storage.collection_files import save_collection

    folder = tmp_path / "Sample API"
    save_collection(sample_collection(openapi_text, BASE), folder)  # what older apps wrote
    own = folder / "my-request.yaml"
    own.write_text("name: my request\nurl: http://example.test/\n")

    install_sample_collection(openapi_text, OTHER, folder)

    assert own.read_text() == "name: my request\nurl: http://example.test/\n"
    assert _base_urls(folder) == {OTHER}
    assert (folder / ".sample-manifest.json").is_file()


def test_a_changed_environment_keeps_the_users_variables_and_follows_the_server(
    openapi_text: str, tmp_path: Path
) -> None:
    folder = install_sample_collection(openapi_text, BASE, tmp_path / "Sample API")
    environment = next((folder / "environments").glob("*.yaml"))
    environment.write_text(
        environment.read_text() + "  - name: token\n    value: mine\n# my comment\n"
    )
    collection_yaml = folder / "collection.yaml"
    custom = collection_yaml.read_text().replace(BASE, "http://my-own-server.test")
    collection_yaml.write_text(custom)

    install_sample_collection(openapi_text, OTHER, folder)

    text = environment.read_text()
    assert "# my comment" in text and BASE not in text
    values = {v.name: v.value for v in load_collection(folder).collection.environments[0].variables}
    assert values == {"base_url": OTHER, "token": "mine"}
    assert collection_yaml.read_text() == custom  # a base_url the user chose stays


# ---- short names (#15) -------------------------------------------------------------------


def test_requests_have_short_names_unique_in_their_folder_and_a_description(
    openapi_text: str,
) -> None:
    collection = sample_collection(openapi_text, BASE)
    for folder in collection.items:
        assert isinstance(folder, Folder)
        names = [item.name for item in folder.items]
        assert len(names) == len(set(names)), folder.name
        for item in folder.items:
            assert 0 < len(item.name) <= 32, item.name
            assert item.request.description, item.name  # the sentence, shown on hover
    by_route = {(r.request.method, r.request.url): r.request for _, r in walk_requests(collection)}
    echo = by_route["POST", "{{base_url}}/anything"]
    assert echo.name == "Echo POST"
    assert echo.description.startswith("Echo the request back as JSON")


def test_a_refresh_to_short_names_keeps_the_users_edited_request(
    openapi_text: str, tmp_path: Path
) -> None:
    # A folder written by an older app, whose requests had the sentences as names.
    old = json.loads(openapi_text)
    for path_item in old["paths"].values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "description" in operation:
                operation["summary"] = operation.pop("description")
    folder = install_sample_collection(json.dumps(old), BASE, tmp_path / "Sample API")
    store = _store(folder, tmp_path)
    loaded = load_collection(folder)
    rel = loaded.locations[(0, 0)]
    item = loaded.collection.items[0].items[0]
    store.save_request(rel, type(item)(item.request.with_changes(url="{{base_url}}/mine")))
    mine = (folder / rel).read_bytes()

    install_sample_collection(openapi_text, BASE, folder)

    assert (folder / rel).read_bytes() == mine  # the user's edit, under its old name
    names = {r.name for _, r in walk_requests(load_collection(folder).collection)}
    assert "Health check" in names and "List items" in names
    assert not any(n.startswith("Echo the request back") for n in names)  # not edited: gone


def test_the_graphql_endpoint_is_posted_a_graphql_body(openapi_text: str) -> None:
    # The document can only say JSON; the collection opens it in the GraphQL editor.
    from explorer.core.model import BodyKind

    requests = {
        (item.request.method, item.request.url): item.request
        for _path, item in walk_requests(sample_collection(openapi_text, BASE))
    }
    posted = requests["POST", "{{base_url}}/graphql"]
    assert posted.body.kind == BodyKind.GRAPHQL
    assert posted.body.graphql.operation_name == "ItemWithOwner"
    assert "owner { name items { name } }" in posted.body.graphql.query
    assert json.loads(posted.body.graphql.variables) == {"id": "1"}
    # The GET example stays a GET with its query parameter: nothing to convert.
    assert requests["GET", "{{base_url}}/graphql"].body.kind == BodyKind.NONE
