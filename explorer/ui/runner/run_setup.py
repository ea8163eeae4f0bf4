"""How a run is set up: which requests (a checklist in collection order), the
environment, iterations, a data file (CSV or JSON, previewed), the delay between
requests, stopping at the first failure, and files outside the collection's folder.

The data file is read off the GUI thread (a `BackgroundQueue` job); the preview shows
its first rows and how many there are. A run over a data file has one iteration per
row, so the iterations field is then disabled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.collection import Collection, Folder
from explorer.qt.background import BackgroundQueue
from explorer.ui.widgets.feedback import MessageLabel, add_form_row
from explorer.ui.widgets.file_picker import FilePicker
from explorer.ui.widgets.theme import palette

NO_ENVIRONMENT = "No environment"
PREVIEW_ROWS = 5
MAX_ITERATIONS = 100_000
MAX_DELAY_MS = 600_000
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1  # a request's index path in its collection

Rows = tuple[dict[str, str], ...]
ReadData = Callable[[Path], Rows]


@dataclass(frozen=True)
class RunChoice:
    """What the user chose: the requests (index paths in collection order) and how."""

    selected: tuple[tuple[int, ...], ...]
    environment: str  # "" for none
    iterations: int
    data_path: str  # "" for none
    data_rows: Rows
    delay_ms: int
    bail: bool
    allow_outside_files: bool
    explain: bool = False  # each result carries the explainer's findings


def request_paths(node: Collection | Folder, at: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    """The index paths of every request under `node`, in collection order."""
    found: list[tuple[int, ...]] = []
    for position, item in enumerate(node.items):
        path = (*at, position)
        if isinstance(item, Folder):
            found.extend(request_paths(item, path))
        else:
            found.append(path)
    return found


class RunSetup(QWidget):
    """The left side of the runner: what to run and how, and the Run button."""

    run_requested = Signal(object)  # RunChoice

    def __init__(
        self,
        read_data: ReadData,
        queue: BackgroundQueue,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._read_data = read_data
        self._queue = queue
        self._rows: Rows = ()
        self._reading = 0  # the newest data-file read; older answers are dropped

        self.title = QLabel(self)
        self.title.setObjectName("runnerTitle")
        self.title.setWordWrap(True)
        self.request_tree = QTreeWidget(self)
        self.request_tree.setAccessibleName("Requests to run")
        self.request_tree.setHeaderHidden(True)
        self.request_tree.setUniformRowHeights(True)
        self.request_tree.itemChanged.connect(self._update_count)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Requests selected")
        select_all = QPushButton("All", self)
        select_all.setToolTip("Select every request")
        select_all.clicked.connect(lambda: self._check_all(True))
        select_none = QPushButton("None", self)
        select_none.setToolTip("Clear the selection")
        select_none.clicked.connect(lambda: self._check_all(False))

        self.environment_combo = QComboBox(self)
        self.environment_combo.setAccessibleName("Environment")
        self.iterations_spin = QSpinBox(self)
        self.iterations_spin.setAccessibleName("Iterations")
        self.iterations_spin.setRange(1, MAX_ITERATIONS)
        self.iterations_spin.setGroupSeparatorShown(True)
        self.data_picker = FilePicker(
            "Data file", self, "Data files (*.csv *.json);;All files (*)", compact=True
        )
        self.data_picker.line_edit.setPlaceholderText("CSV or JSON: one iteration per row")
        self.data_picker.changed.connect(self._on_data_changed)
        self.data_message = MessageLabel("muted", self)
        self.data_message.setAccessibleName("Data file rows")
        self.preview_table = QTableWidget(self)
        self.preview_table.setAccessibleName("Data file preview")
        self.preview_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        compact = self.fontMetrics().height() + 6
        self.preview_table.verticalHeader().setDefaultSectionSize(compact)
        self.preview_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # The header and PREVIEW_ROWS rows, with room for a horizontal scroll bar.
        self.preview_table.setMaximumHeight(compact * (PREVIEW_ROWS + 1) + 24)
        self.preview_table.setVisible(False)
        self.delay_spin = QSpinBox(self)
        self.delay_spin.setAccessibleName("Delay between requests")
        self.delay_spin.setRange(0, MAX_DELAY_MS)
        self.delay_spin.setSuffix(" ms")
        self.delay_spin.setGroupSeparatorShown(True)
        self.bail_check = QCheckBox("Stop at the first failure", self)
        self.allow_files_check = QCheckBox("Allow files outside the collection folder", self)
        self.allow_files_check.setToolTip(
            "Requests may send files from outside the collection's folder"
        )
        self.explain_check = QCheckBox("Explain responses", self)
        self.explain_check.setToolTip(
            "Count each response's findings (what Explain says) in the results and add "
            "them to the reports; they never fail a request"
        )
        self.run_button = QPushButton("Run", self)
        self.run_button.setObjectName("runButton")
        self.run_button.setAccessibleName("Run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self._on_run)
        self._style_run_button()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_form_row(form, "&Environment", self.environment_combo)
        add_form_row(form, "&Iterations", self.iterations_spin)
        add_form_row(form, "&Data file", self.data_picker, self.data_message)
        form.addRow(self.preview_table)
        add_form_row(form, "De&lay", self.delay_spin)
        form.addRow(self.bail_check)
        form.addRow(self.allow_files_check)
        form.addRow(self.explain_check)

        selection = QHBoxLayout()
        selection.addWidget(self.count_label, 1)
        selection.addWidget(select_all)
        selection.addWidget(select_none)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addLayout(selection)
        layout.addWidget(self.request_tree, 1)
        layout.addLayout(form)
        layout.addWidget(self.run_button)

    # ---- filling ------------------------------------------------------------------------

    def set_target(
        self,
        collection: Collection,
        start: tuple[int, ...],
        environments: Sequence[str],
        active: str,
    ) -> None:
        """Offer the requests of `collection`, those under the folder at index path
        `start` checked (all for `()`), and its environments (`active` chosen)."""
        self.request_tree.blockSignals(True)
        self.request_tree.clear()
        self._fill(self.request_tree.invisibleRootItem(), collection, (), start)
        self.request_tree.expandToDepth(0)
        self.request_tree.blockSignals(False)
        self.environment_combo.clear()
        self.environment_combo.addItem(NO_ENVIRONMENT)
        self.environment_combo.addItems(list(environments))
        if active in environments:
            self.environment_combo.setCurrentText(active)
        self._update_count()

    def _fill(
        self,
        parent: QTreeWidgetItem,
        node: Collection | Folder,
        at: tuple[int, ...],
        start: tuple[int, ...],
    ) -> None:
        for position, item in enumerate(node.items):
            path = (*at, position)
            entry = QTreeWidgetItem(parent)
            if isinstance(item, Folder):
                entry.setText(0, item.name)
                entry.setFlags(
                    entry.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
                )
                self._fill(entry, item, path, start)
                if not entry.childCount():
                    entry.setCheckState(0, Qt.CheckState.Unchecked)
                continue
            request = item.request
            entry.setText(0, f"{request.method}  {item.name}")
            if not request.url:
                entry.setForeground(0, palette().qcolor("muted"))
            entry.setData(0, INDEX_ROLE, path)
            entry.setToolTip(0, request.url)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = path[: len(start)] == start
            entry.setCheckState(0, Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)

    def environment(self) -> str:
        """The environment chosen ("" for none)."""
        text = self.environment_combo.currentText()
        return "" if text == NO_ENVIRONMENT else text

    def selected_paths(self) -> tuple[tuple[int, ...], ...]:
        """The checked requests' index paths, in collection order."""
        found: list[tuple[int, ...]] = []
        stack = [self.request_tree.invisibleRootItem()]
        order: list[QTreeWidgetItem] = []
        while stack:
            node = stack.pop()
            order.append(node)
            children = (node.child(i) for i in reversed(range(node.childCount())))
            stack.extend(child for child in children if child is not None)
        for node in order:
            path = node.data(0, INDEX_ROLE)
            if path is not None and node.checkState(0) == Qt.CheckState.Checked:
                found.append(tuple(path))
        return tuple(found)

    def _check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        root = self.request_tree.invisibleRootItem()
        for i in range(root.childCount()):
            child = root.child(i)
            if child is not None:
                child.setCheckState(0, state)
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        count = len(self.selected_paths())
        self.count_label.setText(f"{count:,} request{'s' if count != 1 else ''} selected")
        self.run_button.setEnabled(count > 0)

    # ---- the data file ------------------------------------------------------------------

    def _on_data_changed(self) -> None:
        text = self.data_picker.path().strip()
        self._reading += 1
        self._rows = ()
        self.preview_table.setVisible(False)
        self.iterations_spin.setEnabled(not text)
        if not text:
            self.data_message.show_message("")
            return
        if self.data_picker.problem():
            self.data_message.show_message(self.data_picker.problem(), "error")
            return
        self.data_message.show_message("Reading…", "muted")
        reading, path = self._reading, Path(text).expanduser()

        def done(rows: object) -> None:
            if reading == self._reading:
                assert isinstance(rows, tuple)
                self._show_rows(rows)

        def failed(error: Exception) -> None:
            if reading == self._reading:
                self.data_message.show_message(str(error) or type(error).__name__, "error")

        self._queue.run(lambda: self._read_data(path), done, failed)

    def _show_rows(self, rows: Rows) -> None:
        self._rows = rows
        if not rows:
            self.data_message.show_message("The file has no rows.", "warning")
            return
        count = len(rows)
        self.data_message.show_message(
            f"{count:,} row{'s' if count != 1 else ''}: one iteration per row", "muted"
        )
        columns = list(dict.fromkeys(name for row in rows[:PREVIEW_ROWS] for name in row))
        shown = rows[:PREVIEW_ROWS]
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(columns))
        self.preview_table.setRowCount(len(shown))
        self.preview_table.setHorizontalHeaderLabels(columns)
        for r, row in enumerate(shown):
            for c, name in enumerate(columns):
                value = row.get(name, "")
                self.preview_table.setItem(r, c, QTableWidgetItem(value[:200]))
        self.preview_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.preview_table.setVisible(True)

    @property
    def data_rows(self) -> Rows:
        return self._rows

    # ---- running ------------------------------------------------------------------------

    def choice(self) -> RunChoice:
        environment = self.environment_combo.currentText()
        return RunChoice(
            selected=self.selected_paths(),
            environment="" if environment == NO_ENVIRONMENT else environment,
            iterations=self.iterations_spin.value(),
            data_path=self.data_picker.path().strip(),
            data_rows=self._rows,
            delay_ms=self.delay_spin.value(),
            bail=self.bail_check.isChecked(),
            allow_outside_files=self.allow_files_check.isChecked(),
            explain=self.explain_check.isChecked(),
        )

    def _on_run(self) -> None:
        choice = self.choice()
        if choice.data_path and not choice.data_rows:
            self.data_message.show_message(
                "The data file has not been read (or has no rows): choose another or clear it.",
                "error",
            )
            return
        if choice.selected:
            self.run_requested.emit(choice)

    def _style_run_button(self) -> None:
        colours = palette()
        self.run_button.setStyleSheet(
            f"QPushButton#runButton {{ color: {colours.send_text}; "
            f"background: {colours.send_background}; border: none; border-radius: 3px; "
            f"padding: 6px 18px; font-weight: bold; }}"
            f"QPushButton#runButton:hover {{ background: {colours.send_hover}; }}"
            f"QPushButton#runButton:disabled {{ background: {colours.muted}; }}"
        )
