"""The fixed-width font for code, bodies and logs, and the user's choice of it.

The system's "monospace" may resolve to a family that Qt does not report as fixed pitch
(Noto Sans Mono, once Noto CJK fonts are installed), and a viewer that lays out columns
needs a truly fixed one; so a few well-known families are tried first.

Preferences ▸ Editor may name another family and size (`set_code_font`); every widget
made afterwards gets it from `monospace_font`, and `apply_code_font` changes the ones
already open: a widget whose own font is the code font shows code, so it is the one to
change (no list of code widgets to keep in step).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from explorer.core.preferences import EditorFont

PREFERRED = ("DejaVu Sans Mono", "Liberation Mono", "Cascadia Mono", "Menlo", "Consolas")

_chosen = EditorFont()  # "" and 0: the system's fixed font


@cache
def _family() -> str:
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if QFontInfo(system).fixedPitch():
        return system.family()
    for family in PREFERRED:
        candidate = QFont(family)
        info = QFontInfo(candidate)
        if info.family() == family and info.fixedPitch():
            return family
    return system.family()


def default_family() -> str:
    """The fixed-pitch family used when the user chose none."""
    return _family()


def monospace_font() -> QFont:
    """The code font: the user's family and size (Preferences), else a fixed-pitch font
    at the system's default size."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setFamily(_chosen.family or _family())
    if _chosen.size:
        font.setPointSize(_chosen.size)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def code_font_choice() -> EditorFont:
    """The family and size chosen in Preferences ("" and 0: the system's)."""
    return _chosen


def set_code_font(choice: EditorFont) -> None:
    """Make `choice` the code font of widgets made from now on."""
    global _chosen
    _chosen = choice


def apply_code_font(choice: EditorFont, app: QApplication | None = None) -> int:
    """Make `choice` the code font and show it in every open widget that shows code;
    return how many widgets changed."""
    old = monospace_font()
    set_code_font(choice)
    new = monospace_font()
    holder = app or QApplication.instance()
    if not isinstance(holder, QApplication):
        return 0
    changed = 0
    for widget in holder.allWidgets():
        if not widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
            continue  # it inherits its font: its parent is changed instead
        current = widget.font()
        if current.family() != old.family() or current.pointSizeF() != old.pointSizeF():
            continue
        font = QFont(current)  # keeps its own weight or style
        font.setFamily(new.family())
        font.setPointSizeF(new.pointSizeF())
        widget.setFont(font)
        changed += 1
    return changed


def font_families() -> tuple[list[str], list[str]]:
    """The installed families: fixed-pitch ones first (what code is read in), then the
    others, each list sorted."""
    fixed: list[str] = []
    others: list[str] = []
    for family in QFontDatabase.families():
        if QFontDatabase.isPrivateFamily(family):
            continue
        (fixed if QFontDatabase.isFixedPitch(family) else others).append(family)
    return sorted(fixed, key=str.casefold), sorted(others, key=str.casefold)
