"""Generate code: every target previews, copies and saves; secrets stay env lookups."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QWidget

from explorer.core.codegen import TARGETS, env_variable, generate
from explorer.core.model import Body, BodyKind, Pair, Request
from explorer.ui.dialogs.codegen_dialog import CodegenDialog
from explorer.ui.widgets.theme import Theme, apply_theme

REQUEST = Request(
    method="POST",
    url="https://api.example.com/v1/items",
    params=(Pair("page", "2"),),
    headers=(Pair("Authorization", "Bearer {{api-token}}"), Pair("X-Trace", "abc123")),
    body=Body(BodyKind.RAW, text='{"name": "lamp"}', content_type="application/json"),
    name="Create item",
)
SECRETS = frozenset({"api-token"})


@pytest.fixture
def dialog(qtbot):
    dialog = CodegenDialog(REQUEST, SECRETS)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_every_target_is_listed_by_display_name(dialog):
    names = [dialog.target_list.item(i).text() for i in range(dialog.target_list.count())]
    assert names == [target.display_name for target in TARGETS.values()]
    assert len(names) >= 6


def test_switching_targets_updates_the_preview(qtbot, dialog):
    shown = {}
    for key in TARGETS:
        row = list(TARGETS).index(key)
        rect = dialog.target_list.visualItemRect(dialog.target_list.item(row))
        qtbot.mouseClick(
            dialog.target_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
        assert dialog.current_target() == key
        assert dialog.code() == generate(key, REQUEST, SECRETS)
        shown[key] = dialog.code()
    assert len(set(shown.values())) == len(TARGETS)
    assert "requests.Session()" in shown["python"]
    assert shown["curl"].startswith("curl") or "\ncurl" in shown["curl"]


def test_keyboard_moves_between_targets(qtbot, dialog):
    dialog.set_target("curl")
    dialog.target_list.setFocus()
    qtbot.keyClick(dialog.target_list, Qt.Key.Key_Down)
    assert dialog.current_target() == list(TARGETS)[1]
    assert dialog.code() == generate(list(TARGETS)[1], REQUEST, SECRETS)


def test_secrets_are_environment_lookups_never_placeholders(dialog):
    variable = env_variable("api-token")
    for key in TARGETS:
        dialog.set_target(key)
        assert variable in dialog.code(), key
        assert "{{api-token}}" not in dialog.code(), key
    assert variable in dialog.secrets_label.text()
    assert dialog.secrets_label.isVisible()


def test_no_secret_note_without_secrets(qtbot):
    dialog = CodegenDialog(REQUEST.with_changes(headers=()), frozenset())
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.secrets_label.isVisible()


def test_copy_puts_the_code_on_the_clipboard(qtbot, dialog):
    dialog.set_target("httpie")
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == generate("httpie", REQUEST, SECRETS)
    assert dialog.status_label.text().startswith("Copied")


def test_save_writes_the_code(qtbot, dialog, tmp_path):
    dialog.set_target("python")
    target = tmp_path / "request.py"
    dialog.save_to(target)  # written off the GUI thread; the status follows
    qtbot.waitUntil(lambda: dialog.status_label.text() == "Saved request.py", timeout=10_000)
    assert target.read_text(encoding="utf-8") == dialog.code()
    dialog.save_to(tmp_path / "missing-dir" / "x.py")
    qtbot.waitUntil(lambda: "Could not save" in dialog.status_label.text(), timeout=10_000)


def test_last_target_is_remembered(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = CodegenDialog(REQUEST, SECRETS, settings=settings)
    qtbot.addWidget(first)
    first.set_target("go")
    second = CodegenDialog(REQUEST, SECRETS, settings=settings)
    qtbot.addWidget(second)
    assert second.current_target() == "go"
    assert second.code() == generate("go", REQUEST, SECRETS)


def test_preview_is_read_only_monospace_and_coloured_per_theme(qtbot, dialog):
    app = QApplication.instance()
    dialog.set_target("python")
    assert dialog.preview.isReadOnly()
    assert QFontInfo(dialog.preview.font()).fixedPitch()

    def colours() -> set[str]:
        found = set()
        block = dialog.preview.document().begin()
        while block.isValid():
            for span in block.layout().formats():
                found.add(span.format.foreground().color().name())
            block = block.next()
        return found

    try:
        apply_theme(app, Theme.DARK)
        qtbot.waitUntil(lambda: len(colours()) >= 3, timeout=2000)
        dark = colours()
        apply_theme(app, Theme.LIGHT)
        qtbot.waitUntil(lambda: colours() != dark, timeout=2000)
        assert len(colours()) >= 3
    finally:
        apply_theme(app, Theme.DARK)
        app.setStyleSheet("")


def test_escape_closes_and_controls_are_named(qtbot, dialog):
    for widget in dialog.findChildren(QWidget):
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            assert widget.accessibleName(), type(widget).__name__
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
