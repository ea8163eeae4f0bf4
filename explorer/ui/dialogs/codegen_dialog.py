"""Generate code: the current request as curl, Python, HTTPie, fetch, Go or PowerShell.

The request given is resolved except for its secret variables, which stay `{{name}}`;
every target reads them from environment variables, so a secret value never reaches the
preview, the clipboard or a saved file. The dialog lists those variables under the code.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.application.formats import CODE_TARGETS as TARGETS
from explorer.core.atomic import write_text_atomic
from explorer.core.codegen import generate
from explorer.core.codegen.common import secret_variables
from explorer.core.model import Request
from explorer.qt.background import BackgroundQueue
from explorer.ui.widgets.highlighted_code import HighlightedCode
from explorer.ui.widgets.theme import colour

SETTINGS_KEY = "codegen/target"
COPIED_FOR_MS = 1500


class CodegenDialog(QDialog):
    """Previews the code for one request in each target language; copies or saves it."""

    def __init__(
        self,
        request: Request,
        secret_names: frozenset[str] | set[str] = frozenset(),
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Generate code")
        self.setAccessibleName("Generate code")
        self._request = request
        self._secret_names = frozenset(secret_names)
        self._settings = settings
        self._writes = BackgroundQueue(self)  # saves files off the GUI thread
        self._build()
        remembered = settings.value(SETTINGS_KEY, "curl") if settings is not None else "curl"
        self.set_target(str(remembered) if remembered in TARGETS else "curl")
        self.resize(940, 560)

    def _build(self) -> None:
        self.target_list = QListWidget()
        self.target_list.setAccessibleName("Language")
        for key, target in TARGETS.items():
            item = QListWidgetItem(target.display_name)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.target_list.addItem(item)
        self.target_list.setSpacing(2)
        self.target_list.setMinimumWidth(self.target_list.sizeHintForColumn(0) + 24)
        self.target_list.currentRowChanged.connect(self._on_target_changed)

        self.preview = HighlightedCode()
        self.preview.setAccessibleName("Generated code")

        self.secrets_label = QLabel()
        self.secrets_label.setWordWrap(True)
        self.secrets_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        code_side = QWidget()
        code_layout = QVBoxLayout(code_side)
        code_layout.setContentsMargins(0, 0, 0, 0)
        code_layout.addWidget(self.preview, 1)
        code_layout.addWidget(self.secrets_label)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.target_list)
        splitter.addWidget(code_side)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self.target_list.minimumWidth(), 640])

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._buttons())

    def _buttons(self) -> QHBoxLayout:
        self.copy_button = _roomy(QPushButton("&Copy"))
        self.copy_button.setAccessibleName("Copy code to the clipboard")
        self.copy_button.clicked.connect(self.copy)
        self.save_button = _roomy(QPushButton("&Save…"))
        self.save_button.setAccessibleName("Save code to a file")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.close_button = _roomy(QPushButton("Close"))
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.reject)
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Status")
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(self.status_label.clear)
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        row.addWidget(self.status_label, 1)
        row.addWidget(self.close_button)
        self.copy_button.setDefault(True)
        return row

    # ---- public -------------------------------------------------------------------------

    def current_target(self) -> str:
        """The key (in `formats.CODE_TARGETS`) of the language shown."""
        item = self.target_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else "curl"

    def set_target(self, key: str) -> None:
        """Show the code for the target `key` (a key of `formats.CODE_TARGETS`)."""
        keys = list(TARGETS)
        if key not in TARGETS:
            raise ValueError(f"Unknown code target {key!r}; choose from {', '.join(keys)}")
        row = keys.index(key)
        if self.target_list.currentRow() == row:
            self._on_target_changed(row)  # no change signal: refresh by hand
        else:
            self.target_list.setCurrentRow(row)

    def code(self) -> str:
        """The code shown."""
        return self.preview.code()

    def copy(self) -> None:
        """Put the code on the clipboard and say so briefly."""
        QApplication.clipboard().setText(self.code())
        self._show_status("Copied to the clipboard", "2xx")

    def save_to(self, path: Path) -> None:
        """Write the code to `path` atomically, off the GUI thread; the outcome (or the
        problem) is shown in the dialog."""
        code = self.code()
        self._writes.run(
            lambda: write_text_atomic(path, code),
            lambda _none: self._show_status(f"Saved {path.name}", "2xx"),
            lambda error: self._on_save_failed(path, error),
        )

    def finish_saving(self, msecs: int = 10_000) -> bool:
        """Wait for a file being saved (tests). False if time ran out."""
        return self._writes.wait(msecs)

    def _on_save_failed(self, path: Path, error: Exception) -> None:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        self._show_status(f"Could not save {path}: {reason}", "error", 0)

    # ---- slots --------------------------------------------------------------------------

    def _on_target_changed(self, row: int) -> None:
        if row < 0:
            return
        key = list(TARGETS)[row]
        target = TARGETS[key]
        self.preview.set_code(generate(key, self._request, self._secret_names), target.lexer)
        variables = secret_variables(self._request, self._secret_names)
        self.secrets_label.setVisible(bool(variables))
        self.secrets_label.setText(
            "Secrets are read from the environment variables "
            + ", ".join(variables)
            + "; set them before running this code."
        )
        if self._settings is not None:
            self._settings.setValue(SETTINGS_KEY, key)

    def _on_save_clicked(self) -> None:
        target = TARGETS[self.current_target()]
        suggested = f"request.{target.extension}"
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save code",
            suggested,
            f"{target.display_name} (*.{target.extension});;All files (*)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.save_to(Path(path))

    def _show_status(self, text: str, colour_name: str, duration_ms: int = COPIED_FOR_MS) -> None:
        self.status_label.setStyleSheet(f"color: {colour(colour_name)};")
        self.status_label.setText(text)
        if duration_ms:
            self._status_timer.start(duration_ms)
        else:
            self._status_timer.stop()


def _roomy(button: QPushButton) -> QPushButton:
    """Give a dialog button qdarkstyle's tight padding some room."""
    button.setMinimumSize(max(88, button.sizeHint().width() + 16), 28)
    return button
