"""Text that once came out cut at 1280×720: the auth type list ("Inherit from pare"), the
multipart type list ("Te", "Fil"), the request tabs behind scroll arrows, a name
dialog's title ("New e…nment"). Measured with the widgets' own font metrics, so the
checks hold at any text size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QInputDialog

from explorer.core.model import Auth, AuthKind, Body, BodyKind, Part, Request
from explorer.ui.request.auth_editor import AuthEditor
from explorer.ui.request.multipart_table import MultipartTable
from explorer.ui.request.request_editor import RequestEditor
from explorer.ui.widgets.fitting import ask_text, longest_item_width


def _popup_fits(qtbot, combo: QComboBox) -> None:
    """The open list shows every item whole: past the item's check-mark column (about
    two lines' height) there is room for the longest text."""
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    try:
        room = view.viewport().width() - 2 * combo.fontMetrics().height()
        assert room >= longest_item_width(combo)
    finally:
        combo.hidePopup()


@pytest.fixture
def themed(qapp):
    """The app's own style sheet (the conftest puts the theme back after): the lists
    were cut under it, not under Qt's plain style."""
    from explorer.ui.widgets.theme import Theme, apply_theme

    apply_theme(qapp, Theme.DARK)


def test_the_auth_type_list_fits_inherit_from_parent(qtbot, themed):
    editor = AuthEditor()
    qtbot.addWidget(editor)
    editor.set_inherit_allowed(True)
    editor.set_value(Auth(kind=AuthKind.INHERIT))
    editor.resize(420, 300)
    editor.show()
    combo = editor.kind_combo
    assert combo.findText("Inherit from parent") >= 0
    # The box shows its current item whole too.
    assert combo.width() >= combo.fontMetrics().horizontalAdvance("Inherit from parent")
    _popup_fits(qtbot, combo)


def test_the_multipart_type_list_fits_text_and_file(qtbot, themed):
    table = MultipartTable()
    qtbot.addWidget(table)
    table.set_parts((Part("title", "hello"), Part("upload", file="a.png")))
    table.resize(420, 200)
    table.show()
    for index in range(table.row_count()):
        combo = table.row(index).kind
        assert combo.width() >= combo.fontMetrics().horizontalAdvance(combo.currentText())
        _popup_fits(qtbot, combo)


@pytest.fixture
def busy_editor(qtbot):
    editor = RequestEditor()
    qtbot.addWidget(editor)
    editor.set_request(
        Request(
            method="POST",
            url="http://x/?a=1",
            body=Body(kind=BodyKind.MULTIPART),
            auth=Auth(kind=AuthKind.INHERIT),
        )
    )
    editor.show()
    return editor


def _bar_fits(editor: RequestEditor) -> bool:
    bar = editor.tabs.tabBar()
    return sum(bar.tabSizeHint(i).width() for i in range(bar.count())) <= editor.tabs.width()


def test_request_tabs_shorten_their_kinds_rather_than_scroll(qtbot, busy_editor):
    editor = busy_editor
    editor.resize(900, 400)
    QApplication.processEvents()
    assert editor.tabs.tabText(2) == "Body (multipart)"
    assert editor.tabs.tabText(3) == "Auth (inherit)"
    assert _bar_fits(editor)
    editor.resize(560, 400)  # a side-by-side pane at 1280×720 (in the test's style)
    QApplication.processEvents()
    assert _bar_fits(editor)  # Settings and Tests not behind scroll arrows
    assert editor.tabs.tabText(3) == "Auth \u2022"
    assert editor.tabs.tabToolTip(3) == "Auth: inherit"  # what the dot stands for
    assert editor.tabs.tabText(4) == "Settings"
    editor.resize(900, 400)
    QApplication.processEvents()
    assert editor.tabs.tabText(2) == "Body (multipart)"


