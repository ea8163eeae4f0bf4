"""An import writes its new folder without a temp file per request (the folder appears by
one rename): the files must be exactly those an ordinary save writes, private, and a
staging folder left by a killed import must not get in the way."""

from __future__ import annotations

import os
import re

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.formats.destination import STAGING_MARKER, write_new_collection
from explorer.core.model import Pair, Request
from explorer.core.storage.collection_files import CollectionStore
from explorer.core.storage.secrets import SecretStore


def sample() -> Collection:
    requests = tuple(
        RequestItem(Request(name=f"Get item {n}", url=f"http://h/items/{n}",
                            headers=(Pair("Accept", "application/json"),)))
        for n in range(30)
    )  # fmt: skip
    return Collection(
        name="Shop",
        variables=(Variable("base", "http://h"),),
        items=(*requests[:10], Folder("Orders", items=requests[10:])),
        environments=(Environment("local", (Variable("base", "http://127.0.0.1:1"),)),),
    )


def files_of(root):
    # Every collection gets an id of its own; the rest must be the same to the byte.
    return {
        str(path.relative_to(root)): re.sub(rb"(?m)^id: \w+$", b"id: ?", path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def test_an_import_writes_what_an_ordinary_save_writes(tmp_path):
    store = SecretStore(tmp_path / "secrets.json")
    CollectionStore(tmp_path / "saved", secrets=store).save(sample())
    write_new_collection(sample(), tmp_path / "imported", secrets=store)
    imported = files_of(tmp_path / "imported")
    assert len(imported) == 33  # settings, folder settings, environment and 30 requests
    assert imported == files_of(tmp_path / "saved")
    modes = {os.stat(tmp_path / "imported" / rel).st_mode & 0o777 for rel in imported}
    assert modes == {0o600}
    loaded = CollectionStore(tmp_path / "imported").load()
    assert not loaded.problems and loaded.collection.items[-1].name == "Orders"


def test_a_staging_folder_left_by_a_killed_import_is_replaced(tmp_path):
    stale = tmp_path / f".shop{STAGING_MARKER}{os.getpid()}"
    (stale / "Orders").mkdir(parents=True)
    (stale / "get-item-0.yaml").write_text("half written")
    write_new_collection(sample(), tmp_path / "shop", secrets=SecretStore(tmp_path / "s.json"))
    assert not stale.exists()
    assert b"half written" not in b"".join(files_of(tmp_path / "shop").values())
