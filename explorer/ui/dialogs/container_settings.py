"""The Settings dialog of a collection or a folder: name, description, and the default
headers and auth, and the assertions, captures and scripts (Tests) that the requests
below it inherit.

Saving writes collection.yaml or the folder's folder.yaml through the collection's store,
on the workspace's background queue (never on the GUI thread), with the usual conflict
check (the file changed on disk: reload, overwrite or cancel, asked when the refusal
arrives); the workspace reads the collection again there, so the sidebar and the open
tabs (their "inherits" line) follow. `saved(ok)` tells the outcome; the dialog closes
only once its settings are on disk. A literal secret value is refused by the store; the dialog says
to use a `{{secret variable}}` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.collection import Collection, Folder
from explorer.core.model import AuthKind, Request
from explorer.core.resolve.inheritance import (
    FolderNotFoundError,
    InheritedChecks,
    inherited_checks,
)
from explorer.core.storage.errors import ConflictError, SecretLeakError, StorageError
from explorer.qt.workspace import Workspace
from explorer.ui.dialogs.conflict_dialog import ask_conflict
from explorer.ui.request.auth_editor import AuthEditor
from explorer.ui.request.headers_editor import HeadersEditor
from explorer.ui.request.tests_editor import TestsEditor
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.variable_highlight import highlight_variables

Container = Collection | Folder


def secret_leak_message(error: SecretLeakError) -> str:
    """Words for a refused write: which secret, and how to refer to it instead."""
    name = error.secret_name
    return (
        f"Not saved: a value here is the value of the secret variable “{name}”, and "
        f"secret values never go into collection files. Write {{{{{name}}}}} instead; "
        "the value stays in the local secret store."
    )


class ContainerSettingsDialog(QDialog):
    """Edits the settings of the collection at `root` (rel "") or of its folder `rel`."""

    saved = Signal(bool)  # a queued save is done: whether the settings are on disk

    def __init__(
        self, workspace: Workspace, root: Path, rel: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.root = root
        self.rel = rel
        # Replaceable in tests: "overwrite", "reload" or "cancel".
        self.resolve_conflict: Callable[[ConflictError], str] = self._ask_conflict
        self._close_when_saved = False
        what = "Folder" if rel else "Collection"
        self.setAccessibleName(f"{what} settings")
        self.setMinimumSize(620, 460)

        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName(f"{what} name")
        self.location_label = QLabel(self)
        self.location_label.setAccessibleName("Stored in")
        self.location_label.setWordWrap(True)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setAccessibleName(f"{what} description")
        self.description_edit.setTabChangesFocus(True)
        self.headers_editor = HeadersEditor(self)
        self.headers_editor.setAccessibleName("Default headers")
        # Only the headers set here are edited; what is added on send is the tab's business.
        self.headers_editor.automatic_toggle.hide()
        self.headers_editor.automatic_table.hide()
        self.auth_editor = AuthEditor(self)
        self.auth_editor.setAccessibleName("Default auth")
        self.auth_editor.set_inherit_allowed(bool(rel))
        self.tests_editor = TestsEditor(self, "folder" if rel else "collection")
        self.tests_editor.setAccessibleName("Default tests")
        self.message = MessageLabel("error", self)
        self.message.setAccessibleName("Settings problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out(what)
        highlight_variables(self, lambda: self.workspace.scopes(self.root))
        self.load()

    def _lay_out(self, what: str) -> None:
        general = QWidget(self)
        form = QFormLayout(general)
        form.addRow("&Name:", self.name_edit)
        form.addRow("Stored in:", self.location_label)
        form.addRow("&Description:", self.description_edit)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(f"{what} settings parts")
        self.tabs.addTab(general, "General")
        self.tabs.addTab(self._page(self.headers_editor, what), "Headers")
        self.tabs.addTab(self._page(self.auth_editor, what), "Auth")
        self.tabs.addTab(self._page(self.tests_editor, what), "Tests")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _page(self, editor: QWidget, what: str) -> QWidget:
        page = QWidget(self)
        note = MessageLabel("muted", page)
        if editor is self.tests_editor:
            note.show_message(
                f"Every request in this {what.lower()} is checked with these assertions, "
                "sets these captures and runs these scripts, before its own."
            )
        else:
            part = "these headers" if editor is self.headers_editor else "this auth"
            note.show_message(
                f"Requests in this {what.lower()} inherit {part} "
                "(a request can override them). {{variables}} are resolved when sending."
            )
        layout = QVBoxLayout(page)
        layout.addWidget(note)
        layout.addWidget(editor, 1)
        return page

    # ---- data --------------------------------------------------------------------------

    def container(self) -> Container | None:
        """The collection or folder as last loaded, or None when it is gone."""
        opened = self.workspace.collections.get(self.root)
        if opened is None:
            return None
        if not self.rel:
            return opened.collection
        info = self.workspace.info(self.root, self.rel)
        return info.item if info is not None and isinstance(info.item, Folder) else None

    def load(self) -> None:
        """Show the settings as the collection's files hold them now."""
        node = self.container()
        if node is None:
            self.message.show_message("This folder or collection is no longer open.")
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            return
        kind = "Folder" if self.rel else "Collection"
        self.setWindowTitle(f"{kind} settings — {node.name}")
        self.name_edit.setText(node.name)
        file = "folder.yaml" if self.rel else "collection.yaml"
        self.location_label.setText(str(self.root / self.rel / file))
        self.description_edit.setPlainText(node.description)
        self.headers_editor.set_value(node.headers)
        auth = node.auth
        if not self.rel and auth.kind == AuthKind.INHERIT:
            auth = replace(auth, kind=AuthKind.NONE)  # a collection has nothing above it
        self.auth_editor.set_value(auth)
        self.tests_editor.set_value(node.assertions, node.captures, node.scripts)
        self.tests_editor.set_inherited(self._inherited_checks())
        self.message.show_message("")

    def _inherited_checks(self) -> InheritedChecks | None:
        """What a folder inherits from the folders above it and the collection."""
        opened = self.workspace.collections.get(self.root)
        info = self.workspace.info(self.root, self.rel) if self.rel else None
        if opened is None or info is None:
            return None  # a collection inherits nothing
        try:
            return inherited_checks(opened.collection, info.folder_path, Request())
        except FolderNotFoundError:
            return None

    def edited(self, node: Container) -> Container:
        """`node` with the dialog's description, headers, auth and tests (and, for a
        collection, name; a folder is renamed on disk separately)."""
        headers = tuple(p for p in self.headers_editor.value() if p.name or p.value)
        description = self.description_edit.toPlainText().rstrip()
        auth = self.auth_editor.value()
        assertions, captures, scripts = self.tests_editor.value()
        if isinstance(node, Collection):
            name = self.name_edit.text().strip() or node.name
            return replace(node, name=name, description=description, headers=headers,
                           auth=auth, assertions=assertions, captures=captures,
                           scripts=scripts)  # fmt: skip
        return replace(node, description=description, headers=headers, auth=auth,
                       assertions=assertions, captures=captures, scripts=scripts)  # fmt: skip

    # ---- saving ------------------------------------------------------------------------

    def save(self, force: bool = False) -> bool:
        """Queue writing the settings off the GUI thread; True when queued, and then
        `saved(ok)` follows (problems are shown in the dialog, which stays open). False
        when nothing could be written (the headers need fixing, the folder is gone)."""
        problems = self.headers_editor.problems()
        if problems:
            self.message.show_message("Fix the headers first: " + "; ".join(problems))
            self.tabs.setCurrentIndex(1)
            return False
        node = self.container()
        if node is None:
            self.message.show_message("This folder or collection is no longer open.")
            return False
        self._set_busy(True)
        self.workspace.save_container_later(
            self.root, self.rel, self.edited(node), self._rename_folder, self._failed, force
        )
        return True

    def _set_busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not busy)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ConflictError):
            self._on_conflict(error)
        elif isinstance(error, SecretLeakError):
            self._finish(secret_leak_message(error))
        else:
            self._finish(f"Not saved: {' '.join(str(error).split())}")

    def _finish(self, problem: str) -> None:
        self._set_busy(False)
        self.message.show_message(problem)
        self.saved.emit(not problem)
        if not problem and self._close_when_saved:
            self.accept()
        self._close_when_saved = False

    def _rename_folder(self) -> None:
        name = self.name_edit.text().strip()
        node = self.container()
        if not self.rel or node is None or not name or name == node.name:
            self._finish("")
            return
        self.workspace.rename_item_later(
            self.root, self.rel, name, self._renamed, self._not_renamed
        )

    def _renamed(self, new_rel: str) -> None:
        self.rel = new_rel
        self._finish("")

    def _not_renamed(self, error: Exception) -> None:
        self._finish(f"Settings saved, but the folder was not renamed: {error}")

    def _on_conflict(self, error: ConflictError) -> None:
        choice = self.resolve_conflict(error)
        if choice == "overwrite":
            if not self.save(force=True):
                self._finish(self.message.text() or "Not saved.")
            return
        if choice == "reload":
            try:
                self.workspace.reload(self.root)
            except (StorageError, OSError) as exc:
                self._finish(f"Reload failed: {exc}")
                return
            self.load()
            self._finish("Reloaded from disk: your changes here were dropped.")
            return
        self._finish("Not saved: the file changed on disk.")

    def _on_save_clicked(self) -> None:
        self._close_when_saved = self.save()

    def _ask_conflict(self, error: ConflictError) -> str:
        return ask_conflict(self, error, "the settings")
