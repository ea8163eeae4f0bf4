"""The workspace's parts of the main window: the Collections and History docks, the
environment toolbar, the collection watcher, and the workspace's menu commands.

The panels see the window only through `PanelsHost`: the main window's Qt API for
docks, toolbars and the status bar, its top-level widget as the parent of what they
make, and the tab area to know which request is current."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStatusBar,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from explorer.core.storage.errors import StorageError
from explorer.core.storage.watch import Changes
from explorer.qt.collection_watcher import CollectionWatcher
from explorer.qt.workspace import Workspace
from explorer.ui.dialogs.collection_dialogs import NewCollectionDialog
from explorer.ui.dialogs.preferences_dialog import PreferencesDialog
from explorer.ui.sidebar.collection_tree import CollectionSidebar
from explorer.ui.sidebar.environment_editor import EnvironmentEditor
from explorer.ui.sidebar.history_panel import HistoryPanel
from explorer.ui.widgets.theme import palette
from explorer.ui.window.environment_selector import NO_ENVIRONMENT, EnvironmentSelector
from explorer.ui.window.request_tab import RequestTab
from explorer.ui.window.workspace_tabs import WorkspaceTabs

__all__ = ["NO_ENVIRONMENT", "PanelsHost", "WorkspacePanels"]


@runtime_checkable
class PanelsHost(Protocol):
    """What the panels need of the main window (`MainWindow` satisfies it as it is)."""

    @property
    def tabs(self) -> QTabWidget:
        """The request tabs: the current one names the collection Variables… opens on."""
        ...

    def window(self) -> QWidget:
        """The top-level widget: parent of the docks, toolbar, actions and dialogs."""
        ...

    def addDockWidget(  # noqa: N802 - QMainWindow's name
        self, area: Qt.DockWidgetArea, dockwidget: QDockWidget, /
    ) -> None: ...

    def tabifyDockWidget(  # noqa: N802 - QMainWindow's name
        self, first: QDockWidget, second: QDockWidget, /
    ) -> None: ...

    def resizeDocks(  # noqa: N802 - QMainWindow's name
        self, docks: Sequence[QDockWidget], sizes: Sequence[int], orientation: Qt.Orientation, /
    ) -> None: ...

    def addToolBar(  # noqa: N802 - QMainWindow's name
        self, area: Qt.ToolBarArea, toolbar: QToolBar, /
    ) -> None: ...

    def statusBar(self) -> QStatusBar:  # noqa: N802 - QMainWindow's name
        """Where short messages are shown."""
        ...


class WorkspacePanels(QObject):
    """Builds and wires the workspace's docks, toolbar and commands into `host`."""

    # Preferences were saved (the Preferences): the window applies what it shows.
    preferences_applied = Signal(object)

    def __init__(self, host: PanelsHost, workspace: Workspace, tabs: WorkspaceTabs) -> None:
        window = host.window()
        super().__init__(window)
        self.host = host
        self.window = window
        self.workspace = workspace
        self.tabs = tabs

        self.sidebar = CollectionSidebar(workspace, window)
        self.collections_dock = self._dock("Collections", "collectionsDock", self.sidebar)
        self.history_panel = HistoryPanel(workspace.history, window)
        self.history_panel.change_history = workspace.change_history_later  # off the GUI thread
        self.history_dock = self._dock("History", "historyDock", self.history_panel)
        host.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.collections_dock)
        host.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.history_dock)
        host.tabifyDockWidget(self.collections_dock, self.history_dock)
        self.collections_dock.raise_()
        host.resizeDocks([self.collections_dock], [290], Qt.Orientation.Horizontal)

        self._build_toolbar()
        self.watcher = CollectionWatcher(is_own=self._is_own_write, parent=self)
        self._sync_watched()

        self.sidebar.open_requested.connect(tabs.open_request)
        self.sidebar.preview_requested.connect(tabs.preview_request)
        self.sidebar.variables_requested.connect(self.edit_variables)
        self.sidebar.new_collection_requested.connect(self.new_collection)
        self.sidebar.status.connect(lambda text: host.statusBar().showMessage(text, 8000))
        self.history_panel.open_requested.connect(tabs.open_history)
        workspace.history_changed.connect(self.history_panel.refresh)
        workspace.collections_changed.connect(self._sync_watched)
        workspace.wrote.connect(self.watcher.rebaseline)
        workspace.environments_changed.connect(self._fill_environments)
        workspace.active_environment_changed.connect(self._show_active_environment)
        workspace.environment_notice.connect(
            lambda text: host.statusBar().showMessage(text, 10_000)
        )
        self.watcher.changed.connect(self._on_files_changed)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    # ---- toolbar -----------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Workspace", self.window)
        toolbar.setObjectName("workspaceToolbar")
        toolbar.setAccessibleName("Workspace toolbar")
        toolbar.setMovable(False)
        label = QLabel("Environment:", toolbar)
        label.setContentsMargins(6, 0, 6, 0)
        self.environment_combo = EnvironmentSelector(toolbar)
        self.offer_button: QPushButton | None = None  # see offer_environment
        self._offered: tuple[Path, str] | None = None
        label.setBuddy(self.environment_combo)
        self.environment_combo.activated.connect(self._on_environment_chosen)
        self.variables_action = QAction("Variables…", self.window)
        self.variables_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.variables_action.setToolTip("Edit environments and variables (Ctrl+Shift+E)")
        self.variables_action.triggered.connect(lambda: self.edit_variables(None))
        self.window.addAction(self.variables_action)
        toolbar.addWidget(label)
        toolbar.addWidget(self.environment_combo)
        button = QToolButton(toolbar)
        button.setDefaultAction(self.variables_action)
        button.setAccessibleName("Edit variables and environments")
        toolbar.addWidget(button)
        self.host.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar
        self._fill_environments()

    def _fill_environments(self) -> None:
        workspace = self.workspace
        self.environment_combo.fill(
            workspace.environment_choices(),
            workspace.active_environment_root,
            workspace.active_environment,
        )
        self._review_offer()

    def _show_active_environment(self, _name: str) -> None:
        workspace = self.workspace
        row = self.environment_combo.index_of(
            workspace.active_environment_root, workspace.active_environment
        )
        if row < 0:
            self._fill_environments()
        else:
            self.environment_combo.setCurrentIndex(row)
        self._review_offer()

    def _on_environment_chosen(self, index: int) -> None:
        self.workspace.select_environment(*self.environment_combo.choice_at(index))

    # ---- an environment offered, never chosen for the user ------------------------------

    def offer_environment(self, root: Path, name: str, why: str) -> None:
        """Offer the environment `name` of the collection at `root` (the Sample API's
        "Sample server" once the server runs): `why` goes to the status bar and a
        "Use “name”" button waits beside it until pressed, the environment is chosen
        some other way, or it goes away. The selection itself is left as it is."""
        workspace = self.workspace
        if (workspace.active_environment_root, workspace.active_environment) == (root, name):
            self.withdraw_offer()
            return
        self._offered = (root, name)
        if self.offer_button is None:
            button = QPushButton(self.window)
            button.setAccessibleName("Use the offered environment")
            button.clicked.connect(self._accept_offer)
            self.host.statusBar().addPermanentWidget(button)
            self.offer_button = button
        self._style_offer()
        self.offer_button.setText(f"Use “{name}”")
        self.offer_button.setToolTip(f"Make “{name}” the active environment: {why}")
        self.offer_button.show()
        self.host.statusBar().showMessage(why, 15_000)

    def _style_offer(self) -> None:
        # The status bar draws push buttons flat, like its text: this one must read as
        # a button, in the theme's link colour.
        if self.offer_button is not None:
            tint = palette().link
            self.offer_button.setStyleSheet(
                f"QPushButton {{ color: {tint}; border: 1px solid {tint}; border-radius: 3px;"
                " padding: 1px 8px; margin: 1px 4px; }"
            )

    def withdraw_offer(self) -> None:
        """Take the offer back (the server stopped, or it was taken)."""
        self._offered = None
        if self.offer_button is not None:
            self.offer_button.hide()

    def _accept_offer(self) -> None:
        if self._offered is not None:
            root, name = self._offered
            self.workspace.select_environment(root, name)
            choice = self.workspace.active_choice()
            if choice is not None:
                self.host.statusBar().showMessage(
                    f"Every send now uses the environment {choice.label}.", 6000
                )
        self.withdraw_offer()

    def _review_offer(self) -> None:
        """An offer already taken, or of an environment that is gone, is withdrawn."""
        if self._offered is None:
            return
        root, name = self._offered
        workspace = self.workspace
        taken = (workspace.active_environment_root, workspace.active_environment) == (root, name)
        opened = workspace.collections.get(root)
        if taken or opened is None or opened.environment(name) is None:
            self.withdraw_offer()

    # ---- menus -------------------------------------------------------------------------

    def fill_file_menu(self, menu: QMenu) -> None:
        """Collection commands of the File menu."""
        self.open_collection_action = menu.addAction("&Open collection folder…")
        self.open_collection_action.triggered.connect(lambda: self.open_collection_folder())
        self.new_collection_action = menu.addAction("New co&llection…")
        self.new_collection_action.triggered.connect(lambda: self.new_collection())
        self.recent_menu = menu.addMenu("&Recent collections")
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def fill_edit_menu(self, menu: QMenu) -> None:
        """Undo/redo of collection changes, variables and preferences."""
        self.undo_action = self.sidebar.undo_stack.createUndoAction(self.window, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.sidebar.undo_stack.createRedoAction(self.window, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        for action in (self.undo_action, self.redo_action):
            # Text fields keep Ctrl+Z for their own text: they take the shortcut first.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.variables_action)
        self.preferences_action = menu.addAction("&Preferences…")
        self.preferences_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.preferences_action.triggered.connect(self.edit_preferences)

    def fill_view_menu(self, menu: QMenu) -> None:
        """Show/hide the docks and the toolbar."""
        for dock, shortcut in (
            (self.collections_dock, "Ctrl+Shift+C"),
            (self.history_dock, "Ctrl+H"),
        ):
            action = dock.toggleViewAction()
            action.setShortcut(QKeySequence(shortcut))
            menu.addAction(action)
        menu.addAction(self.toolbar.toggleViewAction())

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.workspace.recent_collections()
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_collection_folder(Path(p)))
        if not recent:
            self.recent_menu.addAction("No recent collections").setEnabled(False)

    # ---- commands ----------------------------------------------------------------------

    def open_collection_folder(self, path: Path | None = None) -> bool:
        """Open a collection folder (asking which when `path` is None)."""
        if path is None:
            chosen = QFileDialog.getExistingDirectory(
                self.window, "Open collection folder", str(self.workspace.data_dir)
            )
            if not chosen:
                return False
            path = Path(chosen)
        try:
            opened = self.workspace.open_collection(path)
        except (StorageError, OSError) as exc:
            QMessageBox.warning(self.window, "Open collection", f"Could not open {path}:\n{exc}")
            return False
        self._announce_problems(opened.root)
        self.sidebar.select(opened.root, "")
        return True

    def new_collection(self, path: Path | None = None, name: str | None = None) -> bool:
        """Make a new collection (asking for its name and place when not given), off the
        GUI thread; it is opened and selected once written. True when queued."""
        if path is None or name is None:
            dialog = NewCollectionDialog(self.workspace.data_dir / "collections", self.window)
            if not dialog.exec():
                return False
            path, name = dialog.folder(), dialog.name()
        where = path

        def failed(exc: Exception) -> None:
            QMessageBox.warning(self.window, "New collection", f"Could not create {where}:\n{exc}")

        self.workspace.create_collection_later(
            path, name, lambda opened: self.sidebar.select(opened.root, ""), failed
        )
        return True

    def edit_variables(self, root: Path | None = None) -> EnvironmentEditor:
        """Open the Variables and environments dialog for the current tab's collection
        (a scratch tab: the active environment's collection, else the default one)."""
        if root is None:
            current = self.host.tabs.currentWidget()
            binding = self.tabs.bindings.get(current) if isinstance(current, RequestTab) else None
            root = binding.root if binding is not None else None
        # A scratch tab's variables that matter most are the active environment's.
        root = root or self.workspace.active_environment_root
        dialog = EnvironmentEditor(
            self.workspace, root or self.workspace.default_root.resolve(), self.window
        )
        dialog.setModal(True)
        dialog.open()
        self.environment_dialog = dialog
        return dialog

    def edit_preferences(self) -> PreferencesDialog:
        """Open the Preferences dialog."""
        earlier = getattr(self, "preferences_dialog", None)
        if earlier is not None and not earlier.isVisible():
            earlier.deleteLater()  # one closed dialog (and its check thread) at most
        dialog = PreferencesDialog(self.workspace, self.window)
        dialog.applied.connect(self.preferences_applied)
        dialog.open()
        self.preferences_dialog = dialog
        return dialog

    # ---- files changed outside ---------------------------------------------------------

    def _is_own_write(self, root: Path, path: Path) -> bool:
        opened = self.workspace.collections.get(root)
        return opened is not None and opened.store.is_own_write(path)

    def _sync_watched(self) -> None:
        roots = set(self.workspace.collections)
        watched = set(self.watcher.roots())
        for root in watched - roots:
            self.watcher.unwatch(root)
        for root in roots - watched:
            self.watcher.watch(root)

    def _on_files_changed(self, root: Path, changes: Changes) -> None:
        if root not in self.workspace.collections:
            return
        try:
            opened = self.workspace.reload(root)
        except (StorageError, OSError) as exc:
            self.host.statusBar().showMessage(f"{root} could not be read again: {exc}", 10000)
            return
        count = len(changes.added) + len(changes.removed) + len(changes.modified)
        self.host.statusBar().showMessage(
            f"{opened.name}: {count} file(s) changed on disk; reloaded", 6000
        )
        self._announce_problems(root)

    def _announce_problems(self, root: Path) -> None:
        opened = self.workspace.collections.get(root)
        if opened is not None and opened.problems:
            first = opened.problems[0]
            more = f" (and {len(opened.problems) - 1} more)" if len(opened.problems) > 1 else ""
            self.host.statusBar().showMessage(
                f"Cannot read {first}{more}. The file is left untouched.", 15000
            )

    def report_start_problems(self) -> None:
        """Tell about files and stores that could not be read at start-up."""
        for root in self.workspace.collections:
            self._announce_problems(root)
        if self.workspace.start_problems:
            self.host.statusBar().showMessage(self.workspace.start_problems[0], 15000)

    def refresh_colours(self) -> None:
        """Re-colour what uses theme colours after a theme change."""
        self.sidebar.rebuild()
        self.history_panel.refresh()
        for binding in self.tabs.bindings.values():
            if binding.location is not None:
                binding.location.refresh_colours()
        self.tabs.refresh_variables()
        self._fill_environments()  # the group headers' muted colour
        self._style_offer()
