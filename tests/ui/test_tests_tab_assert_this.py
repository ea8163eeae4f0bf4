""" "Assert this" and "Capture as variable…" from the response: a right-click on a JSON
value of the body (nested arrays, keys that need quoting), a header row or a cookie row
adds the exact row to the request's Tests tab and shows it; sent again, the new
assertion passes against the real practice server, so the path is exact."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint

from explorer.core.model import (
    Assertion,
    Body,
    BodyKind,
    Capture,
    Operator,
    Pair,
    Request,
    Subject,
)
from explorer.ui.response.tests_view import PASSED

NESTED = {"users": [{"name": "ada"}, {"it's": [[1, 2], {"a b": "x", "n": 42}]}]}


def send(qtbot, tab) -> None:
    with qtbot.waitSignal(tab.runner.finished, timeout=15_000):
        tab.send()
    body = tab.response_view.body_view
    qtbot.waitUntil(lambda: not body.is_formatting(), timeout=10_000)


def paths_known(body) -> bool:
    entry = body._entries.get("pretty")
    return entry is not None and entry.tree is not None


def point_of_line(body_view, needle: str) -> QPoint:
    """Where line containing `needle` is on screen (scrolled into view first)."""
    view = body_view.text_view
    document = view.document()
    text = body_view.plain_text().split("\n")
    line = next(i for i, t in enumerate(text) if needle in t)
    start, end = document.line_span(line)
    view.select_range(start, end)
    row = view.visible_lines().index(line)
    return QPoint(view._text_x + 20, int((row + 0.5) * view._line_height))


def trigger(menu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text().startswith(text))
    assert action.isEnabled(), action.toolTip()
    action.trigger()


def test_assert_this_on_a_nested_json_value_adds_the_exact_row(qtbot, window, live_server):
    tab = window.current_tab()
    tab.editor.set_request(Request("POST", f"{live_server}/anything",
                                   body=Body(kind=BodyKind.RAW, text=json.dumps(NESTED),
                                             content_type="application/json")))  # fmt: skip
    send(qtbot, tab)
    body = tab.response_view.body_view
    qtbot.waitUntil(lambda: paths_known(body), timeout=10_000)

    trigger(body.value_menu(point_of_line(body, '"a b": "x"')), "Assert this")
    menu = body.value_menu(point_of_line(body, '"n": 42'))
    named = [a.text() for a in menu.actions() if a.text().startswith("Assert this")]
    assert named == ["Assert this: jsonpath $.json.users[1]['it\\'s'][1].n == 42"]
    trigger(menu, "Assert this")
    trigger(body.value_menu(point_of_line(body, '"it\'s": [')), "Assert this")

    editor = tab.editor
    assert editor.tabs.currentWidget() is editor.tests_editor  # the Tests tab is shown
    rows = editor.tests_editor.assertions_table.rows()
    assert rows == (
        Assertion(Subject.JSONPATH, Operator.EQ, "x", "$.json.users[1]['it\\'s'][1]['a b']"),
        Assertion(Subject.JSONPATH, Operator.EQ, "42", "$.json.users[1]['it\\'s'][1].n"),
        Assertion(Subject.JSONPATH, Operator.IS_TYPE, "list", "$.json.users[1]['it\\'s']"),
    )

    # The rows hold against the response they came from: sent again, all pass.
    with qtbot.waitSignal(tab.runner.checked, timeout=15_000):
        tab.send()
    shown = tab.response_view.parts.tests_view.results_table.row_texts()
    assert [row[0] for row in shown] == [PASSED] * 3


def test_capture_as_variable_asks_a_name_and_adds_the_capture(qtbot, window, live_server):
    tab = window.current_tab()
    tab.editor.url_edit.setText(f"{live_server}/anything/x?token=abc")
    send(qtbot, tab)
    body = tab.response_view.body_view
    qtbot.waitUntil(lambda: paths_known(body), timeout=10_000)
    asked: list[str] = []
    body.ask_name = lambda _parent, suggested: asked.append(suggested) or "tok"

    trigger(body.value_menu(point_of_line(body, '"token": "abc"')), "Capture as variable…")

    assert asked == ["token"]
    captures = tab.editor.tests_editor.captures_table.rows()
    assert captures == (Capture("tok", Subject.JSONPATH, "$.args.token"),)
    assert tab.editor.tests_editor.sections.currentIndex() == 1


def test_a_place_without_a_value_offers_the_actions_disabled_with_why(qtbot, window, live_server):
    tab = window.current_tab()
    tab.editor.url_edit.setText(f"{live_server}/anything")
    send(qtbot, tab)
    body = tab.response_view.body_view
    body.set_mode("raw")
    menu = body.value_menu(QPoint(10, 10))
    action = next(a for a in menu.actions() if a.text() == "Assert this")
    assert "Capture as variable…" in [a.text() for a in menu.actions()]
    assert not action.isEnabled()
    assert "Pretty view" in action.toolTip()


def test_assert_this_on_a_header_and_a_cookie(qtbot, window, live_server):
    tab = window.current_tab()
    tab.editor.url_edit.setText(f"{live_server}/cookies/set?theme=dark")
    tab.editor.set_request(Request(url=f"{live_server}/cookies/set?theme=dark",
                                   headers=(Pair("Accept", "application/json"),)))  # fmt: skip
    send(qtbot, tab)
    parts = tab.response_view.parts
    headers = parts.headers_table
    row = next(r for r, (n, _v) in enumerate(headers.row_texts()) if n == "Content-Type")
    trigger(headers.value_menu(row), "Assert this")
    cookies = parts.cookies_table
    trigger(cookies.value_menu(0), "Assert this")
    cookies.ask_name = lambda _parent, suggested: suggested
    trigger(cookies.value_menu(0), "Capture as variable…")

    editor = tab.editor.tests_editor
    assert editor.assertions_table.rows() == (
        Assertion(Subject.HEADER, Operator.EQ, "application/json", "Content-Type"),
        Assertion(Subject.COOKIE, Operator.EQ, "dark", "theme"),
    )
    assert editor.captures_table.rows() == (Capture("theme", Subject.COOKIE, "theme"),)
    with qtbot.waitSignal(tab.runner.checked, timeout=15_000):
        tab.send()
    shown = parts.tests_view.results_table.row_texts()
    assert [r[0] for r in shown] == [PASSED, PASSED], shown
