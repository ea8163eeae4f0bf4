"""The window's "Compare…" commands: which responses the compare dialog offers, and
which two it starts with.

From a tab's response view: the previous response of the same request (method and URL,
from the history) on the left, this one on the right. From the History panel: two
entries, older on the left; or one entry and the previous one of its request. Either
way the dialog also offers every open tab's response, the other responses of the same
request and the newest history entries, so any two can be chosen. The dialog is
imported here, when first opened (docs/ARCHITECTURE.md: Start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.application.comparing import (
    Source,
    entry_source,
    previous_of_entry_source,
    previous_source,
    response_source,
    same_request_sources,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QWidget

    from explorer.core.storage.history import History
    from explorer.ui.dialogs.response_diff import ResponseDiffDialog
    from explorer.ui.window.request_tab import RequestTab
    from explorer.ui.window.workspace_tabs import WorkspaceTabs

RECENT_ENTRIES = 30  # of the whole history, offered besides the request's own


class CompareActions:
    """Opens the compare dialog for a tab's response or for history entries."""

    def __init__(self, window: QWidget, history: History, tabs: WorkspaceTabs) -> None:
        self.window = window
        self.history = history
        self.tabs = tabs
        self.dialog: ResponseDiffDialog | None = None  # the last one opened (tests look)

    def tab_sources(self) -> list[Source]:
        """Every open tab's response, named by the tab."""
        sources = []
        for tab in self.tabs.tabs():
            response = tab.last_response
            if response is not None:
                label = f"Tab: {self.tabs.title(tab)} · {response.status}"
                sources.append(response_source(_tab_key(tab), label, response))
        return sources

    def compare_tab(self, tab: RequestTab) -> ResponseDiffDialog | None:
        """This tab's response (right) with the previous one of its request (left)."""
        response = tab.last_response
        if response is None:
            self._status("Send the request first: there is no response to compare.")
            return None
        sent = response.sent
        previous = previous_source(self.history, sent.method, sent.url, response)
        this = f"This response: {self.tabs.title(tab)} · {response.status}"
        sources = [
            previous,
            response_source(_tab_key(tab), this, response),
            *same_request_sources(self.history, sent.method, sent.url),
        ]
        return self._open(sources, previous.key, _tab_key(tab))

    def compare_tabs(self, tab: RequestTab, other: RequestTab) -> ResponseDiffDialog | None:
        """Another tab's response (left) with this tab's (right)."""
        if tab.last_response is None or other.last_response is None:
            self._status("Both tabs need a response to compare.")
            return None
        return self._open(self.tab_sources(), _tab_key(other), _tab_key(tab))

    def tab_menu(self, tab: RequestTab) -> QMenu | None:
        """A tab's context menu: compare its response with the previous one of its
        request or with another tab's; None when the tab has no response."""
        from PySide6.QtWidgets import QMenu

        if tab.last_response is None:
            return None
        menu = QMenu(self.window)
        menu.setAccessibleName("Tab menu")
        compare = menu.addMenu("Compare response with")
        previous = compare.addAction("Previous response of this request")
        previous.triggered.connect(lambda _checked=False: self.compare_tab(tab))
        others = [t for t in self.tabs.tabs() if t is not tab and t.last_response is not None]
        if others:
            compare.addSeparator()
        for other in others:
            action = compare.addAction(f"Tab: {self.tabs.title(other)}")
            action.triggered.connect(lambda _checked=False, o=other: self.compare_tabs(tab, o))
        return menu

    def compare_entries(self, ids: list[int]) -> ResponseDiffDialog | None:
        """Two history entries (older on the left), or one and the previous response of
        its request."""
        if not ids:
            return None
        chosen = self.history.summaries(ids[:2])
        if not chosen:
            self._status("That history entry no longer exists.")
            return None
        chosen.sort(key=lambda summary: (summary.timestamp, summary.id))
        sources = [entry_source(self.history, summary) for summary in chosen]
        if len(sources) == 1:
            sources.insert(0, previous_of_entry_source(self.history, chosen[0].id))
            summary = chosen[0]
            sources += same_request_sources(self.history, summary.method, summary.url)
        return self._open(sources, sources[0].key, sources[1].key)

    def _open(self, first: list[Source], left: str, right: str) -> ResponseDiffDialog:
        from explorer.ui.dialogs.response_diff import ResponseDiffDialog

        recent = [
            entry_source(self.history, summary)
            for summary in self.history.search(limit=RECENT_ENTRIES)
            if summary.status
        ]
        sources: list[Source] = []
        seen: set[str] = set()
        for source in (*first, *self.tab_sources(), *recent):
            if source.key not in seen:
                seen.add(source.key)
                sources.append(source)
        dialog = ResponseDiffDialog(sources, left, right, self.window)
        dialog.show()
        self.dialog = dialog
        dialog.destroyed.connect(lambda _obj=None: self._closed(dialog))
        return dialog

    def _closed(self, dialog: object) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _status(self, text: str) -> None:
        status = getattr(self.window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 8000)


def _tab_key(tab: RequestTab) -> str:
    # The same tab keeps its key while it shows the same response.
    response = tab.last_response
    return f"tab:{id(tab)}:{id(response)}"
