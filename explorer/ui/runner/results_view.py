"""The right side of the runner: totals in a header bar, a progress bar, the commands
(failures only, open as response, rerun failed, export, cancel) and the results list."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.core.units import human_duration
from explorer.qt.run_worker import KEEP_BODY_BYTES, KEEP_FAILED, RunRow
from explorer.ui.runner.results_list import ResultsList
from explorer.ui.runner.results_model import (
    COL_CHECKS,
    COL_EXPAND,
    COL_FINDINGS,
    COL_ITERATION,
    COL_METHOD,
    COL_REQUEST,
    COL_SIZE,
    COL_STATUS,
    COL_TIME,
    KIND_ROLE,
    MAX_ROWS,
    RunResultsModel,
    Totals,
)
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fitting import FoldingRow
from explorer.ui.widgets.theme import palette


class _Tile(QWidget):
    """One figure of the header bar: a large number over a small caption."""

    def __init__(self, caption: str, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.value = QLabel("0", self)
        self.value.setObjectName("tileValue")
        self.value.setAccessibleName(caption)
        self.caption = QLabel(caption.upper(), self)
        self.caption.setObjectName("tileCaption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.restyle()

    def set_value(self, text: str, role: str | None = None) -> None:
        self.value.setText(text)
        if role is not None and role != self.role:
            self.role = role
            self.restyle()

    def restyle(self) -> None:
        colours = palette()
        colour = getattr(colours, self.role) if self.role else ""
        colour_rule = f"color: {colour};" if colour else ""
        self.value.setStyleSheet(f"QLabel {{ font-size: 16pt; font-weight: 600; {colour_rule} }}")
        self.caption.setStyleSheet(
            f"QLabel {{ font-size: 8pt; letter-spacing: 1px; color: {colours.muted}; }}"
        )


class RunResults(QWidget):
    """Live results of a run."""

    cancel_requested = Signal()
    rerun_failed_requested = Signal()
    export_requested = Signal()
    open_requested = Signal(object)  # the RunRow whose response to open

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RunResultsModel(self)
        self.expected = 0  # results the run will give (0: unknown)
        self.running = False
        self.elapsed_ms = 0.0

        self.tiles = {
            "requests": _Tile("Requests", "", self),
            "passed": _Tile("Passed", "success", self),
            "failed": _Tile("Failed", "error", self),
            "errors": _Tile("Errors", "warning", self),
            "assertions": _Tile("Assertions", "", self),
            "elapsed": _Tile("Elapsed", "", self),
        }
        self.state_label = QLabel("Not run yet", self)
        self.state_label.setObjectName("runState")
        self.state_label.setAccessibleName("Run state")
        self._state_role = "muted"
        self._style_state()
        header = QFrame(self)
        header.setObjectName("runTotals")
        header.setFrameShape(QFrame.Shape.StyledPanel)
        tiles = QHBoxLayout(header)
        tiles.setContentsMargins(4, 4, 12, 4)
        tiles.setSpacing(0)
        for name, tile in self.tiles.items():
            tiles.addWidget(tile)
            if name != "elapsed":
                line = QFrame(header)
                line.setFrameShape(QFrame.Shape.VLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                tiles.addWidget(line)
        tiles.addStretch(1)
        # Its figures grow with the run (10,000 / 10,000); a header wider than the space
        # must not widen the window past the screen (seen at 1280x720), so the layout
        # gives it what there is, and the run's state sits in the commands row.
        header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.header = header

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Run progress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

        self.failures_only = QCheckBox("Failures only", self)
        self.failures_only.toggled.connect(self.model.set_failures_only)
        self.open_button = QPushButton("Open as response", self)
        self.open_button.setToolTip("Show the selected result's response in a request tab")
        self.open_button.clicked.connect(self._on_open)
        self.rerun_button = QPushButton("Rerun failed", self)
        self.rerun_button.setToolTip("Run again only the requests that failed")
        self.rerun_button.clicked.connect(self.rerun_failed_requested.emit)
        self.export_button = QPushButton("Export report…", self)
        self.export_button.setToolTip("Save the results as JUnit XML, JSON or an HTML page")
        self.export_button.clicked.connect(self.export_requested.emit)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop the run; the request in flight is cut off")
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        # The buttons fold under the state at large text sizes instead of widening the
        # runner past a 1280 px screen.
        commands = FoldingRow(self)
        commands.first.setSpacing(6)
        commands.first.addWidget(self.state_label)
        commands.first.addSpacing(16)
        commands.first.addWidget(self.failures_only)
        commands.first.addStretch(1)
        commands.second.setSpacing(6)
        for button in (self.open_button, self.rerun_button, self.export_button):
            commands.second.addWidget(button)
        commands.second.addSpacing(12)
        commands.second.addWidget(self.cancel_button)
        self.commands = commands

        self.list = ResultsList(self.model, self)
        self.view = self.list.view
        header_view = self.view.horizontalHeader()
        header_view.setStretchLastSection(False)
        header_view.setHighlightSections(False)
        header_view.setSectionResizeMode(COL_REQUEST, QHeaderView.ResizeMode.Stretch)
        header_view.setSectionResizeMode(COL_EXPAND, QHeaderView.ResizeMode.Fixed)
        for column, width in (
            (COL_EXPAND, 24),
            (COL_METHOD, 84),
            (COL_STATUS, 150),
            (COL_TIME, 72),
            (COL_SIZE, 72),
            (COL_CHECKS, 220),
            (COL_FINDINGS, 96),
            (COL_ITERATION, 64),
        ):
            header_view.resizeSection(column, width)
        header_view.setSectionHidden(COL_FINDINGS, True)  # shown for a run that explains
        header_view.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.list.expand_clicked.connect(self.model.toggle)
        self.list.activated.connect(self._on_activated)
        self.list.current_changed.connect(self._update_buttons)

        self.run_note = MessageLabel("warning", self)
        self.run_note.setAccessibleName("Run note")
        self.kept_note = MessageLabel("muted", self)
        self.kept_note.setAccessibleName("What a run keeps")
        self._kept_text = (
            f"Whole responses are kept for the first {KEEP_FAILED} failures and the latest "
            f"result (bodies up to {KEEP_BODY_BYTES // 1024:,} KiB), to open as a response; "
            f"up to {MAX_ROWS:,} passes and failures are listed, every result is counted."
        )
        self.kept_note.show_message(self._kept_text)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(header)
        layout.addWidget(self.progress)
        layout.addWidget(commands)
        layout.addWidget(self.run_note)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.kept_note)

        # The elapsed time moves on between batches while a run goes.
        self._clock = QTimer(self)
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._tick)
        self._started_at = 0.0
        self.show_totals()
        self._update_buttons()

    # ---- a run --------------------------------------------------------------------------

    def begin(self, expected: int, note: str = "", explaining: bool = False) -> None:
        """A new run of `expected` results (0 when unknown) starts; `note` says what
        it leaves out (scripts not trusted); `explaining`: its results carry findings,
        whose counts get a column."""
        import time

        self.view.horizontalHeader().setSectionHidden(COL_FINDINGS, not explaining)
        self.model.clear()
        self.expected = expected
        self.running = True
        self.elapsed_ms = 0.0
        self._started_at = time.perf_counter()
        self._clock.start()
        self.progress.setRange(0, max(1, expected))
        self.progress.setValue(0)
        self.state_label.setText("Running…")
        self.run_note.show_message(note, "warning")
        self._state_role = "info"
        self._style_state()
        self.show_totals()
        self._update_buttons()

    def add(self, rows: list[RunRow]) -> None:
        """A batch of results arrived (the totals follow with the next clock tick, a
        few times a second, not with every batch)."""
        self.model.append(rows)

    def end(self, state: str, elapsed_ms: float | None = None) -> None:
        """The run is over: `state` says how ("Finished", "Cancelled", …)."""
        self.running = False
        self._clock.stop()
        if elapsed_ms is not None:
            self.elapsed_ms = elapsed_ms
        else:
            self._tick()
        self.state_label.setText(state)
        totals = self.model.totals
        self._state_role = (
            "muted"
            if state == "Cancelled"
            else "error"
            if totals.failed or totals.errors
            else "success"
        )
        self._style_state()
        self.show_totals()
        self._update_buttons()

    def _tick(self) -> None:
        import time

        self.elapsed_ms = (time.perf_counter() - self._started_at) * 1000.0
        self.show_totals()

    def show_totals(self) -> None:
        totals: Totals = self.model.totals
        expected = f" / {self.expected:,}" if self.expected else ""
        self.tiles["requests"].set_value(f"{totals.requests:,}{expected}")
        self.tiles["passed"].set_value(
            f"{totals.passed:,}", "success" if totals.passed else "muted"
        )
        self.tiles["failed"].set_value(f"{totals.failed:,}", "error" if totals.failed else "muted")
        self.tiles["errors"].set_value(
            f"{totals.errors:,}", "warning" if totals.errors else "muted"
        )
        if totals.assertions_passed + totals.assertions_failed == 0:
            self.tiles["assertions"].set_value("—", "muted")
        else:
            self.tiles["assertions"].set_value(
                f"{totals.assertions_passed:,} ✓  {totals.assertions_failed:,} ✗",
                "error" if totals.assertions_failed else "success",
            )
        self.tiles["elapsed"].set_value(human_duration(self.elapsed_ms) if self.elapsed_ms else "—")
        if self.expected:
            self.progress.setValue(min(totals.requests, self.expected))
        note = self._kept_text
        if self.model.unlisted:
            note += (
                f" {self.model.unlisted:,} results are counted but not listed: the list "
                f"keeps {MAX_ROWS:,} failures and {MAX_ROWS:,} passes."
            )
        if self.kept_note.text() != note:
            self.kept_note.show_message(note)
        self._update_buttons()

    # ---- commands -----------------------------------------------------------------------

    def selected_row(self) -> RunRow | None:
        """The result chosen in the list (a detail row's result), or None."""
        if self.list.current < 0:
            return None
        return self.model.row_at(self.model.index(self.list.current, 0))

    def _update_buttons(self, *_args: object) -> None:
        has_failures = bool(self.model.failures)
        self.cancel_button.setEnabled(self.running)
        self.rerun_button.setEnabled(not self.running and has_failures)
        self.export_button.setEnabled(not self.running and self.model.totals.requests > 0)
        self.open_button.setEnabled(self.selected_row() is not None)

    def _on_open(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_requested.emit(row)

    def _on_activated(self, row: int) -> None:
        """A double-click or Enter on a result opens its response."""
        if self.model.data(self.model.index(row, 0), KIND_ROLE) == "result":
            result = self.model.row_at(self.model.index(row, 0))
            if result is not None:
                self.open_requested.emit(result)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """Follow a theme switch (after the new theme is recorded)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            QTimer.singleShot(0, self, self._restyle)

    def _style_state(self) -> None:
        colour = getattr(palette(), self._state_role)
        self.state_label.setStyleSheet(
            f"QLabel {{ color: {colour}; font-size: 11pt; font-weight: 600; }}"
        )

    def _restyle(self) -> None:
        self.list.refresh_colours()
        self._style_state()
        for tile in self.tiles.values():
            tile.restyle()
