"""`export --to` offers every target the window offers, and no other: both front ends'
lists are read from the real widgets and the real parser, and compared with each other
(formats added to the registry later, Bruno's among them, are covered as they come)."""

from __future__ import annotations

import argparse

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from explorer.application.formats import HISTORY_FORMATS, export_help
from explorer.cli import build_parser
from explorer.core.collection import Collection
from explorer.core.model import Request
from explorer.ui.dialogs.codegen_dialog import CodegenDialog
from explorer.ui.dialogs.export_dialog import ExportDialog


def _cli_export_targets() -> list[str]:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    action = next(a for a in commands.choices["export"]._actions if "--to" in a.option_strings)
    return list(action.choices or ())


def _menu_actions(window) -> list[QAction]:
    found = []
    for menu in window.menuBar().findChildren(QMenu):
        found += [action for action in menu.actions() if action.text()]
    return found


def test_the_command_line_offers_every_target_the_window_offers(window, qtbot):
    export_dialog = ExportDialog(Collection("c"))
    code_dialog = CodegenDialog(Request(url="https://example.com/"))
    qtbot.addWidget(export_dialog)
    qtbot.addWidget(code_dialog)
    collection_formats = list(export_dialog.format_buttons)
    rows = [code_dialog.target_list.item(i) for i in range(code_dialog.target_list.count())]
    languages = [row.data(Qt.ItemDataRole.UserRole) for row in rows]
    interop = window.interop
    har_text = interop.export_har_action.text().replace("&", "")
    history_formats = [key for key in HISTORY_FORMATS if key.upper() in har_text]
    window_offers = collection_formats + history_formats + languages

    cli_offers = _cli_export_targets()
    assert sorted(cli_offers) == sorted(window_offers)
    assert len(set(cli_offers)) == len(cli_offers), "a target key is ambiguous"
    help_text = export_help()
    for key in cli_offers:
        assert f"{key}: " in help_text

    # Every way out of the window is one of the three the lists above were read from:
    # a new "Export as…" or "Copy as…" action needs its `export --to` target too.
    known = {interop.export_action, interop.export_har_action, interop.codegen_action}
    ways_out = [
        action
        for action in _menu_actions(window)
        if action.text().replace("&", "").lower().startswith(("export", "copy as", "save as"))
        or "generate code" in action.text().replace("&", "").lower()
    ]
    assert ways_out, "the window's menus were not found"
    unknown = [action.text() for action in ways_out if action not in known]
    assert not unknown, f"the window offers {unknown}: give `export --to` the same"
