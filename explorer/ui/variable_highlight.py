"""`{{variable}}` highlighting and hover tooltips for QLineEdit fields.

QLineEdit has no QSyntaxHighlighter. It does keep character formats for input-method
pre-edit text, and an input-method event with an empty commit string sets formats on the
existing text without changing it (no undo step, no `textEdited`). That is what we use:
the text stays native (selection, cursor, clear button all keep working).

Hovering a variable shows its resolved value and the scope that defines it; secret
values are masked. Unresolved names are drawn in the error colour with a wavy underline.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint
from PySide6.QtGui import QColor, QHelpEvent, QInputMethodEvent, QTextCharFormat
from PySide6.QtWidgets import QLineEdit, QToolTip

from explorer.core.variables import Scope, find_variables, is_secret, lookup
from explorer.ui.theme import Theme, colour, current_theme

ScopesProvider = Callable[[], list[Scope]]
_RESOLVED = {Theme.DARK: ("#79c0ff", "#1f3a5f"), Theme.LIGHT: ("#0550ae", "#ddf4ff")}
MASK = "••••••••"


def describe(name: str, scopes: list[Scope]) -> str:
    """Tooltip text for one variable: value and scope, or why it has none."""
    found = lookup(name, scopes)
    if found is None:
        return f"{{{{{name}}}}} is not defined in any scope (global, collection, environment)"
    value, scope = found
    shown = MASK if is_secret(name, scopes) else (value if len(value) <= 200 else value[:199] + "…")
    if scope == "dynamic":
        return f"{{{{{name}}}}}: a new value at every send, e.g. {shown}"
    return f"{{{{{name}}}}} = {shown}\nfrom {scope}"


def _utf16_index(text: str, index: int) -> int:
    # Qt positions count UTF-16 units; Python counts code points.
    return len(text[:index].encode("utf-16-le")) // 2


class VariableHighlighter(QObject):
    """Colours the variables of one QLineEdit and explains them on hover."""

    def __init__(self, edit: QLineEdit, scopes: ScopesProvider) -> None:
        super().__init__(edit)
        self.edit = edit
        self._scopes = scopes
        edit.textChanged.connect(self.refresh)
        edit.installEventFilter(self)
        self.refresh()

    def spans(self) -> list[tuple[int, int, str, bool]]:
        """(start, end, name, resolved) of each variable, in Python indices."""
        scopes = self._scopes()
        return [
            (span.start, span.end, span.name, lookup(span.name, scopes) is not None)
            for span in find_variables(self.edit.text())
        ]

    def refresh(self, *_args: object) -> None:
        """Re-apply the formats (after an edit, or when the scopes changed)."""
        text = self.edit.text()
        cursor = self.edit.cursorPosition()
        attributes = []
        for start, end, _name, resolved in self.spans():
            begin = _utf16_index(text, start)
            length = _utf16_index(text, end) - begin
            attributes.append(
                QInputMethodEvent.Attribute(
                    QInputMethodEvent.AttributeType.TextFormat,
                    begin - cursor,
                    length,
                    self._format(resolved),
                )
            )
        event = QInputMethodEvent("", attributes)
        QCoreApplication.sendEvent(self.edit, event)

    def tooltip_at(self, position: QPoint) -> str:
        """The tooltip for the mouse at `position` (widget coordinates); "" off a variable."""
        text = self.edit.text()
        index = self.edit.cursorPositionAt(position)
        for start, end, name, _resolved in self.spans():
            if _utf16_index(text, start) <= index <= _utf16_index(text, end):
                return describe(name, self._scopes())
        return ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.edit and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.edit)
                return True
        return False

    @staticmethod
    def _format(resolved: bool) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if resolved:
            foreground, background = _RESOLVED[current_theme()]
            fmt.setForeground(QColor(foreground))
            fmt.setBackground(QColor(background))
        else:
            fmt.setForeground(QColor(colour("error")))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor(colour("error")))
        return fmt
