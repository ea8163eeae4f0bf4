"""The Settings tab: timeouts, body size limit, redirects, TLS verification, proxy and
certificate files."""

from __future__ import annotations

import itertools
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.model import Options
from explorer.core.urls import proxy_problem
from explorer.ui.widgets.feedback import MessageLabel, add_form_row, mark_problem
from explorer.ui.widgets.file_picker import FilePicker
from explorer.ui.widgets.fitting import scrolling_page

_CERTIFICATES = "Certificates (*.pem *.crt *.cer);;All files (*)"
_KEYS = "Keys (*.pem *.key);;All files (*)"
SYSTEM_PROXY, NO_PROXY, CUSTOM_PROXY = 0, 1, 2
_COLUMN_GAP = 24  # between the two forms when they stand side by side
MIB = 1024 * 1024
TLS_OFF_WARNING = (
    "TLS certificates are not checked: anyone between you and the server could read or "
    "change this traffic. Use this only for test servers."
)


TRUST_REDIRECTS_TIP = (
    "Off (the default, as curl without --location-trusted): when a redirect leads to "
    "another scheme, host or port, Authorization, Cookie and auth headers, and any "
    "header or query value holding a secret, are not sent there. On: they follow "
    "every redirect, also from https to plain http."
)

COOKIE_JAR_TIP = (
    "On (the default): the request sends the workspace's cookies for its host and keeps "
    "the cookies its response sets (Request ▸ Cookies… shows them). Off: no cookie from "
    "the jar is sent and none it gets is kept; a Cookie header you typed is still sent."
)


