"""File ▸ Import… offers Hurl files: the file chooser lists *.hurl, and a .hurl file is
detected, previewed and imported as the importer reads it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from explorer.core.formats import import_text
from explorer.ui.dialogs.import_dialog import SOURCE_FILE, SUPPORTED, ImportDialog

HURL = Path(__file__).parents[1] / "fixtures" / "hurl" / "assert_status_code.hurl"


@pytest.fixture
def dialog(qtbot) -> Iterator[ImportDialog]:
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    assert dialog.finish_work(5000), "a worker of the import dialog did not finish"


def test_the_file_chooser_lists_hurl_files(qtbot, dialog, monkeypatch):
    asked: list[str] = []

    def chooser(*args: object, **kwargs: object) -> tuple[str, str]:
        asked.append(str(args[3]))
        return str(HURL), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", chooser)
    dialog.source_tabs.setCurrentIndex(SOURCE_FILE)
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert "*.hurl" in asked[0].split(";;")[0]
    assert "Hurl" in SUPPORTED
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=5000)
    assert dialog.detected_label.text() == "Detected: Hurl file"

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    expected = import_text(
        HURL.read_text(encoding="utf-8"), filename=HURL.name, base_dir=HURL.parent
    )
    assert dialog.result() == expected
    assert len(expected.collection.items) == 4
