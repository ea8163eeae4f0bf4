"""The Ctrl+F bar of the body view: query, match case, previous/next and a match count."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Emits `query_changed(text, case_sensitive)` (debounced), `next_requested()`,
    `previous_requested()` and `closed()`."""

    query_changed = Signal(str, bool)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Find bar")
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in body")
        self.edit.setAccessibleName("Find in body")
        self.edit.setClearButtonEnabled(True)
        self.case = self._button("Aa", "Match case", checkable=True)
        self.previous = self._button("\u2191", "Previous match (Shift+Enter)")
        self.next = self._button("\u2193", "Next match (Enter)")
        self.count = QLabel(self)
        self.count.setAccessibleName("Match count")
        self.count.setMinimumWidth(self.fontMetrics().horizontalAdvance("000,000 of 000,000+"))
        self.close_button = self._button("\u2715", "Close find bar (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.edit, 1)
        for widget in (self.case, self.previous, self.next, self.count, self.close_button):
            layout.addWidget(widget)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._emit_query)
        self.edit.textChanged.connect(lambda _: self._debounce.start())
        self.case.toggled.connect(lambda _: self._emit_query())
        self.next.clicked.connect(self.next_requested)
        self.previous.clicked.connect(self.previous_requested)
        self.close_button.clicked.connect(self.close_bar)
        self.edit.returnPressed.connect(self._on_return)
        # The window's Esc (Cancel a send) is a shortcut, and shortcuts win over key
        # presses: claim Esc while the focus is in the bar, so that it closes the bar.
        focusable: tuple[QWidget, ...] = (self.edit, self.case, self.previous, self.next)
        for focused in (*focusable, self.close_button):
            focused.installEventFilter(self)

    def _button(self, text: str, name: str, checkable: bool = False) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(name)
        button.setAccessibleName(name)
        button.setCheckable(checkable)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def _emit_query(self) -> None:
        self._debounce.stop()
        self.query_changed.emit(self.edit.text(), self.case.isChecked())

    def flush(self) -> None:
        """Emit a pending query change now (used before next/previous)."""
        if self._debounce.isActive():
            self._emit_query()

    def _on_return(self) -> None:
        self.flush()
        from PySide6.QtWidgets import QApplication

        if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.previous_requested.emit()
        else:
            self.next_requested.emit()

    def open_bar(self) -> None:
        """Show and focus the query, selecting what is there."""
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        """Hide; the view clears its highlights."""
        self.hide()
        self.closed.emit()

    def set_count(self, text: str) -> None:
        """Show the match count text."""
        self.count.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                event.accept()  # delivered as a key press to the bar, not to the shortcut
                return True
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Esc closes the bar."""
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)
