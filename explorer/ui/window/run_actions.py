"""The collection runner in the main window: Run… from the collections tree and from the
Request menu open a `RunnerWindow` on what the workspace holds, and a result opened
from it becomes a normal request tab showing that response. Load test… from the same
places opens a `LoadWindow` (imported when first opened: it is not on the start-up
path), which runs `python -m explorer load` in a child process."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from explorer.application.scopes import request_scopes
from explorer.core.collection import Collection
from explorer.core.model import Request
from explorer.core.paths import script_trust_path
from explorer.qt.preference_store import network_defaults
from explorer.ui.runner.runner_window import RunnerWindow, RunSource
from explorer.ui.window.tab_notice import TabNotice

if TYPE_CHECKING:
    from explorer.core.http.exchange import Response
    from explorer.core.resolve.variables import Scope
    from explorer.qt.run_worker import RunRow
    from explorer.qt.workspace import Workspace
    from explorer.ui.load.load_window import LoadWindow
    from explorer.ui.window.workspace_panels import WorkspacePanels
    from explorer.ui.window.workspace_tabs import WorkspaceTabs


class RunActions(QObject):
    """Opens runner windows and shows their results as responses."""

    def __init__(
        self,
        window: QMainWindow,
        workspace: Workspace,
        tabs: WorkspaceTabs,
        panels: WorkspacePanels,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = workspace
        self.tabs = tabs
        self.panels = panels
        self.runners: list[RunnerWindow] = []
        self.run_action = QAction("&Run collection…", window)
        self.run_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.run_action.setToolTip("Run the requests of a collection or folder, with checks")
        self.run_action.triggered.connect(lambda _checked=False: self.run_current())
        window.addAction(self.run_action)
        panels.sidebar.run_requested.connect(self.run)
        self.load_windows: list[LoadWindow] = []
        self.load_action = QAction("&Load test…", window)
        self.load_action.setToolTip(
            "Run the requests of a collection, folder or request with many virtual users"
        )
        self.load_action.triggered.connect(lambda _checked=False: self.load_current())
        panels.sidebar.load_requested.connect(self.load)

    def fill_request_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.run_action)
        menu.addAction(self.load_action)

    def run_current(self) -> RunnerWindow | None:
        """The runner on the collection or folder selected in the tree, else on the
        current tab's collection, else on the default collection."""
        chosen = self.panels.sidebar.selected()
        if chosen is not None and chosen[2] in ("collection", "folder"):
            return self.run(chosen[0], "" if chosen[2] == "collection" else chosen[1])
        widget = self.tabs.tab_widget.currentWidget()
        root: Path | None = None
        for tab, binding in self.tabs.bindings.items():
            if tab is widget:
                root = binding.root
        return self.run(root or self.workspace.default_root.resolve(), "")

    def run(self, root: Path, rel: str) -> RunnerWindow | None:
        """Open a runner on the collection at `root`, the folder or request at `rel`
        chosen ("" for all)."""
        opened = self.workspace.collections.get(root)
        if opened is None:
            return None
        locations = dict(opened.result.locations)
        start = next((index for index, at in locations.items() if at == rel), ()) if rel else ()
        collection = opened.collection
        workspace = self.workspace

        def scopes(environment: str) -> list[Scope]:
            current = workspace.collections.get(root)
            held = current.collection if current is not None else collection
            chosen = current.environment(environment) if current is not None else None
            return request_scopes(workspace.globals.variables, held, chosen)

        def now() -> tuple[Collection, dict[tuple[int, ...], str]] | None:
            current = workspace.collections.get(root)
            if current is None:
                return None
            return current.collection, dict(current.result.locations)

        from explorer.application.oauth import token_source

        source = RunSource(
            root=root,
            collection=collection,
            locations=locations,
            start=start,
            environments=[e.name for e in collection.environments],
            active_environment=workspace.active_environment,
            scopes=scopes,
            now=now,
            # The trust file a Send uses too (explorer.ui.window.send_scripts).
            trust_path=workspace.data_dir / script_trust_path().name,
            network=lambda: network_defaults(workspace.settings),  # as a Send's
            tokens=token_source(workspace.secrets),  # OAuth 2.0 tokens, as a Send's
        )
        runner = RunnerWindow(source, self.window)
        runner.open_requested.connect(self.open_result)
        runner.to_environment.connect(self.write_to_environment)
        runner.destroyed.connect(lambda _obj=None, r=runner: self._forget(r))
        self.runners.append(runner)
        runner.show()
        runner.raise_()
        runner.activateWindow()
        return runner

    def _current_target(self) -> tuple[Path, str]:
        """The item selected in the tree, else the current tab's collection, else the
        default collection."""
        chosen = self.panels.sidebar.selected()
        if chosen is not None and chosen[2] in ("collection", "folder", "request"):
            return chosen[0], "" if chosen[2] == "collection" else chosen[1]
        widget = self.tabs.tab_widget.currentWidget()
        for tab, binding in self.tabs.bindings.items():
            if tab is widget and binding.root is not None:
                return binding.root, ""
        return self.workspace.default_root.resolve(), ""

    def load_current(self) -> LoadWindow | None:
        return self.load(*self._current_target())

    def load(self, root: Path, rel: str) -> LoadWindow | None:
        """Open a load test of the collection at `root`, or of its folder or request at
        `rel` ("" for all of it)."""
        from explorer.core.load_runs.command import selection
        from explorer.ui.load.load_window import LoadTarget, LoadWindow

        opened = self.workspace.collections.get(root)
        if opened is None:
            return None
        locations = opened.result.locations.items()
        path = next((i for i, at in locations if at == rel), None) if rel else ()
        try:
            if path is None:
                raise LookupError(rel)
            chosen, label = selection(opened.collection, path)
        except LookupError:
            return None  # gone since it was chosen: never all of the collection instead
        target = LoadTarget(
            root=root,
            name=label,
            requests=chosen.requests,
            folders=chosen.folders,
            request_count=chosen.count,
            environments=[e.name for e in opened.collection.environments],
            active_environment=self.workspace.active_environment,
            data_dir=self.workspace.data_dir,
        )
        window = LoadWindow(target, self.window)
        window.destroyed.connect(lambda _obj=None, w=window: self._forget_load(w))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.load_windows.append(window)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _forget_load(self, window: LoadWindow) -> None:
        if window in self.load_windows:
            self.load_windows.remove(window)

    def _forget(self, runner: RunnerWindow) -> None:
        if runner in self.runners:
            self.runners.remove(runner)

    def open_result(
        self, root: Path, rel: str, row: RunRow, response: Response | None, note: str
    ) -> None:
        """Show a run's result in a request tab: its request, and its response when the
        run kept it (else why not)."""
        from explorer.core.http.exchange import ErrorKind, SendError

        tab = self.tabs.open_request(root, rel) if rel else None
        if tab is None:
            tab = self.tabs.host.new_tab()
            tab.load(Request(method=row.method, url=row.url, name=row.name), saved=False)
        if not row.answered:
            tab.response_view.show_error(SendError(ErrorKind.OTHER, row.error or "No response"))
        elif response is not None:
            tab.response_view.show_response(response)
            tab.last_response = response  # to compare
        else:
            # Not kept: what the tab showed before (an earlier Send) is not this result.
            tab.response_view.clear()
        iteration = f", iteration {row.iteration}" if row.iteration > 1 else ""
        text = f"The response of “{row.name}” from the collection runner{iteration}."
        if note:
            text += " " + note
        notice = TabNotice(text, [("Dismiss", lambda: None)], "Run result", tab, warning=False)
        tab.insert_bar(1, notice)
        notice.show()
        self.tabs.tab_widget.setCurrentWidget(tab)
        self.window.raise_()  # the runner is a window of its own, maybe over this one
        self.window.activateWindow()

    def write_to_environment(
        self, root: Path, name: str, values: tuple[tuple[str, str, bool], ...]
    ) -> None:
        """Write a run's captures marked "to the environment" into the environment the
        run used (a secret one as a secret variable), off the GUI thread, as a Send
        writes its own (explorer.ui.window.send_checks)."""
        from explorer.ui.window.send_checks import _with_values  # the one way to merge

        status = self.window.statusBar()
        names = ", ".join(variable for variable, _value, _secret in values)
        opened = self.workspace.collections.get(root)
        environment = opened.environment(name) if opened is not None and name else None
        if opened is None or environment is None:
            status.showMessage(
                f"The run captured {names}, but ran without an environment to write them to.",
                10_000,
            )
            return
        updated = _with_values(environment, values)
        if updated == environment:
            return
        chosen = [updated if e.name == name else e for e in opened.collection.environments]

        def written() -> None:
            status.showMessage(f"The run wrote {names} into the environment {name}.", 5000)

        def failed(error: Exception) -> None:
            status.showMessage(f"The run captured {names}, but not written: {error}", 10_000)

        self.workspace.save_environments_later(root, chosen, {}, written, failed)

    def close_all(self) -> None:
        for runner in list(self.runners):
            runner.close()
        for window in list(self.load_windows):
            window.shutdown()  # a load test going writes its reports first
