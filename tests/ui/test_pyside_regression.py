"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void call and to
True on every signal emit, and aborts the interpreter after a few hundred (docs/ARCHITECTURE.md,
The PySide6 pin). These loops would crash the test process on such a build."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


def test_void_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for index in range(100_000):
        label.setText("x" if index % 2 else "y")
    # On 3.12+ None is immortal and its count is meaningless; on 3.11 it must not drop.
    if sys.version_info < (3, 12):
        assert sys.getrefcount(None) >= before - 100
    assert label.text() == "x"


class _Emitter(QObject):
    fired = Signal(bool)


def test_signal_emits_keep_true_alive(qtbot):
    emitter = _Emitter()
    received = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(100_000):
        emitter.fired.emit(True)
    if sys.version_info < (3, 12):
        assert sys.getrefcount(True) >= before - 100
    assert len(received) == 100_000
