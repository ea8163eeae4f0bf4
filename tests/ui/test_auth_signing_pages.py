"""The Auth tab's OAuth 1.0 and AWS Signature pages: what a user types is what is signed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from explorer.core.model import Auth, AuthKind, AwsSigV4, OAuth1
from explorer.ui.request.auth_editor import AuthEditor


@pytest.fixture
def editor(qtbot):
    widget = AuthEditor()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    return widget


def choose(qtbot, combo, text: str) -> None:
    """Pick an entry with the keyboard, as a user would."""
    target = combo.findText(text)
    assert target >= 0, f"{text!r} is not offered"
    combo.setFocus()
    while combo.currentIndex() < target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    while combo.currentIndex() > target:
        qtbot.keyClick(combo, Qt.Key.Key_Up)


def test_oauth1_typed_by_the_user(qtbot, editor):
    choose(qtbot, editor.kind_combo, "OAuth 1.0")
    page = editor.pages[AuthKind.OAUTH1]
    assert page.isVisible() and not editor.username_edit.isVisible()
    assert "OAuth 1.0a" in editor.explanation.text()
    assert editor.problems() == ["OAuth 1.0: the consumer key is empty"]
    assert editor.problem_label.isVisible()
    qtbot.keyClicks(page.consumer_key_edit, "ck")
    qtbot.keyClicks(page.consumer_secret_field.line_edit, "cs")
    qtbot.keyClicks(page.token_field.line_edit, "tok")
    qtbot.keyClicks(page.token_secret_field.line_edit, "ts")
    with qtbot.waitSignal(editor.changed):
        choose(qtbot, page.method_combo, "HMAC-SHA256")
    choose(qtbot, page.placement_combo, "Query parameters")
    qtbot.keyClicks(page.realm_edit, "Photos")
    assert editor.value() == Auth(
        AuthKind.OAUTH1,
        oauth1=OAuth1("ck", "cs", "tok", "ts", "HMAC-SHA256", "Photos", "query"),
    )
    assert editor.problems() == [] and not editor.problem_label.isVisible()
    for field in (page.consumer_secret_field, page.token_field, page.token_secret_field):
        assert field.line_edit.echoMode() == QLineEdit.EchoMode.Password


def test_aws_typed_by_the_user(qtbot, editor):
    choose(qtbot, editor.kind_combo, "AWS Signature")
    page = editor.pages[AuthKind.AWS_SIGV4]
    assert page.isVisible() and not editor.pages[AuthKind.OAUTH1].isVisible()
    assert page.region_edit.placeholderText() == "us-east-1"
    assert page.service_edit.placeholderText() == "execute-api"
    assert editor.problems() == [
        "AWS Signature: the access key is empty",
        "AWS Signature: the secret key is empty",
    ]
    qtbot.keyClicks(page.access_key_edit, "AKIDEXAMPLE")
    qtbot.keyClicks(page.secret_key_field.line_edit, "secret")
    qtbot.keyClicks(page.session_token_field.line_edit, "session")
    qtbot.keyClicks(page.region_edit, "eu-west-1")
    with qtbot.waitSignal(editor.changed):
        qtbot.keyClicks(page.service_edit, "s3")
    assert editor.value() == Auth(
        AuthKind.AWS_SIGV4, aws=AwsSigV4("AKIDEXAMPLE", "secret", "session", "eu-west-1", "s3")
    )
    assert editor.problems() == []
    for field in (page.secret_key_field, page.session_token_field):
        assert field.line_edit.echoMode() == QLineEdit.EchoMode.Password


@pytest.mark.parametrize(
    "auth",
    [
        Auth(AuthKind.OAUTH1, oauth1=OAuth1("k", "s", "t", "ts", "PLAINTEXT", "r", "body")),
        # A method the box does not offer (a hand-edited file) is kept, and reported.
        Auth(AuthKind.OAUTH1, oauth1=OAuth1("k", signature_method="RSA-SHA1")),
        Auth(AuthKind.AWS_SIGV4, aws=AwsSigV4("a", "s", "t", "ap-south-1", "dynamodb")),
    ],
)
def test_settings_round_trip_silently(qtbot, editor, auth):
    with qtbot.assertNotEmitted(editor.changed, wait=20):
        editor.set_value(auth)
    assert editor.value() == auth


def test_an_unsupported_method_is_reported(editor):
    editor.set_value(Auth(AuthKind.OAUTH1, oauth1=OAuth1("k", signature_method="RSA-SHA1")))
    assert "'RSA-SHA1' is not supported" in editor.problem_label.text()
