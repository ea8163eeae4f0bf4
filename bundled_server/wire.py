"""Limits on what a client can make the server hold: body size and idle connections.

Werkzeug checks ``MAX_CONTENT_LENGTH`` against the ``Content-Length`` header only. A
chunked body has no such header: its stream stops quietly at the limit, so a view saw a
body cut to exactly 32 MiB and answered 200. ``BoundedRequest`` reads one byte past the
limit instead, and that byte turns into 413. ``IdleTimeoutHandler`` closes a connection
that sends nothing, which otherwise holds a server thread forever.
"""

from __future__ import annotations

from typing import IO, cast

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.serving import WSGIRequestHandler
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

# A client that sends nothing for this long (no request line, or a stalled body) is cut off.
DEFAULT_IDLE_TIMEOUT = 30.0


class _MaxStream(LimitedStream):
    """A stream that may hold ``maximum`` bytes and raises 413 on the byte after that."""

    def __init__(self, stream: IO[bytes], maximum: int) -> None:
        # One byte more than allowed, so that "more than the maximum" can be seen at all.
        super().__init__(stream, maximum + 1, is_max=True)
        self.maximum = maximum

    def readinto(self, b: bytearray) -> int | None:  # type: ignore[override]
        count = super().readinto(b)
        if self.tell() > self.maximum:
            raise RequestEntityTooLarge()
        return count


class BoundedRequest(Request):
    """Flask's request, with ``MAX_CONTENT_LENGTH`` enforced on chunked bodies too."""

    @cached_property
    def stream(self) -> IO[bytes]:
        maximum = self.max_content_length
        terminated = "wsgi.input_terminated" in self.environ
        if self.shallow or maximum is None or not terminated or self.content_length is not None:
            # Werkzeug's own checks are right here (Content-Length, or no limit at all).
            return super().stream
        # A cast, as werkzeug's own get_input_stream does: LimitedStream is an io.IOBase,
        # which typing does not count as an IO[bytes] although it is used as one.
        return cast(IO[bytes], _MaxStream(self.environ["wsgi.input"], maximum))


def idle_timeout_handler(seconds: float) -> type[WSGIRequestHandler]:
    """A request handler whose socket reads and writes give up after ``seconds``.

    ``socketserver.StreamRequestHandler`` applies ``timeout`` to the connection; when it
    fires, ``http.server`` logs "Request timed out" and closes the connection.
    """
    return type("IdleTimeoutHandler", (WSGIRequestHandler,), {"timeout": seconds})
