"""A read-only text view for documents of any size.

It keeps no copy of the text: it asks the document for the few lines on screen, lays
them out (`LineLayout`), colours them (`syntax`) and paints them, with a line-number
gutter and JSON fold markers. The vertical scrollbar counts visible lines, as
QPlainTextEdit's does, so a 7-million-line document costs the same to show as a short
one. Selection, caret and search hits are byte offsets into the document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontMetricsF,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from explorer.core.text.fold_map import FoldMap
from explorer.core.text.line_layout import CharMetrics, Document, LineLayout
from explorer.qt.search import SearchEngine
from explorer.ui.response.syntax import TOKENIZERS, Token, scheme
from explorer.ui.widgets.fonts import monospace_font
from explorer.ui.widgets.theme import palette_for

COPY_LIMIT = 32 << 20  # larger selections go through "Save body" instead of the clipboard
_LAYOUT_CACHE = 400
_SCROLL_STEPS = 1 << 30  # the most steps the horizontal scroll bar is given (see _hscale)
_WORD = re.compile(r"\w+")


class TextViewport(QAbstractScrollArea):
    """Shows a `Document`; paints only the visible lines.

    Signals: `selection_changed()`, `copy_refused(int)` (bytes selected, over COPY_LIMIT).
    """

    selection_changed = Signal()
    copy_refused = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Response body text")
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self._ready = False
        self._doc: Document | None = None
        self._tokenize: Callable[[str], list[Token]] | None = None
        self.folds = FoldMap()
        self._wrap = False
        self._top = 0  # visible-line index of the first line on screen
        self._top_row = 0  # first row of that line (wrapped lines)
        self._hscroll = 0.0
        # Pixels per step of the horizontal scroll bar: a scroll bar counts in 32-bit
        # ints, and one line of a 1 GiB minified JSON is about 8 billion pixels wide.
        self._hscale = 1
        self._anchor = self._cursor = 0
        self._goal_x: float | None = None
        self._layouts: dict[int, LineLayout] = {}
        self._max_width = 0.0
        self._search: SearchEngine | None = None
        self.current_match = -1
        self._drag_pos: QPointF | None = None
        self._autoscroll = QTimer(self, interval=40)
        self._autoscroll.timeout.connect(self._on_autoscroll)
        self._repaint = QTimer(self, singleShot=True, interval=16)
        self._repaint.timeout.connect(self._on_document_grew)
        self.verticalScrollBar().valueChanged.connect(self._on_vscroll)
        self.horizontalScrollBar().valueChanged.connect(self._on_hscroll)
        self._add_actions()
        self._ready = True
        self.setFont(monospace_font())
        self._update_metrics()

    # -- public API ----------------------------------------------------------------

    def set_document(
        self, doc: Document | None, syntax: str = "text", folds: FoldMap | None = None
    ) -> None:
        """Show another document from its first line; selection and folds are reset."""
        self._doc = doc
        self._tokenize = TOKENIZERS.get(syntax)
        self.folds = folds or FoldMap()
        self._top = self._top_row = 0
        self._hscroll = 0.0
        self._anchor = self._cursor = 0
        self._goal_x = None
        self._max_width = 0.0
        self.current_match = -1
        self._layouts.clear()
        self._update_metrics()
        self._update_scrollbars()
        self.viewport().update()
        self.selection_changed.emit()

    def document(self) -> Document | None:
        """The document shown."""
        return self._doc

    def set_folds(self, folds: FoldMap) -> None:
        """Fold ranges arrived after the text (the formatter computes them last)."""
        self.folds = folds
        self._update_metrics()
        self.viewport().update()

    def document_changed(self) -> None:
        """The document grew (or restarted); repaint soon, coalescing bursts."""
        if not self._repaint.isActive():
            self._repaint.start()

    def set_search(self, engine: SearchEngine | None) -> None:
        """Highlight the matches of `engine`."""
        self._search = engine
        self.viewport().update()

    def set_word_wrap(self, on: bool) -> None:
        """Wrap long lines at the view's width, or scroll sideways."""
        if on == self._wrap:
            return
        keep = self._line_at_top()
        self._wrap = on
        self._hscroll = 0.0
        self._layouts.clear()
        self._top, self._top_row = self.folds.to_visible(keep), 0
        self.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if on else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self._update_scrollbars()
        self.viewport().update()

    def selection(self) -> tuple[int, int]:
        """Selected byte range (start, end) in the document; empty when start == end."""
        return min(self._anchor, self._cursor), max(self._anchor, self._cursor)

    def select_range(self, start: int, end: int, center: bool = True) -> None:
        """Select bytes [start, end) and scroll them into view."""
        self._anchor, self._cursor = start, end
        self._goal_x = None
        self._reveal(start, center=center)
        self.viewport().update()
        self.selection_changed.emit()

    def select_all(self) -> None:
        """Select the whole document."""
        if self._doc is not None:
            self._anchor, self._cursor = 0, self._doc.size
            self.viewport().update()
            self.selection_changed.emit()

    def selected_text(self) -> str:
        """The selected text (exact bytes of the document, decoded)."""
        start, end = self.selection()
        if self._doc is None or end <= start:
            return ""
        return self._doc.read(start, end).decode("utf-8", errors="replace")

    def copy(self) -> bool:
        """Copy the selection to the clipboard; False when too large or empty."""
        start, end = self.selection()
        if end - start > COPY_LIMIT:
            self.copy_refused.emit(end - start)
            return False
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)
        return bool(text)

    def cursor_offset(self) -> int:
        """Byte offset of the caret."""
        return self._cursor

    def first_visible_line(self) -> int:
        """Document line at the top of the view."""
        return self._line_at_top()

    def visible_lines(self) -> list[int]:
        """Document lines that are (at least partly) on screen, in order."""
        lines, rows, visible = [], 0, self._top
        count = self._visible_count()
        while rows < self._rows_per_page() and visible < count:
            line = self.folds.to_line(visible)
            lines.append(line)
            rows += self._layout(line).row_count - (self._top_row if visible == self._top else 0)
            visible += 1
        return lines

    def toggle_fold(self, line: int) -> bool:
        """Collapse or expand the fold starting at `line`."""
        keep = self._line_at_top()
        if not self.folds.toggle(line):
            return False
        self._after_folding(keep)
        return True

    def expand_all(self) -> None:
        """Expand every collapsed fold."""
        keep = self._line_at_top()
        self.folds.expand_all()
        self._after_folding(keep)

    # -- geometry ------------------------------------------------------------------

    def _update_metrics(self) -> None:
        fm = QFontMetricsF(self.font())
        self._metrics = CharMetrics(fm.horizontalAdvance("M"), fm.horizontalAdvance)
        self._line_height = math.ceil(fm.lineSpacing())
        self._ascent = fm.ascent()
        cell = self._metrics.cell
        lines = self._doc.line_count if self._doc is not None else 1
        digits = max(3, len(str(lines)))
        self._number_right = cell * (digits + 1)
        self._fold_width = cell * 1.8 if len(self.folds.starts) else 0.0
        self._gutter = self._number_right + cell * 0.6 + self._fold_width
        self._text_x = self._gutter + cell * 0.6
        self._layouts.clear()

    def _text_width(self) -> float:
        return max(self._metrics.cell * 4, self.viewport().width() - self._text_x - 4)

    def _rows_per_page(self) -> int:
        return max(1, self.viewport().height() // self._line_height)

    def _visible_count(self) -> int:
        return self.folds.visible_count(self._doc.line_count) if self._doc is not None else 0

    def _layout(self, line: int) -> LineLayout:
        layout = self._layouts.get(line)
        if layout is None:
            assert self._doc is not None
            width = self._text_width() if self._wrap else None
            layout = LineLayout(self._doc, line, self._metrics, width)
            if len(self._layouts) >= _LAYOUT_CACHE:
                self._layouts.pop(next(iter(self._layouts)))
            self._layouts[line] = layout
            if not self._wrap and layout.width > self._max_width:
                self._max_width = layout.width
                QTimer.singleShot(0, self, self._update_scrollbars)
        return layout

    def _line_at_top(self) -> int:
        return self.folds.to_line(self._top) if self._doc is not None else 0

    def _max_top(self) -> int:
        count = self._visible_count()
        page = self._rows_per_page()
        if not self._wrap:
            return max(0, count - page)
        rows, visible = 0, count
        while visible > 0 and rows < page:
            visible -= 1
            rows += self._layout(self.folds.to_line(visible)).row_count
        return visible + (1 if rows > page and visible < count - 1 else 0)

    def _update_scrollbars(self) -> None:
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.blockSignals(True)
        vbar.setRange(0, self._max_top() if self._doc is not None else 0)
        vbar.setPageStep(self._rows_per_page())
        vbar.setSingleStep(1)
        vbar.setValue(self._top)
        vbar.blockSignals(False)
        hbar.blockSignals(True)
        text_width = self._text_width()
        extra = 0 if self._wrap else math.ceil(self._max_width + self._metrics.cell - text_width)
        extra = max(0, extra)
        self._hscale = max(1, -(-extra // _SCROLL_STEPS))
        hbar.setRange(0, extra // self._hscale)
        hbar.setPageStep(max(1, int(text_width / self._hscale)))
        hbar.setSingleStep(max(1, int(self._metrics.cell * 3 / self._hscale)))
        hbar.setValue(int(self._hscroll / self._hscale))
        hbar.blockSignals(False)

    def _set_top(self, visible: int, row: int) -> None:
        visible = max(0, min(visible, max(0, self._visible_count() - 1)))
        if not self._wrap:
            visible, row = min(visible, self._max_top()), 0
        self._top, self._top_row = visible, row
        self.verticalScrollBar().blockSignals(True)
        self.verticalScrollBar().setValue(visible)
        self.verticalScrollBar().blockSignals(False)
        self.viewport().update()

    def _scroll_rows(self, delta: int) -> None:
        """Scroll by screen rows (wrapped lines scroll row by row)."""
        if self._doc is None:
            return
        if not self._wrap:
            self._set_top(self._top + delta, 0)
            return
        visible, row = self._top, self._top_row + delta
        while row < 0 and visible > 0:
            visible -= 1
            row += self._layout(self.folds.to_line(visible)).row_count
        count, max_top = self._visible_count(), self._max_top()
        while visible < count - 1:
            rows = self._layout(self.folds.to_line(visible)).row_count
            if row < rows:
                break
            row -= rows
            visible += 1
        if visible >= max_top:
            visible, row = max_top, 0 if visible > max_top else row
        self._set_top(visible, max(0, row))

    # -- events: scrolling and size ------------------------------------------------

    def _on_vscroll(self, value: int) -> None:
        if value != self._top:
            self._top, self._top_row = value, 0
            self.viewport().update()

    def _on_hscroll(self, value: int) -> None:
        self._hscroll = float(value * self._hscale)
        self.viewport().update()

    def _on_document_grew(self) -> None:
        if self._doc is None:
            return
        last = self._doc.line_count - 1
        for line in [key for key in self._layouts if key >= last - 1]:
            del self._layouts[line]  # the last line may have been partial
        if len(str(self._doc.line_count)) != len(str(max(1, last))):
            self._update_metrics()
        self._top = min(self._top, max(0, self._visible_count() - 1))
        self._update_scrollbars()
        if self._search is not None:
            self._search.resume()
        self.viewport().update()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Re-wrap for the new width and refit the scrollbars."""
        super().resizeEvent(event)
        if self._wrap:
            self._layouts.clear()
        self._update_scrollbars()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Font or palette changed: recompute sizes and colours."""
        super().changeEvent(event)
        if self._ready and event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._update_metrics()
            self._update_scrollbars()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        """Three rows per notch; sideways with Shift or a horizontal wheel."""
        delta = event.angleDelta()
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        sideways = delta.x() or (delta.y() if shift else 0)
        if sideways and not self._wrap:
            hbar = self.horizontalScrollBar()
            pixels = sideways / 120 * self._metrics.cell * 6
            hbar.setValue(hbar.value() - (int(pixels / self._hscale) or (1 if pixels > 0 else -1)))
        elif delta.y():
            self._scroll_rows(-round(delta.y() / 120 * 3) or (-1 if delta.y() > 0 else 1))
        event.accept()

    # -- painting ------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Paint gutter and text of the visible rows only."""
        painter = QPainter(self.viewport())
        palette = self.palette()
        rect = self.viewport().rect()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
        gutter_bg = palette.color(QPalette.ColorRole.Window)
        painter.fillRect(QRectF(0, 0, self._gutter, rect.height()), gutter_bg)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(QPointF(self._gutter, 0), QPointF(self._gutter, rect.height()))
        if self._doc is None:
            return
        painter.setFont(self.font())
        context = _PaintContext(self, palette)
        y, visible, count = 0, self._top, self._visible_count()
        first_row = self._top_row
        while y < rect.height() and visible < count:
            line = self.folds.to_line(visible)
            layout = self._layout(line)
            for row in range(min(first_row, layout.row_count - 1), layout.row_count):
                self._paint_row(painter, context, layout, row, y)
                y += self._line_height
                if y >= rect.height():
                    break
            first_row = 0
            visible += 1
        painter.end()

    def _paint_row(
        self, painter: QPainter, ctx: _PaintContext, layout: LineLayout, row: int, y: int
    ) -> None:
        start, stop = layout.row_range(row)
        origin = self._text_x - (0.0 if self._wrap else self._hscroll) - layout.x_of(start)
        if row == 0:
            self._paint_gutter(painter, ctx, layout.line, y)
        left = self._text_x
        right = self.viewport().width()
        first = layout.char_at(row, left - origin - layout.x_of(start) - self._metrics.cell)
        last = layout.char_at(row, right - origin - layout.x_of(start) + self._metrics.cell)
        row_bytes = (layout.byte_of(start), layout.byte_of(stop))
        is_last_row = row == layout.row_count - 1
        if layout.line == ctx.cursor_line and not ctx.has_selection:
            painter.fillRect(QRectF(left, y, right - left, self._line_height), ctx.current_line)
        if self._search is not None and self._search.count:
            for index in self._search.in_range(row_bytes[0], row_bytes[1] + 1):
                colour = ctx.current_match if index == self.current_match else ctx.match
                self._fill_span(painter, layout, origin, y, self._search.starts[index],
                                self._search.ends[index], colour)  # fmt: skip
        if ctx.has_selection:
            lo, hi = ctx.selection
            if lo <= row_bytes[1] and hi > row_bytes[0]:
                self._fill_span(painter, layout, origin, y, lo, hi, ctx.selected)
                if hi > layout.end and is_last_row:
                    x = origin + layout.x_of(stop)
                    painter.fillRect(QRectF(x, y, self._metrics.cell / 2, self._line_height),
                                     ctx.selected)  # fmt: skip
        self._paint_text(painter, ctx, layout, max(start, first), min(stop, last), origin, y)
        if is_last_row and self.folds.is_collapsed(layout.line):
            self._paint_fold_hint(painter, ctx, layout, origin + layout.x_of(stop), y)
        if ctx.show_caret and ctx.cursor_line == layout.line:
            char = layout.char_of_byte(self._cursor)
            if layout.row_of_char(char) == row:
                x = origin + layout.x_of(char)
                painter.fillRect(QRectF(x, y, 1.5, self._line_height), ctx.text)

    def _fill_span(
        self, painter: QPainter, layout: LineLayout, origin: float, y: int, lo: int, hi: int,
        colour: QColor,
    ) -> None:  # fmt: skip
        first = layout.x_of(layout.char_of_byte(max(lo, layout.start)))
        last = layout.x_of(layout.char_of_byte(min(hi, layout.end)))
        if last > first:
            painter.fillRect(QRectF(origin + first, y, last - first, self._line_height), colour)

    def _paint_text(
        self, painter: QPainter, ctx: _PaintContext, layout: LineLayout, start: int, stop: int,
        origin: float, y: int,
    ) -> None:  # fmt: skip
        if stop <= start:
            return
        baseline = y + self._ascent + (self._line_height - self._ascent) * 0.15
        if layout.is_long:
            text = layout.segment(start, stop)
            tokens = [(a + start, b + start, s) for a, b, s in self._tokens_for(text)]
            getter = lambda a, b: text[a - start : b - start]  # noqa: E731
        else:
            cached: list[Token] | None = getattr(layout, "tokens", None)
            if cached is None:
                # Kept on the layout, which the viewport caches per line and drops on edits.
                cached = self._tokens_for(layout.text)
                layout.tokens = cached  # type: ignore[attr-defined]
            tokens = cached
            line_text = layout.text
            getter = lambda a, b: line_text[a:b]  # noqa: E731
        pos = start
        for tok_start, tok_end, style in tokens:
            if tok_end <= start:
                continue
            if tok_start >= stop:
                break
            if tok_start > pos:
                self._draw_run(painter, layout, getter, pos, tok_start, origin, baseline, ctx.text)
            a, b = max(tok_start, start), min(tok_end, stop)
            colour = ctx.colours.get(style, ctx.text)
            self._draw_run(painter, layout, getter, a, b, origin, baseline, colour)
            pos = b
        if pos < stop:
            self._draw_run(painter, layout, getter, pos, stop, origin, baseline, ctx.text)

    def _tokens_for(self, text: str) -> list[tuple[int, int, str]]:
        return self._tokenize(text) if self._tokenize is not None else []

    def _draw_run(
        self, painter: QPainter, layout: LineLayout, getter, start: int, stop: int,
        origin: float, baseline: float, colour: QColor,
    ) -> None:  # fmt: skip
        painter.setPen(colour)
        text = getter(start, stop)
        if "\t" not in text:
            painter.drawText(QPointF(origin + layout.x_of(start), baseline), text)
            return
        pos = start
        for piece in text.split("\t"):
            if piece:
                painter.drawText(QPointF(origin + layout.x_of(pos), baseline), piece)
            pos += len(piece) + 1

    def _paint_gutter(self, painter: QPainter, ctx: _PaintContext, line: int, y: int) -> None:
        painter.setPen(ctx.text if line == ctx.cursor_line else ctx.gutter_text)
        number_rect = QRectF(0, y, self._number_right, self._line_height)
        painter.drawText(number_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         str(line + 1))  # fmt: skip
        if not self._fold_width or self.folds.fold_at(line) is None:
            return
        size = self._metrics.cell * 0.7
        cx = self._number_right + self._metrics.cell * 0.6 + self._fold_width / 2
        cy = y + self._line_height / 2
        path = QPainterPath()
        if self.folds.is_collapsed(line):
            path.moveTo(cx - size / 3, cy - size / 2)
            path.lineTo(cx + size / 2, cy)
            path.lineTo(cx - size / 3, cy + size / 2)
        else:
            path.moveTo(cx - size / 2, cy - size / 3)
            path.lineTo(cx + size / 2, cy - size / 3)
            path.lineTo(cx, cy + size / 2)
        path.closeSubpath()
        painter.fillPath(path, ctx.gutter_text)

    def _paint_fold_hint(
        self, painter: QPainter, ctx: _PaintContext, layout: LineLayout, x: float, y: int
    ) -> None:
        assert self._doc is not None
        end_line = self.folds.collapsed[layout.line]
        start, end = self._doc.line_span(end_line)
        closing = self._doc.read(start, min(end, start + 200)).decode("utf-8", "replace").strip()
        hidden = end_line - layout.line
        label = f" \u22ef {hidden:,} lines "
        fm = QFontMetricsF(self.font())
        box = QRectF(x + self._metrics.cell * 0.5, y + 1, fm.horizontalAdvance(label),
                     self._line_height - 2)  # fmt: skip
        painter.setPen(ctx.gutter_text)
        painter.setBrush(ctx.current_line)
        painter.drawRoundedRect(box, 3, 3)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
        painter.setPen(ctx.colours.get("punct", ctx.text))
        baseline = y + self._ascent + (self._line_height - self._ascent) * 0.15
        painter.drawText(QPointF(box.right() + self._metrics.cell * 0.5, baseline), closing)

    # -- hit testing ---------------------------------------------------------------

    def _hit(self, pos: QPointF) -> tuple[LineLayout, int] | None:
        """The line layout and row under a point (clamped to the document)."""
        if self._doc is None:
            return None
        row_index = int(pos.y() // self._line_height)
        visible, row, count = self._top, self._top_row, self._visible_count()
        layout = self._layout(self.folds.to_line(visible))
        if pos.y() < 0:
            return layout, row
        while row_index > 0:
            if row + 1 < layout.row_count:
                row += 1
            elif visible + 1 < count:
                visible, row = visible + 1, 0
                layout = self._layout(self.folds.to_line(visible))
            else:
                break
            row_index -= 1
        return layout, row

    def line_at(self, pos: QPointF) -> int:
        """The document line under a point of the viewport (-1 without a document)."""
        hit = self._hit(pos)
        return hit[0].line if hit is not None else -1

    def _offset_at(self, pos: QPointF) -> int:
        hit = self._hit(pos)
        if hit is None:
            return 0
        layout, row = hit
        x = pos.x() - self._text_x + (0.0 if self._wrap else self._hscroll)
        return layout.byte_of(layout.char_at(row, x))

    def _locate(self, offset: int) -> tuple[int, LineLayout, int, int]:
        """(visible index, layout, row, char) of a byte offset."""
        assert self._doc is not None
        line = self._doc.line_of_offset(offset)
        if self.folds.is_hidden(line):
            self.folds.expand_to_show(line)
            self._update_scrollbars()
        layout = self._layout(line)
        char = layout.char_of_byte(offset)
        return self.folds.to_visible(line), layout, layout.row_of_char(char), char

    def _reveal(self, offset: int, center: bool = False) -> None:
        """Scroll so the caret at `offset` is on screen."""
        if self._doc is None:
            return
        visible, layout, row, char = self._locate(offset)
        page = self._rows_per_page()
        if (visible, row) < (self._top, self._top_row):
            self._set_top(visible - (page // 3 if center else 0), 0 if center else row)
        else:
            rows, probe, far = 0, self._top, False
            while probe < visible:
                if rows > page:
                    far = True
                    break
                rows += self._layout(self.folds.to_line(probe)).row_count
                probe += 1
            rows += row - (self._top_row if visible == self._top else 0)
            if far or rows >= page:
                if center:
                    self._set_top(visible - page // 3, 0)
                elif far:  # the target row goes to the bottom of the page
                    self._top, self._top_row = visible, row
                    self._scroll_rows(-(page - 1))
                else:
                    self._scroll_rows(rows - page + 1)
        if not self._wrap:
            x = layout.x_of(char)
            width = self._text_width()
            self._max_width = max(self._max_width, layout.width)
            self._update_scrollbars()
            if x < self._hscroll or x > self._hscroll + width - self._metrics.cell:
                self.horizontalScrollBar().setValue(int(max(0.0, x - width / 3) / self._hscale))

    # -- events: mouse and keys ----------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Caret, shift-extend, fold markers and line selection in the gutter."""
        if event.button() != Qt.MouseButton.LeftButton or self._doc is None:
            return super().mousePressEvent(event)
        pos = event.position()
        if pos.x() < self._gutter:
            hit = self._hit(pos)
            if hit is None:
                return None
            line = hit[0].line
            if pos.x() >= self._number_right and self.folds.fold_at(line) is not None:
                self.toggle_fold(line)
            else:
                start, end = self._doc.line_span(line)
                self.select_range(start, min(self._doc.size, end + 1), center=False)
            return None
        offset = self._offset_at(pos)
        self._cursor = offset
        if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._anchor = offset
        self._goal_x = None
        self._drag_pos = pos
        self.viewport().update()
        self.selection_changed.emit()
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Drag to select; scrolls when dragged past the top or bottom."""
        if self._drag_pos is None or self._doc is None:
            return
        self._drag_pos = event.position()
        self._cursor = self._offset_at(self._drag_pos)
        outside = self._drag_pos.y() < 0 or self._drag_pos.y() > self.viewport().height()
        if outside and not self._autoscroll.isActive():
            self._autoscroll.start()
        elif not outside:
            self._autoscroll.stop()
        self.viewport().update()
        self.selection_changed.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """End of a drag."""
        self._drag_pos = None
        self._autoscroll.stop()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Select the word under the pointer."""
        hit = self._hit(event.position()) if event.position().x() >= self._gutter else None
        if hit is None:
            return
        layout, _ = hit
        char = layout.char_of_byte(self._offset_at(event.position()))
        text = layout.text if not layout.is_long else ""
        for match in _WORD.finditer(text):
            if match.start() <= char <= match.end():
                self._anchor = layout.byte_of(match.start())
                self._cursor = layout.byte_of(match.end())
                self.viewport().update()
                self.selection_changed.emit()
                return

    def _on_autoscroll(self) -> None:
        if self._drag_pos is None:
            self._autoscroll.stop()
            return
        y = self._drag_pos.y()
        if y < 0:
            step = -max(1, int(-y // self._line_height))
        else:
            step = max(1, int((y - self.viewport().height()) // self._line_height))
        self._scroll_rows(step)
        self._cursor = self._offset_at(self._drag_pos)
        self.viewport().update()
        self.selection_changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Caret movement (Shift extends), paging, Ctrl+Home/End, copy, select all."""
        if self._doc is None:
            return super().keyPressEvent(event)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return None
        if event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
            return None
        key = event.key()
        mods = event.modifiers()
        extend = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        page = self._rows_per_page()
        K = Qt.Key  # noqa: N806 - short, so the key table below reads as a table
        if key in (K.Key_Up, K.Key_Down):
            self._move_rows(-1 if key == K.Key_Up else 1, extend)
        elif key in (K.Key_PageUp, K.Key_PageDown):
            delta = -page if key == K.Key_PageUp else page
            self._scroll_rows(delta)
            self._move_rows(delta, extend)
        elif key in (K.Key_Left, K.Key_Right):
            self._move_chars(-1 if key == K.Key_Left else 1, extend)
        elif key in (K.Key_Home, K.Key_End):
            if ctrl:
                self._move_to(0 if key == K.Key_Home else self._doc.size, extend)
            else:
                _, layout, row, _ = self._locate(self._cursor)
                start, stop = layout.row_range(row)
                self._move_to(layout.byte_of(start if key == K.Key_Home else stop), extend)
        else:
            return super().keyPressEvent(event)
        return None

    def _move_to(self, offset: int, extend: bool, keep_goal: bool = False) -> None:
        self._cursor = offset
        if not extend:
            self._anchor = offset
        if not keep_goal:
            self._goal_x = None
        self._reveal(offset)
        self.viewport().update()
        self.selection_changed.emit()

    def _move_chars(self, delta: int, extend: bool) -> None:
        assert self._doc is not None
        visible, layout, _, char = self._locate(self._cursor)
        char += delta
        if char < 0:
            if visible == 0:
                return
            layout = self._layout(self.folds.to_line(visible - 1))
            char = layout.length
        elif char > layout.length:
            if visible + 1 >= self._visible_count():
                return
            layout = self._layout(self.folds.to_line(visible + 1))
            char = 0
        self._move_to(layout.byte_of(char), extend)

    def _move_rows(self, delta: int, extend: bool) -> None:
        visible, layout, row, char = self._locate(self._cursor)
        if self._goal_x is None:
            self._goal_x = layout.x_of(char) - layout.x_of(layout.row_range(row)[0])
        count = self._visible_count()
        step = 1 if delta > 0 else -1
        for _ in range(abs(delta)):
            if 0 <= row + step < layout.row_count:
                row += step
            elif 0 <= visible + step < count:
                visible += step
                layout = self._layout(self.folds.to_line(visible))
                row = 0 if step > 0 else layout.row_count - 1
            else:
                char = 0 if step < 0 else layout.length
                self._move_to(layout.byte_of(char), extend, keep_goal=True)
                return
        self._move_to(layout.byte_of(layout.char_at(row, self._goal_x)), extend, keep_goal=True)

    def _after_folding(self, keep_line: int) -> None:
        self._top, self._top_row = self.folds.to_visible(keep_line), 0
        self._update_scrollbars()
        self._set_top(self._top, 0)

    def _add_actions(self) -> None:
        copy = QAction("Copy", self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy)
        select_all = QAction("Select all", self)
        select_all.setShortcut(QKeySequence.StandardKey.SelectAll)
        select_all.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        select_all.triggered.connect(self.select_all)
        self.addActions([copy, select_all])
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)


class _PaintContext:
    """Colours and per-paint facts, computed once per paint event."""

    def __init__(self, view: TextViewport, palette: QPalette) -> None:
        self.text = palette.color(QPalette.ColorRole.Text)
        self.gutter_text = palette.color(QPalette.ColorRole.PlaceholderText)
        self.colours = scheme(palette)
        selected = QColor(palette.color(QPalette.ColorRole.Highlight))
        selected.setAlpha(120)
        self.selected = selected
        base = palette.color(QPalette.ColorRole.Base)
        dark = base.lightness() < 128
        # A faint tint of the background: AlternateBase is far too strong in some themes.
        self.current_line = base.lighter(125) if dark else base.darker(105)
        colours = palette_for(palette)
        self.match = colours.qcolor("search_match")
        self.current_match = colours.qcolor("search_current_match")
        self.selection = view.selection()
        self.has_selection = self.selection[1] > self.selection[0]
        doc = view.document()
        self.cursor_line = doc.line_of_offset(view.cursor_offset()) if doc is not None else -1
        self.show_caret = view.hasFocus()
