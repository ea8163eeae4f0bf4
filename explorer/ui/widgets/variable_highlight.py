"""`{{variable}}` highlighting and hover tooltips for the editors of a request.

QLineEdit has no QSyntaxHighlighter. It does keep character formats for input-method
pre-edit text, and an input-method event with an empty commit string sets formats on the
existing text without changing it (no undo step, no `textEdited`). That is what we use:
the text stays native (selection, cursor, clear button all keep working). Table cells
are painted by `variable_delegate.VariableDelegate`; text editors get a rule in their
`CodeHighlighter` and `TextVariableTips` for the hover.

Hovering a variable shows its resolved value and the scope that defines it; secret
values are masked. Unresolved names are drawn in the error colour with a wavy underline.

`highlight_variables(widget, scopes)` wires every editor inside `widget`: widgets with a
`set_variable_scopes(provider)` method are given the provider, other line edits get a
`VariableHighlighter`. `refresh_variables(widget)` re-colours them after the scopes
changed (another environment, a variable edited).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint
from PySide6.QtGui import QHelpEvent, QInputMethodEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QToolTip,
    QWidget,
)

from explorer.core.resolve.variables import (
    DYNAMIC_VALUES,
    REASON_TOO_COMPLEX,
    REASON_TOO_LARGE,
    Resolver,
    Scope,
    VariableProblem,
    find_variables,
    is_secret,
)
from explorer.ui.widgets.theme import Theme, palette

ScopesProvider = Callable[[], list[Scope]]
Span = tuple[int, int, str, bool]  # start, end (Python indices), name, resolved
MASK = "••••••••"
# The window resolves variables on the GUI thread at every keystroke (colours) and hover
# (tooltips), so it works within a much smaller budget than a send: a few milliseconds
# at worst. A value past it is described as too large to show, not computed.
DISPLAY_MAX_VALUE = 64 * 1024
DISPLAY_MAX_TOTAL = 512 * 1024
DISPLAY_MAX_WORK = 128 * 1024  # about 2 000 references: a few milliseconds
_INCONCLUSIVE = frozenset({REASON_TOO_LARGE, REASON_TOO_COMPLEX})  # past the display budget


def display_resolver(scopes: list[Scope]) -> Resolver:
    """A resolver bounded for the GUI thread (well under a frame, whatever the scopes)."""
    return Resolver(
        scopes,
        max_size=DISPLAY_MAX_VALUE,
        max_total=DISPLAY_MAX_TOTAL,
        max_work=DISPLAY_MAX_WORK,
    )


def describe(name: str, scopes: list[Scope], resolver: Resolver | None = None) -> str:
    """Tooltip text for one variable: value and scope, or why it has none (naming the
    variable at fault when it is another one, e.g. the end of a cycle)."""
    resolver = resolver or display_resolver(scopes)
    defined = _defining_scope(name, scopes)
    if defined is None:
        if name in DYNAMIC_VALUES:
            sample = DYNAMIC_VALUES[name]()
            return f"{{{{{name}}}}}: a new value at every send, e.g. {sample}"
        return f"{{{{{name}}}}} is not defined in {looked_in(scopes)}"
    value = resolver.value(name)
    problems = [_problem_line(p) for p in resolver.problems_of(name)]
    if value is None:
        shown = "(not expanded)"
    elif is_secret(name, scopes):
        shown = MASK
    else:
        shown = value if len(value) <= 200 else value[:199] + "…"
    lines = [f"{{{{{name}}}}} = {shown}", f"from {defined}", *problems]
    return "\n".join(lines)


def looked_in(scopes: list[Scope]) -> str:
    """The scopes a name was looked up in, as the window names them ("global, collection
    Shop or environment dev (Shop)"), and whether an environment is active at all."""
    names = [scope.name for scope in scopes] or ["any scope"]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    if not any(name.startswith("environment") for name in names):
        listed += " (no environment is selected)"
    return listed


def _problem_line(problem: VariableProblem) -> str:
    if problem.reason in _INCONCLUSIVE:
        return f"⚠ {{{{{problem.name}}}}} is {problem.reason} to show here"
    return f"⚠ {problem.message}"


def _defining_scope(name: str, scopes: list[Scope]) -> str | None:
    for scope in reversed(scopes):
        if name in scope.values:
            return scope.name
    return None


def utf16_index(text: str, index: int) -> int:
    """A Python index of `text` as Qt counts it (UTF-16 units)."""
    return len(text[:index].encode("utf-16-le")) // 2


_utf16_index = utf16_index  # the name used before this module was public


def variable_spans(text: str, scopes: list[Scope]) -> list[Span]:
    """(start, end, name, resolved) of each `{{name}}` in `text`, in Python indices.
    Dynamic values such as `{{$uuid}}` count as resolved; a variable that is undefined,
    part of a cycle or nested too deep does not. Bounded work (see `display_resolver`)."""
    if "{{" not in text:
        return []
    resolver = display_resolver(scopes)
    spans = []
    for span in find_variables(text):
        spans.append((span.start, span.end, span.name, _resolves(span.name, scopes, resolver)))
    return spans


def _resolves(name: str, scopes: list[Scope], resolver: Resolver) -> bool:
    if _defining_scope(name, scopes) is None:
        return name in DYNAMIC_VALUES
    resolver.value(name)
    # A value too large for the display budget may still be fine to send: not an error.
    return all(p.reason in _INCONCLUSIVE for p in resolver.problems_of(name))


def tooltip_at(text: str, qt_index: int, scopes: list[Scope], inclusive: bool = True) -> str:
    """The tooltip for the character at `qt_index` (UTF-16) of `text`; "" off a variable.
    `inclusive` also accepts the cursor position right after the closing braces."""
    for start, end, name, _resolved in variable_spans(text, scopes):
        begin, stop = utf16_index(text, start), utf16_index(text, end)
        if begin <= qt_index < stop or (inclusive and qt_index == stop):
            return describe(name, scopes)
    return ""


def variable_format(resolved: bool, theme: Theme | None = None) -> QTextCharFormat:
    """How a variable is drawn: the accent colour, or the error colour underlined."""
    colours = palette(theme)
    fmt = QTextCharFormat()
    if resolved:
        fmt.setForeground(colours.qcolor("variable_known"))
        fmt.setBackground(colours.qcolor("variable_known_background"))
    else:
        error = colours.qcolor("error")
        fmt.setForeground(error)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(error)
    return fmt


class VariableHighlighter(QObject):
    """Colours the variables of one QLineEdit and explains them on hover."""

    def __init__(self, edit: QLineEdit, scopes: ScopesProvider) -> None:
        super().__init__(edit)
        self.edit = edit
        self._scopes = scopes
        edit.textChanged.connect(self.refresh)
        edit.installEventFilter(self)
        self.refresh()

    def spans(self) -> list[Span]:
        """(start, end, name, resolved) of each variable, in Python indices."""
        return variable_spans(self.edit.text(), self._scopes())

    def refresh(self, *_args: object) -> None:
        """Re-apply the formats (after an edit, or when the scopes changed)."""
        text = self.edit.text()
        cursor = self.edit.cursorPosition()
        attributes = []
        for start, end, _name, resolved in self.spans():
            begin = utf16_index(text, start)
            length = utf16_index(text, end) - begin
            attributes.append(
                QInputMethodEvent.Attribute(
                    QInputMethodEvent.AttributeType.TextFormat,
                    begin - cursor,
                    length,
                    variable_format(resolved),
                )
            )
        if not attributes and "{{" not in text and not self.edit.property("_had_variables"):
            return  # nothing to colour and nothing to clear: spare the event
        self.edit.setProperty("_had_variables", bool(attributes))
        QCoreApplication.sendEvent(self.edit, QInputMethodEvent("", attributes))

    def tooltip_at(self, position: QPoint) -> str:
        """The tooltip for the mouse at `position` (widget coordinates); "" off a variable."""
        index = self.edit.cursorPositionAt(position)
        return tooltip_at(self.edit.text(), index, self._scopes())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.edit and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.edit)
                return True
        return False


