"""The export dialog writes the file and stays open to say what the format could not
carry (tests/core/translate/test_export_report.py has the rest)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Assertion, Operator, Request, Subject
from explorer.ui.dialogs.export_dialog import ExportDialog

PAGE = Request(
    url="http://localhost/page",
    name="Page",
    assertions=(
        Assertion(Subject.STATUS, Operator.EQ, "200"),
        Assertion(Subject.XPATH, Operator.EXISTS, argument="//h1"),
    ),
)
COLLECTION = Collection("Pages", (RequestItem(PAGE),))


def test_the_dialog_writes_the_file_and_stays_open_to_say_what_was_left_out(
    qtbot, tmp_path: Path
) -> None:
    dialog = ExportDialog(COLLECTION)
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "pages.postman_collection.json"
    dialog.set_format("postman")
    dialog.set_path(target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.exported_path() == target, timeout=10_000)
    assert dialog.isVisible()
    assert "Not carried over" in dialog.status_label.text()
    assert "xpath //h1 exists" in dialog.status_label.text()
    assert target.exists()
