"""Hurl's own integration test server, for the vendored tests in tests/fixtures/hurl.

Hurl tests its runner against a Flask app (integration/hurl/server.py) whose routes live
in one Python file per test. This serves the vendored route files (tests/fixtures/hurl/
routes) from one real Flask app on 127.0.0.1 at a free port, in a thread. The tests and
routes were written for localhost:8000: `hurl_text` and the route loader put the real
port in their place, nothing else is changed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response
from werkzeug.serving import make_server

FIXTURES = Path(__file__).parents[1] / "fixtures" / "hurl"
ROUTES = FIXTURES / "routes"
_IMPORTS = ("from app import app\n", "from tests import app\n")


@dataclass(frozen=True)
class HurlServer:
    """A running server: its port, and how to rewrite a test file for it."""

    port: int

    def hurl_text(self, name: str) -> str:
        """The vendored test `name` with localhost:8000 and 127.0.0.1:8000 on our port."""
        return self.on_port((FIXTURES / name).read_text(encoding="utf-8"))

    def on_port(self, text: str) -> str:
        """`text` with localhost:8000 and 127.0.0.1:8000 on our port."""
        return _on_port(text, self.port)


def _on_port(text: str, port: int) -> str:
    return text.replace("localhost:8000", f"localhost:{port}").replace(
        "127.0.0.1:8000", f"127.0.0.1:{port}"
    )


def build_app(port: int) -> Flask:
    """Hurl's test app (its after_request hook included) with every vendored route."""
    app = Flask("hurl_integration")

    @app.after_request
    def remove_header(response: Response) -> Response:  # as Hurl's integration/hurl/app.py
        response.headers["Server"] = "Flask Server"
        return response

    for path in sorted(ROUTES.glob("*.py.txt")):
        source = _on_port(path.read_text(encoding="utf-8"), port)
        for line in _IMPORTS:
            source = source.replace(line, "")  # `app` is given below instead
        namespace = {"app": app, "__name__": "hurl_routes." + path.name.removesuffix(".py.txt")}
        exec(compile(source, str(path), "exec"), namespace)
    return app


@contextmanager
def hurl_server() -> Iterator[HurlServer]:
    """Serve the vendored routes until the block ends."""
    server = make_server("127.0.0.1", 0, Flask("placeholder"), threaded=True)
    port = server.server_port
    server.app = build_app(port)
    thread = threading.Thread(target=server.serve_forever, name="hurl-server", daemon=True)
    thread.start()
    try:
        yield HurlServer(port)
    finally:
        server.shutdown()
        thread.join(timeout=10)
