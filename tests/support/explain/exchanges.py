"""Exchanges for the explainer's rule tests: hand-made facts for the plain cases, and
real sends to real sockets for the end-to-end ones.

`RawServer` answers each path with fixed bytes, for responses no framework will produce
(a 204 that announces a body, a 206 without Content-Range, two answers to "where does
the body end?"). `send` goes through the app's own transport, so the facts are exactly
what the Explain tab would judge.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from explorer.core.explain import Finding, explain, facts_from_response
from explorer.core.explain.facts import ExchangeFacts
from explorer.core.http.exchange import Hop, SentRequest, Timing
from explorer.core.http.transport import Transport
from explorer.core.model import Body, BodyKind, Options, Pair, Request


def make_facts(**changes: object) -> ExchangeFacts:
    """A plain, correct 200 JSON exchange with `changes` applied."""
    body = changes.get("body", b'{"ok": true}')
    assert isinstance(body, bytes)
    base: dict[str, object] = {
        "method": "GET",
        "url": "http://127.0.0.1:8000/things/1",
        "request_headers": (("Accept", "*/*"),),
        "status": 200,
        "reason": "",
        "http_version": "HTTP/1.1",
        "headers": (("Content-Type", "application/json"), ("Content-Length", str(len(body)))),
        "body": body,
        "body_size": len(body),
        "body_complete": True,
        "wire_size": len(body),
        "timing": Timing(send=1.0, wait=20.0, download=1.0, total=22.0, reused=False),
    }
    base.update(changes)
    return ExchangeFacts(**base)  # type: ignore[arg-type]


def hop(
    url: str,
    status: int,
    location: str,
    method: str = "GET",
    *,
    headers: Iterable[tuple[str, str]] = (),
    sent_headers: Iterable[tuple[str, str]] = (),
    timing: Timing | None = None,
    withheld: tuple[str, ...] = (),
) -> Hop:
    """A redirect hop as the transport records it."""
    return Hop(
        status=status,
        reason="",
        url=url,
        location=location,
        headers=(("Location", location), *headers) if location else tuple(headers),
        timing=timing or Timing(wait=5.0, total=6.0),
        sent=SentRequest(method, url, tuple(sent_headers)),
        encrypted=url.startswith("https://"),
        withheld=withheld,
    )


def findings(facts: ExchangeFacts, prefix: str = "") -> list[Finding]:
    """The findings of rules whose id starts with `prefix`."""
    return [finding for finding in explain(facts) if finding.rule_id.startswith(prefix)]


def ids(facts: ExchangeFacts, prefix: str = "") -> list[str]:
    return [finding.rule_id for finding in findings(facts, prefix)]


def send(
    url: str,
    method: str = "GET",
    headers: Iterable[tuple[str, str]] = (),
    *,
    body: str = "",
    follow: bool = True,
) -> ExchangeFacts:
    """Send through the app's transport and return the facts the explainer judges."""
    request = Request(
        method=method,
        url=url,
        headers=tuple(Pair(name, value) for name, value in headers),
        body=Body(BodyKind.RAW, body, "application/json") if body else Body(),
        options=Options(timeout=10.0, follow_redirects=follow),
    )
    transport = Transport()
    try:
        return facts_from_response(transport.send(request))
    finally:
        transport.close()


class RawServer:
    """A loopback HTTP/1.1 server that answers each path with fixed bytes.

    `responses` maps a path (without query) to the bytes to send, or to a list of them
    sent in turn (the last one repeats), for a resource whose answer changes. `delays`
    holds seconds to wait before answering a path. Without `keep_alive` each connection
    is closed after one answer; with it, the next request may come on the same one."""

    def __init__(
        self,
        responses: Mapping[str, bytes | list[bytes]],
        *,
        delays: Mapping[str, float] | None = None,
        keep_alive: bool = False,
    ) -> None:
        self.responses = {
            path: list(answer) if isinstance(answer, list) else [answer]
            for path, answer in responses.items()
        }
        self.delays = dict(delays or {})
        self.keep_alive = keep_alive
        self.connections = 0
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._address = self._socket.getsockname()
        self._stopping = False
        self.url = f"http://127.0.0.1:{self._address[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return  # closed
            if self._stopping:
                connection.close()
                self._socket.close()
                return
            self.connections += 1
            with connection:
                connection.settimeout(5)
                try:
                    while self._answer(connection) and self.keep_alive:
                        pass
                except OSError:
                    continue

    def _answer(self, connection: socket.socket) -> bool:
        """Answer one request; False when the client closed the connection."""
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = connection.recv(4096)
            if not chunk:
                return False
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                length = int(value)
        while len(rest) < length:
            chunk = connection.recv(4096)
            if not chunk:
                return False
            rest += chunk
        path = head.split(b" ", 2)[1].decode("latin-1").split("?", 1)[0]
        answers = self.responses.get(path, [b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"])
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if path in self.delays:
            time.sleep(self.delays[path])
        connection.sendall(answer)
        return True

    def close(self) -> None:
        # A close() does not wake a thread blocked in accept(): a last connection does.
        self._stopping = True
        with contextlib.suppress(OSError):
            socket.create_connection(self._address, timeout=1).close()
        self._thread.join(5)


@contextmanager
def raw_server(
    responses: Mapping[str, bytes | list[bytes]],
    *,
    delays: Mapping[str, float] | None = None,
    keep_alive: bool = False,
) -> Iterator[RawServer]:
    server = RawServer(responses, delays=delays, keep_alive=keep_alive)
    try:
        yield server
    finally:
        server.close()
