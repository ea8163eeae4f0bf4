"""Assertions, captures and scripts are kept in request, folder and collection files,
read back unchanged, and inherited from the collection and folders (outermost first)."""

from __future__ import annotations

from pathlib import Path

import yaml

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.model import Assertion, Capture, Operator, Request, Scripts, Subject
from explorer.core.resolve.inheritance import COLLECTION, REQUEST, Source, inherited_checks
from explorer.core.storage.collection_files import load_collection, save_collection

STATUS_OK = Assertion(Subject.STATUS, Operator.EQ, "200")
HAS_ID = Assertion(
    Subject.JSONPATH, Operator.COUNT, "{{n}}", "$.items[*]", ("nth 0",), negate=True, name="n"
)
TOKEN = Capture("token", Subject.JSONPATH, "$.token", secret=True, to_environment=True)
SCRIPTS = Scripts(pre_request="request.headers['X'] = '1'\n", kept_post_response="pm.test()")


def _collection() -> Collection:
    request = Request(
        name="login", url="http://h/", assertions=(HAS_ID,), captures=(TOKEN,), scripts=SCRIPTS
    )
    folder = Folder(
        name="auth",
        items=(RequestItem(request),),
        assertions=(Assertion(Subject.DURATION, Operator.LT, "500", enabled=False),),
        captures=(Capture("who", Subject.HEADER, "X-User"),),
    )
    return Collection(
        name="c",
        items=(folder,),
        assertions=(STATUS_OK,),
        scripts=Scripts(post_response="print(1)\n"),
    )


def test_checks_round_trip_through_the_files(tmp_path: Path) -> None:
    collection = _collection()
    save_collection(collection, tmp_path)
    loaded = load_collection(tmp_path)
    assert not loaded.problems
    folder = loaded.collection.items[0]
    assert isinstance(folder, Folder)
    item = folder.items[0]
    assert isinstance(item, RequestItem)
    assert item.request.assertions == (HAS_ID,)
    assert item.request.captures == (TOKEN,)
    assert item.request.scripts == SCRIPTS
    assert folder.assertions == collection.items[0].assertions  # type: ignore[union-attr]
    assert folder.captures == (Capture("who", Subject.HEADER, "X-User"),)
    assert loaded.collection.assertions == (STATUS_OK,)
    assert loaded.collection.scripts == Scripts(post_response="print(1)\n")


def test_a_request_file_without_checks_has_no_checks_keys(tmp_path: Path) -> None:
    save_collection(Collection(name="c", items=(RequestItem(Request(name="r")),)), tmp_path)
    files = [p for p in tmp_path.rglob("*.yaml") if p.name != "collection.yaml"]
    data = yaml.safe_load(files[0].read_text())
    assert not {"assertions", "captures", "scripts"} & set(data)


def test_a_wrong_operator_is_a_problem_of_that_file_not_a_crash(tmp_path: Path) -> None:
    save_collection(Collection(name="c", items=(RequestItem(Request(name="r")),)), tmp_path)
    path = next(p for p in tmp_path.rglob("*.yaml") if p.name != "collection.yaml")
    data = yaml.safe_load(path.read_text())
    data["assertions"] = [{"subject": "status", "operator": "=~"}]
    path.write_text(yaml.safe_dump(data))
    loaded = load_collection(tmp_path)
    assert len(loaded.problems) == 1
    assert "assertions[0].operator" in loaded.problems[0].message


def test_checks_are_inherited_outermost_first_and_only_enabled_ones() -> None:
    collection = _collection()
    folder = collection.items[0]
    assert isinstance(folder, Folder)
    item = folder.items[0]
    assert isinstance(item, RequestItem)
    checks = inherited_checks(collection, ("auth",), item.request)
    assert checks.assertions == ((STATUS_OK, COLLECTION), (HAS_ID, REQUEST))
    assert [c.variable for c, _ in checks.captures] == ["who", "token"]
    assert checks.captures[0][1] == Source("folder", ("auth",))
    assert [s for s, _ in checks.scripts] == [Scripts(post_response="print(1)\n"), SCRIPTS]


def test_a_request_in_no_collection_has_only_its_own_checks() -> None:
    request = Request(assertions=(STATUS_OK,))
    assert inherited_checks(None, (), request).assertions == ((STATUS_OK, REQUEST),)
