"""Every body kind and auth kind, built in the editor and sent to the practice server;
what arrived there is compared with what the editor showed."""

from __future__ import annotations

import base64
import hashlib
import json
import time

import pytest
from PySide6.QtCore import QThreadPool

from explorer.core.model import AuthKind, Body, BodyKind, Pair, Part
from explorer.ui.window.request_tab import RequestTab


@pytest.fixture
def tab(qtbot):
    tab = RequestTab()
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    yield tab
    tab.shutdown()
    assert QThreadPool.globalInstance().waitForDone(10_000)


def send(qtbot, tab) -> dict:
    with qtbot.waitSignal(tab.runner.finished, timeout=15_000):
        tab.send()
    return json.loads(tab.last_response.read_body())


def type_url(qtbot, tab, url: str) -> None:
    tab.editor.url_edit.clear()
    qtbot.keyClicks(tab.editor.url_edit, url)


def choose_body_kind(tab, kind: BodyKind) -> None:
    combo = tab.editor.body_editor.kind_combo
    combo.setCurrentIndex(combo.findData(kind))


def test_raw_json_body(qtbot, tab, live_server):
    tab.editor.method_combo.setCurrentText("POST")
    type_url(qtbot, tab, f"{live_server}/anything?x=1&y=a%20b")
    choose_body_kind(tab, BodyKind.RAW)
    # QTest can only type ASCII keys; the coffee cup is typed the way an input method does.
    qtbot.keyClicks(tab.editor.body_editor.raw_editor.editor, '{"title": " REST"}')
    cursor = tab.editor.body_editor.raw_editor.editor.textCursor()
    cursor.setPosition(len('{"title": "'))
    cursor.insertText("☕")
    arrived = send(qtbot, tab)
    assert arrived["method"] == "POST"
    assert arrived["query_string"] == "x=1&y=a%20b"
    assert arrived["args"] == {"x": "1", "y": "a b"}
    assert arrived["json"] == {"title": "☕ REST"}
    assert arrived["data_sha256"] == hashlib.sha256('{"title": "☕ REST"}'.encode()).hexdigest()
    assert arrived["headers"]["Content-Type"] == "application/json"


