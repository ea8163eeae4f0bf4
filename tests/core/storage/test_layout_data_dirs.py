"""A directory of plain files inside a collection (the files an imported Bruno or HAR
collection's requests send) is data, not a folder of the collection tree."""

from __future__ import annotations

from explorer.core.collection import Folder, RequestItem
from explorer.core.model import Body, BodyKind, Part, Request
from explorer.core.storage.collection_files import CollectionStore
from explorer.core.storage.layout import is_folder_dir


def test_a_directory_of_sent_files_is_not_a_folder(tmp_path):
    (tmp_path / "files" / "scans").mkdir(parents=True)
    (tmp_path / "files" / "receipt.txt").write_text("r", encoding="utf-8")
    (tmp_path / "files" / "scans" / "a.png").write_bytes(b"\x89PNG")
    assert not is_folder_dir(tmp_path / "files", at_root=True)
    assert not is_folder_dir(tmp_path / "files" / "scans", at_root=False)


def test_folders_with_requests_settings_or_nothing_yet_stay_folders(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "with-settings").mkdir()
    (tmp_path / "with-settings" / "folder.yaml").write_text("name: S\n", encoding="utf-8")
    (tmp_path / "deep" / "inner").mkdir(parents=True)
    (tmp_path / "deep" / "body.json").write_text("{}", encoding="utf-8")
    (tmp_path / "deep" / "inner" / "get.yaml").write_text("url: x\n", encoding="utf-8")
    for name in ("empty", "with-settings", "deep"):
        assert is_folder_dir(tmp_path / name, at_root=True), name


def test_an_imported_collection_with_a_sent_file_loads_without_a_files_folder(tmp_path):
    upload = Request(
        name="Upload",
        method="POST",
        url="http://h/up",
        body=Body(BodyKind.MULTIPART, parts=(Part("f", file="files/receipt.txt"),)),
    )
    store = CollectionStore(tmp_path / "shop")
    store.save(_collection(upload))
    (tmp_path / "shop" / "files").mkdir()
    (tmp_path / "shop" / "files" / "receipt.txt").write_text("r", encoding="utf-8")
    loaded = CollectionStore(tmp_path / "shop").load().collection
    assert [type(item).__name__ for item in loaded.items] == ["Folder"]
    assert [item.name for item in loaded.items] == ["Orders"]


def _collection(request):
    from explorer.core.collection import Collection

    return Collection("Shop", items=(Folder("Orders", items=(RequestItem(request),)),))
