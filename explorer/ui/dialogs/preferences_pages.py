"""The pages of the Preferences dialog, one per section: each shows a part of
`core.preferences.Preferences` and gives it back as edited, with the one-line problem of
what it cannot accept shown under the field at fault."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.core.preferences import (
    MAX_FONT_SIZE,
    MAX_REDIRECTS,
    MAX_TEXT,
    MAX_TIMEOUT,
    MIN_FONT_SIZE,
    EditorFont,
    NetworkDefaults,
    ProxyMode,
    RequestDefaults,
    ThemeChoice,
    proxy_url_problem,
    server_port_problem,
)
from explorer.ui.widgets.feedback import MessageLabel, add_form_row, mark_problem, stacked
from explorer.ui.widgets.file_picker import FilePicker
from explorer.ui.widgets.fitting import fit_popup
from explorer.ui.widgets.fonts import default_family, font_families
from explorer.ui.widgets.theme import palette

_CERTIFICATES = "PEM certificates (*.pem *.crt *.cer);;All files (*)"


def _note(text: str, parent: QWidget) -> MessageLabel:
    label = MessageLabel("muted", parent)
    label.show_message(text)
    return label


class Page(QScrollArea):
    """A section: a titled form that scrolls when the text is large (200 % scale)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        # As needed, not off: where the screen is narrower than the page at a large text
        # size, the page scrolls sideways instead of cutting its right edge off.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.body = QWidget(self)
        self.setWidget(self.body)
        self.title = title
        self.setAccessibleName(f"{title} preferences")
        heading = QLabel(f"<b>{title}</b>", self.body)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.column = QVBoxLayout(self.body)
        self.column.addWidget(heading)
        self.column.addLayout(self.form)

    def finish(self) -> None:
        """Push the rows to the top and keep numbers and choices at their own width
        (called once the rows are added)."""
        self.column.addStretch(1)
        fields: list[QWidget] = [*self.body.findChildren(QAbstractSpinBox)]
        fields += self.body.findChildren(QComboBox)
        for field in fields:
            field.setMinimumWidth(140)
            field.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            if isinstance(field, QComboBox):
                fit_popup(field)  # the list shows every item whole

    def problem(self) -> tuple[str, QWidget | None]:
        """What this page cannot accept, and the field to focus ("" when all is fine)."""
        return "", None


class AppearancePage(Page):
    """The theme: dark, light, or the desktop's."""

    def __init__(self, choice: ThemeChoice, parent: QWidget | None = None) -> None:
        super().__init__("Appearance", parent)
        self.theme_combo = QComboBox(self.body)
        self.theme_combo.setAccessibleName("Theme")
        for label, value in (
            ("Dark", ThemeChoice.DARK),
            ("Light", ThemeChoice.LIGHT),
            ("Follow the system", ThemeChoice.SYSTEM),
        ):
            self.theme_combo.addItem(label, value.value)
        self.theme_combo.setCurrentIndex(self.theme_combo.findData(choice.value))
        add_form_row(
            self.form,
            "&Theme:",
            self.theme_combo,
            _note(
                "Follow the system switches between light and dark with the desktop; "
                "where the desktop does not say, the dark theme is used. The View menu "
                "sets it too.",
                self.body,
            ),
        )
        self.finish()

    def value(self) -> ThemeChoice:
        return ThemeChoice(self.theme_combo.currentData())


