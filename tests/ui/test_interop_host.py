"""InteropActions sees the window only through the InteropHost Protocol, and the
window's helpers import nothing back from main_window (no import cycle)."""

from __future__ import annotations

import ast
import inspect

from PySide6.QtWidgets import QWidget

from explorer.ui.window import interop_actions
from explorer.ui.window.interop_actions import InteropActions, InteropHost
from tests.support.source_checks import attributes_used, protocol_members


def _protocol_members() -> set[str]:
    return protocol_members(InteropHost)


def _uses(name: str) -> set[str]:
    return attributes_used(interop_actions, name)


def test_the_actions_use_only_what_the_protocol_names():
    members = _protocol_members()
    assert members == {
        "settings", "window", "statusBar", "current_collection_root", "current_request_for_code",
    }  # fmt: skip
    assert _uses("host") == members


def test_the_actions_do_not_reach_into_the_window_by_another_name():
    """The window's widget parents dialogs and actions as a plain QWidget."""
    used = _uses("parent_widget")
    assert used, "the check looks at nothing"
    assert {attr for attr in used if not hasattr(QWidget, attr)} == set()
    assert "window" not in _uses("self")  # the old reach-back: self.window.<anything>


def test_interop_actions_do_not_import_the_main_window():
    tree = ast.parse(inspect.getsource(interop_actions))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    assert not any(name.startswith("explorer.ui.window.main_window") for name in imported)


def test_the_main_window_is_an_interop_host(window):
    assert isinstance(window, InteropHost)
    assert isinstance(window.interop, InteropActions)
    assert window.interop.host is window
    assert window.interop.parent_widget is window.window()
    assert window.interop.workspace is window.workspace