def test_form_body(qtbot, tab, live_server):
    tab.editor.method_combo.setCurrentText("POST")
    type_url(qtbot, tab, f"{live_server}/anything")
    choose_body_kind(tab, BodyKind.FORM)
    form = tab.editor.body_editor.form_table
    form.add_row(Pair("name", "Ada Lovelace"))
    form.add_row(Pair("tags", "a&b"))
    form.add_row(Pair("tags", "c"))
    form.add_row(Pair("off", "x", enabled=False))
    arrived = send(qtbot, tab)
    assert arrived["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert arrived["form"] == {"name": "Ada Lovelace", "tags": ["a&b", "c"]}
    assert arrived["data"] == "name=Ada+Lovelace&tags=a%26b&tags=c"


def test_multipart_upload(qtbot, tab, live_server, tmp_path):
    photo = tmp_path / "photo.png"
    photo.write_bytes(bytes(range(256)) * 40)
    notes = tmp_path / "notes.txt"
    notes.write_text("plain notes\n")
    tab.editor.method_combo.setCurrentText("POST")
    type_url(qtbot, tab, f"{live_server}/upload")
    body = Body(
        kind=BodyKind.MULTIPART,
        parts=(
            Part("caption", "holiday"),
            Part("photo", file=str(photo), content_type="image/png"),
            Part("notes", file=str(notes)),
        ),
    )
    tab.editor.body_editor.set_value(body)
    arrived = send(qtbot, tab)
    assert arrived["fields"] == {"caption": "holiday"}
    files = {f["name"]: f for f in arrived["files"]}
    assert files["photo"]["filename"] == "photo.png"
    assert files["photo"]["content_type"] == "image/png"
    assert files["photo"]["size"] == 256 * 40
    assert files["photo"]["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert files["notes"]["filename"] == "notes.txt"
    assert files["notes"]["sha256"] == hashlib.sha256(notes.read_bytes()).hexdigest()


def test_binary_file_body(qtbot, tab, live_server, tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 3)
    tab.editor.method_combo.setCurrentText("PUT")
    type_url(qtbot, tab, f"{live_server}/anything")
    tab.editor.body_editor.set_value(Body(kind=BodyKind.BINARY, file=str(blob)))
    arrived = send(qtbot, tab)
    assert base64.b64decode(arrived["data_base64"]) == blob.read_bytes()
    assert arrived["headers"]["Content-Type"] == "application/octet-stream"


def choose_auth(tab, kind: AuthKind):
    editor = tab.editor.auth_editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData(kind))
    return editor


def test_basic_auth(qtbot, tab, live_server):
    type_url(qtbot, tab, f"{live_server}/basic-auth/ada/s3cret")
    editor = choose_auth(tab, AuthKind.BASIC)
    qtbot.keyClicks(editor.username_edit, "ada")
    qtbot.keyClicks(editor.password_field.line_edit, "s3cret")
    arrived = send(qtbot, tab)
    assert tab.last_response.status == 200
    assert arrived["authenticated"] is True


def test_bearer_auth(qtbot, tab, live_server):
    type_url(qtbot, tab, f"{live_server}/anything")
    editor = choose_auth(tab, AuthKind.BEARER)
    qtbot.keyClicks(editor.token_field.line_edit, "tok-123")
    arrived = send(qtbot, tab)
    assert arrived["headers"]["Authorization"] == "Bearer tok-123"


@pytest.mark.parametrize("where", ["header", "query"])
def test_api_key_auth(qtbot, tab, live_server, where):
    type_url(qtbot, tab, f"{live_server}/anything")
    editor = choose_auth(tab, AuthKind.API_KEY)
    qtbot.keyClicks(editor.key_name_edit, "X-Api-Key" if where == "header" else "api_key")
    qtbot.keyClicks(editor.key_value_field.line_edit, "k 1&2")
    editor.key_in_combo.setCurrentIndex(editor.key_in_combo.findData(where))
    arrived = send(qtbot, tab)
    if where == "header":
        assert arrived["headers"]["X-Api-Key"] == "k 1&2"
    else:
        assert arrived["args"] == {"api_key": "k 1&2"}


def test_digest_auth(qtbot, tab, live_server):
    type_url(qtbot, tab, f"{live_server}/digest-auth/auth/ada/pw")
    editor = choose_auth(tab, AuthKind.DIGEST)
    qtbot.keyClicks(editor.username_edit, "ada")
    qtbot.keyClicks(editor.password_field.line_edit, "pw")
    send(qtbot, tab)
    response = tab.last_response
    assert response.status == 200
    assert [hop.status for hop in response.hops] == [401]  # the challenge, then the answer


def test_headers_and_custom_method(qtbot, tab, live_server):
    tab.editor.method_combo.setCurrentText("PURGE")
    type_url(qtbot, tab, f"{live_server}/anything/cache")
    headers = tab.editor.headers_editor
    headers.set_value((Pair("X-One", "1"), Pair("X-Off", "0", enabled=False), Pair("X-Two", "2")))
    arrived = send(qtbot, tab)
    assert arrived["method"] == "PURGE"
    assert arrived["headers"]["X-One"] == "1" and arrived["headers"]["X-Two"] == "2"
    assert "X-Off" not in arrived["headers"]


def test_cancel_of_a_slow_download_is_quick_and_the_tab_still_works(qtbot, tab, live_server):
    type_url(qtbot, tab, f"{live_server}/drip?numbytes=50&duration=5")
    tab.send()
    qtbot.waitUntil(lambda: tab.editor.busy, timeout=2000)
    qtbot.wait(500)  # the body is now trickling in
    started = time.perf_counter()
    with qtbot.waitSignal(tab.runner.cancelled, timeout=1000):
        tab.cancel()
    assert time.perf_counter() - started < 0.2
    assert tab.editor.send_button.text() == "Send"
    assert tab.response_view.summary.status_label.text() == "Cancelled"
    # The worker lets go of its connection at once, so the pool is free again soon.
    assert QThreadPool.globalInstance().waitForDone(1000)
    type_url(qtbot, tab, f"{live_server}/anything/next")
    arrived = send(qtbot, tab)
    assert arrived["path"] == "/anything/next"


def test_progress_shows_bytes_total_and_rate_while_the_body_arrives(qtbot, tab, live_server):
    # No summary until something is sent: the panel starts with its placeholder only.
    assert tab.response_view._summary is None
    seen, stale = [], []

    def look(*_args) -> None:  # runs after the tab has updated the bar for this report
        summary = tab.response_view.summary
        bar = summary.progress
        status_shown = summary.status_label.isVisibleTo(tab)
        stale.append(not tab.response_view.pages.isEnabled())  # the 404 greyed out
        seen.append((bar.isVisibleTo(tab), bar.format(), bar.value(), bar.maximum(), status_shown))

    type_url(qtbot, tab, f"{live_server}/status/404")  # a previous response on show
    with qtbot.waitSignal(tab.runner.finished, timeout=5000):
        tab.send()
    tab.runner.progressed.connect(look)
    type_url(qtbot, tab, f"{live_server}/drip?numbytes=40&duration=1")
    with qtbot.waitSignal(tab.runner.finished, timeout=5000):
        tab.send()
    partway = [s for s in seen if " of 40 B" in s[1] and 0 < s[2] < s[3]]
    assert partway, seen
    visible, text, _value, _maximum, _status_shown = partway[0]
    assert visible and text.endswith("/s")
    # The 404 before is not shown as if it were this response's status.
    assert not any(status_shown for *_rest, status_shown in seen)
    assert all(stale) and tab.response_view.pages.isEnabled()
    assert not tab.response_view.summary.progress.isVisibleTo(tab)
    assert tab.response_view.summary.size_label.text() == "Size 40 B"
