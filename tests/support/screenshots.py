"""Screenshots of the real window, for the README and for looking at changes.

    python -m tests.support.screenshots OUTDIR [--theme dark|light]
                                               [--runner | --layout | --learn | --graphql]
                                               [--text-scale 2]

Starts the sample server through the Server menu, sends a request, and saves PNGs of
the window (the Explain tab of a response with mistakes among them); with --runner, runs
the Sample API collection in the collection runner (1280×720) instead and saves
runner-THEME.png; with --layout, the split side by side and stacked at 1280×720 and
1600×1000, every request tab and three notices (layout-*, editor-*, notices-*); with
--learn, the Learn dock at both sizes: the path, a lesson in English and Korean, its
tries, and a "Try it" sent (learn-*); with --graphql, the GraphQL body page on the
practice server's /graphql at both sizes (graphql-*); with --sse, the practice
server's /sse streaming live at both sizes, then stopped with an event selected,
and its timing (sse-*); with --websocket, a WebSocket request connected to the
practice server's /ws/echo with messages both ways, at both sizes (websocket-*); with
--load, a load test of the Sample API collection (the real `load` command, 5 users for
4 s) live and ended at both sizes, then two saved runs compared (load-*).
--text-scale 2 doubles the application font first (200% text).
Runs offscreen; nothing here is part of the test suite's assertions.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication


def wait_for(signal: object, timeout_ms: int = 20_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def wait_until(condition: object, timeout_ms: int = 10_000) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start(20)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    timer.stop()


def shoot_runner(app: QApplication, window: object, root: Path, path: Path) -> None:
    """The runner on the Sample API collection, two iterations, the first result's
    assertions and captures shown."""
    runner = window.run_actions.run(root, "")  # type: ignore[attr-defined]
    runner.resize(1280, 720)
    runner.setup.iterations_spin.setValue(2)
    runner.setup.run_button.click()
    wait_for(runner.worker.finished, 120_000)
    results = runner.results
    results.model.toggle(0)
    results.list.set_current(0)
    app.processEvents()
    runner.grab().save(str(path))
    runner.close()


def shoot_preferences(app: QApplication, window: object, outdir: Path, theme: str) -> None:
    """Each section of Preferences, at the size it opens at."""
    dialog = window.panels.edit_preferences()  # type: ignore[attr-defined]
    for page in dialog.pages():
        dialog.show_page(page)
        app.processEvents()
        name = page.title.lower().replace(" ", "-")
        dialog.grab().save(str(outdir / f"preferences-{name}-{theme}.png"))
    dialog.reject()


def shoot_cookie_manager(app: QApplication, window: object, path: Path) -> None:
    """Request ▸ Cookies…: the workspace's jar after the sends above."""
    window.cookie_actions.open_manager()  # type: ignore[attr-defined]
    dialog = window.cookie_actions.dialog  # type: ignore[attr-defined]
    wait_until(lambda: dialog.add_button.isEnabled())
    app.processEvents()
    dialog.grab().save(str(path))
    dialog.reject()


def shoot_palette(app: QApplication, window: object, outdir: Path, theme: str) -> None:
    """The command palette over the window: empty (what it offers first), then a query
    with its matches highlighted. The popup is a window of its own, drawn onto the
    window's picture where it stands."""
    from PySide6.QtGui import QPainter

    palette = window.open_command_palette()  # type: ignore[attr-defined]
    palette.wait_loaded()
    for name, query in (("palette", ""), ("palette-search", "itm get")):
        palette.popup.search.setText(query)
        app.processEvents()
        picture = window.grab()  # type: ignore[attr-defined]
        painter = QPainter(picture)
        corner = window.mapFromGlobal(palette.popup.pos())  # type: ignore[attr-defined]
        painter.drawPixmap(corner, palette.popup.grab())
        painter.end()
        picture.save(str(outdir / f"{name}-{theme}.png"))
    palette.popup.close()


