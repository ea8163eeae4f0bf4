"""The path through the lessons as a table of contents: per lesson its number and title,
its summary in one muted line, and the learner's marks (✓ read, tries done of all)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from explorer.core.learn.catalogue import Lesson
from explorer.core.learn.progress import Progress
from explorer.ui.widgets.theme import palette

SLUG = Qt.ItemDataRole.UserRole
SUMMARY = Qt.ItemDataRole.UserRole + 1
MARKS = Qt.ItemDataRole.UserRole + 2
DONE = Qt.ItemDataRole.UserRole + 3  # True once read or tried: the marks in green
_PAD = 6


def marks_of(lesson: Lesson, progress: Progress) -> str:
    """ "✓ 2/5": read, and tries done of all (what the list and its tests show)."""
    read = "✓" if lesson.slug in progress.read else ""
    if not lesson.attempts:
        return read
    return f"{read}  {len(progress.tried_in(lesson.slug))}/{len(lesson.attempts)}".strip()


class _Delegate(QStyledItemDelegate):
    def sizeHint(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(100, 2 * line + 3 * _PAD)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        colours = palette()
        style = option.widget.style() if option.widget else None
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        view_option.text = ""
        if style is not None:  # the selection and hover background, as any list draws it
            style.drawControl(
                QStyle.ControlElement.CE_ItemViewItem, view_option, painter, option.widget
            )
        rect: QRect = option.rect.adjusted(_PAD + 4, _PAD, -(_PAD + 4), -_PAD)
        metrics = QFontMetrics(option.font)
        line = metrics.height()
        marks = str(index.data(MARKS) or "")
        marks_width = metrics.horizontalAdvance(marks) + (_PAD * 2 if marks else 0)
        painter.save()
        text_colour = option.palette.color(
            option.palette.ColorRole.HighlightedText
            if option.state & QStyle.StateFlag.State_Selected
            else option.palette.ColorRole.Text
        )
        title = metrics.elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            max(rect.width() - marks_width, 10),
        )
        painter.setPen(text_colour)
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width() - marks_width, line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            title,
        )
        if marks:
            painter.setPen(colours.qcolor("success" if index.data(DONE) else "muted"))
            painter.drawText(
                QRect(rect.right() - marks_width, rect.top(), marks_width, line),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                marks,
            )
        summary = metrics.elidedText(
            str(index.data(SUMMARY) or ""), Qt.TextElideMode.ElideRight, rect.width()
        )
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(text_colour if selected else colours.qcolor("muted"))
        painter.drawText(
            QRect(rect.left(), rect.top() + line + _PAD, rect.width(), line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            summary,
        )
        painter.restore()


class LessonList(QListWidget):
    """The lessons in teaching order, with their marks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Lessons")
        self.setObjectName("learnContents")
        self.setItemDelegate(_Delegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)

    def fill(self, lessons: tuple[Lesson, ...], progress: Progress, current: str) -> None:
        self.clear()
        for number, lesson in enumerate(lessons, 1):
            item = QListWidgetItem(f"{number}.  {lesson.title}")
            item.setData(SLUG, lesson.slug)
            item.setData(SUMMARY, lesson.summary)
            item.setData(MARKS, marks_of(lesson, progress))
            tried = progress.tried_in(lesson.slug)
            item.setData(DONE, lesson.slug in progress.read or bool(tried))
            state = "read" if lesson.slug in progress.read else "not read yet"
            if lesson.attempts:
                state += f", {len(tried)} of {len(lesson.attempts)} tries done"
            item.setToolTip(f"{lesson.summary}\n({state})" if lesson.summary else state)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{item.text()}, {state}")
            self.addItem(item)
            if lesson.slug == current:
                self.setCurrentItem(item)

    def slug_at(self, item: QListWidgetItem) -> str:
        value = item.data(SLUG)
        return value if isinstance(value, str) else ""

    def marks(self, row: int) -> str:
        item = self.item(row)
        return str(item.data(MARKS)) if item is not None else ""
