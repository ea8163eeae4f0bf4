"""The Messages tab: what a WebSocket request keeps besides its URL and headers.

- Subprotocols offered in the handshake (Sec-WebSocket-Protocol), comma-separated.
- Saved messages, each with a name and a kind (text, JSON checked as it is typed, binary
  written as base64), to send again with one click while connected, and sent in order
  by a run.
- When a run stops collecting what comes back: after a number of messages, or seconds.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import MessageKind, SavedMessage, Stream
from explorer.core.ws.messages import MessageProblem, payload
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fonts import monospace_font

KINDS = ((MessageKind.TEXT, "Text"), (MessageKind.JSON, "JSON"), (MessageKind.BINARY, "Binary"))
MAX_SAVED = 200  # saved messages per request: a list a person can still read
_ROLE = Qt.ItemDataRole.UserRole


class MessagesPage(QWidget):
    """Edits a request's `Stream`. `send_requested(SavedMessage)`: send this one now."""

    changed = Signal()
    send_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stream = Stream()
        self._loading = False

        self.subprotocols = QLineEdit(self)
        self.subprotocols.setAccessibleName("Subprotocols")
        self.subprotocols.setPlaceholderText("none, or e.g. chat, graphql-transport-ws")
        self.subprotocols.setToolTip(
            "Offered in Sec-WebSocket-Protocol; the server picks one (or none)"
        )
        self.subprotocols.textEdited.connect(lambda _t: self._on_changed())

        self.list = QListWidget(self)
        self.list.setAccessibleName("Saved messages")
        self.list.currentRowChanged.connect(self._show_row)
        self.list.itemChanged.connect(self._on_renamed)
        self.add_button = QPushButton("Add", self)
        self.add_button.setToolTip("A new saved message")
        self.add_button.clicked.connect(self.add_message)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.clicked.connect(self._delete)
        self.rename_button = QPushButton("Rename", self)
        self.rename_button.setToolTip("Rename the selected message (or double-click it)")
        self.rename_button.clicked.connect(self._rename)

        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Message kind")
        for kind, label in KINDS:
            self.kind.addItem(label, kind)
        self.kind.setToolTip("Binary messages are written as base64")
        self.kind.currentIndexChanged.connect(lambda _i: self._on_text_changed())
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName("Message text")
        self.text.setFont(monospace_font())
        self.text.setPlaceholderText("The message; {{variables}} are filled in on send")
        self.text.textChanged.connect(self._on_text_changed)
        self.send_button = QPushButton("Send now", self)
        self.send_button.setAccessibleName("Send saved message")
        self.send_button.setToolTip("Send this message over the open connection")
        self.send_button.clicked.connect(self._send_current)
        self.problem = MessageLabel("error", self)
        self.problem.setAccessibleName("Message problem")

        self.collect_messages = QSpinBox(self)
        self.collect_messages.setAccessibleName("Collect messages")
        self.collect_messages.setRange(0, 100_000)
        self.collect_messages.setSpecialValueText("any number")
        self.collect_messages.valueChanged.connect(lambda _v: self._on_changed())
        self.collect_seconds = QDoubleSpinBox(self)
        self.collect_seconds.setAccessibleName("Collect seconds")
        self.collect_seconds.setRange(0, 3600)
        self.collect_seconds.setDecimals(1)
        self.collect_seconds.setSuffix(" s")
        self.collect_seconds.setSpecialValueText("until closed")
        self.collect_seconds.valueChanged.connect(lambda _v: self._on_changed())

        self._layout_page()
        self.set_connected(False)
        self._show_row(-1)

    def _layout_page(self) -> None:
        """One column, so the page fits a side-by-side pane at 1280 px: the saved
        messages above the one selected, the run's limits in two short rows."""
        top = QHBoxLayout()
        top.addWidget(QLabel("Subprotocols", self))
        top.addWidget(self.subprotocols, 1)

        saved = QWidget(self)
        saved_layout = QHBoxLayout(saved)
        saved_layout.setContentsMargins(0, 0, 0, 0)
        saved_layout.addWidget(self.list, 1)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        saved_layout.addLayout(buttons)

        editor = QWidget(self)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel("Kind", editor))
        kind_row.addWidget(self.kind)
        kind_row.addStretch(1)
        kind_row.addWidget(self.send_button)
        editor_layout.addLayout(kind_row)
        editor_layout.addWidget(self.text, 1)
        editor_layout.addWidget(self.problem)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(saved)
        split.addWidget(editor)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        collect = QFormLayout()
        collect.addRow("In a run, collect", self.collect_messages)
        collect.addRow("for at most", self.collect_seconds)
        self.collect_messages.setSuffix(" messages")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(QLabel("Saved messages", self))
        layout.addWidget(split, 1)
        layout.addLayout(collect)

    # -- the value ---------------------------------------------------------------------

    def set_value(self, stream: Stream) -> None:
        self._loading = True
        try:
            self._stream = stream
            self.subprotocols.setText(", ".join(stream.subprotocols))
            self.list.clear()
            for message in stream.messages:
                self._append_item(message)
            self.collect_messages.setValue(stream.collect_messages)
            self.collect_seconds.setValue(stream.collect_seconds)
            self.list.setCurrentRow(0 if stream.messages else -1)
        finally:
            self._loading = False
        self._show_row(self.list.currentRow())

    def value(self) -> Stream:
        protocols = tuple(p.strip() for p in self.subprotocols.text().split(",") if p.strip())
        return replace(
            self._stream,
            subprotocols=protocols,
            messages=tuple(self._message(row) for row in range(self.list.count())),
            collect_messages=self.collect_messages.value(),
            collect_seconds=self.collect_seconds.value(),
        )

    def problems(self) -> list[str]:
        """A saved message that cannot be sent as written (bad JSON or base64)."""
        found = []
        for row in range(self.list.count()):
            message = self._message(row)
            if "{{" in message.text:
                continue  # checked once the variables are filled in
            try:
                payload(message.kind, message.text, max_size=1 << 62)
            except MessageProblem as problem:
                found.append(f"Message {message.name or row + 1}: {problem}")
        return found

    def set_connected(self, connected: bool) -> None:
        """Send now works while the request's connection is open."""
        self.send_button.setEnabled(connected and self.list.currentRow() >= 0)
        self._connected = connected

    # -- editing -------------------------------------------------------------------------

    def add_message(self) -> None:
        if self.list.count() >= MAX_SAVED:
            self.problem.show_message(f"At most {MAX_SAVED} saved messages per request.")
            return
        name = f"Message {self.list.count() + 1}"
        self._append_item(SavedMessage(name, MessageKind.TEXT, ""))
        self.list.setCurrentRow(self.list.count() - 1)
        self.text.setFocus()
        self._on_changed()

    def _append_item(self, message: SavedMessage) -> None:
        item = QListWidgetItem(message.name or "(unnamed)")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        item.setData(_ROLE, message)
        self.list.addItem(item)

    def _message(self, row: int) -> SavedMessage:
        item = self.list.item(row)
        message = item.data(_ROLE)
        assert isinstance(message, SavedMessage)
        return message

    def _rename(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def _on_renamed(self, item: QListWidgetItem) -> None:
        message = item.data(_ROLE)
        if self._loading or not isinstance(message, SavedMessage):
            return
        name = item.text().strip()
        if name != message.name:
            item.setData(_ROLE, replace(message, name=name))
            self._on_changed()

    def _delete(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._on_changed()

    def _show_row(self, row: int) -> None:
        has = row >= 0
        for widget in (self.kind, self.text, self.rename_button, self.delete_button):
            widget.setEnabled(has)
        self.send_button.setEnabled(has and getattr(self, "_connected", False))
        loading, self._loading = self._loading, True
        try:
            message = self._message(row) if has else SavedMessage()
            self.kind.setCurrentIndex(max(0, self.kind.findData(message.kind)))
            self.text.setPlainText(message.text)
        finally:
            self._loading = loading
        self._check(message)

    def _on_text_changed(self) -> None:
        row = self.list.currentRow()
        if self._loading or row < 0:
            return
        item = self.list.item(row)
        kind = self.kind.currentData()
        message = replace(self._message(row), kind=MessageKind(kind), text=self.text.toPlainText())
        item.setData(_ROLE, message)
        self._check(message)
        self._on_changed()

    def _check(self, message: SavedMessage) -> None:
        problem = ""
        if message.text and "{{" not in message.text:
            try:
                payload(message.kind, message.text, max_size=1 << 62)
            except MessageProblem as error:
                problem = str(error)
        self.problem.show_message(problem)

    def _send_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.send_requested.emit(self._message(row))

    def _on_changed(self) -> None:
        if not self._loading:
            self.changed.emit()