class EditorPage(Page):
    """The code font of editors, body viewers, code dialogs and logs."""

    def __init__(self, font: EditorFont, parent: QWidget | None = None) -> None:
        super().__init__("Editor", parent)
        self.family_combo = QComboBox(self.body)
        self.family_combo.setAccessibleName("Code font family")
        self.family_combo.setMaxVisibleItems(20)
        self.family_combo.addItem(f"Default ({default_family()})", "")
        fixed, others = font_families()
        for family in fixed:
            self.family_combo.addItem(family, family)
        if others:
            self.family_combo.insertSeparator(self.family_combo.count())
            for family in others:
                self.family_combo.addItem(f"{family} (proportional)", family)
        index = self.family_combo.findData(font.family)
        if index < 0:  # a family no longer installed: kept, and said
            self.family_combo.addItem(f"{font.family} (not installed)", font.family)
            index = self.family_combo.count() - 1
        self.family_combo.setCurrentIndex(index)
        self.size_spin = QSpinBox(self.body)
        self.size_spin.setRange(MIN_FONT_SIZE - 1, MAX_FONT_SIZE)
        self.size_spin.setSpecialValueText("Default")
        self.size_spin.setSuffix(" pt")
        self.size_spin.setAccessibleName("Code font size in points")
        self.size_spin.setValue(font.size or MIN_FONT_SIZE - 1)
        add_form_row(self.form, "Font &family:", self.family_combo)
        add_form_row(
            self.form,
            "Font &size:",
            self.size_spin,
            _note(
                "For request bodies, response bodies, headers as sent, generated code "
                "and logs; open tabs change at once. Fixed-width fonts are listed first.",
                self.body,
            ),
        )
        self.finish()

    def value(self) -> EditorFont:
        size = self.size_spin.value()
        return EditorFont(str(self.family_combo.currentData() or ""), 0 if size < 6 else size)


class RequestsPage(Page):
    """What a new request starts with, and the largest body a send accepts."""

    def __init__(
        self, defaults: RequestDefaults, max_body_mb: int, parent: QWidget | None = None
    ) -> None:
        super().__init__("Requests", parent)
        self.timeout_spin = QDoubleSpinBox(self.body)
        self.timeout_spin.setRange(0, MAX_TIMEOUT)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setSpecialValueText("No timeout")
        self.timeout_spin.setAccessibleName("Default timeout in seconds")
        self.timeout_spin.setValue(defaults.timeout)
        self.follow_check = QCheckBox("&Follow redirects", self.body)
        self.follow_check.setAccessibleName("Follow redirects by default")
        self.follow_check.setChecked(defaults.follow_redirects)
        self.max_redirects_spin = QSpinBox(self.body)
        self.max_redirects_spin.setRange(0, MAX_REDIRECTS)
        self.max_redirects_spin.setPrefix("at most ")
        self.max_redirects_spin.setAccessibleName("Default maximum redirects")
        self.max_redirects_spin.setValue(defaults.max_redirects)
        self.follow_check.toggled.connect(self.max_redirects_spin.setEnabled)
        self.max_redirects_spin.setEnabled(defaults.follow_redirects)
        self.verify_check = QCheckBox("&Verify TLS certificates", self.body)
        self.verify_check.setAccessibleName("Verify TLS certificates by default")
        self.verify_check.setChecked(defaults.verify_tls)
        self.max_body = QSpinBox(self.body)
        self.max_body.setRange(1, 1 << 20)  # 1 MiB to 1 TiB
        self.max_body.setSingleStep(256)
        self.max_body.setSuffix(" MB")
        self.max_body.setValue(max_body_mb)
        self.max_body.setAccessibleName("Maximum response body in MB")
        add_form_row(
            self.form,
            "&Timeout:",
            self.timeout_spin,
            _note("How long to wait to connect and between bytes; 0 waits for ever.", self.body),
        )
        add_form_row(self.form, "Redirects:", self.follow_check, self.max_redirects_spin)
        add_form_row(self.form, "TLS:", self.verify_check)
        add_form_row(
            self.form,
            "Maximum response &body:",
            self.max_body,
            _note(
                "A send stops with a message when the decoded body passes this size; a "
                "request can set its own limit in its Settings tab.",
                self.body,
            ),
        )
        self.column.addWidget(
            _note(
                "Timeout, redirects and TLS are what a new request starts with; requests "
                "already open or saved keep their own Settings.",
                self.body,
            )
        )
        self.finish()

    def value(self) -> RequestDefaults:
        return RequestDefaults(
            timeout=round(self.timeout_spin.value(), 1),
            follow_redirects=self.follow_check.isChecked(),
            max_redirects=self.max_redirects_spin.value(),
            verify_tls=self.verify_check.isChecked(),
        )


