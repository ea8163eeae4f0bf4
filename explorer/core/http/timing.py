"""Phase timing of HTTP exchanges, measured inside urllib3's connections.

`requests` only reports `elapsed`, which stops when the headers are parsed. To say where
the time went we subclass urllib3's connection classes and record a timestamp at each
step of an exchange: name lookup, TCP connect, TLS handshake, request written, first
response byte, headers parsed and (from the transport) last body byte.

The recorder is found through a thread-local, so the same connection pool serves every
worker thread while each thread's marks stay its own. Connections made outside an
instrumented send (no recorder set) behave exactly like urllib3's.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util.connection import (
    _TYPE_SOCKET_OPTIONS,
    _set_socket_options,
    allowed_gai_family,
)
from urllib3.util.timeout import _TYPE_DEFAULT, _TYPE_TIMEOUT

from explorer.core.http.exchange import Timing

if TYPE_CHECKING:
    from urllib3.response import HTTPResponse

    from explorer.core.http.cancel import CancelToken

_context = threading.local()
# Interim (1xx) responses accepted before the final one. Real servers send one or two
# (100 Continue, 103 Early Hints); an endless stream of them would otherwise keep a send
# waiting for ever, each line resetting the read timeout.
MAX_INTERIM_RESPONSES = 20
# How often a name lookup (which cannot be interrupted) looks for a cancel.
_LOOKUP_POLL = 0.02


@dataclass
class ExchangeMarks:
    """Timestamps (perf_counter seconds) of one request/response on one connection."""

    start: float
    dns_end: float | None = None
    connect_end: float | None = None
    tls_end: float | None = None
    sent: float | None = None
    first_byte: float | None = None
    headers: float | None = None
    body_end: float | None = None
    first_event: float | None = None  # an event stream's first complete event
    reused: bool = True
    remote_address: str = ""
    wire_request: list[tuple[str, str]] = field(default_factory=list)
    request_line: str = ""

    def to_timing(self) -> Timing:
        """Contiguous phases, so that they add up exactly to the total."""
        end = self.body_end or self.headers or self.first_byte or self.sent or self.start
        cursor = self.start

        def phase(mark: float | None) -> float | None:
            nonlocal cursor
            if mark is None:
                return None
            span = (mark - cursor) * 1000.0
            cursor = mark
            return span

        dns = phase(self.dns_end)
        connect = phase(self.connect_end)
        tls = phase(self.tls_end)
        send = phase(self.sent) or 0.0
        # Without a first-byte mark (TLS), waiting lasts until the headers are parsed.
        wait = phase(self.first_byte or self.headers) or 0.0
        download = phase(end) or 0.0
        return Timing(
            dns=dns,
            connect=connect,
            tls=tls,
            send=send,
            wait=wait,
            download=download,
            total=(end - self.start) * 1000.0,
            reused=self.reused,
            first_event=None
            if self.first_event is None
            else (self.first_event - self.start) * 1000.0,
        )


class Recorder:
    """Collects the marks of every exchange made by one send on the current thread."""

    def __init__(self, cancel: CancelToken | None = None, phases: bool = True) -> None:
        self.exchanges: list[ExchangeMarks] = []
        self._pending: ExchangeMarks | None = None
        # Told of each socket in use, so a cancel can shut it down from another thread.
        self.cancel = cancel
        # False: an exchange's marks are its start alone (its phases, the peek at the
        # first byte and the headers as written are not taken): what a load test's
        # users need, who time the whole exchange.
        self.phases = phases

    def connection_started(self) -> ExchangeMarks:
        """A new connection is being opened: its exchange starts now."""
        self._pending = ExchangeMarks(start=time.perf_counter(), reused=False)
        return self._pending

    def request_started(self) -> ExchangeMarks:
        """A request is being written; it belongs to the connection just opened, if any."""
        marks = self._pending or ExchangeMarks(start=time.perf_counter(), reused=True)
        self._pending = None
        self.exchanges.append(marks)
        return marks

    def note_socket(self, sock: socket.socket, duplicate: bool = True) -> None:
        if self.cancel is not None:
            self.cancel.watch(sock, duplicate)

    @property
    def current(self) -> ExchangeMarks | None:
        return self.exchanges[-1] if self.exchanges else None


def active_recorder() -> Recorder | None:
    """The recorder of the send running on this thread, if any."""
    return getattr(_context, "recorder", None)


def set_recorder(recorder: Recorder | None) -> None:
    _context.recorder = recorder


def _timed_create_connection(
    address: tuple[str, int],
    timeout: _TYPE_TIMEOUT,
    source_address: tuple[str, int] | None,
    socket_options: _TYPE_SOCKET_OPTIONS | None,
    marks: ExchangeMarks,
    recorder: Recorder,
) -> socket.socket:
    """urllib3's create_connection, with a mark after name lookup and after connect."""
    host, port = address
    if host.startswith("["):
        host = host.strip("[]")
    infos = _lookup(host, port, recorder.cancel)
    marks.dns_end = time.perf_counter()
    error: OSError | None = None
    for family, socktype, proto, _canon, sockaddr in infos:
        sock = socket.socket(family, socktype, proto)
        try:
            _set_socket_options(sock, socket_options)
            if not isinstance(timeout, _TYPE_DEFAULT):  # urllib3's "leave it as it is"
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            recorder.note_socket(sock)
            sock.connect(sockaddr)
        except OSError as exc:
            error = exc
            sock.close()
            continue
        marks.connect_end = time.perf_counter()
        return sock
    if error is None:
        raise OSError("getaddrinfo returned an empty list")
    raise error


