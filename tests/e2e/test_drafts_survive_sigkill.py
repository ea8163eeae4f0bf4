"""Kill the real app with SIGKILL while it types, autosaves and saves; restart it;
nothing typed before the last pause is lost and no file is corrupt."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Request
from explorer.core.storage.collection_files import load_collection, save_collection
from explorer.core.storage.session import DraftTab, Session, load_session, save_session
from explorer.ui.main_window import MainWindow

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
TEXT = "/api/items?search=first-burst-of-typing" + "&second=burst-typed-right-before-the-kill"
PAUSE_AFTER = len("/api/items?search=first-burst-of-typing")


def environment(home: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", API_EXPLORER_HOME=str(home))


def wait_for_line(child: subprocess.Popen, wanted: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    assert child.stdout is not None
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        if line.strip() == wanted:
            return
    raise AssertionError(f"the child never printed {wanted!r}")


def test_drafts_and_files_survive_sigkill(qtbot, tmp_path):
    home = tmp_path / "home"
    collection = tmp_path / "kill-api"
    save_collection(
        Collection("Kill API", items=(RequestItem(Request("GET", "http://x/", name="Saved")),)),
        collection,
    )
    base = "http://127.0.0.1:9"
    save_session(
        home / "session.json",
        Session(
            tabs=(
                DraftTab(
                    Request("GET", "http://x/", name="Saved"),
                    str(collection.resolve()),
                    "saved.yaml",
                ),
                DraftTab(Request("POST", base, name=""), modified=True),
            ),
            active_tab=1,
        ),
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.drafts_typist", TEXT, str(PAUSE_AFTER)],
        cwd=ROOT, env=environment(home), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    try:
        wait_for_line(child, "ready", 30)
        wait_for_line(child, f"typed {PAUSE_AFTER + 5}", 30)
        time.sleep(random.uniform(0.0, 0.8))  # somewhere in the second burst
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(5)

    # Every file is whole: the collection loads without problems, the session parses.
    loaded = load_collection(collection)
    assert loaded.problems == ()
    saved_url = loaded.collection.items[0].request.url
    assert saved_url.startswith(f"{base}/saved/"), saved_url
    session = load_session(home / "session.json")
    typed = session.tabs[1].request
    typed_text = base + TEXT
    full_url = typed.url + (
        "?" + "&".join(f"{p.name}={p.value}" for p in typed.params) if typed.params else ""
    )
    assert typed_text.startswith(full_url), full_url
    assert len(full_url) >= len(base) + PAUSE_AFTER  # all of the first burst was kept
    assert session.tabs[1].modified

    # The real app starts again on the same data (and exits cleanly) ...
    again = subprocess.run(
        [sys.executable, "main.py", "--smoke-test"], cwd=ROOT, env=environment(home),
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr[-2000:]
    # ... and a window on that data shows the drafts, still marked as not saved.
    window = MainWindow(QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    try:
        assert window.tabs.count() == 2
        assert window.tabs.currentIndex() == 1
        restored = window.tabs.widget(1)
        assert restored.editor.url_edit.text() == full_url
        assert restored.is_modified()
        assert window.tabs.widget(0).editor.url_edit.text() == saved_url
    finally:
        window.close()
        assert QThreadPool.globalInstance().waitForDone(10_000)
