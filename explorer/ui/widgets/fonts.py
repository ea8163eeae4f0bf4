"""The fixed-width font for code, bodies and logs.

The system's "monospace" may resolve to a family that Qt does not report as fixed pitch
(Noto Sans Mono, once Noto CJK fonts are installed), and a viewer that lays out columns
needs a truly fixed one; so a few well-known families are tried first.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

PREFERRED = ("DejaVu Sans Mono", "Liberation Mono", "Cascadia Mono", "Menlo", "Consolas")


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


def monospace_font() -> QFont:
    """A fixed-pitch font at the system's default size."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setFamily(_family())
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font
