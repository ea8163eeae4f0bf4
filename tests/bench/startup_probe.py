"""Start a window and exit at its first paint. `bare` is the baseline: PySide6 and the
same qdarkstyle theme, nothing else; `app` is API Explorer's real start-up path."""

from __future__ import annotations

import os
import sys
import tempfile

from PySide6.QtCore import QEvent, QObject, QSettings
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class _QuitOnPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            os._exit(0)  # the measurement ends at the first paint
        return False


def main() -> None:
    mode = sys.argv[1]
    app = QApplication(sys.argv[:1])
    if mode == "bare":
        import importlib.util
        from pathlib import Path

        spec = importlib.util.find_spec("qdarkstyle")
        folder = Path(next(iter(spec.submodule_search_locations))) / "dark"
        qss = (folder / "darkstyle.qss").read_text(encoding="utf-8")
        app.setStyleSheet(qss.replace(":/qss_icons/dark/rc", (folder / "rc").as_posix()))
        window = QMainWindow()
        window.setCentralWidget(QLabel("bare"))
        window.resize(1280, 800)
        watched = window.centralWidget()
    else:
        from explorer.app import build_window

        settings = QSettings(
            os.path.join(tempfile.mkdtemp(), "settings.ini"), QSettings.Format.IniFormat
        )
        window = build_window(app, settings)
        watched = window.current_tab().editor.url_edit
    quitter = _QuitOnPaint()
    watched.installEventFilter(quitter)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
