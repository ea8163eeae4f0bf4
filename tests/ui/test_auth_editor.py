"""The Auth tab: the scheme and credentials a user enters become the `Auth` sent."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from explorer.core.model import Auth, AuthKind
from explorer.ui.request.auth_editor import KINDS, PAGES, AuthEditor


@pytest.fixture
def editor(qtbot):
    widget = AuthEditor()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def choose(qtbot, editor: AuthEditor, label: str) -> None:
    """Pick a scheme with the keyboard."""
    combo = editor.kind_combo
    target = combo.findText(label)
    assert target >= 0, f"{label!r} is not offered"
    combo.setFocus()
    while combo.currentIndex() < target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    while combo.currentIndex() > target:
        qtbot.keyClick(combo, Qt.Key.Key_Up)


def test_basic_auth_typed_by_the_user(qtbot, editor):
    with qtbot.waitSignal(editor.changed):
        choose(qtbot, editor, "Basic")
    assert editor.username_edit.isVisible() and editor.password_field.isVisible()
    assert not editor.token_field.isVisible()
    assert "Authorization: Basic base64(username:password)" in editor.explanation.text()
    qtbot.keyClicks(editor.username_edit, "alice")
    qtbot.keyClicks(editor.password_field.line_edit, "s3cret")
    assert editor.value() == Auth(AuthKind.BASIC, username="alice", password="s3cret")


def test_bearer_token_typed_by_the_user(qtbot, editor):
    choose(qtbot, editor, "Bearer token")
    qtbot.keyClicks(editor.token_field.line_edit, "abc.def")
    assert editor.value().kind == AuthKind.BEARER
    assert editor.value().token == "abc.def"
    assert "Authorization: Bearer" in editor.explanation.text()


def test_api_key_in_query(qtbot, editor):
    choose(qtbot, editor, "API key")
    qtbot.keyClicks(editor.key_name_edit, "api_key")
    qtbot.keyClicks(editor.key_value_field.line_edit, "k1")
    editor.key_in_combo.setFocus()
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClick(editor.key_in_combo, Qt.Key.Key_Down)
    assert editor.value() == Auth(
        AuthKind.API_KEY, key_name="api_key", key_value="k1", key_in="query"
    )
    assert editor.key_in_combo.currentText() == "Query parameter"


def test_api_key_with_a_bad_header_name_is_reported(qtbot, editor):
    choose(qtbot, editor, "API key")
    assert editor.problems() == ["API key: give the key a name, or nothing is sent"]
    qtbot.keyClicks(editor.key_name_edit, "X Key")
    assert editor.problems() == ["API key: header name 'X Key' contains whitespace"]
    assert editor.problem_label.isVisible()


def test_digest_shares_the_basic_credentials(qtbot, editor):
    choose(qtbot, editor, "Basic")
    qtbot.keyClicks(editor.username_edit, "bob")
    choose(qtbot, editor, "Digest")
    assert editor.value() == Auth(AuthKind.DIGEST, username="bob")
    assert "Digest" in editor.explanation.text()


def test_secrets_are_masked_until_revealed(qtbot, editor):
    field = editor.password_field
    assert field.line_edit.echoMode() == QLineEdit.EchoMode.Password
    qtbot.mouseClick(field.reveal_button, Qt.MouseButton.LeftButton)
    assert field.is_revealed() and field.reveal_button.text() == "Hide"
    qtbot.mouseClick(field.reveal_button, Qt.MouseButton.LeftButton)
    assert field.line_edit.echoMode() == QLineEdit.EchoMode.Password
    for secret in (editor.token_field, editor.key_value_field):
        assert secret.line_edit.echoMode() == QLineEdit.EchoMode.Password


def test_inherit_is_offered_only_when_allowed(qtbot, editor):
    assert editor.kind_combo.findData(AuthKind.INHERIT) < 0
    editor.set_inherit_allowed(True)
    choose(qtbot, editor, "Inherit from parent")
    assert editor.value().kind == AuthKind.INHERIT
    editor.set_inherit_allowed(False)
    assert editor.kind_combo.findData(AuthKind.INHERIT) < 0
    assert editor.value().kind == AuthKind.NONE


ALL_FIELDS = dict(
    username="u", password="p", token="t", key_name="X-Key", key_value="v", key_in="query"
)


OFFERED = [kind for _label, kind in KINDS] + [entry.kind for entry in PAGES]


@pytest.mark.parametrize("kind", OFFERED)
def test_set_value_round_trips_every_kind_silently(qtbot, editor, kind):
    auth = Auth(kind, **ALL_FIELDS)
    with qtbot.assertNotEmitted(editor.changed, wait=50):
        editor.set_value(auth)
    assert editor.value() == auth
    assert editor.kind_combo.currentData() == kind


def test_every_control_has_an_accessible_name(editor):
    editor.set_inherit_allowed(True)
    for kind in OFFERED:
        editor.set_value(Auth(kind))
        for child in editor.findChildren(QWidget):
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isVisibleTo(editor):
                assert child.accessibleName(), f"{type(child).__name__} has no accessible name"


def test_value_kind_is_an_enum_not_a_plain_string(qtbot):
    editor = AuthEditor()
    qtbot.addWidget(editor)
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData(AuthKind.BEARER))
    assert type(editor.value().kind) is AuthKind


def test_every_scheme_of_the_model_is_offered():
    """A scheme the model knows but the Auth tab does not offer could be imported and
    sent, yet never seen or changed by the user."""
    assert sorted(OFFERED) == sorted(AuthKind)
