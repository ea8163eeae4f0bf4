"""What came back from one send: the response, with the timing of each phase, the
redirect hops and the request exactly as it went out; or the `SendError` that stopped it.

The request side lives in `model`. Everything here is frozen, so it can cross threads
(a worker builds it, the GUI thread shows it). Nothing here imports Qt or does I/O
beyond reading a spooled body.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from explorer.core.streams import StreamMessage


class ErrorKind(StrEnum):
    """What went wrong when a request could not complete."""

    INVALID_URL = "invalid_url"
    INVALID_METHOD = "invalid_method"
    INVALID_HEADER = "invalid_header"
    INVALID_BODY = "invalid_body"
    UNKNOWN_HOST = "unknown_host"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_FAILED = "connection_failed"
    CONNECT_TIMEOUT = "connect_timeout"
    READ_TIMEOUT = "read_timeout"
    TOTAL_TIMEOUT = "total_timeout"  # the whole exchange passed Options.total_timeout
    BODY_TOO_LARGE = "body_too_large"  # the decoded body passed the maximum size
    TLS = "tls"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    INVALID_RESPONSE = "invalid_response"  # the server's bytes are not valid HTTP
    PROXY = "proxy"
    CANCELLED = "cancelled"
    OTHER = "other"


class SendError(Exception):
    """A request that did not produce a response, with a plain-language explanation.

    `message` says what happened, `hint` what to try; `elapsed_ms` is how long it took to
    fail. Instances are treated as immutable once raised.
    """

    def __init__(
        self, kind: ErrorKind, message: str, hint: str = "", elapsed_ms: float = 0.0
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.hint = hint
        self.elapsed_ms = elapsed_ms

    def __repr__(self) -> str:
        return f"SendError({self.kind.value!r}, {self.message!r})"


@dataclass(frozen=True)
class Timing:
    """Where the time of one hop went, in milliseconds.

    A phase that did not happen is None: DNS/connect/TLS on a reused connection, TLS on
    plain HTTP. `total` is from the start of the hop to the last body byte.
    """

    dns: float | None = None
    connect: float | None = None
    tls: float | None = None
    send: float = 0.0
    wait: float = 0.0
    download: float = 0.0
    total: float = 0.0
    reused: bool = False
    # An event stream's first event, in ms since the hop started (None: not a stream,
    # or no event came). It falls inside `download`, which lasts as long as the stream.
    first_event: float | None = None


Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SentRequest:
    """The request exactly as it went on the wire, defaults included."""

    method: str
    url: str
    headers: Headers
    body: bytes = b""
    body_size: int = 0


@dataclass(frozen=True)
class Hop:
    """One response in a redirect chain (not the final one).

    `encrypted`: this hop went over https; `certificate_checked`: and the server's
    certificate was verified. `withheld` names what was not carried on to `location`
    because it moved to another origin (curl's rule, see `redirects`).
    """

    status: int
    reason: str
    url: str
    location: str
    headers: Headers
    timing: Timing
    sent: SentRequest
    encrypted: bool = False
    certificate_checked: bool = False
    withheld: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    """A complete response.

    The body is in `body` unless it grew past the spool threshold, in which case it is in
    the file at `body_path` and `body` is empty. `body_size` is the decoded size,
    `wire_size` what crossed the network (differs when the body was compressed).
    `encrypted` and `certificate_checked` are those of the final hop; `tls_verified`
    holds for the whole chain.
    """

    status: int
    reason: str
    http_version: str
    url: str
    headers: Headers
    body: bytes
    body_size: int
    wire_size: int
    timing: Timing
    sent: SentRequest
    hops: tuple[Hop, ...] = ()
    body_path: Path | None = None
    remote_address: str = ""
    encrypted: bool = False
    certificate_checked: bool = False
    elapsed_ms: float = 0.0
    # A `text/event-stream` response: its events as they arrived (at most
    # MAX_KEPT_MESSAGES, the newest), None for any other response.
    events: tuple[StreamMessage, ...] | None = None
    # Why an event stream ended before the server closed it ("stopped by you", "time
    # limit", "collected 5 events", "connection lost: …"); "" when it ended by itself.
    # Such a body is what arrived, never "complete": an event stream has no end.
    stopped: str = ""
    # The reconnection time an event stream's `retry:` asked for, in ms (None: not set).
    retry_ms: int | None = None

    @property
    def tls_verified(self) -> bool:
        """True only when every hop went over https with a verified certificate."""
        return all(hop.encrypted and hop.certificate_checked for hop in self._chain())

    def tls_warning(self) -> tuple[str, str]:
        """(badge, explanation) when the chain was less safe than it looked, else ("", "").

        Plain http from the start is what the user asked for and gets no warning; http
        after https (a downgrading redirect) and https without verification do.
        """
        chain = self._chain()
        for earlier, later in itertools.pairwise(chain):
            if earlier.encrypted and not later.encrypted:
                return (
                    "NOT ENCRYPTED",
                    f"Not encrypted after redirect to {later.url}: that hop and the rest "
                    "went over plain http, readable and changeable on the way.",
                )
        if any(hop.encrypted and not hop.certificate_checked for hop in chain):
            return (
                "TLS NOT VERIFIED",
                "Certificate verification was turned off for this request: the server's "
                "identity was not checked.",
            )
        return "", ""

    def _chain(self) -> list[Hop | Response]:
        return [*self.hops, self]

    def header(self, name: str, default: str = "") -> str:
        """The first value of a header, matched case-insensitively."""
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return default

    @property
    def content_type(self) -> str:
        return self.header("Content-Type")

    def read_body(self) -> bytes:
        """The whole body, from memory or from its spool file."""
        if self.body_path is not None:
            return self.body_path.read_bytes()
        return self.body

    def read_body_head(self, limit: int) -> tuple[bytes, bool]:
        """At most `limit` bytes of the body and whether that is all of it, for readers
        that must stay bounded (checks, the explainer). A spool file that cannot be read
        gives no body, marked incomplete unless the body was empty anyway."""
        limit = max(0, limit)
        if self.body_path is None:
            return self.body[:limit], len(self.body) <= limit
        try:
            with self.body_path.open("rb") as file:
                data = file.read(limit + 1)
        except OSError:
            return b"", self.body_size == 0
        return data[:limit], len(data) <= limit

    @property
    def status_class(self) -> str:
        """'2xx', '3xx', '4xx', '5xx' or '1xx'."""
        return f"{self.status // 100}xx"
