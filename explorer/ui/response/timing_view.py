"""The timing waterfall: where the time of each hop went, phase by phase.

A tree with one top-level row per hop (redirects first, the final response last) and
one child row per phase: name, milliseconds, and a bar. Every bar is placed on ONE time
axis for the whole exchange, drawn as a scale in the column's header, so a 1.8 ms hop
looks shorter than a 9.5 ms one (each hop on its own full-width line made them look
alike). Hops follow one another, so a hop starts where the ones before it ended. Values
are plain text in their columns, so they can be read by a screen reader and copied.
Server-Timing entries from the response are listed beside it. An event stream's first
event is marked on the axis (a row of its own under the final hop): its download phase
lasts as long as the stream, so when the first event came is the time that matters.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.http.exchange import Response, Timing
from explorer.core.http.response_meta import server_timings
from explorer.core.units import human_duration
from explorer.ui.widgets.theme import palette

# (Timing field, name shown); each phase's bar is drawn in the palette's timing_<field>.
PHASES = (
    ("dns", "DNS lookup"),
    ("connect", "TCP connect"),
    ("tls", "TLS handshake"),
    ("send", "Request sent"),
    ("wait", "Waiting (TTFB)"),
    ("download", "Content download"),
)
_BAR_ROLE = Qt.ItemDataRole.UserRole + 1  # (start fraction, width fraction, phase)
_HOP_BAR = "hop"  # a hop's own row: a thin bar over its whole span
_MARK = "mark"  # a moment, not a phase: an event stream's first event
FIRST_EVENT = "First event"
_WATERFALL = 2  # the column of the bars
_INSET = 4  # pixels between a cell's edge and the time axis, on both sides


def nice_step(span_ms: float, most: int = 6) -> float:
    """A step of 1, 2 or 5 times a power of ten that cuts `span_ms` into at most `most`
    parts: the scale's ticks fall on round numbers."""
    if span_ms <= 0:
        return 1.0
    raw = span_ms / most
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def scale_label(ms: float, step: float) -> str:
    """A tick's text: as many decimals as the step needs, in ms or s."""
    if step >= 1000:
        return f"{ms / 1000:g} s"
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return f"{ms:.{decimals}f} ms"


