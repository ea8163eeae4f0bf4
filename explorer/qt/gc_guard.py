"""Run Python's cyclic garbage collector on the GUI thread only.

Automatic collection runs in whichever thread happens to allocate when a threshold is
crossed, worker threads included. If that collection frees a Qt object (a dialog, a
thread pool) its C++ destructor then runs in the wrong thread, which Qt answers with an
abort or a deadlock. So automatic collection is turned off and a timer on the GUI thread
collects instead, as often as the thresholds would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Owns the timer; create one on the GUI thread after the QApplication."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        """Collect the generations whose counts passed their thresholds."""
        first, second, third = gc.get_count()
        if first > self._threshold[0]:
            generation = 0
            if second > self._threshold[1]:
                generation = 2 if third > self._threshold[2] else 1
            gc.collect(generation)

    def stop(self) -> None:
        """Give automatic collection back to Python."""
        self._timer.stop()
        gc.enable()


_installed: GuiThreadCollector | None = None


def install(parent: QObject | None = None) -> GuiThreadCollector:
    """Install the collector once per process (later calls return the same one)."""
    global _installed
    if _installed is None:
        _installed = GuiThreadCollector(parent)
    return _installed
