"""Proxies: an explicit one, the system's (environment variables), and none.

The proxy is a small forwarding HTTP proxy on 127.0.0.1 that records what it relayed,
so each test can tell whether a request went through it or straight to the server.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from explorer.core.http.transport import Transport
from explorer.core.model import Options, Request


class _ForwardingProxy(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        # A forward proxy is sent the absolute URL in the request line.
        self.server.relayed.append(self.path)
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(self.path, timeout=5) as upstream:
            body = upstream.read()
            self.send_response(upstream.status)
            self.send_header("Content-Type", upstream.headers.get("Content-Type", ""))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Via", "1.1 test-proxy")
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    """The proxy's URL and the list of URLs it relayed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ForwardingProxy)
    server.relayed = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", server.relayed
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def no_system_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def send(transport: Transport, url: str, **options) -> object:
    try:
        return transport.send(Request(url=url, options=Options(**options)))
    finally:
        transport.close()


def test_explicit_proxy_is_used(live_server, proxy, no_system_proxy):
    proxy_url, relayed = proxy
    response = send(Transport(), f"{live_server}/json", proxy=proxy_url)
    assert response.status == 200 and response.header("Via") == "1.1 test-proxy"
    assert relayed == [f"{live_server}/json"]


def test_system_proxy_from_the_environment_is_used(live_server, proxy, monkeypatch):
    proxy_url, relayed = proxy
    monkeypatch.setenv("http_proxy", proxy_url)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    response = send(Transport(), f"{live_server}/json")
    assert response.header("Via") == "1.1 test-proxy"
    assert relayed == [f"{live_server}/json"]


def test_no_proxy_setting_is_respected(live_server, proxy, monkeypatch):
    proxy_url, relayed = proxy
    monkeypatch.setenv("http_proxy", proxy_url)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    response = send(Transport(), f"{live_server}/json")
    assert response.status == 200 and response.header("Via") == ""
    assert relayed == []


def test_turning_the_system_proxy_off_goes_direct(live_server, proxy, monkeypatch):
    proxy_url, relayed = proxy
    monkeypatch.setenv("http_proxy", proxy_url)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    response = send(Transport(), f"{live_server}/json", use_system_proxy=False)
    assert response.status == 200 and response.header("Via") == ""
    assert relayed == []


def test_without_any_proxy_requests_go_direct(live_server, proxy, no_system_proxy):
    _proxy_url, relayed = proxy
    response = send(Transport(), f"{live_server}/json")
    assert response.status == 200 and response.header("Via") == ""
    assert relayed == []
