"""Export: a collection as Postman v2.1 or .http, history as HAR; files import back equal."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget

from explorer.core.collection import Collection, Folder, RequestItem, Variable
from explorer.core.formats import import_text
from explorer.core.formats.har import HarEntry, import_har
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Pair, Request
from explorer.ui.dialogs.export_dialog import ExportDialog, export_history_har

LIST = Request("GET", "{{base_url}}/items", params=(Pair("page", "2"),), name="List items")
CREATE = Request(
    "POST",
    "{{base_url}}/items",
    headers=(Pair("Accept", "application/json"),),
    body=Body(BodyKind.RAW, text='{"name": "lamp"}', content_type="application/json"),
    name="Create item",
)
LOGIN = Request(
    "POST",
    "https://auth.example.com/login",
    body=Body(BodyKind.FORM, form=(Pair("user", "ann"), Pair("pass", "{{password}}"))),
    auth=Auth(AuthKind.BEARER, token="{{token}}"),
    name="Login",
)
COLLECTION = Collection(
    "Shop API",
    items=(Folder("Items", items=(RequestItem(LIST), RequestItem(CREATE))), RequestItem(LOGIN)),
    variables=(Variable("base_url", "http://127.0.0.1:5000"), Variable("token", "", secret=True)),
)


@pytest.fixture
def dialog(qtbot):
    dialog = ExportDialog(COLLECTION)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_postman_export_imports_back_equal(qtbot, dialog, tmp_path):
    target = tmp_path / "shop.postman_collection.json"
    dialog.set_format("postman")
    dialog.set_path(target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    # Written off the GUI thread; the dialog stays to say that the secret `token` went
    # out without its value (newman would send it empty).
    qtbot.waitUntil(lambda: "written without their value (token)" in dialog.status_label.text())

    assert dialog.exported_path() == target
    assert dialog.isVisible()
    result = import_text(target.read_text(encoding="utf-8"), filename=target.name)
    assert result.collection == COLLECTION
    assert result.report == ()


def test_http_export_imports_back_the_same_requests(qtbot, dialog, tmp_path):
    dialog.set_format("http")
    dialog.set_path(tmp_path / "shop.http")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.export_button.click()

    text = (tmp_path / "shop.http").read_text(encoding="utf-8")
    imported = import_text(text, filename="shop.http").collection
    # An .http file has no folders: they are flattened into the request names.
    assert [item.request.name for item in imported.items] == [
        "Items / List items",
        "Items / Create item",
        "Login",
    ]
    for item, original in zip(imported.items, (LIST, CREATE, LOGIN), strict=True):
        request = item.request
        assert (request.method, request.url, request.params) == (
            original.method,
            original.url,
            original.params,
        )
        assert request.body == original.body
    assert {v.name: v.value for v in imported.variables}["base_url"] == "http://127.0.0.1:5000"


def test_switching_format_changes_the_file_suffix(dialog, tmp_path):
    dialog.set_format("postman")
    dialog.set_path(tmp_path / "shop.postman_collection.json")
    dialog.set_format("http")
    assert dialog.path_edit.text() == str(tmp_path / "shop.http")
    dialog.set_format("postman")
    assert dialog.path_edit.text() == str(tmp_path / "shop.postman_collection.json")


def test_secret_values_are_never_written(qtbot, tmp_path):
    secret = Collection("S", variables=(Variable("token", "hunter2-secret", secret=True),))
    dialog = ExportDialog(secret)
    qtbot.addWidget(dialog)
    for key, name in (("postman", "s.json"), ("http", "s.http")):
        dialog.set_format(key)
        dialog.set_path(tmp_path / name)
        dialog.export_button.click()
        # Postman's export says the secret went out empty, and the dialog stays to say so.
        qtbot.waitUntil(lambda name=name: dialog.exported_path() == tmp_path / name)
        assert "hunter2" not in (tmp_path / name).read_text(encoding="utf-8")
        assert "hunter2" not in dialog.status_label.text()


def test_unwritable_target_is_reported_and_dialog_stays(qtbot, dialog, tmp_path):
    dialog.set_path(tmp_path / "no-such-dir" / "x.json")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: bool(dialog.status_label.text()), timeout=10_000)
    assert dialog.isVisible()
    assert "Could not write" in dialog.status_label.text()
    assert dialog.exported_path() is None
    dialog.set_path(tmp_path)
    dialog.export_button.click()
    assert "folder" in dialog.status_label.text()


def test_export_needs_a_path(dialog):
    dialog.path_edit.clear()
    assert not dialog.export_button.isEnabled()


def test_format_and_folder_are_remembered(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = ExportDialog(COLLECTION, settings=settings)
    qtbot.addWidget(first)
    first.set_format("http")
    first.set_path(tmp_path / "out" / "a.http")
    (tmp_path / "out").mkdir()
    with qtbot.waitSignal(first.accepted, timeout=10_000):
        first.export_button.click()
    second = ExportDialog(COLLECTION, settings=settings)
    qtbot.addWidget(second)
    assert second.format() == "http"
    assert settings.value("export/last_dir") == str(tmp_path / "out")


def test_history_as_har_round_trips(tmp_path: Path):
    entries = (
        HarEntry(
            "POST",
            "http://127.0.0.1:5000/items?x=1",
            request_headers=(("Content-Type", "application/json"),),
            request_body=b'{"a": 1}',
            status=201,
            reason="CREATED",
            response_headers=(("Content-Type", "application/json"),),
            response_body=b'{"id": 7}',
            started="2024-05-01T10:00:00.000Z",
            time_ms=12.5,
        ),
        HarEntry(
            "GET",
            "http://127.0.0.1:5000/items",
            status=200,
            reason="OK",
            started="2024-05-01T10:00:01.000Z",
        ),
    )
    path = tmp_path / "history.har"
    export_history_har(entries, path)
    assert import_har(path.read_text(encoding="utf-8")).entries == entries


def test_escape_closes_and_controls_are_named(qtbot, dialog):
    for widget in dialog.findChildren(QWidget):
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            assert widget.accessibleName(), type(widget).__name__
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.exported_path() is None


def test_an_export_file_name_for_a_long_collection_name_is_short():
    from explorer.ui.dialogs.export_dialog import file_stem

    for name in ("Get " + "the very long report " * 20, "日本語のリクエスト" * 45, "🚀" * 400):
        stem = file_stem(name)
        assert stem and len(stem.encode()) <= 80
