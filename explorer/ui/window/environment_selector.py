"""The toolbar's environment selector: every open collection's environments, grouped
under their collection, the closed box naming the collection too ("dev — Shop").

Two collections may both have a "dev": what the box shows must say which one every send
uses (the rule is in `explorer.qt.workspace`), so the closed box paints the choice's
whole label, and the list groups environments under a header per collection."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPaintEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QStylePainter,
    QWidget,
)

from explorer.qt.workspace import EnvironmentChoice
from explorer.ui.widgets.theme import palette

NO_ENVIRONMENT = "No environment"
ROOT_ROLE = Qt.ItemDataRole.UserRole + 1  # the collection folder (str), "" for none
NAME_ROLE = Qt.ItemDataRole.UserRole + 2  # the environment's name
LABEL_ROLE = Qt.ItemDataRole.UserRole + 3  # what the closed box shows
MAX_WIDTH = 360  # px: a long name is elided in the closed box, whole in its tooltip
_NONE_TIP = (
    "No environment: requests use the global variables and their own collection's variables only."
)


class EnvironmentSelector(QComboBox):
    """A combo box of (collection, environment) choices, grouped by collection."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Active environment")
        self.setModel(QStandardItemModel(self))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setItemDelegate(_GroupedItems(self))

    def fill(self, choices: Sequence[EnvironmentChoice], root: Path | None, name: str) -> None:
        """Show `choices` (in their order, grouped where the collection changes) and
        select (root, name). Emits no `activated`: only the user's pick does."""
        model = self.model()
        assert isinstance(model, QStandardItemModel)
        self.blockSignals(True)
        try:
            model.clear()
            none = QStandardItem(NO_ENVIRONMENT)
            none.setData("", Qt.ItemDataRole.UserRole)
            none.setData("", ROOT_ROLE)
            none.setData("", NAME_ROLE)
            none.setData(NO_ENVIRONMENT, LABEL_ROLE)
            none.setToolTip(_NONE_TIP)
            model.appendRow(none)
            group = None
            for choice in choices:
                if choice.collection != group:
                    group = choice.collection
                    model.appendRow(_header(group))
                item = QStandardItem(choice.name)
                item.setData(choice.name, Qt.ItemDataRole.UserRole)  # findData(name) works
                item.setData(str(choice.root), ROOT_ROLE)
                item.setData(choice.name, NAME_ROLE)
                item.setData(choice.label, LABEL_ROLE)
                item.setToolTip(f"“{choice.name}” of the collection {choice.collection}")
                item.setAccessibleText(choice.label)
                model.appendRow(item)
            self.setCurrentIndex(max(self.index_of(root, name), 0))
        finally:
            self.blockSignals(False)
        self._fit()

    def index_of(self, root: Path | None, name: str) -> int:
        """The row of (root, name); -1 when it is not listed."""
        wanted = (str(root) if root is not None and name else "", name if root else "")
        for row in range(self.count()):
            data = (self.itemData(row, ROOT_ROLE), self.itemData(row, NAME_ROLE))
            if data == wanted and self.model().flags(self.model().index(row, 0)) & (
                Qt.ItemFlag.ItemIsSelectable
            ):
                return row
        return -1

    def choice_at(self, row: int) -> tuple[Path | None, str]:
        """(collection folder, environment name) of a row; (None, "") for none."""
        root, name = self.itemData(row, ROOT_ROLE), self.itemData(row, NAME_ROLE)
        return (Path(root), str(name)) if root and name else (None, "")

    def label(self) -> str:
        """What the closed box shows: "dev — Shop", or "No environment"."""
        return str(self.currentData(LABEL_ROLE) or NO_ENVIRONMENT)

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(str(self.itemData(r, LABEL_ROLE) or "")) for r in
             range(self.count())),
            default=0,
        )  # fmt: skip
        self.setMinimumWidth(min(widest + 48, MAX_WIDTH))
        self.setToolTip(self._tip())

    def _tip(self) -> str:
        _root, name = self.choice_at(self.currentIndex())
        if not name:
            return _NONE_TIP
        return (
            f"{self.label()}: the variables of this environment apply to every send, saved "
            "or not, above the global variables and the request's own collection's."
        )

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 - Qt's name
        super().setCurrentIndex(index)
        self.setToolTip(self._tip())

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        # The list shows names under their collection; the closed box shows both.
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        room = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField,
            self,
        ).width()  # fmt: skip
        option.currentText = self.fontMetrics().elidedText(
            self.label(), Qt.TextElideMode.ElideMiddle, max(room, 20)
        )
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class _GroupedItems(QStyledItemDelegate):
    """Environments are drawn indented under their collection's header row."""

    def initStyleOption(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if index.data(NAME_ROLE):
            option.text = "      " + option.text


def _header(collection: str) -> QStandardItem:
    """A group's title row: not selectable, so keys and clicks pass over it."""
    item = QStandardItem(collection)
    item.setFlags(Qt.ItemFlag.NoItemFlags)
    font = QFont()
    font.setBold(True)
    item.setFont(font)
    item.setForeground(QColor(palette().muted))
    item.setToolTip(f"Environments of the collection {collection}")
    item.setData("", ROOT_ROLE)
    item.setData("", NAME_ROLE)
    return item
