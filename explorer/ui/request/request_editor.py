"""The request editor: method, URL and Send on one line (the request line, which the tab lays
across its whole width), then a tab per part of the request.

Params is built at once because it shows with the window; Headers, Body, Auth,
Settings and Tests are built the first time they are opened (or asked for), so start-up only pays
for what is on screen. Until then their part of the request is kept as data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import STANDARD_METHODS, WEBSOCKET_METHOD, BodyKind, Pair, Request
from explorer.core.urls import (
    join_url,
    merge_params,
    merge_path_params,
    split_url,
    with_default_scheme,
)
from explorer.ui.widgets.fitting import size_by_current_page
from explorer.ui.widgets.key_value_table import KeyValueTable

if TYPE_CHECKING:  # the parts are imported when their tab is first shown
    from pathlib import Path

    from explorer.application.sending import PreparedSend
    from explorer.core.resolve.inheritance import InheritedChecks
    from explorer.ui.request.auth_editor import AuthEditor
    from explorer.ui.request.body_editor import BodyEditor
    from explorer.ui.request.docs_editor import DocsEditor
    from explorer.ui.request.headers_editor import HeadersEditor
    from explorer.ui.request.settings_editor import SettingsEditor
    from explorer.ui.request.tests_editor import TestsEditor
    from explorer.ui.request.websocket.messages_page import MessagesPage

    Part = HeadersEditor | BodyEditor | AuthEditor | SettingsEditor | TestsEditor | DocsEditor

_PARAMS, _HEADERS, _BODY, _AUTH, _SETTINGS, _TESTS, _DOCS = range(7)
# The method and the URL are written larger than the rest (11 pt at the usual 9 pt).
_REQUEST_LINE_SCALE = 11 / 9
_TAB_NAMES = ("Params", "Headers", "Body", "Auth", "Settings", "Tests", "Docs")
# Text that stands on its own as a request: a URL with a scheme, or a curl command.
_WHOLE_URL = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.-]*://|curl\s)")
# A WebSocket address: typing one makes the request a WebSocket (method WS).
_WEBSOCKET_URL = re.compile(r"^\s*wss?://", re.IGNORECASE)
# For a WebSocket request the Body tab's place shows its Messages (websocket/).
_MESSAGES_NAME = "Messages"


class RequestEditor(QWidget):
    """Edits one `Request`. Emits `send_requested` / `cancel_requested` from its button."""

    send_requested = Signal()
    cancel_requested = Signal()
    changed = Signal()
    # A WebSocket request's saved message to send now over its open connection.
    message_send_requested = Signal(object)
    tls_verification_changed = Signal(bool)

    # Set by the workspace: extra read-only header rows (inherited from folders and the
    # collection) as (name, value, source), shown with the automatic ones.
    inherited_headers: Callable[[Request], list[tuple[str, str, str]]] | None = None
    # Set by the workspace: the assertions, captures and scripts the request inherits
    # from its folders and collection, shown read-only in the Tests tab.
    inherited_checks: Callable[[Request], InheritedChecks | None] | None = None
    # Set by the workspace: the variable scopes of this request, so each part built
    # later highlights `{{variables}}` too (see variable_highlight.highlight_variables).
    variable_scopes: Callable[[], list] | None = None
    # Set by the workspace: prepares the request as a Send would (its OAuth 2.0 token
    # got first, off the GUI thread) and calls back with it (None: the user said no), and
    # names its collection folder; the GraphQL body fetches its schema with them.
    prepare_hook: Callable[[Request, Callable[[PreparedSend | None], None]], None] | None = None
    collection_root: Callable[[], Path | None] | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self._state = Request()  # the parts whose tab is not built yet
        self._built: dict[int, Part] = {}
        self._building = False
        self._titles: list[str] = []  # the tab labels in full (see _fit_tab_titles)
        self._websocket = False  # the Messages page is in the Body tab's place
        self._messages: MessagesPage | None = None  # built for the first WS request
        self._connected = False  # a WebSocket of this request is open (set by the tab)

        self.method_combo = QComboBox(self)
        self.method_combo.setObjectName("methodCombo")
        self.method_combo.setEditable(True)
        self.method_combo.addItems(STANDARD_METHODS)
        self.method_combo.addItem(WEBSOCKET_METHOD)
        self.method_combo.setItemData(
            len(STANDARD_METHODS), "WebSocket (ws:// or wss://)", Qt.ItemDataRole.ToolTipRole
        )
        self.method_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.method_combo.setMinimumWidth(110)
        self.method_combo.setAccessibleName("Method")
        self.method_combo.setAccessibleDescription(
            "HTTP method: pick one or type any method token, such as PURGE"
        )
        self._method_line().textEdited.connect(self._on_method_edited)
        self.method_combo.currentTextChanged.connect(lambda _t: self._on_part_changed())

        self.url_edit = QLineEdit(self)
        self.url_edit.installEventFilter(self)
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setPlaceholderText(
            "Enter a URL, or paste a curl command, e.g. {{base_url}}/api/todos"
        )
        self.url_edit.setAccessibleName("URL")
        self.url_edit.setClearButtonEnabled(True)
        self.url_edit.returnPressed.connect(self.send_requested)
        self._syncing_url = False
        self._prefill = ""  # a suggested URL the user has not edited yet (see prefill_url)
        self.url_edit.textChanged.connect(self._on_url_changed)
        self.url_edit.textEdited.connect(self._on_url_edited)

        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName("Send")
        self.send_button.setToolTip("Send the request (Ctrl+Enter)")
        self.send_button.clicked.connect(self._on_send_clicked)

        self.scheme_note = QLabel("", self)
        self.scheme_note.setObjectName("schemeNote")
        self.scheme_note.setAccessibleName("URL note")
        self.scheme_note.setWordWrap(True)
        self.scheme_note.setVisible(False)
        self.tls_warning = QLabel(
            "⚠ TLS certificate verification is off for this request (Settings tab).", self
        )
        self.tls_warning.setObjectName("warningNote")
        self.tls_warning.setWordWrap(True)
        self.tls_warning.setAccessibleName("TLS verification warning")
        self.tls_warning.setVisible(False)

        self.params_table = KeyValueTable("Query parameters", parent=self)
        self.params_table.changed.connect(self._on_params_edited)
        self._path_params_table: KeyValueTable | None = None  # see path_params_table

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Request parts")
        self.tabs.addTab(self._params_page(), _TAB_NAMES[_PARAMS])
        for index in range(_HEADERS, _DOCS + 1):
            self.tabs.addTab(QWidget(self.tabs), _TAB_NAMES[index])
        self.tabs.currentChanged.connect(self._on_tab_changed)
        size_by_current_page(self.tabs)

        self._automatic_timer = QTimer(self)
        self._automatic_timer.setSingleShot(True)
        self._automatic_timer.setInterval(150)
        self._automatic_timer.timeout.connect(self._refresh_derived)

        self._enlarge_request_line()
        self.request_line = self._build_request_line()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.request_line)
        layout.addWidget(self.tabs, 1)
        self._layout = layout
        self.setTabOrder(self.method_combo, self.url_edit)
        self.setTabOrder(self.url_edit, self.send_button)
        self.setTabOrder(self.send_button, self.tabs)

    def _build_request_line(self) -> QWidget:
        """Method, URL and Send on one row, the URL's notes under it. The editor shows it
        above its tabs until a window takes it (`take_request_line`) to lay it across
        the whole tab, above the request/response split, where real URLs fit."""
        line = QWidget(self)
        line.setObjectName("requestLine")
        line.setAccessibleName("Request line")
        for child in (self.method_combo, self.url_edit, self.send_button):
            child.setParent(line)
        self.scheme_note.setParent(line)
        self.tls_warning.setParent(line)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.method_combo)
        row.addWidget(self.url_edit, 1)
        row.addWidget(self.send_button)
        self._line_row = row
        column = QVBoxLayout(line)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(row)
        column.addWidget(self.scheme_note)
        column.addWidget(self.tls_warning)
        return line

    def take_request_line(self) -> QWidget:
        """Hand the request line over to be laid out elsewhere (the tab puts it above
        its split); the editor keeps only its tabs. Its widgets stay the editor's
        attributes, so signals, shortcuts and the keyboard order are unchanged."""
        self._layout.removeWidget(self.request_line)
        return self.request_line

    def add_to_request_line(self, widget: QWidget) -> None:
        """Put a small control (the split toggle) at the end of the method/URL/Send row."""
        widget.setParent(self.request_line)
        self._line_row.addWidget(widget)

    # --- the lazily built parts ---------------------------------------------------------

    @property
    def headers_editor(self) -> HeadersEditor:
        return cast("HeadersEditor", self._page(_HEADERS))

    @property
    def body_editor(self) -> BodyEditor:
        return cast("BodyEditor", self._page(_BODY))

    @property
    def auth_editor(self) -> AuthEditor:
        return cast("AuthEditor", self._page(_AUTH))

    @property
    def settings_editor(self) -> SettingsEditor:
        return cast("SettingsEditor", self._page(_SETTINGS))

    @property
    def tests_editor(self) -> TestsEditor:
        return cast("TestsEditor", self._page(_TESTS))

    @property
    def docs_editor(self) -> DocsEditor:
        return cast("DocsEditor", self._page(_DOCS))

    def show_tests(self) -> TestsEditor:
        """Bring the Tests tab to the front (after "Assert this" added a row to it)."""
        editor = self.tests_editor
        self.tabs.setCurrentIndex(_TESTS)
        return editor

    def _page(self, index: int) -> Part:
        if index not in self._built:
            self._build_page(index)
        return self._built[index]

    def _build_page(self, index: int) -> None:
        state = self._state
        page: Part
        if index == _HEADERS:
            from explorer.ui.request.headers_editor import HeadersEditor

            page = HeadersEditor(self.tabs)
            page.set_value(state.headers)
        elif index == _BODY:
            from explorer.ui.request.body_editor import BodyEditor

            page = BodyEditor(self.tabs)
            page.set_value(state.body)
            self._connect_graphql(page)
        elif index == _AUTH:
            from explorer.ui.request.auth_editor import AuthEditor

            page = AuthEditor(self.tabs)
            page.set_inherit_allowed(True)
            page.set_value(state.auth)
        elif index == _TESTS:
            from explorer.ui.request.tests_editor import TestsEditor

            page = TestsEditor(self.tabs)
            page.set_value(state.assertions, state.captures, state.scripts)
        elif index == _DOCS:
            from explorer.ui.request.docs_editor import DocsEditor

            page = DocsEditor(self.tabs)
            page.set_value(state.description)
        else:
            from explorer.ui.request.settings_editor import SettingsEditor

            page = SettingsEditor(self.tabs)
            page.set_value(state.options)
            page.tls_verification_changed.connect(self._on_tls_changed)
        page.changed.connect(self._on_part_changed)
        page.setAccessibleName(f"{_TAB_NAMES[index]} editor")
        self._built[index] = page
        if index == _BODY and self._websocket:  # the Messages page holds its place
            page.hide()
            return
        self._building = True
        try:
            current = self.tabs.currentIndex()
            placeholder = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, _TAB_NAMES[index])
            self.tabs.setCurrentIndex(current)
            if placeholder is not None:
                placeholder.deleteLater()
        finally:
            self._building = False
        self._update_tab_titles()  # the new tab was inserted under its bare name
        size_by_current_page(self.tabs)
        if index == _HEADERS:
            self._refresh_automatic_headers()
        if index == _TESTS:
            self.refresh_inherited_checks()
        if self.variable_scopes is not None:
            from explorer.ui.widgets.variable_highlight import highlight_variables

            highlight_variables(page, self.variable_scopes)

    def _connect_graphql(self, page: BodyEditor) -> None:
        page.kind_chosen.connect(self._on_body_kind_chosen)
        graphql = page.graphql_page
        graphql.prepare_hook = self._prepared_for_schema
        graphql.url_hook = self.url_edit.text
        graphql.root_hook = lambda: self.collection_root() if self.collection_root else None

    def _on_body_kind_chosen(self, kind: str) -> None:
        # Choosing GraphQL on a GET (what a new request starts with) makes it a POST, as
        # other clients do: GET sends the operation as query parameters, which servers
        # refuse for a mutation. Any other method the user chose stays.
        if kind == BodyKind.GRAPHQL and self.method_combo.currentText().strip() == "GET":
            self.method_combo.setCurrentText("POST")

    def _prepared_for_schema(self, done: Callable[[PreparedSend | None], None]) -> None:
        """The request as it would be sent, for the GraphQL body's schema fetch: `done`
        is called with it, at once or later (None: not to be sent)."""
        request = self.request()
        if self.prepare_hook is not None:
            self.prepare_hook(request, done)
            return
        from explorer.application.sending import PreparedSend

        done(PreparedSend.as_is(request))

    def _on_tab_changed(self, index: int) -> None:
        if index == _BODY and self._websocket:
            pass  # the Messages page, built already
        elif not self._building and index in (_HEADERS, _BODY, _AUTH, _SETTINGS, _TESTS, _DOCS):
            self._page(index)
        size_by_current_page(self.tabs)

    # --- the request --------------------------------------------------------------------

    def request(self) -> Request:
        """The request as currently edited."""
        base, typed = split_url(self.url_edit.text().strip())
        state = self._state
        built = self._built
        assertions, captures, scripts = (
            self.tests_editor.value()
            if _TESTS in built
            else (state.assertions, state.captures, state.scripts)
        )
        return replace(
            state,
            method=self.method_combo.currentText().strip().upper() or "GET",
            url=base,
            params=merge_params(self.params_table.pairs(), typed),
            path_params=tuple(p for p in self._path_params() if p.name),
            headers=self.headers_editor.value() if _HEADERS in built else state.headers,
            body=self.body_editor.value() if _BODY in built else state.body,
            auth=self.auth_editor.value() if _AUTH in built else state.auth,
            options=self.settings_editor.value() if _SETTINGS in built else state.options,
            assertions=assertions,
            captures=captures,
            scripts=scripts,
            description=self.docs_editor.value() if _DOCS in built else state.description,
            stream=self._messages.value() if self._messages is not None else state.stream,
        )

    def set_request(self, request: Request) -> None:
        """Show `request` in the editor."""
        self._state = request
        self._prefill = ""
        self.method_combo.setCurrentText(request.method)
        self.params_table.set_pairs(request.params)
        self._syncing_url = True
        try:
            self.url_edit.setText(join_url(request.url, request.params))
        finally:
            self._syncing_url = False
        self._sync_path_params(request.url, request.path_params)
        built = self._built  # the parts not built yet read `_state` when they are
        if _HEADERS in built:
            self.headers_editor.set_value(request.headers)
        if _BODY in built:
            self.body_editor.set_value(request.body)
        if _AUTH in built:
            self.auth_editor.set_value(request.auth)
        if _SETTINGS in built:
            self.settings_editor.set_value(request.options)
        if _TESTS in built:
            self.tests_editor.set_value(request.assertions, request.captures, request.scripts)
        if _DOCS in built:
            self.docs_editor.set_value(request.description)
        if self._messages is not None:
            self._messages.set_value(request.stream)
        self._sync_websocket()
        self._show_tls_warning(not request.options.verify_tls)
        self._refresh_derived()

    def problems(self) -> list[str]:
        """What the user should fix before sending (empty when all is well)."""
        found: list[str] = []
        for index, page in self._built.items():
            if not (index == _BODY and self._websocket):
                found += page.problems()
        if self._websocket and self._messages is not None:
            found += self._messages.problems()
        return found

    def apply_default_scheme(self) -> bool:
        """Add http:// to a URL typed without a scheme, visibly. True when it changed."""
        typed = self.url_edit.text().strip()
        fixed = with_default_scheme(typed)
        if fixed == typed:
            self.scheme_note.setVisible(False)
            return False
        self.url_edit.setText(fixed)
        self.show_note("No scheme was given, so http:// was added to the URL.")
        return True

    def show_note(self, text: str) -> None:
        """A short message under the URL row (empty text hides it)."""
        self.scheme_note.setText(text)
        self.scheme_note.setVisible(bool(text))

    def set_busy(self, busy: bool, connected: bool = False) -> None:
        """Turn Send into Cancel while a request runs. A WebSocket request's button reads
        Connect, Cancel while it connects, Disconnect once `connected`."""
        self._busy = busy
        self._connected = busy and connected
        if self._messages is not None:
            self._messages.set_connected(self._connected)
        self._label_send_button()

    def _label_send_button(self) -> None:
        busy = self._busy
        if self._connected:
            text, tip = "Disconnect", "Close the WebSocket (code 1000)"
        elif busy:
            text, tip = "Cancel", "Cancel the running request (Esc)"
        elif self._websocket:
            text, tip = "Connect", "Open the WebSocket (Ctrl+Enter)"
        else:
            text, tip = "Send", "Send the request (Ctrl+Enter)"
        self.send_button.setText(text)
        # The stylesheet colours Cancel differently; re-polish so it applies now.
        self.send_button.setProperty("busy", busy)
        self.send_button.style().unpolish(self.send_button)
        self.send_button.style().polish(self.send_button)
        self.send_button.setAccessibleName(text)
        self.send_button.setToolTip(tip)

    @property
    def busy(self) -> bool:
        return self._busy

    # --- pages and sync -----------------------------------------------------------------

    def _params_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(QLabel("Query parameters", page))
        layout.addWidget(self.params_table, 2)
        self._params_page_widget = page
        self._params_layout = layout
        return page

    @property
    def path_params_table(self) -> KeyValueTable:
        """The `:name` parameters of the URL, below the query parameters. Built the first
        time a URL has one, so start-up does not pay for a table it does not show."""
        if self._path_params_table is None:
            page = self._params_page_widget
            label = QLabel("Path parameters (written :name in the URL)", page)
            table = KeyValueTable("Path parameters", parent=page)
            table.changed.connect(self._on_part_changed)
            self._params_layout.addWidget(label)
            self._params_layout.addWidget(table, 1)
            self._path_params_label = label
            self._path_params_table = table
            if self.variable_scopes is not None:
                from explorer.ui.widgets.variable_highlight import highlight_variables

                highlight_variables(table, self.variable_scopes)
        return self._path_params_table

    def _path_params(self) -> tuple[Pair, ...]:
        table = self._path_params_table
        return table.pairs() if table is not None else ()

    def _show_path_params(self, visible: bool) -> None:
        if visible or self._path_params_table is not None:
            self.path_params_table.setVisible(visible)  # built first, with its label
            self._path_params_label.setVisible(visible)

    def _on_part_changed(self) -> None:
        # Tab titles and the automatic headers are derived from the whole request: worked
        # out once typing pauses, not on every keystroke.
        self._sync_websocket()
        self._automatic_timer.start()
        self.changed.emit()

    def _refresh_derived(self) -> None:
        self._update_tab_titles()
        self._refresh_automatic_headers()
        self.refresh_inherited_checks()

    def refresh_automatic_headers(self) -> None:
        """Show again the headers added on send (what the request inherits changed)."""
        self._refresh_automatic_headers()

    def refresh_inherited_checks(self) -> None:
        """Show again what the Tests tab inherits (the collection or the tab changed)."""
        if _TESTS in self._built and self.inherited_checks is not None:
            self.tests_editor.set_inherited(self.inherited_checks(self.request()))

    def _update_tab_titles(self) -> None:
        """Tab labels say how much is in them, e.g. "Headers (2)"."""
        request = self.request()
        counts = {
            _PARAMS: sum(p.enabled for p in request.params),
            _HEADERS: sum(h.enabled and bool(h.name) for h in request.headers),
        }
        titles = dict.fromkeys(range(len(_TAB_NAMES)), "")
        for index, count in counts.items():
            name = _TAB_NAMES[index]
            titles[index] = f"{name} ({count})" if count else name
        body_kind = request.body.kind.value
        titles[_BODY] = "Body" if body_kind == "none" else f"Body ({body_kind})"
        if self._websocket:
            saved = len(request.stream.messages)
            titles[_BODY] = f"{_MESSAGES_NAME} ({saved})" if saved else _MESSAGES_NAME
        auth_kind = request.auth.kind.value
        titles[_AUTH] = "Auth" if auth_kind == "none" else f"Auth ({auth_kind})"
        titles[_SETTINGS] = _TAB_NAMES[_SETTINGS]
        titles[_DOCS] = _TAB_NAMES[_DOCS]
        checks = sum(a.enabled for a in request.assertions) + sum(
            c.enabled for c in request.captures
        )
        scripts = request.scripts
        scripted = " + script" if scripts.pre_request or scripts.post_response else ""
        titles[_TESTS] = (f"Tests ({checks}{scripted})" if checks else
                          f"Tests{' (script)' if scripted else ''}")  # fmt: skip
        self._titles = [titles[index] for index in range(len(_TAB_NAMES))]
        self._fit_tab_titles()

    def _fit_tab_titles(self) -> None:
        """The tab labels in full when they fit the pane, else the Body and Auth kinds
        shortened to a dot ("Body •"; the tooltip says which kind): a side-by-side
        pane at 1280 px hid Settings and Tests behind the tab bar's scroll arrows."""
        titles = self._titles
        if not titles:
            return
        bar = self.tabs.tabBar()
        metrics = bar.fontMetrics()
        # What each tab takes besides its text (padding, close space), as laid out now.
        frames = [
            bar.tabSizeHint(index).width() - metrics.horizontalAdvance(bar.tabText(index))
            for index in range(len(titles))
        ]
        shown = list(titles)
        # Shortened one at a time, only as far as needed: the kinds, then Docs to a sign.
        for index in (_AUTH, _BODY, _DOCS):
            needed = sum(
                f + metrics.horizontalAdvance(t) for f, t in zip(frames, shown, strict=True)
            )
            if needed <= self.tabs.width() - 4:
                break
            if index == _DOCS:
                # ⓘ, the tooltip says "Docs"; where no font has it (it would show as a
                # box), a shorter word.
                shown[index] = "\u24d8" if metrics.inFontUcs4(0x24D8) else "Doc"
            elif "(" in titles[index]:
                shown[index] = f"{titles[index].partition(' (')[0]} \u2022"
        for index, title in enumerate(titles):
            if bar.tabText(index) != shown[index]:
                self.tabs.setTabText(index, shown[index])
            self.tabs.setTabToolTip(index, title.replace(" (", ": ").rstrip(")"))

    def _refresh_automatic_headers(self) -> None:
        if _HEADERS not in self._built:
            return
        from explorer.core.http.prepare import automatic_headers

        request = self.request()
        rows = automatic_headers(request)
        if self.inherited_headers is not None:
            rows = self.inherited_headers(request) + rows
        self.headers_editor.set_automatic_headers(rows)

    def _on_url_changed(self, text: str) -> None:
        """The URL field changed (typed, pasted or set): the Params table follows; a
        ws:// or wss:// address typed makes the request a WebSocket."""
        if (
            not self._syncing_url
            and _WEBSOCKET_URL.match(text)
            and self.method_combo.currentText().strip().upper() != WEBSOCKET_METHOD
        ):
            self.method_combo.setCurrentText(WEBSOCKET_METHOD)
        if self._syncing_url:
            self._on_part_changed()
            return
        if text.lstrip().startswith("curl ") and self._import_curl(text):
            return
        base, typed = split_url(text.strip())
        merged = merge_params(self.params_table.pairs(), typed)
        if merged != self.params_table.pairs():
            self.params_table.set_pairs(merged)
        self._sync_path_params(base, self._path_params())
        self._on_part_changed()

    def prefill_url(self, url: str) -> None:
        """Suggest `url` in an empty URL field. It is selected, so typing or pasting a
        URL replaces it, while typing a path ("/api/todos") continues it; and a whole
        URL pasted into it anywhere (after a click put the cursor inside) replaces it
        too, instead of making `…:PORT/http://…`."""
        self._prefill = url
        self.url_edit.setText(url)
        self.url_edit.selectAll()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_tab_titles()  # the tabs are laid out already: the labels fit their width

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the application's font changed
            QTimer.singleShot(0, self, self._enlarge_request_line)

    def _enlarge_request_line(self) -> None:
        """The method and URL a size above the application's text, not a fixed 11 pt:
        they grow with a larger text size, and follow a change of the application font
        while the window is open."""
        size = QApplication.font().pointSizeF() * _REQUEST_LINE_SCALE
        for widget in (self.method_combo, self.url_edit):
            font = widget.font()
            if size > 0 and abs(font.pointSizeF() - size) > 0.05:
                font.setPointSizeF(size)
                widget.setFont(font)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            watched is self.url_edit
            and event.type() == QEvent.Type.KeyPress
            and self._continues_prefill(event.text())  # type: ignore[attr-defined]
        ):
            # A path typed over the selected suggestion goes after it: the first steps
            # in the README type "/api/todos" after the server's URL.
            self.url_edit.deselect()
            self.url_edit.end(False)
            if event.text() == "/" and self.url_edit.text().endswith("/"):  # type: ignore[attr-defined]
                self._prefill = ""
                return True  # the suggestion already ends with this slash
        return super().eventFilter(watched, event)

    def _continues_prefill(self, typed: str) -> bool:
        edit = self.url_edit
        return (
            bool(self._prefill)
            and typed in ("/", "?", "#")
            and edit.text() == self._prefill
            and edit.selectedText() == edit.text()
        )

    def _on_url_edited(self, text: str) -> None:
        """A user edit: if it put a whole URL into the untouched suggestion, keep only
        what was put in."""
        prefill, self._prefill = self._prefill, ""
        if not prefill or text == prefill:
            self._prefill = prefill
            return
        inserted = _inserted_text(prefill, text)
        if inserted is not None and _WHOLE_URL.match(inserted):
            # After this edit's own textChanged, which would otherwise arrive last and
            # carry the stale text to the Params table.
            QTimer.singleShot(0, self, lambda: self._replace_pasted(text, inserted.strip()))

    def _replace_pasted(self, pasted: str, url: str) -> None:
        if self.url_edit.text() == pasted:  # nothing else changed it meanwhile
            self.url_edit.setText(url)
            self.url_edit.setCursorPosition(len(url))

    def _import_curl(self, text: str) -> bool:
        """A curl command pasted into the URL field fills in the whole request."""
        from explorer.core.formats import FormatError
        from explorer.core.formats.curl import is_curl_command, parse_curl

        if not is_curl_command(text):
            return False
        try:
            parsed = parse_curl(text)
        except FormatError as error:
            self.show_note(f"This looks like a curl command, but: {error}")
            return False
        for index in (_HEADERS, _BODY, _AUTH, _SETTINGS):
            self._page(index)
        self.set_request(parsed.request)
        report = "; ".join(parsed.report)
        note = "Filled in from the curl command."
        self.show_note(f"{note} Not carried over: {report}" if report else note)
        return True

    def _on_params_edited(self) -> None:
        """The user edited the Params table: the URL field follows."""
        base, _query = split_url(self.url_edit.text().strip())
        self._syncing_url = True
        try:
            self.url_edit.setText(join_url(base, self.params_table.pairs()))
        finally:
            self._syncing_url = False

    def _sync_path_params(self, url: str, current: tuple[Pair, ...]) -> None:
        rows = merge_path_params(url, current)
        if rows != self._path_params():
            self.path_params_table.set_pairs(rows)
        self._show_path_params(bool(rows))

    def _on_tls_changed(self, verify: bool) -> None:
        self._show_tls_warning(not verify)

    def _show_tls_warning(self, show: bool) -> None:
        if show != self.tls_warning.isVisibleTo(self.request_line):
            self.tls_warning.setVisible(show)
            self.tls_verification_changed.emit(not show)

    # --- a WebSocket request ---------------------------------------------------------

    @property
    def messages_page(self) -> MessagesPage:
        """The Messages page of a WebSocket request, built on first use."""
        if self._messages is None:
            from explorer.ui.request.websocket.messages_page import MessagesPage

            page = MessagesPage(self.tabs)
            page.hide()
            page.set_value(self._state.stream)
            page.set_connected(self._connected)
            page.changed.connect(self._on_part_changed)
            page.send_requested.connect(self.message_send_requested)
            page.setAccessibleName(f"{_MESSAGES_NAME} editor")
            self._messages = page
            if self.variable_scopes is not None:
                from explorer.ui.widgets.variable_highlight import highlight_variables

                highlight_variables(page, self.variable_scopes)
        return self._messages

    def _sync_websocket(self) -> None:
        """The method says WS: the Messages page takes the Body tab's place and Send
        reads Connect; another method gives the Body tab back."""
        websocket = self.method_combo.currentText().strip().upper() == WEBSOCKET_METHOD
        if websocket == self._websocket:
            return
        self._websocket = websocket
        if websocket:
            page: QWidget = self.messages_page
        else:
            page = self._built[_BODY] if _BODY in self._built else QWidget(self.tabs)
        self._building = True
        try:
            current = self.tabs.currentIndex()
            old = self.tabs.widget(_BODY)
            self.tabs.removeTab(_BODY)
            self.tabs.insertTab(_BODY, page, _MESSAGES_NAME if websocket else _TAB_NAMES[_BODY])
            self.tabs.setCurrentIndex(current)
            if old is not None:
                old.hide()
                # An unbuilt Body's placeholder goes; the Body and Messages pages stay.
                if old is not self._messages and old is not self._built.get(_BODY):
                    old.deleteLater()
        finally:
            self._building = False
        self._update_tab_titles()
        size_by_current_page(self.tabs)
        if not self._busy:
            self._label_send_button()

    def _on_send_clicked(self) -> None:
        if self._busy:
            self.cancel_requested.emit()
        else:
            self.send_requested.emit()

    def _method_line(self) -> QLineEdit:
        """The method combo's line edit (it is editable, so it has one)."""
        line = self.method_combo.lineEdit()
        assert line is not None
        return line

    def _on_method_edited(self, text: str) -> None:
        # Methods are case-sensitive tokens; the standard ones are upper case, and users
        # mean those when they type "get".
        upper = text.upper()
        if upper != text:
            line = self._method_line()
            position = line.cursorPosition()
            line.setText(upper)
            line.setCursorPosition(position)


def _inserted_text(before: str, after: str) -> str | None:
    """What one insertion (replacing at most a part of `before`) put into `after`, or None
    when `after` keeps neither end of `before` (then it was not an insertion into it)."""
    prefix = 0
    limit = min(len(before), len(after))
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < limit - prefix
        and before[len(before) - 1 - suffix] == after[len(after) - 1 - suffix]
    ):
        suffix += 1
    if prefix == 0 and suffix == 0:
        return None
    return after[prefix : len(after) - suffix]
