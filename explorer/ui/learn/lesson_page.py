"""One lesson as a documentation page: its prose (a QTextBrowser that grows to its text,
so the page scrolls as one), then each try as a card with real buttons ("Try it",
"Python"), the request it sends and what the learner should see.

Every colour comes from the theme's palette (`widgets/palette`): the page is drawn on
the views' background, code spans and cards on a tint of it, so both themes read well.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from explorer.core.learn.catalogue import Attempt, Lesson, inline_html, pointer_words
from explorer.ui.widgets.fonts import monospace_font
from explorer.ui.widgets.theme import palette

_VARIABLE = re.compile(r"(\{\{\s*[A-Za-z_][\w.\-]*\s*\}\})")
READ_AFTER_MS = 4000  # a lesson shown this long (or scrolled to its end) counts as read


def mix(base: str, other: str, share: float) -> str:
    """`base` moved `share` (0..1) of the way towards `other`: a tint of the theme's own
    colours, so no colour is defined outside the palette."""
    a, b = QColor(base), QColor(other)
    blended = QColor(
        round(a.red() + (b.red() - a.red()) * share),
        round(a.green() + (b.green() - a.green()) * share),
        round(a.blue() + (b.blue() - a.blue()) * share),
    )
    return blended.name()


@dataclass(frozen=True)
class PageStyle:
    """The colours and fonts of the page in the current theme."""

    background: str
    muted: str
    code_background: str
    card_background: str
    border: str
    code_family: str

    @classmethod
    def current(cls) -> PageStyle:
        colours = palette()
        return cls(
            background=colours.background,
            muted=colours.muted,
            code_background=mix(colours.background, colours.muted, 0.18),
            card_background=mix(colours.background, colours.muted, 0.07),
            border=mix(colours.background, colours.muted, 0.35),
            code_family=monospace_font().family(),
        )

    def code_style(self) -> str:
        """The style attribute of an inline code span."""
        return f"font-family: '{self.code_family}'; background-color: {self.code_background};"

    def html(self, text: str) -> str:
        """`text` (with `code` spans) as HTML in this style."""
        return inline_html(text, self.code_style())


class ProseView(QTextBrowser):
    """Rich text that is as tall as its text: the page around it scrolls, not this."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonProse")
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.document().setDocumentMargin(0)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def _fit(self) -> None:
        margins = self.contentsMargins()
        height = math.ceil(self.document().size().height()) + margins.top() + margins.bottom()
        if height != self.height():
            self.setFixedHeight(max(height, 1))


