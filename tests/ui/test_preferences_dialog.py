"""Preferences on the real window: what Save applies reaches new tabs, the wire, open
body views and the theme; Cancel and refused values change nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from explorer.core.preferences import EditorFont, ProxyMode, ThemeChoice
from explorer.ui.widgets import fonts
from explorer.ui.widgets.theme import Theme, current_theme, theme_for_scheme
from tests.support.tls_server import self_signed_https_server


@pytest.fixture(autouse=True)
def restore_code_font():
    """The code font is app-wide (the theme is put back by tests/conftest.py)."""
    yield
    fonts.set_code_font(EditorFont())


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose self-signed certificate is the CA bundle."""
    with self_signed_https_server(tmp_path_factory.mktemp("tls")) as (url, cert):
        yield url, cert


def _send(qtbot, tab, url: str):
    tab.editor.url_edit.setText(url)
    with qtbot.waitSignal(tab.exchange_finished, timeout=10_000) as finished:
        tab.send()
    return finished.args[1]


def _save(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.apply()  # a CA bundle is checked off the GUI thread first


def test_a_new_tab_starts_with_the_default_timeout_redirects_and_tls(
    qtbot, window, recording_server
):
    dialog = window.panels.edit_preferences()
    dialog.requests.timeout_spin.setValue(7.5)
    dialog.requests.follow_check.setChecked(False)
    dialog.requests.max_redirects_spin.setValue(3)
    dialog.requests.verify_check.setChecked(False)
    _save(qtbot, dialog)
    tab = window.new_tab()
    options = tab.editor.request().options
    assert (options.timeout, options.follow_redirects, options.max_redirects) == (7.5, False, 3)
    assert options.verify_tls is False
    assert not tab.is_modified()
    assert window.workspace_tabs._blank_current() is tab  # reused by the next open
    response = _send(qtbot, tab, f"{recording_server.url}/redirect?to=/elsewhere")
    assert response.status == 302  # not followed: the default reached the wire
    assert [r.path for r in recording_server.take()] == ["/redirect"]


def test_a_manual_proxy_carries_the_windows_sends(qtbot, window, recording_server):
    dialog = window.panels.edit_preferences()
    dialog.network.manual_radio.setChecked(True)
    dialog.network.proxy_edit.setText(recording_server.url)
    _save(qtbot, dialog)
    response = _send(qtbot, window.current_tab(), "http://example.invalid/through?proxy=1")
    assert response.status == 200
    # The recording server acted as the proxy: the request target is in absolute form.
    assert [r.target for r in recording_server.take()] == ["http://example.invalid/through?proxy=1"]


def test_a_ca_bundle_makes_a_self_signed_server_trusted(qtbot, window, tls_server):
    url, cert = tls_server
    dialog = window.panels.edit_preferences()
    dialog.network.ca_picker.set_path(str(cert))
    _save(qtbot, dialog)
    assert window.settings.value("network/ca_bundle") == str(cert)
    response = _send(qtbot, window.new_tab(), url)
    assert response.body == b"secure" and response.tls_verified


def test_a_font_change_reaches_an_open_body_view(qtbot, window, recording_server):
    tab = window.current_tab()
    _send(qtbot, tab, f"{recording_server.url}/json")
    view = tab.response_view.body_view.text_view
    qtbot.waitUntil(lambda: view.document() is not None, timeout=5000)
    before = view.font().pointSize()
    size = before + 5
    dialog = window.panels.edit_preferences()
    dialog.editor.size_spin.setValue(size)
    family = dialog.editor.family_combo.itemData(1)  # the first fixed-pitch family
    dialog.editor.family_combo.setCurrentIndex(1)
    _save(qtbot, dialog)
    assert view.font().pointSize() == size
    assert view.font().family() == family
    assert view._line_height > 0  # its metrics were recomputed for the new font
    assert window.settings.value("editor/font_size", type=int) == size
    assert fonts.monospace_font().pointSize() == size  # views made afterwards get it too


def test_follow_the_system_maps_qts_colour_scheme_live(qtbot, window):
    assert theme_for_scheme(Qt.ColorScheme.Light) == Theme.LIGHT
    assert theme_for_scheme(Qt.ColorScheme.Dark) == Theme.DARK
    assert theme_for_scheme(Qt.ColorScheme.Unknown) == Theme.DARK
    dialog = window.panels.edit_preferences()
    dialog.appearance.theme_combo.setCurrentIndex(
        dialog.appearance.theme_combo.findData(ThemeChoice.SYSTEM.value)
    )
    _save(qtbot, dialog)
    assert window.settings.value("theme") == "system"
    assert window.system_theme_action.isChecked()  # the View menu is in step
    hints = QApplication.instance().styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)  # the desktop switched
    assert current_theme() == Theme.LIGHT
    window.light_action.trigger()  # the View menu's choice is the preference
    assert window.settings.value("theme") == "light"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # no longer followed
    assert current_theme() == Theme.LIGHT
    assert window.panels.edit_preferences().appearance.value() == ThemeChoice.LIGHT


def test_the_server_port_round_trips(qtbot, window, tmp_path):
    dialog = window.panels.edit_preferences()
    assert dialog.server.port_spin.value() == 8765
    dialog.server.port_spin.setValue(0)
    assert dialog.server.port_spin.text() == "Any free port"
    dialog.server.port_spin.setValue(9123)
    _save(qtbot, dialog)
    window.settings.sync()
    stored = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert stored.value("server/port", type=int) == 9123
    assert window.panels.edit_preferences().server.value() == 9123
    # The key and default the server controller starts the server with.
    from explorer.core import preferences
    from explorer.qt import server_controller

    assert server_controller.SERVER_PORT_SETTING == preferences.SERVER_PORT_KEY
    assert server_controller.DEFAULT_SERVER_PORT == preferences.DEFAULT_SERVER_PORT
    assert server_controller.configured_port(stored.value("server/port")) == 9123