# What getaddrinfo answers: (family, type, protocol, canonical name, socket address).
AddressInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, Any]


def _lookup(host: str, port: int, cancel: CancelToken | None) -> Sequence[AddressInfo]:
    """getaddrinfo, which no signal or shutdown interrupts: a name lookup that hangs (a
    dead DNS server waits 5 s a try) runs on its own thread while this one watches for a
    cancel or the deadline."""
    family = allowed_gai_family()
    if cancel is None or _is_address(host):
        return socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
    outcome: list[Sequence[AddressInfo] | BaseException] = []

    def look_up() -> None:
        try:
            outcome.append(socket.getaddrinfo(host, port, family, socket.SOCK_STREAM))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome.append(exc)
        finally:
            done.set()

    done = threading.Event()
    threading.Thread(target=look_up, name="name-lookup", daemon=True).start()
    while not done.wait(_LOOKUP_POLL):
        cancel.check()
    found = outcome[0]
    if isinstance(found, BaseException):
        raise found
    return found


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _BoundedResponse(http.client.HTTPResponse):
    """http.client's response, with a bound on the interim (100 Continue) responses that
    it otherwise skips for as long as the server sends them."""

    _interim = 0

    def _read_status(self) -> tuple[str, int, str]:
        status: tuple[str, int, str] = super()._read_status()  # type: ignore[misc]  # private
        if status[1] == http.client.CONTINUE:
            self._interim += 1
            if self._interim > MAX_INTERIM_RESPONSES:
                raise http.client.HTTPException(
                    f"the server sent more than {MAX_INTERIM_RESPONSES} interim "
                    "'100 Continue' responses and no final one"
                )
        return status


if TYPE_CHECKING:
    # The mixin is only ever mixed into urllib3's connections: type it as one of them.
    _Connection = HTTPConnection
else:
    _Connection = object


