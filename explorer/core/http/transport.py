"""Send a `Request` and return a `Response`, timing every phase of every hop.

`Transport` owns one `requests.Session` (so connections are reused and cookies kept, as
in a browser) with the timing adapter mounted. Its cookie jar may be shared (the
workspace's one jar, see cookie_jar.py); a request whose options say not to send
cookies gets a jar of its own for that one send instead (see `_Session.private_jar`).
Redirects are followed here, one hop at a time, so that each hop gets its own timing
and the chain can be shown. The body is read
as it arrives, up to 64 KiB a read (much faster than requests' default 8 KiB, see
docs/ARCHITECTURE.md: Large bodies), with throttled progress, a cancel check per read,
and spooling to a temp file past a size.

A final response of type `text/event-stream` is also handed, event by event as it
arrives, to the send's `stream_sink` (core/http/sse). Such a stream never completes: a
stop (the user's, the deadline, a run that collected enough), the size limit or a broken
connection ends it with the Response of what arrived, marked in `Response.stopped`.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any, BinaryIO

import requests
import urllib3
from requests.cookies import RequestsCookieJar

from explorer.core.auth import signing
from explorer.core.http import limits, timing
from explorer.core.http import spool as spool_files
from explorer.core.http.cancel import CancelToken
from explorer.core.http.errors import describe_exception
from explorer.core.http.exchange import ErrorKind, Hop, Response, SendError, SentRequest
from explorer.core.http.prepare import PreparedReuse, prepare
from explorer.core.http.redirects import auth_secrets, guard_redirect, keeps_credentials
from explorer.core.http.sse import EventReader, EventSink, StreamHead, is_event_stream
from explorer.core.model import Options, Request
from explorer.core.units import human_size

CHUNK_SIZE = 64 * 1024
SPOOL_THRESHOLD = 16 * 1024 * 1024
PROGRESS_INTERVAL = 0.05  # seconds: ~20 updates a second cost nothing measurable
SENT_BODY_PREVIEW = 1024 * 1024  # how much of the request body the "sent" view keeps

# When TLS verification is off the UI says so on the request and the response; a warning
# per request on stderr would only be noise.
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

ProgressCallback = Callable[[int, int | None], None]


class _Session(requests.Session):
    """requests' Session, minus the redirect handling inside `send`.

    With allow_redirects=False, `Session.send` still works out the next request of a
    redirect, and to do so reads the whole body into memory first: unbounded, beyond
    cancel, and lost to the caller (a 302's body then showed as empty). Transport
    follows redirects itself, so that work is skipped, and `next_request` does it once
    the body has been read.

    `cookies` is the jar of this thread's send: the shared one, or during
    `private_jar()` an empty jar of its own. requests reads and fills `self.cookies` in
    prepare, send and redirect alike, so this one switch keeps a cookie-less send from
    both sending the shared cookies and storing the ones it gets (cookies set during its
    redirects still reach its next hops, as in a private window).
    """

    def __init__(self, cookies: CookieJar | None = None, netrc_once: bool = False) -> None:
        self._private = threading.local()
        self._privates = 0  # sends inside `private_jar` now, on any thread
        self._shared: CookieJar
        super().__init__()  # sets `cookies` to an empty jar of its own
        if cookies is not None:
            self.cookies = cookies
        # requests looks for a netrc file at every send that has no auth (two stat calls,
        # a tenth of a small local request); looked for once, none found means none.
        self._no_netrc = netrc_once and not _netrc_exists()

    @property  # type: ignore[override]
    def cookies(self) -> CookieJar:
        # requests reads this several times a send: the thread-local only matters while
        # some send is private.
        if not self._privates:
            return self._shared
        private = getattr(self._private, "jar", None)
        return private if private is not None else self._shared

    @cookies.setter
    def cookies(self, jar: CookieJar) -> None:
        self._shared = jar

    @contextmanager
    def private_jar(self, private: bool) -> Iterator[None]:
        """While inside, this thread's sends use an empty jar of their own (when
        `private`), leaving the shared jar out of them."""
        if not private:
            yield
            return
        self._private.jar = RequestsCookieJar()
        with self._count_lock:
            self._privates += 1
        try:
            yield
        finally:
            self._private.jar = None
            with self._count_lock:
                self._privates -= 1

    _count_lock = threading.Lock()

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        if self._no_netrc and not request.auth and not self.auth:
            request.auth = _as_is  # what a netrc lookup that finds no file gives
        return super().prepare_request(request)

    def resolve_redirects(self, resp: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        return iter(())

    def next_request(self, resp: Any, req: Any, proxies: dict[str, str] | None) -> Any:
        """The PreparedRequest that follows the redirect `resp` of `req`."""
        redirects = super().resolve_redirects(resp, req, proxies=proxies, yield_requests=True)
        return next(redirects)


def _as_is(prepared: requests.PreparedRequest) -> requests.PreparedRequest:
    return prepared


def _netrc_exists() -> bool:
    """Whether requests would find a netrc file (its own places, in its order)."""
    from requests.utils import NETRC_FILES

    named = os.environ.get("NETRC")
    places = (named,) if named is not None else tuple(f"~/{name}" for name in NETRC_FILES)
    return any(os.path.exists(os.path.expanduser(place)) for place in places)


class _Trail:
    """Where a send has got to, so that an error can name the URL that failed."""

    def __init__(self) -> None:
        self.url = ""
        self.redirected_from = ""


class Transport:
    """Sends requests; one instance serves every worker thread of the app."""

    def __init__(
        self,
        spool_dir: Path | None = None,
        spool_threshold: int = SPOOL_THRESHOLD,
        max_body_size: int = 0,
        cookies: CookieJar | None = None,
        lean: bool = False,
    ) -> None:
        """`spool_dir`: where large bodies go (default: this process's spool folder);
        `max_body_size`: the limit for requests that set none (0: the app's default);
        `cookies`: the jar its sends share (default: a jar of its own).

        `lean`: a load test's user's transport, which sends thousands of requests a
        second and needs only `elapsed_ms`: a response's timing is its total alone, its
        sent headers are the ones prepared (no phase marks, no peek at the first byte),
        the netrc file is looked for once, here, not at every send, and a request object
        sent again is prepared from its earlier preparation (`PreparedReuse`)."""
        spool_files.sweep_once()  # a crashed run's leftovers go at the next start
        self.session = _Session(cookies, netrc_once=lean)
        adapter = timing.TimingAdapter()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.spool_dir = spool_dir
        self.spool_threshold = spool_threshold
        self.max_body_size = max_body_size
        self.lean = lean
        self._reuse = PreparedReuse() if lean else None
        # The system proxy settings are read once. Left to itself, requests reads the
        # whole environment three times per send, a tenth of a small local request;
        # most machines have no proxy, and then every send can simply go direct.
        self.system_proxies = bool(urllib.request.getproxies())

    def close(self) -> None:
        self.session.close()

    def send(
        self,
        request: Request,
        cancel: CancelToken | None = None,
        progress: ProgressCallback | None = None,
        *,
        sensitive: Collection[str] = (),
        stream_sink: EventSink | None = None,
    ) -> Response:
        """Send `request`, following redirects as its options say.

        `sensitive` holds the values of the secret variables used by this send; with the
        request's own auth values they are not carried to another origin on a redirect.
        `stream_sink` is told of an event stream as it arrives (see the module's
        docstring). Raises SendError for anything that prevents a (complete) response.
        """
        cancel = cancel or CancelToken()
        started = time.perf_counter()
        recorder = timing.Recorder(cancel, phases=not self.lean)
        timing.set_recorder(recorder)
        trail = _Trail()
        deadline = _start_deadline(request.options.total_timeout, cancel)
        try:
            with ExitStack() as files:
                if not request.options.send_cookies:
                    files.enter_context(self.session.private_jar(True))
                secrets = frozenset(value for value in sensitive if value)
                return self._exchange(
                    request,
                    cancel,
                    progress,
                    recorder,
                    files,
                    started,
                    secrets,
                    trail,
                    stream_sink,
                )
        except Exception as exc:  # noqa: BLE001 - every failure becomes a SendError
            if cancel.stopped:
                error = _stopped_error(cancel, request)
            elif isinstance(exc, SendError):
                error = exc
            else:
                error = describe_exception(exc, request, trail.url, trail.redirected_from)
            error.elapsed_ms = (time.perf_counter() - started) * 1000.0
            raise error from None
        finally:
            if deadline is not None:
                deadline.cancel()
            cancel.release()
            timing.set_recorder(None)

    def _exchange(
        self,
        request: Request,
        cancel: CancelToken,
        progress: ProgressCallback | None,
        recorder: timing.Recorder,
        files: ExitStack,
        started: float,
        sensitive: frozenset[str],
        trail: _Trail,
        stream_sink: EventSink | None = None,
    ) -> Response:
        options = request.options
        prepared = prepare(self.session, request, files, self._reuse)
        send_kwargs = _send_kwargs(request, self.system_proxies)
        secrets = sensitive | auth_secrets(request)
        hops: list[Hop] = []
        while True:
            cancel.check()
            first_exchange = len(recorder.exchanges)
            trail.url = prepared.url
            raw = self.session.send(prepared, allow_redirects=False, stream=True, **send_kwargs)
            hops.extend(_hidden_hops(raw, recorder, first_exchange, options.verify_tls))
            marks = recorder.current or timing.ExchangeMarks(start=time.perf_counter())
            events = _event_reader(raw, options.follow_redirects, started, stream_sink)
            body, body_path, size = self._read_body(raw, cancel, progress, options, events)
            marks.body_end = time.perf_counter()
            if events is not None:
                marks.first_event = events.first_event
            sent = _sent_request(raw.request, marks)
            target = self.session.get_redirect_target(raw) if options.follow_redirects else None
            if not target:
                encrypted = _is_https(raw.url)
                return Response(
                    status=raw.status_code,
                    reason=raw.reason or "",
                    http_version=_http_version(raw),
                    url=raw.url,
                    headers=_headers(raw),
                    body=body,
                    body_size=size,
                    wire_size=raw.raw.tell(),
                    timing=marks.to_timing(),
                    sent=sent,
                    hops=tuple(hops),
                    body_path=body_path,
                    remote_address=marks.remote_address,
                    encrypted=encrypted,
                    certificate_checked=encrypted and options.verify_tls,
                    elapsed_ms=(time.perf_counter() - started) * 1000.0,
                    events=None if events is None else tuple(events.kept),
                    stopped="" if events is None else events.stopped,
                    retry_ms=None if events is None else events.parser.retry_ms,
                )
            if len(hops) + 1 > options.max_redirects:
                raise SendError(
                    ErrorKind.TOO_MANY_REDIRECTS,
                    f"Stopped after {options.max_redirects} redirects",
                    "The server keeps redirecting; raise the maximum in Settings or "
                    "turn off following redirects to see each response.",
                )
            trail.redirected_from, trail.url = raw.url, target
            following = self.session.next_request(raw, prepared, send_kwargs.get("proxies"))
            trail.url = following.url
            withheld = guard_redirect(prepared, following, request, secrets)
            # A signature is for one method, URL and body: each hop is signed anew.
            keeps = keeps_credentials(prepared.url, following.url, request)
            signing.sign_redirect(following, request, keeps)
            hops.append(_hop(raw, marks, sent, target, options.verify_tls, withheld))
            raw.close()
            prepared = following

    def _read_body(
        self,
        raw: requests.Response,
        cancel: CancelToken,
        progress: ProgressCallback | None,
        options: Options,
        events: EventReader | None = None,
    ) -> tuple[bytes, Path | None, int]:
        """Read the whole (decoded) body: in memory, or spooled to a file when large.

        Stops with BODY_TOO_LARGE as soon as the decoded size passes the limit: decoded
        bytes are counted, so a small gzip bomb stops there too. An event stream
        (`events`) is parsed as it arrives, and ends at a stop, the limit or a broken
        connection with the body so far (`events.stopped` says why).
        """
        limit = limits.max_body_size(options, self.max_body_size)
        total = _int_or_none(raw.headers.get("Content-Length"))
        if total is not None and total > limit and _body_follows(raw):
            raw.close()
            raise _too_large(limit)
        buffer = bytearray()
        spool: BinaryIO | None = None
        path: Path | None = None
        received = 0
        last_report = 0.0
        try:
            for chunk in _stream_guarded(_arriving_chunks(raw), events, cancel, raw):
                if events is not None and cancel.stopped:
                    events.stopped = _stream_end(cancel, None)
                    raw.close()
                    break
                cancel.check()
                if received + len(chunk) > limit and events is not None:
                    events.stopped = f"body size limit ({human_size(limit)})"
                    raw.close()
                    break
                received += len(chunk)
                if received > limit:
                    raise _too_large(limit)
                if spool is None and received > self.spool_threshold:
                    spool, path = self._open_spool()
                    spool.write(buffer)
                    buffer = bytearray()
                if spool is not None:
                    spool.write(chunk)
                else:
                    buffer += chunk
                if events is not None:
                    events.feed(chunk)
                if progress is not None:
                    now = time.perf_counter()
                    if now - last_report >= PROGRESS_INTERVAL:
                        last_report = now
                        progress(received, total)
            # A stop shuts the socket down, and a body that ends when the connection
            # closes would then look complete: the partial body must not pass as whole.
            if events is None or not events.stopped:
                cancel.check()
        except BaseException:
            raw.close()  # never hand a half-read connection back to the pool
            if spool is not None and path is not None:
                spool.close()
                spool_files.discard(path)
            raise
        if progress is not None:
            progress(received, total)
        if spool is not None:
            spool.close()
            return b"", path, received
        return bytes(buffer), None, received

    def _open_spool(self) -> tuple[BinaryIO, spool_files.SpoolPath]:
        """A new spool file (0600) whose path deletes it when the response is dropped."""
        if self.spool_dir is not None:
            self.spool_dir.mkdir(parents=True, exist_ok=True)
        return spool_files.create(self.spool_dir)


def _body_follows(raw: requests.Response) -> bool:
    """True when a body of Content-Length decoded bytes follows the headers (not after
    HEAD, 204 or 304, whose Content-Length describes a body never sent, and not when
    encoded, as the length is then that of the encoded body)."""
    method = (raw.request.method or "").upper() if raw.request is not None else ""
    no_body = method == "HEAD" or raw.status_code in (204, 304)
    return not no_body and not raw.headers.get("Content-Encoding")


def _too_large(limit: int) -> SendError:
    return SendError(
        ErrorKind.BODY_TOO_LARGE,
        f"The response body passed the {human_size(limit)} limit",
        "Raise the maximum response body in the request's Settings or in Preferences "
        "(command line: --max-body).",
    )


def _start_deadline(seconds: float, cancel: CancelToken) -> threading.Timer | None:
    """A timer that stops the send when its total time is up (None without a deadline).

    The stop goes through the cancel token, so it ends any phase at once: a hanging TLS
    handshake, an endless stream of interim responses, a body that trickles in."""
    if seconds <= 0:
        return None
    timer = threading.Timer(seconds, cancel.expire)
    timer.daemon = True
    timer.start()
    return timer


def _event_reader(
    raw: requests.Response, follow_redirects: bool, started: float, sink: EventSink | None
) -> EventReader | None:
    """An EventReader when `raw` is the final response and an event stream (a redirect
    about to be followed is not final), after telling the sink that it opened."""
    if not is_event_stream(raw.headers.get("Content-Type", "")):
        return None
    if follow_redirects and raw.is_redirect:
        return None
    reader = EventReader(started, sink)
    reader.open(
        StreamHead(
            status=raw.status_code,
            reason=raw.reason or "",
            http_version=_http_version(raw),
            url=raw.url,
            headers=_headers(raw),
            elapsed_ms=(time.perf_counter() - started) * 1000.0,
        )
    )
    return reader


def _stream_guarded(
    chunks: Iterator[bytes], events: EventReader | None, cancel: CancelToken, raw: Any
) -> Iterator[bytes]:
    """`chunks`; for an event stream, a stop or a failed read ends it instead of the
    send: `events.stopped` says why, and the body so far becomes the response."""
    if events is None:
        yield from chunks
        return
    try:
        yield from chunks
    except Exception as exc:  # noqa: BLE001 - every way a stream can end is an end
        events.stopped = _stream_end(cancel, exc)
        raw.close()  # never hand a half-read connection back to the pool
        return
    if cancel.stopped:
        events.stopped = _stream_end(cancel, None)


def _stream_end(cancel: CancelToken, exc: Exception | None) -> str:
    """Why an event stream ended early, in a few words."""
    if cancel.finished:
        return cancel.why or "stopped"
    if cancel.cancelled:
        return "cancelled"
    if cancel.expired:
        return "total time limit"
    if exc is None:
        return ""
    message = exc.message if isinstance(exc, SendError) else " ".join(str(exc).split())
    return f"connection lost: {message[:200]}" if message else "connection lost"


def _stopped_error(cancel: CancelToken, request: Request) -> SendError:
    if not cancel.expired:
        return SendError(ErrorKind.CANCELLED, "The request was cancelled")
    seconds = request.options.total_timeout
    return SendError(
        ErrorKind.TOTAL_TIMEOUT,
        f"The request did not complete within its total time limit of {seconds:g} s",
        "The server is slow or keeps sending; raise the total time limit in Settings.",
    )


def _arriving_chunks(raw: requests.Response) -> Iterator[bytes]:
    """The decoded body, read by read as it arrives.

    Each read returns what the connection has, up to CHUNK_SIZE, instead of waiting for
    a whole chunk as `iter_content` does: a body that trickles in still moves the
    progress bar. Decoding is bounded too: urllib3 (2.6 and later) inflates at most
    CHUNK_SIZE bytes a read, keeping the rest of a compressed chunk for the next one,
    so a gzip bomb never inflates more than one read past the limit. Errors are
    translated to requests' exceptions as `iter_content` does.
    """
    stream = raw.raw
    try:
        while chunk := stream.read1(CHUNK_SIZE, decode_content=True):
            yield chunk
    except urllib3.exceptions.ProtocolError as error:
        raise requests.exceptions.ChunkedEncodingError(error) from error
    except urllib3.exceptions.DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from error
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ConnectionError(error) from error
    except urllib3.exceptions.SSLError as error:
        raise requests.exceptions.SSLError(error) from error


def _send_kwargs(request: Request, system_proxies: bool) -> dict[str, Any]:
    options = request.options
    verify: bool | str = options.verify_tls
    if options.verify_tls and options.ca_bundle:
        verify = options.ca_bundle
    kwargs: dict[str, Any] = {"timeout": options.timeout or None, "verify": verify}
    if options.client_cert:
        kwargs["cert"] = (
            (options.client_cert, options.client_key) if options.client_key else options.client_cert
        )
    if options.proxy:
        kwargs["proxies"] = {"http": options.proxy, "https": options.proxy}
    elif not (options.use_system_proxy and system_proxies):
        # An empty proxy means "direct"; it also stops requests from reading env proxies.
        kwargs["proxies"] = {"http": "", "https": ""}
    return kwargs


def _hidden_hops(
    raw: requests.Response, recorder: timing.Recorder, first_exchange: int, verify: bool
) -> list[Hop]:
    """Responses that requests handled inside one send (a Digest challenge's 401)."""
    hops = []
    exchanges = recorder.exchanges[first_exchange:]
    for index, earlier in enumerate(raw.history):
        marks = exchanges[index] if index < len(exchanges) else timing.ExchangeMarks(start=0.0)
        sent = _sent_request(earlier.request, marks)
        hops.append(_hop(earlier, marks, sent, "", verify))
    return hops


def _hop(
    raw: requests.Response,
    marks: timing.ExchangeMarks,
    sent: SentRequest,
    target: str,
    verify: bool,
    withheld: tuple[str, ...] = (),
) -> Hop:
    encrypted = _is_https(raw.url)
    return Hop(
        status=raw.status_code,
        reason=raw.reason or "",
        url=raw.url,
        location=raw.headers.get("Location", target),
        headers=_headers(raw),
        timing=marks.to_timing(),
        sent=sent,
        encrypted=encrypted,
        certificate_checked=encrypted and verify,
        withheld=withheld,
    )


def _file_start(body: object) -> bytes:
    """The first SENT_BODY_PREVIEW bytes of a body file, without moving its position
    (b"" when it is not a file that can be read from an offset)."""
    try:
        return os.pread(body.fileno(), SENT_BODY_PREVIEW, 0)  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return b""


def _is_https(url: str | None) -> bool:
    return (url or "").lower().startswith("https://")


def _sent_request(prepared: requests.PreparedRequest, marks: timing.ExchangeMarks) -> SentRequest:
    body: Any = prepared.body  # typed bytes | str | None, but a streamed file is sent too
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, bytes):
        preview, size = body[:SENT_BODY_PREVIEW], len(body)
    elif body is None:
        preview, size = b"", 0
    else:
        # A file streamed from disk: its length went out as Content-Length; its start,
        # read again from the still-open file, is what the history and HAR keep.
        preview, size = _file_start(body), _int_or_none(prepared.headers.get("Content-Length")) or 0
    # A value that goes out as UTF-8 is kept as bytes (prepare.WireHeaders).
    prepared_headers: Iterable[tuple[str, str | bytes]] = prepared.headers.items()
    headers = tuple(marks.wire_request) or tuple(
        (name, value.decode("utf-8", "replace") if isinstance(value, bytes) else value)
        for name, value in prepared_headers
    )
    return SentRequest(
        method=prepared.method or "",
        url=prepared.url or "",
        headers=headers,
        body=preview,
        body_size=size,
    )


def _headers(raw: requests.Response) -> tuple[tuple[str, str], ...]:
    """Response headers in wire order, duplicates (Set-Cookie …) kept apart."""
    original = getattr(raw.raw, "_original_response", None)
    if original is not None and getattr(original, "msg", None) is not None:
        return tuple((name, value) for name, value in original.msg.items())
    return tuple(raw.raw.headers.items())


def _http_version(raw: requests.Response) -> str:
    return {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(
        getattr(raw.raw, "version", 11), "HTTP/1.1"
    )


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None
