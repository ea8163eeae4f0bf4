"""The Tests tab: what a response is checked with, what it sets, and the scripts around
the send.

Three sections: the assertions and the captures (tables, `check_tables`), and the
pre-request and post-response Python scripts one above the other. Scripts another tool
wrote (Postman's JavaScript) that an import could not convert are shown read-only in a
fourth section, with a line saying they do not run. What the request inherits from its folders and
collection is listed read-only with where it comes from. The same editor serves folder
and collection settings.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSplitter, QTabWidget, QVBoxLayout, QWidget

from explorer.core.model import Assertion, Capture, Scripts
from explorer.core.resolve.inheritance import InheritedChecks
from explorer.ui.request.check_tables import (
    AssertionsTable,
    CapturesTable,
    describe_assertion,
    describe_capture,
)
from explorer.ui.request.raw_body_editor import CodeEdit
from explorer.ui.widgets.code_highlighter import CodeHighlighter
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fitting import follow_current_page
from explorer.ui.widgets.fonts import monospace_font
from explorer.ui.widgets.variable_highlight import ScopesProvider

ASSERTIONS, CAPTURES, SCRIPTS, KEPT = range(4)
_SECTION_NAMES = ("Assertions", "Captures", "Scripts", "Imported")
PRE_REQUEST, POST_RESPONSE = "pre-request", "post-response"
SCRIPT_HELP = (
    "Python, run in a separate process with a time limit, only in a collection you trust "
    "on this machine; output and errors go to the response's Console tab."
)
_SCRIPT_TITLES = {
    PRE_REQUEST: "Pre-request script: before the request is prepared and sent",
    POST_RESPONSE: "Post-response script: after the response and its assertions",
}
_SCRIPT_HINTS = {
    PRE_REQUEST: "# e.g. request.headers['X-Stamp'] = str(time.time())\n"
    "#      variables.set('id', '42')\n",
    POST_RESPONSE: "# e.g. with test('created'):\n"
    "#          expect(response.status).to_equal(201)\n",
}


class ScriptEdit(CodeEdit):
    """A Python editor: Enter after a line ending in `:` indents four more spaces."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)  # fmt: skip
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            cursor = self.textCursor()
            line = cursor.block().text()[: cursor.positionInBlock()]
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if line.rstrip().endswith(":"):
                indent += "    "
            cursor.insertText("\n" + indent)
            self.ensureCursorVisible()
            return
        super().keyPressEvent(event)


