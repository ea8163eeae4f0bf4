"""Table cells that show `{{variables}}` highlighted, with a tooltip per variable.

A QStyledItemDelegate paints plain text; this one paints the cell as usual without its
text, then lays the text out with QTextLayout and the variable formats of
`variable_highlight`. The same layout answers "which character is under the mouse" for
the tooltip. The cell editor (a QLineEdit) gets a `VariableHighlighter` too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPalette, QTextLayout, QTextLine, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from explorer.ui.widgets.variable_highlight import (
    ScopesProvider,
    Span,
    VariableHighlighter,
    tooltip_at,
    utf16_index,
    variable_format,
    variable_spans,
)

Index = QModelIndex | QPersistentModelIndex


class VariableDelegateMixin:
    """Variable painting and tooltips for a QStyledItemDelegate subclass (put it first
    in the bases). Does nothing while `variable_scopes` is None."""

    variable_scopes: ScopesProvider | None = None

    def spans(self, index: Index) -> list[Span]:
        """The variables of the cell's text."""
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if self.variable_scopes is None or not isinstance(text, str):
            return []
        return variable_spans(text, self.variable_scopes())

    def format_ranges(self, index: Index) -> list[QTextLayout.FormatRange]:
        """What the cell's text is drawn with: one range per variable, in UTF-16 units."""
        text = index.data(Qt.ItemDataRole.DisplayRole)
        ranges = []
        for start, end, _name, resolved in self.spans(index):
            found = QTextLayout.FormatRange()
            found.start = utf16_index(text, start)
            found.length = utf16_index(text, end) - found.start
            found.format = variable_format(resolved)
            ranges.append(found)
        return ranges

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Paint the cell, its variables highlighted."""
        ranges = self.format_ranges(index)
        if not ranges:
            super().paint(painter, option, index)  # type: ignore[misc]
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)  # type: ignore[attr-defined]
        text = opt.text
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        layout, origin, rect = self._layout(opt, text, ranges)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setClipRect(rect)
        painter.setPen(opt.palette.color(role))
        layout.draw(painter, origin)
        painter.restore()

    def cell_tooltip(self, option: QStyleOptionViewItem, index: Index, position: QPoint) -> str:
        """The tooltip for the mouse at `position` (viewport coordinates) over the cell
        drawn in `option.rect`; "" off a variable."""
        if self.variable_scopes is None or not self.spans(index):
            return ""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)  # type: ignore[attr-defined]
        text = opt.text
        layout, origin, _rect = self._layout(opt, text, [])
        line = layout.lineAt(0)
        x = position.x() - origin.x()
        if x < 0 or x > line.naturalTextWidth():
            return ""
        character = line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
        return tooltip_at(text, character, self.variable_scopes(), inclusive=False)

    def helpEvent(  # noqa: N802 (Qt override)
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        """Explain the variable under the mouse; otherwise what the base class says."""
        if event.type() == QEvent.Type.ToolTip:
            tip = self.cell_tooltip(option, index, event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, view)
                return True
        return super().helpEvent(event, view, option, index)  # type: ignore[misc]

    def createEditor(  # noqa: N802 (Qt override)
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        """The base class's editor, its variables highlighted while typing."""
        editor = super().createEditor(parent, option, index)  # type: ignore[misc]
        if isinstance(editor, QLineEdit) and self.variable_scopes is not None:
            VariableHighlighter(editor, self.variable_scopes)
        return editor

    @staticmethod
    def _layout(
        opt: QStyleOptionViewItem, text: str, ranges: list[QTextLayout.FormatRange]
    ) -> tuple[QTextLayout, QPointF, QRect]:
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        # The same margin QCommonStyle leaves around item text.
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        layout = QTextLayout(text, opt.font)
        text_option = QTextOption()
        text_option.setWrapMode(QTextOption.WrapMode.NoWrap)
        layout.setTextOption(text_option)
        layout.setFormats(ranges)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1_000_000)
        layout.endLayout()
        top = rect.top() + (rect.height() - line.height()) / 2
        return layout, QPointF(rect.left() + margin, top), rect


class VariableDelegate(VariableDelegateMixin, QStyledItemDelegate):
    """A plain cell delegate that highlights variables (see `VariableDelegateMixin`)."""
