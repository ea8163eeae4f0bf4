"""A tiny echo server for running generated code against: it answers with a JSON
description of the request it received, reduced to what every client sends alike."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response as WsgiResponse

# Headers every client fills in its own way (User-Agent, Accept …) are left out.
_COMPARED_HEADERS = ("authorization", "cookie", "content-type")


def describe(request: WsgiRequest) -> dict[str, object]:
    """The parts of a request that must be the same whichever client sent it."""
    content_type = request.headers.get("Content-Type", "")
    headers = {
        name.lower(): value
        for name, value in request.headers.items()
        if name.lower() in _COMPARED_HEADERS or name.lower().startswith("x-")
    }
    described: dict[str, object] = {
        "method": request.method,
        "path": request.path,
        "query": [list(item) for item in request.args.items(multi=True)],
        "headers": headers,
    }
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        headers["content-type"] = content_type.split(";")[0]
        described["form"] = [list(item) for item in request.form.items(multi=True)]
        described["files"] = [
            [name, upload.filename, upload.content_type, upload.read().decode("utf-8")]
            for name, upload in request.files.items(multi=True)
        ]
    else:
        described["body"] = request.get_data(as_text=True)
    return described


@WsgiRequest.application
def echo_app(request: WsgiRequest) -> WsgiResponse:
    """/redirect sends to /echo; /status/N answers N; everything else echoes the request."""
    if request.path == "/redirect":
        return WsgiResponse("", status=302, headers={"Location": "/echo"})
    status = 200
    if request.path.startswith("/status/"):
        status = int(request.path.rsplit("/", 1)[1])
    body = json.dumps(describe(request), ensure_ascii=False, sort_keys=True)
    return WsgiResponse(body, status=status, content_type="application/json")


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    """The base URL of an echo server running in a thread for the module's tests."""
    server = make_server("127.0.0.1", 0, echo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
