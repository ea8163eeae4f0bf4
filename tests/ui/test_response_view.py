"""The response panel with real responses from the practice server."""

from __future__ import annotations

import pytest

from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.transport import Transport
from explorer.core.model import Options, Request
from explorer.ui.response.response_view import ResponseView


@pytest.fixture
def view(qtbot):
    view = ResponseView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    return view


@pytest.fixture(scope="module")
def transport():
    transport = Transport()
    yield transport
    transport.close()


def show(view, transport, url: str, **options):
    response = transport.send(Request(url=url, options=Options(**options)))
    view.show_response(response)
    return response


def cell_texts(table) -> list[list[str]]:
    return table.row_texts()


def test_summary_line(view, transport, live_server):
    show(view, transport, f"{live_server}/json")
    assert view.summary.status_label.text() == "200 OK"
    assert view.summary.time_label.text().startswith("Time ")
    assert view.summary.version_label.text() == "HTTP/1.1"
    assert view.summary.remote_label.text().startswith("127.0.0.1:")
    assert not view.summary.tls_badge.isVisibleTo(view)


def test_gzip_shows_both_sizes(view, transport, live_server):
    show(view, transport, f"{live_server}/gzip")
    assert "on the wire" in view.summary.size_label.text()


def test_headers_keep_order_and_duplicates(view, transport, live_server):
    response = show(view, transport, f"{live_server}/cookies/set?a=1&b=2", follow_redirects=False)
    rows = cell_texts(view.parts.headers_table)
    assert [tuple(r) for r in rows] == list(response.headers)
    set_cookie = [value for name, value in rows if name.lower() == "set-cookie"]
    assert len(set_cookie) >= 2
    assert view.parts.tabText(1) == f"Headers ({len(response.headers)})"


def test_cookies_table_includes_cookies_set_by_redirect_hops(view, transport, live_server):
    show(view, transport, f"{live_server}/cookies/set?theme=dark")
    rows = cell_texts(view.parts.cookies_table)
    names = [row[0] for row in rows]
    assert "theme" in names
    row = rows[names.index("theme")]
    assert row[1] == "dark" and row[2] == "127.0.0.1" and row[3] == "/"
    assert view.parts.tabText(2).startswith("Cookies (")


def test_redirect_chain_and_timing_rows(view, transport, live_server):
    response = show(view, transport, f"{live_server}/redirect/2")
    rows = cell_texts(view.parts.redirects_table)
    assert len(rows) == 3
    assert rows[0][1].startswith("302") and rows[-1][6] == "(final)"
    tree = view.parts.timing_view.tree
    assert tree.topLevelItemCount() == 3
    final = tree.topLevelItem(2)
    phases = [final.child(i).text(0) for i in range(final.childCount())]
    assert phases[-2:] == ["Waiting (TTFB)", "Content download"]
    assert response.hops[0].status == 302


def test_server_timing_entries_are_listed(view, transport, live_server):
    show(view, transport, f"{live_server}/delay/0.05")
    server_tree = view.parts.timing_view.server_tree
    assert server_tree.topLevelItemCount() >= 1
    names = [server_tree.topLevelItem(i).text(0) for i in range(server_tree.topLevelItemCount())]
    assert "delay" in names


def test_request_as_sent(view, transport, live_server):
    show(view, transport, f"{live_server}/anything?x=1")
    text = view.parts.sent_view.toPlainText()
    assert text.startswith("GET /anything?x=1 HTTP/1.1\n")
    assert "User-Agent: python-requests/" in text
    assert f"Host: {live_server.removeprefix('http://')}" in text


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/status/404", "404", ""),
        ("/status/503", "503", ""),
        ("/api/todos/999999", "404", "problem"),
    ],
)
def test_error_statuses(view, transport, live_server, path, status, words):
    response = show(view, transport, f"{live_server}{path}")
    assert view.summary.status_label.text().startswith(status)
    if words:
        assert words in response.content_type


def test_send_error_panel(view):
    error = SendError(ErrorKind.CONNECTION_REFUSED, "Connection refused by h:1", "Is it running?")
    error.elapsed_ms = 12.5
    view.show_error(error)
    assert view.summary.status_label.text() == "Error"
    assert view.summary.time_label.text() == "after 12.5 ms"
    # No empty boxes for what an error does not have.
    assert not view.summary.size_label.isVisibleTo(view)
    assert not view.summary.version_label.isVisibleTo(view)
    assert view.error_page.title_label.text() == "Connection refused by h:1"
    assert "Is it running?" in view.error_page.detail_label.text()
    assert "connection refused" in view.error_page.detail_label.text()
