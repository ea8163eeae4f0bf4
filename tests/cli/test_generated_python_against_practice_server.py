"""Generated Python, run as its own process against the practice server, gets the same
status and body as the app's own send of the same request."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from explorer.core.codegen import generate
from explorer.core.http.transport import Transport
from explorer.core.model import Auth, AuthKind, Body, BodyKind, Pair, Request


@pytest.mark.parametrize(
    "request_",
    [
        Request(url="/api/items/1", headers=(Pair("Accept", "application/json"),)),
        Request(
            method="POST",
            url="/anything/echo",
            params=(Pair("q", "a b&c"),),
            headers=(Pair("X-Lesson", "codegen"),),
            body=Body(kind=BodyKind.RAW, text='{"title": "☕"}', content_type="application/json"),
        ),
        Request(url="/bearer", auth=Auth(kind=AuthKind.BEARER, token="t-42")),
        Request(url="/status/418"),
    ],
    ids=["item", "post-json", "bearer", "teapot"],
)
def test_generated_python_matches_the_app(tmp_path, live_server, request_):
    request = request_.with_changes(url=live_server + request_.url)
    app = Transport().send(request)
    script = tmp_path / "request.py"
    script.write_text(generate("python", request))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=60, check=True)
    status = int(run.stderr.split()[0])
    assert status == app.status
    if app.content_type.startswith("application/json"):
        ours, theirs = json.loads(app.body), json.loads(run.stdout)
        # The echo shows the client's address and port; everything else must agree.
        for echoed in (ours, theirs):
            if isinstance(echoed, dict):
                echoed.pop("origin", None)
        assert theirs == ours
    else:
        assert run.stdout == app.body
