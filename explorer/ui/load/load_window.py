"""The load test window: its settings on the left; on the right the live run (charts of
requests per second, latency percentiles and errors by kind, the per-request and error
tables) and the saved runs with their comparison.

The run is `python -m explorer load … --progress json` in a child process
(`explorer.qt.load_process`): Locust never runs in the window's process, and the GUI
thread only reads the child's lines as they arrive. Each run is saved in the data folder
(`load-runs/<timestamp>-<name>/`: the command's HTML report and CSV, and run.json); the
folder is made and run.json written off the GUI thread.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.load_runs.command import (
    LoadSettings,
    describe,
    form_of,
    load_arguments,
    settings_from_form,
)
from explorer.core.load_runs.progress import (
    ERROR_KINDS,
    ErrorRow,
    Finished,
    Started,
    Stats,
    Totals,
)
from explorer.core.load_runs.saved import (
    CSV_FILE,
    REPORT_FILE,
    last_form,
    new_run_folder,
    save_run,
)
from explorer.core.load_runs.series import Timeline
from explorer.qt.background import BackgroundQueue
from explorer.qt.load_process import LoadProcess
from explorer.ui.load.charts import Line, TimeChart
from explorer.ui.load.live_tables import ErrorTable, RequestTable, milliseconds
from explorer.ui.load.load_setup import LoadSetup
from explorer.ui.load.past_runs import PastRuns
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.theme import palette

# The colour of each error kind (a palette role).
KIND_ROLES = {
    "assertion": "error",
    "http": "warning",
    "connection": "method_put",
    "timeout": "info",
    "other": "muted",
}


@dataclass(frozen=True)
class LoadTarget:
    """What the window load-tests and where it keeps runs."""

    root: Path  # the collection's folder
    name: str  # shown and used in the run's folder name: "Practice / Items"
    requests: tuple[str, ...] = ()  # --request names (none: all of `folders`, or all)
    folders: tuple[str, ...] = ()  # --folder names
    request_count: int | None = None  # how many requests that is (None: not counted)
    environments: Sequence[str] = ()
    active_environment: str = ""
    data_dir: Path = Path()


class LoadWindow(QWidget):
    """Set up, run, watch, stop, keep and compare load tests of one target."""

    def __init__(self, target: LoadTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.target = target
        self.setWindowTitle(f"Load test “{target.name}” — API Explorer")
        self.setAccessibleName("Load test")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.resize(1280, 720)
        self.queue = BackgroundQueue(self)
        self.process = LoadProcess(self)
        # Replaceable in tests: the program and the arguments before "load …".
        self.command: Callable[[list[str]], tuple[str, list[str]]] = lambda args: (
            sys.executable,
            ["-m", "explorer", *args],
        )
        self.timeline = Timeline()
        self.folder: Path | None = None  # of the current (or last) run
        self.started_at = ""
        self.setup_text = ""  # how the current run was set up (saved with it)
        self.form: dict[str, object] | None = None  # the current run's form (saved too)
        self.finished: Finished | None = None
        self.state = "ready"  # ready, starting, running, stopping, then how it ended
        self._close_when_ended = False
        self.latest: Stats | None = None  # the last stats line, shown on the next redraw
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(0)
        self._redraw.timeout.connect(self._show_latest)
        self._bad_lines = 0

        self.setup = LoadSetup(self)
        self.setup.title.setText(f"<b>Load test</b><br>{_escape(target.name)}")
        self.setup.set_environments(target.environments, target.active_environment)
        self.setup.start_requested.connect(self.start)
        self.setup.stop_requested.connect(self.stop)

        self.state_label = MessageLabel("muted", self)
        self.state_label.setAccessibleName("Load test state")
        font = self.state_label.font()
        font.setBold(True)
        self.state_label.setFont(font)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Load test summary")
        self.thresholds_label = QLabel(self)
        self.thresholds_label.setTextFormat(Qt.TextFormat.RichText)
        self.thresholds_label.setAccessibleName("Thresholds")
        self.thresholds_label.setVisible(False)
        self.problem_label = MessageLabel("warning", self)
        self.problem_label.setAccessibleName("Load test problem")
        self.rps_chart = TimeChart("Requests per second", "/s", self)
        self.latency_chart = TimeChart("Latency", "ms", self)
        self.errors_chart = TimeChart("Errors per second", "/s", self)
        self.request_table = RequestTable(self)
        self.error_table = ErrorTable(self)

        charts = QHBoxLayout()
        charts.setSpacing(8)
        for chart in (self.rps_chart, self.latency_chart, self.errors_chart):
            charts.addWidget(chart, 1)
        chart_box = QWidget(self)
        chart_box.setLayout(charts)
        # Side by side, long request names and messages were cut at 1280 px: each table
        # gets the whole width, the errors' tab saying how many there are.
        self.tables = QTabWidget(self)
        self.tables.setDocumentMode(True)
        self.tables.addTab(self.request_table, "Requests")
        self.tables.addTab(self.error_table, "Errors")
        tables = self.tables
        body = QSplitter(Qt.Orientation.Vertical, self)
        body.addWidget(chart_box)
        body.addWidget(tables)
        body.setStretchFactor(0, 1)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)

        live = QWidget(self)
        live_layout = QVBoxLayout(live)
        live_layout.setContentsMargins(8, 8, 8, 8)
        head = QHBoxLayout()
        head.addWidget(self.state_label)
        head.addSpacing(12)
        head.addWidget(self.summary, 1)
        live_layout.addLayout(head)
        live_layout.addWidget(self.thresholds_label)
        live_layout.addWidget(self.problem_label)
        live_layout.addWidget(body, 1)

        self.past = PastRuns(target.data_dir, self.queue, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(live, "Live")
        self.tabs.addTab(self.past, "Saved runs")
        self.tabs.currentChanged.connect(self._tab_changed)

        for pane in (self.setup, self.tabs):
            pane.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.setup)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 950])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.process.started_run.connect(self._on_started)
        self.process.stats.connect(self._on_stats)
        self.process.finished_run.connect(self._on_finished)
        self.process.problem.connect(self._on_problem)
        self.process.ended.connect(self._on_ended)
        self._set_state("ready", "Ready", "muted")
        self.summary.setText("Choose the users and how long on the left, then Start.")
        if target.request_count == 0:  # said now, not after a run that cannot start
            self.setup.start_button.setEnabled(False)
            self._set_state("empty", "Nothing to load", "warning")
            self.summary.setText(
                f"“{target.name}” holds no saved requests: save one into it (Ctrl+S), "
                "then open Load test… again."
            )
        else:  # start from the last run of the same target, read off the GUI thread
            data_dir, name = target.data_dir, target.name
            self.queue.run(lambda: last_form(data_dir, name), self._restore_form)
        self._draw()

    def _restore_form(self, form: dict[str, object] | None) -> None:
        if form is None or self.state != "ready":
            return
        if self.setup.apply(settings_from_form(form, LoadSettings(target=self.target.root))):
            self.summary.setText(
                "The settings of the last run of this target: change them, or Start."
            )

    # -- starting and stopping ------------------------------------------------------

    def start(self) -> None:
        if self.process.is_running() or self.state in ("starting", "empty"):
            return
        settings = self.setup.settings(self.target.root, self.target.requests, self.target.folders)
        if settings is None:
            return
        self.timeline = Timeline()
        self.latest = None
        self.finished = None
        self.folder = None
        self._bad_lines = 0
        self.problem_label.show_message("")
        self._show_thresholds(None)
        self.request_table.show_rows([], None)
        self._show_errors(())
        self._draw()
        now = datetime.now().replace(microsecond=0)
        self.started_at = now.isoformat(sep=" ")
        data_dir, name = self.target.data_dir, self.target.name
        self._set_state("starting", "Starting…", "muted")
        self.setup.set_running(True)
        self.queue.run(
            lambda: new_run_folder(data_dir, name, now),
            lambda folder: self._launch(settings, folder),
            self._no_folder,
        )

    def _no_folder(self, error: Exception) -> None:
        self.setup.set_running(False)
        self._set_state("error", f"Not started: no folder for the run ({error})", "error")

    def _launch(self, settings: LoadSettings, folder: Path) -> None:
        self.folder = folder
        self.setup_text = describe(settings)
        self.form = form_of(settings)
        arguments = load_arguments(settings, folder / REPORT_FILE, folder / CSV_FILE)
        program, full = self.command(arguments)
        self.summary.setText(f"Saving to {folder}")
        self.process.start(full, program)
        self._set_state("running", "Starting users…", "info")

    def stop(self) -> None:
        """First Stop: SIGINT (the command writes its reports); a second one kills it."""
        if not self.process.is_running():
            return
        self.process.stop()
        if self.process.interrupts == 1:
            self._set_state("stopping", "Stopping… writing the reports", "warning")
            self.setup.stop_button.setText("Kill")
            self.setup.stop_button.setToolTip("End the load test at once (no reports)")
        else:
            self._set_state("stopping", "Ending the load test at once…", "warning")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """A run going is stopped first (its reports are written); closing again kills."""
        if self.process.is_running():
            event.ignore()
            self._close_when_ended = True
            self.stop()
            return
        self.queue.finish(5000)  # run.json written before the window goes
        super().closeEvent(event)

    def shutdown(self) -> None:
        """At quit: a run going is stopped and given a few seconds to write its reports
        (then killed), and run.json is written before the window goes."""
        self.process.shutdown()
        self.queue.finish(5000)
        self.close()

    # -- what the child says --------------------------------------------------------

    def _on_started(self, started: Started) -> None:
        self._set_state("running", f"Running — {started.users} users", "info")
        self.request_table.show_rows([], None)

    def _on_stats(self, stats: Stats) -> None:
        """Every line is a point of the charts; the tables and charts are redrawn once
        for a burst of lines (the child's output read in one go)."""
        self.timeline.add(stats)
        self.latest = stats
        if not self._redraw.isActive():
            self._redraw.start()

    def _show_latest(self) -> None:
        stats = self.latest
        if stats is None or self.finished is not None:
            return
        if self.state == "running":
            self._set_state("running", f"Running — {stats.users} users", "info")
        # The rate counted over the last second, as the chart draws it (the line's own
        # rps is Locust's lagging one, 0 for the first seconds).
        counted = replace(stats.total, rps=self.timeline.rps[-1]) if len(self.timeline) else None
        self._show_totals(stats.elapsed, stats.users, counted or stats.total)
        self.request_table.show_rows(stats.by_request, stats.total)
        self._show_errors(stats.errors)
        self._draw()

    def _on_finished(self, finished: Finished, data: dict[str, object]) -> None:
        self.finished = finished
        self._draw()
        self._show_totals(finished.elapsed, None, finished.total)
        self.request_table.show_rows(finished.by_request, finished.total)
        self._show_errors(finished.errors)
        self._show_thresholds(finished)
        folder, name, started = self.folder, self.target.name, self.started_at
        setup, form = self.setup_text, self.form
        if folder is not None:
            self.queue.run(
                lambda: save_run(folder, data, name, started, setup, form),
                lambda _none: self.past.refresh(),
                lambda error: self.problem_label.show_message(
                    f"The run's results could not be saved: {error}", "error"
                ),
            )

    def _on_problem(self, message: str) -> None:
        self._bad_lines += 1
        more = f" ({self._bad_lines} problems)" if self._bad_lines > 1 else ""
        self.problem_label.show_message(message + more, "warning")

    def _on_ended(self, code: int, last_error: str) -> None:
        self.setup.set_running(False)
        finished = self.finished
        if finished is not None and (finished.reason == "stopped" or code == 130):
            self._set_state("stopped", "Stopped", "warning")
        elif finished is not None and finished.failed_thresholds:
            self._set_state("failed", "Thresholds failed", "error")
        elif finished is not None and code == 0:
            self._set_state("finished", "Finished", "success")
        elif finished is not None:
            text = "Every request failed" if finished.total.failures else "Failed"
            self._set_state("failed", text, "error")
        elif self.process.interrupts >= 2:
            self._set_state("stopped", "Stopped (ended at once: no reports)", "warning")
        else:
            why = last_error or f"the command ended with exit code {code}"
            self._set_state("error", "Did not run", "error")
            self.summary.setText("")
            self.problem_label.show_message(why, "error")
        folder = self.folder
        if folder is not None and finished is None:
            self.queue.run(lambda: _remove_if_empty(folder), lambda _none: self.past.refresh())
        if self._close_when_ended:
            self.close()

    # -- showing --------------------------------------------------------------------

    def _set_state(self, state: str, text: str, role: str) -> None:
        self.state = state
        self.state_label.show_message(text, role)
        waiting = {
            "ready": "No run yet",
            "starting": "Waiting for the first second of the run…",
            "running": "Waiting for the first second of the run…",
            "empty": "Nothing to load",
        }.get(state, "No figures from this run")
        for chart in (self.rps_chart, self.latency_chart, self.errors_chart):
            chart.empty_text = waiting
            chart.update()

    def _show_totals(self, elapsed: float, users: int | None, total: Totals) -> None:
        parts = [f"{elapsed:.0f} s"]
        if users is not None:
            parts.append(f"{users} users")
        parts += [
            f"{total.requests:,} requests",
            f"{total.rps:.1f} req/s",
            f"p95 {milliseconds(total.p95)}",
            f"{total.error_share * 100:.2f} % errors",
        ]
        self.summary.setText("  ·  ".join(parts))

    def _show_errors(self, errors: Sequence[ErrorRow]) -> None:
        self.error_table.show_rows(errors)
        count = sum(row.count for row in errors)
        self.tables.setTabText(1, f"Errors ({count:,})" if count else "Errors")

    def _show_thresholds(self, finished: Finished | None) -> None:
        """Each --fail-if rule on a line of its own: ok in green, FAILED in red."""
        rules = finished.thresholds if finished is not None else ()
        colours = palette()
        lines = [
            f'<span style="color:{colours.success if t.passed else colours.error}">'
            f"{'ok' if t.passed else '<b>FAILED</b>'} — fail if {_escape(t.rule)}:"
            f" actual {_escape(t.actual or '—')}</span>"
            for t in rules
        ]
        self.thresholds_label.setText("<br>".join(lines))
        self.thresholds_label.setVisible(bool(lines))

    def _draw(self) -> None:
        line = self.timeline
        self.rps_chart.set_data(line.elapsed, [Line("req/s", "link", line.rps)])
        self.latency_chart.set_data(
            line.elapsed,
            [
                Line("p50", "success", line.p50),
                Line("p95", "warning", line.p95),
                Line("p99", "error", line.p99),
            ],
        )
        kinds = [k for k in ERROR_KINDS if any(line.errors[k])]
        self.errors_chart.set_data(
            line.elapsed,
            [Line(k, KIND_ROLES[k], line.errors[k]) for k in kinds]
            or ([Line("no errors", "success", [0.0] * len(line))] if len(line) else []),
        )

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.past:
            self.past.refresh()


def _remove_if_empty(folder: Path) -> None:
    """A run that wrote nothing (a usage error) leaves no empty folder behind."""
    # Not empty: the partial reports of a killed run are the user's to see.
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
