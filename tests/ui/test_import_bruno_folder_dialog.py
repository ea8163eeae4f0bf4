"""File ▸ Import… with a collection folder: Folder… chooses it, the preview and the
report come from the converter process as for a file, Import hands the folder's
collection back; a folder of no known tool says what it saw."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from explorer.core.collection import walk_requests
from explorer.core.formats import convert_folder
from explorer.ui.dialogs.import_dialog import SOURCE_FILE, SUPPORTED, ImportDialog

FIXTURE = Path(__file__).parents[1] / "core" / "formats" / "fixtures" / "bruno" / "shop"


@pytest.fixture
def dialog(qtbot) -> Iterator[ImportDialog]:
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    assert dialog.finish_work(5000), "a worker of the import dialog did not finish"


def test_folder_chooses_a_bruno_folder_previews_and_imports_it(qtbot, dialog, monkeypatch):
    asked: list[tuple[object, ...]] = []

    def chooser(*args: object, **kwargs: object) -> str:
        asked.append(args)
        return str(FIXTURE)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", chooser)
    dialog.source_tabs.setCurrentIndex(SOURCE_FILE)
    assert dialog.folder_button.isVisible() and "Bruno" in SUPPORTED
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert asked and dialog.file_edit.text() == str(FIXTURE)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    expected = convert_folder(FIXTURE).result
    top = [dialog.preview_tree.topLevelItem(i).text(0) for i in range(3)]
    assert top == ["Catalog", "Orders", "Status"]
    assert "“Shop API”: 10 requests in 3 folders; environments: Local, Prod." in (
        dialog.summary_label.text()
    )
    assert "converted 21 of 22 into assertion rows" in dialog.report_view.toPlainText()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    accepted = dialog.accepted_import()
    assert accepted is not None and accepted.format == "bruno"
    assert accepted.result == expected
    assert [item.name for _, item in walk_requests(accepted.result.collection)][:2] == [
        "List products",
        "Get product",
    ]


def test_a_folder_of_no_known_tool_says_what_it_saw(qtbot, dialog, tmp_path):
    dialog.set_file(tmp_path)
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=10_000)
    assert f"no bruno.json or opencollection.yml in {tmp_path}" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()


def test_a_folder_read_as_another_format_says_what_it_is(qtbot, dialog):
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("postman"))
    dialog.set_file(FIXTURE)
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=10_000)
    assert f"{FIXTURE} is a bruno collection folder, not postman" in dialog.error_label.text()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("bruno"))
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    assert dialog.detected_label.text().startswith("Read as: Bruno collection")