def shoot_environments(app: QApplication, window: object, outdir: Path, theme: str) -> None:
    """The server's environment offered in the status bar (not chosen for the user),
    then the toolbar's list open: every collection's environments under their
    collection. The list is a window of its own, drawn onto the window's picture."""
    from PySide6.QtGui import QPainter

    panels = window.panels  # type: ignore[attr-defined]
    wait_until(lambda: panels.offer_button is not None and panels.offer_button.isVisible())
    app.processEvents()
    window.grab().save(str(outdir / f"environment-offer-{theme}.png"))  # type: ignore[attr-defined]
    combo = panels.environment_combo
    combo.showPopup()
    app.processEvents()
    popup = combo.view().window()
    picture = window.grab()  # type: ignore[attr-defined]
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(popup.pos()), popup.grab())  # type: ignore[attr-defined]
    painter.end()
    picture.save(str(outdir / f"environments-{theme}.png"))
    combo.hidePopup()
    panels.offer_button.click()  # the requests below use {{base_url}} of the server


def shoot_layout(app: QApplication, window: object, tab: object, outdir: Path, tag: str) -> None:
    """The request line across the tab, split side by side and stacked, at 1280×720 and
    1600×1000; every request tab at 1280×720 side by side; three notices (two shown)."""
    from explorer.ui.window.request_tab import SIDE_BY_SIDE, STACKED
    from explorer.ui.window.tab_notice import TabNotice

    for width, height in ((1280, 720), (1600, 1000)):
        window.resize(width, height)  # type: ignore[attr-defined]
        for split, name in ((SIDE_BY_SIDE, "side-by-side"), (STACKED, "stacked")):
            window.set_split(split)  # type: ignore[attr-defined]
            app.processEvents()
            window.grab().save(str(outdir / f"layout-{name}-{width}-{tag}.png"))  # type: ignore[attr-defined]
    window.resize(1280, 720)  # type: ignore[attr-defined]
    window.set_split(SIDE_BY_SIDE)  # type: ignore[attr-defined]
    editor = tab.editor  # type: ignore[attr-defined]
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        app.processEvents()
        name = editor.tabs.tabText(index).split(" ")[0].lower()
        window.grab().save(str(outdir / f"editor-{name}-{tag}.png"))  # type: ignore[attr-defined]
    editor.tabs.setCurrentIndex(0)
    texts = (
        ("“List items” changed on disk. Your unsaved edits are kept; saving will ask "
         "before overwriting the file.", True),
        ("The response of “List items” from the collection runner, iteration 2.", False),
        ("The stored response body (3.2 MB) is not shown yet.", False),
    )  # fmt: skip
    notices = []
    for text, warning in texts:
        notice = TabNotice(text, [("Dismiss", lambda: None)], "Notice", tab, warning=warning)
        tab.insert_bar(1, notice)  # type: ignore[attr-defined]
        notice.show()
        notices.append(notice)
    app.processEvents()
    window.grab().save(str(outdir / f"notices-{tag}.png"))  # type: ignore[attr-defined]
    for notice in notices:
        notice.buttons["Dismiss"].click()
    app.processEvents()


def shoot_response_diff(
    app: QApplication, window: object, base: str, outdir: Path, theme: str
) -> None:
    """The response view's Compare…: GET /api/items, one item changed and one added
    behind the app's back, GET again, compared with the previous response of the
    request, at 1280x720 and 1600x1000 (the Body tab at its first change, the Headers)."""
    import json
    import urllib.request

    from explorer.core.model import Request

    tab = window.new_tab()  # type: ignore[attr-defined]
    url = f"{base}/api/items?per_page=50"
    tab.load(Request(method="GET", url=url), saved=False)
    tab.send()
    wait_for(window.workspace.history_changed)  # type: ignore[attr-defined]
    changes = [
        (
            "PATCH",
            "/api/items/1",
            {"price": 1.5, "in_stock": False},
            "application/merge-patch+json",
        ),
        (
            "POST",
            "/api/items",
            {"name": "Compared", "price": 3, "category": "demo"},
            "application/json",
        ),
    ]
    for method, path, body, kind in changes:
        request = urllib.request.Request(
            base + path, json.dumps(body).encode(), {"Content-Type": kind}, method=method
        )
        urllib.request.urlopen(request, timeout=10).close()
    tab.send()
    wait_for(window.workspace.history_changed)  # type: ignore[attr-defined]
    tab.response_view.summary.compare_button.click()
    dialog = window.compare_actions.dialog  # type: ignore[attr-defined]
    wait_until(lambda: not dialog.comparing)
    for size in ((1280, 720), (1600, 1000)):
        dialog.resize(*size)
        dialog.tabs.setCurrentIndex(0)
        app.processEvents()
        name = f"response-diff-{theme}-{size[0]}x{size[1]}"
        dialog.grab().save(str(outdir / f"{name}.png"))
        dialog.tabs.setCurrentIndex(1)
        app.processEvents()
        dialog.grab().save(str(outdir / f"{name}-headers.png"))
    dialog.close()


