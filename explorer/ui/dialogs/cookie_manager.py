"""The cookie manager: the workspace's one jar, by domain, to see, add, edit and delete.

Every tab sends with this jar (explorer.core.http.cookie_store), so what the manager
shows is what the next send of any tab carries, and a change here counts from that send
on. The jar is read off the GUI thread the first time; each change is made in memory at
once (a few dict operations under the jar's lock) and written to the file (0600) on
the workspace's background queue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.widgets.feedback import MessageLabel

if TYPE_CHECKING:
    from explorer.core.http.cookie_jar import CookieFields, SharedJar
    from explorer.qt.workspace import Workspace

COLUMNS = ("Name", "Value", "Domain", "Path", "Expires", "Secure", "HttpOnly", "SameSite")
ALL_DOMAINS = ""  # the domain list's first row
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")  # RFC 6265 cookie-name
_BAD_VALUE = re.compile(r"[\x00-\x1f\x7f;]")  # would break the header or the file line
_DOMAIN = re.compile(r"^\.?[A-Za-z0-9_\-.:\[\]]+$")


def domain_key(domain: str) -> str:
    """The domain a cookie is listed under: without the dot that lets subdomains in."""
    return domain.lstrip(".").lower()


def expires_text(expires: int | None) -> str:
    if expires is None:
        return "Session"
    return datetime.fromtimestamp(expires).strftime("%Y-%m-%d %H:%M")


def check_cookie(fields: CookieFields) -> str:
    """What is wrong with a cookie the user typed, in one line ("" when nothing)."""
    if not fields.name:
        return "A cookie needs a name."
    if not _TOKEN.match(fields.name):
        return "The name may hold letters, digits and !#$%&'*+-.^_`|~ only."
    if _BAD_VALUE.search(fields.value):
        return "The value may not hold a semicolon, a tab or a line break."
    if len(fields.name) + len(fields.value) > 4096:
        return "Name and value together may be at most 4096 characters."
    if not fields.domain or not _DOMAIN.match(fields.domain):
        return "The domain is a host name such as example.com (.example.com: subdomains too)."
    if not fields.path.startswith("/") or _BAD_VALUE.search(fields.path) or " " in fields.path:
        return "The path starts with / and holds no spaces."
    return ""


class CookieEditDialog(QDialog):
    """One cookie's fields; `cookie()` is what was typed, checked on OK."""

    def __init__(
        self, cookie: CookieFields | None, domain: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit cookie" if cookie else "Add cookie")
        self.setAccessibleName(self.windowTitle())
        self.name_edit = QLineEdit(self)
        self.value_edit = QLineEdit(self)
        self.domain_edit = QLineEdit(self)
        self.domain_edit.setPlaceholderText("example.com")
        self.domain_edit.setToolTip(
            "example.com: sent to that host only; .example.com: to its subdomains too"
        )
        self.path_edit = QLineEdit("/", self)
        self.session_check = QCheckBox("Session cookie (no expiry date)", self)
        self.expires_edit = QDateTimeEdit(QDateTime.currentDateTime().addDays(30), self)
        self.expires_edit.setCalendarPopup(True)
        self.expires_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.secure_check = QCheckBox("Secure (https only)", self)
        self.http_only_check = QCheckBox("HttpOnly", self)
        self.same_site_combo = QComboBox(self)
        for text, value in (
            ("Not set", ""),
            ("Lax", "Lax"),
            ("Strict", "Strict"),
            ("None", "None"),
        ):
            self.same_site_combo.addItem(text, value)
        self.same_site_combo.setToolTip(
            "Kept while the app runs; the cookies.txt file has no place for it"
        )
        for widget, name in (
            (self.name_edit, "Cookie name"),
            (self.value_edit, "Cookie value"),
            (self.domain_edit, "Cookie domain"),
            (self.path_edit, "Cookie path"),
            (self.expires_edit, "Cookie expiry"),
            (self.same_site_combo, "Cookie SameSite"),
        ):
            widget.setAccessibleName(name)
            if isinstance(widget, QLineEdit | QDateTimeEdit):
                widget.setMinimumWidth(320)
        self.problem = MessageLabel("error", self)
        self.problem.setAccessibleName("Cookie problem")
        self.session_check.toggled.connect(lambda on: self.expires_edit.setEnabled(not on))
        self.session_check.setChecked(True)

        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Value:", self.value_edit)
        form.addRow("&Domain:", self.domain_edit)
        form.addRow("&Path:", self.path_edit)
        form.addRow("", self.session_check)
        form.addRow("&Expires:", self.expires_edit)
        form.addRow("", self.secure_check)
        form.addRow("", self.http_only_check)
        form.addRow("&SameSite:", self.same_site_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        if cookie is not None:
            self._show(cookie)
        else:
            self.domain_edit.setText(domain)

    def _show(self, cookie: CookieFields) -> None:
        self.name_edit.setText(cookie.name)
        self.value_edit.setText(cookie.value)
        self.domain_edit.setText(cookie.domain)
        self.path_edit.setText(cookie.path)
        self.session_check.setChecked(cookie.expires is None)
        if cookie.expires is not None:
            self.expires_edit.setDateTime(QDateTime.fromSecsSinceEpoch(cookie.expires))
        self.secure_check.setChecked(cookie.secure)
        self.http_only_check.setChecked(cookie.http_only)
        known = [str(self.same_site_combo.itemData(i)).lower() for i in range(4)]
        wanted = cookie.same_site.lower()
        self.same_site_combo.setCurrentIndex(known.index(wanted) if wanted in known else 0)

    def cookie(self) -> CookieFields:
        from explorer.core.http.cookie_jar import CookieFields

        session = self.session_check.isChecked()
        return CookieFields(
            name=self.name_edit.text().strip(),
            value=self.value_edit.text(),
            domain=self.domain_edit.text().strip().lower(),
            path=self.path_edit.text().strip() or "/",
            expires=None if session else self.expires_edit.dateTime().toSecsSinceEpoch(),
            secure=self.secure_check.isChecked(),
            http_only=self.http_only_check.isChecked(),
            same_site=str(self.same_site_combo.currentData() or ""),
        )

    def _on_ok(self) -> None:
        problem = check_cookie(self.cookie())
        self.problem.show_message(problem)
        if not problem:
            self.accept()


class CookieManager(QDialog):
    """The workspace's cookies: domains on the left, their cookies on the right."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = workspace.cookies
        self._run_later = workspace.run_later
        self._cookies: list[CookieFields] = []
        # Replaceable in tests: each returns what the user chose.
        self.ask_cookie: Callable[[CookieFields | None, str], CookieFields | None] = self._ask
        self.confirm: Callable[[str], bool] = self._confirm
        self.setWindowTitle("Cookies")
        self.setAccessibleName("Cookie manager")
        # Wide enough for the eight columns with room for values, within the window.
        room = parent.window().size() if parent is not None else None
        width = min(1120, int(room.width() * 0.85)) if room is not None else 1040
        height = min(600, int(room.height() * 0.8)) if room is not None else 560
        self.resize(max(width, 860), max(height, 420))

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search domains and cookie names")
        self.search_edit.setAccessibleName("Search cookies")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _text: self._refresh())
        self.domain_list = QListWidget(self)
        self.domain_list.setAccessibleName("Cookie domains")
        self.domain_list.currentItemChanged.connect(lambda *_: self._fill_table())
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName("Cookies of the domain")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(48)
        for column, size in ((0, 130), (2, 140), (3, 60), (4, 126)):
            header.resizeSection(column, size)
        # The value takes what is left; the flags are as wide as their titles.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (5, 6, 7):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.itemSelectionChanged.connect(self._sync_buttons)
        self.empty_note = MessageLabel("muted", self)
        self.message = MessageLabel("muted", self)
        self.message.setAccessibleName("Cookie jar message")

        self.add_button = QPushButton("&Add…", self)
        self.edit_button = QPushButton("&Edit…", self)
        self.delete_button = QPushButton("&Delete", self)
        self.delete_domain_button = QPushButton("Delete do&main", self)
        self.clear_button = QPushButton("&Clear all…", self)
        self.add_button.clicked.connect(self.add_cookie)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_domain_button.clicked.connect(self.delete_domain)
        self.clear_button.clicked.connect(self.clear_all)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.table)
        right_layout.addWidget(self.empty_note)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.domain_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 900])
        splitter.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_domain_button)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(close)

        if self.store.loaded:
            self._refresh()
        else:
            self._set_enabled(False)
            self.message.show_message("Reading the cookie jar…")
            self._run_later(self.store.jar, self._on_loaded, self._on_failed)

    # ---- what is shown -----------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Coming back to the manager shows what sends stored meanwhile."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            if self.store.loaded and self.table.isEnabled():
                self._refresh()

    def _jar(self) -> SharedJar:
        return self.store.jar()  # read already (loaded before any change is possible)

    def _on_loaded(self, _jar: object) -> None:
        self._set_enabled(True)
        self.message.show_message(self.store.problem, "warning" if self.store.problem else None)
        self._refresh()

    def _on_failed(self, error: Exception) -> None:
        self.message.show_message(f"The cookie jar could not be read: {error}", "error")

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.search_edit, self.domain_list, self.table, self.add_button):
            widget.setEnabled(enabled)
        self._sync_buttons()

    def _matches(self, cookie: CookieFields, needle: str) -> bool:
        return not needle or needle in cookie.domain.lower() or needle in cookie.name.lower()

    def _refresh(self) -> None:
        """Read the jar again and show it, keeping the chosen domain if it is still
        there."""
        from explorer.core.http.cookie_jar import cookies_of

        self._cookies = cookies_of(self._jar())
        needle = self.search_edit.text().strip().lower()
        shown = [c for c in self._cookies if self._matches(c, needle)]
        counts: dict[str, int] = {}
        for cookie in shown:
            counts[domain_key(cookie.domain)] = counts.get(domain_key(cookie.domain), 0) + 1
        current = self.current_domain()
        self.domain_list.blockSignals(True)
        self.domain_list.clear()
        everything = QListWidgetItem(f"All domains ({len(shown)})")
        everything.setData(Qt.ItemDataRole.UserRole, ALL_DOMAINS)
        self.domain_list.addItem(everything)
        chosen = everything
        for domain in sorted(counts):
            item = QListWidgetItem(f"{domain} ({counts[domain]})")
            item.setData(Qt.ItemDataRole.UserRole, domain)
            item.setToolTip(domain)
            self.domain_list.addItem(item)
            if domain == current:
                chosen = item
        self.domain_list.setCurrentItem(chosen)
        self.domain_list.blockSignals(False)
        self._fill_table()

    def current_domain(self) -> str:
        """The domain chosen on the left ("" for all of them)."""
        item = self.domain_list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ALL_DOMAINS

    def shown_cookies(self) -> list[CookieFields]:
        """The cookies in the table, in its order."""
        needle = self.search_edit.text().strip().lower()
        domain = self.current_domain()
        return [
            c
            for c in self._cookies
            if self._matches(c, needle) and (not domain or domain_key(c.domain) == domain)
        ]

    def _fill_table(self) -> None:
        cookies = self.shown_cookies()
        self.table.setRowCount(len(cookies))
        for row, cookie in enumerate(cookies):
            cells = (
                cookie.name,
                cookie.value,
                cookie.domain,
                cookie.path,
                expires_text(cookie.expires),
                "✓" if cookie.secure else "",
                "✓" if cookie.http_only else "",
                cookie.same_site,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setToolTip(text[:500])
                self.table.setItem(row, column, item)
        if cookies:
            self.empty_note.show_message("")
        elif self._cookies:
            self.empty_note.show_message("No cookie matches the search.")
        else:
            self.empty_note.show_message(
                "The jar is empty. Cookies that responses set appear here, and every tab "
                "sends them; Add… makes one by hand."
            )
        self._sync_buttons()

    def _selected(self) -> list[CookieFields]:
        cookies = self.shown_cookies()
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [cookies[row] for row in rows if row < len(cookies)]

    def _sync_buttons(self) -> None:
        loaded = self.store.loaded and self.table.isEnabled()
        selected = loaded and bool(self.table.selectionModel().selectedRows())
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
        self.delete_domain_button.setEnabled(loaded and bool(self.current_domain()))
        self.clear_button.setEnabled(loaded and bool(self._cookies))

    # ---- changes ------------------------------------------------------------------------

    def _changed(self) -> None:
        """Show the jar as it is now and write it to its file in the background."""
        self._refresh()
        self._run_later(self.store.save_if_changed, self._on_saved, self._on_save_failed)

    def _on_saved(self, _written: object) -> None:
        self.message.show_message(self.store.problem, "error" if self.store.problem else None)

    def _on_save_failed(self, error: Exception) -> None:
        self.message.show_message(f"The cookies could not be saved: {error}", "error")

    def add_cookie(self) -> None:
        cookie = self.ask_cookie(None, self.current_domain())
        if cookie is None:
            return
        from explorer.core.http.cookie_jar import put

        put(self._jar(), cookie)
        self._changed()

    def edit_selected(self) -> None:
        selected = self._selected()
        if not selected:
            return
        edited = self.ask_cookie(selected[0], "")
        if edited is None or edited == selected[0]:
            return
        from explorer.core.http.cookie_jar import put

        put(self._jar(), edited, replacing=selected[0])
        self._changed()

    def delete_selected(self) -> None:
        from explorer.core.http.cookie_jar import remove

        selected = self._selected()
        for cookie in selected:
            remove(self._jar(), cookie)
        if selected:
            self._changed()

    def delete_domain(self) -> None:
        domain = self.current_domain()
        if not domain:
            return
        from explorer.core.http.cookie_jar import remove_domain

        remove_domain(self._jar(), domain)
        self._changed()

    def clear_all(self) -> None:
        count = len(self._cookies)
        if not count or not self.confirm(f"Delete all {count} cookies of the workspace?"):
            return
        self._jar().clear()
        self._changed()

    # ---- questions (replaced in tests) -----------------------------------------------

    def _ask(self, cookie: CookieFields | None, domain: str) -> CookieFields | None:
        dialog = CookieEditDialog(cookie, domain, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.cookie() if accepted else None

    def _confirm(self, question: str) -> bool:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self, "Clear cookies", question, buttons.Yes | buttons.Cancel, buttons.Cancel
        )
        return answer == buttons.Yes
