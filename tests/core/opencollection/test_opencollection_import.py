"""OpenCollection (Bruno 3's YAML): the bundled file and the collection folder, field by
field; assertions and post-response actions onto rows; the report; detection without
--format; bad shapes with their location."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from explorer.core.collection import Collection, Folder, Variable, walk_requests
from explorer.core.formats import FormatError, convert, detect_format, import_text
from explorer.core.model import (
    Assertion,
    Auth,
    AuthKind,
    Body,
    BodyKind,
    Capture,
    GraphQL,
    Operator,
    Pair,
    Part,
    Request,
    Subject,
)
from explorer.core.opencollection import import_opencollection_folder

FIXTURES = Path(__file__).parents[1] / "formats" / "fixtures" / "opencollection"


def _requests(collection: Collection) -> dict[str, tuple[tuple[str, ...], Request]]:
    return {item.name: (path, item.request) for path, item in walk_requests(collection)}


@pytest.fixture(scope="module")
def orchard():
    return convert((FIXTURES / "bundled.yml").read_text(encoding="utf-8"))


def test_bundled_file_is_detected_without_a_format(orchard) -> None:
    # Before: "Could not tell the format" / not a Postman, Insomnia, OpenAPI or HAR file.
    text = (FIXTURES / "bundled.yml").read_text(encoding="utf-8")
    assert detect_format(text) == "opencollection"
    assert detect_format(text, "bundled.yml") == "opencollection"
    assert orchard.format == "opencollection"
    as_json = json.dumps(import_yaml(text))
    assert detect_format(as_json) == "opencollection"


def import_yaml(text: str) -> object:
    import yaml

    return yaml.safe_load(text)


def test_bundled_collection_fields(orchard) -> None:
    collection = orchard.result.collection
    assert collection.name == "Orchard API"
    assert collection.description == "Trees and harvests\n\n# Orchard\nAll the trees."
    assert collection.headers == (Pair("X-Client", "orchard-cli"),)
    assert collection.auth == Auth(AuthKind.BEARER, token="{{api_token}}")
    assert collection.variables == (Variable("api_version", "v2"),)
    assert collection.scripts.kept_pre_request == 'bru.setVar("started", Date.now());'
    # seq orders siblings; the gRPC item is skipped (reported).
    assert [item.name for item in collection.items] == ["Trees", "Tree search", "Health"]
    trees = collection.items[0]
    assert isinstance(trees, Folder)
    assert [item.name for item in trees.items] == ["Plant tree", "List trees", "Seasons"]
    assert trees.headers == (Pair("X-Section", "trees"),)
    assert trees.auth.kind == AuthKind.INHERIT and trees.description == "Everything about trees"
    assert trees.captures == (Capture("last_request_id", Subject.HEADER, "x-request-id"),)
    seasons = trees.items[2]
    assert isinstance(seasons, Folder)
    assert seasons.auth == Auth(
        AuthKind.API_KEY, key_name="X-Season-Key", key_value="{{season_key}}"
    )


def test_bundled_request_fields(orchard) -> None:
    found = _requests(orchard.result.collection)
    assert len(found) == 6
    listing = found["List trees"][1]
    # The enabled query parameter is in the URL already; the switched-off one is kept
    # off, with the folder variable written in.
    assert listing.url == "{{base_url}}/{{api_version}}/trees?kind=apple"
    assert listing.params == (Pair("limit", "25", enabled=False),)
    assert listing.headers == (Pair("Accept", "application/json"),)
    assert listing.auth.kind == AuthKind.INHERIT
    assert listing.assertions == (
        Assertion(Subject.STATUS, Operator.EQ, "200"),
        Assertion(Subject.JSONPATH, Operator.IS_TYPE, "list", "$.items"),
        Assertion(Subject.JSONPATH, Operator.GE, "1", "$.total", enabled=False),
    )
    assert listing.captures == (
        Capture("first_tree", Subject.JSONPATH, "$.items[0].id", to_environment=True),
    )
    kept = listing.scripts.kept_post_response
    assert 'test("has items"' in kept
    assert kept.endswith("// OpenCollection assertion, not converted: res.body: isJson")

    plant = found["Plant tree"][1]
    assert plant.method == "POST" and plant.path_params == (Pair("section", "east"),)
    assert plant.body == Body(
        BodyKind.RAW, text='{"species": "apple", "rows": 12}', content_type="application/json"
    )
    assert plant.auth == Auth(AuthKind.BASIC, username="gardener", password="{{garden_password}}")
    assert plant.scripts.kept_post_response == 'bru.setEnvVar("planted", res.body.id);'

    harvest = found["Record harvest"][1]
    assert harvest.body.form == (
        Pair("crop", "pears & plums"),
        Pair("kilos", "340"),
        Pair("draft", "yes", enabled=False),
    )
    assert harvest.auth == Auth()  # no auth key: Bruno sends none
    photo = found["Upload photo"][1]
    assert photo.body.parts == (
        Part("caption", "Summer orchard"),
        Part("photo", file="photo.txt", content_type="text/plain"),
    )
    assert photo.auth == Auth(
        AuthKind.API_KEY, key_name="key", key_value="{{season_key}}", key_in="query"
    )

    search = found["Tree search"][1]
    assert search.method == "POST" and search.body.kind == BodyKind.GRAPHQL
    assert search.body.graphql == GraphQL('query { trees(kind: "apple") { id } }', '{"first":5}')
    health = found["Health"][1]
    assert (health.options.timeout, health.options.follow_redirects) == (2.5, False)
    assert health.options.max_redirects == 3


def test_bundled_environments(orchard) -> None:
    result = orchard.result
    assert [env.name for env in result.environments] == ["base", "local"]
    local = result.environments[1]
    # `extends: base` gives local the variables it inherits; a secret comes empty.
    assert local.variables == (
        Variable("base_url", "http://localhost:5000"),
        Variable("region", "north"),
        Variable("api_token", "", secret=True),
        Variable("legacy", "old", enabled=False),
    )
    assert result.to_write().environments == result.collection.environments


def test_bundled_report(orchard) -> None:
    report = orchard.result.report
    for words in (
        "Tree search: OAuth 2.0 authentication is not supported here",
        "Scripts (JavaScript) were kept as written, shown with their request or folder and "
        "never run (3).",
        "Assertions that have no equivalent row were kept as comments with the scripts (1).",
        "Request variables were written into their requests",
        "Folder variables were written into the requests below them",
        "Secret variables came without values",
        "Environments that extend another were given the variables they inherit (1).",
        "Request tags were not kept (1).",
        "gRPC items are not sent by API Explorer and were skipped (1).",
    ):
        assert any(line.startswith(words) for line in report), (words, report)


# --- the folder form ----------------------------------------------------------------------


def test_folder_form(tmp_path) -> None:
    folder = tmp_path / "orchard"
    shutil.copytree(FIXTURES / "folder", folder)
    result = import_opencollection_folder(folder)
    collection = result.collection
    assert collection.name == "Orchard folder"
    assert collection.headers == (Pair("X-Client", "orchard-cli"),)
    assert [item.name for item in collection.items] == ["Trees", "Record harvest", "Weather"]
    trees = collection.items[0]
    assert isinstance(trees, Folder) and trees.auth == Auth(AuthKind.BEARER, token="{{api_token}}")
    found = _requests(collection)
    assert {name: path for name, (path, _r) in found.items()} == {
        "Plant tree": ("Trees",),
        "List trees": ("Trees",),
        "Upload photo": ("Trees", "Seasons"),
        "Record harvest": (),
        "Weather": (),
    }
    harvest = found["Record harvest"][1]
    assert harvest.url == "{{base_url}}/harvests?year=2024"
    assert harvest.params == (Pair("draft", "1", enabled=False),)
    assert harvest.headers == (Pair("X-Harvest", "pears"),)
    assert [item.name for item in trees.items] == ["Plant tree", "List trees", "Seasons"]
    assert found["List trees"][1].assertions == (Assertion(Subject.STATUS, Operator.EQ, "200"),)
    assert found["List trees"][1].options.max_redirects == 5
    assert [(env.name, env.variables) for env in result.environments] == [
        (
            "local",
            (Variable("base_url", "http://localhost:5000"), Variable("api_token", "", secret=True)),
        )
    ]
    # The file a request sends is copied into the collection; a broken file is named.
    assert result.files == (("Trees/Seasons/photo.txt", b"a photo of a tree\n"),)
    assert any(line.startswith("Trees/broken.yml: Invalid YAML") for line in result.report)
    assert any("forward credentials on a redirect" in line for line in result.report)


def test_folder_without_its_marker_is_refused(tmp_path) -> None:
    (tmp_path / "a.yml").write_text("info:\n  name: A\n", encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        import_opencollection_folder(tmp_path)
    assert "no opencollection.yml" in caught.value.message


def test_folder_root_file_alone_says_to_import_the_folder() -> None:
    text = (FIXTURES / "folder" / "opencollection.yml").read_text(encoding="utf-8")
    result = import_text(text)
    assert walk_requests(result.collection) == []
    assert any("import the folder" in line for line in result.report)


# --- refusals and bad shapes ---------------------------------------------------------------


def test_workspace_file_is_refused_with_what_it_is() -> None:
    text = "opencollection: 1.0.0\ninfo:\n  name: W\n  type: workspace\ncollections: []\n"
    with pytest.raises(FormatError) as caught:
        import_text(text, format="opencollection")
    assert "Bruno workspace" in caught.value.message


@pytest.mark.parametrize(
    ("change", "message", "location"),
    [
        (("items:\n  - info:\n      name: Health", "items: 7\nx:\n  - info:\n      name: Health"),
         "Expected an array", "$.items"),
        (("          headers:\n            - name: Accept",
          "          headers: 3\n          h:\n            - name: Accept"),
         "Expected an array", "$.items[1].items[0].http.headers"),
        (("opencollection: 1.0.0", "opencollection: 2.0.0"), "version 2.0.0", "$.opencollection"),
    ],
)  # fmt: skip
def test_bad_shapes_name_their_place(change, message, location) -> None:
    text = (FIXTURES / "bundled.yml").read_text(encoding="utf-8").replace(*change, 1)
    with pytest.raises(FormatError) as caught:
        import_text(text, format="opencollection")
    assert message in caught.value.message and caught.value.location == location


def test_deep_folders_are_refused_in_one_line() -> None:
    item: dict = {"info": {"name": "leaf", "type": "http"}, "http": {"url": "http://h/"}}
    for level in range(40):
        item = {"info": {"name": f"f{level}", "type": "folder"}, "items": [item]}
    text = json.dumps({"opencollection": "1.0.0", "items": [item]})
    with pytest.raises(FormatError) as caught:
        import_text(text)
    assert "nested more than 32 levels" in caught.value.message


def test_convert_folder_and_the_command_line_read_an_opencollection_folder(
    tmp_path, capsys
) -> None:
    from explorer.cli import main
    from explorer.core.formats import convert_folder

    folder = tmp_path / "orchard"
    shutil.copytree(FIXTURES / "folder", folder)
    # A Bruno 3 YAML collection may keep a bruno.json too: its requests are .yml files.
    (folder / "bruno.json").write_text('{"version": "1", "name": "x", "type": "collection"}')
    imported = convert_folder(folder)
    assert imported.format == "opencollection"
    assert len(walk_requests(imported.result.collection)) == 5
    into = tmp_path / "ours"
    assert main(["import", str(folder), "--into", str(into)]) == 0
    _, err = capsys.readouterr()
    assert "imported 5 request(s) into" in err
    assert (into / "Trees" / "Seasons" / "photo.txt").read_bytes() == b"a photo of a tree\n"
    assert main(["import", str(folder), "--format", "postman"]) == 2
    _, err = capsys.readouterr()
    assert "this is a opencollection collection folder, not postman" in err