def shoot_learn(app: QApplication, window: object, outdir: Path, theme: str) -> None:
    """View ▸ Learn beside the requests, at 1280×720 and 1600×1000: the path of lessons,
    the cacheability lesson from its top and at its tries, in English and Korean, then
    its first "Try it" sent to the practice server with the response pointed at."""
    learn = window.show_learn()  # type: ignore[attr-defined]
    wait_until(lambda: learn.catalogue is not None)
    panel = learn.panel
    slug = (
        "cacheability"
        if learn.catalogue.position("cacheability") >= 0
        else learn.catalogue.slugs[0]
    )
    for width, height in ((1280, 720), (1600, 1000)):
        window.resize(width, height)  # type: ignore[attr-defined]
        for language in ("en", "ko"):
            panel.set_language(language)
            panel.show_contents()
            app.processEvents()
            tag = f"{language}-{width}-{theme}"
            window.grab().save(str(outdir / f"learn-path-{tag}.png"))  # type: ignore[attr-defined]
            panel.open_lesson(slug)
            app.processEvents()
            window.grab().save(str(outdir / f"learn-lesson-{tag}.png"))  # type: ignore[attr-defined]
            page = panel.page
            if page.cards:
                page.verticalScrollBar().setValue(page.cards[0].y() - 60)
                app.processEvents()
                window.grab().save(str(outdir / f"learn-tries-{tag}.png"))  # type: ignore[attr-defined]
    panel.set_language("en")
    panel.open_lesson(slug)
    if panel.page.cards:
        panel.page.cards[0].try_button.click()
        wait_until(lambda: 1 in learn.progress.tried_in(slug))
        app.processEvents()
        window.grab().save(str(outdir / f"learn-tried-{theme}.png"))  # type: ignore[attr-defined]


# What the Explain shot's server answers to anything: a 201 without Location, JSON
# labelled as HTML, a cookie scripts can read, and Cache-Control contradicting itself.
_MISTAKES_BODY = b'{"id": 7, "name": "Mechanical keyboard", "status": "created"}'
_MISTAKES = (
    b"HTTP/1.1 201 Created\r\nContent-Type: text/html\r\n"
    b"Cache-Control: no-store, max-age=600\r\nSet-Cookie: session=abc123; Path=/\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(_MISTAKES_BODY) + _MISTAKES_BODY
)


def shoot_explain(app: QApplication, window: object, outdir: Path, theme: str) -> None:
    """The Explain tab of a response that makes several mistakes (a raw-socket server
    answers it), at 1280x720 and 1600x1000, the first finding selected."""
    from explorer.core.model import Request
    from tests.support.hostile_server import HostileServer, read_request

    def answer(conn: object) -> None:
        read_request(conn)  # type: ignore[arg-type]
        conn.sendall(_MISTAKES)  # type: ignore[attr-defined]

    server = HostileServer(answer)
    try:
        tab = window.new_tab()  # type: ignore[attr-defined]
        tab.load(Request(method="POST", url=server.url() + "api/items"), saved=False)
        tab.send()
        wait_for(tab.runner.finished)
        parts = tab.response_view.parts
        wait_until(lambda: not parts.explain_view.is_explaining())
        parts.setCurrentWidget(parts.explain_view)
        for width, height in ((1280, 720), (1600, 1000)):
            window.resize(width, height)  # type: ignore[attr-defined]
            app.processEvents()
            window.grab().save(str(outdir / f"explain-{theme}-{width}x{height}.png"))  # type: ignore[attr-defined]
        window.resize(1440, 860)  # type: ignore[attr-defined]
    finally:
        server.close()


