"""The item model behind the collections sidebar: collections, folders, requests.

Rows are rebuilt from the workspace after every change (collections are small; a full
rebuild is simpler and never out of step with the files). Editing a name and dropping
an item do not change the model directly: they emit a request that the sidebar carries
out on disk, after which the model is rebuilt from what the files say.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from explorer.core.collection import Folder, RequestItem
from explorer.core.model import Request
from explorer.core.storage.layout import split
from explorer.qt.workspace import OpenCollection, Workspace
from explorer.ui.widgets.theme import palette

ROOT_ROLE = Qt.ItemDataRole.UserRole + 1  # str: the collection folder
REL_ROLE = Qt.ItemDataRole.UserRole + 2  # str: the item's relative path ("" for the root)
KIND_ROLE = Qt.ItemDataRole.UserRole + 3  # "collection", "folder", "request", "problem"
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4  # str: what the filter matches against
MIME_TYPE = "application/x-api-explorer-item"
Index = QModelIndex | QPersistentModelIndex


METHOD_ROLE = Qt.ItemDataRole.UserRole + 5  # str: a request's method
# str: the request's path, drawn dimmed after its name when another request of the same
# folder has the same name (the method is drawn already), so the rows can be told apart.
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 6
_METHOD_WIDTH = 52  # at the usual text size; method_width() grows it with the font
_WIDEST_TAG = "PATCH"  # DELETE and OPTIONS are drawn as DEL and OPT
_TOOLTIP_DESCRIPTION = 600  # characters of a description shown on hover


def tag_font(font: QFont) -> QFont:
    """The method tag's font: bold, a little smaller than the row's."""
    bold = QFont(font)
    bold.setBold(True)
    bold.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
    return bold


def method_width(font: QFont) -> int:
    """The method column's width for rows in `font`: the widest tag and a gap, never less
    than the usual 52 px (a fixed 52 px let "POST" run into the name at 200% text)."""
    metrics = QFontMetrics(tag_font(font))
    return max(_METHOD_WIDTH, metrics.horizontalAdvance(_WIDEST_TAG) + metrics.averageCharWidth())


def method_colour(method: str) -> str:
    """The colour a method is written in, in the current theme (HEAD, OPTIONS and
    unknown methods in the palette's method_other)."""
    return palette().method(method)


class MethodDelegate(QStyledItemDelegate):
    """Draws a request row as a coloured method name in a fixed column, then its name."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        method = index.data(METHOD_ROLE)
        if not method:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        name = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect.adjusted(4, 0, -4, 0)
        painter.save()
        painter.setFont(tag_font(opt.font))
        width = method_width(opt.font)
        painter.setPen(QColor(method_colour(method)))
        label = {"DELETE": "DEL", "OPTIONS": "OPT"}.get(method.upper(), method.upper())
        method_rect = QRect(rect.left(), rect.top(), width, rect.height())
        painter.drawText(
            method_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label[:6]
        )
        painter.setFont(opt.font)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        text_rect = rect.adjusted(width, 0, 0, 0)
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        metrics = opt.fontMetrics
        elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(text_rect, align, elided)
        detail = index.data(DETAIL_ROLE)
        room = text_rect.width() - metrics.horizontalAdvance(name) - metrics.averageCharWidth()
        if detail and elided == name and room > metrics.averageCharWidth() * 4:
            # The path after the name, dimmed (the text colour at half strength).
            colour = QColor(painter.pen().color())
            colour.setAlphaF(0.6)
            painter.setPen(colour)
            detail_rect = text_rect.adjusted(text_rect.width() - room, 0, 0, 0)
            painter.drawText(
                detail_rect, align, metrics.elidedText(detail, Qt.TextElideMode.ElideMiddle, room)
            )
        painter.restore()

    def updateEditorGeometry(  # noqa: N802 - Qt's name
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        super().updateEditorGeometry(editor, option, index)
        if index.data(METHOD_ROLE):
            editor.setGeometry(option.rect.adjusted(method_width(option.font), 0, 0, 0))


class CollectionModel(QStandardItemModel):
    """Collections as a tree. Emits requests for renames and moves instead of doing them."""

    rename_requested = Signal(object, str, str)  # root Path, rel, new name
    move_requested = Signal(object, str, object, str, object)  # root, rel, root, folder, index

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.setColumnCount(1)

    # ---- building ----------------------------------------------------------------------

    def rebuild(self) -> None:
        """Replace all rows with the workspace's collections as they are now."""
        self.clear()
        self.setColumnCount(1)
        for opened in self.workspace.collections.values():
            self.appendRow(self._collection_row(opened))

    def _collection_row(self, opened: OpenCollection) -> QStandardItem:
        row = self._item(opened.name, opened.root, "", "collection")
        row.setIcon(QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DirHomeIcon))
        font = row.font()
        font.setBold(True)
        row.setFont(font)
        row.setToolTip(f"{opened.name}\n{opened.root}")
        self._add_children(row, opened, "")
        problems_here = [p for p in opened.problems if self._folder_of(opened, p.path) == ""]
        if opened.problems:
            row.setToolTip(f"{row.toolTip()}\n{len(opened.problems)} file(s) cannot be read")
        for problem in problems_here:
            row.appendRow(self._problem_row(opened, problem))
        return row

    def _add_children(self, parent: QStandardItem, opened: OpenCollection, folder_rel: str) -> None:
        infos = sorted(
            (i for i in opened.items.values() if i.parent_rel == folder_rel),
            key=lambda i: i.position,
        )
        names = Counter(i.item.name for i in infos if isinstance(i.item, RequestItem))
        for info in infos:
            if isinstance(info.item, Folder):
                row = self._item(info.item.name, opened.root, info.rel, "folder")
                row.setIcon(QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DirIcon))
                row.setToolTip(f"{info.item.name}\n{info.rel}/")
                self._add_children(row, opened, info.rel)
                for problem in opened.problems:
                    if self._folder_of(opened, problem.path) == info.rel:
                        row.appendRow(self._problem_row(opened, problem))
            else:
                assert isinstance(info.item, RequestItem)
                request = info.item.request
                row = self._item(request.name, opened.root, info.rel, "request")
                row.setData(request.method, METHOD_ROLE)
                row.setData(f"{request.name} {request.url} {request.method}", SEARCH_ROLE)
                if names[request.name] > 1:
                    row.setData(url_path(request.url), DETAIL_ROLE)
                row.setToolTip(_request_tooltip(request, info.rel))
            parent.appendRow(row)

    def _problem_row(self, opened: OpenCollection, problem: object) -> QStandardItem:
        path = Path(getattr(problem, "path", ""))
        rel = path.relative_to(opened.root).as_posix() if path.is_relative_to(opened.root) else ""
        row = self._item(f"{path.name} (cannot be read)", opened.root, rel, "problem")
        row.setForeground(QBrush(palette().qcolor("error")))
        row.setIcon(QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        row.setToolTip(f"{problem}\nThe file is left untouched; fix it and it loads again.")
        row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return row

    @staticmethod
    def _folder_of(opened: OpenCollection, path: Path) -> str | None:
        if not path.is_relative_to(opened.root):
            return None
        rel = path.relative_to(opened.root).as_posix()
        parent = split(rel)[0]
        if path.name in ("folder.yaml",):
            parent = split(parent)[0]
        if parent.startswith("environments"):
            return ""
        return parent if parent == "" or parent in opened.items else ""

    @staticmethod
    def _item(text: str, root: Path, rel: str, kind: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(str(root), ROOT_ROLE)
        item.setData(rel, REL_ROLE)
        item.setData(kind, KIND_ROLE)
        item.setData(text, SEARCH_ROLE)
        item.setData(text, Qt.ItemDataRole.AccessibleTextRole)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDropEnabled
        if kind in ("folder", "request"):
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        if kind == "request":
            flags &= ~Qt.ItemFlag.ItemIsDropEnabled
        item.setFlags(flags)
        return item

    # ---- lookup ------------------------------------------------------------------------

    def find(self, root: Path, rel: str) -> QModelIndex:
        """The index of the item at (root, rel), or an invalid index."""
        matches = self.match(
            self.index(0, 0),
            REL_ROLE,
            rel,
            -1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        for index in matches:
            if index.data(ROOT_ROLE) == str(root) and index.data(KIND_ROLE) != "problem":
                return index
        return QModelIndex()

    # ---- renaming ----------------------------------------------------------------------

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role == Qt.ItemDataRole.EditRole and index.data(KIND_ROLE) is not None:
            name = str(value).strip()
            if name and name != index.data(Qt.ItemDataRole.DisplayRole):
                self.rename_requested.emit(Path(index.data(ROOT_ROLE)), index.data(REL_ROLE), name)
            return False
        return super().setData(index, value, role)

    # ---- drag and drop -----------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802 - Qt's name
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802 - Qt's name
        data = QMimeData()
        chosen = [i for i in indexes if i.data(KIND_ROLE) in ("folder", "request")][:1]
        payload = [[i.data(ROOT_ROLE), i.data(REL_ROLE)] for i in chosen]
        data.setData(MIME_TYPE, QByteArray(json.dumps(payload).encode()))
        return data

    def canDropMimeData(  # noqa: N802 - Qt's name
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return self._drop_target(data, row, parent) is not None

    def dropMimeData(  # noqa: N802 - Qt's name
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        target = self._drop_target(data, row, parent)
        if target is None:
            return False
        # Returning False keeps the view from removing the dragged row itself: the move
        # happens on disk and the tree is rebuilt from the files.
        self.move_requested.emit(*target)
        return False

    def _drop_target(
        self, data: QMimeData, row: int, parent: Index
    ) -> tuple[Path, str, Path, str, int | None] | None:
        if not data.hasFormat(MIME_TYPE) or not parent.isValid():
            return None
        payload = json.loads(bytes(data.data(MIME_TYPE).data()).decode() or "[]")
        if not payload:
            return None
        source_root, source_rel = Path(payload[0][0]), payload[0][1]
        kind = parent.data(KIND_ROLE)
        if kind == "problem":
            return None
        if kind == "request":  # dropped onto a request: next to it, in its folder
            row, parent = parent.row(), parent.parent()
            if not parent.isValid():
                return None
        target_root, folder_rel = Path(parent.data(ROOT_ROLE)), parent.data(REL_ROLE)
        if target_root == source_root and (
            folder_rel == source_rel or folder_rel.startswith(source_rel + "/")
        ):
            return None  # into itself
        index: int | None = row if row >= 0 else None
        source_info = self.workspace.info(source_root, source_rel)
        if (
            index is not None
            and source_info is not None
            and target_root == source_root
            and source_info.parent_rel == folder_rel
            and source_info.position < index
        ):
            index -= 1  # the dragged row itself is taken out before it is put back
        return source_root, source_rel, target_root, folder_rel, index


def url_path(url: str) -> str:
    """The path of `url` as a row shows it: without scheme and host, or without the
    `{{variable}}` it starts with (`{{base_url}}/api/items` -> `/api/items`)."""
    rest = url.split("://", 1)[1] if "://" in url else url
    if rest.startswith("{{") and "}}" in rest:
        rest = rest[rest.index("}}") + 2 :]
    elif "://" in url:
        rest = rest[rest.find("/") :] if "/" in rest else "/"
    return rest or "/"


def _request_tooltip(request: Request, rel: str) -> str:
    """Name, description (bounded), method and URL, file: what hovering a row tells."""
    lines = [f"<b>{escape(request.name)}</b>"]
    description = " ".join(request.description.split())
    if description:
        if len(description) > _TOOLTIP_DESCRIPTION:
            description = description[: _TOOLTIP_DESCRIPTION - 1] + "…"
        lines.append(escape(description))
    lines.append(f"<code>{escape(request.method)} {escape(request.url)}</code>")
    lines.append(f"<small>{escape(rel)}</small>")
    # Rich text wraps a long description instead of making one screen-wide line.
    return "<p style='white-space:pre-wrap'>" + "<br>".join(lines) + "</p>"


class CollectionFilter(QSortFilterProxyModel):
    """Shows rows whose name, URL or method contains the filter text, with their parents."""

    def __init__(self) -> None:
        super().__init__()
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(SEARCH_ROLE)
        self._needle = ""

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        needle = self._needle
        if not needle:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        haystack = str(index.data(SEARCH_ROLE) or "").lower()
        return all(word in haystack for word in needle.lower().split())

    def set_text(self, text: str) -> None:
        """Filter by `text` (words, all of which must match)."""
        self.beginFilterChange()
        self._needle = text.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
