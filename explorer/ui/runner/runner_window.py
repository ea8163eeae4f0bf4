"""The collection runner: a window of its own with the run's setup on the left and its
live results on the right.

A run goes through the one engine (`explorer.application.running`), on the
`RunWorker`'s thread; results come back in batches (docs/ARCHITECTURE.md, invariant 2).
The window only sees its target through a `RunSource`: the collection as the workspace
holds it (secret values filled in), where its items are on disk, its environments and
how to build the variable scopes of one; the main window makes that and opens
results as responses (`open_requested`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QMessageBox, QSplitter, QVBoxLayout, QWidget

from explorer.core.collection import Collection, Folder, RequestItem
from explorer.core.resolve.variables import Scope
from explorer.qt.background import BackgroundQueue
from explorer.qt.run_worker import ResponseStore, RunRow, RunWorker, engine_job
from explorer.ui.runner.results_view import RunResults
from explorer.ui.runner.run_setup import RunChoice, RunSetup, request_paths
from explorer.ui.widgets.trust_question import TRUST, WITHOUT, ask_script_trust

if TYPE_CHECKING:
    from explorer.application.running import RunSummary, ScriptHooks, Selected
    from explorer.application.scripting import PythonScripts, ScriptTrust
    from explorer.application.sending import PreparedSend
    from explorer.core.preferences import NetworkDefaults

REPORT_FILTERS = {
    "JUnit XML (*.xml)": "junit",
    "JSON (*.json)": "json",
    "HTML page (*.html)": "html",
}


@dataclass(frozen=True)
class RunSource:
    """What the runner needs of the collection it runs."""

    root: Path
    collection: Collection  # secret values filled in
    locations: Mapping[tuple[int, ...], str]  # an item's index path -> its path on disk
    start: tuple[int, ...] = ()  # the folder to run (index path; () for all)
    environments: Sequence[str] = ()
    active_environment: str = ""
    scopes: Callable[[str], list[Scope]] = lambda _environment: []  # by environment name
    trust_path: Path | None = None  # the script trust file (None: the app's default)
    # The window's proxy and CA bundle (Preferences), read when a run starts.
    network: Callable[[], NetworkDefaults | None] = lambda: None
    # The collection and locations as they are now (None: closed), to run edits too.
    now: Callable[[], tuple[Collection, Mapping[tuple[int, ...], str]] | None] | None = None
    # OAuth 2.0 tokens for requests with OAUTH2 auth (application/oauth.token_source).
    tokens: Callable[[PreparedSend], PreparedSend] | None = None


@dataclass(frozen=True)
class _Run:
    """One run as started: what it ran, to rerun or report it."""

    choice: RunChoice
    paths: tuple[tuple[int, ...], ...]  # the requests in run order (engine positions)


class RunnerWindow(QWidget):
    """Run a collection, a folder or a selection of requests; watch and keep results."""

    # root, rel of the request ("" when unknown), the RunRow, its Response or None, note
    open_requested = Signal(object, str, object, object, str)
    # A finished run's captures marked "to the environment": root, the environment
    # chosen for the run (""), ((name, raw value, secret), ...). Never shown or logged.
    to_environment = Signal(object, str, object)

    def __init__(self, source: RunSource, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.source = source
        self.setWindowTitle(f"Run “{source.collection.name}” — API Explorer")
        self.setAccessibleName("Collection runner")
        # A QWidget subclass paints the theme's background only when asked to; without
        # it the window shows the platform's grey between the themed widgets.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.resize(1280, 720)
        self.queue = BackgroundQueue(self)
        self.worker = RunWorker(parent=self)
        self.store = ResponseStore()
        self.current: _Run | None = None
        self.summary: RunSummary | None = None  # of the last run, once finished
        # Replaceable in tests: where to save a report, and questions.
        self.ask_report_path: Callable[[], tuple[str, str] | None] = self._ask_report_path
        self.report_written: Callable[[Path], None] = lambda _path: None
        # (collection name, folder, script places) -> TRUST, WITHOUT or CANCEL
        self.ask_trust: Callable[[str, Path, list[str]], str] = self.ask_trust_default

        self.setup = RunSetup(self._read_data, self.queue, self)
        self.results = RunResults(self)
        for pane in (self.setup, self.results):  # else the splitter's grey shows through
            pane.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.setup)
        splitter.addWidget(self.results)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 980])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.setup.run_requested.connect(self.start)
        self.results.cancel_requested.connect(self.cancel)
        self.results.rerun_failed_requested.connect(self.rerun_failed)
        self.results.export_requested.connect(self.export_report)
        self.results.open_requested.connect(self._on_open)
        self.worker.batch.connect(self._on_batch)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        QShortcut(QKeySequence("Esc"), self, self.cancel)

        self.setup.set_target(
            source.collection, source.start, source.environments, source.active_environment
        )
        self._describe_target()

    def _describe_target(self) -> None:
        name = self.source.collection.name
        where = self._folder_names(self.source.start)
        self.setup.title.setText(
            f"<b>{_escape(name)}</b>" + (f" / {_escape(' / '.join(where))}" if where else "")
        )

    def _folder_names(self, path: tuple[int, ...]) -> list[str]:
        names, node = [], self.source.collection
        for position in path:
            item = node.items[position]
            names.append(getattr(item, "name", ""))
            if not hasattr(item, "items"):
                break
            node = item  # type: ignore[assignment]
        return names

    # ---- running ------------------------------------------------------------------------

    def start(self, choice: RunChoice) -> None:
        """Run the chosen requests as chosen (a run still going is stopped first). A
        collection with scripts runs them only once trusted on this machine: that is
        looked up (and asked) first."""
        if self.worker.running or not self._catch_up():
            return
        paths = tuple(p for p in request_paths(self.source.collection) if p in set(choice.selected))
        if not paths:
            return
        self.setup.run_button.setEnabled(False)
        collection, root, trust = self.source.collection, self.source.root, self._trust_store()

        def looked_up(found: tuple[PythonScripts | None, str]) -> None:
            hooks, warning = found
            if not warning:
                self._go(choice, paths, hooks, "")
                return
            from explorer.application.scripting import scripts_of

            places = [f"{s.place} ({s.phase})" for s in scripts_of(collection)]
            answer = self.ask_trust(collection.name, root, places)
            if answer == TRUST:
                self.queue.run(
                    lambda: _trusted_hooks(trust, root, collection),
                    lambda hooks: self._go(choice, paths, hooks, ""),
                    lambda error: self._go(choice, paths, None, f"Scripts not run: {error}"),
                )
            elif answer == WITHOUT:
                self._go(choice, paths, None, "Scripts not run: the collection is not trusted")
            else:
                self.setup.run_button.setEnabled(True)

        def failed(error: Exception) -> None:
            self._go(choice, paths, None, f"Scripts not run: {error}")

        self.queue.run(lambda: _script_hooks(trust, root, collection), looked_up, failed)

    def _catch_up(self) -> bool:
        """Take the collection as it is now (edits since the runner opened run too).
        False when its requests moved, came or went: the list is shown again, to be
        checked before running."""
        if self.source.now is None:
            return True
        found = self.source.now()
        if found is None:
            self.results.run_note.show_message("The collection was closed.", "error")
            return False
        collection, locations = found
        same = request_paths(collection) == request_paths(self.source.collection) and all(
            locations.get(p) == self.source.locations.get(p) for p in request_paths(collection)
        )
        self.source = replace(self.source, collection=collection, locations=locations)
        if same:
            return True
        self.setup.set_target(
            collection, self.source.start, self.source.environments, self.setup.environment()
        )
        self.results.run_note.show_message(
            "The collection changed since the runner opened: check the requests to run, "
            "then Run again.",
            "warning",
        )
        return False

    def _trust_store(self) -> ScriptTrust:
        """Where trusts are kept: the window's data directory (as for a Send)."""
        from explorer.application.scripting import ScriptTrust

        return ScriptTrust(self.source.trust_path)

    def _go(
        self,
        choice: RunChoice,
        paths: tuple[tuple[int, ...], ...],
        hooks: ScriptHooks | None,
        note: str,
    ) -> None:
        from explorer.application.running import RunPlan
        from explorer.application.sending import SendOptions

        collection = self.source.collection
        selection = tuple(_selected(collection, path) for path in paths)
        silenced = frozenset[str]()
        if choice.explain:  # the rules silenced in the Explain tabs stay silent here
            from explorer.qt.explain_silencing import silenced_rules

            silenced = silenced_rules().ids()
        plan = RunPlan(
            collection=collection,
            selection=selection,
            root=self.source.root,
            scopes=tuple(self.source.scopes(choice.environment)),
            iterations=None if choice.data_rows else choice.iterations,
            data=choice.data_rows,
            delay_ms=choice.delay_ms,
            bail=choice.bail,
            allow_files=choice.allow_outside_files,
            explain=choice.explain,
            explain_silenced=silenced,
            scripts=hooks,
            options=SendOptions(network=self.source.network()),
            tokens=self.source.tokens,
        )
        self.store.clear()
        self.summary = None
        self.current = _Run(choice, paths)
        self.results.begin(len(paths) * plan.iteration_count, note, explaining=plan.explain)
        job, stop = engine_job(plan, self.store, collect=self.worker.collect_later)
        self.worker.start(job, stop)

    def ask_trust_default(self, name: str, root: Path, places: list[str]) -> str:
        """Ask whether the collection's scripts may run: TRUST, WITHOUT or CANCEL (the
        question a Send asks, worded for a run; replaceable in tests)."""
        return ask_script_trust(self, name, root, places, run=True)

    def cancel(self) -> None:
        if self.worker.running:
            self.worker.cancel()

    def rerun_failed(self) -> None:
        """Run again the requests that failed, in the iterations where they failed."""
        if self.current is None or self.worker.running:
            return
        failed = self.results.model.failed_rows()
        if not failed:
            return
        run = self.current
        chosen = tuple(
            dict.fromkeys(run.paths[r.position] for r in failed if r.position < len(run.paths))
        )
        choice = replace(run.choice, selected=chosen)
        rows = run.choice.data_rows
        if rows:
            iterations = sorted({r.iteration for r in failed})
            choice = replace(choice, data_rows=tuple(rows[(i - 1) % len(rows)] for i in iterations))
        else:
            choice = replace(choice, iterations=1)
        self.start(choice)

    def _on_batch(self, events: list[object]) -> None:
        rows = [e for e in events if isinstance(e, RunRow)]
        if rows:
            self.results.add(rows)

    def _on_finished(self, summary: object) -> None:
        from explorer.application.running import RunSummary

        assert isinstance(summary, RunSummary)
        self.summary = summary
        totals = self.results.model.totals
        if summary.cancelled:
            state = "Cancelled"
        elif summary.bailed:
            state = "Stopped at the first failure"
        elif totals.failed or totals.errors:
            state = "Finished with failures"
        else:
            state = "All passed"
        self.results.end(state, summary.seconds * 1000.0)
        self.setup.run_button.setEnabled(True)
        values = tuple(
            (c.variable, c.value, c.secret) for c in summary.to_environment if c.value is not None
        )
        if values and self.current is not None:
            self.to_environment.emit(self.source.root, self.current.choice.environment, values)

    def _on_failed(self, message: str) -> None:
        self.results.end(message)
        self.setup.run_button.setEnabled(True)

    @staticmethod
    def _read_data(path: Path) -> tuple[dict[str, str], ...]:
        """On the background queue: the rows of a data file (bounded; a bad file is a
        one-line DataFileError)."""
        from explorer.core.data_file import read_data_file

        return tuple(dict(row) for row in read_data_file(path))

    # ---- results ------------------------------------------------------------------------

    def _on_open(self, row: RunRow) -> None:
        rel = ""
        if self.current is not None and row.position < len(self.current.paths):
            rel = self.source.locations.get(self.current.paths[row.position], "")
        response = self.store.get(row.serial)
        note = self.store.note(row.serial) if row.answered else ""
        self.open_requested.emit(self.source.root, rel, row, response, note)

    def export_report(self) -> None:
        """Save the results as a report, written off the GUI thread."""
        chosen = self.ask_report_path()
        if chosen is None:
            return
        path, kind = Path(chosen[0]), chosen[1]
        summary = self.summary
        if summary is None:
            return

        def write() -> Path:
            from explorer.application.reports import write_report

            write_report(kind, path, summary)
            return path

        def failed(error: Exception) -> None:
            QMessageBox.warning(self, "Export report", f"The report was not written:\n{error}")

        self.queue.run(write, lambda written: self.report_written(Path(str(written))), failed)

    def _ask_report_path(self) -> tuple[str, str] | None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export run report",
            str(Path.home() / f"{self.source.collection.name}-report.xml"),
            ";;".join(REPORT_FILTERS),
        )
        if not path:
            return None
        kind = REPORT_FILTERS.get(chosen, "junit")
        return path, kind

    # ---- lifetime -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing stops the run; kept responses and their files go."""
        self.worker.cancel()
        self.worker.wait()
        self.queue.finish()
        self.store.clear()
        super().closeEvent(event)


def _script_hooks(
    trust: ScriptTrust, root: Path, collection: Collection
) -> tuple[PythonScripts | None, str]:
    """On the background queue: the scripts' hooks if they are trusted (reads the
    trust file), else None and why."""
    from explorer.application.scripting import hooks_for_run

    return hooks_for_run(collection, root, allow_scripts=False, trust=trust)


def _trusted_hooks(trust: ScriptTrust, root: Path, collection: Collection) -> PythonScripts:
    """On the background queue: trust the collection's scripts as they are now; their
    hooks."""
    from explorer.application.scripting import PythonScripts

    trust.trust(root, collection)
    return PythonScripts(root)


def _selected(collection: Collection, path: tuple[int, ...]) -> Selected:
    """The request at index path `path` with the names of the folders above it."""
    node: Collection | Folder = collection
    names: list[str] = []
    for position in path[:-1]:
        folder = node.items[position]
        assert isinstance(folder, Folder)
        names.append(folder.name)
        node = folder
    item = node.items[path[-1]]
    assert isinstance(item, RequestItem)
    return tuple(names), item


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
