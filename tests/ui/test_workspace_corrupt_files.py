"""Files the app cannot read at start-up are reported and kept; the app keeps working."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from explorer.core.model import Request
from explorer.qt.workspace import Workspace


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


def test_exchanges_are_stored_off_the_gui_thread_and_kept_at_quit(qtbot, tmp_path):
    import threading

    from explorer.core.http.exchange import Response, SentRequest, Timing

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    workspace = Workspace(tmp_path / "data", settings)
    threads: list[str] = []
    add = workspace.history.add
    workspace.history.add = lambda *a, **k: (
        threads.append(threading.current_thread().name) or add(*a, **k)
    )
    body = b'{"line": "a large body"}\n' * 40_000  # ~1 MB: redacted and indexed
    sent = SentRequest("GET", "http://x/big", ())
    response = Response(200, "OK", "HTTP/1.1", "http://x/big", (), body, len(body), len(body),
                        Timing(total=5.0), sent)  # fmt: skip
    try:
        with qtbot.waitSignal(workspace.history_changed, timeout=10_000):
            workspace.record_in_background(Request(url="http://x/big"), response)
        assert workspace.history.count() == 1
        assert threads and threads[0] != threading.main_thread().name
        # At quit, what is still queued is stored before the database closes.
        for _ in range(3):
            workspace.record_failure_in_background(Request(url="http://x/down"), "refused")
        workspace.finish_history_writes()
        assert workspace.history.count() == 4
    finally:
        workspace.close()
