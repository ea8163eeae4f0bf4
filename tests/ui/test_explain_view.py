"""The response's Explain tab on real sends to a raw-socket server that makes mistakes:
findings grouped by category, most serious first, the tab's count, silencing (the
button, Undo, the preference), links and lessons, stale results dropped; and
`ResponseView.point_at` landing on the right tab and row for every kind of pointer.

The rules here are this module's own (`SAMPLE_RULES`, added to the real catalogue for
these tests only): they make findings of every severity and pointer kind on demand,
so the view is tested whatever the real rules say about the same exchange.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

import explorer.core.explain as explainer
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Category, Note, Pointer, RuleSet, Severity
from explorer.core.explain.references import rfc
from explorer.core.http.transport import Transport
from explorer.core.model import Request
from explorer.qt.explain_silencing import silenced_rules
from explorer.ui.response.pointing import FlashMark
from explorer.ui.response.response_view import ResponseView
from tests.support.hostile_server import HostileServer

# -- the sample rules ----------------------------------------------------------------------

_STATUS = RuleSet(Category.STATUS)
_CONTENT = RuleSet(Category.CONTENT)
_CACHING = RuleSet(Category.CACHING)
_COOKIES = RuleSet(Category.COOKIES)
_PROBLEM = RuleSet(Category.PROBLEM)
_TIMING = RuleSet(Category.TIMING)


@_STATUS.rule(
    "status.sample-created-without-location",
    "201 Created without Location",
    references=(rfc(9110, "15.3.2", "201 Created"),),
    lesson="http-methods",
)
def _created(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status == 201 and not facts.has_header("Location"):
        yield Note(
            Severity.WARNING,
            "201 Created, but no Location header",
            "A 201 says a resource was made.\n\nLocation says where it is.",
            Pointer("status"),
        )


@_CONTENT.rule("content.sample-no-charset", "Text without a charset", lesson="uniform-interface")
def _no_charset(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status == 201 and "charset" not in facts.header("Content-Type"):
        yield Note(
            Severity.WARNING,
            "Content-Type names no charset",
            "Clients guess.",
            Pointer("header", "Content-Type"),
        )


@_CACHING.rule("caching.sample-no-validators", "No validators", lesson="cacheability")
def _no_validators(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status == 201:
        yield Note(
            Severity.INFO,
            "No ETag or Last-Modified",
            "Without one, a cache cannot revalidate.",
            Pointer("header", "ETag"),
        )


@_COOKIES.rule("cookies.sample-httponly", "Cookie without HttpOnly", lesson="statelessness")
def _httponly(facts: ExchangeFacts) -> Iterator[Note]:
    for value in facts.header_values("Set-Cookie"):
        if "httponly" not in value.lower():
            name = value.partition("=")[0].strip()
            yield Note(
                Severity.WARNING,
                f"Cookie {name} can be read by scripts",
                "HttpOnly keeps it from them.",
                Pointer("cookie", name),
            )


@_PROBLEM.rule("problem.sample-status-field", "A status field in the body", lesson=None)
def _status_field(facts: ExchangeFacts) -> Iterator[Note]:
    if b'"status"' in facts.body and facts.status == 201:
        yield Note(
            Severity.ERROR,
            "The body's status contradicts the response's",
            "The body says created.",
            Pointer("body", "$.status"),
        )


@_TIMING.rule("timing.sample-wait", "Time to first byte")
def _wait(facts: ExchangeFacts) -> Iterator[Note]:
    if facts.status == 201:
        yield Note(
            Severity.INFO, "The server answered", "It took a moment.", Pointer("timing", "wait")
        )


SAMPLE_RULES = tuple(
    rule
    for rules in (_STATUS, _CONTENT, _CACHING, _COOKIES, _PROBLEM, _TIMING)
    for rule in rules.rules
)
SAMPLE_IDS = [rule.id for rule in SAMPLE_RULES]


# -- the server: one mistake-making answer per path ------------------------------------------

_CREATED_BODY = b'{\n  "id": 7,\n  "status": "created",\n  "items": [1, 2, 3]\n}'
_ANSWERS = {
    "/created": (
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        b"Set-Cookie: sid=abc123; Path=/\r\nSet-Cookie: theme=dark; Path=/; HttpOnly\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(_CREATED_BODY) + _CREATED_BODY
    ),
    "/clean": (
        b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: "v1"\r\n'
        b"Cache-Control: max-age=60\r\n"
        b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
    ),
    "/moved": (
        b"HTTP/1.1 302 Found\r\nLocation: /created\r\nContent-Length: 0\r\n"
        b"Connection: close\r\n\r\n"
    ),
}


def _answer(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    path = data.split(b" ", 2)[1].decode()
    conn.sendall(_ANSWERS.get(path, _ANSWERS["/clean"]))


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    server = HostileServer(_answer)
    yield server
    server.close()


@pytest.fixture(scope="module")
def responses(server):
    """One real send per path, made once: the responses are frozen values."""
    transport = Transport()
    base = server.url().rstrip("/")
    sent = {
        path: transport.send(Request(url=base + path)) for path in ("/created", "/clean", "/moved")
    }
    transport.close()
    return sent


@pytest.fixture(autouse=True)
def sample_rules(monkeypatch):
    """The catalogue is the real rules and the sample ones; nothing silenced, in memory."""
    real = explainer.all_rules()
    monkeypatch.setattr(explainer, "all_rules", lambda: (*real, *SAMPLE_RULES))
    holder = silenced_rules()
    holder.attach(None)
    holder.set_ids(())
    yield
    holder.attach(None)
    holder.set_ids(())


@pytest.fixture
def view(qtbot):
    view = ResponseView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    yield view
    view.shutdown()


def explained(qtbot, view, response):
    view.show_response(response)
    explain = view.parts.explain_view
    qtbot.waitUntil(lambda: not explain.is_explaining(), timeout=5000)
    return explain


def sample_findings(explain) -> list[tuple[str, str]]:
    return [(f.severity.value, f.rule.id) for f in explain.findings() if f.rule in SAMPLE_RULES]


def tab_title(view) -> str:
    parts = view.parts
    return parts.title(parts.explain_view)


# -- the list ----------------------------------------------------------------------------


def test_findings_are_grouped_by_category_most_serious_first(qtbot, view, responses):
    explain = explained(qtbot, view, responses["/created"])
    assert sample_findings(explain) == [
        ("error", "problem.sample-status-field"),
        ("warning", "status.sample-created-without-location"),
        ("warning", "content.sample-no-charset"),
        ("warning", "cookies.sample-httponly"),  # sid only: theme is HttpOnly
        ("info", "caching.sample-no-validators"),
        ("info", "timing.sample-wait"),
    ]
    groups = [explain.tree.topLevelItem(i).text(0) for i in range(explain.tree.topLevelItemCount())]
    sample_groups = [g.split("  ·  ")[0] for g in groups]
    for earlier, later in (
        ("Problem details", "Status"),
        ("Cookies", "Caching"),
        ("Status", "Timing"),
    ):
        assert sample_groups.index(earlier) < sample_groups.index(later)
    attention = sum(f.severity is not Severity.INFO for f in explain.findings())
    assert attention >= 4
    assert tab_title(view) == f"Explain ({attention})"
    assert "error" in explain.summary.text() and "warning" in explain.summary.text()
    # The most serious is selected and explained in full.
    first = explain.current_finding()
    assert first is not None and first.severity is explain.findings()[0].severity
    assert explain.select_rule("status.sample-created-without-location")
    shown = explain.detail.toPlainText()
    assert "201 Created, but no Location header" in shown
    assert "Location says where it is." in shown
    assert "RFC 9110 §15.3.2 201 Created" in shown
    assert "Read the lesson: HTTP methods" in shown
    assert explain.show_button.isEnabled() and explain.silence_button.isEnabled()
    assert f"{explain.rules_checked()} rules checked" in explain.footer.text()


def test_a_clean_exchange_says_it_looks_right_and_how_many_rules_ran(qtbot, view, responses):
    explain = explained(qtbot, view, responses["/clean"])
    assert sample_findings(explain) == []
    # Whatever a real rule notes about the clean answer is silenced: what is left is the
    # sentence, and how many rules ran.
    noted = {finding.rule.id for finding in explain.findings()}
    silenced_rules().set_ids(noted)
    qtbot.waitUntil(lambda: not explain.is_explaining(), timeout=5000)
    assert explain.findings() == ()
    assert tab_title(view) == "Explain"
    assert explain.stack.currentWidget() is explain.message
    message = explain.message.text()
    assert "looks right" in message
    assert f"None of the {len(explainer.all_rules()) - len(noted)} rules checked" in message


def test_a_newer_response_drops_the_older_result(qtbot, view, responses):
    view.show_response(responses["/created"])  # builds the parts
    explain = view.parts.explain_view
    qtbot.waitUntil(lambda: not explain.is_explaining(), timeout=5000)
    counts: list[int] = []
    explain.counted.connect(counts.append)
    view.show_response(responses["/created"])
    view.show_response(responses["/clean"])  # before the first result arrives
    qtbot.waitUntil(lambda: not explain.is_explaining(), timeout=5000)
    qtbot.wait(50)  # would let a stale result in, if it were taken
    assert sample_findings(explain) == []
    assert len(counts) == 1


# -- silencing -------------------------------------------------------------------------------


def test_silencing_a_rule_takes_it_off_every_open_tab_and_undo_brings_it_back(
    qtbot, view, responses
):
    other = ResponseView()
    qtbot.addWidget(other)
    explain = explained(qtbot, view, responses["/created"])
    other_explain = explained(qtbot, other, responses["/created"])
    before = tab_title(view)
    assert explain.select_rule("content.sample-no-charset")
    explain.silence_button.click()
    assert silenced_rules().ids() == {"content.sample-no-charset"}
    for each in (explain, other_explain):
        qtbot.waitUntil(lambda e=each: not e.is_explaining(), timeout=5000)
        assert "content.sample-no-charset" not in [rule for _s, rule in sample_findings(each)]
    assert tab_title(view) != before
    footer = explain.footer.text()
    assert "1 rule silenced" in footer and "Undo" in footer and "Manage…" in footer
    # The longer footer wraps rather than hold the response pane wide (found by hand).
    assert explain.minimumSizeHint().width() < 320
    explain.footer.linkActivated.emit("undo:content.sample-no-charset")
    qtbot.waitUntil(lambda: not explain.is_explaining(), timeout=5000)
    assert silenced_rules().ids() == frozenset()
    assert ("warning", "content.sample-no-charset") in sample_findings(explain)
    assert tab_title(view) == before
    other.shutdown()


def test_the_silenced_preference_changes_the_list_and_is_stored(qtbot, window, server):
    from PySide6.QtCore import Qt

    tab = window.current_tab()
    tab.editor.url_edit.setText(server.url() + "created")
    with qtbot.waitSignal(tab.exchange_finished, timeout=10_000):
        tab.send()
    explain = tab.response_view.parts.explain_view
    qtbot.waitUntil(lambda: not explain.is_explaining(), timeout=5000)
    assert ("error", "problem.sample-status-field") in sample_findings(explain)
    lessons: list[str] = []
    window.workspace_tabs.lesson_requested.connect(lessons.append)
    explain.detail.anchorClicked.emit(QUrl("lesson:cacheability"))
    assert lessons == ["cacheability"]
    # The footer's Manage… opens Preferences ▸ Explain, every rule listed by category.
    explain.footer.linkActivated.emit("manage")
    dialog = window.panels.preferences_dialog
    page = dialog.explain
    assert dialog.stack.currentWidget() is page
    assert set(SAMPLE_IDS) <= set(page.shown_rules())
    groups = {page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())}
    assert {"Status", "Problem details", "Timing"} <= groups
    page.filter_edit.setText("status field")
    assert page.shown_rules() == ["problem.sample-status-field"]
    page.set_rule_on("problem.sample-status-field", False)
    assert "1 silenced" in page.count_label.text()
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.apply()
    assert window.settings.value("explain/silenced") == "problem.sample-status-field"
    qtbot.waitUntil(lambda: not explain.is_explaining(), timeout=5000)
    assert "problem.sample-status-field" not in [r for _s, r in sample_findings(explain)]
    assert "1 rule silenced · " in explain.footer.text()
    # Turn all on, from a new dialog: the stored list empties, the finding is back.
    again = window.edit_explain_rules()
    item = again.explain._items["problem.sample-status-field"]
    assert item.checkState(0) == Qt.CheckState.Unchecked
    again.explain.turn_all_on()
    with qtbot.waitSignal(again.finished, timeout=5000):
        again.apply()
    assert window.settings.value("explain/silenced") == ""
    qtbot.waitUntil(lambda: not explain.is_explaining(), timeout=5000)
    assert ("error", "problem.sample-status-field") in sample_findings(explain)


# -- links -------------------------------------------------------------------------------------


def test_lessons_are_asked_for_and_a_link_without_a_browser_is_copied(qtbot, view, responses):
    explain = explained(qtbot, view, responses["/created"])
    lessons: list[str] = []
    view.lesson_requested.connect(lessons.append)
    assert explain.select_rule("caching.sample-no-validators")
    assert "Read the lesson: Cacheability" in explain.detail.toPlainText()
    explain.detail.anchorClicked.emit(QUrl("lesson:cacheability"))
    menu = explain.finding_menu(explain.current_finding())
    next(a for a in menu.actions() if a.text() == "Read the lesson: Cacheability").trigger()
    assert lessons == ["cacheability", "cacheability"]
    opened: list[str] = []
    explain.open_url = lambda url: opened.append(url.toString()) or False
    link = "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.3.2"
    explain.detail.anchorClicked.emit(QUrl(link))
    assert opened == [link]
    assert QApplication.clipboard().text() == link
    assert explain.note.text() == (
        f"No web browser could be started. {link} is copied: paste it into a browser."
    )


# -- pointing at a part ---------------------------------------------------------------------


def _marked(widget) -> bool:
    return bool(widget.findChildren(FlashMark))


def test_point_at_lands_on_each_part_and_says_when_it_is_missing(qtbot, view, responses):
    explain = explained(qtbot, view, responses["/created"])
    parts = view.parts
    assert view.point_at(Pointer("status"))
    assert _marked(view.summary)

    assert view.point_at(Pointer.parse("header:content-type"))
    assert parts.currentWidget() is parts.headers_table
    row = parts.headers_table.currentRow()
    assert parts.headers_table.item(row, 0).text() == "Content-Type"
    assert _marked(parts.headers_table.viewport())
    assert view.pointer_note() == ""

    assert not view.point_at(Pointer("header", "ETag"))
    assert parts.currentWidget() is parts.headers_table
    assert view.pointer_note() == "This response has no ETag header."

    assert view.point_at(Pointer("cookie", "sid"))
    assert parts.currentWidget() is parts.cookies_page
    assert parts.cookies_table.item(parts.cookies_table.currentRow(), 0).text() == "sid"
    assert view.pointer_note() == ""
    assert not view.point_at(Pointer("cookie", "nope"))

    assert view.point_at(Pointer("timing", "wait"))
    assert parts.currentWidget() is parts.timing_view
    assert parts.timing_view.tree.currentItem().text(0) == "Waiting (TTFB)"
    assert not view.point_at(Pointer("timing", "tls"))  # plain http: no handshake

    assert not view.point_at(Pointer("redirects"))
    assert parts.currentWidget() is parts.redirects_table
    assert view.pointer_note() == "This response came without redirects."

    assert view.point_at(Pointer("explain", "timing.sample-wait"))
    assert parts.currentWidget() is explain
    assert explain.current_finding().rule.id == "timing.sample-wait"
    assert not view.point_at(Pointer("explain", "status.no-such-rule"))

    # The body: its tab, then (once the pretty text's folds are known) the value's line.
    body = parts.body_view
    assert view.point_at(Pointer("body", "$.status"))
    assert parts.currentWidget() is body
    qtbot.waitUntil(lambda: body.text_view.selected_text().startswith('"status"'), timeout=5000)
    assert body.text_view.selected_text() == '"status": "created",'
    assert view.point_at(Pointer("body", "$.items[2]"))
    assert body.text_view.selected_text() == "3"
    assert not view.point_at(Pointer("body", "$.missing"))
    assert view.pointer_note() == "The body has no value at $.missing."
    assert view.point_at(Pointer("body"))
    assert view.pointer_note() == ""


def test_show_in_response_points_at_the_findings_part(qtbot, view, responses):
    explain = explained(qtbot, view, responses["/created"])
    assert explain.select_rule("content.sample-no-charset")
    explain.show_button.click()
    parts = view.parts
    assert parts.currentWidget() is parts.headers_table
    assert parts.headers_table.item(parts.headers_table.currentRow(), 0).text() == "Content-Type"


def test_point_at_the_redirect_chain_and_nothing_without_a_response(qtbot, view, responses):
    assert not view.point_at(Pointer("status"))  # nothing shown yet: nothing happens
    explained(qtbot, view, responses["/moved"])
    assert view.point_at(Pointer("redirects"))
    parts = view.parts
    assert parts.currentWidget() is parts.redirects_table
    assert parts.redirects_table.currentRow() == 0
    assert _marked(parts.redirects_table.viewport())


def test_in_a_narrow_pane_the_tab_titles_shorten_instead_of_scrolling(qtbot, view, responses):
    explain = explained(qtbot, view, responses["/created"])
    parts = view.parts
    bar = parts.tabBar()

    def needed() -> int:
        return sum(
            bar.tabSizeHint(i).width() for i in range(parts.count()) if parts.isTabVisible(i)
        )

    index = parts.indexOf(explain)
    whole = tab_title(view)
    assert parts.tabText(index) == whole and parts.tabIcon(index).isNull()  # room enough
    full = needed()
    margin = view.width() - parts.width()
    view.resize(full + 4 - 20 + margin, 600)  # 20 px short: the mark alone makes room
    qtbot.waitUntil(lambda: parts.tabText(index) != whole)
    count = whole.removeprefix("Explain (").rstrip(")")
    assert parts.tabText(index) == count  # the mark of the worst finding, and the count
    assert not parts.tabIcon(index).isNull()
    assert parts.tabToolTip(index) == explain.mark_words()
    assert explain.mark_words().startswith("Explain: 1 error, ")
    assert needed() <= parts.width() - 4
    view.resize(200, 600)  # then the counts lose their brackets, then the counts
    headers = parts.indexOf(parts.headers_table)
    qtbot.waitUntil(lambda: parts.tabText(headers) == "Headers")
    assert parts.tabToolTip(headers) == parts.title(parts.headers_table)
    assert parts.title(parts.headers_table).startswith("Headers (")
    assert parts.tabText(index) == count  # Explain keeps its count to the last
    # Nothing to say (or notes only) and no room: a mark alone, the words in its tooltip.
    explained(qtbot, view, responses["/clean"])
    assert parts.tabText(index) == "" and not parts.tabIcon(index).isNull()
    assert parts.tabToolTip(index).startswith("Explain: ")
    view.resize(full + 40, 700)
    qtbot.waitUntil(lambda: parts.tabText(index) == "Explain")
    assert parts.tabIcon(index).isNull() and parts.tabToolTip(index) == ""


def test_the_severity_marks_take_the_colours_of_each_theme(qapp):
    from PySide6.QtGui import QColor

    from explorer.ui.response.explain_detail import SEVERITY_ROLE, severity_icon
    from explorer.ui.widgets.theme import Theme, choose_theme, palette

    seen = set()
    for theme in (Theme.DARK, Theme.LIGHT):
        choose_theme(qapp, theme)  # put back by tests/conftest.py
        for severity, role in SEVERITY_ROLE.items():
            image = severity_icon(severity, 16)
            # Low in the mark: the triangle's base, the discs' lower part, not the glyph.
            colour = QColor(
                image.pixel(8, 13) if severity is not Severity.WARNING else image.pixel(3, 13)
            )
            assert colour.name() == palette().qcolor(role).name(), (theme, severity)
            seen.add(colour.name())
    assert len(seen) == 6  # three marks, two themes, all different


# -- with the real rules ----------------------------------------------------------------------


def test_the_real_rules_findings_are_listed_and_shown_in_the_response(qtbot, view, responses):
    """A 201 without Location draws the real status rule, whose pointer names a header
    the response lacks: Show in response opens the Headers tab and says so."""
    explain = explained(qtbot, view, responses["/created"])
    real = [f for f in explain.findings() if f.rule not in SAMPLE_RULES]
    by_rule = {f.rule.id: f for f in real}
    finding = by_rule["status.created-without-location"]
    assert finding.severity is Severity.WARNING
    assert explain.select_rule("status.created-without-location")
    shown = explain.detail.toPlainText()
    assert finding.summary in shown and "RFC 9110" in shown
    assert "Read the lesson: HTTP methods" in shown
    explain.show_button.click()
    parts = view.parts
    assert finding.pointer == Pointer("header", "Location")
    assert parts.currentWidget() is parts.headers_table
    assert view.pointer_note() == "This response has no Location header."