def test_invalid_values_are_refused_with_one_line_and_nothing_kept(qtbot, window, tmp_path):
    dialog = window.panels.edit_preferences()
    dialog.requests.timeout_spin.setValue(3)
    dialog.network.manual_radio.setChecked(True)
    dialog.network.proxy_edit.setText("http://me:hunter2@proxy.example:3128")
    dialog.apply()
    assert dialog.isVisible() and dialog.stack.currentWidget() is dialog.network
    message = dialog.problem_label.text()
    assert message.startswith("Network: Don't type the password here") and "\n" not in message
    assert dialog.network.proxy_problem.isVisible()
    assert not window.settings.contains("network/proxy_url")
    assert not window.settings.contains("requests/timeout")  # nothing saved at all

    dialog.network.system_radio.setChecked(True)
    dialog.server.port_spin.setValue(80)
    dialog.apply()
    assert dialog.stack.currentWidget() is dialog.server
    assert "below 1024" in dialog.problem_label.text()

    dialog.server.port_spin.setValue(8765)
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("not a certificate")
    dialog.network.ca_picker.set_path(str(not_pem))
    dialog.apply()
    qtbot.waitUntil(lambda: "no PEM certificate" in dialog.problem_label.text(), timeout=5000)
    assert dialog.isVisible() and dialog.network.ca_problem.isVisible()
    assert not window.settings.contains("network/ca_bundle")


def test_cancel_changes_nothing(qtbot, window):
    dialog = window.panels.edit_preferences()
    dialog.appearance.theme_combo.setCurrentIndex(
        dialog.appearance.theme_combo.findData(ThemeChoice.LIGHT.value)
    )
    dialog.editor.size_spin.setValue(20)
    dialog.network.none_radio.setChecked(True)
    dialog.reject()
    assert current_theme() == Theme.DARK
    assert fonts.code_font_choice() == EditorFont()
    assert not window.settings.contains("theme")
    assert window.panels.edit_preferences().network.mode() == ProxyMode.SYSTEM


def test_a_theme_stored_by_an_older_version_still_applies(qtbot, tmp_path):
    from explorer.gui import build_window

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("theme", "light")  # as the View menu stored it before "system"
    window = build_window(QApplication.instance(), settings, tmp_path, deferred=False)
    qtbot.addWidget(window)
    assert current_theme() == Theme.LIGHT
    assert window.light_action.isChecked() and not window.system_theme_action.isChecked()
    window.close()


def test_the_windows_runner_uses_the_proxy_too(qtbot, window, recording_server, tmp_path):
    from explorer.core.collection import Collection, RequestItem
    from explorer.core.model import Request
    from explorer.core.storage.collection_files import save_collection

    window.settings.setValue("network/proxy_mode", "manual")
    window.settings.setValue("network/proxy_url", recording_server.url)
    folder = tmp_path / "proxied"
    save_collection(
        Collection("Proxied", items=(RequestItem(Request(url="http://example.invalid/run")),)),
        folder,
    )
    runner = window.run_actions.run(window.workspace.open_collection(folder).root, "")
    with qtbot.waitSignal(runner.worker.finished, timeout=10_000):
        runner.setup.run_button.click()
    assert [r.target for r in recording_server.take()] == ["http://example.invalid/run"]
    runner.close()


def test_the_choice_lists_show_every_item_whole(qtbot, window):
    from explorer.ui.widgets.fitting import longest_item_width
    from explorer.ui.widgets.theme import apply_theme

    apply_theme(QApplication.instance(), Theme.DARK)  # the lists were cut under its sheet
    dialog = window.panels.edit_preferences()
    for page, combo in (
        (dialog.appearance, dialog.appearance.theme_combo),
        (dialog.editor, dialog.editor.family_combo),
    ):
        dialog.show_page(page)
        assert combo.width() >= combo.fontMetrics().horizontalAdvance(combo.currentText())
        combo.showPopup()
        qtbot.waitUntil(combo.view().isVisible)
        room = combo.view().viewport().width() - 2 * combo.fontMetrics().height()
        combo.hidePopup()
        assert room >= longest_item_width(combo)


def test_a_request_made_in_the_sidebar_starts_with_the_defaults(qtbot, window):
    window.settings.setValue("requests/timeout", 4)
    window.settings.setValue("requests/verify_tls", False)
    sidebar = window.panels.sidebar
    sidebar.select(window.workspace.default_root.resolve(), "")
    with qtbot.waitSignal(sidebar.finished, timeout=10_000):
        assert sidebar.new_request("With defaults")
    qtbot.waitUntil(lambda: window.current_tab().editor.request().name == "With defaults")
    options = window.current_tab().editor.request().options
    assert (options.timeout, options.verify_tls) == (4, False)


def test_cancel_while_the_ca_bundle_is_checked_keeps_nothing(qtbot, window, tls_server):
    _url, cert = tls_server
    dialog = window.panels.edit_preferences()
    dialog.network.ca_picker.set_path(str(cert))
    dialog.requests.timeout_spin.setValue(3)
    dialog.apply()  # the check runs off the GUI thread…
    assert dialog.problem_label.text() == "Checking the CA bundle…"
    dialog.reject()  # …and Esc closes the dialog before it answers
    qtbot.waitUntil(lambda: not dialog._checking, timeout=5000)
    assert not window.settings.contains("network/ca_bundle")
    assert not window.settings.contains("requests/timeout")
