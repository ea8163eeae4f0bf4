"""Exchanges for the explainer's rule tests: hand-made facts for plain cases, a raw-socket
server that answers each path with exactly the header lines written for it (repeated
ETags, unquoted tags, a 304 to nothing: what Werkzeug will not send), and a send through
the real transport that turns its response into facts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response as WsgiResponse

from explorer.core.explain import Finding, all_rules, explain, facts_from_response
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.explain.findings import Note, Severity
from explorer.core.http.exchange import Hop, Timing
from explorer.core.http.transport import Transport
from explorer.core.model import Options, Pair, Request
from tests.support.canned_server import raw_server
from tests.support.tls_server import self_signed_https_server

HeaderList = Sequence[tuple[str, str]]


def facts(
    headers: HeaderList = (("Content-Type", "application/json"),),
    request_headers: HeaderList = (),
    *,
    method: str = "GET",
    url: str = "http://127.0.0.1/x",
    status: int = 200,
    body: bytes = b"{}",
    hops: tuple[Hop, ...] = (),
) -> ExchangeFacts:
    """One exchange as the rules see it, without a network."""
    return ExchangeFacts(
        method=method,
        url=url,
        request_headers=tuple(request_headers),
        status=status,
        reason="",
        http_version="HTTP/1.1",
        headers=tuple(headers),
        body=body,
        body_size=len(body),
        body_complete=True,
        wire_size=len(body),
        timing=Timing(),
        hops=hops,
        encrypted=url.startswith("https:"),
    )


def fired(exchange: ExchangeFacts, rule_id: str) -> list[Finding]:
    """The findings of one rule for `exchange`."""
    return [finding for finding in explain(exchange) if finding.rule_id == rule_id]


def notes(exchange: ExchangeFacts, rule_id: str) -> list[Note]:
    """What one rule says, straight from its check (no bound on the count, no silencing)."""
    rule = next(rule for rule in all_rules() if rule.id == rule_id)
    return list(rule.check(exchange))


def severities(exchange: ExchangeFacts, rule_id: str) -> list[Severity]:
    return [finding.severity for finding in fired(exchange, rule_id)]


def complaints(exchange: ExchangeFacts, prefix: str) -> list[str]:
    """Warnings and errors of the rules whose ids start with `prefix` ("caching.")."""
    return [
        f"{finding.severity.value}:{finding.rule_id}"
        for finding in explain(exchange)
        if finding.rule_id.startswith(prefix) and finding.severity is not Severity.INFO
    ]


def raw_response(status: str, headers: HeaderList, body: bytes = b"") -> bytes:
    """A whole response as bytes: status line, the header lines as given, a Content-Length
    (unless the status forbids a body) and Connection: close."""
    lines = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in headers)]
    if not status.startswith(("204", "304")):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@contextmanager
def canned_server(routes: Mapping[str, bytes]) -> Iterator[str]:
    """A server on 127.0.0.1 answering each path with its bytes (404 for others): its
    base URL, without the final slash."""
    with raw_server(routes) as server:
        yield server.url


def send(
    transport: Transport,
    url: str,
    method: str = "GET",
    headers: HeaderList = (),
    **options: object,
) -> ExchangeFacts:
    """Send for real and read the answer as the Explain tab does."""
    request = Request(
        method=method,
        url=url,
        headers=tuple(Pair(name, value) for name, value in headers),
        options=Options(**options),  # type: ignore[arg-type]
    )
    return facts_from_response(transport.send(request))


@contextmanager
def https_site(folder: Path, routes: Mapping[str, HeaderList]) -> Iterator[tuple[str, Path]]:
    """An https server on localhost (self-signed, its certificate returned to trust)
    answering each path with 200, the given headers and a small body."""

    @WsgiRequest.application
    def app(request: WsgiRequest) -> WsgiResponse:
        headers = routes.get(request.path)
        if headers is None:
            return WsgiResponse("missing", status=404, content_type="text/plain")
        response = WsgiResponse(b"<!doctype html><title>page</title>")
        response.headers.clear()
        for name, value in headers:
            response.headers.add(name, value)
        return response

    with self_signed_https_server(folder, app) as (url, cert):
        yield url.rstrip("/"), cert
