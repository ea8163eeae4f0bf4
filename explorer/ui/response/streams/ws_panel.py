"""The live side of a WebSocket request: the connection's state in one line, the message
log both ways (the shared `StreamView`: time, ↑/↓, type, size, data), a composer (text,
JSON or binary as base64; Send or Ctrl+Enter), Ping, and Close with a code and reason.

The panel knows nothing of sockets: it shows what `attach`ed session (qt/ws_session)
reports and asks it to send. The handshake itself is shown by the response view's usual
Headers, Timing and Request tabs (it is a normal exchange, status 101).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import MessageKind, SavedMessage
from explorer.core.streams import StreamMessage
from explorer.core.ws.messages import MessageProblem, payload
from explorer.ui.response.streams.stream_view import ID, StreamView
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fitting import FoldingRow
from explorer.ui.widgets.fonts import monospace_font

if TYPE_CHECKING:
    from explorer.core.http.exchange import Response
    from explorer.qt.ws_session import WsSession

KINDS = ((MessageKind.TEXT, "Text"), (MessageKind.JSON, "JSON"), (MessageKind.BINARY, "Binary"))
# RFC 6455 §7.4: codes a client may send: 1000, and 3000-4999 for libraries and apps.
CLOSE_CODES = (1000, 1001, 3000, 4000)


class Composer(QPlainTextEdit):
    """The message being written; Ctrl+Enter sends it.

    The window's Send (Ctrl+Enter) is a shortcut of the whole window: a second shortcut
    on the same keys would make both ambiguous, and neither would fire. The composer
    claims the keys while it has the focus (ShortcutOverride), so they reach it as a key
    press, and Ctrl+Enter elsewhere still sends the request."""

    submitted = Signal()

    @staticmethod
    def _is_submit(event: QKeyEvent) -> bool:
        return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )

    def event(self, event: QEvent) -> bool:
        overriding = event.type() == QEvent.Type.ShortcutOverride
        if overriding and isinstance(event, QKeyEvent) and self._is_submit(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if self._is_submit(event):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class WsPanel(QWidget):
    """One connection's log and controls. `resolve` fills {{variables}} into a message
    before it is sent (set by the tab; None: not to be sent)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("WebSocket")
        self._session: WsSession | None = None
        self.resolve: Callable[[SavedMessage], SavedMessage | None] = lambda message: message

        self.state = MessageLabel("muted", self)
        self.state.setAccessibleName("Connection state")
        self.log = StreamView("Messages", self)
        self.log.table.setColumnHidden(ID, True)  # WebSocket messages have no id (SSE's)
        # Servers ping quiet sockets to keep them open (the practice server every 20 s);
        # websockets answers each one itself. Shown, they bury the conversation, so they
        # are counted and left out of the log unless asked for; our own pings and their
        # pongs are always shown.
        self.show_server_pings = QCheckBox("Show server pings", self)
        self.show_server_pings.setToolTip(
            "Pings the server sends to keep the connection open, answered automatically"
        )
        self.hidden_pings = 0

        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Composer kind")
        for kind, label in KINDS:
            self.kind.addItem(label, kind)
        self.composer = Composer(self)
        self.composer.submitted.connect(self.send_composed)
        self.composer.setAccessibleName("Message to send")
        self.composer.setFont(monospace_font())
        self.composer.setPlaceholderText("A message to send (Ctrl+Enter); binary as base64")
        self.send_button = QPushButton("Send", self)
        self.send_button.setAccessibleName("Send message")
        self.send_button.setToolTip("Send the message (Ctrl+Enter)")
        self.send_button.clicked.connect(self.send_composed)
        self.ping_button = QPushButton("Ping", self)
        self.ping_button.setToolTip("Send a ping; the pong shows the round trip")
        self.ping_button.clicked.connect(self._ping)
        self.close_code = QSpinBox(self)
        self.close_code.setAccessibleName("Close code")
        self.close_code.setRange(1000, 4999)
        self.close_code.setValue(1000)
        self.close_code.setToolTip("1000: normal; 3000–4999: your application's own codes")
        self.close_reason = QLineEdit(self)
        self.close_reason.setAccessibleName("Close reason")
        self.close_reason.setPlaceholderText("reason")
        self.close_reason.setMaxLength(120)  # a close frame holds 123 bytes of reason
        self.close_button = QPushButton("Close", self)
        self.close_button.setToolTip("Close the connection with this code and reason")
        self.close_button.clicked.connect(self._close)
        self.problem = MessageLabel("error", self)
        self.problem.setAccessibleName("Composer problem")
        self._layout_panel()
        self.set_open(False)

    def _layout_panel(self) -> None:
        # Send on the left, Ping and Close on the right; the two fold into two rows in
        # a narrow pane (the Learn dock open beside a side-by-side split).
        controls = FoldingRow(self)
        controls.first.addWidget(self.kind)
        controls.first.addWidget(self.send_button)
        controls.first.addStretch(1)
        controls.second.addWidget(self.ping_button)
        controls.second.addWidget(self.close_code)
        controls.second.addWidget(self.close_reason, 1)
        controls.second.addWidget(self.close_button)
        self.close_reason.setMinimumWidth(self.fontMetrics().horizontalAdvance("reason") + 24)
        composer = QWidget(self)
        column = QVBoxLayout(composer)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.composer, 1)
        column.addWidget(controls)
        column.addWidget(self.problem)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.log)
        split.addWidget(composer)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.state, 1)
        top.addWidget(self.show_server_pings, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    # -- the session ---------------------------------------------------------------------

    def attach(self, session: WsSession) -> None:
        """Show `session` from now on (a new connection: the log starts empty); the one
        before it is no longer listened to."""
        old, self._session = self._session, session
        if old is not None:
            for signal, slot in self._slots(old):
                signal.disconnect(slot)
        self.log.clear()
        self.hidden_pings = 0
        self._show_hidden_pings()
        self.problem.show_message("")
        for signal, slot in self._slots(session):
            signal.connect(slot)
        self.state.show_message(f"Connecting to {session.request.url} …", "muted")
        self.set_open(False)

    def _slots(self, session: WsSession) -> list[tuple[SignalInstance, Callable[..., None]]]:
        return [
            (session.arrived, self._on_arrived),
            (session.opened, self._on_opened),
            (session.closed, self._on_closed),
            (session.problem, self._on_problem),
        ]

    def _on_arrived(self, batch: list[StreamMessage]) -> None:
        if not self.show_server_pings.isChecked():
            shown = [m for m in batch if not (m.direction == "in" and m.type == "ping")]
            if len(shown) != len(batch):
                self.hidden_pings += len(batch) - len(shown)
                self._show_hidden_pings()
            batch = shown
        self.log.append(batch)

    def _show_hidden_pings(self) -> None:
        count = self.hidden_pings
        self.show_server_pings.setText(
            f"Show server pings ({count:,})" if count else "Show server pings"
        )

    def _on_problem(self, text: str) -> None:
        self.problem.show_message(text)

    def _on_opened(self, handshake: Response) -> None:
        protocol = handshake.header("Sec-WebSocket-Protocol")
        extra = f", subprotocol {protocol}" if protocol else ""
        self.state.show_message(
            f"Connected to {handshake.url}{extra} "
            f"(handshake {handshake.timing.total:.0f} ms: Headers and Timing tabs)",
            "muted",
        )
        self.set_open(True)

    def _on_closed(self, summary: str) -> None:
        self.state.show_message(summary, "warning")
        self.set_open(False)

    def set_open(self, is_open: bool) -> None:
        for widget in (self.send_button, self.ping_button, self.close_button):
            widget.setEnabled(is_open)

    # -- asking the session ------------------------------------------------------------

    def send_message(self, message: SavedMessage) -> bool:
        """Send `message` (variables filled in, checked first); False with a one-line
        problem shown when it cannot go."""
        session = self._session
        if session is None or not session.is_open:
            self.problem.show_message("Not connected: press Connect first.")
            return False
        resolved = self.resolve(message)
        if resolved is None:  # the user chose not to send it
            return False
        message = resolved
        try:
            data = payload(message.kind, message.text, session.max_size)
        except MessageProblem as problem:
            self.problem.show_message(str(problem))
            return False
        self.problem.show_message("")
        session.send(data)
        return True

    def send_composed(self) -> None:
        kind = MessageKind(self.kind.currentData())
        if self.send_message(SavedMessage("", kind, self.composer.toPlainText())):
            self.composer.setFocus()

    def _ping(self) -> None:
        if self._session is not None:
            self._session.ping()

    def _close(self) -> None:
        if self._session is not None:
            self._session.close(self.close_code.value(), self.close_reason.text())
