"""Move to…: choose the collection or folder a request or folder moves into.

The targets are shown as the tree the sidebar shows (collections, then their folders),
with a filter; the item itself, its own folders and the folder it is already in are not
offered. The move is made by the caller, through the workspace, as a drag and drop is.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.collection import Folder
from explorer.qt.workspace import Workspace

MoveTarget = tuple[Path, str]  # collection root, folder rel ("" for the collection itself)
_TARGET_ROLE = Qt.ItemDataRole.UserRole + 1


class MoveDialog(QDialog):
    """A tree of every open collection and its folders; OK moves into the chosen one."""

    def __init__(
        self, workspace: Workspace, root: Path, rel: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        info = workspace.info(root, rel)
        name = info.item.name if info is not None else rel
        self._current = (root, info.parent_rel if info is not None else "")
        self.setWindowTitle("Move to")
        self.setAccessibleName("Move to")
        self.setMinimumSize(420, 420)
        label = QLabel(f"Move “{name}” into:", self)
        label.setWordWrap(True)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter folders")
        self.filter_edit.setAccessibleName("Filter folders")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Collections and folders")
        self.tree.setHeaderHidden(True)
        self.tree.itemDoubleClicked.connect(lambda *_args: self._accept_if_valid())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Move")
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self._fill(workspace, root, rel)
        self.tree.currentItemChanged.connect(lambda *_args: self._update_ok())
        self._update_ok()

    def _fill(self, workspace: Workspace, root: Path, rel: str) -> None:
        style = QApplication.style()
        home = style.standardIcon(QStyle.StandardPixmap.SP_DirHomeIcon)
        folder_icon = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        for opened in workspace.collections.values():
            top = QTreeWidgetItem([opened.name])
            top.setIcon(0, home)
            top.setData(0, _TARGET_ROLE, (str(opened.root), ""))
            self.tree.addTopLevelItem(top)
            parents = {"": top}
            folders = sorted(
                (i for i in opened.items.values() if isinstance(i.item, Folder)),
                key=lambda i: (i.rel.count("/"), i.position),
            )
            for info in folders:
                inside = opened.root == root and (info.rel == rel or info.rel.startswith(rel + "/"))
                parent = parents.get(info.parent_rel)
                if inside or parent is None:
                    continue  # a folder cannot move into itself
                item = QTreeWidgetItem([info.item.name])
                item.setIcon(0, folder_icon)
                item.setData(0, _TARGET_ROLE, (str(opened.root), info.rel))
                parent.addChild(item)
                parents[info.rel] = item
            for item in parents.values():
                key = (Path(item.data(0, _TARGET_ROLE)[0]), item.data(0, _TARGET_ROLE)[1])
                if key == self._current:
                    item.setToolTip(0, "It is here now")
                    item.setForeground(0, self.palette().placeholderText())
        self.tree.expandAll()

    def target(self) -> MoveTarget | None:
        """The chosen collection and folder; None when none (or the current one) is."""
        item = self.tree.currentItem()
        if item is None or item.isHidden():
            return None
        root, rel = item.data(0, _TARGET_ROLE)
        chosen = (Path(root), rel)
        return None if chosen == self._current else chosen

    def choose(self, root: Path, rel: str) -> bool:
        """Make (root, rel) the current choice (for the keyboard and for tests)."""
        for item in self._items():
            if item.data(0, _TARGET_ROLE) == (str(root), rel):
                self.tree.setCurrentItem(item)
                return True
        return False

    def _tops(self) -> list[QTreeWidgetItem]:
        tops = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in tops if item is not None]

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        stack = self._tops()
        while stack:
            item = stack.pop()
            found.append(item)
            children = (item.child(i) for i in range(item.childCount()))
            stack.extend(child for child in children if child is not None)
        return found

    def _filter(self, text: str) -> None:
        words = text.lower().split()

        def show(item: QTreeWidgetItem) -> bool:
            children = (item.child(i) for i in range(item.childCount()))
            shown = [show(child) for child in children if child is not None]
            visible = any(shown) or all(w in item.text(0).lower() for w in words)
            item.setHidden(not visible)
            return visible

        for top in self._tops():
            show(top)
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.target() is not None)

    def _accept_if_valid(self) -> None:
        if self.target() is not None:
            self.accept()
