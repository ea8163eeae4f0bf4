"""File ▸ Import…: read curl, Postman, Insomnia, OpenAPI, HAR or .http from pasted text,
a file or a URL, or another tool's collection folder (Bruno's), preview what would be
imported, and hand back the converted collection.

Reading and converting are the application's (`explorer.application.converting`, which
reads sources as the command line does). Converting happens in a child process
waited for on the dialog's background queue (`explorer.qt.background`), and a URL is
downloaded with a `RequestRunner`, so the window stays responsive with large files. Each
new source or format choice starts a new job and kills the older ones' processes; closing
the dialog kills them all, so it closes at once and no result arrives later. A malformed
input shows the converter's message and location, and Import stays off.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QThreadPool, QTimer
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyle,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.application import importing
from explorer.application.converting import (
    Conversion,
    ImportSource,
    ParseCancelled,
    ParsedImport,
    convert_for_preview,
)
from explorer.application.formats import IMPORT_FORMATS
from explorer.core.collection import Folder, RequestItem
from explorer.core.formats import MAX_IMPORT_BYTES, FormatError, Imported, ImportResult
from explorer.core.formats.har import HarEntry
from explorer.core.http.exchange import Response, SendError
from explorer.qt.background import BackgroundQueue
from explorer.qt.runner import RequestRunner
from explorer.ui.widgets.fitting import fit_popup
from explorer.ui.widgets.fonts import monospace_font
from explorer.ui.widgets.theme import colour

FORMAT_LABELS = {key: format.label for key, format in IMPORT_FORMATS.items()}
MAX_DOWNLOAD = MAX_IMPORT_BYTES  # a document larger than this is not an API description
MAX_PREVIEW_ROWS = 5000  # the preview is a glance, not the collection itself
TYPING_PAUSE_MS = 250
SETTINGS_KEY_DIR = "import/last_dir"
SOURCE_PASTE, SOURCE_FILE, SOURCE_URL = 0, 1, 2
PASTE_HEIGHT = 240
SUPPORTED = (
    "Supported: curl commands; Postman v2.0 and v2.1 collections and environments; "
    "Insomnia v4 and v5 exports (JSON or YAML); OpenAPI 3.0, 3.1 and Swagger 2.0 (JSON or YAML); "
    "HAR 1.2 archives; .http and .rest files; Hurl files; OpenCollection (Bruno 3) YAML files; "
    "Bruno and OpenCollection collection folders (Folder…); Bruno's exported JSON and .bru files."
)


# ---- the dialog ------------------------------------------------------------------------


class ImportDialog(QDialog):
    """Paste, open or download something to import; preview it; Import hands it back."""

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.setAccessibleName("Import")
        self._settings = settings
        # Conversions wait for their converter process on the background queue. The
        # download's worker has a pool of the dialog's own, created before the runner so
        # that it is destroyed first: its destructor waits for a cancelled download while
        # the runner it reports to still exists.
        self._parses = BackgroundQueue(self)
        self._download_pool = QThreadPool(self)
        self._download_pool.setMaxThreadCount(1)
        self._runner: RequestRunner | None = None  # made on the first download
        self._job = 0
        self._running: list[Conversion] = []  # the converters of jobs not yet dropped
        self._parsed: ParsedImport | None = None
        self._accepted: ParsedImport | None = None
        self._downloaded: tuple[str, Response] | None = None
        self._typing_timer = QTimer(self)
        self._typing_timer.setSingleShot(True)
        self._typing_timer.setInterval(TYPING_PAUSE_MS)
        self._typing_timer.timeout.connect(self._reparse)
        self._build()
        self.resize(900, 680)

    # ---- building -----------------------------------------------------------------------

    def _build(self) -> None:
        self.source_tabs = QTabWidget()
        self.source_tabs.setAccessibleName("Source")
        self.source_tabs.tabBar().setAccessibleName("Source of the import")
        self.source_tabs.addTab(self._paste_page(), "&Paste")
        self.source_tabs.addTab(self._file_page(), "F&ile")
        self.source_tabs.addTab(self._url_page(), "&URL")
        self.source_tabs.currentChanged.connect(self._on_source_changed)

        self.error_label = QLabel()
        self.error_label.setObjectName("importError")
        self.error_label.setAccessibleName("Problem")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(self._format_row())
        lower_layout.addWidget(self.error_label)
        lower_layout.addWidget(self._preview_splitter(), 1)

        self._splitter = QSplitter(Qt.Orientation.Vertical)
        self._splitter.setChildrenCollapsible(False)
        self._splitter.addWidget(self.source_tabs)
        self._splitter.addWidget(lower)
        self._splitter.setStretchFactor(1, 1)
        self._splitter.setSizes([PASTE_HEIGHT, 420])

        layout = QVBoxLayout(self)
        layout.addWidget(self._splitter, 1)
        layout.addLayout(self._button_row())

    def _paste_page(self) -> QWidget:
        self.paste_edit = QPlainTextEdit()
        self.paste_edit.setAccessibleName("Text to import")
        self.paste_edit.setFont(monospace_font())
        self.paste_edit.setTabChangesFocus(True)
        self.paste_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.paste_edit.setPlaceholderText(
            "Paste a curl command; a Postman, Insomnia, OpenAPI, HAR, OpenCollection or "
            "Bruno JSON document; or the text of an .http, .hurl or .bru file"
        )
        self.paste_edit.textChanged.connect(self._on_source_edited)
        return self._page(self.paste_edit)

    def _file_page(self) -> QWidget:
        self.file_edit = QLineEdit()
        self.file_edit.setAccessibleName("File to import")
        self.file_edit.setPlaceholderText(
            "Path of a .json, .yaml, .har, .http or .hurl file, or of a Bruno collection folder"
        )
        self.file_edit.textChanged.connect(self._on_source_edited)
        self.browse_button = _roomy(QPushButton("&Browse…"))
        self.browse_button.setAccessibleName("Choose a file to import")
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.folder_button = _roomy(QPushButton("Fol&der…"))
        self.folder_button.setAccessibleName("Choose a collection folder to import")
        self.folder_button.setToolTip(
            "A Bruno or OpenCollection folder (the one holding bruno.json or opencollection.yml)"
        )
        self.folder_button.clicked.connect(self._on_folder_clicked)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.folder_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(_hint_label())
        layout.addStretch(1)
        return page

    def _url_page(self) -> QWidget:
        self.url_edit = QLineEdit()
        self.url_edit.setAccessibleName("URL to import from")
        self.url_edit.setPlaceholderText("https://example.com/openapi.json")
        self.url_edit.returnPressed.connect(self._on_fetch_clicked)
        self.fetch_button = _roomy(QPushButton("&Fetch"))
        self.fetch_button.setAccessibleName("Download the URL")
        self.fetch_button.clicked.connect(self._on_fetch_clicked)
        self.stop_button = _roomy(QPushButton("S&top"))
        self.stop_button.setAccessibleName("Stop the download")
        self.stop_button.clicked.connect(self._on_stop_clicked)
        self.stop_button.hide()
        self.download_bar = QProgressBar()
        self.download_bar.setAccessibleName("Download progress")
        self.download_bar.setTextVisible(True)
        self.download_bar.hide()
        row = QHBoxLayout()
        row.addWidget(self.url_edit, 1)
        row.addWidget(self.fetch_button)
        row.addWidget(self.stop_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.download_bar)
        layout.addWidget(_hint_label())
        layout.addStretch(1)
        return page

    @staticmethod
    def _page(widget: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(widget)
        return page

    def _format_row(self) -> QHBoxLayout:
        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("Format")
        self.format_combo.addItem("Detect automatically", None)
        for key, format in IMPORT_FORMATS.items():
            self.format_combo.addItem(format.label, key)
        self.format_combo.currentIndexChanged.connect(self._reparse)
        fit_popup(self.format_combo, box=False)
        label = QLabel("F&ormat:")
        label.setBuddy(self.format_combo)
        self.detected_label = QLabel()
        self.detected_label.setAccessibleName("Detected format")
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Status")
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.format_combo)
        row.addWidget(self.detected_label)
        row.addStretch(1)
        row.addWidget(self.status_label)
        return row

    def _preview_splitter(self) -> QSplitter:
        self.preview_tree = QTreeWidget()
        self.preview_tree.setAccessibleName("Requests that will be imported")
        self.preview_tree.setHeaderLabels(["Name", "Method", "URL"])
        self.preview_tree.setUniformRowHeights(True)
        self.preview_tree.setAlternatingRowColors(True)
        header = self.preview_tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(0, 280)

        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.report_view.setTabChangesFocus(True)
        self.report_view.setAccessibleName("Import report: what was converted, what is not carried")

        report_side = QWidget()
        report_layout = QVBoxLayout(report_side)
        report_layout.setContentsMargins(0, 0, 0, 0)
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Summary")
        self.summary_label.setWordWrap(True)
        report_title = QLabel("Import report (what was converted, what is not carried over):")
        report_layout.addWidget(self.summary_label)
        report_layout.addWidget(report_title)
        report_layout.addWidget(self.report_view, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.preview_tree)
        splitter.addWidget(report_side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        return splitter

    def _button_row(self) -> QHBoxLayout:
        self.import_button = _roomy(QPushButton("&Import"))
        self.import_button.setAccessibleName("Import")
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.cancel_button = _roomy(QPushButton("Cancel"))
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.import_button)
        row.addWidget(self.cancel_button)
        return row

    # ---- public -------------------------------------------------------------------------

    @classmethod
    def ask(
        cls, parent: QWidget | None = None, settings: QSettings | None = None
    ) -> ImportResult | None:
        """Show the dialog; the accepted import, or None when the user cancelled."""
        dialog = cls(parent, settings)
        try:
            dialog.exec()
            return dialog.result()
        finally:
            dialog.deleteLater()

    def result(self) -> ImportResult | None:  # type: ignore[override]
        """The import the user accepted (None before Import, or after Cancel).

        Shadows QDialog.result(): the dialog code is what exec() returns.
        """
        return self._accepted.result if self._accepted is not None else None

    def accepted_import(self) -> Imported | None:
        """The accepted import, as the application's import use case takes it."""
        return self._accepted.imported() if self._accepted is not None else None

    def har_entries(self) -> tuple[HarEntry, ...]:
        """The exchanges of an accepted HAR import (for the history); else empty."""
        return self._accepted.har_entries if self._accepted is not None else ()

    def chosen_format(self) -> str:
        """The format of the accepted import (a key of FORMATS), or "" before Import."""
        return self._accepted.format if self._accepted is not None else ""

    def set_text(self, text: str) -> None:
        """Show the Paste source with `text` in it, as if the user had pasted it."""
        self.source_tabs.setCurrentIndex(SOURCE_PASTE)
        self.paste_edit.setPlainText(text)

    def set_file(self, path: Path) -> None:
        """Show the File source with `path` (a file, or a collection folder), as if chosen
        with Browse… or Folder…."""
        self.source_tabs.setCurrentIndex(SOURCE_FILE)
        self.file_edit.setText(str(path))

    def fetch_url(self, url: str) -> None:
        """Show the URL source and start downloading `url`."""
        self.source_tabs.setCurrentIndex(SOURCE_URL)
        self.url_edit.setText(url)
        self._on_fetch_clicked()

    def finish_work(self, timeout_ms: int = 5000) -> bool:
        """Stop the download and the conversions and drop pending results, then wait for
        the workers (tests, shutdown). True when every worker has finished."""
        self._stop_work()
        parsed = self._parses.wait(timeout_ms)
        return self._download_pool.waitForDone(timeout_ms) and parsed

    def done(self, code: int) -> None:
        """Closing (Import, Cancel, Esc) stops the download and the conversions: their
        processes are killed and their results dropped."""
        self._stop_work()
        super().done(code)

    def _stop_work(self) -> None:
        self._cancel_download()
        self._cancel_parses()
        self._job += 1
        self._typing_timer.stop()

    def _cancel_parses(self) -> None:
        for cancel in self._running:
            cancel.cancel()
        self._running.clear()

    # ---- sources ------------------------------------------------------------------------

    def _current_source(self) -> ImportSource | None:
        chosen = self.format_combo.currentData()
        index = self.source_tabs.currentIndex()
        if index == SOURCE_PASTE:
            text = self.paste_edit.toPlainText()
            return ImportSource(text=text, format=chosen) if text.strip() else None
        if index == SOURCE_FILE:
            typed = self.file_edit.text().strip()
            if not typed:
                return None
            path = Path(typed).expanduser()
            if path.is_dir():  # another tool's collection folder (Bruno's)
                return ImportSource(folder=path, filename=path.name, format=chosen)
            return ImportSource(path=path, filename=path.name, format=chosen)
        if self._downloaded is not None and self._downloaded[0] == self.url_edit.text().strip():
            url, response = self._downloaded
            name = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
            return ImportSource(response=response, filename=name or None, format=chosen)
        return None

    def _reparse(self) -> None:
        """Start converting the current source; whatever was shown is stale from now."""
        self._typing_timer.stop()
        self._job += 1
        self._parsed = None
        self.import_button.setEnabled(False)
        source = self._current_source()
        if source is None:
            self._show_idle()
            return
        if source.path is not None and not source.path.is_file():
            self._show_error(f"{source.path} does not exist", "")
            return
        self._clear_preview()
        self.error_label.hide()
        self.status_label.setText("Reading…")
        self._cancel_parses()  # nobody waits for the older results any more
        cancel, job = Conversion(), self._job
        self._running.append(cancel)
        self._parses.run(
            lambda: convert_for_preview(source, cancel),
            lambda parsed: self._on_parsed(job, parsed),
            lambda error: self._on_parse_error(job, error),
        )

    def _on_source_edited(self) -> None:
        # What is shown no longer matches the text: Import waits for the new result.
        self._cancel_parses()
        self._job += 1
        self._parsed = None
        self.import_button.setEnabled(False)
        self._typing_timer.start()

    def _on_source_changed(self, index: int) -> None:
        # The paste box deserves room; a path or URL field does not.
        total = sum(self._splitter.sizes())
        widget = self.source_tabs.widget(index)
        page = widget.sizeHint().height() if widget is not None else 0
        bar = self.source_tabs.tabBar().sizeHint().height()
        wanted = PASTE_HEIGHT if index == SOURCE_PASTE else bar + page + 8
        self._splitter.setSizes([wanted, max(total - wanted, 1)])
        self._reparse()

    def _on_browse_clicked(self) -> None:
        directory = self._settings.value(SETTINGS_KEY_DIR, "") if self._settings else ""
        current = self.file_edit.text().strip()
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import a file",
            current or str(directory or ""),
            "API descriptions (*.json *.yaml *.yml *.har *.http *.rest *.hurl *.bru *.txt);;"
            "All files (*)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            if self._settings is not None:
                self._settings.setValue(SETTINGS_KEY_DIR, str(Path(path).parent))
            self.file_edit.setText(path)
            self._reparse()

    def _on_folder_clicked(self) -> None:
        directory = self._settings.value(SETTINGS_KEY_DIR, "") if self._settings else ""
        current = self.file_edit.text().strip()
        path = QFileDialog.getExistingDirectory(
            self,
            "Import a collection folder",
            current or str(directory or ""),
            QFileDialog.Option.ShowDirsOnly | QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            if self._settings is not None:
                self._settings.setValue(SETTINGS_KEY_DIR, str(Path(path).parent))
            self.file_edit.setText(path)
            self._reparse()

    # ---- download -----------------------------------------------------------------------

    def _on_fetch_clicked(self) -> None:
        url = self.url_edit.text().strip()
        if not url.lower().startswith(("http://", "https://")):
            self._job += 1
            self.import_button.setEnabled(False)
            self._show_error("Enter a URL that starts with http:// or https://", "")
            return
        self._job += 1
        self._downloaded = None
        self.import_button.setEnabled(False)
        self._clear_preview()
        self.error_label.hide()
        self._set_downloading(True)
        self._download_runner().send(importing.download_request(url))

    def _download_runner(self) -> RequestRunner:
        if self._runner is None:
            # Capped at the import size and never spooled to a temp file (the transport
            # stops it too, as the progress that stops it below comes 20 times a second).
            transport = importing.download_transport()  # loads requests: only when used
            self._runner = RequestRunner(transport, self._download_pool, self)
            self._runner.progressed.connect(self._on_download_progressed)
            self._runner.finished.connect(self._on_downloaded)
            self._runner.failed.connect(self._on_download_failed)
        return self._runner

    def _cancel_download(self) -> None:
        if self._runner is not None:
            self._runner.cancel()

    def _on_stop_clicked(self) -> None:
        self._cancel_download()
        self._set_downloading(False)
        self.status_label.setText("Download stopped")

    def _set_downloading(self, active: bool) -> None:
        self.fetch_button.setVisible(not active)
        self.stop_button.setVisible(active)
        self.download_bar.setVisible(active)
        self.download_bar.setRange(0, 0)  # busy until the size is known
        self.status_label.setText("Downloading…" if active else "")
        if active:
            self.stop_button.setFocus()
        elif self.stop_button.hasFocus() or not self.fetch_button.hasFocus():
            self.fetch_button.setFocus()

    def _on_download_progressed(self, _send_id: int, received: int, total: object) -> None:
        if received > MAX_DOWNLOAD:
            self._cancel_download()
            self._set_downloading(False)
            self._show_error(
                f"The download is larger than {MAX_DOWNLOAD // (1024 * 1024)} MB: "
                "save it to a file and import the file",
                "",
            )
            return
        if isinstance(total, int) and total > 0:
            self.download_bar.setRange(0, total)
            self.download_bar.setValue(min(received, total))

    def _on_downloaded(self, _send_id: int, response: Response) -> None:
        self._set_downloading(False)
        if response.status >= 400:
            self._show_error(f"The server answered {response.status} {response.reason}", "")
            return
        self._downloaded = (self.url_edit.text().strip(), response)
        self._reparse()

    def _on_download_failed(self, _send_id: int, error: SendError) -> None:
        self._set_downloading(False)
        message = error.message + (f" {error.hint}" if error.hint else "")
        self._show_error(message, "")

    # ---- results ------------------------------------------------------------------------

    def _on_parsed(self, job: int, parsed: ParsedImport) -> None:
        if job != self._job:
            return
        self._parsed = parsed
        self.status_label.clear()
        self.error_label.hide()
        self._show_format(parsed.format)
        self._fill_preview(parsed)
        if not (parsed.result.collection.items or parsed.result.environments):
            label = FORMAT_LABELS.get(parsed.format, parsed.format)
            self._show_error(f"Nothing to import: no requests were found in this {label}", "")
            return
        self.import_button.setEnabled(True)

    def _on_parse_error(self, job: int, error: Exception) -> None:
        if job != self._job or isinstance(error, ParseCancelled):
            return
        if isinstance(error, FormatError):
            self._show_error(error.message, error.location)
        elif isinstance(error, OSError):
            self._show_error(f"Could not convert: {error.strerror}", "")
        else:  # a bug: shown, never lost with the worker
            self._show_error(f"Could not convert this: {error!r}", "")

    def _on_import_clicked(self) -> None:
        if self._parsed is None:
            return
        self._accepted = self._parsed
        self.accept()

    # ---- display ------------------------------------------------------------------------

    def _show_idle(self) -> None:
        self._clear_preview()
        self.error_label.hide()
        self.status_label.clear()
        self.detected_label.clear()

    def _show_error(self, message: str, location: str) -> None:
        self._clear_preview()
        self.status_label.clear()
        self.detected_label.clear()
        text = f"{message} — at {location}" if location else message
        self.error_label.setStyleSheet(f"color: {colour('error')}; font-weight: bold;")
        self.error_label.setText(text)
        self.error_label.show()
        self.summary_label.setText("Nothing will be imported until this is fixed.")

    def _show_format(self, key: str) -> None:
        detected = self.format_combo.currentData() is None
        prefix = "Detected:" if detected else "Read as:"
        self.detected_label.setText(f"{prefix} {FORMAT_LABELS.get(key, key)}")

    def _clear_preview(self) -> None:
        self.preview_tree.clear()
        self.report_view.clear()
        self.summary_label.clear()

    def _fill_preview(self, parsed: ParsedImport) -> None:
        self._clear_preview()
        result = parsed.result
        counts = {"requests": 0, "folders": 0, "rows": 0}
        folder_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        self.preview_tree.setUpdatesEnabled(False)
        try:
            self._add_items(
                self.preview_tree.invisibleRootItem(), result.collection.items, counts, folder_icon
            )
            if counts["rows"] > MAX_PREVIEW_ROWS:
                shown = counts["rows"] - MAX_PREVIEW_ROWS
                QTreeWidgetItem(self.preview_tree, [f"… {shown} more not shown", "", ""])
            if counts["folders"] + counts["requests"] <= 500:
                self.preview_tree.expandAll()
            else:
                self.preview_tree.expandToDepth(0)
        finally:
            self.preview_tree.setUpdatesEnabled(True)
        summary = _summary(result, counts["requests"], counts["folders"])
        if parsed.credentials:
            summary += f" Importing {parsed.credentials} (values in the local secret store)."
        self.summary_label.setText(summary)
        lines = [f"• {line}" for line in result.report]
        self.report_view.setPlainText("\n".join(lines) or "Nothing: everything was carried over.")

    def _add_items(
        self,
        parent: QTreeWidgetItem,
        items: tuple[Folder | RequestItem, ...],
        counts: dict[str, int],
        folder_icon: QIcon,
    ) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        for item in items:
            counts["rows"] += 1
            if isinstance(item, Folder):
                counts["folders"] += 1
            else:
                counts["requests"] += 1
            if counts["rows"] > MAX_PREVIEW_ROWS:
                if isinstance(item, Folder):
                    self._add_items(parent, item.items, counts, folder_icon)
                continue
            if isinstance(item, Folder):
                row = QTreeWidgetItem(parent, [item.name, "", ""])
                row.setIcon(0, folder_icon)
                row.setFont(0, bold)
                self._add_items(row, item.items, counts, folder_icon)
            else:
                request = item.request
                QTreeWidgetItem(parent, [item.name or request.url, request.method, request.url])


def _summary(result: ImportResult, requests: int, folders: int) -> str:
    parts = [f"{requests} request{'s' if requests != 1 else ''}"]
    if folders:
        parts.append(f"in {folders} folder{'s' if folders != 1 else ''}")
    text = f"“{result.collection.name}”: " + " ".join(parts)
    environments = result.to_write().environments  # beside it and inside it (Bruno's)
    if environments:
        names = ", ".join(env.name for env in environments)
        text += f"; environment{'s' if len(environments) != 1 else ''}: {names}"
    return text + "."


def _roomy(button: QPushButton) -> QPushButton:
    """Give a dialog button qdarkstyle's tight padding some room."""
    button.setMinimumSize(max(88, button.sizeHint().width() + 16), 28)
    return button


def _hint_label() -> QLabel:
    label = QLabel(SUPPORTED)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {colour('muted')};")
    return label
