"""History panel: large bodies are not rendered until asked; preferences prune."""

from __future__ import annotations

import time

from explorer.core.http.exchange import Response, SentRequest, Timing
from explorer.core.model import Request
from explorer.ui.window.tab_notice import TabNotice


def exchange(url: str, body: bytes) -> tuple[Request, Response]:
    request = Request("GET", url)
    sent = SentRequest("GET", url, (("Accept", "*/*"),))
    response = Response(
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        url=url,
        headers=(("Content-Type", "text/plain"),),
        body=body,
        body_size=len(body),
        wire_size=len(body),
        timing=Timing(total=12.0),
        sent=sent,
        elapsed_ms=12.0,
    )
    return request, response


def test_a_large_body_is_shown_only_when_asked(qtbot, window):
    big = b"line of a large body\n" * 30_000  # ~600 kB
    entry = window.workspace.record(*exchange("http://x/big", big))
    tab = window.workspace_tabs.open_history(entry)
    assert tab.response_view.summary.status_label.text() == "200 OK"
    assert tab.response_view.body_view.plain_text() == ""
    notice = next(n for n in tab.findChildren(TabNotice) if n.isVisibleTo(tab))
    assert "not shown yet" in notice.label.text()
    notice.buttons["Show body"].click()
    qtbot.waitUntil(
        lambda: tab.response_view.body_view.plain_text().startswith("line of"), timeout=5000
    )


def test_preferences_limit_the_history(qtbot, window, monkeypatch):
    import threading

    from explorer.qt import workspace as workspace_module

    pruned_on: list[threading.Thread] = []
    real_prune = workspace_module.prune_history

    def spy(*args):
        pruned_on.append(threading.current_thread())
        return real_prune(*args)

    monkeypatch.setattr(workspace_module, "prune_history", spy)
    for number in range(5):
        window.workspace.record(*exchange(f"http://x/{number}", b"{}"))
    panel = window.panels.history_panel
    assert panel.count_label.text() == "5 of 5 entries"
    dialog = window.panels.edit_preferences()
    dialog.max_entries.setValue(2)
    with qtbot.waitSignal(window.workspace.history_changed, timeout=10_000):
        dialog.apply()  # the prune runs off the GUI thread
    assert window.workspace.history.count() == 2
    assert [s.url for s in window.workspace.history.search()] == ["http://x/4", "http://x/3"]
    assert panel.count_label.text() == "2 of 2 entries"
    assert window.settings.value("history/max_entries", type=int) == 2

    old = time.time() - 40 * 86400
    _request, response = exchange("http://x/old", b"")
    window.workspace.history.add(response, timestamp=old)
    dialog = window.panels.edit_preferences()
    dialog.max_entries.setValue(0)  # no limit
    dialog.max_age.setValue(30)
    with qtbot.waitSignal(window.workspace.history_changed, timeout=10_000):
        dialog.apply()
    assert [s.url for s in window.workspace.history.search()] == ["http://x/4", "http://x/3"]
    assert len(pruned_on) == 2 and threading.main_thread() not in pruned_on  # off the GUI thread


def test_deleting_and_clearing_history_run_off_the_gui_thread(qtbot, window, monkeypatch):
    """The window never writes files on the GUI thread: the history database included."""
    import threading

    from explorer.ui.sidebar import history_panel

    ran: list[threading.Thread] = []
    for name in ("delete_entries", "clear_history"):
        real = getattr(history_panel, name)

        def spy(*args, _real=real):
            ran.append(threading.current_thread())
            return _real(*args)

        monkeypatch.setattr(history_panel, name, spy)
    workspace = window.workspace
    for path in ("/one", "/two", "/three"):
        workspace.record(*exchange(f"http://h.example{path}", b"x"))
    panel = window.panels.history_panel
    panel.refresh()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0).child(0))

    with qtbot.waitSignal(panel.deleted, timeout=10_000) as deleted:
        assert panel.delete_selected() == 1
    assert deleted.args == [1]
    assert workspace.history.count() == 2
    panel.confirm_clear = lambda: True
    with qtbot.waitSignal(panel.deleted, timeout=10_000) as deleted:
        panel.clear_all()
    assert deleted.args == [2]
    assert workspace.history.count() == 0
    assert panel.tree.topLevelItemCount() == 0
    assert len(ran) == 2 and threading.main_thread() not in ran
