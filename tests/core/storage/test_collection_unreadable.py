"""Files and folders the system refuses to read (mode 000) are skipped with a one-line
problem; the rest of the collection loads and the unreadable file is never written.

The tests run as root, where mode 000 is still readable: `permissions_enforced` lowers
the thread's permission-bypassing capabilities so that the refusal is real (EACCES from
the kernel), exactly as for an ordinary user."""

from __future__ import annotations

import os

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Request
from explorer.core.storage.collection_files import CollectionStore
from tests.support.unreadable import make_unreadable, permissions_enforced


def make(root):
    collection = Collection(
        "C",
        environments=(Environment("local", (Variable("x", "1"),)),),
        items=(
            RequestItem(Request(name="a")),
            RequestItem(Request(name="b")),
            Folder("group", items=(RequestItem(Request(name="in group")),)),
            RequestItem(Request(name="c")),
        ),
    )
    CollectionStore(root).save(collection)
    return root


def test_an_unreadable_request_file_is_skipped_and_never_written(tmp_path):
    root = make(tmp_path / "c")
    original = (root / "b.yaml").read_bytes()
    make_unreadable(root / "b.yaml")
    store = CollectionStore(root)
    with permissions_enforced():
        result = store.load()
        [problem] = result.problems
        assert problem.path == root / "b.yaml"
        assert "cannot be read" in problem.message and "Permission denied" in problem.message
        assert "\n" not in str(problem)
        assert [i.name for i in result.collection.items] == ["a", "group", "c"]
        # Saving what loaded keeps the unreadable file (and its place in the order).
        store.save(result.collection)
    os.chmod(root / "b.yaml", 0o644)
    assert (root / "b.yaml").read_bytes() == original
    # Back once readable (at the end of the order, where unreadable entries are kept).
    names = [i.name for i in CollectionStore(root).load().collection.items]
    assert sorted(names) == ["a", "b", "c", "group"]


def test_an_unreadable_folder_settings_file_or_environment_is_skipped(tmp_path):
    root = make(tmp_path / "c")
    make_unreadable(root / "group")
    make_unreadable(root / "environments" / "local.yaml")
    make_unreadable(root / "collection.yaml")
    try:
        with permissions_enforced():
            result = CollectionStore(root).load()
    finally:
        os.chmod(root / "group", 0o755)
    paths = {p.path for p in result.problems}
    assert root / "collection.yaml" in paths
    assert root / "environments" / "local.yaml" in paths
    assert root / "group" in paths
    assert all("cannot be read" in p.message for p in result.problems)
    assert [i.name for i in result.collection.items] == ["a", "b", "c"]
    assert result.collection.environments == ()


def test_saving_around_an_unreadable_folder_leaves_it_alone(tmp_path):
    root = make(tmp_path / "c")
    before = (root / "group" / "in-group.yaml").read_bytes()
    make_unreadable(root / "group")
    store = CollectionStore(root)
    try:
        with permissions_enforced():
            loaded = store.load().collection
            store.save(loaded)
            store.add_item("", Folder("group", items=(RequestItem(Request(name="new")),)))
    finally:
        os.chmod(root / "group", 0o755)
    assert (root / "group" / "in-group.yaml").read_bytes() == before
    assert (root / "group-2" / "new.yaml").is_file()