def shoot_graphql(app: QApplication, window: object, base: str, outdir: Path, theme: str) -> None:
    """The Body tab's GraphQL page on the practice server's /graphql at 1280×720 and
    1600×1000: the schema fetched, the completion list open, a field the schema does not
    have marked, the browser with a field's documentation (graphql-*)."""
    from PySide6.QtGui import QPainter
    from PySide6.QtTest import QTest

    from explorer.core.model import Body, BodyKind, GraphQL, Request

    tab = window.new_tab()  # type: ignore[attr-defined]
    query = "query Items {\n  items(first: 3) {\n    id\n    nmae\n    \n  }\n}\n"
    graphql = GraphQL(query=query, operation_name="Items")
    body = Body(kind=BodyKind.GRAPHQL, graphql=graphql)
    tab.load(Request(method="POST", url=base + "/graphql", body=body), saved=False)
    tab.editor.tabs.setCurrentIndex(2)
    page = tab.editor.body_editor.graphql_page
    page.fetch_button.click()
    wait_for(page.schema_changed)
    for width, height in ((1280, 720), (1600, 1000)):
        window.resize(width, height)  # type: ignore[attr-defined]
        if not page.browser_button.isChecked():
            page.browser_button.click()
        page.browser.select("Query", "items")
        editor = page.query_edit
        editor.setFocus()
        cursor = editor.textCursor()
        cursor.setPosition(query.index("    \n") + 4)
        editor.setTextCursor(cursor)
        QTest.keyClicks(editor, "in")
        app.processEvents()
        shot = window.grab()  # type: ignore[attr-defined]
        popup = editor.popup
        if popup.isVisible():  # a popup is a window of its own: drawn where it shows
            painter = QPainter(shot)
            corner = window.mapFromGlobal(popup.mapToGlobal(popup.rect().topLeft()))  # type: ignore[attr-defined]
            painter.drawPixmap(corner, popup.grab())
            painter.end()
        shot.save(str(outdir / f"graphql-{theme}-{width}.png"))
        QTest.keyClick(popup, Qt.Key.Key_Escape)
        QTest.keyClick(editor, Qt.Key.Key_Backspace)
        QTest.keyClick(editor, Qt.Key.Key_Backspace)
    window.resize(1440, 860)  # type: ignore[attr-defined]


def shoot_sse(app: QApplication, window: object, base: str, outdir: Path, theme: str) -> None:
    """/sse live (100 events a second) at 1280x720 and 1600x1000, then stopped with an
    event selected (pretty JSON), the side-by-side split; and the timing tab."""
    from explorer.core.model import Request

    tab = window.new_tab()  # type: ignore[attr-defined]
    tab.load(Request(url=f"{base}/sse?count=5000&interval=0.01"), saved=False)
    tab.send()
    parts = tab.response_view.parts
    wait_until(lambda: parts.events_panel is not None and parts.events_panel.rate() > 50)
    for width, height in ((1280, 720), (1600, 1000)):
        window.resize(width, height)  # type: ignore[attr-defined]
        wait_until(lambda: False, 300)  # events keep arriving meanwhile
        window.grab().save(str(outdir / f"sse-live-{theme}-{width}x{height}.png"))  # type: ignore[attr-defined]
    tab.cancel()
    wait_for(tab.runner.finished)
    panel = parts.events_panel
    panel.view.table.selectRow(0)
    app.processEvents()
    window.grab().save(str(outdir / f"sse-stopped-{theme}-1600x1000.png"))  # type: ignore[attr-defined]
    window.resize(1280, 720)  # type: ignore[attr-defined]
    parts.setCurrentWidget(parts.timing_view)
    wait_until(lambda: not parts.explain_view.is_explaining())
    app.processEvents()
    window.grab().save(str(outdir / f"sse-timing-{theme}-1280x720.png"))  # type: ignore[attr-defined]
    window.resize(1440, 860)  # type: ignore[attr-defined]


