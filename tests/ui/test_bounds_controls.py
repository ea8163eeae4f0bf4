"""The controls for the bounds of a send: total time limit and maximum body in the
Settings tab, the default maximum in Preferences, and the time a cancelled send shows."""

from __future__ import annotations

import socket
import threading

import pytest
from PySide6.QtCore import QSettings, QThreadPool

from explorer.core.http import limits
from explorer.core.model import Options
from explorer.ui.dialogs.preferences_dialog import apply_saved_limits
from explorer.ui.request.settings_editor import SettingsEditor
from explorer.ui.window.request_tab import RequestTab

MiB = 1024 * 1024


@pytest.fixture
def editor(qtbot):
    widget = SettingsEditor()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture(autouse=True)
def restore_default_limit():
    yield
    limits.set_default_max_body_size(0)


def test_total_time_limit_is_typed_beside_the_timeout(qtbot, editor):
    assert editor.total_spin.specialValueText() == "No limit"
    editor.total_spin.selectAll()
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClicks(editor.total_spin, "2.5")
    assert editor.value().total_timeout == 2.5


def test_maximum_body_is_typed_in_mb_and_zero_means_the_default(qtbot, editor):
    assert editor.value().max_body_size == 0
    assert editor.max_body_spin.specialValueText() == "Default (Preferences)"
    editor.max_body_spin.selectAll()
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClicks(editor.max_body_spin, "64")
    assert editor.value().max_body_size == 64 * MiB


def test_a_size_in_bytes_from_a_file_stays_exact_until_edited(editor):
    editor.set_value(Options(max_body_size=64_000_000, total_timeout=3.0))
    assert editor.max_body_spin.value() == 62  # shown rounded up to whole MB
    assert editor.value() == Options(max_body_size=64_000_000, total_timeout=3.0)
    editor.max_body_spin.setValue(10)
    assert editor.value().max_body_size == 10 * MiB


def test_preferences_set_the_default_maximum_and_remember_it(window, tmp_path):
    dialog = window.panels.edit_preferences()
    assert dialog.max_body.value() == 1024  # the built-in 1 GiB
    dialog.max_body.setValue(64)
    dialog.apply()
    assert limits.default_max_body_size() == 64 * MiB
    limits.set_default_max_body_size(0)
    # The next start reads it back.
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert int(settings.value(limits.MAX_BODY_SETTING)) == 64 * MiB
    apply_saved_limits(settings)
    assert limits.default_max_body_size() == 64 * MiB


def test_an_unreadable_saved_maximum_falls_back_to_the_default(tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(limits.MAX_BODY_SETTING, "lots")
    apply_saved_limits(settings)
    assert limits.default_max_body_size() == limits.DEFAULT_MAX_BODY_SIZE


def test_a_cancelled_send_shows_the_time_it_ran(qtbot):
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    tab = RequestTab()
    qtbot.addWidget(tab)
    tab.show()
    try:
        tab.editor.url_edit.setText(f"http://127.0.0.1:{listener.getsockname()[1]}/")
        tab.send()
        qtbot.wait(500)  # connected; the server never answers
        with qtbot.waitSignal(tab.runner.cancelled, timeout=1000):
            tab.cancel()
        assert tab.last_error is not None and tab.last_error.elapsed_ms >= 400
        assert tab.response_view.summary.time_label.text() != "after 0.00 ms"
    finally:
        tab.shutdown()
        listener.close()
        for conn in accepted:
            conn.close()
        assert QThreadPool.globalInstance().waitForDone(10_000)
