"""The response's Explain tab: what the explainer (`core/explain`) finds about the
exchange, grouped by the part of HTTP it is about, most serious first.

Each finding shows a severity mark and one line; selected, the pane below (beside, in a
wide pane) says why it matters in plain words, links the specification sections it
rests on and the lesson that teaches it, and offers "Show in response" (the part it is
about, through `pointer_requested`) and "Silence this rule". Nothing here ever blocks
anything: findings are advice.

The facts are read and the rules run off the GUI thread (a spooled body is read from
disk); a newer response makes an older result stale, and it is dropped. Silenced rules
(`qt/explain_silencing`, one set for the process) are not run; when they change, every
open Explain tab works its findings out again from the facts it kept.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QDesktopServices,
    QFont,
    QGuiApplication,
    QIcon,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.explain.findings import Finding, Severity
from explorer.qt.background import BackgroundQueue
from explorer.qt.explain_silencing import silenced_rules
from explorer.ui.response.explain_detail import (
    SEVERITY_ROLE,
    SEVERITY_WORD,
    FindingText,
    clean_icon,
    lesson_title,
    severity_icon,
)
from explorer.ui.widgets.feedback import MessageLabel, open_in_browser
from explorer.ui.widgets.theme import palette

if TYPE_CHECKING:
    from explorer.core.explain.facts import ExchangeFacts
    from explorer.core.http.exchange import Response

_COUNT_WORD = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_FINDING_ROLE = Qt.ItemDataRole.UserRole + 1  # a finding item's index in `findings()`
_WIDE = 760  # from this width the details stand beside the list, not under it


@dataclass(frozen=True)
class Explained:
    """What one run of the rules gave: the findings and how many rules ran."""

    facts: ExchangeFacts
    findings: tuple[Finding, ...]
    checked: int  # rules run (every rule but the silenced ones)
    silenced: int  # rules of this version that were silenced


def explain_response(
    response: Response | None, facts: ExchangeFacts | None, silenced: frozenset[str]
) -> Explained:
    """Run on the worker: read the facts (once per response), run the rules."""
    from explorer.core import explain as explainer

    if facts is None:
        assert response is not None
        facts = explainer.facts_from_response(response)
    rules = explainer.all_rules()
    findings = explainer.explain(facts, silenced)
    off = sum(rule.id in silenced for rule in rules)
    return Explained(facts, tuple(findings), len(rules) - off, off)


def attention(findings: tuple[Finding, ...] | list[Finding]) -> int:
    """How many findings want attention (warnings and errors): the tab title's count."""
    return sum(finding.severity is not Severity.INFO for finding in findings)


