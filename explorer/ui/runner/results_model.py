"""The results of a run as a tree: one row per request, failures first, each expandable
to its assertions and captured values.

Rows arrive in batches (see `explorer.qt.run_worker`): `append` inserts a whole batch
with at most two insertions, one at the end of the failures and one at the end of the
passes, so a 10,000-request run costs the view one small update per tick. The failures
and the passes are two append-only lists, shown one after the other: the failures
first without sorting anything. Totals are counted as rows arrive.

Memory is bounded: at most `MAX_ROWS` results of each kind are listed (the totals
still count every result), and a row holds no body.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
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
from explorer.ui.widgets.theme import palette

Index = QModelIndex | QPersistentModelIndex

MAX_ROWS = 50_000  # listed results of each kind (failures, passes); more are only counted
COLUMNS = ("Method", "Request", "Status", "Time", "Size", "Assertions", "Iteration")
(COL_METHOD, COL_REQUEST, COL_STATUS, COL_TIME, COL_SIZE, COL_CHECKS, COL_ITERATION) = range(
    len(COLUMNS)
)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the RunRow of a result row
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "result", "assertion" or "capture"


@dataclass
class Totals:
    """What the header shows; counted as results arrive."""

    requests: int = 0  # results received
    passed: int = 0  # got a response and passed every assertion
    failed: int = 0  # an assertion failed (but a response came)
    errors: int = 0  # no response (refused, timed out, cancelled, not sent)
    assertions_passed: int = 0
    assertions_failed: int = 0

    def add(self, row: RunRow) -> None:
        self.requests += 1
        self.assertions_passed += row.checks_passed
        self.assertions_failed += row.checks_failed
        if row.error:
            self.errors += 1
        elif row.checks_failed:
            self.failed += 1
        else:
            self.passed += 1


class RunResultsModel(QAbstractItemModel):
    """Results of one run: failures (errors included) first, then passes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.failures: list[RunRow] = []
        self.passes: list[RunRow] = []
        self.totals = Totals()
        self.unlisted = 0  # results counted but not listed (past MAX_ROWS)
        self.failures_only = False
        self.batches = 0  # insert batches so far (tests read it)
        # serial -> (failed?, index in its list): where a result's row is
        self._where: dict[int, tuple[bool, int]] = {}

    # ---- feeding ------------------------------------------------------------------------

    def clear(self) -> None:
        self.beginResetModel()
        self.failures, self.passes, self._where = [], [], {}
        self.totals, self.unlisted, self.batches = Totals(), 0, 0
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
            first = len(self.failures)
            self.beginInsertRows(QModelIndex(), first, first + len(new_failures) - 1)
            for offset, row in enumerate(new_failures):
                self._where[row.serial] = (True, first + offset)
            self.failures.extend(new_failures)
            self.endInsertRows()
        if new_passes:
            first = len(self.passes)
            if not self.failures_only:
                at = len(self.failures) + first
                self.beginInsertRows(QModelIndex(), at, at + len(new_passes) - 1)
            for offset, row in enumerate(new_passes):
                self._where[row.serial] = (False, first + offset)
            self.passes.extend(new_passes)
            if not self.failures_only:
                self.endInsertRows()
        if new_failures or new_passes:
            self.batches += 1

    def set_failures_only(self, only: bool) -> None:
        if only != self.failures_only:
            self.beginResetModel()
            self.failures_only = only
            self.endResetModel()

    # ---- reading ------------------------------------------------------------------------

    def row_at(self, index: Index) -> RunRow | None:
        """The result of a result row or of one of its children."""
        if not index.isValid():
            return None
        if index.internalId():
            return self._by_serial(index.internalId() - 1)
        return self._top(index.row())

    def failed_rows(self) -> list[RunRow]:
        return list(self.failures)

    def all_rows(self) -> list[RunRow]:
        """Every listed result in the order they arrived."""
        return sorted(self.failures + self.passes, key=lambda r: r.serial)

    def index_of(self, serial: int) -> QModelIndex:
        where = self._where.get(serial)
        if where is None:
            return QModelIndex()
        failed, at = where
        if not failed:
            if self.failures_only:
                return QModelIndex()
            at += len(self.failures)
        return self.index(at, 0)

    def _top(self, row: int) -> RunRow | None:
        if 0 <= row < len(self.failures):
            return self.failures[row]
        row -= len(self.failures)
        if not self.failures_only and 0 <= row < len(self.passes):
            return self.passes[row]
        return None

    def _by_serial(self, serial: int) -> RunRow | None:
        where = self._where.get(serial)
        if where is None:
            return None
        failed, at = where
        return (self.failures if failed else self.passes)[at]

    # ---- the Qt model -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's
        if not parent.isValid():
            return len(self.failures) + (0 if self.failures_only else len(self.passes))
        if parent.internalId() or parent.column() != 0:
            return 0
        row = self._top(parent.row())
        return len(row.assertions) + len(row.captured) if row is not None else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's
        return len(COLUMNS)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        result = self._top(parent.row())
        if result is None:
            return QModelIndex()
        # A child's internal id names its result (serial + 1; 0 marks a result row).
        return self.createIndex(row, column, result.serial + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or not index.internalId():
            return QModelIndex()
        return self.index_of(index.internalId() - 1)

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId():
            return self._child_data(index, role)
        row = self._top(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        if role == KIND_ROLE:
            return "result"
        if role == Qt.ItemDataRole.DisplayRole:
            return _result_text(row, index.column())
        if role == Qt.ItemDataRole.DecorationRole and index.column() == COL_METHOD:
            return mark_icon("error" if row.error else "passed" if row.passed else "failed")
        if role == Qt.ItemDataRole.ForegroundRole:
            return _result_colour(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return _result_tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (
            COL_TIME,
            COL_SIZE,
            COL_ITERATION,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == COL_REQUEST:
            state = "error" if row.error else "passed" if row.passed else "failed"
            return f"{state}: {row.method} {_result_text(row, COL_REQUEST)}"
        return None

    def _child_data(self, index: Index, role: int) -> object:
        row = self._by_serial(index.internalId() - 1)
        if row is None:
            return None
        position = index.row()
        checks = len(row.assertions)
        if role == KIND_ROLE:
            return "assertion" if position < checks else "capture"
        if role == ROW_ROLE:
            return row
        if position < checks:
            check = row.assertions[position]
            if role == Qt.ItemDataRole.DisplayRole:
                return _assertion_text(check, index.column())
            if role == Qt.ItemDataRole.DecorationRole and index.column() == COL_REQUEST:
                return mark_icon("passed" if check.passed else "failed", small=True)
            if role == Qt.ItemDataRole.ForegroundRole:
                if index.column() in (COL_REQUEST, COL_STATUS) and not check.passed:
                    return QColor(palette().error)
                if index.column() == COL_STATUS:
                    return QColor(palette().success)
                return QColor(palette().muted) if index.column() != COL_REQUEST else None
            if role == Qt.ItemDataRole.ToolTipRole:
                return _assertion_tooltip(check)
            return None
        if position - checks >= len(row.captured):
            return None
        captured = row.captured[position - checks]
        if role == Qt.ItemDataRole.DisplayRole:
            return _capture_text(captured, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(palette().info if captured.value is not None else palette().warning)
        if role == Qt.ItemDataRole.FontRole and index.column() == COL_REQUEST:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


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
        pixmap.fill(QColor(0, 0, 0, 0))
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


def _result_text(row: RunRow, column: int) -> str:
    if column == COL_METHOD:
        return row.method
    if column == COL_REQUEST:
        where = f"{row.folder} / " if row.folder else ""
        return f"{where}{row.name}"
    if column == COL_STATUS:
        return "—" if row.error else f"{row.status} {row.reason}".strip()
    if column == COL_TIME:
        return human_duration(row.elapsed_ms) if row.elapsed_ms else ""
    if column == COL_SIZE:
        return human_size(row.size) if not row.error else ""
    if column == COL_CHECKS:
        if row.error:
            return row.error
        if not row.assertions:
            return "no assertions"
        failed, total = row.checks_failed, len(row.assertions)
        return f"{failed} of {total} failed" if failed else f"{total} passed"
    if column == COL_ITERATION:
        return str(row.iteration + 1)
    return ""


def _result_colour(row: RunRow, column: int) -> QColor | None:
    colours = palette()
    if column == COL_METHOD:
        return QColor(colours.method(row.method))
    if column == COL_REQUEST and not row.passed:
        return QColor(colours.error if not row.error else colours.warning)
    if column == COL_STATUS and not row.error:
        return QColor(colours.status(f"{row.status // 100}xx"))
    if column == COL_CHECKS:
        if row.error or row.checks_failed:
            return QColor(colours.error)
        return QColor(colours.success if row.assertions else colours.muted)
    if column in (COL_TIME, COL_SIZE, COL_ITERATION):
        return QColor(colours.muted)
    return None


def _result_tooltip(row: RunRow) -> str:
    lines = [f"{row.method} {row.url}"]
    if row.error:
        lines.append(row.error)
    failed = [a for a in row.assertions if not a.passed]
    for check in failed[:5]:
        lines.append(f"✗ {check.label}: expected {check.expected}, got {check.actual}")
    return "\n".join(lines)


def _assertion_text(check: object, column: int) -> str:
    from explorer.core.checks.results import AssertionResult

    assert isinstance(check, AssertionResult)
    if column == COL_REQUEST:
        source = "" if check.source == "request" else f"  ({check.source})"
        return f"{check.label}{source}"
    if column == COL_STATUS:
        return "passed" if check.passed else "FAILED"
    if column == COL_CHECKS:
        if check.message and not check.passed:
            return check.message
        return f"expected {check.expected or '—'} · actual {check.actual or '—'}"
    return ""


def _assertion_tooltip(check: object) -> str:
    from explorer.core.checks.results import AssertionResult

    assert isinstance(check, AssertionResult)
    lines = [check.label, f"Expected: {check.expected}", f"Actual: {check.actual}"]
    if check.message:
        lines.append(check.message)
    lines.append(f"Written in: {check.source}")
    return "\n".join(lines)


def _capture_text(captured: object, column: int) -> str:
    from explorer.core.checks.results import CapturedValue

    assert isinstance(captured, CapturedValue)
    if column == COL_REQUEST:
        return f"→ {captured.variable}"
    if column == COL_STATUS:
        return "captured" if captured.value is not None else "not found"
    if column == COL_CHECKS:
        if captured.value is None:
            return captured.message or "nothing matched"
        shown = MASK if captured.secret else captured.value
        to_env = "  (to the environment)" if captured.to_environment else ""
        return f"= {shown}{to_env}"
    return ""
