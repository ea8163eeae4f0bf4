"""The Settings tab: timeout, redirects, TLS, proxy and certificate files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from explorer.core.model import Options
from explorer.ui.request.settings_editor import TLS_OFF_WARNING, SettingsEditor, proxy_problem
from explorer.ui.widgets.feedback import problem_of


@pytest.fixture
def editor(qtbot):
    widget = SettingsEditor()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_defaults_match_the_model(editor):
    assert editor.value() == Options()
    assert not editor.tls_warning.isVisible()


def test_timeout_typed_and_zero_means_none(qtbot, editor):
    spin = editor.timeout_spin
    spin.selectAll()
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClicks(spin, "2.5")
    assert editor.value().timeout == 2.5
    spin.selectAll()
    qtbot.keyClicks(spin, "0")
    assert editor.value().timeout == 0
    assert spin.specialValueText() == "No timeout"
    assert "0 waits for ever" in editor.timeout_note.text()


def test_max_redirects_only_when_following(qtbot, editor):
    assert editor.max_redirects_spin.isEnabled()
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(editor.follow_check, Qt.MouseButton.LeftButton)
    assert not editor.max_redirects_spin.isEnabled()
    assert editor.value().follow_redirects is False


def test_turning_verification_off_warns(qtbot, editor):
    with qtbot.waitSignal(editor.tls_verification_changed) as signal:
        # On the box itself: the check box may be wider than its text.
        box = QPoint(6, editor.verify_check.height() // 2)
        qtbot.mouseClick(editor.verify_check, Qt.MouseButton.LeftButton, pos=box)
    assert signal.args == [False]
    assert editor.tls_warning.isVisible()
    assert editor.tls_warning.text() == TLS_OFF_WARNING
    assert not editor.ca_bundle_picker.isEnabled()
    assert editor.value().verify_tls is False
    with qtbot.waitSignal(editor.tls_verification_changed) as signal:
        editor.set_value(Options())
    assert signal.args == [True]
    assert not editor.tls_warning.isVisible()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:8080", ""),
        ("https://proxy.example.com", ""),
        ("http://user:pw@proxy:3128", ""),
        ("{{proxy}}", ""),
        ("", "Type the proxy URL"),
        ("127.0.0.1:8080", "needs a scheme"),
        ("ftp://proxy:21", "Unsupported proxy scheme 'ftp'"),
        ("http://:8080", "no host"),
        ("http://proxy:99999", "port must be a number"),
        ("http://proxy:abc", "port must be a number"),
    ],
)
def test_proxy_validation(url, problem):
    if problem:
        assert problem in proxy_problem(url)
    else:
        assert proxy_problem(url) == ""


def test_custom_proxy_is_validated_inline(qtbot, editor):
    assert not editor.proxy_edit.isEnabled()
    qtbot.mouseClick(editor.custom_proxy_radio, Qt.MouseButton.LeftButton)
    assert editor.proxy_edit.isEnabled()
    assert editor.proxy_problem_label.isVisible()
    qtbot.keyClicks(editor.proxy_edit, "ftp://x")
    assert "Unsupported proxy scheme" in editor.proxy_problem_label.text()
    assert problem_of(editor.proxy_edit) == editor.proxy_problem_label.text()
    assert editor.problems() == [f"Proxy: {editor.proxy_problem_label.text()}"]
    editor.proxy_edit.clear()
    qtbot.keyClicks(editor.proxy_edit, "http://127.0.0.1:3128")
    assert not editor.proxy_problem_label.isVisible()
    assert problem_of(editor.proxy_edit) == ""
    options = editor.value()
    assert (options.proxy, options.use_system_proxy) == ("http://127.0.0.1:3128", False)
    qtbot.mouseClick(editor.no_proxy_radio, Qt.MouseButton.LeftButton)
    assert (editor.value().proxy, editor.value().use_system_proxy) == ("", False)
    assert editor.proxy_edit.text() == "http://127.0.0.1:3128"  # kept for switching back


def test_certificate_files_and_missing_ones(qtbot, editor, tmp_path):
    cert = tmp_path / "client.pem"
    cert.write_text("x")
    qtbot.keyClicks(editor.client_cert_picker.line_edit, str(cert))
    qtbot.keyClicks(editor.client_key_picker.line_edit, str(tmp_path / "none.key"))
    assert editor.value().client_cert == str(cert)
    assert editor.problems() == ["Client key: file not found"]


@pytest.mark.parametrize(
    "options",
    [
        Options(),
        Options(timeout=0, follow_redirects=False, max_redirects=3, verify_tls=False),
        Options(trust_redirects=True),
        Options(proxy="socks5://127.0.0.1:1080", use_system_proxy=False),
        Options(proxy="", use_system_proxy=False),
        Options(timeout=12.5, ca_bundle="/ca.pem", client_cert="/c.pem", client_key="/k.pem"),
    ],
)
def test_set_value_round_trips_silently(qtbot, editor, options):
    with qtbot.assertNotEmitted(editor.changed, wait=50):
        editor.set_value(options)
    assert editor.value() == options


def test_every_control_has_an_accessible_name(editor):
    for child in editor.findChildren(QWidget):
        if child.focusPolicy() & Qt.FocusPolicy.TabFocus:
            # A spin box's inner line edit is announced by the spin box.
            name = child.accessibleName() or child.parentWidget().accessibleName()
            assert name, f"{type(child).__name__} has no accessible name"


def test_trusting_redirects_is_off_by_default_and_explained(qtbot, editor):
    check = editor.trust_check
    assert not check.isChecked() and editor.value().trust_redirects is False
    assert "another scheme, host or port" in check.toolTip()
    with qtbot.waitSignal(editor.changed):
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(6, check.height() // 2))
    assert editor.value().trust_redirects is True
    editor.follow_check.setChecked(False)
    assert not check.isEnabled()
