"""Drafts are written while typing goes on (0.1 s after the first unsaved edit, not
after a pause), by a thread of their own, newest snapshot last."""

from __future__ import annotations

import threading
import time

from explorer.core.model import Request
from explorer.core.storage.session import DraftTab, Session, SessionWriter, load_session


def saved_url(path) -> str:
    try:
        tabs = load_session(path).tabs
    except FileNotFoundError:
        return ""
    return tabs[-1].request.url if tabs else ""


def test_drafts_are_written_during_continuous_typing_off_the_gui_thread(
    qtbot, window, tmp_path, monkeypatch
):
    writers: list[str] = []
    real = SessionWriter.write_latest

    def spy(self: SessionWriter) -> bool:
        writers.append(threading.current_thread().name)
        return real(self)

    monkeypatch.setattr(SessionWriter, "write_latest", spy)
    tab = window.new_tab()
    edit = tab.editor.url_edit
    edit.setFocus()
    session_file = tmp_path / "session.json"
    typed, seen_while_typing = "", set()
    started = time.monotonic()
    # Typing never pauses for longer than 30 ms: a debounced save would never run.
    while time.monotonic() - started < 1.5:
        qtbot.keyClick(edit, "x")
        typed += "x"
        qtbot.wait(30)
        url = saved_url(session_file)
        if url:
            seen_while_typing.add(url)
    # Several different states reached the disk while typing went on.
    assert len(seen_while_typing) >= 3, seen_while_typing
    assert all(edit.text().startswith(url) for url in seen_while_typing)
    assert writers and threading.main_thread().name not in writers
    qtbot.waitUntil(lambda: saved_url(session_file).endswith(typed), timeout=3000)


def test_an_older_snapshot_never_overwrites_a_newer_one(tmp_path):
    path = tmp_path / "session.json"
    writer = SessionWriter(path)
    writer.offer(Session(tabs=(DraftTab(Request(url="http://old/")),)))
    writer.offer(Session(tabs=(DraftTab(Request(url="http://new/")),)))
    assert writer.pending
    assert writer.write_latest() is True
    assert writer.write_latest() is False  # nothing newer: no second write
    assert not writer.pending
    assert load_session(path).tabs[0].request.url == "http://new/"
