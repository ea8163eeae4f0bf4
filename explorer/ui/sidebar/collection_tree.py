"""The collections sidebar: a filterable tree of collections, folders and requests.

Every change (new, rename, duplicate, delete, move) is made on disk through the
workspace, on its background queue (never on the GUI thread), which then re-reads the
collection; the tree is rebuilt from that when the result arrives, keeping what was
expanded and selected, and `finished` tells the outcome. Deleting asks first and can be
undone (Edit ▸ Undo).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.application.editing import Written
from explorer.core.collection import Folder, RequestItem
from explorer.core.model import Auth, AuthKind, Request
from explorer.core.storage.errors import StorageError
from explorer.qt.preference_store import request_defaults
from explorer.qt.workspace import ItemInfo, Workspace
from explorer.ui.sidebar.collection_model import (
    KIND_ROLE,
    REL_ROLE,
    ROOT_ROLE,
    CollectionFilter,
    CollectionModel,
    MethodDelegate,
)
from explorer.ui.widgets.fitting import ask_text

ErrorReporter = Callable[[str, Exception], None]
Key = tuple[str, str]  # (root, rel) as strings, for remembering expanded rows


class DeleteCommand(QUndoCommand):
    """An item deleted from a collection; undo writes it back where it was."""

    def __init__(self, sidebar: CollectionSidebar, root: Path, info: ItemInfo) -> None:
        super().__init__(f"Delete “{info.item.name}”")
        self.sidebar, self.root, self.info, self.rel = sidebar, root, info, info.rel
        self._done = True  # the first redo() is the delete already made

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        sidebar, rel = self.sidebar, self.rel
        sidebar.workspace.delete_item_later(
            self.root, rel, lambda: sidebar.finished.emit("Delete", rel), sidebar.failed("Delete")
        )

    def undo(self) -> None:
        def restored(written: Written) -> None:
            self.rel = written.rel
            self.sidebar.select(self.root, self.rel)
            self.sidebar.status.emit(f"Restored “{self.info.item.name}”")
            self.sidebar.finished.emit("Undo delete", self.rel)

        info = self.info
        self.sidebar.workspace.add_item_later(
            self.root,
            info.parent_rel,
            info.item,
            restored,
            self.sidebar.failed("Undo delete"),
            info.position,
        )


class CollectionSidebar(QWidget):
    """Tree of open collections with a filter box and the item commands."""

    open_requested = Signal(object, str)  # collection root (Path), request rel: to keep
    # A single click: show the request in the preview tab, which the next click replaces.
    preview_requested = Signal(object, str)  # collection root (Path), request rel
    variables_requested = Signal(object)  # collection root whose variables to edit
    new_collection_requested = Signal()
    run_requested = Signal(object, str)  # collection root (Path), rel of a folder or request
    load_requested = Signal(object, str)  # the same, for a load test
    status = Signal(str)  # a short message for the status bar
    # A queued change is done: its name ("New folder", …) and the item's path now (""
    # when none), or None when it failed (and was reported).
    finished = Signal(str, object)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.report: ErrorReporter = self._show_error
        self.confirm_delete: Callable[[str], bool] = self._ask_delete
        self.ask_name: Callable[[str, str], str | None] = self._ask_name
        self.show_settings: Callable[[Path, str], bool] = self._show_settings
        self.ask_move_target: Callable[[Path, str], tuple[Path, str] | None] = self._ask_move
        self.undo_stack = QUndoStack(self)

        self.model = CollectionModel(workspace)
        self.proxy = CollectionFilter()
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by name, URL or method")
        self.filter_edit.setAccessibleName("Filter collections")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.filter_edit.installEventFilter(self)  # Down moves into the results
        self.no_match = QLabel(self)
        self.no_match.setAccessibleName("No matching request")
        self.no_match.setWordWrap(True)
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.no_match.setContentsMargins(6, 12, 6, 6)
        self.no_match.hide()

        self.view = QTreeView(self)
        self.view.setAccessibleName("Collections")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setItemDelegate(MethodDelegate(self.view))
        self.view.setUniformRowHeights(True)
        self.view.setAnimated(False)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        # A single click previews a request, a double click (or Enter) opens it to keep.
        self.view.clicked.connect(self._on_clicked)
        self.view.doubleClicked.connect(self._on_activated)
        # Enter on a request opens it, on a folder or collection its settings; a
        # double-click keeps expanding and collapsing a folder.
        self.view.installEventFilter(self)
        self.view.selectionModel().currentChanged.connect(self._update_actions)

        self._build_actions()
        toolbar = QToolBar(self)
        toolbar.setAccessibleName("Collection commands")
        toolbar.setIconSize(toolbar.iconSize() * 0.75)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_request_action, self.new_folder_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.new_collection_action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(toolbar)
        layout.addWidget(self.no_match)
        layout.addWidget(self.view, 1)

        self.model.rename_requested.connect(self._on_rename_requested)
        self.model.move_requested.connect(self._on_move_requested)
        workspace.collections_changed.connect(self.rebuild)
        self.rebuild()

    # ---- actions -----------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, slot: Callable[[], object], shortcut: str = "") -> QAction:
            made = QAction(text, self)
            made.triggered.connect(lambda _checked=False: slot())
            if shortcut:
                made.setShortcut(QKeySequence(shortcut))
                made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.view.addAction(made)
            return made

        self.new_request_action = action("+ Request", self.new_request)
        self.new_request_action.setToolTip("New request in the selected folder")
        self.new_folder_action = action("+ Folder", self.new_folder)
        self.new_folder_action.setToolTip("New folder in the selected folder")
        self.new_collection_action = action("+ Collection", self.new_collection_requested.emit)
        self.new_collection_action.setToolTip("New collection (a folder of YAML files)")
        self.rename_action = action("Rename", self.rename, "F2")
        self.duplicate_action = action("Duplicate", self.duplicate, "Ctrl+D")
        self.delete_action = action("Delete…", self.delete, "Del")
        self.move_action = action("Move to…", self.move_to)
        self.move_action.setToolTip("Move into another folder or collection")
        self.open_action = action("Open", self.open_selected)
        self.variables_action = action("Variables and environments…", self._on_variables)
        self.close_collection_action = action("Close collection", self.close_collection)
        self.reload_action = action("Reload from disk", self.reload_selected)
        self.settings_action = action("Settings…", self.open_settings)
        self.settings_action.setToolTip(
            "Name, description, and the headers and auth its requests inherit"
        )
        self.run_action = action("Run…", self.run_selected)
        self.run_action.setToolTip("Run these requests in the collection runner")
        self.load_action = action("Load test…", self.load_selected)
        self.load_action.setToolTip("Run these requests with many virtual users (Locust)")
        self._update_actions()

    def _update_actions(self, *_args: object) -> None:
        kind = self._selected_kind()
        self.rename_action.setEnabled(kind in ("collection", "folder", "request"))
        self.duplicate_action.setEnabled(kind in ("folder", "request"))
        self.delete_action.setEnabled(kind in ("folder", "request"))
        self.move_action.setEnabled(kind in ("folder", "request"))
        self.open_action.setEnabled(kind == "request")
        self.settings_action.setEnabled(kind in ("collection", "folder"))
        self.run_action.setEnabled(kind in ("collection", "folder", "request"))
        self.load_action.setEnabled(kind in ("collection", "folder", "request"))
        self.close_collection_action.setEnabled(
            kind == "collection" and self.selected_root() != self.workspace.default_root.resolve()
        )

    def _on_context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        kind = self._selected_kind()
        if kind == "request":
            menu.addAction(self.open_action)
        if kind in ("collection", "folder", "request"):
            menu.addAction(self.run_action)
            menu.addAction(self.load_action)
        if kind:
            menu.addSeparator()
        menu.addAction(self.new_request_action)
        menu.addAction(self.new_folder_action)
        menu.addSeparator()
        for action in (self.rename_action, self.duplicate_action, self.move_action):
            menu.addAction(action)
        menu.addAction(self.delete_action)
        menu.addSeparator()
        if kind in ("collection", "folder"):
            menu.addAction(self.settings_action)
        menu.addAction(self.variables_action)
        menu.addAction(self.reload_action)
        menu.addAction(self.close_collection_action)
        menu.exec(self.view.viewport().mapToGlobal(position))

    # ---- selection ---------------------------------------------------------------------

    def _selected_kind(self) -> str:
        """The kind of the current row ("collection", "folder", "request" …), or ""."""
        selected = self.selected()
        return selected[2] if selected is not None else ""

    def selected(self) -> tuple[Path, str, str] | None:
        """(collection root, relative path, kind) of the current row, or None."""
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return Path(index.data(ROOT_ROLE)), index.data(REL_ROLE), index.data(KIND_ROLE)

    def selected_root(self) -> Path | None:
        """The collection of the current row."""
        chosen = self.selected()
        return chosen[0] if chosen else None

    def target_folder(self) -> tuple[Path, str]:
        """Where a new item goes: the selected folder, the folder of the selected request,
        else the default collection."""
        chosen = self.selected()
        if chosen is None:
            return self.workspace.default_root.resolve(), ""
        root, rel, kind = chosen
        if kind in ("collection", "folder"):
            return root, rel
        info = self.workspace.info(root, rel)
        return root, info.parent_rel if info else ""

    def select(self, root: Path, rel: str) -> None:
        """Make the item at (root, rel) current and visible."""
        index = self.proxy.mapFromSource(self.model.find(root, rel))
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    # ---- commands ----------------------------------------------------------------------

    def run(self, what: str, operation: Callable[[], object]) -> bool:
        """Do a storage operation that only reads (reload); report a failure in words.
        True when it worked."""
        try:
            operation()
        except (StorageError, OSError) as exc:
            self.report(what, exc)
            return False
        return True

    def failed(self, what: str) -> Callable[[Exception], None]:
        """The error callback of a queued change: report it, then `finished(what, None)`."""

        def report(error: Exception) -> None:
            self.report(what, error)
            self.finished.emit(what, None)

        return report

    def _created(self, what: str, root: Path, open_it: bool) -> Callable[[Written], None]:
        def created(written: Written) -> None:
            self.select(root, written.rel)
            if open_it:
                self.open_requested.emit(root, written.rel)
            self.finished.emit(what, written.rel)

        return created

    def new_request(self, name: str | None = None) -> bool:
        """Create a request in the target folder, then open it (`finished` tells its
        path). True when the write was queued."""
        name = name or self.ask_name("New request", "New request")
        if not name:
            return False
        root, folder_rel = self.target_folder()
        # Timeout, redirects and TLS as Preferences sets them for new requests.
        options = request_defaults(self.workspace.settings).options()
        item = RequestItem(Request(name=name, auth=_inherit(), options=options))
        created = self._created("New request", root, open_it=True)
        self.workspace.add_item_later(root, folder_rel, item, created, self.failed("New request"))
        return True

    def new_folder(self, name: str | None = None) -> bool:
        """Create a folder in the target folder (`finished` tells its path). True when
        the write was queued."""
        name = name or self.ask_name("New folder", "New folder")
        if not name:
            return False
        root, folder_rel = self.target_folder()
        created = self._created("New folder", root, open_it=False)
        self.workspace.add_item_later(
            root, folder_rel, Folder(name), created, self.failed("New folder")
        )
        return True

    def rename(self) -> None:
        """Edit the current row's name in place."""
        index = self.view.currentIndex()
        if index.isValid() and index.data(KIND_ROLE) != "problem":
            self.view.edit(index)

    def duplicate(self) -> bool:
        """Copy the current item next to itself (`finished` tells the copy's path). True
        when the write was queued."""
        chosen = self.selected()
        if chosen is None or chosen[2] not in ("folder", "request"):
            return False
        root, rel, _kind = chosen

        def copied(copy: str) -> None:
            self.select(root, copy)
            self.finished.emit("Duplicate", copy)

        self.workspace.duplicate_item_later(root, rel, copied, self.failed("Duplicate"))
        return True

    def delete(self) -> bool:
        """Delete the current item after asking; once deleted it can be undone. True
        when the delete was queued."""
        chosen = self.selected()
        if chosen is None or chosen[2] not in ("folder", "request"):
            return False
        root, rel, kind = chosen
        info = self.workspace.info(root, rel)
        if info is None or not self.confirm_delete(f"{kind} “{info.item.name}”"):
            return False

        def deleted() -> None:
            self.undo_stack.push(DeleteCommand(self, root, info))
            self.status.emit(f"Deleted “{info.item.name}”. Edit ▸ Undo (Ctrl+Z) brings it back.")
            self.finished.emit("Delete", rel)

        self.workspace.delete_item_later(root, rel, deleted, self.failed("Delete"))
        return True

    def move_to(self) -> bool:
        """Move the current request or folder into a folder or collection the user
        chooses, as a drag and drop does (off the GUI thread; open tabs follow). True
        when the move was queued."""
        chosen = self.selected()
        if chosen is None or chosen[2] not in ("folder", "request"):
            return False
        root, rel, _kind = chosen
        target = self.ask_move_target(root, rel)
        if target is None:
            return False
        self._on_move_requested(root, rel, target[0], target[1], None)
        return True

    def close_collection(self) -> None:
        """Stop showing the selected collection (its folder stays on disk)."""
        root = self.selected_root()
        if root is not None and root != self.workspace.default_root.resolve():
            self.workspace.close_collection(root)

    def reload_selected(self) -> None:
        """Read the selected collection again from disk."""
        root = self.selected_root()
        if root is not None:
            self.run("Reload", lambda: self.workspace.reload(root))

    def open_selected(self) -> None:
        """Open the current request in a tab."""
        chosen = self.selected()
        if chosen is not None and chosen[2] == "request":
            self.open_requested.emit(chosen[0], chosen[1])

    def run_selected(self) -> None:
        """Open the runner on the selected collection, folder or request."""
        chosen = self.selected()
        if chosen is not None and chosen[2] in ("collection", "folder", "request"):
            root, rel, kind = chosen
            self.run_requested.emit(root, "" if kind == "collection" else rel)

    def load_selected(self) -> None:
        """Open a load test of the selected collection, folder or request."""
        chosen = self.selected()
        if chosen is not None and chosen[2] in ("collection", "folder", "request"):
            root, rel, kind = chosen
            self.load_requested.emit(root, "" if kind == "collection" else rel)

    def open_settings(self) -> bool:
        """Edit the selected collection's or folder's settings; True when saved."""
        chosen = self.selected()
        if chosen is None or chosen[2] not in ("collection", "folder"):
            return False
        root, rel, kind = chosen
        return self.show_settings(root, "" if kind == "collection" else rel)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Enter on a request opens it (to keep), on a collection or folder row its
        settings; Down in the filter moves into the results."""
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if watched is self.filter_edit and plain and event.key() == Qt.Key.Key_Down:
            return self.focus_first_result()
        if watched is self.view and plain and not self._editing():
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            kind = self._selected_kind()
            if enter and kind in ("collection", "folder"):
                self.open_settings()
                return True
            if enter and kind in ("request", "problem"):
                self._on_activated(self.view.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def focus_first_result(self) -> bool:
        """Select the first request the filter shows (else the first row) and move the
        focus to it; Enter there opens it. False when the tree shows nothing."""
        first = QModelIndex()
        stack = [QModelIndex()]
        while stack:
            parent = stack.pop(0)
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                if index.data(KIND_ROLE) == "request":
                    first = index
                    stack.clear()
                    break
                stack.append(index)
        if not first.isValid():
            first = self.proxy.index(0, 0)
        if not first.isValid():
            return False
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.view.setCurrentIndex(first)
        self.view.scrollTo(first)
        return True

    def _editing(self) -> bool:
        return self.view.state() == QAbstractItemView.State.EditingState

    def _on_variables(self) -> None:
        root = self.selected_root() or self.workspace.default_root.resolve()
        self.variables_requested.emit(root)

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "request":
            self.preview_requested.emit(Path(index.data(ROOT_ROLE)), index.data(REL_ROLE))
            self.view.setFocus()  # the arrows keep moving in the tree

    def _on_activated(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "request":
            self.open_requested.emit(Path(index.data(ROOT_ROLE)), index.data(REL_ROLE))
        elif index.data(KIND_ROLE) == "problem":
            self.report(
                "Cannot read this file", StorageError(index.data(Qt.ItemDataRole.ToolTipRole))
            )

    def _on_rename_requested(self, root: Path, rel: str, name: str) -> None:
        if rel == "":
            self.workspace.rename_collection_later(
                root, name, lambda: self.finished.emit("Rename", ""), self.failed("Rename")
            )
            return

        def renamed(new_rel: str) -> None:
            self.select(root, new_rel)
            self.finished.emit("Rename", new_rel)

        self.workspace.rename_item_later(root, rel, name, renamed, self.failed("Rename"))

    def _on_move_requested(
        self, root: Path, rel: str, target_root: Path, folder_rel: str, index: int | None
    ) -> None:
        def moved(new_rel: str) -> None:
            self.select(target_root, new_rel)
            self.finished.emit("Move", new_rel)

        target = (target_root, folder_rel, index)
        self.workspace.move_item_later(root, rel, target, moved, self.failed("Move"))

    def _on_filter_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        if text.strip():
            self.view.expandAll()
        self._show_no_match()

    def _show_no_match(self) -> None:
        """Say so when the filter matches nothing, instead of an empty tree."""
        text = self.filter_edit.text().strip()
        empty = bool(text) and self.proxy.rowCount() == 0
        if empty:
            shown = text if len(text) <= 60 else text[:59] + "…"
            self.no_match.setText(f"No request matches “{shown}”")
        self.no_match.setVisible(empty)
        self.view.setVisible(not empty)

    # ---- rebuilding --------------------------------------------------------------------

    def rebuild(self) -> None:
        """Show the workspace's collections, keeping expanded rows and the selection."""
        expanded = self._expanded_keys()
        current = self.selected()
        first = not self.model.rowCount()
        self.model.rebuild()
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            key = (index.data(ROOT_ROLE), "")
            if first or key in expanded or not expanded:
                self.view.expand(self.proxy.mapFromSource(index))
        self._expand_keys(expanded)
        if current is not None:
            self.select(current[0], current[1])
        self._update_actions()
        self._show_no_match()

    def _expanded_keys(self) -> set[Key]:
        keys: set[Key] = set()
        stack = [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                if self.view.isExpanded(index):
                    keys.add((index.data(ROOT_ROLE), index.data(REL_ROLE)))
                    stack.append(index)
        return keys

    def _expand_keys(self, keys: set[Key]) -> None:
        for root, rel in keys:
            index = self.model.find(Path(root), rel)
            if index.isValid():
                self.view.expand(self.proxy.mapFromSource(index))

    # ---- dialogs (replaceable in tests) ------------------------------------------------

    def _ask_name(self, title: str, default: str) -> str | None:
        return ask_text(self, title, "Name:", default)

    def _ask_delete(self, what: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Delete",
            f"Delete the {what}? Its file is removed from the collection folder.\n"
            "You can undo this with Edit ▸ Undo.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_settings(self, root: Path, rel: str) -> bool:
        from explorer.ui.dialogs.container_settings import ContainerSettingsDialog

        dialog = ContainerSettingsDialog(self.workspace, root, rel, self)
        saved = bool(dialog.exec())
        if saved:
            self.select(root, dialog.rel)
            self.status.emit(f"Saved the settings of “{dialog.name_edit.text().strip()}”")
        return saved

    def _ask_move(self, root: Path, rel: str) -> tuple[Path, str] | None:
        from explorer.ui.dialogs.move_dialog import MoveDialog

        dialog = MoveDialog(self.workspace, root, rel, self)
        return dialog.target() if dialog.exec() else None

    def _show_error(self, what: str, error: Exception) -> None:
        QMessageBox.warning(self, what, f"{what} failed:\n{error}")


def _inherit() -> Auth:
    """Auth of a new request in a collection: take the folder's or collection's."""
    return Auth(kind=AuthKind.INHERIT)
