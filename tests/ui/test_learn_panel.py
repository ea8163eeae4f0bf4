"""The Learn panel in the real window: View ▸ Learn opens it (built on first use), the
language switch is remembered, "Try it" starts the practice server for real, opens each
try in a new tab, sends it, points at what the lesson names, and a value captured by one
try reaches the next one's header; progress is kept in the data folder; a newcomer is
offered the path once; Korean without a Korean font says which package to install."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from explorer.core.learn.catalogue import load_catalogue, parse_catalogue
from explorer.core.learn.progress import Progress, progress_path, read_progress
from explorer.ui.learn.learn_dock import LearnDock
from explorer.ui.learn.panel import KOREAN_FONT_MESSAGE, LearnPanel

# Two tries chained by a capture, as the lessons write them.
LESSONS = """
caching:
  en: {title: Caching, summary: "Validators.", paragraphs: ["An `ETag` names a version."]}
  ko: {title: 캐시, summary: 검증자, paragraphs: ["`ETag` 는 버전의 이름입니다."]}
  tries:
    - method: GET
      path: /api/items/1
      look_at: "header:ETag"
      capture: {etag: "header:ETag"}
      expect: {en: "`200 OK` with an `ETag`.", ko: "`ETag` 가 붙은 `200 OK`."}
    - method: GET
      path: /api/items/1
      headers: ["If-None-Match: {{etag}}"]
      look_at: status
      expect: {en: "`304 Not Modified`.", ko: "`304 Not Modified`."}
second:
  en: {title: Second, paragraphs: ["More."]}
  ko: {title: 둘째, paragraphs: ["더."]}
