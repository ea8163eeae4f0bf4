"""How a load test is set up: virtual users, spawn rate, duration or iterations per user,
think time, environment, data file, thresholds ("p95>200ms", "errors>1%", "rps<100")
and how many processes generate the load, then Start and Stop.

The form only gathers values; `explorer.core.load_runs.command` turns them into the
arguments of `python -m explorer load`, which checks them again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.load_runs.command import (
    MAX_PROCESSES,
    MAX_THRESHOLDS,
    LoadSettings,
    threshold_problem,
)
from explorer.ui.widgets.feedback import MessageLabel, add_form_row, mark_problem
from explorer.ui.widgets.file_picker import FilePicker

NO_ENVIRONMENT = "No environment"
DURATION, ITERATIONS = "Duration", "Iterations per user"
MAX_USERS = 100_000
MAX_SECONDS = 7 * 24 * 3600


class ThresholdRow(QWidget):
    """One "fail if" rule and a button to remove it."""

    removed = Signal(object)

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(text, self)
        self.edit.setPlaceholderText("p95>200ms, errors>1%, rps<100")
        self.edit.setAccessibleName("Threshold")
        self.edit.setMaxLength(60)
        self.edit.textEdited.connect(lambda _text: mark_problem(self.edit, ""))
        remove = QPushButton("Remove", self)
        remove.setAccessibleName("Remove threshold")
        remove.clicked.connect(lambda: self.removed.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(remove)


class LoadSetup(QWidget):
    """The settings of a load test and its Start / Stop buttons."""

    start_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.users = QSpinBox(self)
        self.users.setRange(1, MAX_USERS)
        self.users.setValue(10)
        self.users.setAccessibleName("Virtual users")
        self.spawn_rate = QDoubleSpinBox(self)
        self.spawn_rate.setRange(0.1, 10_000)
        self.spawn_rate.setDecimals(1)
        self.spawn_rate.setValue(5)
        self.spawn_rate.setSuffix(" users/s")
        self.spawn_rate.setAccessibleName("Spawn rate")
        self.mode = QComboBox(self)
        self.mode.addItems([DURATION, ITERATIONS])
        self.mode.setAccessibleName("Run for")
        self.length = QSpinBox(self)
        self.length.setRange(1, MAX_SECONDS)
        self.length.setValue(30)
        self.length.setSuffix(" s")
        self.length.setAccessibleName("Duration")
        self.mode.currentTextChanged.connect(self._mode_changed)
        self.think_time = QDoubleSpinBox(self)
        self.think_time.setRange(0, 600)
        self.think_time.setDecimals(2)
        self.think_time.setSuffix(" s")
        self.think_time.setAccessibleName("Think time")
        self.think_time.setToolTip("The pause of each virtual user between two requests")
        self.environment = QComboBox(self)
        self.environment.setAccessibleName("Environment")
        self.data_file = FilePicker(
            "Data file", self, "Data files (*.csv *.json);;All files (*)", compact=True
        )
        self.data_file.setToolTip("CSV or JSON rows: each iteration of a user takes the next")
        # One Locust process uses one core; past a few hundred requests a second the
        # generator, not the server, is what is measured.
        self.processes = QSpinBox(self)
        self.processes.setRange(1, MAX_PROCESSES)
        self.processes.setValue(1)
        self.processes.setAccessibleName("Processes")
        self.processes.setToolTip(
            "Load generator processes on this machine: more than 1 runs a Locust master and "
            f"that many workers (this machine has {os.cpu_count() or 1} cores)"
        )

        self._applying = False  # apply() is filling the form (not the user)
        self.thresholds: list[ThresholdRow] = []
        self.threshold_box = QVBoxLayout()
        self.threshold_box.setContentsMargins(0, 0, 0, 0)
        self.add_threshold_button = QPushButton("Add threshold", self)
        self.add_threshold_button.setToolTip("Fail the run (exit 1) when a rule is broken")
        self.add_threshold_button.clicked.connect(lambda: self.add_threshold(""))
        thresholds = QWidget(self)
        threshold_layout = QVBoxLayout(thresholds)
        threshold_layout.setContentsMargins(0, 0, 0, 0)
        threshold_layout.addLayout(self.threshold_box)
        threshold_layout.addWidget(self.add_threshold_button, 0, Qt.AlignmentFlag.AlignLeft)

        length = QWidget(self)
        length_layout = QHBoxLayout(length)
        length_layout.setContentsMargins(0, 0, 0, 0)
        length_layout.addWidget(self.mode)
        length_layout.addWidget(self.length, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_form_row(form, "Virtual users", self.users)
        add_form_row(form, "Spawn rate", self.spawn_rate)
        add_form_row(form, "Run for", length)
        add_form_row(form, "Think time", self.think_time)
        add_form_row(form, "Environment", self.environment)
        add_form_row(form, "Data file", self.data_file)
        add_form_row(form, "Processes", self.processes)
        add_form_row(form, "Fail if", thresholds)

        self.message = MessageLabel("error", self)
        self.start_button = QPushButton("Start", self)
        self.start_button.setDefault(True)
        self.start_button.setToolTip("Run the load test in a child process")
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setToolTip(
            "Stop the users and write the reports; press again to end it at once"
        )
        self.stop_button.setEnabled(False)
        self.start_button.clicked.connect(self.start_requested)
        self.stop_button.clicked.connect(self.stop_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.start_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.title)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        # Whether the user changed anything: a saved form arriving later (read off the
        # GUI thread) must not overwrite what they typed meanwhile.
        self.touched = False
        for signal in (
            self.users.valueChanged,
            self.spawn_rate.valueChanged,
            self.mode.currentIndexChanged,
            self.length.valueChanged,
            self.think_time.valueChanged,
            self.environment.currentIndexChanged,
            self.data_file.line_edit.textChanged,
            self.processes.valueChanged,
            self.add_threshold_button.clicked,
        ):
            signal.connect(self._touch)

    def _touch(self, *_args: object) -> None:
        if not self._applying:
            self.touched = True

    def apply(self, settings: LoadSettings) -> bool:
        """Fill the form from `settings` (the last run of this target), unless the user
        has changed it already; True when it was filled. An environment the collection
        no longer has is left as it is."""
        if self.touched:
            return False
        self._applying = True
        try:
            self.users.setValue(settings.users)
            self.spawn_rate.setValue(settings.spawn_rate)
            by_time = settings.duration_s is not None
            self.mode.setCurrentText(DURATION if by_time else ITERATIONS)
            length = settings.duration_s if settings.duration_s is not None else settings.iterations
            self.length.setValue(max(1, min(MAX_SECONDS, round(length))))
            self.think_time.setValue(settings.think_time_s)
            index = self.environment.findData(settings.environment)
            if index >= 0:
                self.environment.setCurrentIndex(index)
            self.data_file.line_edit.setText(settings.data_file)
            self.processes.setValue(settings.processes)
            for row in list(self.thresholds):
                self._remove_threshold(row)
            for rule in settings.thresholds:
                self.add_threshold(rule)
        finally:
            self._applying = False
        return True

    def set_environments(self, names: Sequence[str], active: str) -> None:
        self._applying = True  # the window filling the list, not the user choosing
        try:
            self.environment.clear()
            self.environment.addItem(NO_ENVIRONMENT, "")
            for name in names:
                self.environment.addItem(name, name)
            index = self.environment.findData(active) if active else 0
            self.environment.setCurrentIndex(max(index, 0))
        finally:
            self._applying = False

    def _mode_changed(self, mode: str) -> None:
        by_time = mode == DURATION
        self.length.setSuffix(" s" if by_time else " per user")
        self.length.setAccessibleName("Duration" if by_time else "Iterations per user")
        self.length.setValue(30 if by_time else 10)

    def add_threshold(self, text: str) -> ThresholdRow | None:
        if len(self.thresholds) >= MAX_THRESHOLDS:
            return None
        row = ThresholdRow(text, self)
        row.removed.connect(self._remove_threshold)
        row.removed.connect(self._touch)
        row.edit.textEdited.connect(self._touch)
        self.thresholds.append(row)
        self.threshold_box.addWidget(row)
        self.add_threshold_button.setEnabled(len(self.thresholds) < MAX_THRESHOLDS)
        if not self._applying:
            row.edit.setFocus()
        return row

    def _remove_threshold(self, row: ThresholdRow) -> None:
        if row in self.thresholds:
            self.thresholds.remove(row)
            row.deleteLater()
        self.add_threshold_button.setEnabled(True)

    def set_running(self, running: bool) -> None:
        """Disable the settings while a run goes; Stop only then."""
        for widget in (
            self.users,
            self.spawn_rate,
            self.mode,
            self.length,
            self.think_time,
            self.environment,
            self.data_file,
            self.processes,
            self.add_threshold_button,
            *self.thresholds,
        ):
            widget.setEnabled(not running)
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.stop_button.setText("Stop")

    def settings(
        self, target: Path, requests: Sequence[str], folders: Sequence[str]
    ) -> LoadSettings | None:
        """The settings, or None after marking what is wrong (shown in `message`)."""
        problems = []
        rules = []
        for row in self.thresholds:
            text = row.edit.text().strip()
            if not text:
                continue
            problem = threshold_problem(text)
            mark_problem(row.edit, problem)
            if problem:
                problems.append(problem)
            rules.append(text)
        # Whether the data file exists and reads is for the command to say (exit 2 and
        # one line, shown in the window): the GUI thread does not touch the disk.
        data = self.data_file.line_edit.text().strip()
        if problems:
            self.message.show_message(problems[0])
            return None
        self.message.show_message("")
        by_time = self.mode.currentText() == DURATION
        return LoadSettings(
            target=target,
            requests=tuple(requests),
            folders=tuple(folders),
            users=self.users.value(),
            spawn_rate=self.spawn_rate.value(),
            duration_s=float(self.length.value()) if by_time else None,
            iterations=1 if by_time else self.length.value(),
            think_time_s=self.think_time.value(),
            environment=str(self.environment.currentData() or ""),
            # Absolute: the command runs in another folder (no disk is touched here).
            data_file=str(Path(data).expanduser().absolute()) if data else "",
            thresholds=tuple(rules),
            processes=self.processes.value(),
        )
