"""Symbolic links in a collection folder: nothing is read or written through a link that
leaves the folder, and link loops are skipped with a problem instead of hanging the load.
Real links in tmp_path; the outside folder is compared byte for byte afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Request
from explorer.core.storage.collection_files import CollectionStore, load_collection
from explorer.core.storage.errors import StorageError

ROOT = Path(__file__).resolve().parents[3]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its content and modification time."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """(a collection whose folder `linked` is a link to an outside folder, that folder)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "folder.yaml").write_text("name: Outside folder\n")
    (outside / "private.yaml").write_text("name: private\nurl: http://outside/\n")
    root = tmp_path / "collection"
    CollectionStore(root).save(
        Collection("C", items=(RequestItem(Request(name="inside", url="http://in/")),))
    )
    os.symlink(outside, root / "linked")
    return root, outside


def test_a_folder_link_to_outside_is_skipped_with_a_problem(linked):
    root, _outside = linked
    result = load_collection(root)
    assert [item.name for item in result.collection.items] == ["inside"]
    assert not any(rel.startswith("linked") for rel in result.locations.values())
    [problem] = result.problems
    assert problem.path == root / "linked"
    assert "outside the collection folder" in problem.message


def test_saving_and_changing_items_never_write_outside(linked):
    root, outside = linked
    before = snapshot(outside)
    store = CollectionStore(root)
    loaded = store.load().collection
    # Save the whole collection with a new folder called like the link, and with the
    # items as loaded: the new folder gets a file name of its own.
    store.save(
        Collection(
            loaded.name,
            items=(*loaded.items, Folder("linked", items=(RequestItem(Request(name="n")),))),
        )
    )
    assert (root / "linked-2" / "n.yaml").is_file()
    # One item at a time, aimed at the link: each refused before touching anything.
    item = RequestItem(Request(name="x"))
    attempts = [
        lambda: store.rename_item("linked", "renamed"),
        lambda: store.rename_item("linked/private.yaml", "renamed"),
        lambda: store.save_request("linked/private.yaml", item, force=True),
        lambda: store.add_item("linked", item),
        lambda: store.move_item("inside.yaml", "linked"),
        lambda: store.delete_item("linked/private.yaml", force=True),
    ]
    for attempt in attempts:
        with pytest.raises(StorageError, match="outside the collection folder"):
            attempt()
    assert snapshot(outside) == before
    assert os.path.islink(root / "linked")


def test_deleting_a_folder_removes_a_link_inside_it_but_not_what_it_points_to(linked):
    root, outside = linked
    before = snapshot(outside)
    (root / "group").mkdir()
    os.symlink(outside, root / "group" / "escape")
    store = CollectionStore(root)
    store.load()
    store.save(Collection("C", items=(Folder("group", items=(RequestItem(Request(name="r")),)),)))
    rel = next(rel for rel in store.load().locations.values() if rel == "group")
    with pytest.raises(StorageError):
        store.delete_item(rel)  # the link is not part of the collection: asked first
    store.delete_item(rel, force=True)
    assert not (root / "group").exists()
    assert snapshot(outside) == before


def test_file_links_to_outside_are_skipped_and_settings_through_them_never_written(linked):
    root, outside = linked
    os.symlink(outside / "private.yaml", root / "stolen.yaml")
    os.symlink(root / "inside.yaml", root / "alias.yaml")  # stays inside: loads
    result = load_collection(root)
    assert sorted(i.name for i in result.collection.items) == ["inside", "inside"]
    assert {p.path.name for p in result.problems} == {"linked", "stolen.yaml"}

    (root / "collection.yaml").unlink()
    os.symlink(outside / "folder.yaml", root / "collection.yaml")
    before = snapshot(outside)
    store = CollectionStore(root)
    result = store.load()
    assert any(p.path == root / "collection.yaml" for p in result.problems)
    with pytest.raises(StorageError):
        store.save_settings(Collection("renamed"))
    assert snapshot(outside) == before


LOAD_IN_CHILD = """
import json, sys
from explorer.core.storage.collection_files import load_collection
result = load_collection(sys.argv[1])
print(json.dumps({"problems": [[p.path.name, p.message] for p in result.problems],
                  "items": len(result.locations)}))
"""


def test_link_loops_are_skipped_with_a_problem_and_the_load_returns(tmp_path):
    root = tmp_path / "loops"
    CollectionStore(root).save(Collection("L", items=(RequestItem(Request(name="ok")),)))
    for name in ("a", "b"):
        (root / name).mkdir()
    # Folders linking to each other twice over: followed blindly this is 2**40 folders.
    for link in ("to-b", "to-b-again"):
        os.symlink("../b", root / "a" / link)
    for link in ("to-a", "to-a-again"):
        os.symlink("../a", root / "b" / link)
    # Two links pointing at each other, and a folder linking to the collection itself.
    os.symlink("ping.yaml", root / "pong.yaml")
    os.symlink("pong.yaml", root / "ping.yaml")
    os.symlink("..", root / "a" / "up")
    done = subprocess.run(
        [sys.executable, "-c", LOAD_IN_CHILD, str(root)],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    problems = dict(found["problems"])
    assert "loop" in problems["ping.yaml"] and "loop" in problems["pong.yaml"]
    assert "loop" in problems["up"]
    assert len(found["problems"]) <= 8
    assert found["items"] < 20


def test_the_change_watcher_passes_over_link_loops(tmp_path):
    from explorer.core.storage.watch import snapshot

    (tmp_path / "real.yaml").write_text("name: real\n")
    os.symlink("ping.yaml", tmp_path / "pong.yaml")
    os.symlink("pong.yaml", tmp_path / "ping.yaml")
    os.symlink(".", tmp_path / "self")
    assert list(snapshot(tmp_path)) == [tmp_path / "real.yaml"]


def test_a_collection_opened_through_a_link_to_its_folder_works_as_usual(tmp_path):
    real = tmp_path / "real"
    CollectionStore(real).save(Collection("C", items=(RequestItem(Request(name="a")),)))
    os.symlink(real, tmp_path / "alias")
    store = CollectionStore(tmp_path / "alias")
    result = store.load()
    assert result.problems == () and [i.name for i in result.collection.items] == ["a"]
    new_rel = store.rename_item("a.yaml", "b")
    store.add_item("", Folder("f", items=(RequestItem(Request(name="c")),)))
    assert (real / new_rel).is_file() and (real / "f" / "c.yaml").is_file()
