"""Menu actions that move requests in and out: import, export, generate code, HAR, and the
practice server's own "Sample API" collection."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from explorer.application.codegen import for_code
from explorer.core.collection import Collection
from explorer.core.model import Request
from explorer.qt.background import BackgroundQueue

if TYPE_CHECKING:
    from explorer.ui.window.main_window import MainWindow

SAMPLE_FOLDER = "Sample API"
SAMPLE_ENVIRONMENT = "Sample server"
HAR_EXPORT_LIMIT = 5000


class InteropActions(QObject):
    """Owns the import/export/codegen actions of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.import_action = self._action("&Import…", "Ctrl+I", self.import_file)
        self.export_action = self._action("&Export collection…", None, self.export_collection)
        self.export_har_action = self._action("Export history as &HAR…", None, self.export_har)
        self.codegen_action = self._action("&Generate code…", "Ctrl+Shift+G", self.generate_code)
        self._sample_runner = None
        self._background: BackgroundQueue | None = None  # writes the sample collection

    def _action(self, text: str, shortcut: str | None, slot: object) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def fill_file_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        for action in (self.import_action, self.export_action, self.export_har_action):
            menu.addAction(action)

    def fill_request_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.codegen_action)

    # --- import -------------------------------------------------------------------------

    def import_file(self) -> Path | None:
        """Ask what to import, then write it as a new collection and open it."""
        from explorer.ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.window, self.window.settings)
        try:
            if not dialog.exec():
                return None
            result, entries = dialog.result(), dialog.har_entries()
        finally:
            dialog.finish_work()
            dialog.deleteLater()
        if result is None:
            return None
        collection = result.to_write()  # every environment once
        written = self._write_new_collection(collection)
        if written is None:
            return None
        folder, moved = written
        stored = self._store_har_responses(entries)
        message = f"Imported “{collection.name}” into {folder}"
        if stored:
            message += f"; {stored} response(s) added to the history"
        if moved:
            message += f"; {moved}"
        self.window.statusBar().showMessage(message, 8000)
        if result.report:
            QMessageBox.information(
                self.window,
                "Import report",
                "Imported, but these could not be carried over:\n\n• " + "\n• ".join(result.report),
            )
        return folder

    def _write_new_collection(self, collection: Collection) -> tuple[Path, str] | None:
        """The new collection's folder and the line saying which credentials moved to
        secret variables ("" when none), or None when it could not be written."""
        from explorer.core.formats.destination import write_new_collection
        from explorer.core.resolve.credentials import describe
        from explorer.core.storage.errors import StorageError
        from explorer.core.storage.layout import unique_folder

        workspace = self.window.workspace
        folder = unique_folder(workspace.data_dir / "collections", collection.name)
        try:
            moved = write_new_collection(collection, folder, workspace.secrets)  # all or nothing
            workspace.open_collection(folder)
        except (StorageError, OSError) as error:
            QMessageBox.warning(self.window, "Import", f"Could not write {folder}:\n{error}")
            return None
        return folder, describe(moved)

    def _store_har_responses(self, entries: tuple) -> int:
        from explorer.core.formats.har_history import exchange_from_har

        history = self.window.workspace.history
        for entry in entries:
            request, response = exchange_from_har(entry)
            history.add(response, request)
        if entries:
            self.window.workspace.history_changed.emit()
        return len(entries)

    # --- export -------------------------------------------------------------------------

    def export_collection(self) -> Path | None:
        """Export the current tab's collection (or one chosen) as Postman or .http."""
        from explorer.ui.dialogs.export_dialog import ExportDialog

        collection = self._choose_collection()
        if collection is None:
            return None
        return ExportDialog.ask(collection, self.window, self.window.settings)

    def _choose_collection(self) -> Collection | None:
        workspace = self.window.workspace
        opened = list(workspace.collections.values())
        if not opened:
            QMessageBox.information(self.window, "Export", "Open or create a collection first.")
            return None
        binding = self.window.workspace_tabs.bindings.get(self.window.current_tab())
        if binding is not None and binding.root in workspace.collections:
            return workspace.collections[binding.root].collection
        if len(opened) == 1:
            return opened[0].collection
        names = [f"{o.name} ({o.root})" for o in opened]
        choice, ok = QInputDialog.getItem(
            self.window, "Export", "Collection to export:", names, 0, False
        )
        return opened[names.index(choice)].collection if ok else None

    def export_har(self) -> Path | None:
        """Write the history (newest first, up to a limit) as a HAR 1.2 file."""
        from explorer.core.formats.har_history import har_from_history
        from explorer.ui.dialogs.export_dialog import ask_export_history_har

        history = self.window.workspace.history
        summaries = history.search(limit=HAR_EXPORT_LIMIT)
        entries = [har_from_history(history.get(s.id)) for s in summaries]
        entries = [entry for entry in entries if entry is not None]
        if not entries:
            QMessageBox.information(self.window, "Export history", "The history is empty.")
            return None
        return ask_export_history_har(entries, self.window)

    # --- code generation ----------------------------------------------------------------

    def generate_code(self) -> None:
        """Show code for the current request: variables resolved, secrets kept as
        environment-variable lookups so they are never written into the code."""
        from explorer.ui.dialogs.codegen_dialog import CodegenDialog

        tab = self.window.current_tab()
        tabs = self.window.workspace_tabs
        binding = tabs.binding(tab)
        request = tabs.effective(tab, tabs.full_request(tab))
        ready = for_code(request, self.window.workspace.scopes(binding.root))
        dialog = CodegenDialog(ready.request, ready.secret_names, self.window, self.window.settings)
        dialog.setModal(True)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.codegen_dialog = dialog

    # --- the practice server's collection -----------------------------------------------

    def install_sample_collection(self, base_url: str) -> None:
        """Fetch the running server's OpenAPI document (off the GUI thread) and import or
        refresh it as the "Sample API" collection, with its base_url environment."""
        from explorer.qt.runner import RequestRunner

        runner = RequestRunner(parent=self)
        runner.finished.connect(lambda _id, response: self._on_openapi(base_url, response))
        runner.failed.connect(lambda _id, error: self._sample_failed(error.message))
        runner.send(Request(url=f"{base_url}/openapi.json"))
        self._sample_runner = runner

    def _on_openapi(self, base_url: str, response: object) -> None:
        from explorer.core.sample_collection import install_sample_collection

        if response.status != 200:
            self._sample_failed(f"/openapi.json answered {response.status}")
            return
        folder = self.window.workspace.data_dir / "collections" / SAMPLE_FOLDER
        text = response.read_body().decode("utf-8", errors="replace")
        # Reading the document and writing some 130 files, each made durable, takes
        # about 0.1 s: the window should not wait for it.
        if self._background is None:
            self._background = BackgroundQueue(self)
        self._background.run(
            lambda: install_sample_collection(text, base_url, folder),
            lambda root: self._sample_installed(base_url, root),
            lambda error: self._sample_failed(str(error)),
        )

    def _sample_installed(self, base_url: str, folder: Path) -> None:
        from explorer.core.storage.errors import StorageError

        workspace = self.window.workspace
        try:
            root = folder.resolve()
            if root in workspace.collections:
                workspace.reload(root)  # also refreshes its open tabs
            else:
                workspace.open_collection(root)
            workspace.set_active_environment(SAMPLE_ENVIRONMENT)
        except (StorageError, OSError) as error:
            self._sample_failed(str(error))
            return
        self.window.statusBar().showMessage(
            f"“{SAMPLE_FOLDER}” collection is ready: every lesson's requests, "
            f"with base_url = {base_url}",
            8000,
        )

    def _sample_failed(self, message: str) -> None:
        self.window.statusBar().showMessage(
            f"The Sample API collection could not be set up: {message}", 10000
        )
