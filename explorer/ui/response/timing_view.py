"""The timing waterfall: where the time of each hop went, phase by phase.

A tree with one top-level row per hop (redirects first, the final response last) and
one child row per phase: name, milliseconds, and a bar placed on the hop's own time
line. Values are plain text in their columns, so they can be read by a screen reader
and copied. Server-Timing entries from the response are listed beside it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
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
        area = option.rect.adjusted(4, 3, -4, -3)
        left = area.left() + int(start * area.width())
        span = max(2, int(width * area.width()))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        # Read at paint time, so a theme switch recolours the bars on the next repaint.
        painter.setBrush(palette().qcolor(f"timing_{phase}"))
        painter.drawRoundedRect(QRect(left, area.top(), span, area.height()), 2, 2)
        painter.restore()


class TimingView(QWidget):
    """Waterfall of the phases of every hop, with Server-Timing entries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Phase", "Time", "Waterfall"])
        self.tree.setAccessibleName("Timing phases")
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setItemDelegateForColumn(2, _BarDelegate(self.tree))
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.summary = QLabel("", self)
        self.summary.setAccessibleName("Timing summary")
        self.summary.setWordWrap(True)
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
        layout.addWidget(splitter, 1)

    def set_response(self, response: Response) -> None:
        """Show the phases of `response` and of each redirect hop before it."""
        self.tree.clear()
        for number, hop in enumerate(response.hops, start=1):
            self._add_hop(f"Hop {number}: {hop.status} {hop.reason}", hop.url, hop.timing)
        final = f"{response.status} {response.reason}".strip()
        label = f"Final: {final}" if response.hops else final
        self._add_hop(label, response.url, response.timing)
        self.tree.expandAll()
        self._fill_server_timings(response)
        phase_sum = sum(_phase_values(response.timing).values())
        self.summary.setText(
            f"Total {human_duration(response.elapsed_ms)} for {len(response.hops) + 1} "
            f"exchange(s). Phases of the final exchange add up to "
            f"{human_duration(phase_sum)} of its {human_duration(response.timing.total)}."
        )

    def clear(self) -> None:
        self.tree.clear()
        self.server_tree.clear()
        self.summary.setText("")

    def _add_hop(self, label: str, url: str, timing: Timing) -> None:
        top = QTreeWidgetItem([label, human_duration(timing.total), url])
        top.setToolTip(2, url)
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        self.tree.addTopLevelItem(top)
        if timing.reused:
            note = QTreeWidgetItem(["Connection reused", "—", "no DNS, connect or TLS"])
            top.addChild(note)
        total = timing.total or 1.0
        offset = 0.0
        for key, name in PHASES:
            value = getattr(timing, key)
            if value is None:
                continue
            row = QTreeWidgetItem([name, human_duration(value), ""])
            row.setData(2, _BAR_ROLE, (offset / total, value / total, key))
            row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.setToolTip(2, f"{name}: starts at {offset:.2f} ms, lasts {value:.3f} ms")
            top.addChild(row)
            offset += value

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
