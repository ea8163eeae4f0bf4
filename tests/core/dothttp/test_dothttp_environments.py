"""JetBrains environment files beside an .http file: each top-level key an environment,
private values as secrets that reach the secret store and no collection file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.application.importing import write_new_collection
from explorer.core.collection import Environment, Variable
from explorer.core.formats import import_text
from explorer.core.storage.collection_files import load_collection
from explorer.core.storage.secrets import SecretStore

ENVS = Path(__file__).parents[1] / "formats" / "fixtures" / "http" / "envs"


def _import(folder: Path = ENVS):  # type: ignore[no-untyped-def]
    text = (folder / "api.http").read_text(encoding="utf-8")
    return import_text(text, filename="api.http", base_dir=folder)


def test_each_top_level_key_is_an_environment_with_shared_values_and_secrets() -> None:
    result = _import()
    dev, prod = result.collection.environments
    assert dev == Environment(
        "dev",
        (
            Variable("region", "eu"),
            Variable("user", "ann"),
            Variable("host", "http://localhost:8080"),
            Variable("tenant.id", "7"),
            Variable("tenant.name", "acme"),
            Variable("retries", "3"),
            Variable("debug", "true"),
            Variable("token", "dev-token-not-real", secret=True),
            Variable("password", "dev-pass-not-real", secret=True),
        ),
    )
    assert {v.name: v.value for v in prod.variables}["region"] == "us"  # its own wins
    report = " ".join(result.report)
    assert "2 environment(s)" in report and "4 secret" in report
    assert "SSLConfiguration" in report
    assert "tenant" in report  # the nested object became dotted names


def test_private_values_go_to_the_secret_store_not_to_the_collection_files(
    tmp_path: Path,
) -> None:
    secrets = SecretStore(tmp_path / "secrets.json")
    folder = tmp_path / "collections" / "api"
    write_new_collection(_import(), folder, secrets)
    on_disk = "".join(p.read_text(errors="replace") for p in folder.rglob("*") if p.is_file())
    assert "not-real" not in on_disk
    loaded = load_collection(folder)
    filled = secrets.fill(loaded.collection_key, loaded.collection)
    dev = {e.name: e for e in filled.environments}["dev"]
    assert {v.name: v.value for v in dev.variables if v.secret} == {
        "token": "dev-token-not-real",
        "password": "dev-pass-not-real",
    }


def test_without_base_dir_or_files_there_are_no_environments(tmp_path: Path) -> None:
    text = (ENVS / "api.http").read_text(encoding="utf-8")
    assert import_text(text, filename="api.http").collection.environments == ()
    (tmp_path / "api.http").write_text(text)
    assert _import(tmp_path).collection.environments == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "expected an object of environments, found list"),
        ("{nope", "not a JSON environment file"),
        (b"\xff\xfe", "not a JSON environment file"),
    ],
)
def test_a_broken_env_file_is_reported_and_the_requests_still_import(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    (tmp_path / "api.http").write_text("GET https://x.io/\n")
    target = tmp_path / "http-client.env.json"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)
    (tmp_path / "http-client.private.env.json").write_text('{"dev": {"token": "t"}}')
    result = _import(tmp_path)
    assert len(result.collection.items) == 1
    matching = [line for line in result.report if message in line]
    assert len(matching) == 1 and "\n" not in matching[0]
    assert "http-client.env.json" in matching[0] and "not imported" in matching[0]
    # The good private file still gives its environment.
    assert [env.name for env in result.collection.environments] == ["dev"]


def test_only_shared_values_make_one_environment(tmp_path: Path) -> None:
    (tmp_path / "api.http").write_text("GET {{host}}/\n")
    (tmp_path / "http-client.env.json").write_text(json.dumps({"$shared": {"host": "h"}}))
    (env,) = _import(tmp_path).collection.environments
    assert env == Environment("$shared", (Variable("host", "h"),))


def test_a_name_in_the_file_and_an_environment_is_reported(tmp_path: Path) -> None:
    (tmp_path / "api.http").write_text("@host = http://file\n\nGET {{host}}/\n")
    (tmp_path / "http-client.env.json").write_text(json.dumps({"dev": {"host": "http://env"}}))
    report = _import(tmp_path).report
    assert any(
        line.startswith("host set both in the file and in an environment") for line in report
    )