class NetworkPage(Page):
    """The proxy and CA bundle of the window's sends."""

    def __init__(self, network: NetworkDefaults, parent: QWidget | None = None) -> None:
        super().__init__("Network", parent)
        self.proxy_group = QButtonGroup(self)
        self.system_radio = QRadioButton("S&ystem proxy (from the environment)", self.body)
        self.none_radio = QRadioButton("&No proxy", self.body)
        self.manual_radio = QRadioButton("&Manual:", self.body)
        radios = {
            ProxyMode.SYSTEM: self.system_radio,
            ProxyMode.NONE: self.none_radio,
            ProxyMode.MANUAL: self.manual_radio,
        }
        for mode, radio in radios.items():
            radio.setProperty("proxyMode", mode.value)
            radio.setAccessibleName(f"Proxy: {radio.text().replace('&', '').rstrip(':')}")
            self.proxy_group.addButton(radio)
        radios[network.proxy_mode].setChecked(True)
        self.proxy_edit = QLineEdit(network.proxy_url, self.body)
        self.proxy_edit.setMaxLength(MAX_TEXT)
        self.proxy_edit.setPlaceholderText("http://127.0.0.1:3128")
        self.proxy_edit.setAccessibleName("Proxy URL")
        self.proxy_problem = MessageLabel("error", self.body)
        self.proxy_problem.setAccessibleName("Proxy problem")
        self.proxy_group.buttonToggled.connect(self._on_mode_toggled)
        self.proxy_edit.textEdited.connect(lambda _t: self._show_proxy_problem(""))
        self.ca_picker = FilePicker("CA bundle", self.body, _CERTIFICATES)
        self.ca_picker.set_path(network.ca_bundle)
        self.ca_problem = MessageLabel("error", self.body)
        self.ca_problem.setAccessibleName("CA bundle problem")
        self.ca_picker.changed.connect(lambda: self.show_ca_problem(""))
        add_form_row(
            self.form,
            "Proxy:",
            self.system_radio,
            self.none_radio,
            self.manual_radio,
            self.proxy_edit,
            self.proxy_problem,
            _note(
                "A password is never stored here: keep it in a secret global variable "
                "and write its name, e.g. http://me:{{proxy_password}}@proxy:3128.",
                self.body,
            ),
        )
        add_form_row(
            self.form,
            "&CA bundle:",
            self.ca_picker,
            self.ca_problem,
            _note(
                "PEM certificates that TLS checks trust instead of the built-in list of "
                "authorities; empty: the built-in list.",
                self.body,
            ),
        )
        self.column.addWidget(
            _note(
                "Used by every send from the window whose request keeps the \u201cDefault\u201d "
                "proxy and no CA bundle in its Settings tab; a request's own choice wins. "
                "The command line (run) does not read them.",
                self.body,
            )
        )
        self._on_mode_toggled()
        self.finish()

    def mode(self) -> ProxyMode:
        checked = self.proxy_group.checkedButton()
        return ProxyMode(checked.property("proxyMode")) if checked else ProxyMode.SYSTEM

    def value(self) -> NetworkDefaults:
        manual = self.mode() == ProxyMode.MANUAL
        return NetworkDefaults(
            proxy_mode=self.mode(),
            proxy_url=self.proxy_edit.text().strip() if manual else "",
            ca_bundle=self.ca_picker.path().strip(),
        )

    def problem(self) -> tuple[str, QWidget | None]:
        if self.mode() == ProxyMode.MANUAL:
            problem = proxy_url_problem(self.proxy_edit.text())
            self._show_proxy_problem(problem)
            if problem:
                return problem, self.proxy_edit
        return "", None

    def show_ca_problem(self, problem: str) -> None:
        """Show why the CA bundle was refused (checked off the GUI thread by the dialog)."""
        self.ca_problem.show_message(problem)
        mark_problem(self.ca_picker.line_edit, problem)

    def _show_proxy_problem(self, problem: str) -> None:
        self.proxy_problem.show_message(problem)
        mark_problem(self.proxy_edit, problem)

    def _on_mode_toggled(self, *_args: object) -> None:
        self.proxy_edit.setEnabled(self.mode() == ProxyMode.MANUAL)
        self._show_proxy_problem("")


