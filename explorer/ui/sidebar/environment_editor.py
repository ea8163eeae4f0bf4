"""The Variables and environments dialog.

On the left the scopes one can edit for a collection: global variables (shared by all
collections), the collection's own variables, then its environments (add, rename,
duplicate, delete). On the right the variables of the chosen scope, each with a
"secret" flag; under them, read-only, the values captured from responses (or set by
scripts) in this window session, the highest scope, never saved. Nothing is written
until Save; secret values go to the secret store.
Save queues the writes on the workspace's background queue (the window never writes on
the GUI thread); the dialog closes once they are on disk, or says in one line why not
and stays open with the edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.collection import Environment, Variable
from explorer.qt.workspace import Workspace
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fitting import ask_text, fit_popup
from explorer.ui.widgets.variables_table import MASK, VariablesTable

GLOBALS, COLLECTION = "global", "collection"


@dataclass
class _Draft:
    """One environment as edited: its name now and the name it was loaded with."""

    name: str
    variables: tuple[Variable, ...]
    loaded_as: str | None  # None for an environment added in this dialog


class _Outcome:
    """The answers of a batch of queued writes: after the last, `finished(errors)`."""

    def __init__(self, count: int, finished: Callable[[list[Exception]], None]) -> None:
        self._left = count
        self._errors: list[Exception] = []
        self._finished = finished
        if count == 0:
            finished([])

    def done(self) -> None:
        self._answer(None)

    def failed(self, error: Exception) -> None:
        self._answer(error)

    def _answer(self, error: Exception | None) -> None:
        if error is not None:
            self._errors.append(error)
        self._left -= 1
        if self._left == 0:
            self._finished(self._errors)


class EnvironmentEditor(QDialog):
    """Edit globals, a collection's variables and its environments."""

    applied = Signal(bool)  # the writes of an `apply()` are done: whether all succeeded

    def __init__(
        self, workspace: Workspace, root: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Variables and environments")
        self.setAccessibleName("Variables and environments")
        self.resize(860, 520)
        self.ask_name: Callable[[str, str], str | None] = self._ask_name
        self.root: Path | None = None
        self._loading = False
        self._globals = workspace.globals.variables  # shared by every collection shown
        self._close_when_applied = False
        self.message = MessageLabel("error", self)
        self.message.setAccessibleName("Variables problem")

        self.collection_combo = QComboBox(self)
        self.collection_combo.setAccessibleName("Collection")
        for opened in workspace.collections.values():
            self.collection_combo.addItem(opened.name, str(opened.root))
        self.collection_combo.currentIndexChanged.connect(self._on_collection_changed)
        fit_popup(self.collection_combo, box=False)

        self.scope_list = QListWidget(self)
        self.scope_list.setAccessibleName("Scopes and environments")
        self.scope_list.setMinimumWidth(200)
        self.scope_list.currentRowChanged.connect(self._on_scope_changed)
        self.add_button = self._button("Add", "Add an environment", self.add_environment)
        self.rename_button = self._button("Rename", "Rename the environment", self.rename)
        self.duplicate_button = self._button("Duplicate", "Copy the environment", self.duplicate)
        self.delete_button = self._button("Delete", "Delete the environment", self.delete)

        self.scope_title = QLabel(self)
        self.scope_title.setObjectName("scopeTitle")
        self.scope_title.setStyleSheet("font-weight: bold;")
        self.scope_hint = QLabel(self)
        self.scope_hint.setWordWrap(True)
        self.table = VariablesTable(self)
        self.table.changed.connect(self._on_table_changed)
        self.reveal_check = QCheckBox("Show secret values", self)
        self.reveal_check.setAccessibleName("Show secret values")
        self.reveal_check.toggled.connect(self.table.set_revealed)
        self.remove_row_button = self._button(
            "Remove row", "Remove the selected variables", self.table.remove_selected
        )
        self._build_captured()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save_and_close)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        index = self.collection_combo.findData(str(root)) if root is not None else 0
        self.collection_combo.setCurrentIndex(max(index, 0))
        self._on_collection_changed()

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(tip)
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _layout(self) -> None:
        top = QHBoxLayout()
        label = QLabel("Collection:", self)
        label.setBuddy(self.collection_combo)
        top.addWidget(label)
        top.addWidget(self.collection_combo, 1)
        left = QVBoxLayout()
        left.addWidget(self.scope_list, 1)
        row = QHBoxLayout()
        for button in (self.add_button, self.rename_button):
            row.addWidget(button)
        row2 = QHBoxLayout()
        for button in (self.duplicate_button, self.delete_button):
            row2.addWidget(button)
        left.addLayout(row)
        left.addLayout(row2)
        right = QVBoxLayout()
        right.addWidget(self.scope_title)
        right.addWidget(self.scope_hint)
        right.addWidget(self.table, 1)
        under = QHBoxLayout()
        under.addWidget(self.reveal_check)
        under.addStretch(1)
        under.addWidget(self.remove_row_button)
        right.addLayout(under)
        captured_row = QHBoxLayout()
        captured_row.addWidget(self.captured_label, 1)
        captured_row.addWidget(self.forget_button)
        right.addLayout(captured_row)
        right.addWidget(self.captured_table)
        middle = QHBoxLayout()
        middle.addLayout(left)
        middle.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _build_captured(self) -> None:
        self.captured_label = QLabel(self)
        self.captured_label.setWordWrap(True)
        self.captured_label.setAccessibleName("Captured variables")
        self.captured_table = QTableWidget(0, 2, self)
        self.captured_table.setHorizontalHeaderLabels(["Name", "Value"])
        self.captured_table.setAccessibleName("Captured in this session")
        self.captured_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.captured_table.verticalHeader().setVisible(False)
        self.captured_table.horizontalHeader().setStretchLastSection(True)
        self.captured_table.horizontalHeader().resizeSection(0, 180)
        self.captured_table.setMaximumHeight(140)
        self.forget_button = self._button(
            "Forget", "Forget the values captured in this session", self._forget_captured
        )
        self.workspace.captured_changed.connect(self._show_captured)
        self.reveal_check.toggled.connect(lambda _on: self._show_captured())

    def _show_captured(self) -> None:
        """The values captured so far for the collection shown (read-only)."""
        scope = self.workspace.captured(self.root) if self.root is not None else None
        values = dict(scope.values) if scope is not None else {}
        table = self.captured_table
        table.setRowCount(len(values))
        for row, (name, value) in enumerate(values.items()):
            secret = scope is not None and name in scope.secret
            shown = MASK if secret and not self.reveal_check.isChecked() else value
            for column, text in enumerate((name, shown)):
                table.setItem(row, column, QTableWidgetItem(text))
        self.captured_label.setText(
            f"Captured in this window session ({len(values)}): set by the captures and "
            "scripts of the responses sent; above every scope here; not saved."
        )
        for widget in (self.captured_label, self.captured_table, self.forget_button):
            widget.setVisible(bool(values))

    def _forget_captured(self) -> None:
        self.workspace.forget_captured(self.root)

    # ---- state -------------------------------------------------------------------------

    def _on_collection_changed(self, *_args: object) -> None:
        if self.root is not None and self.is_dirty():
            self.apply()
        data = self.collection_combo.currentData()
        self.root = Path(data) if data else None
        opened = self.workspace.collections.get(self.root) if self.root else None
        self._collection_vars = opened.collection.variables if opened else ()
        self._drafts = [
            _Draft(e.name, e.variables, e.name)
            for e in (opened.collection.environments if opened else ())
        ]
        self._loaded = (self._globals, self._collection_vars, [replace(d) for d in self._drafts])
        self._fill_list(1 if not self._drafts else 2)
        self._show_captured()

    def _fill_list(self, select: int) -> None:
        self._loading = True
        try:
            self.scope_list.clear()
            self.scope_list.addItem(QListWidgetItem("Global variables"))
            self.scope_list.addItem(QListWidgetItem("Collection variables"))
            for draft in self._drafts:
                item = QListWidgetItem(f"Environment: {draft.name}")
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Environment {draft.name}")
                self.scope_list.addItem(item)
        finally:
            self._loading = False
        self.scope_list.setCurrentRow(min(select, self.scope_list.count() - 1))
        self._on_scope_changed(self.scope_list.currentRow())

    def _on_scope_changed(self, row: int) -> None:
        if self._loading or row < 0:
            return
        self._loading = True
        try:
            if row == 0:
                self.scope_title.setText("Global variables")
                self.scope_hint.setText("Shared by every collection; the lowest scope.")
                self.table.set_variables(self._globals)
            elif row == 1:
                self.scope_title.setText(f"Variables of {self.collection_combo.currentText()}")
                self.scope_hint.setText(
                    "Saved in the collection's collection.yaml (secret values excepted); "
                    "override globals."
                )
                self.table.set_variables(self._collection_vars)
            else:
                draft = self._drafts[row - 2]
                self.scope_title.setText(f"Environment “{draft.name}”")
                self.scope_hint.setText(
                    "Saved in the collection's environments/ folder; chosen in the toolbar. "
                    "Overrides collection and global variables."
                )
                self.table.set_variables(draft.variables)
        finally:
            self._loading = False
        is_environment = row >= 2
        for button in (self.rename_button, self.duplicate_button, self.delete_button):
            button.setEnabled(is_environment)

    def _on_table_changed(self) -> None:
        if self._loading:
            return
        row = self.scope_list.currentRow()
        variables = self.table.variables()
        if row == 0:
            self._globals = variables
        elif row == 1:
            self._collection_vars = variables
        elif row >= 2:
            self._drafts[row - 2].variables = variables

    def environments(self) -> list[Environment]:
        """The environments as edited."""
        return [Environment(d.name, d.variables) for d in self._drafts]

    def is_dirty(self) -> bool:
        """Whether anything differs from what was loaded."""
        globals_, collection_vars, drafts = self._loaded
        return (
            self._globals != globals_
            or self._collection_vars != collection_vars
            or [(d.name, d.variables, d.loaded_as) for d in self._drafts]
            != [(d.name, d.variables, d.loaded_as) for d in drafts]
        )

    # ---- environment commands ----------------------------------------------------------

    def add_environment(self, name: str | None = None) -> None:
        """Add an empty environment."""
        name = name or self.ask_name("New environment", "local")
        if name and self._name_free(name):
            self._drafts.append(_Draft(name, (), None))
            self._fill_list(len(self._drafts) + 1)

    def rename(self, name: str | None = None) -> None:
        """Rename the selected environment."""
        row = self.scope_list.currentRow()
        if row < 2:
            return
        draft = self._drafts[row - 2]
        name = name or self.ask_name("Rename environment", draft.name)
        if name and name != draft.name and self._name_free(name):
            draft.name = name
            self._fill_list(row)

    def duplicate(self, name: str | None = None) -> None:
        """Copy the selected environment under a new name."""
        row = self.scope_list.currentRow()
        if row < 2:
            return
        draft = self._drafts[row - 2]
        name = name or self.ask_name("Duplicate environment", f"{draft.name} copy")
        if name and self._name_free(name):
            self._drafts.insert(row - 1, _Draft(name, draft.variables, None))
            self._fill_list(row + 1)

    def delete(self) -> None:
        """Remove the selected environment (written on Save)."""
        row = self.scope_list.currentRow()
        if row >= 2:
            del self._drafts[row - 2]
            self._fill_list(row)  # the next environment, or the last one

    def _name_free(self, name: str) -> bool:
        if any(d.name == name for d in self._drafts):
            QMessageBox.information(self, "Environment", f"There is already “{name}”.")
            return False
        return True

    # ---- saving ------------------------------------------------------------------------

    def apply(self) -> bool:
        """Queue what changed to be written off the GUI thread, in order: globals, the
        collection's variables, its environments. `applied(ok)` follows once they are
        written; a failure is shown in the dialog, its edits kept. True when queued."""
        root = self.root
        if root is None:
            self.applied.emit(True)
            return True
        globals_, collection_vars, _drafts = self._loaded
        workspace, variables, own = self.workspace, self._globals, self._collection_vars
        names = [(draft, draft.name) for draft in self._drafts]
        snapshot = (variables, own, [replace(d) for d in self._drafts])
        writes: list[Callable[[_Outcome], None]] = []
        if variables != globals_:
            writes.append(lambda o: workspace.save_globals_later(variables, o.done, o.failed))
        if own != collection_vars:
            writes.append(
                lambda o: workspace.save_collection_variables_later(root, own, o.done, o.failed)
            )
        renamed = {d.name: d.loaded_as for d in self._drafts if d.loaded_as is not None}
        environments = self.environments()
        writes.append(
            lambda o: workspace.save_environments_later(
                root, environments, renamed, o.done, o.failed
            )
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        outcome = _Outcome(len(writes), lambda errors: self._applied(errors, root, names, snapshot))
        for write in writes:
            write(outcome)
        return True

    def _applied(
        self,
        errors: list[Exception],
        root: Path,
        names: list[tuple[_Draft, str]],
        snapshot: tuple[tuple[Variable, ...], tuple[Variable, ...], list[_Draft]],
    ) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        if errors:
            self._close_when_applied = False
            reason = " ".join(str(errors[0]).split())
            self.message.show_message(f"Not saved: {reason}")
            self.applied.emit(False)
            return
        if root == self.root:  # not another collection chosen meanwhile
            for draft, name in names:  # the environments are on disk under these names now
                draft.loaded_as = name
            globals_, own, drafts = snapshot
            for copy, (_draft, name) in zip(drafts, names, strict=True):
                copy.loaded_as = name
            self._loaded = (globals_, own, drafts)
        self.message.show_message("")
        self.applied.emit(True)
        if self._close_when_applied:
            self.accept()

    def save_and_close(self) -> None:
        """Save, then close the dialog once written (it stays open when a write failed)."""
        self._close_when_applied = True
        self.apply()

    def _ask_name(self, title: str, default: str) -> str | None:
        return ask_text(self, title, "Name:", default)
