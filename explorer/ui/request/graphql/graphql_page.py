"""The GraphQL page of the Body tab: the query with completion and inline problems, the
operation name (the document's operations offered), the variables (JSON, checked
against the operation), and the schema: fetched by introspection or read from an SDL
file, summarised in a status line and shown in the schema browser beside the editors.

Heavy work stays off the GUI thread: fetching and building the schema
(`explorer.qt.schema_fetch`), and validating the document, which runs on a background
queue when typing pauses; a stale result is dropped. graphql-core is imported with the
first schema or check, not when the Body tab is built.
"""

from __future__ import annotations

import functools
import itertools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QResizeEvent, QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import GraphQL
from explorer.qt.background import BackgroundQueue
from explorer.ui.request.graphql.highlighter import GraphQLHighlighter
from explorer.ui.request.graphql.query_edit import QueryEdit, python_index
from explorer.ui.request.graphql.schema_browser import SchemaBrowser
from explorer.ui.request.raw_body_editor import CodeEdit
from explorer.ui.widgets.code_highlighter import CodeHighlighter
from explorer.ui.widgets.elided_label import ElidedLabel
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.theme import palette
from explorer.ui.widgets.variable_highlight import ScopesProvider, utf16_index

if TYPE_CHECKING:
    from explorer.application.sending import PreparedSend
    from explorer.core.graphql.validation import Problem, Report
    from explorer.qt.schema_fetch import FetchedSchema, SchemaFetcher

CHECK_DELAY_MS = 300
# Narrower than this the schema browser starts hidden (the request pane at 1280×720 is
# about 470 px wide; side by side with it the query would get some 250).
WIDE_ENOUGH = 760
SDL_FILTER = "GraphQL schema (*.graphql *.graphqls *.gql *.sdl);;All files (*)"


