"""The main window: request tabs, the workspace docks (collections, history), the
environment toolbar, the menus and the server log dock.

Widgets the first screen does not show (dialogs, the log dock, the completer) are
imported where they are made: each PySide6 class creates its Python enums on first
import, and start-up should not pay for them (docs/ARCHITECTURE.md: Start-up)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QPoint, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget, QWidget

from explorer.core.model import Request
from explorer.core.preferences import THEME_KEY, Preferences, ThemeChoice, theme_choice
from explorer.qt.preference_store import request_defaults
from explorer.qt.server_controller import (
    DEFAULT_SERVER_PORT,
    SERVER_PORT_SETTING,
    ServerController,
    ServerState,
    configured_port,
)
from explorer.ui.widgets.theme import Theme, apply_theme, current_theme, theme_for
from explorer.ui.window.request_tab import (
    SIDE_BY_SIDE,
    STACKED,
    RequestTab,
    read_split,
    write_split,
)
from explorer.ui.window.tab_switcher import RequestTabBar, TabListButton

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QDockWidget, QMenu, QPlainTextEdit

    from explorer.qt.workspace import Workspace
    from explorer.ui.dialogs.preferences_dialog import PreferencesDialog
    from explorer.ui.learn.learn_dock import LearnDock
    from explorer.ui.window.command_palette import CommandPalette
    from explorer.ui.window.compare_actions import CompareActions
    from explorer.ui.window.cookie_actions import CookieActions
    from explorer.ui.window.interop_actions import InteropActions
    from explorer.ui.window.run_actions import RunActions
    from explorer.ui.window.workspace_panels import WorkspacePanels
    from explorer.ui.window.workspace_tabs import WorkspaceTabs

_STATE_TEXT = {
    ServerState.STOPPED: "Sample server: stopped",
    ServerState.STARTING: "Sample server: starting…",
    ServerState.RUNNING: "Sample server: running at {url}",
    ServerState.STOPPING: "Sample server: stopping…",
    ServerState.FAILED: "Sample server: failed to start",
}


LEARN_OPEN_KEY = "learn/open"  # QSettings: the Learn dock was open at the last quit


class MainWindow(QMainWindow):
    """Top-level window. Owns the server controller, the workspace and the request tabs.

    Without a `workspace`, one is made in the folder of the settings file (which
    `explorer.gui` keeps in the data directory), so a window built for a test keeps its
    collections, history and drafts next to its settings.
    """

    def __init__(
        self,
        settings: QSettings,
        server: ServerController | None = None,
        parent: QWidget | None = None,
        workspace: Workspace | None = None,
        workspace_factory: Callable[[], Workspace] | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        from explorer.qt.explain_silencing import silenced_rules

        silenced_rules().attach(settings)  # the Explain tabs' silenced rules, kept here
        self.server = server or ServerController(parent=self)
        # The workspace (collections, history, drafts) is attached right after the first
        # paint when a factory is given, so the window shows before YAML, SQLite and the
        # docks are loaded; a window built with a workspace (or none) attaches at once.
        self.workspace: Workspace | None = None
        self.workspace_tabs: WorkspaceTabs | None = None
        self.panels: WorkspacePanels | None = None
        self.interop: InteropActions | None = None
        self.run_actions: RunActions | None = None  # the collection runner's commands
        self.cookie_actions: CookieActions | None = None  # the cookie manager
        self._compare: CompareActions | None = None  # see compare_actions
        self._pending_server_url = ""
        # Replaceable in tests: open a URL in the system's browser; False when none started.
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.setWindowTitle("API Explorer")
        self.resize(1280, 800)

        self.tabs = QTabWidget(self)
        self.tabs.setTabBar(RequestTabBar(self.tabs))  # a preview tab in italics
        self.tabs.setAccessibleName("Open requests")
        self.tab_list_button = TabListButton(self.tabs)
        self.tabs.setCornerWidget(self.tab_list_button, Qt.Corner.TopRightCorner)
        self.tabs.tabBarDoubleClicked.connect(self._on_tab_double_clicked)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.setCentralWidget(self.tabs)

        self._log_dock: QDockWidget | None = None  # see log_dock
        self._command_palette: CommandPalette | None = None  # built on first Ctrl+K
        self._learn: LearnDock | None = None  # the Learn dock, built when first opened
        self.learn_offer: QWidget | None = None  # a newcomer's offer of the lessons
        self._learn_placed = False  # the dock was given room to read this session

        self.server_status = QLabel(_STATE_TEXT[ServerState.STOPPED], self)
        self.server_status.setAccessibleName("Server status")
        self.statusBar().addPermanentWidget(self.server_status)

        self._build_menus()
        self.server.state_changed.connect(self._on_server_state_changed)
        self.server.ready.connect(self._on_server_ready)
        self.server.failed.connect(self._on_server_failed)
        self.server.output_received.connect(self._on_server_output)
        self.tabs.currentChanged.connect(self._on_current_tab_changed)
        if workspace_factory is not None:
            self.new_tab()
            self._attach_after_paint = _AfterFirstPaint(self.tabs, workspace_factory, self)
        else:
            from explorer.qt.workspace import Workspace

            self.attach_workspace(
                workspace or Workspace(Path(settings.fileName()).parent, settings)
            )

    def attach_workspace(self, workspace: Workspace) -> None:
        """Bring in collections, environments, history and the last session's tabs."""
        from explorer.ui.window.interop_actions import InteropActions
        from explorer.ui.window.workspace_panels import WorkspacePanels
        from explorer.ui.window.workspace_tabs import WorkspaceTabs

        self.workspace = workspace
        workspace.setParent(self)
        self.workspace_tabs = WorkspaceTabs(self, workspace)
        widgets = [self.tabs.widget(i) for i in range(self.tabs.count())]
        early_tabs = [tab for tab in widgets if isinstance(tab, RequestTab)]
        for tab in early_tabs:
            self.workspace_tabs.attach(tab)
        workspace.open_startup_collections()
        self.panels = WorkspacePanels(self, workspace, self.workspace_tabs)
        self.interop = InteropActions(self, workspace)
        self.interop.sample_installed.connect(self._on_sample_installed)
        workspace.active_environment_changed.connect(lambda _name: self._offer_server_urls())
        from explorer.ui.window.run_actions import RunActions

        self.run_actions = RunActions(self, workspace, self.workspace_tabs, self.panels)
        from explorer.ui.window.cookie_actions import CookieActions

        self.cookie_actions = CookieActions(self, workspace)
        self.workspace_tabs.cookies_requested.connect(self.cookie_actions.open_manager)
        self.panels.preferences_applied.connect(self.apply_preferences)
        self.panels.history_panel.compare_requested.connect(
            lambda ids: self.compare_actions.compare_entries(list(ids))
        )
        self.workspace_tabs.compare_requested.connect(
            lambda tab: self.compare_actions.compare_tab(tab)
        )
        self.workspace_tabs.explain_settings_requested.connect(self.edit_explain_rules)
        bar = self.tabs.tabBar()
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        bar.customContextMenuRequested.connect(self._tab_context_menu)
        self._fill_workspace_menus()
        if self.workspace_tabs.restore_session():
            for tab in early_tabs:
                if isinstance(tab, RequestTab) and not tab.is_modified():
                    self.tabs.removeTab(self.tabs.indexOf(tab))
                    tab.deleteLater()
        elif self.tabs.count() == 0:
            self.new_tab()
        self._restore_layout()
        self.panels.report_start_problems()
        app = QApplication.instance()
        if app is not None:
            # A quit without closing the window (session end, app.quit()) keeps drafts too.
            app.aboutToQuit.connect(self._finish_at_quit)
            app.aboutToQuit.connect(self.workspace_tabs.save_session)
            app.aboutToQuit.connect(self.interop.finish_work)
            app.aboutToQuit.connect(workspace.finish_history_writes)
        if self._command_palette is not None:
            self._command_palette.attach(workspace, self.workspace_tabs, self.panels)
        if self._pending_server_url:
            self.interop.install_sample_collection(self._pending_server_url)
        QTimer.singleShot(0, self, self._prepare_response_panel)
        QTimer.singleShot(0, self, self._offer_learning)
        self.workspace_tabs.lesson_requested.connect(self.show_learn)

    def _finish_at_quit(self) -> None:
        """A quit without closing the window: complete the queued writes first."""
        if self.workspace_tabs is not None and self.workspace is not None:
            self.workspace_tabs.closing = True
            self.workspace.finish_writes()

    # --- tabs -------------------------------------------------------------------------

    def current_tab(self) -> RequestTab:
        widget = self.tabs.currentWidget()
        assert isinstance(widget, RequestTab)
        return widget

    # What InteropActions needs of the window (its InteropHost protocol); the workspace
    # is attached by then.

    def current_collection_root(self) -> Path | None:
        """The collection of the current tab, or None for a scratch request."""
        assert self.workspace_tabs is not None
        binding = self.workspace_tabs.bindings.get(self.current_tab())
        return binding.root if binding is not None else None

    def current_request_for_code(self) -> tuple[Request, Path | None]:
        """The current request as it would be sent (inherited settings applied,
        variables not resolved) and the collection whose variables apply."""
        assert self.workspace_tabs is not None
        tab, tabs = self.current_tab(), self.workspace_tabs
        return tabs.effective(tab, tabs.full_request(tab)), tabs.binding(tab).root

    def _tab_context_menu(self, position: QPoint) -> None:
        """Right click on a tab: compare its response with another."""
        bar = self.tabs.tabBar()
        tab = self.tabs.widget(bar.tabAt(position))
        if isinstance(tab, RequestTab):
            menu = self.compare_actions.tab_menu(tab)
            if menu is not None:
                menu.exec(bar.mapToGlobal(position))
                menu.deleteLater()

    @property
    def compare_actions(self) -> CompareActions:
        """The Compare… commands, made (and their modules loaded) on first use."""
        if self._compare is None:
            from explorer.ui.window.compare_actions import CompareActions

            assert self.workspace is not None and self.workspace_tabs is not None
            self._compare = CompareActions(self, self.workspace.history, self.workspace_tabs)
        return self._compare

    def new_tab(self) -> RequestTab:
        """Open an empty request tab, with the Preferences' defaults for new requests
        (timeout, redirects, TLS), and focus its URL."""
        tab = RequestTab(parent=self.tabs)
        tab.load(Request(options=request_defaults(self.settings).options()))
        tab.set_split(self.split)
        tab.split_toggle_requested.connect(self.toggle_split)
        if self.workspace_tabs is not None:
            self.workspace_tabs.attach(tab)
        index = self.tabs.addTab(tab, tab.title())
        tab.title_changed.connect(lambda title, t=tab: self._on_tab_title(t, title))
        self.tabs.setCurrentIndex(index)
        if self.server.url:
            self._offer_server_url(tab)
        tab.editor.url_edit.setFocus()
        return tab

    def duplicate_tab(self) -> RequestTab:
        """Open a copy of the current request in a new tab (not saved anywhere yet)."""
        current = self.current_tab()
        tabs = self.workspace_tabs
        request = tabs.full_request(current) if tabs else current.editor.request()
        tab = self.new_tab()
        tab.load(request, saved=False)
        return tab

    def save_current_tab(self) -> bool:
        """Save the current tab into its collection (asking where for a new request).
        True when the write was queued; its outcome follows (`save_finished`)."""
        if self.workspace_tabs is None:
            return False
        return self.workspace_tabs.save(self.current_tab())

    def save_current_tab_as(self) -> bool:
        """Save the current tab as a new request, asking for its name and folder."""
        if self.workspace_tabs is None or self.workspace is None:
            return False
        tab = self.current_tab()
        binding = self.workspace_tabs.binding(tab)
        root = binding.root or self.workspace.default_root.resolve()
        name = self.workspace_tabs.full_request(tab).name or tab.title()
        target = self.workspace_tabs.ask_save_target(name, root, "")
        return target is not None and self.workspace_tabs.save(tab, target)

    def next_tab(self, step: int = 1) -> None:
        count = self.tabs.count()
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def ask_unsaved(self, tab: RequestTab) -> str:
        """Ask before closing a tab with unsaved changes: "save", "discard" or "cancel"
        (replaceable in tests)."""
        from PySide6.QtWidgets import QMessageBox

        buttons = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, "Close tab", self.unsaved_question(tab),
                          buttons.Save | buttons.Discard | buttons.Cancel, self)  # fmt: skip
        box.setInformativeText("Your changes are lost if you don't save them.")
        box.button(buttons.Discard).setText("Don't Save")
        box.setDefaultButton(buttons.Save)
        box.setEscapeButton(buttons.Cancel)
        answer = box.exec()
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(buttons(answer), "cancel")

    def unsaved_question(self, tab: RequestTab) -> str:
        """The question asked before closing `tab`, naming the request by its name (the
        saved request's name; a request saved nowhere by its method and path)."""
        # Before the workspace is attached, no tab has a saved name yet.
        return f"Save changes to “{self._request_name(tab)}” before closing?"

    def quit_asking(self) -> None:
        """File ▸ Quit: with modified tabs, one question listing them first."""
        if self._confirm_quit():
            self.close()

    def _confirm_quit(self) -> bool:
        """Whether to close now. "save" saves the modified tabs that have a file and
        closes once they are written (a failed save keeps the window open, the reason
        in the status bar); "quit" keeps every edit as a draft (it comes back, unsaved,
        at the next start)."""
        tabs = self.workspace_tabs
        modified = [t for t in tabs.tabs() if t.is_modified()] if tabs is not None else []
        if not modified:
            return True
        choice = self.ask_quit(modified)
        if choice == "save":
            self._save_all_then_close(modified)
            return False
        return choice == "quit"

    def quit_question(self, modified: list[RequestTab]) -> str:
        """The question asked at quit, naming each modified request by its name."""
        names = [self._request_name(tab) for tab in modified]
        listed = "\n".join(f"  • {name}" for name in names[:10])
        more = f"\n  … and {len(names) - 10} more" if len(names) > 10 else ""
        if len(names) == 1:
            return f"Save changes to “{names[0]}” before quitting?"
        return f"Save changes to these {len(names)} requests before quitting?\n{listed}{more}"

    def ask_quit(self, modified: list[RequestTab]) -> str:
        """Ask before quitting with modified tabs: "save", "quit" or "cancel"
        (replaceable in tests)."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, "Quit", self.quit_question(modified),
                          parent=self)  # fmt: skip
        box.setInformativeText(
            "Changes not saved are kept as drafts: they come back, still unsaved, the next "
            "time the app starts. Requests saved in no collection stay drafts."
        )
        save = box.addButton("Save All", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Quit, Keep Drafts", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "quit" if clicked is keep else "cancel"

    def _request_name(self, tab: RequestTab) -> str:
        binding = self.workspace_tabs.bindings.get(tab) if self.workspace_tabs else None
        name = binding.original.name if binding is not None else ""
        return name or tab.title()

    def _save_all_then_close(self, modified: list[RequestTab]) -> None:
        tabs = self.workspace_tabs
        assert tabs is not None  # there are modified tabs only with a workspace
        pending = {t for t in modified if tabs.binding(t).saved_in_collection}
        failed: list[RequestTab] = []

        def done(tab: RequestTab, ok: bool) -> None:
            pending.discard(tab)
            if not ok:
                failed.append(tab)
            if not pending and not failed:
                self.close()

        if not pending:
            self.close()
            return
        for tab in list(pending):
            if not tabs.save(tab, then=functools.partial(done, tab)):
                done(tab, False)  # not queued (the user cancelled a question)

    def close_tab(self, index: int) -> None:
        """Close the tab at `index`. One with unsaved changes is asked about; "save"
        closes it only once its file is written (a failed save leaves it open, the
        reason in the status bar)."""
        widget = self.tabs.widget(index)
        if isinstance(widget, RequestTab) and widget.is_modified():
            choice = self.ask_unsaved(widget)
            if choice == "save":
                self._save_then_close(widget)
                return
            if choice != "discard":
                return
        self._remove_tab(widget)

    def _save_then_close(self, tab: RequestTab) -> None:
        def then(ok: bool) -> None:
            if ok and self.tabs.indexOf(tab) >= 0:
                self._remove_tab(tab)

        if self.workspace_tabs is not None:
            self.workspace_tabs.save(tab, then=then)

    def _remove_tab(self, widget: QWidget | None) -> None:
        if isinstance(widget, RequestTab):
            widget.shutdown()
        if widget is not None:
            self.tabs.removeTab(self.tabs.indexOf(widget))
            if isinstance(widget, RequestTab) and self.workspace_tabs is not None:
                self.workspace_tabs.bindings.pop(widget, None)
            widget.deleteLater()
        if self.tabs.count() == 0:
            self.new_tab()
        if self.workspace_tabs is not None:
            self.workspace_tabs.schedule_save()

    def _on_current_tab_changed(self, _index: int) -> None:
        if self.workspace_tabs is not None:
            self.workspace_tabs.schedule_save()
            QTimer.singleShot(0, self, self._prepare_response_panel)

    def _prepare_response_panel(self) -> None:
        """Build the current tab's response tabs while the window is idle (after the
        first paint, or once a tab is shown), so its first response does not wait the
        ~30 ms they take to build."""
        widget = self.tabs.currentWidget()
        if isinstance(widget, RequestTab):
            widget.response_view.parts  # noqa: B018 - built on first access

    def _on_tab_double_clicked(self, index: int) -> None:
        """A double click on a preview tab keeps it open (pins it)."""
        widget = self.tabs.widget(index)
        if isinstance(widget, RequestTab) and self.workspace_tabs is not None:
            self.workspace_tabs.pin(widget)

    def _on_tab_title(self, tab: RequestTab, _title: str) -> None:
        index = self.tabs.indexOf(tab)
        title = self.workspace_tabs.title(tab) if self.workspace_tabs else tab.title()
        if index >= 0:
            shown = title if len(title) <= 32 else title[:31] + "…"
            modified = tab.is_modified()
            if modified and self.workspace_tabs is not None:
                self.workspace_tabs.pin(tab)  # an edited preview tab stays open
            self.tabs.setTabText(index, f"{shown} ●" if modified else shown)
            self.tabs.setTabToolTip(index, f"{title} (not saved)" if modified else title)

    # --- menus ------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_tab_action = self._action("&New request tab", "Ctrl+T", self.new_tab)
        self.save_action = self._action("&Save request", "Ctrl+S", self.save_current_tab)
        self.save_as_action = self._action(
            "Save request &as…", "Ctrl+Shift+S", self.save_current_tab_as
        )
        self.close_tab_action = self._action(
            "&Close tab", "Ctrl+W", lambda: self.close_tab(self.tabs.currentIndex())
        )
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.quit_asking)
        self.duplicate_tab_action = self._action(
            "&Duplicate tab", "Ctrl+Shift+D", self.duplicate_tab
        )
        # triggered(checked) would arrive as `step` (False: a step of 0), so no direct slot.
        self.next_tab_action = self._action("Ne&xt tab", "Ctrl+Tab", lambda: self.next_tab(1))
        self.next_tab_action.setShortcuts([QKeySequence("Ctrl+Tab"), QKeySequence("Ctrl+PgDown")])
        self.previous_tab_action = self._action(
            "&Previous tab", "Ctrl+Shift+Tab", lambda: self.next_tab(-1)
        )
        self.previous_tab_action.setShortcuts(
            [QKeySequence("Ctrl+Shift+Tab"), QKeySequence("Ctrl+PgUp")]
        )
        for action in (
            self.new_tab_action,
            self.duplicate_tab_action,
            self.close_tab_action,
            self.next_tab_action,
            self.previous_tab_action,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu
        self.edit_menu = self.menuBar().addMenu("&Edit")

        request_menu = self.menuBar().addMenu("&Request")
        self.send_action = self._action("&Send", "Ctrl+Return", self._on_send_shortcut)
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.cancel_action = self._action("&Cancel", "Esc", self._on_cancel_shortcut)
        self.focus_url_action = self._action(
            "Focus &URL", "Ctrl+L", lambda: self.current_tab().editor.url_edit.setFocus()
        )
        for action in (self.send_action, self.cancel_action, self.focus_url_action):
            request_menu.addAction(action)
        self.request_menu = request_menu

        server_menu = self.menuBar().addMenu("&Server")
        self.start_server_action = self._action("&Start sample server", None, self.start_server)
        self.stop_server_action = self._action("S&top sample server", None, self.stop_server)
        self.open_server_action = self._action("&Open in browser", None, self.open_server_page)
        self.show_log_action = self._action(
            "Show server &log", None, lambda checked: self.log_dock.setVisible(checked)
        )
        self.show_log_action.setCheckable(True)
        for action in (
            self.start_server_action,
            self.stop_server_action,
            self.open_server_action,
        ):
            server_menu.addAction(action)
        server_menu.addSeparator()
        server_menu.addAction(self.show_log_action)
        self._on_server_state_changed(self.server.state.value)

        view_menu = self.menuBar().addMenu("&View")
        # Ctrl+K as in Postman and Slack, Ctrl+P as VS Code's quick open; neither is
        # taken elsewhere. A window shortcut, so it works with the focus in any editor
        # (Qt's own Ctrl+K of text fields, delete to the end of the line, yields to it).
        self.palette_action = self._action("Command &palette…", "Ctrl+K", self.open_command_palette)
        self.palette_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence("Ctrl+P")])
        view_menu.addAction(self.palette_action)
        view_menu.addSeparator()
        group = QActionGroup(self)
        self.dark_action = self._action("&Dark theme", None, lambda: self.set_theme(Theme.DARK))
        self.light_action = self._action("&Light theme", None, lambda: self.set_theme(Theme.LIGHT))
        self.system_theme_action = self._action(
            "&Follow the system theme", None, lambda: self.set_theme(ThemeChoice.SYSTEM)
        )
        self.theme_actions = {
            ThemeChoice.DARK: self.dark_action,
            ThemeChoice.LIGHT: self.light_action,
            ThemeChoice.SYSTEM: self.system_theme_action,
        }
        for action in self.theme_actions.values():
            action.setCheckable(True)
            group.addAction(action)
            view_menu.addAction(action)
        self.theme_actions[self.theme_choice()].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # the desktop switched light/dark
            app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)
        self.view_menu = view_menu
        self._add_split_actions(view_menu)
        # The lessons: in the View menu beside the other panels, and under Help.
        self.learn_action = self._action("&Learn", "F1", lambda: self.show_learn())
        view_menu.addSeparator()
        view_menu.addAction(self.learn_action)
        self.help_learn_action = self._action(
            "&Learn HTTP and REST", None, lambda: self.show_learn()
        )
        self.menuBar().addMenu("&Help").addAction(self.help_learn_action)

    def _add_split_actions(self, menu: QMenu) -> None:
        """View ▸ Side by side / Stacked: how every tab splits request and response."""
        menu.addSeparator()
        group = QActionGroup(self)
        self.side_by_side_action = self._action(
            "Request and response side &by side", None, lambda: self.set_split(SIDE_BY_SIDE)
        )
        self.stacked_action = self._action(
            "Request and response s&tacked", None, lambda: self.set_split(STACKED)
        )
        for action in (self.side_by_side_action, self.stacked_action):
            action.setCheckable(True)
            group.addAction(action)
            menu.addAction(action)
        self.split = read_split(self.settings)
        (self.stacked_action if self.split == STACKED else self.side_by_side_action).setChecked(
            True
        )

    def set_split(self, orientation: Qt.Orientation) -> None:
        """Split every open tab (and the ones opened later) this way; remembered."""
        self.split = orientation
        write_split(self.settings, orientation)
        (self.stacked_action if orientation == STACKED else self.side_by_side_action).setChecked(
            True
        )
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if isinstance(tab, RequestTab):
                tab.set_split(orientation)

    def toggle_split(self) -> None:
        self.set_split(SIDE_BY_SIDE if self.split == STACKED else STACKED)

    def _fill_workspace_menus(self) -> None:
        """Add the workspace's entries; Quit stays last in the File menu."""
        panels, interop = self.panels, self.interop
        assert panels is not None and interop is not None  # called once both are made
        self.file_menu.removeAction(self.quit_action)
        panels.fill_file_menu(self.file_menu)
        interop.fill_file_menu(self.file_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        panels.fill_edit_menu(self.edit_menu)
        interop.fill_request_menu(self.request_menu)
        if self.run_actions is not None:
            self.run_actions.fill_request_menu(self.request_menu)
        if self.cookie_actions is not None:
            self.cookie_actions.fill_request_menu(self.request_menu)
        self.view_menu.addSeparator()
        panels.fill_view_menu(self.view_menu)

    def _action(
        self,
        text: str,
        shortcut: str | QKeySequence.StandardKey | None,
        slot: Callable[..., object],  # called with `checked` when it takes an argument
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(
                shortcut if not isinstance(shortcut, str) else QKeySequence(shortcut)
            )
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def open_command_palette(self) -> CommandPalette:
        """Show the command palette (built the first time)."""
        if self._command_palette is None:
            from explorer.ui.window.command_palette import CommandPalette

            palette = CommandPalette(self, self.palette_action)
            palette.status_message = lambda text: self.statusBar().showMessage(text, 8000)
            if self.workspace and self.workspace_tabs and self.panels:
                palette.attach(self.workspace, self.workspace_tabs, self.panels)
            self._command_palette = palette
        self._command_palette.open()
        return self._command_palette

    def _on_send_shortcut(self) -> None:
        tab = self.current_tab()
        if not tab.editor.busy:
            tab.send()

    def _on_cancel_shortcut(self) -> None:
        tab = self.current_tab()
        if tab.editor.busy:
            tab.cancel()

    # --- lessons ----------------------------------------------------------------------

    @property
    def learn(self) -> LearnDock:
        """The Learn dock, made (and its modules loaded) on first use."""
        if self._learn is None:
            from explorer.ui.learn.learn_dock import LearnDock

            self._learn = LearnDock(self)
            self.restoreDockWidget(self._learn.dock)  # where it was left, when the state has it
        return self._learn

    def show_learn(self, slug: str = "") -> LearnDock:
        """View ▸ Learn: the lessons beside the requests (at the lesson `slug`)."""
        self.learn.show(slug)
        if not self._learn_placed:  # sized once laid out: before, a dock keeps its hint
            self._learn_placed = True
            QTimer.singleShot(0, self, self._size_learn_dock)
        if self.learn_offer is not None:  # found: the first-start offer has done its work
            self.learn_offer.deleteLater()
            self.learn_offer = None
        return self.learn

    def _size_learn_dock(self) -> None:
        """Room to read: a docked panel at its bare hint (~290 px) is narrower than a
        column of text wants; a width the user chose (restored) is kept."""
        dock = self.learn.dock
        if not dock.isFloating() and dock.width() < 340:
            width = 400 if self.width() >= 1400 else 360  # the requests keep their room
            self.resizeDocks([dock], [width], Qt.Orientation.Horizontal)

    def _offer_learning(self) -> None:
        """A newcomer's first start offers the lessons once (ui/learn/first_start)."""
        from explorer.ui.learn.first_start import offer_learning

        if self._learn is not None:
            return  # the lessons are found already
        if self.settings.value(LEARN_OPEN_KEY, False, type=bool):
            self.show_learn()  # open at the last quit: open again
            return
        self.learn_offer = offer = offer_learning(self, lambda: self.show_learn())
        if offer is not None:
            offer.dismissed.connect(lambda: setattr(self, "learn_offer", None))

    def theme_choice(self) -> ThemeChoice:
        """The theme the user chose (Preferences or the View menu)."""
        return theme_choice(self.settings.value(THEME_KEY))

    def edit_explain_rules(self) -> PreferencesDialog:
        """Preferences ▸ Explain: the rules the Explain tab checks (its Manage…)."""
        assert self.panels is not None
        dialog = self.panels.edit_preferences()
        dialog.show_page(dialog.explain)
        return dialog

    def set_theme(self, choice: Theme | ThemeChoice) -> None:
        """Switch theme (dark, light, or following the desktop) and remember it for the
        next start; the View menu and Preferences show the same choice."""
        choice = ThemeChoice(choice.value)
        self.settings.setValue(THEME_KEY, choice.value)
        self.theme_actions[choice].setChecked(True)
        self._show_theme(theme_for(choice))

    def apply_preferences(self, preferences: Preferences) -> None:
        """What Preferences saved (the settings already hold it) that the window shows:
        the theme. The code font and the defaults are applied where they are used."""
        self.theme_actions[preferences.theme].setChecked(True)
        theme = theme_for(preferences.theme)
        if theme != current_theme():
            self._show_theme(theme)

    def _on_color_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.theme_choice() == ThemeChoice.SYSTEM:
            theme = theme_for(ThemeChoice.SYSTEM, scheme)
            if theme != current_theme():
                self._show_theme(theme)

    def _show_theme(self, theme: Theme) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if isinstance(tab, RequestTab):
                tab.response_view.refresh_colours()
        if self.panels is not None:
            self.panels.refresh_colours()

    # --- sample server ----------------------------------------------------------------

    @property
    def log_dock(self) -> QDockWidget:
        """The sample server's output, docked at the bottom and hidden until asked for.
        Built on first use (at the latest when the workspace restores the layout), so
        the first paint does not wait for it."""
        if self._log_dock is None:
            from PySide6.QtWidgets import QDockWidget, QPlainTextEdit

            from explorer.ui.widgets.fonts import monospace_font

            log = QPlainTextEdit(self)
            log.setReadOnly(True)
            log.setFont(monospace_font())
            log.setAccessibleName("Server log")
            log.setMaximumBlockCount(2000)
            dock = QDockWidget("Server log", self)
            dock.setObjectName("serverLogDock")
            dock.setWidget(log)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.hide()
            toggled = dock.toggleViewAction()
            toggled.toggled.connect(self.show_log_action.setChecked)
            self._log_dock = dock
        return self._log_dock

    @property
    def server_log(self) -> QPlainTextEdit:
        return cast("QPlainTextEdit", self.log_dock.widget())  # set in log_dock

    def start_server(self) -> None:
        """Start the sample server on the port of the preferences (8765 unless changed;
        0: any free port), or on a free one when that port is taken (said once ready)."""
        self.server_log.clear()
        port = configured_port(self.settings.value(SERVER_PORT_SETTING, DEFAULT_SERVER_PORT))
        self.server.start(port=port, fallback=True)

    def _on_server_output(self, line: str) -> None:
        self.server_log.appendPlainText(line)  # escape sequences already stripped

    def stop_server(self) -> None:
        self.server.stop()

    def open_server_page(self) -> None:
        """Open the server's index page in the web browser, and say what happened: when
        no browser starts, the URL is copied so that it can be pasted into one."""
        if not self.server.url:
            self.statusBar().showMessage("The sample server is not running.", 6000)
            return
        from explorer.ui.widgets.feedback import open_in_browser

        message, failed = open_in_browser(self.server.url + "/", self.open_url)
        self.statusBar().showMessage(message, 15_000 if failed else 8000)

    def _on_server_state_changed(self, value: str) -> None:
        state = ServerState(value)
        text = _STATE_TEXT[state].format(url=self.server.url)
        if state == ServerState.FAILED and self.server.failure:
            text = f"Sample server: {self.server.failure}"  # it may have run for hours
        self.server_status.setText(text)
        running = state == ServerState.RUNNING
        busy = state in (ServerState.STARTING, ServerState.STOPPING)
        self.start_server_action.setEnabled(not running and not busy)
        self.stop_server_action.setEnabled(running or state == ServerState.STARTING)
        self.open_server_action.setEnabled(running)
        if not running and self.panels is not None:
            self.panels.withdraw_offer()

    def _on_server_ready(self, url: str) -> None:
        self.server_status.setText(_STATE_TEXT[ServerState.RUNNING].format(url=url))
        taken = self.server.fell_back_from
        if taken:
            port = url.rsplit(":", 1)[-1]
            self.statusBar().showMessage(
                f"Port {taken} is in use: the sample server runs on {port} ({url}).", 15_000
            )
        else:
            self.statusBar().showMessage(f"Sample server ready at {url}", 5000)
        if self.interop is not None:
            self.interop.install_sample_collection(url)
        else:
            self._pending_server_url = url
        self._offer_server_urls()

    def _on_sample_installed(self, root: Path, url: str) -> None:
        """The Sample API collection is ready: its environment is offered (never chosen
        for the user), and empty tabs get the server's URL once it resolves."""
        from explorer.ui.window.interop_actions import SAMPLE_ENVIRONMENT

        taken = self.server.fell_back_from
        moved = f"Port {taken} is in use: the server runs at {url}. " if taken else ""
        if self.panels is not None:
            # Short enough for the status bar at 1280 px beside the server's state.
            self.panels.offer_environment(
                root,
                SAMPLE_ENVIRONMENT,
                f"{moved}“Sample API” collection is ready; “{SAMPLE_ENVIRONMENT}” sets "
                f"base_url = {url} (not selected).",
            )
        self._offer_server_urls()

    def _offer_server_urls(self) -> None:
        if not self.server.url:
            return
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if isinstance(tab, RequestTab):
                self._offer_server_url(tab)

    def _offer_server_url(self, tab: RequestTab) -> None:
        """Complete URLs with the server's paths, written `{{base_url}}/…` so that a
        request made from them keeps working when the server's port changes; and fill
        an empty URL field with `{{base_url}}/` where that resolves to the server (the
        Sample API's environment is active)."""
        from PySide6.QtWidgets import QCompleter

        paths = ["/api/todos", "/api/items", "/health", "/"]
        completer = QCompleter([f"{{{{base_url}}}}{p}" for p in paths], tab.editor.url_edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        tab.editor.url_edit.setCompleter(completer)
        if not tab.editor.url_edit.text().strip() and self._base_url_of(tab) == self.server.url:
            untouched = not tab.is_modified()
            tab.editor.prefill_url("{{base_url}}/")
            tabs = self.workspace_tabs
            if untouched and tabs is not None and not tabs.binding(tab).saved_in_collection:
                # A suggestion is not an edit: the blank tab stays unmodified (no ●, no
                # question when it is closed) until the user types.
                tab.mark_saved()
                tab.title_changed.emit(tabs.title(tab))

    def _base_url_of(self, tab: RequestTab) -> str | None:
        """What `{{base_url}}` is in `tab`'s scopes, or None."""
        if self.workspace is None or self.workspace_tabs is None:
            return None
        from explorer.core.resolve.variables import Resolver

        scopes = self.workspace.scopes(self.workspace_tabs.binding(tab).root)
        value = Resolver(scopes).value("base_url")
        return value.rstrip("/") if value is not None else None

    def _on_server_failed(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        self.log_dock.show()
        self.statusBar().showMessage(message.splitlines()[0], 10000)
        # Not modal: the window keeps working while the message is read.
        box = QMessageBox(QMessageBox.Icon.Warning, "Sample server", message, parent=self)
        box.setAccessibleName("Sample server error")
        box.setModal(False)
        box.open()
        self.server_error_box = box

    # --- lifetime ---------------------------------------------------------------------

    def _restore_layout(self) -> None:
        self.log_dock  # noqa: B018 - built first: the saved state places it
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # The user closing the window (its title bar) is asked as File ▸ Quit asks; a
        # close by the program (a test, a session ending) keeps the edits as drafts.
        if event.spontaneous() and not self._confirm_quit():
            event.ignore()
            return
        if self.workspace_tabs is not None and self.workspace is not None:
            # Saves still being written are completed first (and their tabs marked
            # saved), so the drafts written next match the files.
            self.workspace_tabs.closing = True
            self.workspace.finish_writes()
            self.workspace_tabs.save_session()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if isinstance(tab, RequestTab):
                tab.shutdown()
        self.server.stop()
        if self.run_actions is not None:
            self.run_actions.close_all()  # a run going is stopped, its kept files go
        if self.interop is not None:
            self.interop.finish_work()  # an import being written is completed, not cut
        if self.workspace is not None:
            self.workspace.finish_history_writes()  # the last exchanges are kept
        if self._learn is not None:
            self._learn.finish()  # the learner's progress is written
        self.settings.setValue(
            LEARN_OPEN_KEY, self._learn is not None and self._learn.dock.isVisible()
        )
        super().closeEvent(event)


class _AfterFirstPaint(QObject):
    """Calls `window.attach_workspace(factory())` once `watched` has painted."""

    def __init__(
        self, watched: QWidget, factory: Callable[[], Workspace], window: MainWindow
    ) -> None:
        super().__init__(window)
        self._factory = factory
        self._window = window
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Let this paint finish and reach the screen first.
            QTimer.singleShot(0, lambda: self._window.attach_workspace(self._factory()))
        return False