class TextVariableTips(QObject):
    """Hover tooltips for the variables of a QPlainTextEdit (colouring is done by its
    highlighter)."""

    def __init__(self, editor: QPlainTextEdit, scopes: ScopesProvider) -> None:
        super().__init__(editor)
        self.editor = editor
        self.scopes = scopes
        editor.viewport().installEventFilter(self)

    def tooltip_at(self, position: QPoint) -> str:
        """The tooltip for the mouse at `position` (viewport coordinates)."""
        cursor = self.editor.cursorForPosition(position)
        block = cursor.block()
        # cursorForPosition rounds to the nearest gap; the character under the mouse is
        # the one before the gap when the mouse is on its right half.
        rect = self.editor.cursorRect(cursor)
        index = cursor.positionInBlock()
        if position.x() < rect.left() and index > 0:
            index -= 1
        return tooltip_at(block.text(), index, self.scopes(), inclusive=False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.editor.viewport())
            else:
                QToolTip.hideText()
            return True
        return False


def _wants_highlighter(edit: QLineEdit) -> bool:
    # Line edits inside a combo box or spin box hold methods, kinds and numbers.
    parent = edit.parentWidget()
    if isinstance(parent, (QComboBox, QAbstractSpinBox)):
        return False
    return not any(isinstance(child, VariableHighlighter) for child in edit.children())


def highlight_variables(root: QWidget, scopes: ScopesProvider) -> None:
    """Highlight variables in every editor inside `root` (idempotent)."""
    for widget in [root, *root.findChildren(QWidget)]:
        setter = getattr(widget, "set_variable_scopes", None)
        if callable(setter):
            setter(scopes)
    for edit in root.findChildren(QLineEdit):
        if _wants_highlighter(edit):
            VariableHighlighter(edit, scopes)


def refresh_variables(root: QWidget) -> None:
    """Re-colour the variables inside `root` after the scopes changed."""
    for highlighter in root.findChildren(VariableHighlighter):
        highlighter.refresh()
    for widget in [root, *root.findChildren(QWidget)]:
        refresh = getattr(widget, "refresh_variables", None)
        if callable(refresh):
            refresh()
