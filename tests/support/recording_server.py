"""A recording echo server for round-trip tests: it keeps every request exactly as it
arrived, so that what another tool sends can be diffed with what API Explorer sends.

The migration tests (#14) import a file, export it, run the export in the tool it is for
(newman, bru, httpyac, curl, python, node, go, httpie) against this server, and compare
the recordings with those of the source tool or of API Explorer's own send. Nothing is
normalised on the way in: the request target is the raw one from the request line
(percent-encoding as sent), header names keep their case and order, header values are
the bytes on the wire (WSGI hands them over as latin-1 text, which maps byte for byte),
and the body is the raw bytes after de-chunking (at most MAX_BODY).

Answers: `/status/<code>` with that status; `/redirect?to=PATH` a 302 to PATH (relative
only: no open redirect); everything else 200 with a small JSON summary of the request
(method, path, query, headers, body as text) so that a tool's own assertions have
something to look at. The server binds 127.0.0.1 on a free port and runs in a thread.

Use the `recording_server` fixture (tests/conftest.py), or `RecordingServer()` as a
context manager.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response as WsgiResponse

MAX_BODY = 16 * 1024 * 1024  # larger bodies are cut here; no round trip needs more
MAX_RECORDS = 10_000  # oldest dropped past this: a runaway tool cannot fill the memory
# Hop-by-hop and client-identity headers every tool fills in its own way.
VARYING_HEADERS = frozenset(
    {"user-agent", "accept", "accept-encoding", "connection", "host", "postman-token",
     "cache-control", "content-length", "transfer-encoding", "keep-alive", "te",
     "accept-language", "sec-fetch-mode"}
)  # fmt: skip


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived on the wire."""

    method: str
    target: str  # the raw request target: path and query exactly as sent
    headers: tuple[tuple[str, bytes], ...]  # in order, names as sent, values as bytes
    body: bytes

    @property
    def path(self) -> str:
        """The path, percent-decoded."""
        return unquote(urlsplit(self.target).path)

    @property
    def raw_query(self) -> str:
        """The query string exactly as sent ('' when there is none)."""
        return urlsplit(self.target).query

    @property
    def query(self) -> list[tuple[str, str]]:
        """The query's pairs, decoded as a form would be ('+' is a space), in order;
        a value-less `?flag` is ('flag', '')."""
        return parse_qsl(self.raw_query, keep_blank_values=True)

    def header(self, name: str) -> bytes | None:
        """The first value of the header `name` (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def header_text(self, name: str) -> str | None:
        """The first value of `name` decoded as UTF-8 (replacing bad bytes), or None."""
        value = self.header(name)
        return None if value is None else value.decode("utf-8", "replace")

    def compared(self, ignore: frozenset[str] = VARYING_HEADERS) -> dict[str, object]:
        """What must be the same whichever tool sent the request: method, raw target,
        the headers that are not in `ignore` (names lower-cased, sorted, values as
        text), and the body. Multipart boundaries differ per tool: compare
        `multipart_parts()` for those instead of the body."""
        headers = sorted(
            (key.lower(), value.decode("latin-1"))
            for key, value in self.headers
            if key.lower() not in ignore
        )
        content_type = (self.header_text("content-type") or "").lower()
        body: object = self.body
        if content_type.startswith("multipart/"):
            headers = [(k, v.split(";")[0] if k == "content-type" else v) for k, v in headers]
            body = self.multipart_parts()
        return {"method": self.method, "target": self.target, "headers": headers, "body": body}

    def multipart_parts(self) -> list[dict[str, object]]:
        """The parts of a multipart body: name, filename, content type and bytes, in
        order (the boundary left out, as every tool picks its own)."""
        from email.parser import BytesParser
        from email.policy import HTTP

        content_type = self.header_text("content-type") or ""
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + self.body
        )
        parts: list[dict[str, object]] = []
        for part in message.iter_parts():
            parts.append(
                {
                    "name": part.get_param("name", header="content-disposition"),
                    "filename": part.get_filename(),
                    "content_type": part.get("Content-Type"),
                    "data": part.get_payload(decode=True) or b"",
                }
            )
        return parts

    def summary(self) -> dict[str, object]:
        """The JSON the server answers with."""
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": {key: value.decode("latin-1") for key, value in self.headers},
            "body": self.body.decode("utf-8", "replace"),
        }


@dataclass
class RecordingServer:
    """A running recording server: `url`, and what it received in `requests`."""

    requests: list[Recorded] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> RecordingServer:
        self._server = make_server(
            "127.0.0.1", 0, self._app, threaded=True, request_handler=_RawHeadersHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def take(self) -> list[Recorded]:
        """What arrived since the last take, oldest first (and forget it)."""
        with self._lock:
            taken, self.requests = self.requests, []
        return taken

    def _app(self, environ: dict, start_response):  # type: ignore[no-untyped-def]
        request = WsgiRequest(environ)
        recorded = Recorded(
            method=request.method,
            target=environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.full_path,
            headers=tuple(_raw_headers(environ)),
            body=request.stream.read(MAX_BODY),
        )
        with self._lock:
            self.requests.append(recorded)
            del self.requests[:-MAX_RECORDS]
        return _answer(request, recorded)(environ, start_response)


class _RawHeadersHandler(WSGIRequestHandler):
    """Werkzeug's handler, also handing the request's header list over as it was parsed
    (names as sent, in order): WSGI's HTTP_* keys lose both."""

    def make_environ(self) -> dict:  # type: ignore[override]
        environ = super().make_environ()
        environ["recording.raw_headers"] = list(self.headers.raw_items())
        return environ

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass  # quiet: a test's output is not the place for an access log


def _raw_headers(environ: dict) -> Iterator[tuple[str, bytes]]:
    """The headers in the order they came (http.client decodes them as latin-1, which
    maps each byte to one character, so encoding back gives the bytes on the wire)."""
    raw = environ.get("recording.raw_headers")
    if raw is not None:
        for name, value in raw:
            yield name, value.encode("latin-1", "replace")
        return
    for key, value in environ.items():  # pragma: no cover - another WSGI server
        if key.startswith("HTTP_"):
            yield key[5:].replace("_", "-").title(), value.encode("latin-1", "replace")
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            yield key.replace("_", "-").title(), value.encode("latin-1", "replace")


def _answer(request: WsgiRequest, recorded: Recorded) -> WsgiResponse:
    path = request.path
    if path.startswith("/status/") and path.rsplit("/", 1)[1].isdigit():
        return WsgiResponse("", status=int(path.rsplit("/", 1)[1]))
    if path == "/redirect":
        to = request.args.get("to", "/")
        if not to.startswith("/") or to.startswith("//"):
            to = "/"
        return WsgiResponse("", status=302, headers={"Location": to})
    body = json.dumps(recorded.summary(), ensure_ascii=False, sort_keys=True)
    return WsgiResponse(body, status=200, content_type="application/json")