class _InstrumentedMixin(_Connection):
    """Shared overrides of the plain and TLS connection classes."""

    _marks: ExchangeMarks | None = None

    def _new_conn(self) -> socket.socket:
        recorder = active_recorder()
        if recorder is None:
            return super()._new_conn()
        marks = recorder.connection_started()
        try:
            sock = _timed_create_connection(
                (self._dns_host, self.port),
                self.timeout,
                self.source_address,
                self.socket_options,
                marks,
                recorder,
            )
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.") from exc
        except OSError as exc:
            raise NewConnectionError(
                self,
                f"Failed to establish a new connection: {exc}",
            ) from exc
        try:
            address = sock.getpeername()
            marks.remote_address = f"{address[0]}:{address[1]}"
        except OSError:
            marks.remote_address = ""
        return sock

    def putrequest(self, method: str, url: str, *args: Any, **kwargs: Any) -> None:
        marks = self._marks
        if marks is not None:
            marks.request_line = f"{method} {url}"
        super().putrequest(method, url, *args, **kwargs)

    # Narrower than http.client's (str | bytes) names, exactly as urllib3's own override.
    # Values are text or (as requests sends non-ASCII ones) bytes.
    def putheader(self, header: str, *values: Any) -> None:  # type: ignore[override]
        marks = self._marks
        if marks is not None:
            for value in values:
                text = _header_text(value) if isinstance(value, bytes) else str(value)
                marks.wire_request.append((str(header), text))
        super().putheader(header, *values)

    def request(self, *args: Any, **kwargs: Any) -> None:
        recorder = active_recorder()
        if recorder is not None and self.sock is None:
            # Connect first, so the new connection's marks join this exchange.
            self.connect()
        marks = recorder.request_started() if recorder else None
        self._marks = marks if recorder is not None and recorder.phases else None
        if recorder is not None and self.sock is not None:
            # Connected by now: a plain socket stays this object (a TLS one may have
            # been wrapped over the plain one a cancel also knows: kept apart).
            recorder.note_socket(self.sock, duplicate=_is_tls(self.sock))
        super().request(*args, **kwargs)
        if self._marks is not None:
            self._marks.sent = time.perf_counter()
            if not self._marks.remote_address and self.sock is not None:
                try:
                    address = self.sock.getpeername()
                    self._marks.remote_address = f"{address[0]}:{address[1]}"
                except OSError:
                    pass

    # urllib3's response, not http.client's: urllib3 overrides it the same way.
    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        marks = getattr(self, "_marks", None)
        sock = self.sock
        if marks is not None and sock is not None and not _is_tls(sock):
            # Peeking consumes nothing: it only waits for the first byte. On failure the
            # real read below raises the proper urllib3 error.
            # A timeout here is the read timeout (raised as urllib3 does for the real
            # read): letting the read below wait again would double it.
            try:
                sock.settimeout(self.timeout)
                sock.recv(1, socket.MSG_PEEK)
                marks.first_byte = time.perf_counter()
            except TimeoutError:
                raise
            except OSError:
                pass
        response = super().getresponse()
        if marks is not None:
            marks.headers = time.perf_counter()
        return response


def _is_tls(sock: socket.socket) -> bool:
    # A peek on a TLS socket would see encrypted records (and session tickets), not the
    # response; there the wait phase ends when the headers are parsed.
    return hasattr(sock, "cipher")


class TimedHTTPConnection(_InstrumentedMixin, HTTPConnection):
    """A plain HTTP connection that records its phases."""

    response_class = _BoundedResponse


class TimedHTTPSConnection(_InstrumentedMixin, HTTPSConnection):
    """A TLS connection that records its phases, the handshake included."""

    response_class = _BoundedResponse

    def connect(self) -> None:
        super().connect()
        recorder = active_recorder()
        pending = recorder._pending if recorder else None
        if pending is not None:
            pending.tls_end = time.perf_counter()


class TimedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = TimedHTTPConnection


class TimedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = TimedHTTPSConnection


_TIMED_POOLS = {"http": TimedHTTPConnectionPool, "https": TimedHTTPSConnectionPool}


class TimingAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections (direct or through a proxy) record phase marks."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_TIMED_POOLS)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = dict(_TIMED_POOLS)
        return manager


def _header_text(value: bytes) -> str:
    """A header value sent as bytes, for display: UTF-8 as the app sends non-ASCII."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")
