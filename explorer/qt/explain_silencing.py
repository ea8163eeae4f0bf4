"""Which rules of "Explain this response" are silenced, for every Explain tab at once.

One holder per process (like the code font): the window attaches it to its settings at
start, the Explain tab's "Silence this rule" and the Preferences page change it, and
every open Explain tab hears `changed` and works its findings out again. The values and
their checks are Qt-free (`core/preferences.read_silenced`).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QSettings, Signal

from explorer.core.preferences import EXPLAIN_SILENCED_KEY, read_silenced, stored_silenced


class SilencedRules(QObject):
    """The silenced rule ids, stored in the attached settings when they change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: frozenset[str] = frozenset()
        self._settings: QSettings | None = None

    def attach(self, settings: QSettings | None) -> None:
        """Read the silenced ids from `settings` and store later changes there (None:
        kept in memory only, as in a widget test)."""
        self._settings = settings
        stored = settings.value(EXPLAIN_SILENCED_KEY) if settings is not None else None
        self._replace(read_silenced(stored))

    def ids(self) -> frozenset[str]:
        return self._ids

    def set_ids(self, ids: Iterable[str]) -> None:
        """Silence exactly `ids` (checked and bounded as the preference is); stored and
        announced when that is a change."""
        new = read_silenced(list(ids))
        if new == self._ids:
            return
        if self._settings is not None:
            self._settings.setValue(EXPLAIN_SILENCED_KEY, stored_silenced(new))
        self._replace(new)

    def silence(self, rule_id: str) -> None:
        self.set_ids(self._ids | {rule_id})

    def turn_on(self, rule_id: str) -> None:
        self.set_ids(self._ids - {rule_id})

    def _replace(self, ids: frozenset[str]) -> None:
        if ids != self._ids:
            self._ids = ids
            self.changed.emit()


_HOLDER: SilencedRules | None = None


def silenced_rules() -> SilencedRules:
    """The process's holder, made on first use (on the GUI thread)."""
    global _HOLDER  # one holder per process, as there is one code font
    if _HOLDER is None:
        _HOLDER = SilencedRules()
    return _HOLDER
