"""One registry of formats and targets (explorer/application/formats.py): the command
line and the window offer exactly what it lists, no more and no less."""

from __future__ import annotations

import argparse

import pytest
from PySide6.QtCore import Qt

from explorer.application.formats import (
    CODE_TARGETS,
    COLLECTION_FORMATS,
    EXPORT_TARGETS,
    HISTORY_FORMATS,
    IMPORT_FORMATS,
)
from explorer.cli import build_parser
from explorer.core.codegen import TARGETS
from explorer.core.collection import Collection
from explorer.core.formats import FORMATS
from explorer.core.model import Request
from explorer.ui.dialogs.codegen_dialog import CodegenDialog
from explorer.ui.dialogs.export_dialog import ExportDialog
from explorer.ui.dialogs.import_dialog import ImportDialog


def command_choices(command: str, option: str) -> list[str]:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub = commands.choices[command]
    action = next(a for a in sub._actions if option in a.option_strings)
    return list(action.choices or ())


def test_the_registry_covers_every_importer_and_generator():
    assert list(IMPORT_FORMATS) == list(FORMATS)
    assert list(CODE_TARGETS) == list(TARGETS)
    assert (*COLLECTION_FORMATS, *HISTORY_FORMATS, *CODE_TARGETS) == EXPORT_TARGETS
    assert len(set(EXPORT_TARGETS)) == len(EXPORT_TARGETS), "a target key is ambiguous"


def test_the_command_line_offers_exactly_the_registry():
    assert command_choices("import", "--format") == list(IMPORT_FORMATS)
    assert command_choices("export", "--to") == list(EXPORT_TARGETS)


def test_the_import_dialog_offers_exactly_the_registry(qtbot):
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    combo = dialog.format_combo
    offered = {combo.itemData(i): combo.itemText(i) for i in range(1, combo.count())}
    assert combo.itemData(0) is None  # "Detect automatically"
    assert offered == {key: f.label for key, f in IMPORT_FORMATS.items()}
    assert dialog.finish_work(5000)


def test_the_export_dialog_offers_exactly_the_registry(qtbot):
    dialog = ExportDialog(Collection("c"))
    qtbot.addWidget(dialog)
    offered = {key: button.text() for key, button in dialog.format_buttons.items()}
    assert offered == {key: f.label for key, f in COLLECTION_FORMATS.items()}


def test_the_code_dialog_offers_exactly_the_registry(qtbot):
    dialog = CodegenDialog(Request(url="https://example.com/"))
    qtbot.addWidget(dialog)
    rows = [dialog.target_list.item(i) for i in range(dialog.target_list.count())]
    offered = {row.data(Qt.ItemDataRole.UserRole): row.text() for row in rows}
    assert offered == {key: t.display_name for key, t in CODE_TARGETS.items()}


@pytest.mark.parametrize("key", HISTORY_FORMATS)
def test_the_window_exports_the_history_formats(window, key):
    # The only history format is HAR, offered as History ▸ Export as HAR on the window.
    assert key == "har"
    assert window.interop.export_har_action.text().replace("&", "").endswith("as HAR…")
