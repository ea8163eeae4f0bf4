"""The request editor: method, URL and Send on one line, then tabs for the request's parts."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import STANDARD_METHODS, Body, BodyKind, Pair, Request
from explorer.core.urls import (
    join_url,
    merge_params,
    merge_path_params,
    split_url,
    with_default_scheme,
)
from explorer.ui.key_value_table import KeyValueTable

# (label, content type); the first entry means "no body".
BODY_TYPES = (
    ("No body", ""),
    ("JSON", "application/json"),
    ("XML", "application/xml"),
    ("HTML", "text/html"),
    ("Plain text", "text/plain"),
    ("JavaScript", "application/javascript"),
)


class RequestEditor(QWidget):
    """Edits one `Request`. Emits `send_requested` / `cancel_requested` from its button."""

    send_requested = Signal()
    cancel_requested = Signal()
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self.method_combo = QComboBox(self)
        self.method_combo.setObjectName("methodCombo")
        self.method_combo.setEditable(True)
        self.method_combo.addItems(STANDARD_METHODS)
        self.method_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.method_combo.setMinimumWidth(110)
        self.method_combo.setAccessibleName("Method")
        self.method_combo.setAccessibleDescription(
            "HTTP method: pick one or type any method token, such as PURGE"
        )
        self.method_combo.lineEdit().textEdited.connect(self._on_method_edited)
        self.method_combo.currentTextChanged.connect(lambda _t: self.changed.emit())

        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setPlaceholderText("Enter a URL, e.g. http://127.0.0.1:5000/api/todos")
        self.url_edit.setAccessibleName("URL")
        self.url_edit.setClearButtonEnabled(True)
        self.url_edit.returnPressed.connect(self.send_requested)
        self._syncing_url = False
        self.url_edit.textChanged.connect(self._on_url_changed)

        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName("Send")
        self.send_button.setToolTip("Send the request (Ctrl+Enter)")
        self.send_button.clicked.connect(self._on_send_clicked)

        self.scheme_note = QLabel("", self)
        self.scheme_note.setObjectName("schemeNote")
        self.scheme_note.setAccessibleName("URL note")
        self.scheme_note.setVisible(False)

        self.params_table = KeyValueTable("Query parameters", parent=self)
        self.params_table.changed.connect(self._on_params_edited)
        self.path_params_table = KeyValueTable("Path parameters", parent=self)
        self.path_params_table.changed.connect(self.changed)
        self.path_params_label = QLabel("Path parameters (written :name in the URL)", self)

        self.headers_table = KeyValueTable("Headers", parent=self)
        self.headers_table.changed.connect(self.changed)

        self.body_type_combo = QComboBox(self)
        for label, content_type in BODY_TYPES:
            self.body_type_combo.addItem(label, content_type)
        self.body_type_combo.setAccessibleName("Body content type")
        self.body_type_combo.currentIndexChanged.connect(self._on_body_type_changed)
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setAccessibleName("Body")
        self.body_edit.setPlaceholderText('{"title": "Learn REST"}')
        self.body_edit.setFont(monospace_font())
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.textChanged.connect(self.changed)
        self._on_body_type_changed()

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Request parts")
        self.tabs.addTab(self._params_page(), "Params")
        self.tabs.addTab(self.headers_table, "Headers")
        self.tabs.addTab(self._body_page(), "Body")

        url_row = QHBoxLayout()
        url_row.setSpacing(6)
        url_row.addWidget(self.method_combo)
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(url_row)
        layout.addWidget(self.scheme_note)
        layout.addWidget(self.tabs, 1)
        self.setTabOrder(self.method_combo, self.url_edit)
        self.setTabOrder(self.url_edit, self.send_button)
        self.setTabOrder(self.send_button, self.tabs)

    def _params_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(QLabel("Query parameters", page))
        layout.addWidget(self.params_table, 2)
        layout.addWidget(self.path_params_label)
        layout.addWidget(self.path_params_table, 1)
        self._show_path_params(False)
        return page

    def _show_path_params(self, visible: bool) -> None:
        self.path_params_label.setVisible(visible)
        self.path_params_table.setVisible(visible)

    def _body_page(self) -> QWidget:
        page = QWidget(self)
        row = QHBoxLayout()
        label = QLabel("Content type:", page)
        label.setBuddy(self.body_type_combo)
        row.addWidget(label)
        row.addWidget(self.body_type_combo)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.body_edit, 1)
        return page

    def request(self) -> Request:
        """The request as currently edited; a URL without a scheme gets http:// here."""
        base, typed = split_url(self.url_edit.text().strip())
        return Request(
            method=self.method_combo.currentText().strip().upper() or "GET",
            url=base,
            params=merge_params(self.params_table.pairs(), typed),
            path_params=tuple(p for p in self.path_params_table.pairs() if p.name),
            headers=self.headers_table.pairs(),
            body=self._body(),
        )

    def set_request(self, request: Request) -> None:
        """Show `request` in the editor."""
        self.method_combo.setCurrentText(request.method)
        self.params_table.set_pairs(request.params)
        self._syncing_url = True
        try:
            self.url_edit.setText(join_url(request.url, request.params))
        finally:
            self._syncing_url = False
        self._sync_path_params(request.url, request.path_params)
        self.headers_table.set_pairs(request.headers)
        if request.body.kind == BodyKind.RAW:
            index = self.body_type_combo.findData(request.body.content_type)
            self.body_type_combo.setCurrentIndex(max(index, 1))
        else:
            self.body_type_combo.setCurrentIndex(0)
        self.body_edit.setPlainText(request.body.text)

    def apply_default_scheme(self) -> bool:
        """Add http:// to a URL typed without a scheme, visibly. True when it changed."""
        typed = self.url_edit.text().strip()
        fixed = with_default_scheme(typed)
        if fixed == typed:
            self.scheme_note.setVisible(False)
            return False
        self.url_edit.setText(fixed)
        self.scheme_note.setText("No scheme was given, so http:// was added to the URL.")
        self.scheme_note.setVisible(True)
        return True

    def set_busy(self, busy: bool) -> None:
        """Turn Send into Cancel while a request runs."""
        self._busy = busy
        self.send_button.setText("Cancel" if busy else "Send")
        # The stylesheet colours Cancel differently; re-polish so it applies now.
        self.send_button.setProperty("busy", busy)
        self.send_button.style().unpolish(self.send_button)
        self.send_button.style().polish(self.send_button)
        self.send_button.setAccessibleName("Cancel" if busy else "Send")
        self.send_button.setToolTip(
            "Cancel the running request (Esc)" if busy else "Send the request (Ctrl+Enter)"
        )

    @property
    def busy(self) -> bool:
        return self._busy

    def _body(self) -> Body:
        content_type = self.body_type_combo.currentData() or ""
        text = self.body_edit.toPlainText()
        if not content_type:
            return Body(kind=BodyKind.NONE, text=text)
        return Body(kind=BodyKind.RAW, text=text, content_type=content_type)

    def _on_url_changed(self, text: str) -> None:
        """The URL field changed (typed, pasted or set): the Params table follows."""
        if not self._syncing_url:
            base, typed = split_url(text.strip())
            merged = merge_params(self.params_table.pairs(), typed)
            if merged != self.params_table.pairs():
                self.params_table.set_pairs(merged)
            self._sync_path_params(base, self.path_params_table.pairs())
        self.changed.emit()

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
        if rows != self.path_params_table.pairs():
            self.path_params_table.set_pairs(rows)
        self._show_path_params(bool(rows))

    def _on_send_clicked(self) -> None:
        if self._busy:
            self.cancel_requested.emit()
        else:
            self.send_requested.emit()

    def _on_method_edited(self, text: str) -> None:
        # Methods are case-sensitive tokens; the standard ones are upper case, and users
        # mean those when they type "get".
        upper = text.upper()
        if upper != text:
            line = self.method_combo.lineEdit()
            position = line.cursorPosition()
            line.setText(upper)
            line.setCursorPosition(position)

    def _on_body_type_changed(self) -> None:
        has_body = bool(self.body_type_combo.currentData())
        self.body_edit.setEnabled(has_body)
        self.changed.emit()


def monospace_font() -> QFont:
    """The system's fixed-width font."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font
