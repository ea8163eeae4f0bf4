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
