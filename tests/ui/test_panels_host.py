"""WorkspacePanels sees the window only through the PanelsHost Protocol."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from explorer.ui.window import workspace_panels
from explorer.ui.window.workspace_panels import PanelsHost, WorkspacePanels
from tests.support.source_checks import attributes_used, protocol_members


def _protocol_members() -> set[str]:
    return protocol_members(PanelsHost)


def _uses(name: str) -> set[str]:
    return attributes_used(workspace_panels, name)


def _host_uses() -> set[str]:
    return _uses("host")


def test_the_panels_use_only_what_the_protocol_names():
    members = _protocol_members()
    assert members == {
        "tabs", "window", "addDockWidget", "tabifyDockWidget", "resizeDocks", "addToolBar",
        "statusBar",
    }  # fmt: skip
    assert _host_uses() <= members
    assert _host_uses() >= {"addDockWidget", "statusBar", "tabs", "window"}


def test_the_panels_do_not_reach_into_the_window_by_another_name():
    """The top-level widget is used as a plain QWidget: nothing of MainWindow's own."""
    used = _uses("window")
    assert used, "the check looks at nothing"
    assert {attr for attr in used if not hasattr(QWidget, attr)} == set()


def test_the_main_window_is_a_panels_host(window):
    assert isinstance(window, PanelsHost)
    assert isinstance(window.panels, WorkspacePanels)
    assert window.panels.host is window
    assert window.panels.window is window.window()