def _label(text: str, parent: QWidget, rich: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class TryCard(QFrame):
    """One try: what to do, the request, what to expect, and its buttons."""

    try_clicked = Signal(int)  # the try's index
    python_clicked = Signal(int)

    def __init__(self, attempt: Attempt, style: PageStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attempt = attempt
        self.setObjectName("tryCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        self.number = QLabel(f"Try {attempt.index}", self)
        self.number.setObjectName("tryNumber")
        layout.addWidget(self.number)
        if attempt.goal:
            self.goal: QLabel | None = _label(style.html(attempt.goal), self)
            layout.addWidget(self.goal)
        else:
            self.goal = None
        self.request = _label(_request_html(attempt), self)
        self.request.setObjectName("tryRequest")
        self.request.setFont(monospace_font())
        self.request.setAccessibleName(f"Request of try {attempt.index}")
        layout.addWidget(self.request)
        self.expect_title = _label("What you should see", self, rich=False)
        self.expect_title.setObjectName("tryExpectTitle")
        layout.addWidget(self.expect_title)
        self.expect = _label(style.html(attempt.expect), self)
        layout.addWidget(self.expect)
        self.notes = _label(_notes_html(attempt), self)
        self.notes.setObjectName("tryNotes")
        self.notes.setVisible(bool(attempt.look_at or attempt.captures))
        layout.addWidget(self.notes)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.try_button = QPushButton("Try it", self)
        self.try_button.setObjectName("tryButton")
        self.try_button.setAccessibleName(f"Try it: try {attempt.index}")
        self.try_button.setToolTip(
            "Open this request in a new tab, send it to the practice server and point at "
            "what the lesson talks about"
        )
        self.python_button = QPushButton("Python", self)
        self.python_button.setObjectName("pythonButton")
        self.python_button.setAccessibleName(f"Python code of try {attempt.index}")
        self.python_button.setToolTip("This request as a Python script (requests), to copy")
        self.state = QLabel("", self)
        self.state.setObjectName("tryState")
        row.addWidget(self.try_button)
        row.addWidget(self.python_button)
        row.addStretch(1)
        row.addWidget(self.state)
        layout.addLayout(row)
        self.try_button.clicked.connect(lambda: self.try_clicked.emit(attempt.index))
        self.python_button.clicked.connect(lambda: self.python_clicked.emit(attempt.index))
        self.restyle(style)

    def set_tried(self, tried: bool) -> None:
        self.state.setText("✓ tried" if tried else "")

    def restyle(self, style: PageStyle) -> None:
        colours = palette()
        self.setStyleSheet(
            f"#tryCard {{ background-color: {style.card_background}; "
            f"border: 1px solid {style.border}; border-radius: 6px; }}"
            f"#tryCard QLabel {{ background: transparent; }}"
            f"#tryNumber, #tryExpectTitle {{ color: {style.muted}; font-weight: 600; }}"
            f"#tryNotes {{ color: {style.muted}; }}"
            f"#tryRequest {{ background-color: {style.code_background}; padding: 6px; "
            f"border-radius: 4px; }}"
            f"#tryState {{ color: {colours.success}; }}"
            f"QPushButton#tryButton {{ font-weight: bold; min-width: 72px; min-height: 24px; "
            f"color: {colours.send_text}; background-color: {colours.send_background}; "
            f"border: 1px solid {colours.send_background}; border-radius: 4px; }}"
            f"QPushButton#tryButton:hover {{ background-color: {colours.send_hover}; }}"
            f"QPushButton#tryButton:focus {{ border: 2px solid {colours.send_focus}; }}"
            f"QPushButton#pythonButton {{ min-width: 64px; min-height: 24px; }}"
        )
        self.request.setText(_request_html(self.attempt))
        if self.goal is not None:
            self.goal.setText(style.html(self.attempt.goal))
        self.expect.setText(style.html(self.attempt.expect))
        self.notes.setText(_notes_html(self.attempt))


def _request_html(attempt: Attempt) -> str:
    """The request as it goes out: method in its colour, path, headers, body; the
    {{values}} earlier tries captured in the variables' colours."""
    colours = palette()
    variable = (
        f'<span style="color: {colours.variable_known}; '
        f'background-color: {colours.variable_known_background};">\\1</span>'
    )

    def text(raw: str) -> str:
        return _VARIABLE.sub(variable, html.escape(_breakable(raw), quote=False))

    method = f'<b style="color: {colours.method(attempt.method)}">{attempt.method}</b>'
    lines = [f"{method} {text(attempt.path)}"]
    lines += [text(f"{name}: {value}") for name, value in attempt.headers]
    if attempt.body:
        lines += ["", *text(attempt.body).splitlines()]
    return "<br>".join(lines)


# A long URL or form body has no space to wrap at (an OAuth authorization request is over
# 200 characters): a zero-width space after each `?`, `&`, `/`, `=`, `,` and `;`, and
# every 24 characters of a longer run (a PKCE challenge), lets the card's label break it
# there instead of cutting it off at the card's edge. Only what is shown: the try sends
# the path and body as written. Braces end a run, so a {{variable}} stays whole.
_BREAK_AFTER = re.compile(r"([?&/=,;])(?=.)")
_LONG_RUN = re.compile(r"[^\s\u200b{}]{24}(?=[^\s\u200b{}])")


def _breakable(raw: str) -> str:
    return _LONG_RUN.sub(lambda run: run.group(0) + "\u200b", _BREAK_AFTER.sub("\\1\u200b", raw))


def _notes_html(attempt: Attempt) -> str:
    """What to look at and what the try keeps for later ones, in a sentence each."""
    notes = []
    if attempt.look_at is not None:
        notes.append(f"Look at {html.escape(pointer_words(attempt.look_at))}.")
    if attempt.captures:
        names = ", ".join(f"{{{{{html.escape(name)}}}}}" for name, _ in attempt.captures)
        notes.append(f"Keeps {names} for the next tries.")
    return " ".join(notes)


class NavButton(QPushButton):
    """Previous/next, named after the lesson, cut with "…" rather than widen the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text.strip("←→ "))
        self._elide()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 6 * self.fontMetrics().averageCharWidth()), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        full = self.fontMetrics().horizontalAdvance(self._full) + 24
        return QSize(max(full, 40), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(self.width() - 20, 10)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, room))


class LessonPage(QScrollArea):
    """A lesson from top to bottom; scrolls as one page."""

    try_clicked = Signal(int)
    python_clicked = Signal(int)
    previous_clicked = Signal()
    next_clicked = Signal()
    read = Signal()  # shown long enough, or scrolled to the end

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body = QWidget(self)
        self.body.setObjectName("lessonBody")
        self._layout = QVBoxLayout(self.body)
        self._layout.setContentsMargins(18, 14, 18, 18)
        self._layout.setSpacing(10)
        self.prose = ProseView(self.body)
        self.prose.setAccessibleName("Lesson text")
        self._layout.addWidget(self.prose)
        self.tries_title = QLabel("Try it", self.body)
        self.tries_title.setObjectName("triesTitle")
        self._layout.addWidget(self.tries_title)
        self._cards_at = self._layout.count()
        self.cards: list[TryCard] = []
        self._layout.addSpacing(6)
        # Previous and next side by side when both titles fit, else one above the other.
        self.nav = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.nav.setSpacing(8)
        self.previous_button = NavButton(self.body)
        self.next_button = NavButton(self.body)
        self.previous_button.setAccessibleName("Previous lesson")
        self.next_button.setAccessibleName("Next lesson")
        self.nav.addWidget(self.previous_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.nav.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)
        self._layout.addLayout(self.nav)
        self._layout.addStretch(1)
        self.setWidget(self.body)
        self.previous_button.clicked.connect(self.previous_clicked)
        self.next_button.clicked.connect(self.next_clicked)
        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.setInterval(READ_AFTER_MS)
        self._read_timer.timeout.connect(self._count_read)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self._read_sent = False
        self._lesson: Lesson | None = None
        self._kicker = ""
        self._style = PageStyle.current()
        self._restyle()

    @property
    def lesson(self) -> Lesson | None:
        return self._lesson

    def show_lesson(
        self,
        lesson: Lesson,
        kicker: str,
        previous_title: str | None,
        next_title: str | None,
        tried: frozenset[int],
    ) -> None:
        """Show `lesson` from its top; `kicker` is the line above its title ("Lesson 3
        of 14 · read"); the neighbours' titles label previous/next (None: none)."""
        self._lesson = lesson
        self._kicker = kicker
        self._read_sent = False
        self._render_prose()
        for card in self.cards:
            self._layout.removeWidget(card)
            card.hide()  # gone from the page now, not at the next turn of the event loop
            card.deleteLater()
        self.cards = []
        for offset, attempt in enumerate(lesson.attempts):
            card = TryCard(attempt, self._style, self.body)
            card.set_tried(attempt.index in tried)
            card.try_clicked.connect(self.try_clicked)
            card.python_clicked.connect(self.python_clicked)
            self._layout.insertWidget(self._cards_at + offset, card)
            self.cards.append(card)
        self.tries_title.setVisible(bool(lesson.attempts))
        self.previous_button.setVisible(previous_title is not None)
        self.next_button.setVisible(next_title is not None)
        self.previous_button.set_full_text(f"←  {previous_title}" if previous_title else "")
        self.next_button.set_full_text(f"{next_title}  →" if next_title else "")
        self._lay_out_nav()
        self.verticalScrollBar().setValue(0)
        self._read_timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._lay_out_nav()

    def _lay_out_nav(self) -> None:
        margins = self._layout.contentsMargins()
        room = self.viewport().width() - margins.left() - margins.right()
        wanted = sum(
            button.sizeHint().width()
            for button in (self.previous_button, self.next_button)
            if not button.isHidden()
        )
        side_by_side = wanted + self.nav.spacing() <= room
        direction = (
            QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
        )
        if self.nav.direction() != direction:
            self.nav.setDirection(direction)

    def set_kicker(self, kicker: str) -> None:
        if kicker != self._kicker:
            self._kicker = kicker
            self._render_prose()

    def set_tried(self, index: int) -> None:
        for card in self.cards:
            if card.attempt.index == index:
                card.set_tried(True)

    def stop_reading(self) -> None:
        """The page is hidden: it does not count as being read."""
        self._read_timer.stop()

    def resume_reading(self) -> None:
        """The page is shown again: a lesson not counted yet counts after a while."""
        if not self._read_sent and self._lesson is not None:
            self._read_timer.start()

    def _count_read(self) -> None:
        if not self._read_sent and self._lesson is not None and self.isVisible():
            self._read_sent = True
            self.read.emit()

    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        if bar.maximum() > 0 and value >= bar.maximum():
            self._count_read()

    def _render_prose(self) -> None:
        lesson = self._lesson
        if lesson is None:
            self.prose.clear()
            return
        style = self._style
        base = self.font().pointSizeF()
        size = base if base > 0 else 10.0
        parts = [
            f'<p style="color: {style.muted}; font-size: {size * 0.92:.1f}pt; '
            f'margin-bottom: 2px;">{html.escape(self._kicker)}</p>',
            f'<h1 style="font-size: {size * 1.75:.1f}pt; font-weight: 600; margin-top: 0; '
            f'margin-bottom: 8px;">{html.escape(lesson.title)}</h1>',
        ]
        if lesson.summary:
            parts.append(
                f'<p style="color: {style.muted}; font-size: {size * 1.12:.1f}pt; '
                f'margin-bottom: 12px; line-height: 135%;">{style.html(lesson.summary)}</p>'
            )
        parts += [
            f'<p style="margin-bottom: 11px; line-height: 140%;">{style.html(p)}</p>'
            for p in lesson.paragraphs
        ]
        self.prose.setHtml("".join(parts))

    def _restyle(self) -> None:
        self._style = PageStyle.current()
        colours = palette()
        size = self.font().pointSizeF()
        self.setStyleSheet(
            f"#lessonPage, #lessonBody {{ background-color: {colours.background}; }}"
            f"#lessonProse {{ background: transparent; border: none; }}"
            f"#triesTitle {{ font-size: {max(size, 1.0) * 1.3:.1f}pt; font-weight: 600; "
            f"padding-top: 6px; }}"
        )
        for card in self.cards:
            card.restyle(self._style)
        self._render_prose()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            # `apply_theme` records the theme after setting the style sheet: look once
            # the change is complete.
            QTimer.singleShot(0, self, self._on_style_changed)

    def _on_style_changed(self) -> None:
        if PageStyle.current() != self._style:
            self._restyle()
