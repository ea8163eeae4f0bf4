"""The tab's layout: the request line across the whole tab above the request/response
split (it once sat inside the left pane: 215 px of URL at 1280×720), the split side by
side or stacked for every tab and remembered, and notices that stay compact."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

from explorer.ui.window.main_window import MainWindow
from explorer.ui.window.request_tab import SIDE_BY_SIDE, STACKED, RequestTab
from explorer.ui.window.tab_notice import SHOWN_NOTICES, TabNotice


def _top_in(tab: RequestTab, widget) -> int:
    return widget.mapTo(tab, QPoint(0, 0)).y()


def _settle(window) -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def big_window(window):
    window.resize(1280, 720)
    _settle(window)
    return window


def test_the_request_line_spans_the_tab_above_the_split(big_window):
    tab = big_window.current_tab()
    editor = tab.editor
    assert tab.split == SIDE_BY_SIDE
    line_bottom = _top_in(tab, tab.request_line) + tab.request_line.height()
    assert line_bottom <= _top_in(tab, tab.splitter)
    # Method, URL and Send all on it, above the editor's tabs and the response.
    for widget in (editor.method_combo, editor.url_edit, editor.send_button):
        assert tab.request_line.isAncestorOf(widget)
        assert not tab.splitter.isAncestorOf(widget)
    assert editor.url_edit.width() >= 0.6 * tab.width()
    assert tab.request_line.width() >= tab.width() - 20
    # The placeholder is read whole, not cut.
    metrics = editor.url_edit.fontMetrics()
    assert metrics.horizontalAdvance(editor.url_edit.placeholderText()) < editor.url_edit.width()


def test_keyboard_order_and_send_keep_working(big_window, qtbot):
    tab = big_window.current_tab()
    editor = tab.editor
    big_window.activateWindow()
    editor.url_edit.setFocus()
    sent = []
    tab.send = lambda: sent.append(True)  # what Ctrl+Enter and the button call
    qtbot.keyClick(editor.url_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent
    order = []
    widget = editor.method_combo.lineEdit()
    for _ in range(4):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert order[:3] == [editor.url_edit, editor.send_button, tab.split_button]
    assert editor.tabs.isAncestorOf(order[3]) or order[3] is editor.tabs


def test_the_split_switches_every_tab_and_is_remembered(big_window, qtbot, tmp_path):
    window = big_window
    first = window.current_tab()
    second = window.new_tab()
    _settle(window)
    qtbot.mouseClick(second.split_button, Qt.MouseButton.LeftButton)
    assert first.split == STACKED and second.split == STACKED
    assert window.stacked_action.isChecked() and not window.side_by_side_action.isChecked()
    assert window.settings.value("layout/split") == "vertical"
    request, response = second.splitter.sizes()
    assert 0.3 <= request / (request + response) <= 0.45  # the response gets the most
    # The request line stays above, across the tab.
    assert second.editor.url_edit.width() >= 0.6 * second.width()
    third = window.new_tab()
    assert third.split == STACKED
    window.side_by_side_action.trigger()
    assert all(window.tabs.widget(i).split == SIDE_BY_SIDE for i in range(window.tabs.count()))
    assert window.settings.value("layout/split") == "horizontal"
    window.stacked_action.trigger()
    window.settings.sync()

    settings = QSettings(window.settings.fileName(), QSettings.Format.IniFormat)
    again = MainWindow(settings)
    qtbot.addWidget(again)
    try:
        again.resize(1280, 720)
        again.show()
        _settle(again)
        assert again.stacked_action.isChecked()
        tab = again.current_tab()
        assert tab.split == STACKED
        request, response = tab.splitter.sizes()
        assert 0.3 <= request / (request + response) <= 0.45
    finally:
        again.close()


def _notice(tab: RequestTab, text: str, warning: bool = True) -> TabNotice:
    notice = TabNotice(text, [("Reload", lambda: None), ("Dismiss", lambda: None)], "N", tab,
                       warning=warning)  # fmt: skip
    tab.insert_bar(1, notice)
    notice.show()
    return notice


def test_notices_stay_compact(big_window, qtbot):
    tab = big_window.current_tab()
    line = tab.fontMetrics().height()
    long = "“Get items” changed on disk. " + "Your unsaved edits are kept. " * 20
    notices = [_notice(tab, long), _notice(tab, "Short one", False), _notice(tab, long)]
    _settle(big_window)
    shown = [n for n in notices if n.isVisibleTo(tab)]
    assert len(shown) == SHOWN_NOTICES and notices[0] not in shown  # the oldest waits
    assert tab.notices.notices == notices[::-1]  # newest first
    for notice in shown:
        assert notice.height() < 2.5 * line  # one line each, however long the text
    assert notices[2].label.text() == long  # the whole text, elided only on screen
    assert notices[2].label.toolTip() == long
    more = tab.notices.more_button
    assert more.isVisibleTo(tab) and more.text() == "+1 more"
    assert tab.notices.height() < 7 * line  # 140 px of stacked notices before
    assert _top_in(tab, tab.request_line) < 9 * line

    # Details unfolds the whole text in place.
    newest = notices[2]
    assert newest.details_button.isVisibleTo(tab)
    folded = newest.height()
    newest.details_button.click()
    _settle(big_window)
    assert newest.height() > folded
    newest.details_button.click()

    more.click()
    assert all(n.isVisibleTo(tab) for n in notices)
    newest.buttons["Dismiss"].click()
    assert not more.isVisibleTo(tab)
    assert tab.notices.notices == [notices[1], notices[0]]
    assert all(n.isVisibleTo(tab) for n in notices[:2])


def test_a_notice_without_dismiss_can_be_closed(big_window):
    tab = big_window.current_tab()
    notice = TabNotice("The stored body is not shown yet.", [("Show body", lambda: None)],
                       "Large body notice", tab, warning=False)  # fmt: skip
    tab.insert_bar(1, notice)
    notice.show()
    _settle(big_window)
    assert notice.property("kind") == "info"
    close = next(b for b in notice.findChildren(object) if getattr(b, "toolTip", None)
                 and b.toolTip() == "Dismiss")  # fmt: skip
    close.click()
    assert not tab.notices.isVisibleTo(tab)


def test_stacked_at_1280_by_720_every_request_tab_fits_the_screen(big_window):
    """Stacked, the editor gets ~40% of the height: the tallest pages (Headers, Tests)
    once asked for more, and the window grew to 766 px, past a 720 px screen."""
    window = big_window
    window.stacked_action.trigger()
    tab = window.current_tab()
    editor = tab.editor
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        _settle(window)
        assert window.minimumSizeHint().height() <= 720, editor.tabs.tabText(index)
        assert window.height() == 720
        # Each page fits its pane without the editor as a whole scrolling.
        assert not tab.editor_scroll.verticalScrollBar().isVisible(), editor.tabs.tabText(index)
    request, response = tab.splitter.sizes()
    assert 0.3 <= request / (request + response) <= 0.45


def test_the_settings_page_uses_two_columns_when_wide(qtbot):
    from explorer.ui.request.settings_editor import SettingsEditor

    editor = SettingsEditor()
    qtbot.addWidget(editor)
    editor.resize(1000, 200)  # a stacked split: wide and short
    editor.show()
    _settle(editor)
    assert editor.two_columns
    # The proxy and certificate rows stand beside the timeouts, not below the fold.
    assert editor.proxy_edit.mapTo(editor, QPoint(0, 0)).y() < editor.height()
    assert editor.client_key_picker.mapTo(editor, QPoint(0, 0)).y() < 200
    editor.resize(420, 600)  # side by side: one column
    _settle(editor)
    assert not editor.two_columns
    assert (
        editor.proxy_edit.mapTo(editor, QPoint(0, 0)).y()
        > editor.follow_check.mapTo(editor, QPoint(0, 0)).y()
    )


def test_the_url_follows_the_application_font(qtbot, qapp):
    """The method and URL are larger than the text around them, at any text size (a
    fixed 11 pt in the style sheet did not grow at 200%)."""
    from explorer.ui.request.request_editor import RequestEditor

    editor = RequestEditor()
    qtbot.addWidget(editor)
    base = qapp.font().pointSizeF()
    assert editor.url_edit.font().pointSizeF() > base
    font = qapp.font()
    try:
        font.setPointSizeF(base * 2)
        qapp.setFont(font)
        qtbot.waitUntil(lambda: editor.url_edit.font().pointSizeF() > base * 2)
        assert editor.method_combo.font().pointSizeF() > base * 2
    finally:
        font.setPointSizeF(base)
        qapp.setFont(font)


def test_a_long_location_line_ends_in_an_ellipsis(big_window):
    """The location line was cut mid-word at the tab's edge; it now ends in "…" and its
    whole text stays its text (the tooltip gives the details)."""
    tab = big_window.current_tab()
    location = big_window.workspace_tabs.bindings[tab].location
    long = "Sample API › " + "a-folder-with-a-long-name › " * 12 + "List items"
    location.setText(long)
    _settle(big_window)
    assert location.text() == long
    shown = location.shown_text()
    assert shown.endswith("\u2026") and long.startswith(shown[:-1])
    assert location.fontMetrics().horizontalAdvance(shown) <= location.contentsRect().width()