class SettingsEditor(QWidget):
    """Edits `Options`; `changed` fires on every user edit, `tls_verification_changed`
    whenever verification is turned on or off (by the user or by `set_value`)."""

    changed = Signal()
    tls_verification_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._verify = True
        self._shown = Options()
        self._build_timeout_and_redirects()
        self._build_tls()
        self._build_proxy()
        self.ca_bundle_picker = FilePicker("CA bundle", self, _CERTIFICATES)
        self.ca_bundle_picker.line_edit.setPlaceholderText("Empty: as in Preferences")
        self.client_cert_picker = FilePicker("Client certificate", self, _CERTIFICATES)
        self.client_key_picker = FilePicker("Client key", self, _KEYS)
        for picker in (self.ca_bundle_picker, self.client_cert_picker, self.client_key_picker):
            picker.changed.connect(self.changed)
        self._lay_out()
        self.set_value(Options())

    # -- construction --------------------------------------------------------------

    def _build_timeout_and_redirects(self) -> None:
        self.timeout_spin = QDoubleSpinBox(self)
        self.timeout_spin.setRange(0, 86_400)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSingleStep(1)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setMinimumWidth(120)
        self.timeout_spin.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.timeout_spin.setSpecialValueText("No timeout")
        self.timeout_spin.setAccessibleName("Timeout in seconds")
        self.timeout_spin.setToolTip("0 waits for ever")
        self.timeout_spin.valueChanged.connect(self._on_edited)
        self.timeout_note = MessageLabel("muted", self)
        self.timeout_note.show_message(
            "How long to wait to connect and between bytes of the response; 0 waits for ever."
        )
        self.total_spin = QDoubleSpinBox(self)
        self.total_spin.setRange(0, 86_400)
        self.total_spin.setDecimals(1)
        self.total_spin.setSingleStep(1)
        self.total_spin.setSuffix(" s")
        self.total_spin.setMinimumWidth(120)
        self.total_spin.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.total_spin.setSpecialValueText("No limit")
        self.total_spin.setAccessibleName("Total time limit in seconds")
        self.total_spin.setToolTip(
            "The most the whole exchange may take, redirects and body included; 0: no limit"
        )
        self.total_spin.valueChanged.connect(self._on_edited)
        self.max_body_spin = QSpinBox(self)
        self.max_body_spin.setRange(0, 1 << 20)  # up to 1 TiB, in MiB
        self.max_body_spin.setSingleStep(64)
        self.max_body_spin.setSuffix(" MB")
        self.max_body_spin.setMinimumWidth(120)
        self.max_body_spin.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.max_body_spin.setSpecialValueText("Default (Preferences)")
        self.max_body_spin.setAccessibleName("Maximum response body in MB")
        self.max_body_spin.setToolTip(
            "The send stops when the decoded body passes this size; 0: the default set in "
            "Preferences"
        )
        self.max_body_spin.valueChanged.connect(self._on_edited)
        self.follow_check = QCheckBox("&Follow redirects", self)
        self.follow_check.setAccessibleName("Follow redirects")
        self.follow_check.toggled.connect(self._on_edited)
        self.max_redirects_spin = QSpinBox(self)
        self.max_redirects_spin.setRange(0, 100)
        self.max_redirects_spin.setPrefix("at most ")
        self.max_redirects_spin.setAccessibleName("Maximum redirects")
        self.max_redirects_spin.valueChanged.connect(self._on_edited)
        self.trust_check = QCheckBox("Send credentials to other hosts", self)
        self.trust_check.setAccessibleName("Send credentials to other hosts after a redirect")
        self.trust_check.setToolTip(TRUST_REDIRECTS_TIP)
        self.trust_check.toggled.connect(self._on_edited)

    def _build_tls(self) -> None:
        self.verify_check = QCheckBox("&Verify TLS certificates", self)
        self.verify_check.setAccessibleName("Verify TLS certificates")
        self.verify_check.toggled.connect(self._on_edited)
        self.tls_warning = MessageLabel("warning", self)
        self.tls_warning.setAccessibleName("TLS warning")
        self.cookies_check = QCheckBox("Use the cookie &jar", self)
        self.cookies_check.setAccessibleName("Use the cookie jar")
        self.cookies_check.setToolTip(COOKIE_JAR_TIP)
        self.cookies_check.toggled.connect(self._on_edited)

    def _build_proxy(self) -> None:
        self.proxy_group = QButtonGroup(self)
        # Left to the app: the proxy of Preferences ▸ Network (the system's by default).
        self.system_proxy_radio = QRadioButton("&Default", self)
        self.no_proxy_radio = QRadioButton("&No proxy", self)
        self.custom_proxy_radio = QRadioButton("C&ustom", self)
        for index, radio in enumerate(
            (self.system_proxy_radio, self.no_proxy_radio, self.custom_proxy_radio)
        ):
            radio.setAccessibleName(f"Proxy: {radio.text().replace('&', '')}")
            self.proxy_group.addButton(radio, index)
        self.system_proxy_radio.setAccessibleName("Proxy: Default (Preferences)")
        self.system_proxy_radio.setToolTip(
            "The proxy chosen in Preferences ▸ Network: the system's unless changed there"
        )
        self.system_proxy_radio.setChecked(True)
        self.proxy_group.idToggled.connect(self._on_proxy_toggled)
        self.proxy_edit = QLineEdit(self)
        self.proxy_edit.setPlaceholderText("http://127.0.0.1:8080")
        self.proxy_edit.setAccessibleName("Proxy URL")
        self.proxy_edit.textEdited.connect(self._on_edited)
        self.proxy_problem_label = MessageLabel("error", self)
        self.proxy_problem_label.setAccessibleName("Proxy problem")

    def _lay_out(self) -> None:
        redirects = QHBoxLayout()
        redirects.addWidget(self.follow_check)
        redirects.addWidget(self.max_redirects_spin)
        redirects.addStretch(1)
        radios = QHBoxLayout()
        for radio in self.proxy_group.buttons():
            radios.addWidget(radio)
        radios.addStretch(1)
        # Two forms: the send's own settings, then the network's. Side by side when the
        # pane is wide (a stacked split gives the editor the width but little height),
        # one under the other when it is narrow; the page scrolls rather than squeezes.
        sending = QFormLayout()
        add_form_row(sending, "&Timeout:", self.timeout_spin, self.timeout_note)
        sending.addRow("Total time &limit:", self.total_spin)
        sending.addRow("Maximum &body:", self.max_body_spin)
        sending.addRow("Redirects:", redirects)
        sending.addRow("", self.trust_check)
        add_form_row(sending, "TLS:", self.verify_check, self.tls_warning)
        sending.addRow("Cookies:", self.cookies_check)
        network = QFormLayout()
        network.addRow("Proxy:", radios)
        add_form_row(network, "Proxy &URL:", self.proxy_edit, self.proxy_problem_label)
        network.addRow("&CA bundle:", self.ca_bundle_picker)
        network.addRow("Client ce&rtificate:", self.client_cert_picker)
        network.addRow("Client &key:", self.client_key_picker)
        self._forms = (sending, network)
        for form in self._forms:
            form.setContentsMargins(0, 0, 0, 0)
        _align_labels(self._forms)
        page = QWidget(self)
        self._columns = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._columns.setSpacing(6)
        for form in self._forms:  # each at its own height, the room left below it
            column = QVBoxLayout()
            column.setSpacing(6)  # the forms' rows inherit it, not the gap between columns
            column.addLayout(form)
            column.addStretch(1)
            self._columns.addLayout(column, 1)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 6, 4, 0)
        page_layout.addLayout(self._columns)
        page_layout.addStretch(1)
        scrolling_page(self, page)
        chain = [
            self.timeout_spin,
            self.total_spin,
            self.max_body_spin,
            self.follow_check,
            self.max_redirects_spin,
            self.trust_check,
            self.verify_check,
            self.cookies_check,
            self.system_proxy_radio,
            self.no_proxy_radio,
            self.custom_proxy_radio,
            self.proxy_edit,
            self.ca_bundle_picker.line_edit,
            self.ca_bundle_picker.browse_button,
            self.client_cert_picker.line_edit,
            self.client_cert_picker.browse_button,
            self.client_key_picker.line_edit,
            self.client_key_picker.browse_button,
        ]
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)

    @property
    def two_columns(self) -> bool:
        """True while the two forms stand side by side."""
        return self._columns.direction() == QBoxLayout.Direction.LeftToRight

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        sending, network = (form.sizeHint().width() for form in self._forms)
        wide = event.size().width() >= sending + network + _COLUMN_GAP + 24  # + scroll bar
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if direction != self._columns.direction():
            self._columns.setDirection(direction)
            self._columns.setSpacing(_COLUMN_GAP if wide else 6)

    # -- value ---------------------------------------------------------------------

    def value(self) -> Options:
        """The settings as edited. The proxy URL is only in the result when Custom is
        chosen, but the field keeps it while another choice is shown."""
        choice = self.proxy_group.checkedId()
        # Fields this editor has no control for keep the value they were shown with.
        return replace(
            self._shown,
            timeout=self.timeout_spin.value(),
            total_timeout=self.total_spin.value(),
            max_body_size=self._max_body_size(),
            follow_redirects=self.follow_check.isChecked(),
            max_redirects=self.max_redirects_spin.value(),
            trust_redirects=self.trust_check.isChecked(),
            verify_tls=self.verify_check.isChecked(),
            send_cookies=self.cookies_check.isChecked(),
            proxy=self.proxy_edit.text().strip() if choice == CUSTOM_PROXY else "",
            use_system_proxy=choice == SYSTEM_PROXY,
            ca_bundle=self.ca_bundle_picker.path().strip(),
            client_cert=self.client_cert_picker.path().strip(),
            client_key=self.client_key_picker.path().strip(),
        )

    def set_value(self, options: Options) -> None:
        """Show `options`, without emitting `changed`."""
        self._shown = options
        self.blockSignals(True)
        try:
            self.timeout_spin.setValue(options.timeout)
            self.total_spin.setValue(options.total_timeout)
            self.max_body_spin.setValue(_in_mib(options.max_body_size))
            self.follow_check.setChecked(options.follow_redirects)
            self.max_redirects_spin.setValue(options.max_redirects)
            self.trust_check.setChecked(options.trust_redirects)
            self.verify_check.setChecked(options.verify_tls)
            self.cookies_check.setChecked(options.send_cookies)
            if options.proxy:
                self.custom_proxy_radio.setChecked(True)
            elif options.use_system_proxy:
                self.system_proxy_radio.setChecked(True)
            else:
                self.no_proxy_radio.setChecked(True)
            self.proxy_edit.setText(options.proxy)
            self.ca_bundle_picker.set_path(options.ca_bundle)
            self.client_cert_picker.set_path(options.client_cert)
            self.client_key_picker.set_path(options.client_key)
        finally:
            self.blockSignals(False)
        self._sync_enabled()

    def _max_body_size(self) -> int:
        """Bytes; a size given in bytes elsewhere (64MB from a file) stays exact unless
        the field was changed."""
        shown = self._shown.max_body_size
        if self.max_body_spin.value() == _in_mib(shown):
            return shown
        return self.max_body_spin.value() * MIB

    def problems(self) -> list[str]:
        """Settings that cannot work as given: a bad proxy URL, a missing file."""
        found = []
        if self.proxy_group.checkedId() == CUSTOM_PROXY:
            problem = proxy_problem(self.proxy_edit.text())
            if problem:
                found.append(f"Proxy: {problem}")
        for picker in (self.ca_bundle_picker, self.client_cert_picker, self.client_key_picker):
            if picker.problem():
                found.append(f"{picker.what}: {picker.problem()}")
        return found

    # -- reactions -----------------------------------------------------------------

    def _sync_enabled(self) -> None:
        """Enable what applies, show warnings; tell the tab when verification flips."""
        self.max_redirects_spin.setEnabled(self.follow_check.isChecked())
        self.trust_check.setEnabled(self.follow_check.isChecked())
        verify = self.verify_check.isChecked()
        self.tls_warning.show_message("" if verify else TLS_OFF_WARNING)
        # requests ignores the CA bundle when verification is off.
        self.ca_bundle_picker.setEnabled(verify)
        custom = self.proxy_group.checkedId() == CUSTOM_PROXY
        self.proxy_edit.setEnabled(custom)
        problem = proxy_problem(self.proxy_edit.text()) if custom else ""
        self.proxy_problem_label.show_message(problem)
        mark_problem(self.proxy_edit, problem)
        if verify != self._verify:
            self._verify = verify
            self.tls_verification_changed.emit(verify)

    def _on_proxy_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._on_edited()

    def _on_edited(self, *_args: object) -> None:
        if self.signalsBlocked():
            return
        self._sync_enabled()
        self.changed.emit()


def _in_mib(size: int) -> int:
    """Bytes as whole MiB for the field, rounded up so a small limit does not show as 0."""
    return min(-(-size // MIB), 1 << 20) if size > 0 else 0


def _align_labels(forms: tuple[QFormLayout, ...]) -> None:
    """Give every form's labels the width of the widest, so that the fields line up
    when the forms stand one under the other."""
    labels: list[QWidget] = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if label is not None:
                labels.append(label)
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)
