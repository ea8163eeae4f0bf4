"""The raw body page: a language, a highlighted text editor, JSON checked as you type and a
Prettify button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.core.http.prepare import RAW_CONTENT_TYPES
from explorer.core.text.body_text import TextProblem, json_problem, prettify
from explorer.ui.widgets.code_highlighter import CodeHighlighter
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fitting import fit_popup
from explorer.ui.widgets.fonts import monospace_font
from explorer.ui.widgets.theme import palette
from explorer.ui.widgets.variable_highlight import ScopesProvider, TextVariableTips

LANGUAGES = (
    ("JSON", "json"),
    ("XML", "xml"),
    ("HTML", "html"),
    ("Plain text", "text"),
    ("JavaScript", "javascript"),
)
PRETTIFIABLE = ("json", "xml")
CHECK_DELAY_MS = 250
# Past this size the as-you-type check would stall typing; Prettify still checks.
CHECK_LIMIT = 2_000_000


def language_of(content_type: str) -> str:
    """The editor language for a content type: application/vnd.api+json is "json"."""
    mime = content_type.split(";", 1)[0].strip().lower()
    for language, known in RAW_CONTENT_TYPES.items():
        if mime == known:
            return language
    for language in ("json", "xml", "html", "javascript"):
        if mime.endswith(("+" + language, "/" + language)):
            return language
    return "text"


class CodeEdit(QPlainTextEdit):
    """A plain text editor that keeps the indentation of the line above on Enter.

    Tab moves the focus on (keyboard users must be able to leave the editor); Prettify
    does the indenting.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = monospace_font()
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter continues the current indentation (one step deeper after { or [)."""
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            cursor = self.textCursor()
            line = cursor.block().text()[: cursor.positionInBlock()]
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if line.rstrip().endswith(("{", "[")):
                indent += "  "
            cursor.insertText("\n" + indent)
            self.ensureCursorVisible()
            return
        super().keyPressEvent(event)


class RawBodyEditor(QWidget):
    """Raw text with a content type; `changed` fires on every user edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem: TextProblem | None = None
        self.language_combo = QComboBox(self)
        for label, language in LANGUAGES:
            self.language_combo.addItem(label, RAW_CONTENT_TYPES[language])
        self.language_combo.setAccessibleName("Raw body language")
        fit_popup(self.language_combo)
        self.language_combo.setToolTip("Sets the Content-Type and the colouring")
        self.language_combo.currentIndexChanged.connect(self._on_language_changed)
        language_label = QLabel("&Language:", self)
        language_label.setBuddy(self.language_combo)
        self.prettify_button = QPushButton("&Prettify", self)
        self.prettify_button.setAccessibleName("Prettify body")
        self.prettify_button.setToolTip("Re-indent the JSON or XML (Ctrl+Z undoes)")
        self.prettify_button.clicked.connect(self.prettify)

        self.editor = CodeEdit(self)
        self.editor.setAccessibleName("Raw body text")
        self.editor.setPlaceholderText('{"title": "Learn REST"}')
        self.highlighter = CodeHighlighter(self.editor.document(), "json")
        self.variable_tips: TextVariableTips | None = None
        self.editor.textChanged.connect(self._on_text_changed)
        self.message = MessageLabel("error", self)
        self.message.setAccessibleName("Raw body problem")

        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_now)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(language_label)
        row.addWidget(self.language_combo)
        row.addStretch(1)
        row.addWidget(self.prettify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.message)
        self.setTabOrder(self.language_combo, self.prettify_button)
        self.setTabOrder(self.prettify_button, self.editor)
        self._on_language_changed(silent=True)

    # -- value -----------------------------------------------------------------------

    def text(self) -> str:
        """The body text."""
        return self.editor.toPlainText()

    def content_type(self) -> str:
        """The content type of the chosen language."""
        return self.language_combo.currentData() or ""

    def language(self) -> str:
        """ "json", "xml", "html", "javascript" or "text"."""
        return language_of(self.content_type())

    def set_value(self, text: str, content_type: str) -> None:
        """Show `text` as `content_type` (an unknown type is added to the list, not
        lost), without emitting `changed`."""
        self.blockSignals(True)
        try:
            content_type = content_type or RAW_CONTENT_TYPES["json"]
            index = self.language_combo.findData(content_type)
            if index < 0:
                self.language_combo.addItem(content_type, content_type)
                index = self.language_combo.count() - 1
            self.language_combo.setCurrentIndex(index)
            self._on_language_changed(silent=True)
            if text != self.editor.toPlainText():
                self.editor.setPlainText(text)
        finally:
            self.blockSignals(False)
        self.check_now()

    # -- variables -------------------------------------------------------------------

    def set_variable_scopes(self, provider: ScopesProvider | None) -> None:
        """Colour `{{variables}}` in the text and explain them on hover."""
        self.highlighter.set_variable_scopes(provider)
        if provider is None:
            return
        if self.variable_tips is None:
            self.variable_tips = TextVariableTips(self.editor, provider)
        self.variable_tips.scopes = provider

    def refresh_variables(self) -> None:
        """Re-colour the variables after the scopes changed."""
        if "{{" in self.editor.toPlainText():
            self.highlighter.rehighlight()

    # -- checking and prettifying --------------------------------------------------

    def problem(self) -> TextProblem | None:
        """The syntax error found by the last check, if any."""
        return self._problem

    def check_now(self) -> None:
        """Check the text now instead of after the typing pause."""
        self._check_timer.stop()
        text = self.text()
        self._problem = None
        if self.language() == "json" and len(text) <= CHECK_LIMIT:
            self._problem = json_problem(text)
        if self._problem is not None:
            self.message.show_message(
                f"{self._problem} (the body can still be sent as it is)", "error"
            )
        elif self.language() == "json" and len(text) > CHECK_LIMIT:
            too_large = "Too large to check as you type; Prettify checks it."
            self.message.show_message(too_large, "muted")
        else:
            self.message.show_message("")
        self._mark_error_line()

    def prettify(self) -> bool:
        """Re-indent JSON or XML in place (undoable). On a syntax error the text is left
        as it is and the error is shown; returns whether the text was prettified."""
        language = self.language()
        if language not in PRETTIFIABLE or not self.text().strip():
            return False
        try:
            pretty = prettify(language, self.text())
        except TextProblem as problem:
            self.message.show_message(f"Cannot prettify: {problem}", "error")
            return False
        if pretty != self.text():
            cursor = QTextCursor(self.editor.document())
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(pretty)
        self.check_now()
        return True

    def _mark_error_line(self) -> None:
        selections = []
        problem = self._problem
        block = self.editor.document().findBlockByNumber(problem.line - 1) if problem else None
        if block is not None and block.isValid():
            selection = QTextEdit.ExtraSelection()
            background = palette().qcolor("error")
            background.setAlpha(60)
            selection.format.setBackground(background)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = QTextCursor(block)
            selections.append(selection)
        self.editor.setExtraSelections(selections)

    # -- events ----------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow a theme switch (after the theme is recorded, hence the timer)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            QTimer.singleShot(0, self, self._follow_theme)

    def _follow_theme(self) -> None:
        self.highlighter.follow_theme()
        self._mark_error_line()

    def _on_text_changed(self) -> None:
        self._check_timer.start()
        if not self.signalsBlocked():
            self.changed.emit()

    def _on_language_changed(self, _index: int = 0, silent: bool = False) -> None:
        language = self.language()
        self.highlighter.set_language(language)
        self.prettify_button.setEnabled(language in PRETTIFIABLE)
        if not silent:
            self.check_now()
            self.changed.emit()
