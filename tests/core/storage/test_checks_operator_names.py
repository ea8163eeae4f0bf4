"""Operators written in camel case (isType, startsWith, endsWith) load back: the codec
once lowered every enum value before matching, so a saved `isType` made the request
unreadable."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Assertion, Operator, Request, Subject
from explorer.core.storage.collection_files import CollectionStore, load_collection


@pytest.mark.parametrize("operator", list(Operator))
def test_every_operator_round_trips(tmp_path: Path, operator: Operator) -> None:
    assertion = Assertion(Subject.JSONPATH, operator, "x", "$.a")
    request = Request(url="http://127.0.0.1/", name="r", assertions=(assertion,))
    store = CollectionStore(tmp_path / "c")
    (tmp_path / "c").mkdir()
    store.load()
    store.save(Collection("c", items=(RequestItem(request),)))
    loaded = load_collection(tmp_path / "c")
    assert loaded.problems == ()
    [item] = loaded.collection.items
    assert isinstance(item, RequestItem)
    assert item.request.assertions == (assertion,)


def test_case_does_not_matter_in_hand_written_files(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "collection.yaml").write_text("schema_version: 1\nname: c\n")
    (folder / "r.yaml").write_text(
        "schema_version: 1\nname: r\nmethod: GET\nurl: http://127.0.0.1/\n"
        "assertions:\n  - subject: JSONPATH\n    argument: $.a\n    operator: ISTYPE\n"
        "    expected: string\n"
    )
    loaded = load_collection(folder)
    assert loaded.problems == ()
    [item] = loaded.collection.items
    assert isinstance(item, RequestItem)
    assert item.request.assertions[0].operator is Operator.IS_TYPE
