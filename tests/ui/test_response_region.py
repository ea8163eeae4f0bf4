"""The response panel's empty states, its ways out to the cookie jar and the diff, and
the details #15 found wrong in the real window (practice server, real responses)."""

from __future__ import annotations

import pytest

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


def test_a_response_without_cookies_says_so(view, transport, live_server):
    show(view, transport, f"{live_server}/json")
    page = view.parts.cookies_page
    assert page.empty_label.isVisibleTo(page)
    assert "set no cookies" in page.empty_label.text()
    assert not page.table.isVisibleTo(page)
    show(view, transport, f"{live_server}/cookies/set?theme=dark")
    assert page.table.isVisibleTo(page) and not page.empty_label.isVisibleTo(page)
    assert page.summary_label.text().startswith("1 cookie set")


def test_cookies_tab_and_summary_offer_the_jar_and_the_diff(view, transport, live_server, qtbot):
    show(view, transport, f"{live_server}/json")
    with qtbot.waitSignal(view.manage_cookies_requested, timeout=1000):
        view.parts.cookies_page.manage_button.click()
    assert not view.summary.compare_button.isHidden()
    with qtbot.waitSignal(view.compare_requested, timeout=1000):
        view.summary.compare_button.click()
    view.show_waiting()
    assert view.summary.compare_button.isHidden()  # nothing to compare yet
