"""The right side of the runner: totals in a header bar, a progress bar, the commands
(failures only, open as response, rerun failed, export, cancel) and the results tree."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.units import human_duration
from explorer.qt.run_worker import KEEP_BODY_BYTES, KEEP_FAILED, RunRow
from explorer.ui.runner.results_model import (
    COL_CHECKS,
    COL_EXPAND,
    COL_ITERATION,
    COL_METHOD,
    COL_REQUEST,
    COL_SIZE,
    COL_STATUS,
    COL_TIME,
    KIND_ROLE,
    MAX_ROWS,
    ROW_ROLE,
    RunResultsModel,
    Totals,
    mark_icon,
)
from explorer.ui.widgets.feedback import MessageLabel
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
        layout.setContentsMargins(14, 6, 14, 6)
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
        self.value.setStyleSheet(f"QLabel {{ font-size: 18pt; font-weight: 600; {colour_rule} }}")
        self.caption.setStyleSheet(
            f"QLabel {{ font-size: 8pt; letter-spacing: 1px; color: {colours.muted}; }}"
        )


class CellPainter(QStyledItemDelegate):
    """Paints a cell from `RunResultsModel.cell` with one call into Python per cell.

    The default delegate asks the model for each role of each cell (some 1,300 calls
    for one screen of results); while a run's thread holds the GIL, each call from Qt
    into Python waits for it, and a repaint took up to 80 ms. One call per cell, with
    the colours looked up once per theme, keeps it to a few milliseconds."""

    def __init__(self, model: RunResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._colours: dict[str, QColor] = {}
        self._italic: QFont | None = None

    def refresh(self) -> None:
        """Forget the colours (the theme changed)."""
        self._colours.clear()

    def _colour(self, role: str) -> QColor:
        colour = self._colours.get(role)
        if colour is None:
            colour = self._colours[role] = QColor(getattr(palette(), role))
        return colour

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        cell = self.model.cell(index.row(), index.column())
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette_ = option.palette
        if selected:
            painter.fillRect(rect, palette_.highlight())
        if not cell.text and not cell.icon:
            return
        painter.save()
        left = rect.left() + 6
        if cell.icon:
            size = 12 if cell.small_icon else 14
            top = rect.top() + (rect.height() - size) // 2
            mark_icon(cell.icon, cell.small_icon).paint(painter, left, top, size, size)
            left += size + 6
        if cell.role and not (selected and cell.role == "muted"):
            painter.setPen(self._colour(cell.role))
        else:
            painter.setPen(
                palette_.highlightedText().color() if selected else palette_.text().color()
            )
        font = option.font
        if cell.italic:
            font = QFont(font)
            font.setItalic(True)
        painter.setFont(font)
        width = rect.right() - 6 - left
        text = option.fontMetrics.elidedText(cell.text, Qt.TextElideMode.ElideRight, width)
        align = Qt.AlignmentFlag(cell.align) if cell.align else Qt.AlignmentFlag.AlignLeft
        painter.drawText(
            left, rect.top(), width, rect.height(), align | Qt.AlignmentFlag.AlignVCenter, text
        )
        painter.restore()


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
        tiles.addWidget(self.state_label)
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
        commands = QHBoxLayout()
        commands.setSpacing(6)
        commands.addWidget(self.failures_only)
        commands.addStretch(1)
        for button in (self.open_button, self.rerun_button, self.export_button):
            commands.addWidget(button)
        commands.addSpacing(12)
        commands.addWidget(self.cancel_button)

        # A table, not a tree: inserting rows into a tree view lays out every row again
        # (see results_model). Details open in place, under their result.
        self.view = QTableView(self)
        self.view.setAccessibleName("Run results")
        self.view.setModel(self.model)
        self.painter = CellPainter(self.model, self.view)
        self.view.setItemDelegate(self.painter)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size question
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header_view = self.view.horizontalHeader()
        header_view.setStretchLastSection(False)
        header_view.setHighlightSections(False)
        header_view.setSectionResizeMode(COL_REQUEST, QHeaderView.ResizeMode.Stretch)
        header_view.setSectionResizeMode(COL_EXPAND, QHeaderView.ResizeMode.Fixed)
        for column, width in (
            (COL_EXPAND, 24),
            (COL_METHOD, 92),
            (COL_STATUS, 180),
            (COL_TIME, 80),
            (COL_SIZE, 80),
            (COL_CHECKS, 250),
            (COL_ITERATION, 70),
        ):
            header_view.resizeSection(column, width)
        header_view.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.view.clicked.connect(self._on_clicked)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().currentChanged.connect(self._update_buttons)
        self.view.installEventFilter(self)

        self.run_note = MessageLabel("warning", self)
        self.run_note.setAccessibleName("Run note")
        self.kept_note = MessageLabel("muted", self)
        self.kept_note.setAccessibleName("What a run keeps")
        self.kept_note.show_message(
            f"Whole responses are kept for the first {KEEP_FAILED} failures and the latest "
            f"result (bodies up to {KEEP_BODY_BYTES // 1024:,} KiB), to open as a response; "
            f"up to {MAX_ROWS:,} passes and failures are listed, every result is counted."
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(header)
        layout.addWidget(self.progress)
        layout.addLayout(commands)
        layout.addWidget(self.run_note)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.kept_note)

        # The elapsed time moves on between batches while a run goes.
        self._clock = QTimer(self)
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._tick)
        self._started_at = 0.0
        self.show_totals()
        self._update_buttons()

    # ---- a run --------------------------------------------------------------------------

    def begin(self, expected: int, note: str = "") -> None:
        """A new run of `expected` results (0 when unknown) starts; `note` says what
        it leaves out (scripts not trusted)."""
        import time

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
        self.tiles["passed"].set_value(f"{totals.passed:,}")
        self.tiles["failed"].set_value(f"{totals.failed:,}", "error" if totals.failed else "muted")
        self.tiles["errors"].set_value(
            f"{totals.errors:,}", "warning" if totals.errors else "muted"
        )
        assertions = self.tiles["assertions"]
        assertions.set_value(
            f"{totals.assertions_passed:,} ✓  {totals.assertions_failed:,} ✗",
            "error" if totals.assertions_failed else "success",
        )
        if totals.assertions_passed + totals.assertions_failed == 0:
            assertions.set_value("—", "muted")
        self.tiles["elapsed"].set_value(human_duration(self.elapsed_ms) if self.elapsed_ms else "—")
        if self.expected:
            self.progress.setValue(min(totals.requests, self.expected))
        self._update_buttons()

    # ---- commands -----------------------------------------------------------------------

    def selected_row(self) -> RunRow | None:
        index = self.view.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, RunRow) else None

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

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.column() == COL_EXPAND:
            self.model.toggle(index.row())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Right and Left (or Space) open and close the current result's details."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            row = self.view.currentIndex().row()
            key = event.key()
            if row >= 0 and key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Space):
                expanded = self.model.is_expanded(row)
                if (key == Qt.Key.Key_Space) or (key == Qt.Key.Key_Right) != expanded:
                    self.model.toggle(row)
                return True
        return super().eventFilter(watched, event)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "result":
            row = index.data(ROW_ROLE)
            if isinstance(row, RunRow):
                self.open_requested.emit(row)

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
        self.painter.refresh()
        self._style_state()
        for tile in self.tiles.values():
            tile.restyle()
        self.view.viewport().update()
