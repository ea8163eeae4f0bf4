"""A child process for the SIGKILL test: the real app start-up, then a typist.

Run as `python -m tests.e2e.drafts_typist TEXT PAUSE_AFTER`. It starts the app exactly
as `main.py` does (`explorer.gui.start`: same data directory from API_EXPLORER_HOME,
same session restore), then types TEXT into the URL field of the last tab with real key
events, one character every 30 ms, pausing one second after PAUSE_AFTER characters.
Meanwhile it saves the first tab into its collection file every 100 ms (what Ctrl+S
does), so a kill can land in the middle of typing, of an autosave or of a save. It
prints one line per character typed, "typed N SECONDS" (time.time() once the key event
was handled); the test kills it with SIGKILL at a moment of its choosing. Nothing here
is part of the app: the app has no test switches.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest

from explorer.gui import start

CHAR_MS = 30
SAVE_MS = 100


def main() -> int:
    text, pause_after = sys.argv[1], int(sys.argv[2])
    app, window, _args = start([])
    # The workspace (and the last session's tabs) arrives right after the first paint.
    deadline = time.monotonic() + 20
    while window.workspace_tabs is None and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    tabs = window.workspace_tabs
    saved_tab, typed_tab = window.tabs.widget(0), window.tabs.widget(window.tabs.count() - 1)
    window.tabs.setCurrentWidget(typed_tab)
    position = {"typed": 0, "saves": 0}

    def type_one() -> None:
        index = position["typed"]
        if index >= len(text):
            return
        QTest.keyClick(typed_tab.editor.url_edit, text[index])
        position["typed"] = index + 1
        print(f"typed {index + 1} {time.time():.6f}", flush=True)
        QTimer.singleShot(1000 if index + 1 == pause_after else CHAR_MS, type_one)

    def save_one() -> None:
        position["saves"] += 1
        saved_tab.editor.url_edit.setText(f"http://127.0.0.1:9/saved/{position['saves']}")
        tabs.save(saved_tab)

    typed_tab.editor.url_edit.setFocus()
    typed_tab.editor.url_edit.end(False)
    saver = QTimer()
    saver.timeout.connect(save_one)
    saver.start(SAVE_MS)
    QTimer.singleShot(200, type_one)
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
