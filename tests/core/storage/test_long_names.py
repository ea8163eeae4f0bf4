"""Names of any length and script can be saved: file names stay short (under 100 bytes
of UTF-8, cut between characters), unique, and the full name is kept inside the file."""

from __future__ import annotations

import unicodedata

import pytest

from explorer.core.collection import Collection, Environment, Folder, RequestItem, Variable
from explorer.core.model import Request
from explorer.core.storage.collection_files import CollectionStore
from explorer.core.storage.layout import slugify

LONG_ASCII = "Get " + "the very long report " * 20  # ~400 characters
LONG_CYRILLIC = "Получить отчёт " * 27  # ~400 characters, 2 bytes each
LONG_CJK = "日本語のリクエスト" * 45  # ~400 characters, 3 bytes each
DECOMPOSED = unicodedata.normalize("NFD", "Crème brûlée ") * 30
NAMES = [LONG_ASCII, LONG_CYRILLIC, LONG_CJK, DECOMPOSED, "🚀" * 400]


def names_on_disk(root):
    return [p for p in root.rglob("*") if not p.name.startswith(".")]


@pytest.mark.parametrize("name", NAMES, ids=["ascii", "cyrillic", "cjk", "nfd", "emoji"])
def test_a_long_name_is_saved_whole_under_a_short_file_name(tmp_path, name):
    root = tmp_path / "c"
    store = CollectionStore(root)
    store.save(Collection("C"))
    rels = [
        store.add_item("", RequestItem(Request(name=name))),
        store.add_item("", RequestItem(Request(name=name))),  # same name: a unique file
        store.add_item("", Folder(name, items=(RequestItem(Request(name=name)),))),
    ]
    assert len(set(rels)) == 3
    store.save_environment(Environment(name, (Variable("x", "1"),)))
    renamed = store.rename_item(rels[0], name[::-1])
    for path in names_on_disk(root):
        assert len(path.name.encode("utf-8")) < 100, path.name
        path.name.encode("utf-8").decode("utf-8")  # whole characters only
    loaded = CollectionStore(root).load()
    assert loaded.problems == ()
    by_rel = {rel: index for index, rel in loaded.locations.items()}
    items = loaded.collection.items
    assert items[by_rel[renamed][0]].name == name[::-1]
    assert items[by_rel[rels[1]][0]].name == name
    assert items[by_rel[rels[2]][0]].items[0].name == name
    assert loaded.collection.environments[0].name == name


def test_slugs_keep_letters_of_every_script_and_cut_between_characters():
    assert slugify("Get users", "request") == "get-users"
    assert slugify("Получить отчёт", "request") == "получить-отчёт"
    assert slugify("日本語のリクエスト", "request") == "日本語のリクエスト"
    assert slugify(DECOMPOSED, "r").startswith("crème-brûlée")  # composed (NFC)
    assert slugify("../../etc/passwd", "r") == "etc-passwd"
    assert slugify("!!!", "request") == "request"
    cut = slugify("é" * 100, "r")
    assert cut == "é" * 40 and len(cut.encode()) == 80
    assert slugify("\u0301\u0301abc", "r") == "abc"  # no stray combining mark first


def test_windows_device_names_are_avoided(tmp_path):
    store = CollectionStore(tmp_path / "c")
    store.save(Collection("C"))
    assert store.add_item("", RequestItem(Request(name="CON"))) == "con-2.yaml"
    assert store.add_item("", Folder("nul")) == "nul-2"


@pytest.mark.parametrize("name", NAMES, ids=["ascii", "cyrillic", "cjk", "nfd", "emoji"])
def test_an_imported_collection_with_a_long_name_gets_a_folder(tmp_path, name):
    # The window names an imported collection's folder after it; a 400-character name
    # used to be refused by the file system ("File name too long").
    from explorer.core.storage.layout import unique_folder

    first = unique_folder(tmp_path, name)
    first.mkdir()
    second = unique_folder(tmp_path, name)
    second.mkdir()
    assert first != second and len(second.name.encode()) < 100
    store = CollectionStore(first)
    store.save(Collection(name))
    assert CollectionStore(first).load().collection.name == name
