"""Start a window and exit at its first paint. `bare` is the baseline: PySide6 and the
same qdarkstyle theme, nothing else; `app` is API Explorer's real start-up path
(`explorer.gui.start`, what `python main.py` runs)."""

from __future__ import annotations

import os
import sys
import tempfile

from PySide6.QtCore import QEvent, QObject


class _QuitOnPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            os._exit(0)  # the measurement ends at the first paint
        return False


def main() -> None:
    mode = sys.argv[1]
    quitter = _QuitOnPaint()
    if mode == "bare":
        from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

        app = QApplication(sys.argv[:1])
        import importlib.util
        from pathlib import Path

        spec = importlib.util.find_spec("qdarkstyle")
        folder = Path(next(iter(spec.submodule_search_locations))) / "dark"
        qss = (folder / "darkstyle.qss").read_text(encoding="utf-8")
        app.setStyleSheet(qss.replace(":/qss_icons/dark/rc", (folder / "rc").as_posix()))
        window = QMainWindow()
        window.setCentralWidget(QLabel("bare"))
        window.resize(1280, 800)
        window.centralWidget().installEventFilter(quitter)
        window.show()
    else:
        # The app's own start-up, as `python main.py` runs it (a fresh data directory,
        # so no earlier session is restored). `start` shows the window; it is painted
        # only once the event loop runs, so the filter is in place in time.
        os.environ["API_EXPLORER_HOME"] = tempfile.mkdtemp()
        from explorer.gui import start

        app, window, _args = start([])
        window.current_tab().editor.url_edit.installEventFilter(quitter)
    app.exec()


if __name__ == "__main__":
    main()
