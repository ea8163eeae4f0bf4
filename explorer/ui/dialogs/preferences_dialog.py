"""Preferences: a list of sections beside their pages (Appearance, Editor, Requests,
Network, Sample server, History, Explain). Save checks every value, stores them and applies them
at once; Cancel changes nothing.

The values, their defaults and their checks are Qt-free (`core/preferences.py`); the
settings file is read and written by `qt/preference_store.py`. The theme is applied by
the window (its View menu shows the same choice) when `applied` fires; the code font is
applied here, to every open code view.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.http import limits
from explorer.core.preferences import Preferences, ca_bundle_problem
from explorer.qt.background import BackgroundQueue
from explorer.qt.explain_silencing import silenced_rules
from explorer.qt.preference_store import load_preferences, save_preferences
from explorer.qt.workspace import Workspace
from explorer.ui.dialogs.preferences_pages import (
    AppearancePage,
    EditorPage,
    ExplainPage,
    HistoryPage,
    NetworkPage,
    Page,
    RequestsPage,
    ServerPage,
)
from explorer.ui.widgets.feedback import MessageLabel
from explorer.ui.widgets.fonts import apply_code_font

MIB = 1024 * 1024


def apply_saved_limits(settings: QSettings) -> None:
    """Make the remembered maximum body size the default of every send."""
    limits.set_default_max_body_size(saved_max_body_size(settings))


def saved_max_body_size(settings: QSettings) -> int:
    """The remembered maximum, in bytes (the built-in 1 GiB when none or unreadable)."""
    return limits.size_from_setting(settings.value(limits.MAX_BODY_SETTING, 0))


class PreferencesDialog(QDialog):
    """Edit the preferences; Save applies them at once (old history entries are pruned,
    open code views change font, the window changes theme)."""

    applied = Signal(object)  # the Preferences just saved

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        saved = load_preferences(workspace.settings)
        self._saved = saved
        entries, days = workspace.history_limits()
        max_body_mb = -(-saved_max_body_size(workspace.settings) // MIB)
        self.appearance = AppearancePage(saved.theme, self)
        self.editor = EditorPage(saved.font, self)
        self.requests = RequestsPage(saved.requests, max_body_mb, self)
        self.network = NetworkPage(saved.network, self)
        self.server = ServerPage(saved.server_port, self)
        self.history = HistoryPage(entries, days, workspace.history.keep_sensitive, self)
        self.explain = ExplainPage(saved.explain_silenced, self)
        # The names the history and body-size controls have always had.
        self.max_entries = self.history.max_entries
        self.max_age = self.history.max_age
        self.keep_sensitive = self.history.keep_sensitive
        self.max_body = self.requests.max_body

        self.sections = QListWidget(self)
        self.sections.setAccessibleName("Preference sections")
        self.sections.setSpacing(3)
        self.stack = QStackedWidget(self)
        for page in self.pages():
            self.sections.addItem(page.title)
            self.stack.addWidget(page)
        self.sections.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sections.setCurrentRow(0)
        width = max(self.sections.sizeHintForColumn(0), 80)
        self.sections.setFixedWidth(width + 2 * self.sections.frameWidth() + 24)

        self.problem_label = MessageLabel("error", self)
        self.problem_label.setAccessibleName("Preferences problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self._checks = BackgroundQueue(self)  # the CA bundle is read off the GUI thread
        self._checking = False

        row = QHBoxLayout()
        row.addWidget(self.sections)
        row.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self._fit_to_text()

    def _fit_to_text(self) -> None:
        """About 125 characters by 34 lines of the dialog's font (760 × 500 at the usual
        size), never past 90 % of the screen: at 200 % text the pages scroll."""
        metrics = self.fontMetrics()
        width, height = metrics.averageCharWidth() * 125, metrics.lineSpacing() * 34
        parent = self.parentWidget()
        screen = parent.screen() if parent is not None else self.screen()
        if screen is not None:
            area = screen.availableGeometry()
            width, height = min(width, area.width() * 9 // 10), min(height, area.height() * 9 // 10)
        self.resize(width, height)

    def pages(self) -> list[Page]:
        """The sections, in the order listed."""
        return [
            self.appearance,
            self.editor,
            self.requests,
            self.network,
            self.server,
            self.history,
            self.explain,
        ]

    def show_page(self, page: Page) -> None:
        """Bring `page` to the front (and select it in the list)."""
        self.sections.setCurrentRow(self.pages().index(page))

    def preferences(self) -> Preferences:
        """The preferences as edited (not yet checked)."""
        return Preferences(
            theme=self.appearance.value(),
            font=self.editor.value(),
            requests=self.requests.value(),
            network=self.network.value(),
            server_port=self.server.value(),
            explain_silenced=self.explain.value(),
        )

    def apply(self) -> None:
        """Check the values, then store and apply them and close; a value refused is
        named under its field and in the line above the buttons, and nothing is kept."""
        if self._checking:
            return
        for page in self.pages():
            problem, field = page.problem()
            if problem:
                self._refuse(page, problem, field)
                return
        bundle = self.network.value().ca_bundle
        if not bundle:
            self._commit()
            return
        self._checking = True
        self.problem_label.show_message("Checking the CA bundle…", "muted")
        self.buttons.setEnabled(False)
        self._checks.run(
            lambda: ca_bundle_problem(bundle),
            self._on_bundle_checked,
            lambda error: self._on_bundle_checked(f"The CA bundle cannot be read: {error}"),
        )

    def _on_bundle_checked(self, problem: object) -> None:
        self._checking = False
        if not self.isVisible():
            return  # cancelled (Esc, the title bar's close) while the file was read
        self.buttons.setEnabled(True)
        self.problem_label.show_message("")
        if problem:
            self.network.show_ca_problem(str(problem))
            self._refuse(self.network, str(problem), self.network.ca_picker)
            return
        self._commit()

    def _refuse(self, page: Page, problem: str, field: QWidget | None) -> None:
        self.show_page(page)
        self.problem_label.show_message(f"{page.title}: {problem}", "error")
        if field is not None:
            field.setFocus()

    def _commit(self) -> None:
        self.problem_label.show_message("")
        settings = self.workspace.settings
        self.workspace.set_history_preferences(
            self.max_entries.value(), self.max_age.value(), self.keep_sensitive.isChecked()
        )
        size = self.max_body.value() * MIB
        if size != -(-saved_max_body_size(settings) // MIB) * MIB:
            settings.setValue(limits.MAX_BODY_SETTING, size)
            apply_saved_limits(settings)
        preferences = self.preferences()
        save_preferences(settings, preferences)
        if preferences.font != self._saved.font:
            apply_code_font(preferences.font)
        # Every open Explain tab works its findings out again without the silenced rules.
        silenced_rules().set_ids(preferences.explain_silenced)
        self._saved = preferences
        self.applied.emit(preferences)
        self.accept()
