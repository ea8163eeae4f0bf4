"""Comparing responses in the window: a tab's response with the previous one of its
request, two history entries from the History panel, and the dialog itself (sides,
problems, moving between changes). Real sends to the recording server, the real SQLite
history, the real dialog."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from explorer.application.comparing import CompareError, Side, Source
from explorer.core.diff.json_diff import Kind
from explorer.core.model import Pair, Request
from explorer.ui.dialogs.diff_view import SEGMENT_ROLE
from explorer.ui.dialogs.response_diff import ResponseDiffDialog


def _send(qtbot, window, tab, attempt: str, url: str) -> None:
    request = Request(method="GET", url=url, headers=(Pair("X-Attempt", attempt),))
    tab.load(request, saved=False)
    with qtbot.waitSignals([tab.runner.finished, window.workspace.history_changed], timeout=10_000):
        tab.send()


def _finished(qtbot, dialog: ResponseDiffDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.comparing, timeout=10_000)


def test_a_tab_compares_with_the_previous_response_and_history_entries_compare(
    qtbot, window, recording_server
):
    tab = window.current_tab()
    url = f"{recording_server.url}/items/7"
    _send(qtbot, window, tab, "one", url)
    _send(qtbot, window, tab, "two", f"{recording_server.url}/other")  # another request
    _send(qtbot, window, tab, "three", url)

    # From the response view: this response (right) with the previous one of the same
    # request (left), skipping the entry that records this very response and the
    # entry of the other URL.
    tab.response_view.summary.compare_button.click()  # the response view's Compare…
    dialog = window.compare_actions.dialog
    assert dialog is not None and dialog.comparing
    _finished(qtbot, dialog)
    comparison = dialog.comparison
    assert comparison is not None, dialog.problem
    assert comparison.left.label.startswith("History ")
    assert dialog.left_picker.currentText().startswith("Previous response of this request: ")
    assert comparison.right.label.startswith("This response")
    assert b'"one"' in comparison.left.body and b'"three"' in comparison.right.body
    assert comparison.body.mode == "json"
    found = {(c.path, c.kind) for c in comparison.body.json.changes}
    assert any(path.endswith("['X-Attempt']") or "X-Attempt" in path for path, _k in found), found
    assert all(kind is Kind.CHANGED for _path, kind in found)
    assert "200 OK" in dialog.summary.text() and "JSON changes" in dialog.summary.text()

    # Clicking a change shows its line on both sides.
    change = comparison.body.json.changes[0]
    dialog.show_change(change)
    row = dialog.lines.current_row()
    left, right, tag = dialog.lines.diff_model.line_at(row)
    assert tag != "equal" and left is not None and right is not None
    assert "one" in comparison.body.left_lines[left]
    assert "three" in comparison.body.right_lines[right]
    dialog.close()

    # A tab's context menu: with another tab's response.
    other = window.new_tab()
    _send(qtbot, window, other, "four", f"{recording_server.url}/other")
    menu = window.compare_actions.tab_menu(tab)
    [compare_with] = [action.menu() for action in menu.actions() if action.menu()]
    names = [action.text() for action in compare_with.actions() if action.text()]
    assert names[0] == "Previous response of this request" and len(names) == 2
    compare_with.actions()[-1].trigger()
    dialog = window.compare_actions.dialog
    _finished(qtbot, dialog)
    assert b'"four"' in dialog.comparison.left.body
    assert b'"three"' in dialog.comparison.right.body
    dialog.close()
    assert window.compare_actions.tab_menu(window.new_tab()) is None  # no response yet

    # From the History panel: two entries, older on the left.
    panel = window.panels.history_panel
    panel.refresh()
    rows = [
        panel.tree.topLevelItem(0).child(i) for i in range(panel.tree.topLevelItem(0).childCount())
    ]
    assert len(rows) == 4
    panel.tree.clearSelection()
    rows[1].setSelected(True)  # "three" ("four", newest, is another request)
    rows[3].setSelected(True)  # oldest: "one"
    [compare] = panel.compare_actions()
    assert compare.text() == "Compare"
    compare.trigger()
    dialog = window.compare_actions.dialog
    _finished(qtbot, dialog)
    assert b'"one"' in dialog.comparison.left.body
    assert b'"three"' in dialog.comparison.right.body
    dialog.close()

    # One entry: with the previous response of its request.
    panel.tree.clearSelection()
    rows[1].setSelected(True)
    [previous] = panel.compare_actions()
    assert previous.text() == "Compare with previous of this request"
    previous.trigger()
    dialog = window.compare_actions.dialog
    _finished(qtbot, dialog)
    assert b'"one"' in dialog.comparison.left.body
    dialog.close()


def _side(label: str, body: bytes, headers=(("Content-Type", "text/plain"),)) -> Side:
    return Side(label, 200, "OK", 10.0, len(body), tuple(headers), body)


def test_the_dialog_compares_text_moves_between_changes_and_says_what_went_wrong(qtbot):
    left_text = "\n".join(f"line {n}" for n in range(300)).encode()
    right_text = left_text.replace(b"line 20\n", b"line twenty\n").replace(b"line 250\n", b"")

    def missing() -> Side:
        raise CompareError("That history entry no longer exists.")

    sources = [
        Source("a", "Left text", lambda: _side("Left text", left_text)),
        Source("b", "Right text", lambda: _side("Right text", right_text)),
        Source("gone", "Deleted entry", missing),
    ]
    dialog = ResponseDiffDialog(sources, "a", "b")
    qtbot.addWidget(dialog)
    dialog.show()
    _finished(qtbot, dialog)
    comparison = dialog.comparison
    assert comparison is not None and comparison.body.mode == "text"
    assert comparison.body_changes == 2
    assert "2 changed blocks of lines" in dialog.summary.text()
    model = dialog.lines.diff_model
    first = dialog.lines.current_row()  # the first change is shown at once
    assert model.line_at(first) == (20, 20, "replace")
    assert model.data(model.index(first, 1)) == "line 20"
    assert model.data(model.index(first, 3)) == "line twenty"
    assert model.data(model.index(first, 1), Qt.ItemDataRole.BackgroundRole) is not None
    # Within the changed line, the part that differs is tinted again: "20" / "twenty".
    assert model.data(model.index(first, 1), SEGMENT_ROLE) == (5, 7)
    assert model.data(model.index(first, 3), SEGMENT_ROLE) == (5, 11)
    dialog.lines.viewport().grab()  # the delegate paints it without complaint
    dialog.next_change()
    left, right, tag = model.line_at(dialog.lines.current_row())
    assert (left, right, tag) == (250, None, "delete")
    assert dialog.position.text() == "2 of 2 changed blocks"
    dialog.previous_change()
    assert dialog.lines.current_row() == first
    assert dialog.headers_table.rowCount() == 1

    # A larger code font (Preferences ▸ Editor) makes the rows taller, not clipped.
    rows = dialog.lines.verticalHeader()
    before = rows.defaultSectionSize()
    font = dialog.lines.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    dialog.lines.setFont(font)
    assert rows.defaultSectionSize() > before * 1.5

    dialog.swap()
    _finished(qtbot, dialog)
    assert dialog.comparison.left.label == "Right text"

    dialog.right_picker.setCurrentIndex(dialog.right_picker.findData("gone"))
    dialog.start()
    _finished(qtbot, dialog)
    assert dialog.comparison is None
    assert dialog.summary.text() == "That history entry no longer exists."

    dialog.left_picker.setCurrentIndex(dialog.left_picker.findData("b"))
    dialog.right_picker.setCurrentIndex(dialog.right_picker.findData("b"))
    dialog.start()
    assert "same response" in dialog.summary.text()
    dialog.close()


def test_json_key_order_is_no_change_and_binary_bodies_are_compared_by_bytes(qtbot):
    json_type = (("Content-Type", "application/json"),)
    one = json.dumps({"a": 1, "b": [1, 2]}).encode()
    other = json.dumps({"b": [1, 2], "a": 1}, indent=4).encode()
    image = (("Content-Type", "image/png"),)
    sources = [
        Source("j1", "One", lambda: _side("One", one, json_type)),
        Source("j2", "Other", lambda: _side("Other", other, json_type)),
        Source("p1", "Png", lambda: _side("Png", b"\x89PNG\r\n\x1a\n\x00\x01", image)),
        Source("p2", "Png 2", lambda: _side("Png 2", b"\x89PNG\r\n\x1a\n\x00\x02", image)),
    ]
    dialog = ResponseDiffDialog(sources, "j1", "j2")
    qtbot.addWidget(dialog)
    _finished(qtbot, dialog)
    assert dialog.comparison.body.identical
    assert "identical JSON" in dialog.summary.text()
    assert dialog.position.text() == "No changed lines"

    dialog.set_sources(sources, "p1", "p2")
    _finished(qtbot, dialog)
    assert dialog.comparison.body.mode == "binary"
    assert "different" in dialog.waiting.text()
    dialog.close()


def test_esc_stops_the_comparison_and_the_dialog_goes(qtbot):
    big = "\n".join(f"line {n}" for n in range(200_000)).encode()
    sources = [
        Source("a", "A", lambda: _side("A", big)),
        Source("b", "B", lambda: _side("B", big.replace(b"line 7", b"seven"))),
    ]
    dialog = ResponseDiffDialog(sources, "a", "b")
    dialog.show()
    budget = dialog._budget
    gone: list[bool] = []
    dialog.destroyed.connect(lambda *_args: gone.append(True))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(gone), timeout=10_000)
    assert budget.stopped


def test_a_dialog_deleted_with_its_parent_stops_its_comparison(qtbot):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    big = "\n".join(f"line {n}" for n in range(200_000)).encode()
    sources = [
        Source("a", "A", lambda: _side("A", big)),
        Source("b", "B", lambda: _side("B", big.replace(b"line 7", b"seven"))),
    ]
    dialog = ResponseDiffDialog(sources, "a", "b", parent)
    budget = dialog._budget
    parent.deleteLater()
    qtbot.waitUntil(lambda: budget.stopped, timeout=5_000)
