"""File ▸ Import…: pasted curl, files, URLs; the preview, the report and malformed input."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem, QWidget

from explorer.core.collection import walk_requests
from explorer.core.formats import import_text
from explorer.core.formats.har import import_har
from explorer.core.formats.isolated import ParseCancelled
from explorer.ui.dialogs.import_dialog import ImportDialog

FIXTURES = Path(__file__).parents[1] / "core" / "formats" / "fixtures"
CURL = (
    "curl -X PUT 'https://h.example/items/7?verbose=1' -H 'Accept: application/json' "
    "--frobnicate -d 'name=lamp'"
)


@pytest.fixture
def dialog(qtbot) -> Iterator[ImportDialog]:
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    assert dialog.finish_work(5000), "a worker of the import dialog did not finish"


def wait_ready(qtbot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=5000)


def wait_error(qtbot, dialog: ImportDialog) -> str:
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=5000)
    return dialog.error_label.text()


def tree_rows(dialog: ImportDialog) -> list[tuple[str, ...]]:
    """(folder path, name, method, URL) of every request row, in order."""
    rows: list[tuple[str, ...]] = []

    def visit(item: QTreeWidgetItem, path: tuple[str, ...]) -> None:
        for index in range(item.childCount()):
            child = item.child(index)
            if child.childCount() or not child.text(1):
                visit(child, (*path, child.text(0)))
            else:
                rows.append(("/".join(path), child.text(0), child.text(1), child.text(2)))

    visit(dialog.preview_tree.invisibleRootItem(), ())
    return rows


def expected_rows(result) -> list[tuple[str, ...]]:
    return [
        ("/".join(path), item.name, item.request.method, item.request.url)
        for path, item in walk_requests(result.collection)
    ]


def test_pasted_curl_is_recognised_previewed_and_imported(qtbot, dialog):
    dialog.paste_edit.setFocus()
    dialog.paste_edit.insertPlainText(CURL)  # what a paste does
    wait_ready(qtbot, dialog)

    assert dialog.detected_label.text() == "Detected: curl command"
    assert tree_rows(dialog) == [("", "PUT /items/7", "PUT", "https://h.example/items/7")]
    assert "Unknown curl option --frobnicate" in dialog.report_view.toPlainText()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    result = dialog.result()
    assert result is not None and result == import_text(CURL)
    request = result.collection.items[0].request
    assert (request.method, request.body.form[0].name) == ("PUT", "name")
    assert dialog.chosen_format() == "curl"


def test_postman_file_previews_folders_and_report(qtbot, dialog):
    path = FIXTURES / "postman" / "v21_collection.json"
    dialog.set_file(path)
    wait_ready(qtbot, dialog)

    expected = import_text(path.read_text(encoding="utf-8"), filename=path.name)
    assert dialog.detected_label.text().startswith("Detected: Postman")
    assert tree_rows(dialog) == expected_rows(expected)
    assert any(folder for folder, *_ in tree_rows(dialog))
    for line in expected.report:
        assert line in dialog.report_view.toPlainText()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == expected


def test_malformed_file_shows_where_and_keeps_import_off(qtbot, dialog, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "info": {"name": "x",\n  "item": [\n', encoding="utf-8")
    dialog.set_file(broken)

    message = wait_error(qtbot, dialog)
    assert "line 4, column 1" in message
    assert not dialog.import_button.isEnabled()
    assert dialog.preview_tree.topLevelItemCount() == 0
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() is None

    # Fixing the file and choosing it again clears the problem.
    fixed = (FIXTURES / "postman" / "v20_collection.json").read_text(encoding="utf-8")
    broken.write_text(fixed, encoding="utf-8")
    dialog.file_edit.clear()
    dialog.set_file(broken)
    wait_ready(qtbot, dialog)
    assert dialog.error_label.isHidden()


def test_shape_errors_name_the_json_path(qtbot, dialog):
    dialog.set_file(FIXTURES / "postman" / "bad_shape.json")
    assert "$.item[1].request.body.urlencoded" in wait_error(qtbot, dialog)
    assert not dialog.import_button.isEnabled()


def test_missing_file_is_reported(qtbot, dialog, tmp_path):
    dialog.set_file(tmp_path / "nope.json")
    assert "does not exist" in wait_error(qtbot, dialog)
    assert not dialog.import_button.isEnabled()


def test_format_override_reads_as_chosen(qtbot, dialog):
    dialog.set_file(FIXTURES / "postman" / "v21_collection.json")
    wait_ready(qtbot, dialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("openapi"))
    assert "Not an OpenAPI document" in wait_error(qtbot, dialog)
    assert not dialog.import_button.isEnabled()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("har"))
    # A collection is no archive: said with what was seen (it read as an empty one before).
    said = "Not a HAR archive: a JSON object with keys info, auth, variable"
    qtbot.waitUntil(lambda: said in dialog.error_label.text(), timeout=5000)
    assert not dialog.import_button.isEnabled()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("postman"))
    wait_ready(qtbot, dialog)
    assert dialog.detected_label.text().startswith("Read as: Postman")


def test_har_file_exposes_its_exchanges(qtbot, dialog):
    path = FIXTURES / "har" / "browser.har"
    dialog.set_file(path)
    wait_ready(qtbot, dialog)
    dialog.import_button.click()
    expected = import_har(path.read_text(encoding="utf-8"), name="browser")
    assert dialog.har_entries() == expected.entries
    assert len(dialog.har_entries()) > 0
    assert dialog.result() == expected.result


def test_url_is_fetched_off_the_gui_thread(qtbot, dialog, live_server):
    url = f"{live_server}/openapi.json"
    dialog.fetch_url(url)
    assert dialog.stop_button.isVisible()
    wait_ready(qtbot, dialog)
    assert not dialog.download_bar.isVisible()
    assert dialog.detected_label.text() == "Detected: OpenAPI / Swagger document"
    folders = {dialog.preview_tree.topLevelItem(i).text(0) for i in range(5)}
    assert "client-server" in folders
    dialog.import_button.click()
    assert dialog.result() is not None
    assert all(
        item.request.url.startswith("{{base_url}}")
        for _, item in walk_requests(dialog.result().collection)
    )


def test_url_errors_are_shown(qtbot, dialog, live_server):
    dialog.fetch_url(f"{live_server}/no/such/document.json")
    assert "404" in wait_error(qtbot, dialog)
    assert not dialog.import_button.isEnabled()
    dialog.fetch_url("ftp://example.com/x.json")
    assert "http://" in wait_error(qtbot, dialog)


def test_served_fixture_file_from_a_tiny_server(qtbot, dialog):
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Response

    text = (FIXTURES / "insomnia" / "export.yaml").read_text(encoding="utf-8")
    server = make_server("127.0.0.1", 0, lambda env, start: Response(text)(env, start))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dialog.fetch_url(f"http://127.0.0.1:{server.port}/export.yaml")
        wait_ready(qtbot, dialog)
    finally:
        server.shutdown()
        thread.join(5)
    assert dialog.detected_label.text() == "Detected: Insomnia export (v4 or v5)"
    assert tree_rows(dialog) == expected_rows(import_text(text, filename="export.yaml"))


def test_escape_closes_without_a_result(qtbot, dialog):
    dialog.set_text(CURL)
    wait_ready(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() is None


def test_every_control_has_an_accessible_name(qtbot, dialog):
    for index in range(3):
        dialog.source_tabs.setCurrentIndex(index)
        focusable = [
            widget
            for widget in dialog.findChildren(QWidget)
            if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ]
        assert len(focusable) >= 7
        for widget in focusable:
            assert widget.accessibleName(), f"{type(widget).__name__} has no accessible name"


def test_tab_reaches_every_control(qtbot, dialog):
    dialog.source_tabs.setCurrentIndex(1)
    dialog.file_edit.setFocus()
    seen = set()
    for _ in range(20):
        seen.add(dialog.focusWidget())
        dialog.focusNextChild()
    for widget in (
        dialog.file_edit,
        dialog.browse_button,
        dialog.format_combo,
        dialog.preview_tree,
        dialog.report_view,
        dialog.cancel_button,
    ):
        assert widget in seen, widget.accessibleName()


def test_editing_after_a_result_turns_import_off_until_reread(qtbot, dialog):
    dialog.set_text(CURL)
    wait_ready(qtbot, dialog)
    dialog.paste_edit.setFocus()
    qtbot.keyClick(dialog.paste_edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.paste_edit, " -H 'X-Extra: 1'")
    assert not dialog.import_button.isEnabled()  # the preview is stale right away
    wait_ready(qtbot, dialog)
    dialog.import_button.click()
    headers = dialog.result().collection.items[0].request.headers
    assert ("X-Extra", "1") in [(h.name, h.value) for h in headers]


def test_closing_the_dialog_stops_a_slow_conversion_at_once(qtbot, tmp_path):
    # About 12 MB of YAML: the parser needs many seconds for it on this machine.
    rows = "".join(f"  /items/{i}:\n    get: {{summary: item {i}}}\n" for i in range(300_000))
    source = tmp_path / "huge.yaml"
    source.write_text("openapi: 3.0.0\ninfo: {title: Huge, version: '1'}\npaths:\n" + rows)
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    arrived: list[object] = []
    # What the background queue delivers: a result, or an error other than the cancel.
    dialog._on_parsed = lambda *args: arrived.append(args)
    dialog._on_parse_error = lambda _job, error: (
        None if isinstance(error, ParseCancelled) else arrived.append(error)
    )
    dialog.show()
    dialog.set_file(source)
    qtbot.waitUntil(lambda: dialog.status_label.text() == "Reading…", timeout=5000)
    qtbot.wait(500)  # well inside the parse
    started = time.monotonic()
    dialog.reject()
    assert dialog.finish_work(3000), "closing waited for the conversion"
    assert time.monotonic() - started < 3
    qtbot.wait(1000)  # nothing comes later either
    assert arrived == []
