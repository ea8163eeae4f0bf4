"""The silenced rules of the Explain tabs, one set for the process: read from and
stored in the real settings file, announced once per change, checked as the preference
is."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from explorer.qt.explain_silencing import SilencedRules, silenced_rules
from explorer.qt.preference_store import load_preferences


def test_changes_are_stored_in_the_settings_file_and_read_back(qtbot, tmp_path):
    path = str(tmp_path / "settings.ini")
    holder = SilencedRules()
    holder.attach(QSettings(path, QSettings.Format.IniFormat))
    assert holder.ids() == frozenset()
    with qtbot.waitSignal(holder.changed, timeout=1000):
        holder.silence("caching.no-validators")
    holder.silence("cors.vary-origin-missing")
    changes: list[int] = []
    holder.changed.connect(lambda: changes.append(1))
    holder.silence("cors.vary-origin-missing")  # no change: not announced
    holder.set_ids(["not an id", "cors.vary-origin-missing", "caching.no-validators"])
    assert changes == []
    # A new settings object on the same file (the next start) reads both back.
    again = QSettings(path, QSettings.Format.IniFormat)
    expected = {"caching.no-validators", "cors.vary-origin-missing"}
    assert load_preferences(again).explain_silenced == expected
    other = SilencedRules()
    other.attach(again)
    assert other.ids() == expected
    other.turn_on("caching.no-validators")
    third = QSettings(path, QSettings.Format.IniFormat)
    assert load_preferences(third).explain_silenced == {"cors.vary-origin-missing"}


def test_one_holder_for_the_process():
    assert silenced_rules() is silenced_rules()
