"""The parts of one exchange the explainer's rules look at, read once and bounded.

Built from a `Response` (the request as sent, every redirect hop, the timing of each),
so the rules need no I/O: the body is read here, at most `EXPLAIN_BODY_LIMIT` bytes of
it, and only this module touches a spool file. Call `facts_from_response` off the GUI
thread when the body may be spooled.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from explorer.core.explain import header_syntax
from explorer.core.http.exchange import Headers, Hop, Response, Timing

# Enough for any problem+json document or charset sniffing; rules about bodies larger
# than this judge only their start and say so where it matters.
EXPLAIN_BODY_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class ExchangeFacts:
    """One exchange: the final request and response, and the hops before it."""

    method: str  # of the final request (a 303 turns POST into GET)
    url: str  # the final URL
    request_headers: Headers  # as sent on the final hop
    status: int
    reason: str
    http_version: str
    headers: Headers
    body: bytes  # the decoded body, at most EXPLAIN_BODY_LIMIT bytes of it
    body_size: int  # the whole decoded body
    body_complete: bool
    wire_size: int  # bytes of body that crossed the network (before decoding)
    timing: Timing
    hops: tuple[Hop, ...] = ()
    encrypted: bool = False
    elapsed_ms: float = 0.0

    def header(self, name: str) -> str:
        """The response header's values joined with ", " (RFC 9110 §5.3), "" when absent.
        Set-Cookie is never joined: use `header_values`."""
        return ", ".join(self.header_values(name))

    def header_values(self, name: str) -> list[str]:
        """Every field line of a response header, in order."""
        return _values(self.headers, name)

    def has_header(self, name: str) -> bool:
        lowered = name.lower()
        return any(key.lower() == lowered for key, _ in self.headers)

    def request_header(self, name: str) -> str:
        """A request header as sent on the final hop, joined like `header`."""
        return ", ".join(_values(self.request_headers, name))

    @property
    def media_type(self) -> str:
        """The response's media type, lower case, without parameters ("" when none)."""
        return header_syntax.media_type(self.header("Content-Type"))[0]

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme.lower()

    def cache_control(self) -> dict[str, str | None]:
        """The response's Cache-Control directives (names lower case)."""
        return header_syntax.directives(self.header("Cache-Control"))


def _values(headers: Headers, name: str) -> list[str]:
    lowered = name.lower()
    return [value for key, value in headers if key.lower() == lowered]


def facts_from_response(response: Response, limit: int = EXPLAIN_BODY_LIMIT) -> ExchangeFacts:
    """The facts of `response`, its body read up to `limit` bytes.

    A 101 (a WebSocket's upgrade) has no body on the wire: what a run keeps there is the
    messages that followed (core/streams), which no rule about bodies may judge."""
    body, complete = response.read_body_head(limit) if response.status != 101 else (b"", True)
    return ExchangeFacts(
        method=response.sent.method.upper(),
        url=response.url,
        request_headers=response.sent.headers,
        status=response.status,
        reason=response.reason,
        http_version=response.http_version,
        headers=response.headers,
        body=body,
        body_size=response.body_size if response.status != 101 else 0,
        body_complete=complete,
        wire_size=response.wire_size,
        timing=response.timing,
        hops=response.hops,
        encrypted=response.encrypted,
        elapsed_ms=response.elapsed_ms,
    )
