"""The results of a run as a list: one row per request, failures first, each
expandable (in place) to its assertions and captured values.

Rows arrive in batches (see `explorer.qt.run_worker`): `append` inserts a whole batch
with at most two insertions, one at the end of the failures and one at the end of the
list, and the model is flat (a table, not a tree) so that an insertion costs the view
nothing per row already listed: a tree view lays out every row again after each
insertion, which at 10,000 results took 200-300 ms a batch. A result's details are
rows inserted under it when it is expanded, and removed when it is collapsed; only the
expanded results are indexed (by bisection), so finding a row stays cheap.

Memory is bounded: at most `MAX_ROWS` results of each kind are listed (the totals
still count every result), and a row holds no body.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

from explorer.core.resolve.secret_forms import MASK
from explorer.core.units import human_duration, human_size
from explorer.qt.run_worker import RunRow
from explorer.ui.widgets.palette import STATUS_ROLES
from explorer.ui.widgets.theme import palette

Index = QModelIndex | QPersistentModelIndex

MAX_ROWS = 50_000  # listed results of each kind (failures, passes); more are only counted
COLUMNS = ("", "Method", "Request", "Status", "Time", "Size", "Assertions", "Explain", "Iteration")
(
    COL_EXPAND,
    COL_METHOD,
    COL_REQUEST,
    COL_STATUS,
    COL_TIME,
    COL_SIZE,
    COL_CHECKS,
    COL_FINDINGS,  # hidden unless the run explains (results_view)
    COL_ITERATION,
) = range(len(COLUMNS))
# The marks of the findings counted in a result's row, most serious first.
FINDING_MARKS = (("error", "✖", "error"), ("warning", "⚠", "warning"), ("info", "\u2139", "info"))
MAX_TOOLTIP_FINDINGS = 5
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the RunRow of a row (a detail row: its result's)
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "result", "assertion" or "capture"
EXPANDED, COLLAPSED = "▾", "▸"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


CELL_CACHE = 512  # rows whose cells are kept worked out (a few screens of them)


@dataclass(frozen=True)
class Cell:
    """What one cell shows: text, the palette role of its colour (None: the view's
    text colour), a mark ("passed", "failed", "error") and how it sits."""

    text: str = ""
    role: str | None = None
    icon: str | None = None
    small_icon: bool = False
    align: int = 0
    italic: bool = False


_EMPTY = Cell()


@dataclass
class Totals:
    """What the header shows; counted as results arrive."""

    requests: int = 0  # results received
    passed: int = 0  # got a response and passed every assertion
    failed: int = 0  # a response came, but an assertion (or a script) failed
    errors: int = 0  # no response (refused, timed out, cancelled, not sent)
    assertions_passed: int = 0
    assertions_failed: int = 0

    def add(self, row: RunRow) -> None:
        self.requests += 1
        self.assertions_passed += row.checks_passed
        self.assertions_failed += row.checks_failed
        if not row.answered:
            self.errors += 1
        elif not row.passed:
            self.failed += 1
        else:
            self.passed += 1


def details(row: RunRow) -> int:
    """How many detail rows a result has (its assertions, then its captures)."""
    return len(row.assertions) + len(row.captured)


class RunResultsModel(QAbstractTableModel):
    """Results of one run: failures (errors included) first, then passes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.failures: list[RunRow] = []
        self.passes: list[RunRow] = []
        self.totals = Totals()
        self.unlisted = 0  # results counted but not listed (past MAX_ROWS)
        self.failures_only = False
        self.batches = 0  # insert batches so far (tests read it)
        # serial -> (failed?, index in its list): where a result is
        self._where: dict[int, tuple[bool, int]] = {}
        self._expanded: set[int] = set()  # serials of the expanded results
        # The expanded results shown, by position in the list of results ("tops"):
        self._tops: list[int] = []  # their positions, ascending
        self._sizes: list[int] = []  # their detail rows
        self._starts: list[int] = []  # their rows in the model
        self._before: list[int] = [0]  # detail rows above the i-th of them
        # The cells of the results painted lately, by (serial, detail row or -1).
        self._cells: dict[tuple[int, int], tuple[Cell, ...]] = {}

    # ---- feeding ------------------------------------------------------------------------

    def clear(self) -> None:
        self.beginResetModel()
        self.failures, self.passes, self._where = [], [], {}
        self.totals, self.unlisted, self.batches = Totals(), 0, 0
        self._expanded = set()
        self._cells = {}
        self._reindex()
        self.endResetModel()

    def append(self, rows: list[RunRow]) -> None:
        """Add a batch of results: one insertion into each block at most."""
        new_failures: list[RunRow] = []
        new_passes: list[RunRow] = []
        for row in rows:
            self.totals.add(row)
            target = new_failures if not row.passed else new_passes
            existing = self.failures if not row.passed else self.passes
            if len(existing) + len(target) >= MAX_ROWS:
                self.unlisted += 1
                continue
            target.append(row)
        if new_failures:
            at = self._row_of_top(len(self.failures))
            self.beginInsertRows(QModelIndex(), at, at + len(new_failures) - 1)
            first = len(self.failures)
            for offset, row in enumerate(new_failures):
                self._where[row.serial] = (True, first + offset)
            self.failures.extend(new_failures)
            if self._tops:
                self._reindex()  # the passes below moved down
            self.endInsertRows()
        if new_passes:
            first = len(self.passes)
            for offset, row in enumerate(new_passes):
                self._where[row.serial] = (False, first + offset)
            if self.failures_only:
                self.passes.extend(new_passes)
            else:
                at = self.rowCount()
                self.beginInsertRows(QModelIndex(), at, at + len(new_passes) - 1)
                self.passes.extend(new_passes)
                self.endInsertRows()
        if new_failures or new_passes:
            self.batches += 1

    def set_failures_only(self, only: bool) -> None:
        if only != self.failures_only:
            self.beginResetModel()
            self.failures_only = only
            self._reindex()
            self.endResetModel()

    # ---- expanding ----------------------------------------------------------------------

    def is_expanded(self, row: int) -> bool:
        top, detail = self.locate(row)
        result = self._top(top)
        return detail < 0 and result is not None and result.serial in self._expanded

    def toggle(self, row: int) -> bool:
        """Expand or collapse the result at model row `row`; False when it has no
        details (or `row` is a detail row)."""
        top, detail = self.locate(row)
        result = self._top(top)
        if detail >= 0 or result is None or not details(result):
            return False
        size = details(result)
        if result.serial in self._expanded:
            self.beginRemoveRows(QModelIndex(), row + 1, row + size)
            self._expanded.discard(result.serial)
            self._reindex()
            self.endRemoveRows()
        else:
            self.beginInsertRows(QModelIndex(), row + 1, row + size)
            self._expanded.add(result.serial)
            self._reindex()
            self.endInsertRows()
        marker = self.index(row, COL_EXPAND)
        self.dataChanged.emit(marker, marker)
        return True

    def _reindex(self) -> None:
        """Index the expanded results shown, by their position in the list."""
        shown = []
        for serial in self._expanded:
            top = self._top_of(serial)
            if top is not None:
                shown.append(top)
        shown.sort()
        self._tops = shown
        self._sizes = [details(self._top(t)) for t in shown]  # type: ignore[arg-type]
        self._before = [0]
        for size in self._sizes:
            self._before.append(self._before[-1] + size)
        self._starts = [t + self._before[i] for i, t in enumerate(shown)]

    def locate(self, row: int) -> tuple[int, int]:
        """(position of the result in the list, its detail row or -1) at model `row`."""
        j = bisect_right(self._starts, row) - 1
        if j < 0:
            return row, -1
        offset = row - self._starts[j]
        if offset <= self._sizes[j]:
            return self._tops[j], offset - 1
        return self._tops[j] + offset - self._sizes[j], -1

    def _row_of_top(self, top: int) -> int:
        """The model row of the result at list position `top`."""
        return top + self._before[bisect_left(self._tops, top)]

    # ---- reading ------------------------------------------------------------------------

    def row_at(self, index: Index) -> RunRow | None:
        """The result of a result row or of one of its detail rows."""
        if not index.isValid():
            return None
        return self._top(self.locate(index.row())[0])

    def failed_rows(self) -> list[RunRow]:
        return list(self.failures)

    def all_rows(self) -> list[RunRow]:
        """Every listed result in the order they arrived."""
        return sorted(self.failures + self.passes, key=lambda r: r.serial)

    def index_of(self, serial: int) -> QModelIndex:
        top = self._top_of(serial)
        return QModelIndex() if top is None else self.index(self._row_of_top(top), 0)

    def _top_count(self) -> int:
        return len(self.failures) + (0 if self.failures_only else len(self.passes))

    def _top_of(self, serial: int) -> int | None:
        where = self._where.get(serial)
        if where is None:
            return None
        failed, at = where
        if failed:
            return at
        return None if self.failures_only else len(self.failures) + at

    def _top(self, top: int) -> RunRow | None:
        if 0 <= top < len(self.failures):
            return self.failures[top]
        top -= len(self.failures)
        if not self.failures_only and 0 <= top < len(self.passes):
            return self.passes[top]
        return None

    # ---- the Qt model -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's
        return 0 if parent.isValid() else self._top_count() + self._before[-1]

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def cell(self, row: int, column: int) -> Cell:
        """What the cell at (`row`, `column`) shows, in one call (the list on screen is
        filled from this, explorer.ui.runner.results_list)."""
        top, detail = self.locate(row)
        result = self._top(top)
        if result is None:
            return _EMPTY
        if column == COL_EXPAND:
            if detail >= 0 or not details(result):
                return _EMPTY
            marker = EXPANDED if result.serial in self._expanded else COLLAPSED
            return Cell(marker, "muted", align=_CENTRE)
        key = (result.serial, detail)
        cells = self._cells.get(key)
        if cells is None:
            if len(self._cells) >= CELL_CACHE:
                self._cells.clear()
            cells = _result_cells(result) if detail < 0 else _detail_cells(result, detail)
            self._cells[key] = cells
        return cells[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        top, detail = self.locate(index.row())
        row = self._top(top)
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        if role == KIND_ROLE:
            if detail < 0:
                return "result"
            return "assertion" if detail < len(row.assertions) else "capture"
        if role == Qt.ItemDataRole.ToolTipRole:
            if detail < 0:
                return _result_tooltip(row)
            if detail < len(row.assertions):
                return _assertion_tooltip(row.assertions[detail])
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == COL_REQUEST:
            text = self.cell(index.row(), COL_REQUEST).text
            if detail >= 0:
                return text
            state = "no response" if not row.answered else "passed" if row.passed else "failed"
            return f"{state}: {row.method} {text}"
        shown = self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return shown.text
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(getattr(palette(), shown.role)) if shown.role else None
        if role == Qt.ItemDataRole.DecorationRole and shown.icon:
            return mark_icon(shown.icon, shown.small_icon)
        if role == Qt.ItemDataRole.TextAlignmentRole and shown.align:
            return shown.align
        if role == Qt.ItemDataRole.FontRole and shown.italic:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def forget_cells(self) -> None:
        """Drop the cells worked out so far (the theme changed)."""
        self._cells.clear()


# ---- how a row reads ------------------------------------------------------------------


_ICONS: dict[tuple[str, str, bool], QIcon] = {}


def mark_icon(kind: str, small: bool = False) -> QIcon:
    """A round mark in the theme's colour: "passed" (a tick), "failed" (a cross) or
    "error" (an exclamation mark: no response)."""
    colours = palette()
    role = {"passed": "success", "failed": "error", "error": "warning"}[kind]
    key = (kind, getattr(colours, role), small)
    if key not in _ICONS:
        size = 12 if small else 14
        pixmap = QPixmap(size * 2, size * 2)  # drawn at twice the size: crisp when scaled
        pixmap.setDevicePixelRatio(2.0)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(key[1]))
        painter.drawEllipse(1, 1, size - 2, size - 2)
        pen = QPen(QColor(colours.background), 1.6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        s = size
        if kind == "passed":
            painter.drawPolyline(
                [_point(s * 0.30, s * 0.52), _point(s * 0.45, s * 0.67), _point(s * 0.71, s * 0.36)]
            )
        elif kind == "failed":
            painter.drawLine(_point(s * 0.34, s * 0.34), _point(s * 0.66, s * 0.66))
            painter.drawLine(_point(s * 0.66, s * 0.34), _point(s * 0.34, s * 0.66))
        else:
            painter.drawLine(_point(s * 0.5, s * 0.27), _point(s * 0.5, s * 0.56))
            painter.drawPoint(_point(s * 0.5, s * 0.72))
        painter.end()
        _ICONS[key] = QIcon(pixmap)
    return _ICONS[key]


def _point(x: float, y: float) -> QPointF:
    return QPointF(x, y)


def _result_cells(row: RunRow) -> tuple[Cell, ...]:
    """The cells of a result's row (the expand marker's is worked out apart)."""
    mark = "error" if not row.answered else "passed" if row.passed else "failed"
    where = f"   ·  {row.folder}" if row.folder else ""  # the name first: it is what differs
    name_role = None if row.passed else "warning" if not row.answered else "error"
    if not row.answered:
        status = Cell("—", "muted")
    else:
        status = Cell(
            f"{row.status} {row.result.reason}".strip(),
            STATUS_ROLES.get(f"{row.status // 100}xx", "error"),
        )
    if row.error:
        checks = Cell(row.error, "error")
    elif not row.assertions:
        checks = Cell("no assertions", "muted")
    elif row.checks_failed:
        checks = Cell(f"{row.checks_failed} of {len(row.assertions)} failed", "error")
    else:
        checks = Cell(f"{len(row.assertions)} passed", "success")
    return (
        _EMPTY,
        Cell(row.method, _method_role(row.method), icon=mark),
        Cell(f"{row.name}{where}", name_role),
        status,
        Cell(human_duration(row.result.elapsed_ms) if row.answered else "", "muted", align=_RIGHT),
        Cell(human_size(row.result.size) if row.answered else "", "muted", align=_RIGHT),
        checks,
        _findings_cell(row),
        Cell(str(row.iteration), "muted", align=_RIGHT),
    )


def _findings_cell(row: RunRow) -> Cell:
    """A result's findings counted by severity, each with its mark, coloured as the most
    serious of them."""
    findings = row.result.findings
    if not findings:
        return _EMPTY
    parts, role = [], None
    for severity, mark, colour in FINDING_MARKS:
        count = sum(finding.severity.value == severity for finding in findings)
        if count:
            parts.append(f"{mark} {count}")
            role = role or colour
    return Cell("  ".join(parts), role)


def _method_role(method: str) -> str:
    role = f"method_{method.lower()}"
    return role if hasattr(palette(), role) else "method_other"


def _detail_cells(row: RunRow, detail: int) -> tuple[Cell, ...]:
    """The cells of a detail row: an assertion's result, or a captured value."""
    cells = [_EMPTY] * len(COLUMNS)
    if detail < len(row.assertions):
        check = row.assertions[detail]
        source = "" if check.source == "request" else f"  ({check.source})"
        mark = "passed" if check.passed else "failed"
        cells[COL_REQUEST] = Cell(
            f"{check.label}{source}", None if check.passed else "error", mark, small_icon=True
        )
        cells[COL_STATUS] = Cell(
            "passed" if check.passed else "FAILED", "success" if check.passed else "error"
        )
        if check.message and not check.passed:
            cells[COL_CHECKS] = Cell(check.message, "error")
        else:
            expected, actual = check.expected or "—", check.actual or "—"
            cells[COL_CHECKS] = Cell(f"expected {expected} · actual {actual}", "muted")
        return tuple(cells)
    captured = row.captured[detail - len(row.assertions)]
    found = captured.value is not None
    cells[COL_REQUEST] = Cell(f"→ {captured.variable}", "info", italic=True)
    cells[COL_STATUS] = Cell("captured" if found else "not found", "info" if found else "warning")
    if not found:
        cells[COL_CHECKS] = Cell(captured.message or "nothing matched", "warning")
    else:
        shown = MASK if captured.secret else captured.value
        to_env = "  (to the environment)" if captured.to_environment else ""
        cells[COL_CHECKS] = Cell(f"= {shown}{to_env}", "info")
    return tuple(cells)


def _result_tooltip(row: RunRow) -> str:
    lines = [f"{row.method} {row.url}"]
    if row.error:
        lines.append(row.error)
    failed = [a for a in row.assertions if not a.passed]
    for check in failed[:5]:
        lines.append(f"✗ {check.label}: expected {check.expected}, got {check.actual}")
    marks = {severity: mark for severity, mark, _colour in FINDING_MARKS}
    findings = row.result.findings
    for finding in findings[:MAX_TOOLTIP_FINDINGS]:
        lines.append(f"{marks[finding.severity.value]} {finding.rule_id}: {finding.summary}")
    if len(findings) > MAX_TOOLTIP_FINDINGS:
        lines.append(f"… {len(findings) - MAX_TOOLTIP_FINDINGS} more findings")
    return "\n".join(lines)


def _assertion_tooltip(check: object) -> str:
    from explorer.core.checks.results import AssertionResult

    assert isinstance(check, AssertionResult)
    lines = [check.label, f"Expected: {check.expected}", f"Actual: {check.actual}"]
    if check.message:
        lines.append(check.message)
    lines.append(f"Written in: {check.source}")
    return "\n".join(lines)