class GraphQLPage(QWidget):
    """Edits a `GraphQL` body; `changed` fires on every user edit."""

    changed = Signal()
    checked = Signal()  # a validation result was shown (tests wait for it)
    schema_changed = Signal()  # a schema arrived, or a fetch failed (tests wait for it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Set by the request editor: the request being edited, prepared as a Send is
        # (None: the user declined); its URL as written; the collection folder.
        self.prepare_hook: Callable[[Callable[[PreparedSend | None], None]], None] | None = None
        self.url_hook: Callable[[], str] | None = None
        self.root_hook: Callable[[], Path | None] | None = None
        self._schema_file = ""
        self._fetched: FetchedSchema | None = None
        self._fetcher: SchemaFetcher | None = None
        self._checks: BackgroundQueue | None = None
        self._check_tickets = itertools.count(1)
        self._latest_check = 0
        self._report: Report | None = None
        self._reading_file = False  # the job in flight reads a file (not a fetch)
        self._schema_url = ""  # the request's URL (as written) when its schema came

        self.operation_combo = QComboBox(self)
        self.operation_combo.setEditable(True)
        self.operation_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.operation_combo.setAccessibleName("Operation name")
        line = self.operation_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText("the only one")
        self.operation_combo.setToolTip(
            "Which operation of the document runs (needed when it has several)"
        )
        self.operation_combo.setMinimumContentsLength(8)
        self.operation_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.operation_combo.currentTextChanged.connect(self._on_edited)
        operation_label = QLabel("&Operation:", self)
        operation_label.setBuddy(self.operation_combo)
        self.fetch_button = QPushButton("&Fetch schema", self)
        self.fetch_button.setToolTip(
            "Ask the request's URL for its schema (introspection), with its headers and auth"
        )
        self.fetch_button.setAccessibleName("Fetch the schema by introspection")
        self.fetch_button.clicked.connect(self.fetch_schema)
        self.load_button = QPushButton("Load &SDL…", self)
        self.load_button.setToolTip("Read the schema from a GraphQL SDL file")
        self.load_button.setAccessibleName("Load the schema from an SDL file")
        self.load_button.clicked.connect(self._choose_sdl)
        self.browser_button = QToolButton(self)
        self.browser_button.setText("Schema")
        self.browser_button.setCheckable(True)
        self.browser_button.setChecked(True)
        self.browser_button.setAccessibleName("Show the schema browser")
        self.browser_button.setToolTip("Show or hide the schema browser")
        self.browser_button.toggled.connect(self._show_browser)
        self.browser_button.clicked.connect(self._on_browser_clicked)
        self._browser_chosen = False  # the user showed or hid it: no longer automatic
        self.status = ElidedLabel("", self)
        self.status.setAccessibleName("Schema status")

        self.query_edit = QueryEdit(self)
        self.query_edit.setAccessibleName("GraphQL query")
        self.query_edit.setPlaceholderText("query {\n  items {\n    id\n  }\n}")
        self.highlighter = GraphQLHighlighter(self.query_edit.document())
        self.query_edit.textChanged.connect(self._on_edited)
        self.query_edit.setMinimumHeight(36)  # the page fits a short stacked pane
        self.query_message = MessageLabel("error", self)
        self.query_message.setAccessibleName("GraphQL query problem")
        self.variables_edit = CodeEdit(self)
        self.variables_edit.setAccessibleName("GraphQL variables")
        self.variables_edit.setPlaceholderText('{"id": "1"}')
        self.variables_highlighter = CodeHighlighter(self.variables_edit.document(), "json")
        self.variables_edit.textChanged.connect(self._on_edited)
        self.variables_edit.setMinimumHeight(30)
        self.variables_message = MessageLabel("error", self)
        self.variables_message.setAccessibleName("GraphQL variables problem")
        self.browser = SchemaBrowser(self)
        self.browser.insert_requested.connect(self.insert_skeleton)

        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_now)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.fetch_button)
        top.addWidget(self.load_button)
        top.addSpacing(6)
        top.addWidget(self.status, 1)
        top.addWidget(self.browser_button)
        query_box = _box("Query", self.query_edit, self.query_message, self)
        variables_box = _box(
            "Variables (JSON)",
            self.variables_edit,
            self.variables_message,
            self,
            operation_label,
            self.operation_combo,
        )
        self.editors = QSplitter(Qt.Orientation.Vertical, self)
        self.editors.addWidget(query_box)
        self.editors.addWidget(variables_box)
        self.editors.setStretchFactor(0, 3)
        self.editors.setStretchFactor(1, 1)
        self.editors.setChildrenCollapsible(False)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.setObjectName("graphqlSplit")
        self.split.addWidget(self.editors)
        self.split.addWidget(self.browser)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setCollapsible(0, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)
        self.setTabOrder(self.fetch_button, self.load_button)
        self.setTabOrder(self.load_button, self.browser_button)
        self.setTabOrder(self.browser_button, self.query_edit)
        self.setTabOrder(self.query_edit, self.operation_combo)
        self.setTabOrder(self.operation_combo, self.variables_edit)
        self._show_status("No schema: completion offers keywords only.", "muted")

    # -- value ---------------------------------------------------------------------------

    def value(self) -> GraphQL:
        """The body as edited."""
        return GraphQL(
            query=self.query_edit.toPlainText(),
            variables=self.variables_edit.toPlainText(),
            operation_name=self.operation_combo.currentText().strip(),
            schema_file=self._schema_file,
        )

    def set_value(self, graphql: GraphQL) -> None:
        """Show `graphql`, without emitting `changed`; its schema file is read."""
        self.blockSignals(True)
        try:
            if graphql.query != self.query_edit.toPlainText():
                self.query_edit.setPlainText(graphql.query)
            if graphql.variables != self.variables_edit.toPlainText():
                self.variables_edit.setPlainText(graphql.variables)
            self.operation_combo.setCurrentText(graphql.operation_name)
            file_changed = graphql.schema_file != self._schema_file
            self._schema_file = graphql.schema_file
        finally:
            self.blockSignals(False)
        if file_changed and graphql.schema_file:
            self.load_schema_file()
        elif file_changed and self._fetched is not None and self._fetched.from_file:
            self._forget_schema()  # another request's file
        if not graphql.schema_file:
            # Another request may be shown in this tab now: its URL is set after its body.
            QTimer.singleShot(0, self, self._follow_url)
        if graphql.query.strip():  # an empty page (another body kind) loads no GraphQL
            self._check_timer.start()

    def set_variable_scopes(self, provider: ScopesProvider | None) -> None:
        """Colour `{{variables}}` in the query and the variables."""
        self.highlighter.set_variable_scopes(provider)
        self.variables_highlighter.set_variable_scopes(provider)

    @property
    def schema_file(self) -> str:
        return self._schema_file

    # -- the schema ----------------------------------------------------------------------

    def _fetcher_(self) -> SchemaFetcher:
        if self._fetcher is None:
            from explorer.qt.schema_fetch import SchemaFetcher

            self._fetcher = SchemaFetcher(self)
            self._fetcher.fetched.connect(self._on_schema)
            self._fetcher.failed.connect(self._on_schema_failed)
        return self._fetcher

    @property
    def fetcher(self) -> SchemaFetcher:
        """The page's fetcher (made on first use)."""
        return self._fetcher_()

    def fetched(self) -> FetchedSchema | None:
        """The schema in use and where it came from."""
        return self._fetched

    def fetch_schema(self) -> None:
        """Ask the request's URL for its schema, prepared as a Send (off the GUI thread)."""
        if self.prepare_hook is None:
            self._show_status("No request to ask: open the page from a request tab.", "error")
            return
        self.fetch_button.setEnabled(False)  # until the request is prepared
        self.prepare_hook(self._fetch_prepared)

    def _fetch_prepared(self, prepared: PreparedSend | None) -> None:
        self.fetch_button.setEnabled(True)
        if prepared is None:
            return  # the user chose not to send it (or its token could not be had)
        url = prepared.request.url.strip()
        if not url:
            self._show_status("Enter the GraphQL endpoint's URL first.", "error")
            return
        self._show_status(f"Fetching the schema from {url}…", "muted")
        self.fetch_button.setEnabled(False)
        self._reading_file = False
        self.fetcher.fetch(prepared)

    def _choose_sdl(self) -> None:
        root = self.root_hook() if self.root_hook is not None else None
        path, _filter = QFileDialog.getOpenFileName(
            self, "Load a GraphQL schema (SDL)", str(root or Path.home()), SDL_FILTER
        )
        if path:
            self.load_sdl(Path(path))

    def load_sdl(self, path: Path) -> None:
        """Use the SDL file at `path`: kept as the body's schema file (relative to the
        collection folder when it is inside it) and read off the GUI thread."""
        from explorer.core.resolve.file_access import is_inside

        root = self.root_hook() if self.root_hook is not None else None
        stored = str(path)
        if root is not None and is_inside(path, root):
            stored = str(path.resolve().relative_to(root.resolve()))
        if stored != self._schema_file:
            self._schema_file = stored
            self.changed.emit()
        self.load_schema_file()

    def _schema_path(self) -> Path | None:
        if not self._schema_file:
            return None
        path = Path(self._schema_file).expanduser()
        if not path.is_absolute():
            root = self.root_hook() if self.root_hook is not None else None
            if root is None:
                return None
            path = root / path
        return path

    def load_schema_file(self) -> None:
        """Read the body's schema file (relative: inside the collection folder)."""
        path = self._schema_path()
        if path is None:
            self._show_status(
                f"The schema file {self._schema_file} is relative, and this request is in "
                "no collection.",
                "error",
            )
            return
        root = self.root_hook() if self.root_hook is not None else None
        if root is not None and not _inside(path, root):
            self._show_status(
                f"Schema file not read: {path} is outside the collection folder.", "error"
            )
            return
        self._show_status(f"Reading the schema from {path.name}…", "muted")
        self._reading_file = True
        self.fetcher.load(path)

    def _on_schema(self, fetched: FetchedSchema) -> None:
        from explorer.core.graphql.schema import schema_summary, user_types
        from explorer.qt.schema_fetch import remember

        self.fetch_button.setEnabled(True)
        if not fetched.from_file and self.url_hook is not None:
            remember(fetched, self.url_hook())  # found again by the URL as written
        self._use(fetched)
        verb = "read" if fetched.from_file else "fetched"
        source = Path(fetched.source).name if fetched.from_file else fetched.source
        moment = time.strftime("%H:%M", time.localtime(fetched.at))
        count = len(user_types(fetched.schema))
        self._show_status(f"Schema: {count} types from {source}, {verb} {moment}", "muted")
        self.browser.search.setToolTip(schema_summary(fetched.schema))
        self.schema_changed.emit()

    def _use(self, fetched: FetchedSchema) -> None:
        self._fetched = fetched
        self._schema_url = self.url_hook().strip() if self.url_hook is not None else ""
        self.query_edit.schema = fetched.schema
        self.browser.set_schema(fetched.schema)
        self.check_now()

    def _on_schema_failed(self, message: str) -> None:
        self.fetch_button.setEnabled(True)
        prefix = "Schema file not read" if self._reading_file else "Schema not fetched"
        kept = " (the schema in use is kept)" if self._fetched is not None else ""
        self._show_status(f"{prefix}: {message}{kept}", "error")
        self.schema_changed.emit()

    def _show_browser(self, shown: bool) -> None:
        self.browser.setVisible(shown)
        vertical = self.split.orientation() == Qt.Orientation.Vertical
        length = self.split.height() if vertical else self.split.width()
        if shown and length > 0:  # under the editors it leaves the query more room
            browser = length * 2 // 5 if not vertical else length * 2 // 5 - length // 15
            self.split.setSizes([length - browser, browser])

    def _arrange(self, wide: bool) -> None:
        """Wide: the browser beside the editors; narrow: under them."""
        beside = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.split.orientation() != beside:
            self.split.setOrientation(beside)

    def _on_browser_clicked(self, _checked: bool) -> None:
        self._browser_chosen = True

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """On a narrow page the browser goes under the editors, and waits behind the
        Schema button until asked for (beside them it would squeeze the query)."""
        super().resizeEvent(event)
        wide = event.size().width() >= WIDE_ENOUGH
        self._arrange(wide)
        if not self._browser_chosen and self.browser_button.isChecked() != wide:
            self.browser_button.setChecked(wide)

    def _show_status(self, text: str, role: str) -> None:
        colours = palette()
        status_palette = self.status.palette()
        status_palette.setColor(QPalette.ColorRole.WindowText, colours.qcolor(role))
        self.status.setPalette(status_palette)
        self.status.setProperty("role", role)
        self.status.setText(text)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """A schema fetched this session from the same URL is used at once."""
        super().showEvent(event)
        self._follow_url()

    def _follow_url(self) -> None:
        """The schema of the request's URL: the one fetched from it this session, or
        none (a schema of another URL is not kept: it would complete wrong names)."""
        if self._schema_file or self.url_hook is None:
            return
        url = self.url_hook().strip()
        if url == self._schema_url and self._fetched is not None:
            return
        from explorer.qt.schema_fetch import cached

        known = cached(url) if url else None
        if known is not None:
            self._on_schema(known)
        elif self._fetched is not None:
            self._forget_schema()

    def _forget_schema(self) -> None:
        self._fetched = None
        self._schema_url = ""
        self.query_edit.schema = None
        self.browser.set_schema(None)
        self._show_status("No schema: completion offers keywords only.", "muted")
        self.check_now()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow a theme switch (after it is recorded, hence the timer)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            QTimer.singleShot(0, self, self._follow_theme)

    def _follow_theme(self) -> None:
        self.highlighter.follow_theme()
        self.variables_highlighter.follow_theme()
        self._show_status(self.status.text(), str(self.status.property("role") or "muted"))
        if self._report is not None:
            self._show_report(self._report)

    # -- checking ------------------------------------------------------------------------

    def check_now(self) -> None:
        """Validate the document against the schema now, on a background queue."""
        from explorer.core.graphql.validation import validate_document

        self._check_timer.stop()
        if self._checks is None:
            self._checks = BackgroundQueue(self)
        ticket = self._latest_check = next(self._check_tickets)
        schema = self._fetched.schema if self._fetched is not None else None
        query = self.query_edit.toPlainText()
        variables = self.variables_edit.toPlainText()
        operation = self.operation_combo.currentText().strip()
        self._checks.run(
            lambda: validate_document(schema, query, variables, operation),
            functools.partial(self._on_checked, ticket),
        )

    def wait_for_checks(self, msecs: int = 5000) -> bool:
        """Block until queued checks have run (tests)."""
        return self._checks.wait(msecs) if self._checks is not None else True

    def report(self) -> Report | None:
        """The last validation result shown."""
        return self._report

    def _on_checked(self, ticket: int, report: object) -> None:
        from explorer.core.graphql.validation import Report

        if ticket != self._latest_check or not isinstance(report, Report):
            return
        self._report = report
        self._show_report(report)
        self._offer_operations(report.operation_names)
        self.checked.emit()

    def _show_report(self, report: Report) -> None:
        query = [p for p in report.problems if p.where == "query"]
        variables = [p for p in report.problems if p.where == "variables"]
        self.query_edit.set_problems(query)
        self.query_message.show_message(_summary(query))
        self.variables_message.show_message(_summary(variables))

    def _offer_operations(self, names: tuple[str, ...]) -> None:
        combo = self.operation_combo
        offered = tuple(combo.itemText(i) for i in range(combo.count()))
        if offered == names:
            return
        text = combo.currentText()
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItems(list(names))
            combo.setCurrentText(text)
        finally:
            combo.blockSignals(False)

    # -- skeletons -----------------------------------------------------------------------

    def insert_skeleton(self, type_name: str, field_name: str) -> None:
        """A query for `type_name.field_name` from the browser: the whole operation into
        an empty editor; the field alone at the cursor when it is in a selection set of
        that type (its variables declared by the operation there); else the operation
        after the document, chosen as the one to send. Its variables join the JSON."""
        from explorer.core.graphql.skeleton import insertion, operation_kind, skeleton

        if self._fetched is None:
            return
        made = skeleton(self._fetched.schema, type_name, field_name)
        if made is None:
            return
        query = self.query_edit.toPlainText()
        cursor = QTextCursor(self.query_edit.document())
        at = python_index(query, self.query_edit.textCursor().position())
        edits = insertion(self._fetched.schema, query, at, type_name, made) if query else None
        if edits is None and not operation_kind(self._fetched.schema, type_name):
            # A field of Item has a place only inside a selection of Item.
            self.query_message.show_message(
                f"To insert {type_name}.{field_name}, put the cursor inside a selection "
                f"of {type_name} (the fields of Query, Mutation or Subscription start a query)."
            )
            return
        if not query.strip():
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(made.operation)
        elif edits is not None:  # into the selection set at the cursor: one undo step
            cursor.beginEditBlock()
            for index, text in sorted(edits, key=lambda edit: -edit[0]):
                cursor.setPosition(utf16_index(query, index))
                cursor.insertText(text)
            cursor.endEditBlock()
            end = edits[0][0] + len(edits[0][1])
            end += sum(len(text) for index, text in edits[1:] if index <= edits[0][0])
            cursor.setPosition(utf16_index(self.query_edit.toPlainText(), end))
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(("\n" if query.endswith("\n") else "\n\n") + made.operation)
            name = made.operation.split("(", 1)[0].split("{", 1)[0].split()[-1]
            self.operation_combo.setCurrentText(name)
        self.query_edit.setTextCursor(cursor)
        self._add_variables(made.variables)
        self.query_edit.setFocus()
        self.check_now()

    def _add_variables(self, values: dict[str, object]) -> None:
        if not values:
            return
        text = self.variables_edit.toPlainText()
        try:
            current = json.loads(text) if text.strip() else {}
        except ValueError:
            self.variables_message.show_message(
                "The new query's variables were not added: the JSON does not parse."
            )
            return
        if not isinstance(current, dict):
            return
        merged = {**values, **current}  # what the user wrote stays
        if merged == current:
            return
        cursor = QTextCursor(self.variables_edit.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(json.dumps(merged, indent=2))

    # -- edits ---------------------------------------------------------------------------

    def _on_edited(self, *_args: object) -> None:
        self._check_timer.start()
        if not self.signalsBlocked():
            self.changed.emit()


def _inside(path: Path, root: Path) -> bool:
    from explorer.core.resolve.file_access import is_inside

    return is_inside(path, root)


def _summary(problems: list[Problem]) -> str:
    if not problems:
        return ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}"


def _box(
    title: str, editor: QWidget, message: QWidget, parent: QWidget, *beside: QWidget
) -> QWidget:
    """A titled editor with its message line; `beside` go at the right of the title."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    label = QLabel(title, box)
    label.setBuddy(editor)
    header = QHBoxLayout()
    header.setContentsMargins(0, 0, 0, 0)
    header.addWidget(label)
    header.addStretch(1)
    for widget in beside:
        header.addWidget(widget)
    layout.addLayout(header)
    layout.addWidget(editor, 1)
    layout.addWidget(message)
    return box