def test_a_name_dialog_is_wide_enough_for_its_title(qtbot):
    seen = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        metrics = dialog.fontMetrics()
        title = metrics.horizontalAdvance(dialog.windowTitle())
        seen["room"] = dialog.width() - 1.2 * title - 8 * metrics.height()
        seen["title"] = dialog.windowTitle()
        dialog.setTextValue("  staging  ")
        dialog.accept()

    QTimer.singleShot(0, answer)
    assert ask_text(None, "New environment", "Name:", "local") == "staging"
    assert seen["title"] == "New environment"
    assert seen["room"] >= 0  # a bolder title font, the title bar's icon and buttons fit


@pytest.fixture
def double_text(qapp):
    """200% text: the application font at twice its size, for the widgets made next."""
    font = qapp.font()
    doubled = qapp.font()
    doubled.setPointSizeF(font.pointSizeF() * 2)
    qapp.setFont(doubled)
    yield
    qapp.setFont(font)


def test_the_save_dialog_shows_a_long_name_whole_at_200_percent(qtbot, window, double_text):
    from explorer.ui.dialogs.save_dialog import SaveRequestDialog

    name = "Upload a file with a long request name"
    workspace = window.workspace
    dialog = SaveRequestDialog(workspace, name, workspace.default_root, "", window)
    qtbot.addWidget(dialog)
    dialog.show()
    edit = dialog.name_edit
    assert edit.fontMetrics().horizontalAdvance(name) < edit.width() - 8


def test_the_body_kind_list_fits_and_the_box_stays_by_its_label(qtbot, themed):
    from PySide6.QtWidgets import QLabel

    from explorer.ui.request.body_editor import BodyEditor

    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.set_value(Body())  # no body: no content-type hint beside the box
    editor.resize(900, 300)
    editor.show()
    label = next(w for w in editor.findChildren(QLabel) if w.text() == "&Body:")
    gap = editor.kind_combo.geometry().left() - label.fontMetrics().horizontalAdvance("Body:")
    assert gap < 3 * label.fontMetrics().height()  # once pushed to the middle of the row
    _popup_fits(qtbot, editor.kind_combo)
    _popup_fits(qtbot, editor.raw_editor.language_combo)


def test_the_runner_folds_its_commands_rather_than_widen_at_200_percent(qtbot, double_text):
    """At 200% text the runner once needed 1,515 px: its command row did not fold."""
    from explorer.ui.runner.results_view import RunResults

    results = RunResults()
    qtbot.addWidget(results)
    results.resize(760, 500)  # a 1280 px runner less its setup column
    results.show()
    QApplication.processEvents()
    assert results.minimumSizeHint().width() <= 760
    assert results.commands.folded
    assert results.cancel_button.geometry().right() <= results.width()
    results.resize(2400, 500)
    QApplication.processEvents()
    assert not results.commands.folded


def test_the_docs_tab_never_shortens_to_a_missing_glyph(qtbot, busy_editor):
    """Shortened to ⓘ only where a font has it: elsewhere it was drawn as an empty box."""
    editor = busy_editor
    editor.resize(300, 400)  # every label as short as it goes
    QApplication.processEvents()
    docs = editor.tabs.count() - 1
    has_sign = editor.tabs.tabBar().fontMetrics().inFontUcs4(0x24D8)
    assert editor.tabs.tabText(docs) == ("\u24d8" if has_sign else "Doc")
    assert editor.tabs.tabToolTip(docs) == "Docs"


def test_a_method_tag_never_runs_into_the_request_name_at_200_percent_text(qtbot):
    """The tree's method column was a fixed 52 px: at 200% text "POST" ran into the name."""
    from PySide6.QtGui import QFont, QFontMetrics

    from explorer.ui.sidebar.collection_model import method_width, tag_font

    font = QFont(QApplication.font())
    for scale in (1, 2, 3):
        font.setPointSizeF(QApplication.font().pointSizeF() * scale)
        tag = QFontMetrics(tag_font(font)).horizontalAdvance("PATCH")
        assert method_width(font) > tag
    assert method_width(QApplication.font()) >= 52  # the usual size keeps its column
