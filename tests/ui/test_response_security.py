"""The response panel says when a redirect left https, and shows a redirect's own body."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response as WsgiResponse

from explorer.core.http.exchange import Hop, Response, SentRequest, Timing
from explorer.core.http.transport import Transport
from explorer.core.model import Options, Request
from explorer.ui.response.response_view import ResponseView


@pytest.fixture
def view(qtbot):
    view = ResponseView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    yield view
    view.shutdown()


def _response(url: str, hops: tuple[Hop, ...], encrypted: bool, checked: bool) -> Response:
    sent = SentRequest(method="GET", url=url, headers=())
    return Response(
        status=200, reason="OK", http_version="HTTP/1.1", url=url, headers=(), body=b"ok",
        body_size=2, wire_size=2, timing=Timing(), sent=sent, hops=hops,
        encrypted=encrypted, certificate_checked=checked,
    )  # fmt: skip


def _hop(url: str, location: str) -> Hop:
    sent = SentRequest(method="GET", url=url, headers=())
    return Hop(
        status=302, reason="Found", url=url, location=location, headers=(), timing=Timing(),
        sent=sent, encrypted=True, certificate_checked=True,
    )  # fmt: skip


def test_downgrade_after_https_is_flagged(view):
    hop = _hop("https://bank.test/login", "http://bank.test/home")
    view.show_response(_response("http://bank.test/home", (hop,), False, False))
    badge = view.summary.tls_badge
    assert not badge.isHidden()
    assert badge.text() == "NOT ENCRYPTED"
    assert "Not encrypted after redirect to http://bank.test/home" in badge.toolTip()


def test_verified_https_and_plain_http_have_no_badge(view):
    hop = _hop("https://bank.test/login", "https://bank.test/home")
    view.show_response(_response("https://bank.test/home", (hop,), True, True))
    assert view.summary.tls_badge.isHidden()
    view.show_response(_response("http://plain.test/", (), False, False))
    assert view.summary.tls_badge.isHidden()


def test_unverified_https_keeps_its_badge(view):
    view.show_response(_response("https://self.test/", (), True, False))
    assert view.summary.tls_badge.text() == "TLS NOT VERIFIED"
    assert not view.summary.tls_badge.isHidden()


def test_redirect_body_is_shown_when_not_following(qtbot, view):
    body = "<p>Moved: see <a href='/elsewhere'>here</a>.</p>!"

    @WsgiRequest.application
    def moved(request):
        return WsgiResponse(body, status=302, headers={"Location": "/elsewhere"})

    server = make_server("127.0.0.1", 0, moved, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    transport = Transport()
    try:
        url = f"http://127.0.0.1:{server.port}/"
        response = transport.send(Request(url=url, options=Options(follow_redirects=False)))
    finally:
        transport.close()
        server.shutdown()
        thread.join(5)
    view.show_response(response)
    qtbot.waitUntil(lambda: "Moved: see" in view.body_view.plain_text(), timeout=10_000)
    assert view.summary.size_label.text().startswith("Size 49")


def test_redirect_table_names_what_was_not_sent_on(view):
    hop = _hop("https://a.test/login", "https://b.test/home")
    hop = replace(hop, withheld=("header Authorization", "header X-API-Key"))
    view.show_response(_response("https://b.test/home", (hop,), True, True))
    rows = view.parts.redirects_table.row_texts()
    assert rows[0][4] == "header Authorization, header X-API-Key"
    assert rows[-1][4] == ""
