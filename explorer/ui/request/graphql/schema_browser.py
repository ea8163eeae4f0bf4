"""The schema browser: the schema's types and their fields, searchable, with the
documentation of the one selected; a double click (or Insert) on a field asks for its
query skeleton.

Types are listed root types first (Query, Mutation, Subscription), then by name; a
type's fields are made when it is first expanded, and a search lists at most
`MAX_MATCHES` matches, so a schema of thousands of types never builds a tree that size.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.widgets.theme import palette

if TYPE_CHECKING:
    from graphql import GraphQLNamedType, GraphQLSchema

MAX_MATCHES = 300
_TYPE = Qt.ItemDataRole.UserRole + 1  # the type's name
_FIELD = Qt.ItemDataRole.UserRole + 2  # the field's name ("" on a type row)
_FILLED = Qt.ItemDataRole.UserRole + 3  # a type row's children were made


def _fields(type_: Any) -> dict[str, Any]:
    return dict(getattr(type_, "fields", None) or {})


def _kind(type_: Any) -> str:
    from explorer.core.graphql.completion import _kind_word

    return _kind_word(type_)


class SchemaBrowser(QWidget):
    """Types → fields with their arguments and types; the selected one documented."""

    insert_requested = Signal(str, str)  # type name, field name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema: GraphQLSchema | None = None
        # A QWidget subclass paints the theme's background only when asked: without it
        # the splitter's colour showed behind the search row and hid the Insert button.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search types and fields")
        self.search.setAccessibleName("Search the schema")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(self._fill)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())

        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Schema types and fields")
        self.tree.setHeaderLabels(["Name", "Type"])
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.itemExpanded.connect(self._fill_type)
        self.tree.currentItemChanged.connect(lambda item, _old: self._document(item))
        self.tree.itemDoubleClicked.connect(lambda item, _column: self._ask_insert(item))

        self.docs = QTextBrowser(self)
        self.docs.setAccessibleName("Schema documentation")
        self.docs.setOpenLinks(False)
        self.insert_button = QPushButton("Insert", self)
        self.insert_button.setAccessibleName("Insert a query for the field")
        self.insert_button.setToolTip(
            "Insert a query of the field: its required arguments as variables, its scalar "
            "subfields (double-click does it too)"
        )
        self.insert_button.setEnabled(False)
        self.insert_button.clicked.connect(lambda: self._ask_insert(self.tree.currentItem()))
        self.empty = QLabel(
            "No schema yet: Fetch schema asks the server (introspection); Load SDL… reads a "
            "schema file.",
            self,
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setAccessibleName("Schema browser note")

        self.tree.setMinimumHeight(40)
        self.docs.setMinimumHeight(40)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.tree)
        self.split.addWidget(self.docs)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        self.split.setChildrenCollapsible(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 1)
        row.addWidget(self.insert_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.empty)
        layout.addWidget(self.split, 1)
        self.set_schema(None)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Tall: the tree over the documentation; wide and short: beside it. The type
        column takes two fifths of the tree; names get the rest."""
        super().resizeEvent(event)
        size = event.size()
        tall = size.height() > size.width() * 0.9
        orientation = Qt.Orientation.Vertical if tall else Qt.Orientation.Horizontal
        if self.split.orientation() != orientation:
            self.split.setOrientation(orientation)
        QTimer.singleShot(0, self, self._share_columns)

    def _share_columns(self) -> None:
        self.tree.setColumnWidth(1, max(70, self.tree.viewport().width() * 2 // 5))

    def set_schema(self, schema: GraphQLSchema | None) -> None:
        """Show `schema` (None: the note saying how to get one)."""
        self.schema = schema
        self.empty.setVisible(schema is None)
        self.split.setVisible(schema is not None)
        self.search.setEnabled(schema is not None)
        self._fill()

    # -- the tree ------------------------------------------------------------------------

    def _type_names(self) -> list[str]:
        schema = self.schema
        if schema is None:
            return []
        roots = [
            t.name
            for t in (schema.query_type, schema.mutation_type, schema.subscription_type)
            if t is not None
        ]
        others = sorted(n for n in schema.type_map if not n.startswith("__") and n not in roots)
        return roots + others

    def _type_item(self, type_: GraphQLNamedType) -> QTreeWidgetItem:
        item = QTreeWidgetItem([type_.name, _kind(type_)])
        item.setData(0, _TYPE, type_.name)
        item.setData(0, _FIELD, "")
        item.setForeground(1, palette().qcolor("muted"))
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        if _fields(type_) or getattr(type_, "values", None) or getattr(type_, "types", None):
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        return item

    def _member_items(self, type_: Any, wanted: str = "") -> list[QTreeWidgetItem]:
        items = []
        for name, field in _fields(type_).items():
            if wanted and wanted not in name.lower():
                continue
            label = name + ("(…)" if getattr(field, "args", None) else "")
            item = QTreeWidgetItem([label, str(field.type)])
            item.setData(0, _TYPE, type_.name)
            item.setData(0, _FIELD, name)
            item.setToolTip(0, getattr(field, "description", None) or "")
            if getattr(field, "deprecation_reason", None):
                font = item.font(0)
                font.setStrikeOut(True)
                item.setFont(0, font)
            items.append(item)
        for name in getattr(type_, "values", None) or {}:
            if not wanted or wanted in name.lower():
                item = QTreeWidgetItem([name, "value"])
                item.setData(0, _TYPE, type_.name)
                item.setData(0, _FIELD, "")
                items.append(item)
        for member in getattr(type_, "types", None) or ():
            if not wanted or wanted in member.name.lower():
                item = QTreeWidgetItem([member.name, "member"])
                item.setData(0, _TYPE, member.name)
                item.setData(0, _FIELD, "")
                items.append(item)
        return items

    def _fill(self) -> None:
        self.tree.clear()
        schema = self.schema
        if schema is None:
            self._document(None)
            return
        wanted = self.search.text().strip().lower()
        shown = 0
        for name in self._type_names():
            type_ = schema.type_map[name]
            children = self._member_items(type_, wanted) if wanted else []
            if wanted and wanted not in name.lower() and not children:
                continue
            item = self._type_item(type_)
            self.tree.addTopLevelItem(item)
            shown += 1 + len(children)
            if children:
                item.addChildren(children)
                item.setData(0, _FILLED, wanted)
                item.setExpanded(True)
            if wanted and shown >= MAX_MATCHES:
                break  # every type is listed; a search's matches are bounded
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _fill_type(self, item: QTreeWidgetItem) -> None:
        if item.data(0, _FILLED) == "" or self.schema is None or item.parent() is not None:
            return  # already made for the whole type
        type_ = self.schema.get_type(str(item.data(0, _TYPE)))
        item.takeChildren()
        item.addChildren(self._member_items(type_))
        item.setData(0, _FILLED, "")

    def select(self, type_name: str, field_name: str = "") -> bool:
        """Select a type, or one of its fields (for tests and links)."""
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item is None or item.data(0, _TYPE) != type_name:
                continue
            if not field_name:
                self.tree.setCurrentItem(item)
                return True
            item.setExpanded(True)
            for child_index in range(item.childCount()):
                child = item.child(child_index)
                if child is not None and child.data(0, _FIELD) == field_name:
                    self.tree.setCurrentItem(child)
                    return True
        return False

    # -- documentation and insertion -----------------------------------------------------

    def _selected_field(self, item: QTreeWidgetItem | None) -> tuple[str, str] | None:
        if item is None or self.schema is None or not item.data(0, _FIELD):
            return None
        type_name, field_name = str(item.data(0, _TYPE)), str(item.data(0, _FIELD))
        owner = self.schema.get_type(type_name)
        if _kind(owner) not in ("object", "interface"):
            return None
        return type_name, field_name

    def _ask_insert(self, item: QTreeWidgetItem | None) -> None:
        chosen = self._selected_field(item)
        if chosen is not None:
            self.insert_requested.emit(*chosen)

    def _document(self, item: QTreeWidgetItem | None) -> None:
        self.insert_button.setEnabled(self._selected_field(item) is not None)
        if item is None or self.schema is None:
            self.docs.setHtml("")
            return
        self.docs.setHtml(self._doc_html(str(item.data(0, _TYPE)), str(item.data(0, _FIELD))))

    def _doc_html(self, type_name: str, field_name: str) -> str:
        assert self.schema is not None
        colours = palette()
        muted, code = colours.muted, colours.syntax_tag
        type_ = self.schema.get_type(type_name)
        if type_ is None:
            return ""
        esc = html.escape
        if not field_name:
            count = len(_fields(type_)) or len(getattr(type_, "values", None) or {})
            lines = [
                f"<p><b>{esc(type_name)}</b> <span style='color:{muted}'>{_kind(type_)}"
                f"{f', {count} members' if count else ''}</span></p>"
            ]
            if type_.description:
                lines.append(f"<p>{esc(type_.description)}</p>")
            return "".join(lines)
        field = _fields(type_).get(field_name)
        if field is None:
            return ""
        args = getattr(field, "args", None) or {}
        signature = esc(field_name)
        if args:
            signature += "(" + ", ".join(f"{esc(n)}: {esc(str(a.type))}" for n, a in args.items())
            signature += ")"
        lines = [
            f"<p><code>{esc(type_name)}.</code><b><code>{signature}</code></b>: "
            f"<code style='color:{code}'>{esc(str(field.type))}</code></p>"
        ]
        if field.description:
            lines.append(f"<p>{esc(field.description)}</p>")
        if getattr(field, "deprecation_reason", None):
            lines.append(
                f"<p style='color:{colours.warning}'>Deprecated: "
                f"{esc(field.deprecation_reason)}</p>"
            )
        if args:
            lines.append(f"<p style='color:{muted}'>Arguments</p><ul>")
            for name, arg in args.items():
                text = f"<li><code>{esc(name)}: {esc(str(arg.type))}</code>"
                if arg.description:
                    text += f" — {esc(arg.description)}"
                lines.append(text + "</li>")
            lines.append("</ul>")
        return "".join(lines)
