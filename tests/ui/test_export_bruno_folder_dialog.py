"""Export as a Bruno folder from the window's dialog: Browse… asks for a folder and names
the new one after the collection, the export is written there off the GUI thread, the
dialog says which folder it wrote; a folder that is not empty is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from explorer.core.collection import Collection, Folder, RequestItem, Variable, walk_requests
from explorer.core.formats import convert_folder
from explorer.core.model import Assertion, Operator, Request, Subject
from explorer.ui.dialogs.export_dialog import ExportDialog

COLLECTION = Collection(
    "Shop API",
    items=(
        Folder(
            "Items",
            items=(
                RequestItem(
                    Request(
                        url="{{base}}/items",
                        name="List items",
                        assertions=(Assertion(Subject.STATUS, Operator.EQ, "200"),),
                    )
                ),
            ),
        ),
    ),
    variables=(Variable("base", "http://127.0.0.1:5000"), Variable("token", "t0k3n", secret=True)),
)


@pytest.fixture
def dialog(qtbot):
    dialog = ExportDialog(COLLECTION)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_bruno_export_goes_into_a_new_folder_named_after_the_collection(
    qtbot, dialog, tmp_path, monkeypatch
):
    (tmp_path / "Shop_API").mkdir()
    (tmp_path / "Shop_API" / "keep.txt").write_text("mine")  # taken: the next name is used
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    dialog.set_format("bruno")
    assert dialog.file_label.text() == "&Folder:"
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "Shop_API-2"
    assert dialog.path_edit.text() == str(target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.finish_writing()
    qtbot.waitUntil(lambda: "Wrote the folder" in dialog.status_label.text(), timeout=10_000)
    status = dialog.status_label.text()
    assert status.startswith(f"Wrote the folder {target} (4 files). Not carried over:")
    assert "secret collection variable(s) were written without their value" in status
    assert dialog.exported_path() == target and dialog.isVisible()
    back = convert_folder(target).result.collection
    requests = [item.request for _, item in walk_requests(back)]
    assert [(r.name, r.url, r.assertions) for r in requests] == [
        ("List items", "{{base}}/items", COLLECTION.items[0].items[0].request.assertions)
    ]
    assert "t0k3n" not in "".join(p.read_text() for p in target.rglob("*.bru"))


def test_a_folder_format_refuses_a_folder_that_is_not_empty(qtbot, dialog, tmp_path: Path):
    (tmp_path / "x.txt").write_text("mine")
    dialog.set_format("bruno")
    dialog.set_path(tmp_path)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.status_label.text() == f"{tmp_path} is not an empty folder: choose a new one."
    assert (tmp_path / "x.txt").read_text() == "mine" and len(list(tmp_path.iterdir())) == 1


def test_switching_between_a_file_and_a_folder_format_keeps_the_name(qtbot, dialog, tmp_path):
    dialog.set_format("postman")
    dialog.set_path(tmp_path / "shop.postman_collection.json")
    dialog.set_format("bruno")
    assert dialog.path_edit.text() == str(tmp_path / "shop")
    dialog.set_format("http")
    assert dialog.path_edit.text() == str(tmp_path / "shop.http")


def test_a_long_report_grows_the_dialog_instead_of_squeezing_the_formats(qtbot, dialog, tmp_path):
    # Seen at 1280×720: the report of a Bruno export cut the format buttons' labels.
    dialog.set_format("bruno")
    dialog.set_path(tmp_path / "out")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.finish_writing()
    qtbot.waitUntil(lambda: "Wrote the folder" in dialog.status_label.text(), timeout=10_000)
    for button in dialog.format_buttons.values():
        assert button.height() >= button.sizeHint().height(), button.text()
