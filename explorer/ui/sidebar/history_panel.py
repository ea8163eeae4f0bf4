"""The History panel: sent requests grouped by day, searchable, reopenable.

The list shows summaries only (no bodies are read). Search matches the URL, method,
status and body text; "4xx" or "404" in the box also filters by status. Opening an
entry emits `open_requested(entry_id)`; the window turns it into a tab.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.application.history import clear_history, delete_entries
from explorer.core.storage.history import History, HistorySummary
from explorer.ui.widgets.palette import STATUS_ROLES
from explorer.ui.widgets.theme import palette

# How the panel changes the history: `change(history)` run (in the window: on the
# workspace's background queue), then `on_done(entries removed)` on the GUI thread.
HistoryChanger = Callable[[Callable[[History], int], Callable[[int], None]], None]
ID_ROLE = Qt.ItemDataRole.UserRole + 1
LIMIT = 500
_STATUS = re.compile(r"^\s*([1-5](?:\d\d|xx))\s*$", re.IGNORECASE)


def day_label(day: str, today: date | None = None) -> str:
    """ "Today", "Yesterday" or the date, for a group header."""
    today = today or date.today()
    value = date.fromisoformat(day)
    if value == today:
        return "Today"
    if value == today - timedelta(days=1):
        return "Yesterday"
    return value.strftime("%A %d %B %Y")


class HistoryPanel(QWidget):
    """Searchable list of past exchanges."""

    open_requested = Signal(int)  # history entry id
    deleted = Signal(int)  # a delete or clear is done: how many entries it removed
    # Compare two entries' responses (a list of two ids), or one entry's with the
    # previous response of its request (a list of one id); the window opens the dialog.
    compare_requested = Signal(object)

    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        # Set by the window to its workspace's queue, so deleting never writes on the
        # GUI thread; left alone, the panel changes the history where it is called.
        self.change_history: HistoryChanger = self._change_here
        self.confirm_clear: Callable[[], bool] = self._ask_clear
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search URL, method, status, body")
        self.search_edit.setAccessibleName("Search history")
        self.search_edit.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        self.search_edit.installEventFilter(self)  # Down moves into the results

        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("History entries")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Request", "Status", "Time"])
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.open_button = self._button(
            "Open", "Open the selected entry in a tab", self.open_selected
        )
        self.delete_button = self._button(
            "Delete", "Delete the selected entries", self.delete_selected
        )
        self.clear_button = self._button("Clear all", "Delete the whole history", self.clear_all)
        # Del while the list has focus. A button shortcut would be window-wide and take
        # Del from the collections tree too (Qt then fires neither: "ambiguous").
        delete_key = QAction("Delete selected entries", self.tree)
        delete_key.setShortcut(QKeySequence.StandardKey.Delete)
        delete_key.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        delete_key.triggered.connect(lambda _checked=False: self.delete_selected())
        self.tree.addAction(delete_key)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("History count")

        buttons = QHBoxLayout()
        for button in (self.open_button, self.delete_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(buttons)
        self.refresh()

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def refresh(self) -> None:
        """Query the history again with the current search."""
        text = self.search_edit.text().strip()
        status_match = _STATUS.match(text)
        if status_match:
            groups = self.history.by_day(status=status_match.group(1), limit=LIMIT)
        else:
            groups = self.history.by_day(text=text or None, limit=LIMIT)
        self.tree.clear()
        shown = 0
        for day, summaries in groups:
            group = QTreeWidgetItem([day_label(day)])
            group.setFirstColumnSpanned(False)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for summary in summaries:
                group.addChild(self._row(summary))
            shown += len(summaries)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
        total = self.history.count()
        more = " (newest shown; refine the search)" if shown >= LIMIT else ""
        self.count_label.setText(f"{shown} of {total} entries{more}")

    def _row(self, summary: HistorySummary) -> QTreeWidgetItem:
        status = str(summary.status) if summary.status else "failed"
        at = datetime.fromtimestamp(summary.timestamp).strftime("%H:%M:%S")
        elapsed = f"{summary.elapsed_ms:.0f} ms" if summary.status else ""
        row = QTreeWidgetItem([f"{summary.method} {_short(summary.url)}", status, elapsed])
        row.setData(0, ID_ROLE, summary.id)
        detail = f"{summary.method} {summary.url}\nsent at {at}"
        row.setToolTip(0, f"{detail}\n{summary.error}" if summary.error else detail)
        # A status class in its colour; no response (or an odd status) in the error colour.
        status_class = f"{summary.status // 100}xx" if summary.status else ""
        row.setForeground(1, QBrush(palette().qcolor(STATUS_ROLES.get(status_class, "error"))))
        return row

    def selected_ids(self) -> list[int]:
        """The ids of the selected entries."""
        return [
            int(item.data(0, ID_ROLE))
            for item in self.tree.selectedItems()
            if item.data(0, ID_ROLE) is not None
        ]

    def open_selected(self) -> None:
        """Open the first selected entry."""
        ids = self.selected_ids()
        if ids:
            self.open_requested.emit(ids[0])

    def delete_selected(self) -> int:
        """Delete the selected entries; return how many were chosen. `deleted(count)`
        follows once they are gone."""
        ids = self.selected_ids()
        if ids:
            self.change_history(lambda history: delete_entries(history, ids), self._changed)
        return len(ids)

    def clear_all(self) -> None:
        """Delete every entry, after asking; `deleted(count)` follows."""
        if self.history.count() and self.confirm_clear():
            self.change_history(_clear, self._changed)

    def _change_here(
        self, change: Callable[[History], int], on_done: Callable[[int], None]
    ) -> None:
        on_done(change(self.history))

    def _changed(self, count: int) -> None:
        self.refresh()
        self.deleted.emit(count)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Down in the search box moves to the first entry (Enter there opens it)."""
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)
        ):  # fmt: skip
            return self.focus_first_entry()
        return super().eventFilter(watched, event)

    def focus_first_entry(self) -> bool:
        """Select the first entry shown and move the focus to it; False when none is."""
        if self._debounce.isActive():  # the search typed last is not applied yet
            self._debounce.stop()
            self.refresh()
        group = self.tree.topLevelItem(0)
        first = group.child(0) if group is not None else None
        if first is None:
            return False
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        self.tree.setCurrentItem(first)
        self.tree.scrollToItem(first)
        return True

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        entry_id = item.data(0, ID_ROLE)
        if entry_id is not None:
            self.open_requested.emit(int(entry_id))

    def compare_actions(self) -> list[QAction]:
        """The context menu's compare commands for the current selection."""
        ids = self.selected_ids()
        actions = []
        if len(ids) == 2:
            both = QAction("Compare", self.tree)
            both.setToolTip("Compare the responses of the two selected entries")
            both.triggered.connect(lambda _checked=False: self.compare_requested.emit(ids))
            actions.append(both)
        elif len(ids) == 1:
            previous = QAction("Compare with previous of this request", self.tree)
            previous.triggered.connect(lambda _checked=False: self.compare_requested.emit(ids))
            actions.append(previous)
        return actions

    def _context_menu(self, position: QPoint) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        menu = QMenu(self.tree)
        menu.addAction("Open", self.open_selected)
        for action in self.compare_actions():
            menu.addAction(action)
        if len(ids) > 2:
            hint = menu.addAction("Compare: select two entries")
            hint.setEnabled(False)
        menu.addSeparator()
        menu.addAction("Delete", self.delete_selected)
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def _ask_clear(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Clear history",
            "Delete every entry of the history? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes


def _clear(history: History) -> int:
    count = history.count()
    clear_history(history)
    return count


def _short(url: str) -> str:
    """The URL without its scheme and host (those are in the tooltip)."""
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else rest
