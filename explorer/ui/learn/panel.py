"""The Learn panel's content: the path through the lessons with the learner's progress,
the language switch, one lesson at a time, and one line for what happened.

It shows and asks; it does nothing itself: "Try it", the language, reading and the
files are the controller's (`learn_dock`), which hears the signals below.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.learn.catalogue import LANGUAGES, Catalogue, Lesson
from explorer.core.learn.progress import Progress
from explorer.ui.learn.contents import LessonList
from explorer.ui.learn.lesson_page import LessonPage
from explorer.ui.widgets.theme import palette

KOREAN_FONT_MESSAGE = "Korean text needs a font: install fonts-noto-cjk (see README)"
_CONTENTS, _LESSON, _MESSAGE = range(3)


def korean_font_installed() -> bool:
    """Whether any installed font covers Hangul (else Korean shows as boxes)."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.Korean))


class LearnPanel(QWidget):
    """The dock's widget."""

    try_requested = Signal(str, int)  # lesson slug, try index
    python_requested = Signal(str, int)
    language_changed = Signal(str)
    lesson_opened = Signal(str)  # a lesson is shown (remembered as the current one)
    lesson_read = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        has_korean_font: Callable[[], bool] = korean_font_installed,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("learnPanel")
        self.has_korean_font = has_korean_font
        self.catalogue: Catalogue | None = None
        self.progress = Progress()
        self.language = LANGUAGES[0]
        self._slug = ""

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName("Lessons read")
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("%v of %m lessons")
        self.progress_bar.setMaximum(1)
        self.language_buttons: dict[str, QToolButton] = {}
        self._languages = QButtonGroup(self)
        # Two rows, so that a narrow dock (or 200% text) keeps every word: the progress
        # across the top, then the way back to the path and the language.
        header = QHBoxLayout()
        header.setContentsMargins(10, 8, 10, 0)
        header.addWidget(self.progress_bar, 1)
        self.contents_button = QPushButton("☰  All lessons", self)
        self.contents_button.setFlat(True)
        self.contents_button.setAccessibleName("All lessons")
        self.contents_button.setToolTip("The path through the lessons, with your progress")
        self.contents_button.clicked.connect(self.show_contents)
        keep = self.contents_button.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # the row keeps its height on the path's page
        self.contents_button.setSizePolicy(keep)
        self.contents_button.hide()
        nav = QHBoxLayout()
        nav.setContentsMargins(6, 0, 10, 0)
        nav.setSpacing(6)
        nav.addWidget(self.contents_button)
        nav.addStretch(1)
        for language in LANGUAGES:
            button = QToolButton(self)
            button.setText(language.upper())
            button.setCheckable(True)
            button.setAccessibleName({"en": "English", "ko": "Korean"}.get(language, language))
            button.setToolTip(f"Show the lessons in {button.accessibleName()}")
            self._languages.addButton(button)
            self.language_buttons[language] = button
            nav.addWidget(button)
            button.clicked.connect(lambda _checked=False, lang=language: self.set_language(lang))
        self.language_buttons[self.language].setChecked(True)

        self.font_notice = QLabel(KOREAN_FONT_MESSAGE, self)
        self.font_notice.setObjectName("learnFontNotice")
        self.font_notice.setWordWrap(True)
        self.font_notice.hide()
        self.status_line = QLabel("", self)
        self.status_line.setObjectName("learnStatus")
        self.status_line.setWordWrap(True)
        self.status_line.hide()

        self.contents = LessonList(self)
        self.contents.itemActivated.connect(self._on_item_activated)
        self.contents.itemClicked.connect(self._on_item_activated)

        self.page = LessonPage(self)
        self.page.try_clicked.connect(lambda index: self.try_requested.emit(self._slug, index))
        self.page.python_clicked.connect(
            lambda index: self.python_requested.emit(self._slug, index)
        )
        self.page.previous_clicked.connect(lambda: self._step(-1))
        self.page.next_clicked.connect(lambda: self._step(1))
        self.page.read.connect(lambda: self.lesson_read.emit(self._slug))
        self.message = QLabel("Loading the lessons…", self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setContentsMargins(12, 12, 12, 12)

        self.stack = QStackedWidget(self)
        self.stack.insertWidget(_CONTENTS, self.contents)
        self.stack.insertWidget(_LESSON, self.page)
        self.stack.insertWidget(_MESSAGE, self.message)
        self.stack.setCurrentIndex(_MESSAGE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addLayout(nav)
        for line in (self.font_notice, self.status_line):
            line.setContentsMargins(10, 0, 10, 0)
            layout.addWidget(line)
        layout.addWidget(self.stack, 1)
        self._colour_lines()

    # ---- what the controller gives ---------------------------------------------------

    @property
    def slug(self) -> str:
        """The lesson shown (or last shown)."""
        return self._slug

    def lesson(self) -> Lesson | None:
        if self.catalogue is None or not self._slug:
            return None
        return self.catalogue.lesson(self._slug, self.language)

    def set_catalogue(self, catalogue: Catalogue, progress: Progress) -> None:
        """The lessons are loaded: show the path (or the lesson the learner was on)."""
        self.catalogue = catalogue
        self.progress = progress
        self.language = progress.language if progress.language in LANGUAGES else LANGUAGES[0]
        self.language_buttons[self.language].setChecked(True)
        self._fill_contents()
        self._show_font_notice()
        if progress.current and catalogue.position(progress.current) >= 0:
            self.open_lesson(progress.current)
        else:
            self.show_contents()

    def show_failure(self, message: str) -> None:
        """The lessons could not be read: say why, in the panel."""
        self.message.setText(message)
        self.stack.setCurrentIndex(_MESSAGE)

    def set_progress(self, progress: Progress) -> None:
        self.progress = progress
        self._fill_contents()
        lesson = self.lesson()
        if lesson is not None:
            self.page.set_kicker(self._kicker(lesson))
            for index in progress.tried_in(lesson.slug):
                self.page.set_tried(index)

    def say(self, text: str, error: bool = False) -> None:
        """One line about what happened (empty: none)."""
        self.status_line.setText(text)
        self.status_line.setProperty("error", error)
        self._colour_lines()
        self.status_line.setVisible(bool(text))

    # ---- navigation -------------------------------------------------------------------

    def show_contents(self) -> None:
        self.page.stop_reading()
        if self.catalogue is not None:
            self.contents_button.hide()
            self.stack.setCurrentIndex(_CONTENTS)
            position = self.catalogue.position(self._slug)
            self._select(position)

    def open_lesson(self, slug: str) -> bool:
        """Show the lesson `slug`; False when there is none of that name."""
        catalogue = self.catalogue
        lesson = catalogue.lesson(slug, self.language) if catalogue is not None else None
        if catalogue is None or lesson is None:
            return False
        self._slug = slug
        lessons = catalogue.lessons(self.language)
        position = catalogue.position(slug)
        previous = lessons[position - 1].title if position > 0 else None
        following = lessons[position + 1].title if position + 1 < len(lessons) else None
        self.page.show_lesson(
            lesson, self._kicker(lesson), previous, following, self.progress.tried_in(slug)
        )
        self.contents_button.show()
        self.stack.setCurrentIndex(_LESSON)
        self._select(position)
        self.lesson_opened.emit(slug)
        return True

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            return
        self.language_buttons[language].setChecked(True)
        if language == self.language:
            return
        self.language = language
        self._fill_contents()
        self._show_font_notice()
        if self.stack.currentIndex() == _LESSON and self._slug:
            self.open_lesson(self._slug)
        self.language_changed.emit(language)

    def _step(self, step: int) -> None:
        catalogue = self.catalogue
        if catalogue is None:
            return
        position = catalogue.position(self._slug) + step
        if 0 <= position < len(catalogue.slugs):
            self.open_lesson(catalogue.slugs[position])

    def _select(self, position: int) -> None:
        item = self.contents.item(position) if position >= 0 else None
        if item is not None:
            self.contents.setCurrentItem(item)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        slug = self.contents.slug_at(item)
        if slug:
            self.open_lesson(slug)

    # ---- drawing ----------------------------------------------------------------------

    def _kicker(self, lesson: Lesson) -> str:
        assert self.catalogue is not None
        total = len(self.catalogue.slugs)
        parts = [f"Lesson {self.catalogue.position(lesson.slug) + 1} of {total}"]
        if lesson.slug in self.progress.read:
            parts.append("read ✓")
        if lesson.attempts:
            done = len(self.progress.tried_in(lesson.slug))
            parts.append(f"tries {done}/{len(lesson.attempts)}")
        return "  ·  ".join(parts)

    def _fill_contents(self) -> None:
        catalogue = self.catalogue
        if catalogue is None:
            return
        lessons = catalogue.lessons(self.language)
        read = sum(1 for lesson in lessons if lesson.slug in self.progress.read)
        self.progress_bar.setMaximum(max(len(lessons), 1))
        self.progress_bar.setValue(read)
        self.progress_bar.setToolTip(f"{read} of {len(lessons)} lessons read")
        self.contents.fill(lessons, self.progress, self._slug)

    def _show_font_notice(self) -> None:
        self.font_notice.setVisible(self.language == "ko" and not self.has_korean_font())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:  # another theme: once it is recorded
            QTimer.singleShot(0, self, self._colour_lines)

    def _colour_lines(self) -> None:
        colours = palette()
        error = bool(self.status_line.property("error"))
        self.status_line.setStyleSheet(f"color: {colours.error if error else colours.muted};")
        self.font_notice.setStyleSheet(f"color: {colours.warning};")