"""


def _loaded(qtbot, dock: LearnDock) -> None:
    qtbot.waitUntil(lambda: dock.catalogue is not None, timeout=5000)


def test_view_learn_opens_the_lessons_beside_the_requests_and_remembers_the_language(qtbot, window):
    assert window._learn is None  # nothing of the panel is built before it is asked for
    window.learn_action.trigger()
    dock = window.learn
    _loaded(qtbot, dock)
    assert dock.dock.isVisible()
    assert window.dockWidgetArea(dock.dock).name == "RightDockWidgetArea"
    real = load_catalogue()
    panel = dock.panel
    assert panel.contents.count() == len(real.slugs)
    assert panel.progress_bar.text() == f"0 of {len(real.slugs)} lessons"
    panel.open_lesson(real.slugs[2])
    english = real.lessons("en")[2]
    assert english.title in panel.page.prose.toPlainText()
    assert len(panel.page.cards) == len(english.attempts)
    panel.language_buttons["ko"].click()
    assert real.lessons("ko")[2].title in panel.page.prose.toPlainText()
    qtbot.waitUntil(lambda: read_progress().progress.language == "ko", timeout=3000)
    assert read_progress().progress.current == real.slugs[2]
    # Read: scrolled to its end (or shown a few seconds) counts.
    panel.page.verticalScrollBar().setValue(panel.page.verticalScrollBar().maximum())
    panel.page._read_timer.setInterval(1)
    panel.page._read_timer.start()
    qtbot.waitUntil(lambda: real.slugs[2] in dock.progress.read, timeout=2000)
    assert panel.progress_bar.text() == f"1 of {len(real.slugs)} lessons"
    assert panel.contents.marks(2).startswith("✓")
    panel.open_lesson(real.slugs[3])  # a hidden panel is not being read; shown again, it is
    dock.dock.hide()
    assert not panel.page._read_timer.isActive()
    dock.dock.show()
    assert panel.page._read_timer.isActive()


def test_try_it_starts_the_server_sends_in_a_new_tab_and_captures_for_the_next_try(
    qtbot, window, tmp_path
):
    lessons = tmp_path / "lessons.yaml"
    lessons.write_text(LESSONS, encoding="utf-8")
    dock = LearnDock(window, lessons_file=lessons)
    dock.show()
    _loaded(qtbot, dock)
    panel = dock.panel
    panel.open_lesson("caching")
    environment = window.workspace.active_environment

    # The second try needs the first one's ETag: it says so and sends nothing.
    tabs_before = window.tabs.count()
    panel.page.cards[1].try_button.click()
    assert "do try 1 first" in panel.status_line.text()
    assert window.tabs.count() == tabs_before

    panel.page.cards[0].try_button.click()
    assert panel.status_line.text() == "Starting the practice server…"
    qtbot.waitUntil(lambda: 1 in dock.progress.tried_in("caching"), timeout=20_000)
    first = window.current_tab()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "GET Caching · 1"
    assert first.last_response.status == 200
    assert first.editor.request().url == window.server.url + "/api/items/1"
    etag = first.last_response.header("ETag")
    assert etag
    parts = first.response_view.parts  # pointed at what the lesson names: the ETag row
    assert parts.currentWidget() is parts.headers_table
    assert parts.headers_table.item(parts.headers_table.currentRow(), 0).text() == "ETag"
    assert first.response_view.pointer_note() == ""
    assert panel.status_line.text() == "Try 1: 200 OK. Look at the ETag header."

    panel.page.cards[1].try_button.click()
    qtbot.waitUntil(lambda: 2 in dock.progress.tried_in("caching"), timeout=10_000)
    second = window.current_tab()
    assert second is not first
    assert second.last_response.status == 304  # the captured ETag went out
    sent = dict((name.lower(), value) for name, value in second.last_response.sent.headers)
    assert sent["if-none-match"] == etag
    assert window.workspace.active_environment == environment  # never switched
    assert panel.contents.marks(0) == "2/2"
    count = window.tabs.count()
    panel.page.cards[0].try_button.click()  # again: in its own tab, not a new one
    assert window.current_tab() is first and window.tabs.count() == count
    qtbot.waitUntil(lambda: read_progress().progress.tried_in("caching") == {1, 2}, timeout=3000)

    # Python: the app's code generator, the captured value read from the environment.
    code = dock.python_code("caching", 2)
    assert "import requests" in code and "os.environ['ETAG']" in code
    assert etag not in code


def test_a_newcomer_is_offered_the_path_once_and_it_opens_the_panel(qtbot, window):
    qtbot.waitUntil(lambda: window.learn_offer is not None, timeout=3000)
    offer = window.learn_offer
    assert offer.isVisible() and offer.start_button.text() == "Start learning"
    qtbot.waitUntil(lambda: progress_path().exists(), timeout=3000)  # remembered at once
    assert read_progress().progress.offered
    offer.start_button.click()
    assert window._learn is not None and window.learn.dock.isVisible()
    assert window.learn_offer is None
    window.close()  # with the dock open: it opens again at the next start

    from explorer.ui.window.main_window import MainWindow

    again = MainWindow(QSettings(window.settings.fileName(), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again._learn is not None, timeout=3000)
    assert again.learn_offer is None  # a progress file exists: offered once only
    assert again.learn.dock.isVisibleTo(again)
    again.close()


def test_the_offer_steps_aside_while_the_status_bar_shows_a_message(qtbot, window):
    # Found by hand: with the server's environment offered beside it, the two texts
    # were drawn over each other (Qt showed the offer again when the bar was laid out).
    qtbot.waitUntil(lambda: window.learn_offer is not None, timeout=3000)
    offer = window.learn_offer
    bar = window.statusBar()
    window.panels.offer_environment(
        window.workspace.default_root, "Sample server", "“Sample API” collection is ready."
    )
    qtbot.wait(50)
    assert bar.currentMessage() and window.panels.offer_button.isVisible()
    assert not offer.isVisible()
    bar.clearMessage()
    assert offer.isVisible()


def test_korean_without_a_korean_font_says_which_package_to_install(qtbot):
    catalogue = parse_catalogue(LESSONS)
    panel = LearnPanel(has_korean_font=lambda: False)
    qtbot.addWidget(panel)
    panel.set_catalogue(catalogue, Progress(current="caching"))
    assert not panel.font_notice.isVisibleTo(panel)
    panel.set_language("ko")
    assert panel.font_notice.isVisibleTo(panel)
    assert panel.font_notice.text() == KOREAN_FONT_MESSAGE
    assert "캐시" in panel.page.prose.toPlainText()  # the lesson still shows
    with_font = LearnPanel(has_korean_font=lambda: True)
    qtbot.addWidget(with_font)
    with_font.set_catalogue(catalogue, Progress(language="ko"))
    assert not with_font.font_notice.isVisibleTo(with_font)


def test_a_findings_lesson_link_opens_that_lesson_in_the_panel(qtbot, window):
    slug = load_catalogue().slugs[4]
    window.current_tab().response_view.lesson_requested.emit(slug)  # "Read the lesson"
    dock = window.learn
    _loaded(qtbot, dock)
    qtbot.waitUntil(lambda: dock.panel.slug == slug, timeout=3000)
    assert dock.dock.isVisible() and dock.panel.page.isVisible()
    title = load_catalogue().lesson(slug, "en").title
    assert title in dock.panel.page.prose.toPlainText()


def test_every_try_request_wraps_inside_a_narrow_card(qtbot):
    """A try's request line has no space in a long URL (the OAuth lesson's authorization
    request is over 200 characters): it breaks after `?`, `&` and `/` instead of being
    cut off at the card's edge (seen by hand in the Learn dock at 1280x720)."""
    from explorer.ui.learn.lesson_page import PageStyle, TryCard

    longest = 0
    for lesson in load_catalogue().lessons("en"):
        for attempt in lesson.attempts:
            card = TryCard(attempt, PageStyle.current())
            qtbot.addWidget(card)
            longest = max(longest, card.request.minimumSizeHint().width())
            assert "</\u200b" not in card.request.text()  # the markup stays whole
    assert longest <= 300