class TestsEditor(QWidget):
    """Edits assertions, captures and scripts; `changed` fires on every user edit."""

    changed = Signal()
    __test__ = False  # a widget, not a pytest class

    def __init__(self, parent: QWidget | None = None, what: str = "request") -> None:
        super().__init__(parent)
        self._what = what
        self._kept = Scripts()
        self.assertions_table = AssertionsTable(self)
        self.captures_table = CapturesTable(self)
        self.pre_edit = self._script_edit(PRE_REQUEST)
        self.post_edit = self._script_edit(POST_RESPONSE)
        self._highlighters = [CodeHighlighter(e.document(), "python")
                              for e in (self.pre_edit, self.post_edit)]  # fmt: skip
        self.script_notes = {
            PRE_REQUEST: MessageLabel("muted", self),
            POST_RESPONSE: MessageLabel("muted", self),
        }
        self.kept_view = QPlainTextEdit(self)
        self.kept_view.setReadOnly(True)
        self.kept_view.setFont(monospace_font())
        self.kept_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.kept_view.setAccessibleName("Imported scripts, not run")
        self.kept_note = MessageLabel("warning", self)
        self.kept_note.setAccessibleName("Imported scripts note")

        self.sections = QTabWidget(self)
        self.sections.setAccessibleName("Tests sections")
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.assertions_table, _SECTION_NAMES[ASSERTIONS])
        self.sections.addTab(self.captures_table, _SECTION_NAMES[CAPTURES])
        self.sections.addTab(self._scripts_page(), _SECTION_NAMES[SCRIPTS])
        kept_page = QWidget(self)
        kept_layout = QVBoxLayout(kept_page)
        kept_layout.setContentsMargins(0, 4, 0, 0)
        kept_layout.addWidget(self.kept_note)
        kept_layout.addWidget(self.kept_view, 1)
        self.sections.addTab(kept_page, _SECTION_NAMES[KEPT])
        self.sections.setTabVisible(KEPT, False)
        follow_current_page(self.sections)  # the Scripts page's height only when shown

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.sections, 1)
        self.assertions_table.changed.connect(self._on_edited)
        self.captures_table.changed.connect(self._on_edited)
        self.pre_edit.textChanged.connect(self._on_edited)
        self.post_edit.textChanged.connect(self._on_edited)
        self._update_titles()

    def _script_edit(self, phase: str) -> ScriptEdit:
        edit = ScriptEdit(self)
        edit.setAccessibleName(f"{phase.capitalize()} script")
        edit.setPlaceholderText(_SCRIPT_HINTS[phase])
        return edit

    def _scripts_page(self) -> QWidget:
        """Both scripts one above the other: they are read together."""
        page = QWidget(self)
        help_line = MessageLabel("muted", page)
        help_line.show_message(SCRIPT_HELP)
        splitter = QSplitter(Qt.Orientation.Vertical, page)
        splitter.setChildrenCollapsible(False)
        for phase, edit in ((PRE_REQUEST, self.pre_edit), (POST_RESPONSE, self.post_edit)):
            pane = QWidget(splitter)
            title = QLabel(_SCRIPT_TITLES[phase], pane)
            title.setWordWrap(True)  # a long title wraps rather than widen the pane
            title.setBuddy(edit)
            note = self.script_notes[phase]
            note.setParent(pane)
            note.setAccessibleName(f"Inherited {phase} scripts")
            edit.setParent(pane)
            pane_layout = QVBoxLayout(pane)
            pane_layout.setContentsMargins(0, 4, 0, 0)
            pane_layout.setSpacing(2)
            pane_layout.addWidget(title)
            pane_layout.addWidget(note)
            pane_layout.addWidget(edit, 1)
            splitter.addWidget(pane)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(help_line)
        layout.addWidget(splitter, 1)
        return page

    # -- value ---------------------------------------------------------------------------

    def value(self) -> tuple[tuple[Assertion, ...], tuple[Capture, ...], Scripts]:
        """The assertions, captures and scripts as edited (kept scripts unchanged)."""
        scripts = Scripts(
            pre_request=_script_text(self.pre_edit),
            post_response=_script_text(self.post_edit),
            kept_pre_request=self._kept.kept_pre_request,
            kept_post_response=self._kept.kept_post_response,
        )
        return self.assertions_table.rows(), self.captures_table.rows(), scripts

    def set_value(
        self, assertions: tuple[Assertion, ...], captures: tuple[Capture, ...], scripts: Scripts
    ) -> None:
        """Show these rows and scripts, without emitting `changed`."""
        self.blockSignals(True)
        try:
            self.assertions_table.set_rows(assertions)
            self.captures_table.set_rows(captures)
            for edit, text in ((self.pre_edit, scripts.pre_request),
                               (self.post_edit, scripts.post_response)):  # fmt: skip
                if edit.toPlainText() != text:
                    edit.setPlainText(text)
            self._show_kept(scripts)
        finally:
            self.blockSignals(False)
        self._update_titles()

    def problems(self) -> list[str]:
        """Nothing here stops a send: a row that cannot work fails when checked."""
        return []

    def add_assertion(self, assertion: Assertion) -> None:
        """Append `assertion`, show it selected and emit `changed`."""
        self.sections.setCurrentIndex(ASSERTIONS)
        self.assertions_table.add_row(assertion, 5)

    def add_capture(self, capture: Capture) -> None:
        """Append `capture`, show it selected and emit `changed`."""
        self.sections.setCurrentIndex(CAPTURES)
        self.captures_table.add_row(capture, 3)

    def set_inherited(self, inherited: InheritedChecks | None) -> None:
        """Show, read-only, what the request inherits (rows whose source is not itself)."""
        inherited = inherited or InheritedChecks()
        self.assertions_table.set_inherited([
            (describe_assertion(a), s.label) for a, s in inherited.assertions
            if s.kind != "request"
        ])  # fmt: skip
        self.captures_table.set_inherited([
            (describe_capture(c), s.label) for c, s in inherited.captures if s.kind != "request"
        ])  # fmt: skip
        for phase, attribute in ((PRE_REQUEST, "pre_request"),
                                 (POST_RESPONSE, "post_response")):  # fmt: skip
            sources = [(getattr(sc, attribute), s.label) for sc, s in inherited.scripts
                       if s.kind != "request" and getattr(sc, attribute)]  # fmt: skip
            note = self.script_notes[phase]
            if not sources:
                note.show_message("")
                continue
            # Outermost first, before the request's own, for both kinds of script.
            labels = ", then ".join(label for _text, label in sources)
            note.show_message(f"The script of {labels} runs first (hover to read it).")
            note.setToolTip("\n\n".join(f"# from {label}\n{text}" for text, label in sources))

    # -- variables -----------------------------------------------------------------------

    def set_variable_scopes(self, provider: ScopesProvider | None) -> None:
        """Highlight `{{variables}}` in the argument and expected cells."""
        self.assertions_table.set_variable_scopes(provider)
        self.captures_table.set_variable_scopes(provider)

    def refresh_variables(self) -> None:
        self.assertions_table.refresh_variables()
        self.captures_table.refresh_variables()

    # -- reactions -----------------------------------------------------------------------

    def _show_kept(self, scripts: Scripts) -> None:
        self._kept = scripts
        parts = []
        if scripts.kept_pre_request:
            parts.append("// Pre-request (kept from the import)\n" + scripts.kept_pre_request)
        if scripts.kept_post_response:
            parts.append("// Tests (kept from the import)\n" + scripts.kept_post_response)
        self.kept_view.setPlainText("\n\n".join(parts))
        self.kept_note.show_message(
            "These scripts came from an import and could not be converted into assertions "
            "or captures. They are kept (and written back on export) but never run here."
            if parts else ""
        )  # fmt: skip
        self.sections.setTabVisible(KEPT, bool(parts))

    def _on_edited(self) -> None:
        if self.signalsBlocked():
            return
        self._update_titles()
        self.changed.emit()

    def _update_titles(self) -> None:
        """Section titles say how much is in them, e.g. "Assertions (3)"."""
        counts = {
            ASSERTIONS: self.assertions_table.table.rowCount(),
            CAPTURES: self.captures_table.table.rowCount(),
        }
        for section, count in counts.items():
            name = _SECTION_NAMES[section]
            self.sections.setTabText(section, f"{name} ({count})" if count else name)
        written = sum(bool(e.toPlainText().strip()) for e in (self.pre_edit, self.post_edit))
        name = _SECTION_NAMES[SCRIPTS]
        self.sections.setTabText(SCRIPTS, f"{name} ({written})" if written else name)


def _script_text(edit: QPlainTextEdit) -> str:
    """A script as stored: empty when it holds only blank lines."""
    text = edit.toPlainText()
    return text if text.strip() else ""
