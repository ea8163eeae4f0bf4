"""The window tells the transport which values are secret: a header holding a secret
variable does not follow a redirect to another origin (a second server on 127.0.0.1)."""

from __future__ import annotations

import json
import threading
from urllib.parse import quote

from werkzeug.serving import make_server
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response as WsgiResponse

from explorer.core.collection import Variable
from explorer.core.model import Pair, Request

SECRET = "sig-SECRET-4d2a"


def test_secret_header_stays_with_the_origin_addressed(qtbot, window, live_server):
    @WsgiRequest.application
    def echo(request):
        return WsgiResponse(json.dumps(dict(request.headers)), content_type="application/json")

    other = make_server("127.0.0.1", 0, echo, threaded=True)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    try:
        window.workspace.save_globals([Variable("sig", SECRET, secret=True)])
        tab = window.current_tab()
        target = f"http://127.0.0.1:{other.port}/landing"
        tab.load(
            Request(
                url=f"{live_server}/redirect-to?url={quote(target, safe='')}",
                headers=(Pair("X-Sig", "v1={{sig}}"), Pair("X-Plain", "kept")),
            ),
            saved=False,
        )
        with qtbot.waitSignal(tab.runner.finished, timeout=10_000):
            window.send_action.trigger()
    finally:
        other.shutdown()
        thread.join(5)
    response = tab.last_response
    assert response.url == target
    received = json.loads(response.read_body())
    assert received["X-Plain"] == "kept"
    assert "X-Sig" not in received
    assert response.hops[0].withheld == ("header X-Sig",)
    assert ("X-Sig", f"v1={SECRET}") in response.hops[0].sent.headers
