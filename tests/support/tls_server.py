"""An HTTPS server on 127.0.0.1 with a self-signed certificate made for the test: its
certificate file is the CA bundle that makes it trusted."""

from __future__ import annotations

import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response as WsgiResponse


def self_signed_context(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context with a fresh self-signed certificate for localhost and
    127.0.0.1, and the certificate's file (the CA bundle that trusts it)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert


@contextmanager
def self_signed_https_server(
    folder: Path, app: Callable[..., object] | None = None
) -> Iterator[tuple[str, Path]]:
    """(its URL, its certificate) while the server answers "secure" to every request, or
    runs `app` (a WSGI application) when one is given."""
    context, cert = self_signed_context(folder)
    # Without session tickets the Python TLS server does not delay responses
    # (docs/ARCHITECTURE.md: Timing).
    context.num_tickets = 0

    @WsgiRequest.application
    def secure(_request: WsgiRequest) -> WsgiResponse:
        return WsgiResponse("secure", content_type="text/plain")

    server = make_server(
        "127.0.0.1",
        0,
        app or secure,
        threaded=True,
        ssl_context=context,  # type: ignore[arg-type]
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.port}/", cert
    finally:
        server.shutdown()
        thread.join(5)
