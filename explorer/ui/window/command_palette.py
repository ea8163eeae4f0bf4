"""The command palette (Ctrl+K): jump to any request, history entry, environment or menu
command of the window by fuzzy search.

What the palette lists comes from where the window keeps it: the requests of the open
collections (`Workspace.collections`), the newest history entries (read from SQLite on
a background queue, never on the GUI thread), the environments as the toolbar's
selector lists them (`Workspace.environment_choices`), and every enabled command of the
menu bar. Requests and history are indexed off the GUI thread once and again only after
`collections_changed` or `history_changed`; environments and commands, a few dozen,
when the palette opens.

A chosen entry goes the way the rest of the window goes: a request opens through
`WorkspaceTabs.open_request` (as a double click in the tree: in a tab that stays, not the
preview tab), a history entry through `open_history` (as the History panel), an
environment through `Workspace.select_environment` (as a choice in the toolbar), a
command by triggering its QAction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from explorer.core.collection import RequestItem
from explorer.core.palette.index import (
    HISTORY_ENTRIES,
    ActionTarget,
    Entry,
    EnvironmentTarget,
    HistoryTarget,
    Kind,
    PaletteIndex,
    RequestTarget,
    Result,
    action_entry,
    environment_entry,
    history_entry,
    request_entry,
)
from explorer.qt.background import BackgroundQueue
from explorer.ui.window.palette_popup import HINT, KEYS, PalettePopup

if TYPE_CHECKING:
    from explorer.core.storage.history import History, HistorySummary
    from explorer.qt.workspace import Workspace
    from explorer.ui.window.workspace_panels import WorkspacePanels
    from explorer.ui.window.workspace_tabs import WorkspaceTabs

REINDEX_DELAY_MS = 400  # after the last change of the collections
MAX_REQUESTS = 50_000  # requests indexed (measured: about 0.7 s of background work, 50 MB)

# One request as read on the GUI thread, made into an Entry off it:
# root, rel, name, method, URL, (collection name, folder names…).
RequestRow = tuple[Path, str, str, str, str, tuple[str, ...]]


def request_rows(workspace: Workspace, limit: int = MAX_REQUESTS) -> list[RequestRow]:
    """The requests of the open collections as plain tuples (a few ms for 5,000), at
    most `limit` of them."""
    rows: list[RequestRow] = []
    for root, opened in workspace.collections.items():
        name = opened.name
        for rel, info in opened.items.items():
            item = info.item
            if isinstance(item, RequestItem):
                if len(rows) >= limit:
                    return rows
                request = item.request
                where = (name, *info.folder_path)
                rows.append((root, rel, request.name, request.method, request.url, where))
    return rows


def request_entries(rows: Sequence[RequestRow]) -> list[Entry]:
    return [request_entry(*row) for row in rows]


def history_entries(history: History, limit: int = HISTORY_ENTRIES) -> list[Entry]:
    """The newest `limit` history entries (summaries only: no bodies are read), one per
    method and URL: the newest send, with how many there were."""
    newest: dict[tuple[str, str], HistorySummary] = {}
    sends: dict[tuple[str, str], int] = {}
    for summary in history.search(limit=limit):
        key = summary.method, summary.url
        newest.setdefault(key, summary)
        sends[key] = sends.get(key, 0) + 1
    now = datetime.now()
    return [
        history_entry(s.id, s.method, s.url, s.status, s.timestamp, now, sends[key])
        for key, s in newest.items()
    ]


def menu_actions(
    menus: Sequence[QAction], path: tuple[str, ...] = ()
) -> Iterator[tuple[QAction, tuple[str, ...]]]:
    """Every enabled, visible command under `menus` with the menu names above it."""
    for action in menus:
        if action.isSeparator() or not action.isVisible():
            continue
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield from menu_actions(menu.actions(), (*path, action.text()))
        elif action.isEnabled() and action.text():
            yield action, path


class CommandPalette(QObject):
    """Owns the index and the popup of one main window."""

    def __init__(self, window: QMainWindow, own_action: QAction | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.own_action = own_action  # the palette's own command is not listed
        self.index = PaletteIndex()
        self.popup = PalettePopup(window)
        self.popup.query_changed.connect(self.search)
        self.popup.chosen.connect(self._on_chosen)
        self._queue = BackgroundQueue(self)
        self._workspace: Workspace | None = None
        self._requests_stale = True
        self._history_stale = True
        self._generation = {Kind.REQUEST: 0, Kind.HISTORY: 0}
        self.loading: set[Kind] = set()
        self._reindex = QTimer(self)
        self._reindex.setSingleShot(True)
        self._reindex.setInterval(REINDEX_DELAY_MS)
        self._reindex.timeout.connect(self._refresh)
        self.status_message: Callable[[str], None] = lambda _text: None

    # ---- what the window provides ------------------------------------------------------

    def attach(self, workspace: Workspace, tabs: WorkspaceTabs, panels: WorkspacePanels) -> None:
        """Index the workspace's requests and history now (in the background), and
        again after they change."""
        self._workspace = workspace
        self.tabs = tabs
        self.panels = panels
        workspace.collections_changed.connect(self._collections_changed)
        workspace.history_changed.connect(self._history_changed)
        self._refresh()

    def _collections_changed(self) -> None:
        # Kept fresh while closed too, so that opening finds the requests indexed; a
        # burst of changes (an import, a reload) is indexed once, after it.
        self._requests_stale = True
        self._reindex.start()

    def _history_changed(self) -> None:
        # Every send changes the history: it is read again when the palette opens.
        self._history_stale = True
        if self.popup.isVisible():
            self._refresh()

    # ---- opening and searching ---------------------------------------------------------

    def open(self) -> None:
        """Show the palette with an empty query, the index brought up to date."""
        self.index.set_entries(Kind.ACTION, self._action_entries())
        self.index.set_entries(Kind.ENVIRONMENT, self._environment_entries())
        self._refresh()
        self.popup.search.blockSignals(True)
        self.popup.search.clear()
        self.popup.search.blockSignals(False)
        self.search("")
        self.popup.open_over(self.window)

    def _refresh(self) -> None:
        workspace = self._workspace
        if workspace is None:
            return
        if self._requests_stale:
            self._requests_stale = False
            rows = request_rows(workspace)
            self._load(Kind.REQUEST, lambda: request_entries(rows))
        if self._history_stale:
            self._history_stale = False
            history = workspace.history
            self._load(Kind.HISTORY, lambda: history_entries(history))

    def _load(self, kind: Kind, build: Callable[[], list[Entry]]) -> None:
        """Build one kind's entries on the background queue; the newest build wins."""
        self._generation[kind] += 1
        generation = self._generation[kind]
        self.loading.add(kind)

        def done(entries: list[Entry]) -> None:
            if generation != self._generation[kind]:
                return
            self.loading.discard(kind)
            self.index.set_entries(kind, entries)
            if self.popup.isVisible():
                self.search(self.popup.search.text())

        def failed(error: Exception) -> None:
            if generation == self._generation[kind]:
                self.loading.discard(kind)
                what = "requests" if kind is Kind.REQUEST else "history"
                self.status_message(f"The command palette could not read the {what}: {error}")

        self._queue.run(build, done, failed)

    def wait_loaded(self, msecs: int = 5000) -> bool:
        """Block until the background builds are in (tests and the benchmark)."""
        return self._queue.finish(msecs)

    def search(self, query: str) -> list[Result]:
        """Show the best results for `query` and return them."""
        results = self.index.search(query)
        self.popup.show_results(results, self._status(query, results))
        return results

    def _status(self, query: str, results: Sequence[Result]) -> str:
        """The line under the list: the prefixes, how many matched, what is loading."""
        loading = ""
        if self.loading:
            kinds = sorted("requests" if k is Kind.REQUEST else "history" for k in self.loading)
            loading = f" · reading {' and '.join(kinds)}…"
        if not query.strip():
            return HINT + loading
        if not results:
            return f"Nothing matches “{query.strip()}”{loading}"
        total = self.index.matched
        if total > len(results):
            shown = f"{len(results)} of {total:,} matches"
        else:
            shown = f"{total} match" if total == 1 else f"{total} matches"
        return f"{shown} · {KEYS}{loading}"

    # ---- entries made on the GUI thread ------------------------------------------------

    def _action_entries(self) -> list[Entry]:
        entries = []
        for action, path in menu_actions(self.window.menuBar().actions()):
            if action is self.own_action:
                continue
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            text = action.text()
            if action.isCheckable():
                text += " (on)" if action.isChecked() else ""
            entries.append(action_entry(text, path, shortcut, action))
        return entries

    def _environment_entries(self) -> list[Entry]:
        # The workspace's own list (explorer.qt.workspace.Workspace.environment_choices):
        # each environment once, labelled with its collection, two "dev"s told apart;
        # the key is (collection folder, name), what `select_environment` takes.
        workspace = self._workspace
        if workspace is None:
            return []
        entries = [environment_entry("No environment", self._where(None), (None, ""))]
        for choice in workspace.environment_choices():
            where = f"in {choice.collection}"
            entries.append(environment_entry(choice.name, where, (choice.root, choice.name)))
        return entries

    def _where(self, key: object) -> str:
        """What choosing no environment means."""
        return "Send with the collections' and global variables only" if not key else ""

    # ---- choosing ----------------------------------------------------------------------

    def _on_chosen(self, result: Result) -> None:
        self.index.remember(result.entry)
        # After the popup has gone: a command may open a dialog or move the focus.
        QTimer.singleShot(0, self, lambda: self.go(result.entry))

    def go(self, entry: Entry) -> None:
        """Do what `entry` stands for."""
        target = entry.target
        if isinstance(target, RequestTarget):
            if self.tabs.open_request(target.root, target.rel) is None:
                self.status_message(f"“{entry.label}” is no longer in its collection")
        elif isinstance(target, HistoryTarget):
            if self.tabs.open_history(target.entry_id) is None:
                self.status_message("That history entry has been deleted")
        elif isinstance(target, EnvironmentTarget):
            root, name = target.key if isinstance(target.key, tuple) else (None, "")
            workspace = self._workspace
            listed = workspace is not None and (
                not name
                or any((c.root, c.name) == (root, name) for c in workspace.environment_choices())
            )
            if workspace is None or not listed:
                self.status_message(f"The environment “{entry.label}” is no longer there")
                return
            workspace.select_environment(root, name)
        elif isinstance(target, ActionTarget):
            action = target.key
            if isinstance(action, QAction) and action.isEnabled():
                action.trigger()
