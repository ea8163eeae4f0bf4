"""Files the app cannot read at start-up are reported and kept; the app keeps working."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from explorer.core.model import Request
from explorer.ui.workspace import Workspace


def test_a_corrupt_history_database_is_set_aside_not_fatal(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    garbage = b"this is not an SQLite database" * 100
    (data / "history.sqlite3").write_bytes(garbage)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    workspace = Workspace(data, settings)
    try:
        assert any("history database" in problem for problem in workspace.start_problems)
        kept = list(data.glob("history.unreadable-*.sqlite3"))
        assert len(kept) == 1 and kept[0].read_bytes() == garbage
        # The new history works.
        workspace.history.add_failure(Request(url="http://127.0.0.1:1/"), "refused")
        assert workspace.history.count() == 1
    finally:
        workspace.close()