class ExplainView(QWidget):
    """The Explain tab of one response.

    Signals: `lesson_requested(str slug)` ("Read the lesson"), `pointer_requested(Pointer)`
    ("Show in response"), `manage_requested()` (the footer's Manage…: the window opens
    Preferences ▸ Explain) and `counted(int)`, the warnings and errors of the response
    shown once they are known (the tab's title)."""

    lesson_requested = Signal(str)
    pointer_requested = Signal(object)
    manage_requested = Signal()
    counted = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Explain this response")
        self._jobs = BackgroundQueue(self)
        self._generation = 0
        self._response: Response | None = None
        self._result: Explained | None = None
        self._pending_rule = ""  # select_rule asked before the result arrived
        self._last_silenced: tuple[str, str] | None = None  # (id, title), for Undo
        # Replaceable in tests: hands a link to the user's browser (False: none started).
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self._icons: dict[Severity | None, QIcon] = {}

        self.summary = QLabel("", self)
        self.summary.setAccessibleName("Explain summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setContentsMargins(8, 6, 8, 2)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Findings")
        self.tree.setHeaderHidden(True)
        # The finding (or its category), then its severity in words (or the category's
        # count): the colour of the mark is never the only sign of how serious it is.
        self.tree.setColumnCount(2)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setRootIsDecorated(True)
        self.tree.setIndentation(14)
        self.tree.setUniformRowHeights(True)
        self.tree.setIconSize(QSize(self._mark_size(), self._mark_size()))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        self.tree.currentItemChanged.connect(lambda *_: self._on_current_changed())
        self.tree.itemActivated.connect(lambda item, _col: self._on_activated(item))
        self.detail = FindingText(self)
        self.detail.anchorClicked.connect(self._on_link)
        self.show_button = QPushButton("Show in response", self)
        self.show_button.setAccessibleName("Show in response")
        self.show_button.setToolTip("Switch to the part of the response this is about")
        self.show_button.clicked.connect(self._show_current)
        self.silence_button = QPushButton("Silence this rule", self)
        self.silence_button.setAccessibleName("Silence this rule")
        self.silence_button.setToolTip(
            "Stop checking this rule for every response; Preferences ▸ Explain turns it on"
        )
        self.silence_button.clicked.connect(self._silence_current)
        self.note = MessageLabel("muted", self)
        self.note.setAccessibleName("Explain note")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setContentsMargins(8, 0, 8, 0)
        self.action_row = QWidget(self)
        actions = QHBoxLayout(self.action_row)
        actions.setContentsMargins(8, 6, 8, 2)
        actions.addWidget(self.show_button)
        actions.addWidget(self.silence_button)
        actions.addStretch(1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self._user_split = False  # the user dragged the split: their sizes are kept
        self.splitter.splitterMoved.connect(lambda *_: setattr(self, "_user_split", True))
        self.message = QLabel("", self)
        self.message.setAccessibleName("Explain message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setContentsMargins(24, 24, 24, 24)
        self.findings_page = QWidget(self)
        page = QVBoxLayout(self.findings_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.splitter, 1)
        page.addWidget(self.action_row)
        page.addWidget(self.note)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.findings_page)
        self.footer = QLabel("", self)
        self.footer.setAccessibleName("Explain rules")
        self.footer.setTextFormat(Qt.TextFormat.RichText)
        self.footer.setContentsMargins(8, 2, 8, 4)
        # Wrapped: with a silenced rule's title and Undo in it, one line held the response
        # pane 700 px wide and pushed the request editor to a sliver (seen by hand).
        self.footer.setWordWrap(True)
        self.footer.linkActivated.connect(self._on_footer_link)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.footer)
        silenced_rules().changed.connect(self._on_silencing_changed)
        self.clear()

    # -- the response ------------------------------------------------------------------

    def set_response(self, response: Response) -> None:
        """Explain `response` (off the GUI thread); what was shown goes at once."""
        self._response = response
        self._last_silenced = None
        self._start(facts=None)

    def clear(self) -> None:
        """No response: nothing to explain."""
        self._generation += 1
        self._response = None
        self._result = None
        self._pending_rule = ""
        self.tree.clear()
        self.detail.show_finding(None)
        self.summary.setText("")
        self.footer.setText("")
        self._show_message("Send a request: its response is explained here.")

    def shutdown(self) -> None:
        """Wait for a run of the rules still going (call before the view goes away)."""
        self._generation += 1
        self._jobs.wait(5000)

    def is_explaining(self) -> bool:
        """True while the findings of the response shown are being worked out."""
        return self._response is not None and self._result is None

    def findings(self) -> tuple[Finding, ...]:
        """The findings shown (most serious first, as listed)."""
        return self._result.findings if self._result is not None else ()

    def rules_checked(self) -> int:
        return self._result.checked if self._result is not None else 0

    def _start(self, facts: ExchangeFacts | None) -> None:
        self._generation += 1
        generation = self._generation
        response = self._response
        silenced = silenced_rules().ids()
        self._result = None
        self.tree.clear()
        self.detail.show_finding(None)
        self.summary.setText(f"<span style='color:{palette().muted}'>Explaining…</span>")
        self._jobs.run(
            lambda: explain_response(response, facts, silenced),
            lambda result: self._on_explained(generation, result),
            lambda error: self._on_failed(generation, error),
        )

    def _on_explained(self, generation: int, result: object) -> None:
        if generation != self._generation or not isinstance(result, Explained):
            return  # a newer response (or a change of the silenced rules) took its place
        self._result = result
        self._fill()
        self.counted.emit(attention(result.findings))
        if self._pending_rule:
            rule, self._pending_rule = self._pending_rule, ""
            self.select_rule(rule)

    def _on_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self._result = None
        self._response = None
        self.summary.setText("")
        self._show_message(html.escape(f"The response could not be explained: {str(error)[:200]}"))
        self.counted.emit(0)

    def _on_silencing_changed(self) -> None:
        if self._response is None:
            return
        facts = self._result.facts if self._result is not None else None
        self._start(facts)

    # -- showing -------------------------------------------------------------------------

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def severity_mark(self) -> QIcon | None:
        """The mark of the most serious finding shown; a tick when there is nothing to
        say; None while the findings are being worked out (the tab's short title)."""
        if self._result is None:
            return None
        findings = self._result.findings
        return self._icon(findings[0].severity if findings else None)

    def _mark_size(self) -> int:
        """The marks' size: 16 px at the usual text size, growing with the text."""
        return max(16, round(self.fontMetrics().height() * 0.9))

    def mark_words(self) -> str:
        """What the mark and count of the tab's short title say, in words (its tooltip)."""
        findings = self.findings()
        if self._result is None or not findings:
            return "Explain: nothing to say about this exchange"
        counts = {severity: 0 for severity in Severity}
        for finding in findings:
            counts[finding.severity] += 1
        said = [
            f"{count} {_COUNT_WORD[severity]}{'s' if count != 1 else ''}"
            for severity, count in counts.items()
            if count
        ]
        return "Explain: " + ", ".join(said)

    def _icon(self, severity: Severity | None) -> QIcon:
        """A severity's mark (None: the tick of a clean exchange), made once per theme."""
        icon = self._icons.get(severity)
        if icon is None:
            ratio = self.devicePixelRatioF()
            size = self._mark_size()
            image = severity_icon(severity, size, ratio) if severity else clean_icon(size, ratio)
            icon = QIcon(QPixmap.fromImage(image))
            self._icons[severity] = icon
        return icon

    def _fill(self) -> None:
        result = self._result
        assert result is not None
        self.tree.clear()
        self._fill_summary()
        self._fill_footer()
        if not result.findings:
            rules = f"{result.checked} rule{'s' if result.checked != 1 else ''}"
            self._show_message(
                f"<p style='font-size:large; color:{palette().success}'>✓ This exchange "
                "looks right.</p>"
                f"<p style='color:{palette().muted}'>None of the {rules} checked had "
                "anything to say about its status, headers, body, cookies, redirects "
                "or timing.</p>"
            )
            return
        self.stack.setCurrentWidget(self.findings_page)
        groups: dict[str, list[int]] = {}
        for index, finding in enumerate(result.findings):  # most serious first
            groups.setdefault(finding.rule.category.value, []).append(index)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        muted = QBrush(palette().qcolor("muted"))
        colours = palette()
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for category, indexes in groups.items():
            top = QTreeWidgetItem([category, str(len(indexes))])
            for column in (0, 1):
                top.setFont(column, bold)
                top.setForeground(column, muted)
            top.setTextAlignment(1, right)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            plural = "s" if len(indexes) != 1 else ""
            top.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{category}, {len(indexes)}")
            top.setToolTip(0, f"{category}: {len(indexes)} finding{plural}")
            self.tree.addTopLevelItem(top)
            for index in indexes:
                finding = result.findings[index]
                word = SEVERITY_WORD[finding.severity]
                item = QTreeWidgetItem([finding.summary, word])
                item.setIcon(0, self._icon(finding.severity))
                item.setData(0, _FINDING_ROLE, index)
                item.setForeground(1, colours.qcolor(SEVERITY_ROLE[finding.severity]))
                item.setTextAlignment(1, right)
                item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{word}: {finding.summary}")
                item.setToolTip(0, f"{finding.summary}\n{finding.rule.title} · {finding.rule.id}")
                top.addChild(item)
        self.tree.expandAll()
        first = self._item_of(lambda _index: True)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._share_height()

    def _share_height(self) -> None:
        """Stacked, the list is as tall as its rows (up to half the room): the details
        take the rest. Side by side, two fifths of the width for the list."""
        if self._user_split:
            return
        if self.splitter.orientation() == Qt.Orientation.Horizontal:
            total = self.splitter.width()
            self.splitter.setSizes([total * 2 // 5, total - total * 2 // 5])
            return
        total = max(self.splitter.height(), 200)
        rows = sum(
            1 + (group.childCount() if group is not None else 0)
            for group in map(self.tree.topLevelItem, range(self.tree.topLevelItemCount()))
        )
        row = max(self.tree.sizeHintForRow(0), self.fontMetrics().height() + 4)
        wanted = rows * row + 2 * self.tree.frameWidth() + 6
        list_height = min(wanted, total // 2)
        self.splitter.setSizes([list_height, total - list_height])

    def _fill_summary(self) -> None:
        result = self._result
        assert result is not None
        colours = palette()
        counts = {severity: 0 for severity in Severity}
        for finding in result.findings:
            counts[finding.severity] += 1
        words = _COUNT_WORD
        pieces = [
            f"<span style='color:{getattr(colours, SEVERITY_ROLE[severity])}'>●</span>&nbsp;"
            f"{count} {words[severity]}{'s' if count != 1 else ''}"
            for severity, count in counts.items()
            if count
        ]
        if not pieces:
            self.summary.setText("")
            return
        self.summary.setText(" &nbsp;&nbsp; ".join(pieces))

    def _fill_footer(self) -> None:
        result = self._result
        if result is None:
            self.footer.setText("")
            return
        muted = palette().muted
        said = [f"{result.checked} rule{'s' if result.checked != 1 else ''} checked"]
        if result.silenced:
            said.append(f"{result.silenced} rule{'s' if result.silenced != 1 else ''} silenced")
        if self._last_silenced is not None:
            rule_id, title = self._last_silenced
            said.append(
                f"“{html.escape(title)}” silenced (<a href='undo:{html.escape(rule_id)}'>Undo</a>)"
            )
        said.append("<a href='manage'>Manage…</a>")
        self.footer.setText(f"<span style='color:{muted}'>{' · '.join(said)}</span>")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow a theme switch (after it is recorded: the next turn of the loop)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # 200 % text: marks that grow with it
            self.tree.setIconSize(QSize(self._mark_size(), self._mark_size()))
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            QTimer.singleShot(0, self, self._recolour)

    def _recolour(self) -> None:
        self._icons.clear()
        if self._result is not None:
            current = self.tree.currentItem()
            index = current.data(0, _FINDING_ROLE) if current is not None else None
            self._fill()
            self.counted.emit(attention(self._result.findings))  # the tab's mark too
            if isinstance(index, int):
                item = self._item_of(lambda i: i == index)
                if item is not None:
                    self.tree.setCurrentItem(item)
        self.detail.render_finding()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        wide = event.size().width() >= _WIDE
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            self._user_split = False
            self._share_height()
        elif not self._user_split and self._result is not None:
            self._share_height()

    # -- one finding -----------------------------------------------------------------------

    def current_finding(self) -> Finding | None:
        item = self.tree.currentItem()
        return self._finding_of(item)

    def _finding_of(self, item: QTreeWidgetItem | None) -> Finding | None:
        if item is None or self._result is None:
            return None
        index = item.data(0, _FINDING_ROLE)
        if not isinstance(index, int) or not 0 <= index < len(self._result.findings):
            return None
        return self._result.findings[index]

    def select_rule(self, rule_id: str) -> bool:
        """Select the (first) finding of rule `rule_id` and bring it into view. While the
        findings are still being worked out, it is selected when they arrive (True);
        False when the response shown has no finding of that rule."""
        if self._result is None:
            if self._response is None:
                return False
            self._pending_rule = rule_id
            return True
        findings = self._result.findings
        item = self._item_of(lambda index: findings[index].rule.id == rule_id)
        if item is None:
            return False
        from explorer.ui.response.pointing import point_at_tree_item

        point_at_tree_item(self.tree, item)
        return True

    def _item_of(self, wanted: Callable[[int], bool]) -> QTreeWidgetItem | None:
        """The first finding's item whose index in `findings()` is `wanted`."""
        for top in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(top)
            for child in range(group.childCount() if group is not None else 0):
                item = group.child(child) if group is not None else None
                index = item.data(0, _FINDING_ROLE) if item is not None else None
                if isinstance(index, int) and wanted(index):
                    return item
        return None

    def _on_current_changed(self) -> None:
        finding = self.current_finding()
        self.detail.show_finding(finding)
        self.note.show_message("")
        self.show_button.setEnabled(finding is not None and finding.pointer is not None)
        self.silence_button.setEnabled(finding is not None)

    def _on_activated(self, item: QTreeWidgetItem) -> None:
        finding = self._finding_of(item)
        if finding is not None and finding.pointer is not None:
            self.pointer_requested.emit(finding.pointer)

    def _show_current(self) -> None:
        finding = self.current_finding()
        if finding is not None and finding.pointer is not None:
            self.pointer_requested.emit(finding.pointer)

    def _silence_current(self) -> None:
        finding = self.current_finding()
        if finding is not None:
            self.silence(finding)

    def silence(self, finding: Finding) -> None:
        """Stop running the finding's rule, for every response; the footer offers Undo."""
        self._last_silenced = (finding.rule.id, finding.rule.title)
        silenced_rules().silence(finding.rule.id)

    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        finding = self._finding_of(item)
        if item is None or finding is None:
            return
        self.tree.setCurrentItem(item)
        menu = self.finding_menu(finding)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def finding_menu(self, finding: Finding) -> QMenu:
        """The context menu of a finding."""
        menu = QMenu(self)
        show = menu.addAction("Show in response")
        show.setEnabled(finding.pointer is not None)
        show.triggered.connect(lambda _c=False: self.pointer_requested.emit(finding.pointer))
        if finding.rule.lesson:
            slug = finding.rule.lesson
            lesson = menu.addAction(f"Read the lesson: {lesson_title(slug)}")
            lesson.triggered.connect(lambda _c=False: self.lesson_requested.emit(slug))
        copy = menu.addAction("Copy")
        copy.triggered.connect(lambda _c=False: self._copy(finding))
        menu.addSeparator()
        silence = menu.addAction("Silence this rule")
        silence.triggered.connect(lambda _c=False: self.silence(finding))
        return menu

    def _copy(self, finding: Finding) -> None:
        references = "\n".join(f"{ref.label}: {ref.url}" for ref in finding.rule.references)
        text = f"{SEVERITY_WORD[finding.severity]}: {finding.summary}\n\n{finding.explanation}"
        QGuiApplication.clipboard().setText(f"{text}\n\n{references}".strip())

    # -- links -----------------------------------------------------------------------------

    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == "lesson":
            self.lesson_requested.emit(url.path())
        elif url.scheme() in ("http", "https"):
            self.open_link(url.toString())

    def open_link(self, url: str) -> None:
        """Open a specification in the browser; when none starts, copy the address and
        say so in one line."""
        message, failed = open_in_browser(url, self.open_url)
        self.note.show_message(message, "warning" if failed else "muted")

    def _on_footer_link(self, link: str) -> None:
        if link == "manage":
            self.manage_requested.emit()
        elif link.startswith("undo:"):
            self._last_silenced = None
            silenced_rules().turn_on(link.removeprefix("undo:"))