def shoot_websocket(app: QApplication, window: object, base: str, outdir: Path, theme: str) -> None:
    """A WS request to /ws/echo with saved messages, connected, messages both ways, a
    ping; the Messages tab on the left, the live log on the right."""
    from explorer.core.model import MessageKind, Request, SavedMessage, Stream

    saved = (
        SavedMessage("hello", MessageKind.TEXT, "hello, socket"),
        SavedMessage("order", MessageKind.JSON, '{"type": "order", "id": 42, "items": [1, 2]}'),
        SavedMessage("bytes", MessageKind.BINARY, "AAEC/w=="),
    )
    url = base.replace("http://", "ws://") + "/ws/echo"
    tab = window.new_tab()  # type: ignore[attr-defined]
    tab.load(Request(method="WS", url=url, stream=Stream(messages=saved)), saved=False)
    tab.editor.tabs.setCurrentIndex(2)
    tab.send()
    wait_until(lambda: tab.editor.send_button.text() == "Disconnect")
    page = tab.editor.messages_page
    for row in range(3):
        page.list.setCurrentRow(row)
        page.send_button.click()
    panel = tab._ws_panel
    panel.ping_button.click()
    panel.composer.setPlainText('{"type": "typed", "text": "from the composer"}')
    panel.kind.setCurrentIndex(panel.kind.findData(MessageKind.JSON))
    panel.send_composed()
    wait_until(lambda: len(panel.log.model.messages()) >= 10)
    panel.log.table.selectRow(5)
    page.list.setCurrentRow(1)
    for width, height in ((1280, 720), (1600, 1000)):
        window.resize(width, height)  # type: ignore[attr-defined]
        wait_until(lambda: False, 300)
        app.processEvents()
        window.grab().save(str(outdir / f"websocket-{theme}-{width}x{height}.png"))  # type: ignore[attr-defined]