class ServerPage(Page):
    """The sample server's port."""

    def __init__(self, port: int, parent: QWidget | None = None) -> None:
        super().__init__("Sample server", parent)
        self.port_spin = QSpinBox(self.body)
        self.port_spin.setRange(0, 65535)
        self.port_spin.setSpecialValueText("Any free port")
        self.port_spin.setAccessibleName("Sample server port")
        self.port_spin.setValue(port)
        self.port_problem = MessageLabel("error", self.body)
        self.port_problem.setAccessibleName("Port problem")
        self.port_spin.valueChanged.connect(lambda _v: self.port_problem.show_message(""))
        add_form_row(
            self.form,
            "&Port:",
            self.port_spin,
            self.port_problem,
            _note(
                "A fixed port keeps saved URLs and history working from one start to the "
                "next; when it is taken, a free one is used and the status bar says so. "
                "Takes effect at the server's next start.",
                self.body,
            ),
        )
        self.finish()

    def value(self) -> int:
        return self.port_spin.value()

    def problem(self) -> tuple[str, QWidget | None]:
        problem = server_port_problem(self.value())
        self.port_problem.show_message(problem)
        mark_problem(self.port_spin, problem)
        return problem, self.port_spin if problem else None


class HistoryPage(Page):
    """How much history is kept, and whether credentials are kept in it."""

    def __init__(
        self, entries: int, days: int, keep_sensitive: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__("History", parent)
        self.max_entries = QSpinBox(self.body)
        self.max_entries.setRange(0, 1_000_000)
        self.max_entries.setSingleStep(500)
        self.max_entries.setSpecialValueText("No limit")
        self.max_entries.setValue(entries)
        self.max_entries.setAccessibleName("Maximum history entries")
        self.max_age = QSpinBox(self.body)
        self.max_age.setRange(0, 3650)
        self.max_age.setSuffix(" days")
        self.max_age.setSpecialValueText("No limit")
        self.max_age.setValue(days)
        self.max_age.setAccessibleName("Maximum history age in days")
        self.keep_sensitive = QCheckBox(
            "Keep Authorization, Cookie and secret values in the history", self.body
        )
        self.keep_sensitive.setChecked(keep_sensitive)
        self.keep_sensitive.setAccessibleName("Keep credentials in history")
        add_form_row(self.form, "Keep &at most:", self.max_entries)
        add_form_row(self.form, "&Forget entries older than:", self.max_age)
        note = _note(
            "By default they are replaced by a placeholder before being stored.", self.body
        )
        self.form.addRow(stacked(self.keep_sensitive, note, parent=self.body))
        self.finish()


class ExplainPage(Page):
    """Which rules the Explain tab of a response checks: every rule of this version by
    category, a checkbox each (checked = on). Silenced ids this version does not know (a
    newer one's rules) are kept as they are."""

    def __init__(self, silenced: frozenset[str], parent: QWidget | None = None) -> None:
        super().__init__("Explain", parent)
        from explorer.core.explain import all_rules

        self.rules = all_rules()
        known = {rule.id for rule in self.rules}
        self._unknown = frozenset(silenced - known)
        self.column.addWidget(
            _note(
                "The Explain tab of a response says what the exchange does against HTTP's "
                "rules. A rule turned off here is not checked for any response; findings "
                "never stop a request either way.",
                self.body,
            )
        )
        self.filter_edit = QLineEdit(self.body)
        self.filter_edit.setPlaceholderText("Filter rules by name, id or category")
        self.filter_edit.setAccessibleName("Filter rules")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMaxLength(200)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.all_on_button = QPushButton("Turn all on", self.body)
        self.all_on_button.setAccessibleName("Turn all rules on")
        self.all_on_button.clicked.connect(self.turn_all_on)
        tools = QHBoxLayout()
        tools.addWidget(self.filter_edit, 1)
        tools.addWidget(self.all_on_button)
        self.column.addLayout(tools)
        self.tree = QTreeWidget(self.body)
        self.tree.setAccessibleName("Explain rules")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Rule", "Id"])
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(16)
        # The titles take the room; an id too long for its share is cut (whole in its
        # tooltip): with ids at their full width the titles were cut instead.
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.tree.viewport().installEventFilter(self)
        self.tree.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        self._items: dict[str, QTreeWidgetItem] = {}
        groups: dict[str, QTreeWidgetItem] = {}
        for rule in self.rules:
            group = groups.get(rule.category.value)
            if group is None:
                group = QTreeWidgetItem([rule.category.value, ""])
                group.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsAutoTristate
                )
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                self.tree.addTopLevelItem(group)
                groups[rule.category.value] = group
            item = QTreeWidgetItem([rule.title, rule.id])
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsSelectable
            )
            on = rule.id not in silenced
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, rule.title)
            specs = "\n".join(ref.label for ref in rule.references)
            item.setToolTip(0, f"{rule.title}\n{specs}".strip())
            item.setToolTip(1, rule.id)
            item.setForeground(1, QBrush(palette().qcolor("muted")))
            group.addChild(item)
            self._items[rule.id] = item
        self.tree.expandAll()
        self.tree.itemChanged.connect(lambda *_: self._count())
        self.count_label = _note("", self.body)
        self.column.addWidget(self.tree, 1)
        self.column.addWidget(self.count_label)
        if not self.rules:
            self.count_label.show_message("This version has no rules to check yet.")
        self._count()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and watched is self.tree.viewport():
            self.tree.header().resizeSection(1, self.tree.viewport().width() * 2 // 5)
        return super().eventFilter(watched, event)

    def value(self) -> frozenset[str]:
        """The silenced ids: the rules unchecked here, and those this version lacks."""
        off = {
            rule_id
            for rule_id, item in self._items.items()
            if item.checkState(0) != Qt.CheckState.Checked
        }
        return frozenset(off) | self._unknown

    def set_rule_on(self, rule_id: str, on: bool) -> None:
        item = self._items[rule_id]
        item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def turn_all_on(self) -> None:
        """Every rule checked (the ones a filter hides too); unknown ids are dropped."""
        for item in self._items.values():
            item.setCheckState(0, Qt.CheckState.Checked)
        self._unknown = frozenset()
        self._count()

    def shown_rules(self) -> list[str]:
        """The ids the filter leaves in view."""
        return [rule_id for rule_id, item in self._items.items() if not item.isHidden()]

    def _apply_filter(self, text: str) -> None:
        words = text.lower().split()
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            if group is None:
                continue
            category = group.text(0).lower()
            visible = 0
            for child_index in range(group.childCount()):
                child = group.child(child_index)
                if child is None:
                    continue
                haystack = f"{category} {child.text(0).lower()} {child.text(1)}"
                match = all(word in haystack for word in words)
                child.setHidden(not match)
                visible += match
            group.setHidden(visible == 0)

    def _count(self) -> None:
        if not self.rules:
            return
        off = len(self.value() - self._unknown)
        total = len(self.rules)
        said = f"{total - off} of {total} rules on"
        self.count_label.show_message(said + (f"; {off} silenced." if off else "."))
        self.all_on_button.setEnabled(bool(self.value()))
