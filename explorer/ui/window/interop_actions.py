"""Menu actions that move requests in and out: import, export, generate code, HAR, and the
practice server's own "Sample API" collection."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QStatusBar, QWidget

from explorer.application.codegen import for_code
from explorer.core.collection import Collection
from explorer.core.model import Request
from explorer.qt.background import BackgroundQueue

if TYPE_CHECKING:
    from explorer.application.importing import WrittenImport
    from explorer.core.formats import Imported
    from explorer.core.http.exchange import Response, SendError
    from explorer.qt.runner import RequestRunner
    from explorer.qt.workspace import Workspace

SAMPLE_FOLDER = "Sample API"
SAMPLE_ENVIRONMENT = "Sample server"


@runtime_checkable
class InteropHost(Protocol):
    """What the actions need from the window they serve; MainWindow provides it."""

    settings: QSettings

    def window(self) -> QWidget:
        """The widget that parents the actions and dialogs (QWidget.window)."""
        ...

    def statusBar(self) -> QStatusBar:  # noqa: N802 - QMainWindow's name
        """Where short outcomes are shown (QMainWindow.statusBar)."""
        ...

    def current_collection_root(self) -> Path | None:
        """The collection of the current tab, or None for a scratch request."""
        ...

    def current_request_for_code(self) -> tuple[Request, Path | None]:
        """The current request as it would be sent (inherited settings applied,
        variables not resolved) and the collection whose variables apply."""
        ...


class InteropActions(QObject):
    """Owns the import/export/codegen actions of one main window."""

    imported = Signal(object)  # Path of a collection an import wrote and opened
    exported = Signal(object)  # Path of a file an export wrote in the background
    # The Sample API collection is installed and open: its folder, the server's URL. Its
    # environment is offered by the window, never made active here (issue #15).
    sample_installed = Signal(object, str)

    def __init__(self, host: InteropHost, workspace: Workspace) -> None:
        super().__init__(host.window())
        self.host = host
        self.workspace = workspace
        self.parent_widget = host.window()
        self.import_action = self._action("&Import…", "Ctrl+I", self.import_file)
        self.export_action = self._action("&Export collection…", None, self.export_collection)
        self.export_har_action = self._action("Export history as &HAR…", None, self.export_har)
        self.codegen_action = self._action("&Generate code…", "Ctrl+Shift+G", self.generate_code)
        self.codegen_dialog: QWidget | None = None
        self._sample_runner: RequestRunner | None = None
        self._closing = False  # the window is closing: no more message boxes
        # Writes imported and sample collections, one after another, off the GUI thread.
        self._background = BackgroundQueue(self)

    def _action(self, text: str, shortcut: str | None, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.parent_widget)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.parent_widget.addAction(action)
        return action

    def fill_file_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        for action in (self.import_action, self.export_action, self.export_har_action):
            menu.addAction(action)

    def fill_request_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.codegen_action)

    def _status(self, message: str, msecs: int) -> None:
        self.host.statusBar().showMessage(message, msecs)

    def finish_work(self, msecs: int = 10_000) -> bool:
        """At close: complete the collections being written and open them (so that they
        are remembered), without reports to a window that is going. False if time ran
        out."""
        self._closing = True
        return self._background.finish(msecs)

    # --- import -------------------------------------------------------------------------

    def import_file(self) -> bool:
        """Ask what to import; once accepted, it is written as a new collection off the
        GUI thread, then opened (and `imported` emitted). False when nothing was chosen."""
        from explorer.ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.parent_widget, self.host.settings)
        try:
            if not dialog.exec():
                return False
            imported = dialog.accepted_import()
        finally:
            dialog.finish_work()
            dialog.deleteLater()
        if imported is None:
            return False
        self._write_import(imported)
        return True

    def _write_import(self, imported: Imported) -> None:
        from explorer.application.importing import import_new_collection

        collections = self.workspace.data_dir / "collections"
        secrets = self.workspace.secrets
        self._background.run(
            lambda: import_new_collection(imported, collections, secrets),  # all or nothing
            lambda written: self._import_written(imported, written),
            self._import_failed,
        )

    def _import_written(self, imported: Imported, written: WrittenImport) -> None:
        from explorer.application.importing import record_exchanges
        from explorer.core.storage.errors import StorageError

        try:
            self.workspace.open_collection(written.folder)
        except (StorageError, OSError) as error:
            QMessageBox.warning(
                self.parent_widget, "Import", f"Could not open {written.folder}:\n{error}"
            )
            return
        if written.exchanges:  # on the history's own queue, in order with the sends
            record = partial(record_exchanges, exchanges=written.exchanges)
            self.workspace.write_history_in_background(record, self._history_failed)
        if not self._closing:
            self._report_import(imported, written)
        self.imported.emit(written.folder)

    def _report_import(self, imported: Imported, written: WrittenImport) -> None:
        result = imported.result
        message = f"Imported “{result.collection.name}” into {written.folder}"
        if written.exchanges:
            message += f"; {len(written.exchanges)} response(s) added to the history"
        if written.credentials:
            message += f"; {written.credentials}"
        self._status(message, 8000)
        if result.report:
            QMessageBox.information(
                self.parent_widget,
                "Import report",
                "Imported, but these could not be carried over:\n\n• " + "\n• ".join(result.report),
            )

    def _import_failed(self, error: Exception) -> None:
        if self._closing:  # nothing was left behind; there is nobody to tell
            return
        folder = getattr(error, "folder", "the new collection")
        QMessageBox.warning(self.parent_widget, "Import", f"Could not write {folder}:\n{error}")

    def _history_failed(self, error: Exception) -> None:
        self._status(f"The imported responses could not be added to the history: {error}", 10000)

    # --- export -------------------------------------------------------------------------

    def export_collection(self) -> Path | None:
        """Export the current tab's collection (or one chosen) as Postman or .http."""
        from explorer.ui.dialogs.export_dialog import ExportDialog

        collection = self._choose_collection()
        if collection is None:
            return None
        written = ExportDialog.ask(collection, self.parent_widget, self.host.settings)
        if written is not None:  # the dialog closed on its own: say what it wrote
            self._status(f"Exported “{collection.name}” to {written}", 8000)
        return written

    def _choose_collection(self) -> Collection | None:
        workspace = self.workspace
        opened = list(workspace.collections.values())
        if not opened:
            QMessageBox.information(
                self.parent_widget, "Export", "Open or create a collection first."
            )
            return None
        root = self.host.current_collection_root()
        if root is not None and root in workspace.collections:
            return workspace.collections[root].collection
        if len(opened) == 1:
            return opened[0].collection
        names = [f"{o.name} ({o.root})" for o in opened]
        choice, ok = QInputDialog.getItem(
            self.parent_widget, "Export", "Collection to export:", names, 0, False
        )
        return opened[names.index(choice)].collection if ok else None

    def export_har(self) -> bool:
        """Ask for a file, then write the history (newest first, up to a limit) there as
        HAR 1.2, off the GUI thread; `exported` follows. False when nothing is written."""
        from explorer.application.exporting import write_history_file
        from explorer.ui.dialogs.export_dialog import ask_har_path

        history = self.workspace.history
        if not history.search(limit=1):
            QMessageBox.information(self.parent_widget, "Export history", "The history is empty.")
            return False
        path = ask_har_path(self.parent_widget)
        if path is None:
            return False
        self._background.run(
            lambda: write_history_file(history, path),
            lambda count: self._har_exported(path, count),
            lambda error: self._har_failed(path, error),
        )
        return True

    def _har_exported(self, path: Path, count: int) -> None:
        self._status(f"Exported {count} exchange(s) of the history to {path}", 8000)
        self.exported.emit(path)

    def _har_failed(self, path: Path, error: Exception) -> None:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        QMessageBox.warning(
            self.parent_widget, "Export failed", f"Could not write {path}: {reason}"
        )

    # --- code generation ----------------------------------------------------------------

    def generate_code(self) -> None:
        """Show code for the current request: variables resolved, secrets kept as
        environment-variable lookups so they are never written into the code."""
        from explorer.ui.dialogs.codegen_dialog import CodegenDialog

        request, root = self.host.current_request_for_code()
        ready = for_code(request, self.workspace.scopes(root))
        dialog = CodegenDialog(
            ready.request, ready.secret_names, self.parent_widget, self.host.settings
        )
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
        runner.failed.connect(lambda _id, error: self._on_openapi_failed(error))
        runner.send(Request(url=f"{base_url}/openapi.json"))
        self._sample_runner = runner

    def _on_openapi_failed(self, error: SendError) -> None:
        self._sample_failed(error.message)

    def _on_openapi(self, base_url: str, response: Response) -> None:
        from explorer.core.sample_collection import install_sample_collection

        if response.status != 200:
            self._sample_failed(f"/openapi.json answered {response.status}")
            return
        folder = self.workspace.data_dir / "collections" / SAMPLE_FOLDER
        text = response.read_body().decode("utf-8", errors="replace")
        # Reading the document and writing some 130 files, each made durable, takes
        # about 0.1 s: the window should not wait for it.
        self._background.run(
            lambda: install_sample_collection(text, base_url, folder),
            lambda root: self._sample_installed(base_url, root),
            lambda error: self._sample_failed(str(error)),
        )

    def _sample_installed(self, base_url: str, folder: Path) -> None:
        from explorer.core.storage.errors import StorageError

        workspace = self.workspace
        try:
            root = folder.resolve()
            if root in workspace.collections:
                workspace.reload(root)  # also refreshes its open tabs
            else:
                workspace.open_collection(root)
        except (StorageError, OSError) as error:
            self._sample_failed(str(error))
            return
        self._status(
            f"“{SAMPLE_FOLDER}” collection is ready: every lesson's requests, "
            f"with base_url = {base_url}",
            8000,
        )
        self.sample_installed.emit(root, base_url)

    def _sample_failed(self, message: str) -> None:
        self._status(f"The Sample API collection could not be set up: {message}", 10000)