def shoot_load(app: QApplication, window: object, root: Path, outdir: Path, theme: str) -> None:
    """A load test of the Sample API collection: live, ended, then two runs compared."""
    for width, height in ((1280, 720), (1600, 1000)):
        load = window.run_actions.load(root, "")  # type: ignore[attr-defined]
        load.resize(width, height)
        load.setup.users.setValue(5)
        load.setup.length.setValue(4)
        load.setup.add_threshold("p95>50ms")
        load.setup.start_button.click()
        wait_until(lambda load=load: len(load.timeline) >= 2, 30_000)
        app.processEvents()
        load.grab().save(str(outdir / f"load-live-{theme}-{width}x{height}.png"))
        wait_until(lambda load=load: load.state not in ("starting", "running"), 30_000)
        load.queue.finish()
        app.processEvents()
        load.grab().save(str(outdir / f"load-ended-{theme}-{width}x{height}.png"))
        if width == 1600:
            load.tabs.setCurrentWidget(load.past)
            load.queue.finish()
            app.processEvents()
            load.past.table.selectRow(0)
            load.past.table.selectionModel().select(
                load.past.table.model().index(1, 0),
                load.past.table.selectionModel().SelectionFlag.Select
                | load.past.table.selectionModel().SelectionFlag.Rows,
            )
            load.past.compare_selected()
            app.processEvents()
            load.grab().save(str(outdir / f"load-compared-{theme}-{width}x{height}.png"))
        load.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--theme", default="dark", choices=["dark", "light"])
    parser.add_argument("--runner", action="store_true", help="the collection runner")
    parser.add_argument(
        "--layout", action="store_true", help="the split, the request tabs, notices"
    )
    parser.add_argument("--learn", action="store_true", help="the Learn dock and a Try it")
    parser.add_argument("--graphql", action="store_true", help="the GraphQL body page")
    parser.add_argument("--sse", action="store_true", help="server-sent events, live")
    parser.add_argument("--websocket", action="store_true", help="a WebSocket connected")
    parser.add_argument("--load", action="store_true", help="a load test, live and compared")
    parser.add_argument(
        "--text-scale",
        type=float,
        default=1.0,
        help="the application font times this (2 for 200%% text); file names say it",
    )
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    if args.text_scale != 1.0:
        # As a larger system text size does: every point size grows, pixel sizes stay.
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * args.text_scale)
        app.setFont(font)
    from explorer.ui.widgets.theme import Theme, apply_theme
    from explorer.ui.window.main_window import MainWindow

    apply_theme(app, Theme(args.theme))
    settings = QSettings(str(args.outdir / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("theme", args.theme)  # what View and Preferences show
    window = MainWindow(settings)
    window.resize(1440, 860)
    window.show()
    window.start_server()
    wait_for(window.server.ready)
    base = window.server.url
    sidebar = window.panels.sidebar
    wait_until(lambda: any(c.name == "Sample API" for c in window.workspace.collections.values()))
    sample = next(c for c in window.workspace.collections.values() if c.name == "Sample API")
    rel = next(
        rel
        for rel, info in sample.items.items()
        if getattr(info.item, "request", None) and info.item.request.url == "{{base_url}}/api/items"
    )
    if args.websocket:
        shoot_websocket(app, window, base, args.outdir, args.theme)
        window.close()
        QThreadPool.globalInstance().waitForDone(5000)
        return 0
    shoot_environments(app, window, args.outdir, args.theme)
    if args.runner:
        shoot_runner(app, window, sample.root, args.outdir / f"runner-{args.theme}.png")
        window.close()
        QThreadPool.globalInstance().waitForDone(5000)
        return 0
    if args.load:
        shoot_load(app, window, sample.root, args.outdir, args.theme)
        window.close()
        QThreadPool.globalInstance().waitForDone(5000)
        return 0
    if args.graphql:
        shoot_graphql(app, window, base, args.outdir, args.theme)
        window.close()
        QThreadPool.globalInstance().waitForDone(5000)
        return 0
    if args.sse:
        shoot_sse(app, window, base, args.outdir, args.theme)
        window.close()
        QThreadPool.globalInstance().waitForDone(5000)
        return 0
    if args.learn:
        shoot_learn(app, window, args.outdir, args.theme)
        window.close()
        QThreadPool.globalInstance().waitForDone(5000)
        return 0
    tab = window.workspace_tabs.open_request(sample.root, rel)
    sidebar.view.expandToDepth(1)
    if args.layout:
        tab.send()
        wait_for(tab.runner.finished)
        wait_until(lambda: not tab.response_view.body_view.is_formatting())
        tag = args.theme + (f"-{round(args.text_scale * 100)}" if args.text_scale != 1 else "")
        shoot_layout(app, window, tab, args.outdir, tag)
        window.close()
        QThreadPool.globalInstance().waitForDone(5000)
        return 0
    shots = [
        ("body", "", 0),
        ("headers", "", 1),
        ("cookies", "/cookies/set?theme=dark&lang=ko", 2),
        ("timing", "/redirect/2", 3),
        ("redirects", "/redirect/2", 4),
        ("request", "/api/todos?page=1", 5),
    ]
    for name, path, tab_index in shots:
        if path:
            tab.editor.url_edit.setText("{{base_url}}" + path)  # as a user writes it
        tab.send()
        wait_for(tab.runner.finished)
        tab.response_view.parts.setCurrentIndex(tab_index)
        wait_until(lambda: not tab.response_view.body_view.is_formatting())
        app.processEvents()
        window.grab().save(str(args.outdir / f"{name}-{args.theme}.png"))
    shoot_explain(app, window, args.outdir, args.theme)
    shoot_preferences(app, window, args.outdir, args.theme)
    shoot_cookie_manager(app, window, args.outdir / f"cookie-manager-{args.theme}.png")
    shoot_palette(app, window, args.outdir, args.theme)
    shoot_response_diff(app, window, base, args.outdir, args.theme)
    window.close()
    QThreadPool.globalInstance().waitForDone(5000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
