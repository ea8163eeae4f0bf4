"""A small line chart over elapsed time, drawn with QPainter (PySide6-Essentials has no
QtCharts): requests per second, latency percentiles, errors per second by kind.

It draws what it is given and holds no more than that: the timeline it shows is
bounded (`explorer.core.load_runs.series`). Colours are the theme's palette roles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from explorer.ui.widgets.theme import palette_for


@dataclass(frozen=True)
class Line:
    label: str
    role: str  # a Palette role: its colour
    values: Sequence[float | None]  # one per x; None leaves a gap


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at or above `value` (a readable axis top)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power * (1 + 1e-9):
            return step * power
    return 10 * power


def format_value(value: float, unit: str) -> str:
    text = f"{value:.0f}" if value >= 10 or value == 0 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def format_seconds(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole} s" if whole < 120 else f"{whole // 60}:{whole % 60:02d}"


class TimeChart(QWidget):
    """Lines of values over elapsed seconds, with a title, a legend and two axes."""

    def __init__(self, title: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.unit = unit
        self.xs: Sequence[float] = ()
        self.lines: list[Line] = []
        self.empty_text = ""  # what an empty chart says (the window sets it by state)
        self.setAccessibleName(f"{title} chart")
        self.setMinimumSize(220, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(360, 200)

    def set_data(self, xs: Sequence[float], lines: list[Line]) -> None:
        self.xs = xs
        self.lines = lines
        self.update()

    def top_value(self) -> float:
        """The y axis's top: the largest value shown, rounded up to a readable one."""
        largest = max((v for line in self.lines for v in line.values if v is not None), default=0)
        return nice_ceiling(largest)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        colours = palette_for(self.palette())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(colours.background))
        text = self.palette().text().color()
        muted = QColor(colours.muted)
        metrics = painter.fontMetrics()
        line_height = metrics.height()

        # Title on the left, legend on the right of the first row.
        painter.setPen(text)
        bold = painter.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QPointF(8, 4 + metrics.ascent()), self.title)
        painter.setFont(self.font())
        x_legend = self.width() - 8.0
        for line in reversed(self.lines):
            width = metrics.horizontalAdvance(line.label)
            x_legend -= width
            painter.setPen(text)
            painter.drawText(QPointF(x_legend, 4 + metrics.ascent()), line.label)
            x_legend -= 16
            painter.fillRect(
                QRectF(x_legend, 4 + line_height / 2 - 1.5, 12, 3), colours.qcolor(line.role)
            )
            x_legend -= 12

        top_value = self.top_value()
        y_labels = [format_value(top_value * i / 4, self.unit) for i in range(5)]
        left = 12 + max(metrics.horizontalAdvance(label) for label in y_labels)
        plot = QRectF(left, 10 + line_height * 1.5, self.width() - left - 12, 0)
        plot.setBottom(self.height() - line_height - 10)
        if plot.height() < 20 or plot.width() < 40:
            return

        grid = QColor(muted)
        grid.setAlphaF(0.35)
        for i, label in enumerate(y_labels):
            y = plot.bottom() - plot.height() * i / 4
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(muted)
            painter.drawText(
                QRectF(0, y - line_height / 2, left - 6, line_height),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )

        span = max(max(self.xs, default=0.0), 10.0)
        for i in range(6):
            seconds = span * i / 5
            x = plot.left() + plot.width() * i / 5
            label = format_seconds(seconds)
            width = metrics.horizontalAdvance(label)
            anchor = min(max(x - width / 2, plot.left() - width / 2), self.width() - width - 4)
            painter.setPen(muted)
            painter.drawText(QPointF(anchor, plot.bottom() + 4 + metrics.ascent()), label)

        if not self.xs:
            if self.empty_text:  # on the background, not struck through by a grid line
                shown = metrics.elidedText(
                    self.empty_text, Qt.TextElideMode.ElideRight, int(plot.width()) - 12
                )
                box = QRectF(metrics.boundingRect(shown)).adjusted(-6, -2, 6, 2)
                box.moveCenter(plot.center())
                painter.fillRect(box, QColor(colours.background))
                painter.setPen(muted)
                painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), shown)
            painter.end()
            return

        for line in self.lines:
            path = QPainterPath()
            drawing = False
            for x_value, y_value in zip(self.xs, line.values, strict=False):
                if y_value is None:
                    drawing = False
                    continue
                point = QPointF(
                    plot.left() + plot.width() * x_value / span,
                    plot.bottom() - plot.height() * min(y_value / top_value, 1.0),
                )
                if drawing:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    drawing = True
            painter.setPen(QPen(colours.qcolor(line.role), 2))
            painter.drawPath(path)
        painter.end()