class _ScaleHeader(QHeaderView):
    """The tree's header; over the waterfall column it draws the time axis's ticks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.axis_ms = 0.0

    def paintSection(  # noqa: N802 - Qt's name
        self, painter: QPainter, rect: QRect, logical_index: int
    ) -> None:
        painter.save()
        super().paintSection(painter, rect, logical_index)
        painter.restore()
        if logical_index != _WATERFALL or self.axis_ms <= 0:
            return
        area = rect.adjusted(_INSET, 0, -_INSET, 0)
        step = nice_step(self.axis_ms)
        metrics = painter.fontMetrics()
        painter.save()
        painter.setPen(palette().qcolor("muted"))
        tick = 0.0
        last_right = -1
        while tick <= self.axis_ms + 1e-9:
            x = area.left() + round(tick / self.axis_ms * area.width())
            painter.drawLine(x, rect.bottom() - 4, x, rect.bottom())
            text = scale_label(tick, step)
            width = metrics.horizontalAdvance(text)
            left = min(max(x - width // 2, area.left()), area.right() - width)
            if left > last_right + 6:  # labels never overlap; a tick may go unlabelled
                painter.drawText(left, rect.bottom() - 6, text)
                last_right = left + width
            tick += step
        painter.restore()

    def sizeHint(self):  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        hint.setHeight(max(hint.height(), self.fontMetrics().height() + 10))
        return hint


class _BarDelegate(QStyledItemDelegate):
    """Paints a phase's bar in the waterfall column."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        bar = index.data(_BAR_ROLE)
        if not bar:
            return
        start, width, phase = bar
        area = option.rect.adjusted(_INSET, 3, -_INSET, -3)
        left = area.left() + int(start * area.width())
        span = max(2, int(width * area.width()))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        # Read at paint time, so a theme switch recolours the bars on the next repaint.
        if phase == _HOP_BAR:
            painter.setBrush(palette().qcolor("muted"))
            middle = area.center().y()
            painter.drawRect(QRect(left, middle - 1, span, 3))
        elif phase == _MARK:  # a line across the row and a diamond on it
            painter.setBrush(palette().qcolor("info"))
            painter.drawRect(QRect(left - 1, area.top(), 2, area.height()))
            half = max(3, area.height() // 3)
            middle = area.center().y()
            painter.drawPolygon(
                [
                    QPoint(left, middle - half),
                    QPoint(left + half, middle),
                    QPoint(left, middle + half),
                    QPoint(left - half, middle),
                ]
            )
        else:
            painter.setBrush(palette().qcolor(f"timing_{phase}"))
            painter.drawRoundedRect(QRect(left, area.top(), span, area.height()), 2, 2)
        painter.restore()


class TimingView(QWidget):
    """Waterfall of the phases of every hop, with Server-Timing entries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        # The waterfall column's header is its time scale (drawn by _ScaleHeader).
        self.tree.setHeaderLabels(["Phase", "Time", ""])
        self.tree.headerItem().setToolTip(_WATERFALL, "One time line for the whole exchange")
        self.tree.setAccessibleName("Timing phases")
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setItemDelegateForColumn(_WATERFALL, _BarDelegate(self.tree))
        self.scale = _ScaleHeader(self.tree)
        self.tree.setHeader(self.scale)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.summary = QLabel("", self)
        self.summary.setAccessibleName("Timing summary")
        self.summary.setWordWrap(True)
        self.legend = QLabel("", self)
        self.legend.setAccessibleName("Timing colours")
        self.legend.setWordWrap(True)
        self.server_tree = QTreeWidget(self)
        self.server_tree.setHeaderLabels(["Server-Timing", "Duration", "Description"])
        self.server_tree.setAccessibleName("Server-Timing entries")
        self.server_tree.setRootIsDecorated(False)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.server_tree)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.legend)
        layout.addWidget(splitter, 1)
        self.axis_ms = 0.0

    def set_response(self, response: Response) -> None:
        """Show the phases of `response` and of each redirect hop before it."""
        self.tree.clear()
        timings = [hop.timing for hop in response.hops] + [response.timing]
        # One axis: the hops one after another; the whole send when it was longer (the
        # time between hops, reading a redirect, is in it but in no hop).
        self.axis_ms = max(sum(t.total for t in timings), response.elapsed_ms, 0.001)
        self.scale.axis_ms = self.axis_ms
        start = 0.0
        for number, hop in enumerate(response.hops, start=1):
            self._add_hop(f"Hop {number}: {hop.status} {hop.reason}", hop.url, hop.timing, start)
            start += hop.timing.total
        final = f"{response.status} {response.reason}".strip()
        label = f"Final: {final}" if response.hops else final
        self._add_hop(label, response.url, response.timing, start)
        self.tree.expandAll()
        self.scale.viewport().update()
        self._fill_legend()
        self._fill_server_timings(response)
        phase_sum = sum(_phase_values(response.timing).values())
        words = (
            f"Total {human_duration(response.elapsed_ms)} for {len(response.hops) + 1} "
            f"exchange(s). Phases of the final exchange add up to "
            f"{human_duration(phase_sum)} of its {human_duration(response.timing.total)}."
        )
        if response.timing.first_event is not None:
            words += (
                f" First event {human_duration(response.timing.first_event)} after the "
                "exchange started; the download lasts as long as the stream."
            )
        self.summary.setText(words)

    def clear(self) -> None:
        self.tree.clear()
        self.server_tree.clear()
        self.summary.setText("")
        self.axis_ms = self.scale.axis_ms = 0.0

    def phase_row(self, phase: str) -> QTreeWidgetItem | None:
        """The row of `phase` ("dns" … "download", as a Pointer names it) of the final
        exchange, or None when it had no such phase (a reused connection has no DNS,
        connect or TLS; plain http no TLS)."""
        names = dict(PHASES)
        final = self.tree.topLevelItem(self.tree.topLevelItemCount() - 1)
        if phase not in names or final is None:
            return None
        for index in range(final.childCount()):
            row = final.child(index)
            if row is not None and row.text(0) == names[phase]:
                return row
        return None

    def refresh_colours(self) -> None:
        """The legend's squares after a theme change (the bars read colours as they paint)."""
        if self.axis_ms:
            self._fill_legend()

    def _fill_legend(self) -> None:
        squares = " ".join(
            f'<span style="color:{getattr(palette(), "timing_" + key)}">■</span>&nbsp;{name}'
            for key, name in PHASES
        )
        scale = human_duration(self.axis_ms).replace(" ", "&nbsp;")
        self.legend.setText(f"{squares} &nbsp;·&nbsp; scale: 0 – {scale}")

    def _add_hop(self, label: str, url: str, timing: Timing, start: float) -> None:
        axis = self.axis_ms
        top = QTreeWidgetItem([label, human_duration(timing.total), ""])
        top.setToolTip(0, url)
        top.setToolTip(2, f"{url}\nstarts at {start:.2f} ms, lasts {timing.total:.3f} ms")
        top.setData(2, _BAR_ROLE, (start / axis, timing.total / axis, _HOP_BAR))
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        self.tree.addTopLevelItem(top)
        if timing.reused:
            note = QTreeWidgetItem(["Connection reused", "—", "no DNS, connect or TLS"])
            top.addChild(note)
        offset = start
        for key, name in PHASES:
            value = getattr(timing, key)
            if value is None:
                continue
            row = QTreeWidgetItem([name, human_duration(value), ""])
            row.setData(2, _BAR_ROLE, (offset / axis, value / axis, key))
            row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.setToolTip(2, f"{name}: starts at {offset:.2f} ms, lasts {value:.3f} ms")
            top.addChild(row)
            offset += value
        if timing.first_event is not None:
            moment = timing.first_event
            row = QTreeWidgetItem([FIRST_EVENT, human_duration(moment), ""])
            row.setData(2, _BAR_ROLE, ((start + moment) / axis, 0.0, _MARK))
            row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.setToolTip(2, f"The first event of the stream arrived at {start + moment:.2f} ms")
            row.setForeground(0, palette().qcolor("info"))
            top.addChild(row)

    def _fill_server_timings(self, response: Response) -> None:
        self.server_tree.clear()
        entries = server_timings(response)
        for entry in entries:
            duration = "" if entry.duration_ms is None else human_duration(entry.duration_ms)
            self.server_tree.addTopLevelItem(
                QTreeWidgetItem([entry.name, duration, entry.description])
            )
        self.server_tree.setVisible(bool(entries))


def _phase_values(timing: Timing) -> dict[str, float]:
    return {key: getattr(timing, key) or 0.0 for key, _name in PHASES}
