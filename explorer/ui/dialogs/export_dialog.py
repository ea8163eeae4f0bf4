"""Export a collection as a Postman v2.1 collection, an .http or Hurl file, or a Bruno
collection folder; history as HAR.

Usage from the window:

    path = ExportDialog.ask(collection, parent=window, settings=settings)   # File ▸ Export…

    # History ▸ Export as HAR…: InteropActions asks for the file here, then writes the
    # history on its background queue (explorer.application.exporting.write_history_file).
    path = ask_har_path(parent=window)

The formats offered are the application's registry (explorer.application.formats), the
same `export --to` accepts. A folder format (Bruno) is written into a new folder: Browse…
asks for the folder to put it in and names the new one after the collection, and the
dialog says which folder was written. The dialog writes on a background queue, never on the GUI
thread; every file is written atomically, and exports never hold secret values (the
exporters write secret variables empty).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from explorer.application.exporting import ExportWritten, write_collection, write_history
from explorer.application.formats import COLLECTION_FORMATS, HISTORY_FORMATS, ExportFormat
from explorer.core.collection import Collection
from explorer.core.formats.har import HarEntry
from explorer.qt.background import BackgroundQueue
from explorer.ui.widgets.feedback import MessageLabel

SETTINGS_KEY_DIR = "export/last_dir"
SETTINGS_KEY_FORMAT = "export/format"


# The formats offered: the application's registry, the same `export --to` accepts.
EXPORT_FORMATS = COLLECTION_FORMATS
HAR = HISTORY_FORMATS["har"]


def export_collection(collection: Collection, format: str, path: Path) -> ExportWritten:
    """Write `collection` to `path` in `format` (a key of EXPORT_FORMATS), atomically,
    with the files that go beside it."""
    return write_collection(collection, format, path)


def export_history_har(entries: Iterable[HarEntry], path: Path) -> None:
    """Write the exchanges `entries` (from the history or a selection) to `path` as HAR 1.2,
    atomically. Raises OSError when the file cannot be written."""
    write_history(entries, path)


def ask_har_path(parent: QWidget | None = None, directory: str = "") -> Path | None:
    """Ask where to save the history as HAR; the path, or None if cancelled."""
    suggested = f"history{HAR.suffix}"
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "Export history as HAR",
        str(Path(directory) / suggested) if directory else suggested,
        f"{HAR.label} (*{HAR.suffix});;All files (*)",
        options=QFileDialog.Option.DontUseNativeDialog,
    )
    return Path(path) if path else None


def ask_export_history_har(
    entries: Iterable[HarEntry], parent: QWidget | None = None, directory: str = ""
) -> Path | None:
    """Ask where to save `entries` as HAR and write them; the path, or None if cancelled.

    A file that cannot be written is reported in a message box (and None is returned).
    """
    records = tuple(entries)
    path = ask_har_path(parent, directory)
    if path is None:
        return None
    try:
        export_history_har(records, path)
    except OSError as error:
        QMessageBox.warning(parent, "Export failed", f"Could not write {path}: {error.strerror}")
        return None
    return path


def file_stem(name: str) -> str:
    """A safe file name stem for a collection name."""
    stem = re.sub(r"[^\w.-]+", " ", name).strip().replace(" ", "_")
    # At most 80 bytes of UTF-8, cut between characters: room for the extension.
    stem = stem.encode("utf-8")[:80].decode("utf-8", "ignore").strip("_")
    return stem or "collection"


class ExportDialog(QDialog):
    """Asks for a format and a file, then writes the collection there."""

    def __init__(
        self,
        collection: Collection,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export “{collection.name}”")
        self.setAccessibleName("Export collection")
        self._collection = collection
        self._settings = settings
        self._exported: Path | None = None
        self._writes = BackgroundQueue(self)
        self._build()
        remembered = self._setting(SETTINGS_KEY_FORMAT, "postman")
        self.set_format(remembered if remembered in EXPORT_FORMATS else "postman")
        self._on_path_edited()
        self.resize(560, self.sizeHint().height())

    def _build(self) -> None:
        self._format_group = QButtonGroup(self)
        formats = QVBoxLayout()
        self.format_buttons: dict[str, QRadioButton] = {}
        for key, spec in EXPORT_FORMATS.items():
            button = QRadioButton(spec.label)
            button.setAccessibleName(f"Format: {spec.label}")
            self._format_group.addButton(button)
            self.format_buttons[key] = button
            button.toggled.connect(self._on_format_toggled)
            formats.addWidget(button)

        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to write")
        self.path_edit.setPlaceholderText("Choose where to save the file")
        self.path_edit.textChanged.connect(self._on_path_edited)
        self.browse_button = _roomy(QPushButton("&Browse…"))
        self.browse_button.setAccessibleName("Choose the file")
        self.browse_button.clicked.connect(self._on_browse_clicked)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        self.file_label = QLabel("&File:")
        self.file_label.setBuddy(self.path_edit)
        form = QFormLayout()
        form.addRow("Format:", formats)
        form.addRow(self.file_label, path_row)

        # What happened: the written path(s) in the success colour, a failure in red.
        self.status_label = MessageLabel("error")
        self.status_label.setAccessibleName("Status")

        self.export_button = _roomy(QPushButton("&Export"))
        self.export_button.setAccessibleName("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.cancel_button = _roomy(QPushButton("Cancel"))
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        layout.addLayout(buttons)

    # ---- public -------------------------------------------------------------------------

    @classmethod
    def ask(
        cls,
        collection: Collection,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> Path | None:
        """Show the dialog; the file written, or None when the user cancelled."""
        dialog = cls(collection, parent, settings)
        try:
            dialog.exec()
            return dialog.exported_path()
        finally:
            dialog.deleteLater()

    def format(self) -> str:
        """The chosen format: a key of EXPORT_FORMATS."""
        return next(key for key, button in self.format_buttons.items() if button.isChecked())

    def set_format(self, key: str) -> None:
        """Choose the format `key` (a key of EXPORT_FORMATS)."""
        self.format_buttons[key].setChecked(True)

    def set_path(self, path: Path) -> None:
        """Set the file to write, as Browse… would."""
        self.path_edit.setText(str(path))

    def exported_path(self) -> Path | None:
        """The file (or, for a folder format, the folder) written, once the export
        succeeded."""
        return self._exported

    # ---- slots --------------------------------------------------------------------------

    def _on_format_toggled(self, checked: bool) -> None:
        if not checked:
            return
        folder = EXPORT_FORMATS[self.format()].folder
        self.file_label.setText("&Folder:" if folder else "&File:")
        self.path_edit.setAccessibleName("Folder to write" if folder else "File to write")
        self.path_edit.setPlaceholderText(
            "Choose a new folder to write the collection into"
            if folder
            else "Choose where to save the file"
        )
        self.browse_button.setAccessibleName("Choose the folder" if folder else "Choose the file")
        text = self.path_edit.text().strip()
        if text:
            # Keep the chosen file, with the suffix of the new format.
            self.path_edit.setText(str(_with_suffix(Path(text), EXPORT_FORMATS[self.format()])))

    def _on_path_edited(self) -> None:
        self.export_button.setEnabled(bool(self.path_edit.text().strip()))
        self.status_label.clear()

    def _on_browse_clicked(self) -> None:
        spec = EXPORT_FORMATS[self.format()]
        current = self.path_edit.text().strip()
        directory = self._setting(SETTINGS_KEY_DIR, "")
        if spec.folder:
            self._browse_folder(current, directory)
            return
        suggested = current or str(
            Path(directory) / (file_stem(self._collection.name) + spec.suffix)
        )
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export collection",
            suggested,
            f"{spec.label} (*{spec.suffix});;All files (*)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.set_path(Path(path))

    def _browse_folder(self, current: str, directory: str) -> None:
        """A folder format: ask for the folder to put it in; the new folder inside is
        named after the collection (made unique)."""
        start = str(Path(current).parent) if current else directory
        chosen = QFileDialog.getExistingDirectory(
            self,
            "Export collection into a folder",
            start,
            QFileDialog.Option.ShowDirsOnly | QFileDialog.Option.DontUseNativeDialog,
        )
        if chosen:
            self.set_path(_new_folder(Path(chosen), file_stem(self._collection.name)))

    def _on_export_clicked(self) -> None:
        path = Path(self.path_edit.text().strip()).expanduser()
        folder = EXPORT_FORMATS[self.format()].folder
        if folder and path.exists() and (not path.is_dir() or any(path.iterdir())):
            self._say(f"{path} is not an empty folder: choose a new one.")
            return
        if not folder and path.is_dir():
            self._say(f"{path} is a folder: choose a file name.")
            return
        # Written off the GUI thread (a large collection is many megabytes of text); the
        # dialog closes once the file is complete, or shows why it could not be written.
        collection, format = self._collection, self.format()
        self.export_button.setEnabled(False)
        self.status_label.clear()
        self._writes.run(
            lambda: export_collection(collection, format, path),
            lambda written: self._on_written(path, format, written),
            lambda error: self._on_write_failed(path, error),
        )

    def _on_written(self, path: Path, format: str, written: ExportWritten) -> None:
        self._exported = path
        if self._settings is not None:
            self._settings.setValue(SETTINGS_KEY_DIR, str(path.parent))
            self._settings.setValue(SETTINGS_KEY_FORMAT, format)
        self.export_button.setEnabled(True)
        if EXPORT_FORMATS[format].folder:  # the dialog stays to say where it went
            lines = "\n".join(f"• {line}" for line in written.report)
            self._say(
                f"Wrote the folder {path} ({len(written.paths)} files)."
                + (f" Not carried over:\n{lines}" if lines else ""),
                "success",
            )
            self.cancel_button.setText("Close")
            return
        beside = [other.name for other in written.paths if other != path]
        if written.report or beside:  # written; the dialog stays to say what and how
            wrote = f"Wrote {path}" + (f" and, beside it, {', '.join(beside)}" if beside else "")
            lines = "\n".join(f"• {line}" for line in written.report)
            self._say(f"{wrote}." + (f" Not carried over:\n{lines}" if lines else ""), "success")
            self.cancel_button.setText("Close")
            return
        self.accept()

    def _on_write_failed(self, path: Path, error: Exception) -> None:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        self._say(f"Could not write {path}: {reason}")
        self.export_button.setEnabled(bool(self.path_edit.text().strip()))

    def _say(self, text: str, role: str = "error") -> None:
        """Show `text` under the form in the colour of `role` ("success" for what was
        written, "error" for why not), growing the dialog to fit it: a fixed height
        squeezed the format buttons until their labels were cut (seen at 1280×720)."""
        self.status_label.show_message(text, role)
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def finish_writing(self, msecs: int = 10_000) -> bool:
        """Wait for a file being written (tests). False if time ran out."""
        return self._writes.wait(msecs)

    def _setting(self, key: str, default: str) -> str:
        if self._settings is None:
            return default
        return str(self._settings.value(key, default))


def _new_folder(parent: Path, name: str) -> Path:
    """`parent / name`, or `name-2`, `name-3`... when that exists and is not empty."""
    candidate, number = parent / name, 2
    while candidate.exists() and (not candidate.is_dir() or any(candidate.iterdir())):
        candidate = parent / f"{name}-{number}"
        number += 1
    return candidate


def _with_suffix(path: Path, spec: ExportFormat) -> Path:
    name = path.name
    known = [
        other.suffix
        for other in EXPORT_FORMATS.values()
        if other.suffix and name.endswith(other.suffix)
    ]
    if known:
        name = name[: -len(known[0])]
    elif path.suffix:
        name = path.stem
    return path.with_name(name + spec.suffix)


def _roomy(button: QPushButton) -> QPushButton:
    """Give a dialog button qdarkstyle's tight padding some room."""
    button.setMinimumSize(max(88, button.sizeHint().width() + 16), 28)
    return button
