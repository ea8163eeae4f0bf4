"""The socket under a WebSocket: name lookup, TCP connect and, for wss://, TLS, each
timed, with the request's TLS options honoured as the HTTP transport honours them
(verification on or off, a CA bundle, a client certificate)."""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any

from explorer.core.model import Options

DEFAULT_PORTS = {"ws": 80, "wss": 443}


@dataclass
class SocketMarks:
    """Milliseconds each phase of opening took; `tls` None for ws://."""

    dns: float = 0.0
    connect: float = 0.0
    tls: float | None = None
    remote_address: str = ""


def tls_context(options: Options) -> ssl.SSLContext:
    """A client TLS context from the request's options: the CA bundle (or certifi's, as
    requests uses), verification off when asked, the client certificate and key."""
    if options.verify_tls:
        cafile = options.ca_bundle or _certifi_bundle()
        context = ssl.create_default_context(cafile=cafile or None)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if options.client_cert:
        context.load_cert_chain(options.client_cert, options.client_key or None)
    return context


def _certifi_bundle() -> str:
    try:
        import certifi
    except ImportError:  # pragma: no cover - requests brings it
        return ""
    return str(certifi.where())


def open_tcp(host: str, port: int, timeout: float | None, marks: SocketMarks) -> socket.socket:
    """A connected TCP socket to `host`:`port`, trying each address the name resolves to;
    `marks` gets the lookup's and the connect's time."""
    started = time.perf_counter()
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    looked_up = time.perf_counter()
    marks.dns = (looked_up - started) * 1000.0
    last: OSError | None = None
    for family, kind, proto, _name, address in infos:
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        marks.connect = (time.perf_counter() - looked_up) * 1000.0
        peer = sock.getpeername()
        marks.remote_address = f"{peer[0]}:{peer[1]}"
        return sock
    raise last or OSError(f"{host} resolved to no address")


class TimedTls:
    """Stands in for an SSLContext where websockets wraps the socket, so the TLS
    handshake it does is timed (websockets calls `wrap_socket` and nothing else)."""

    def __init__(self, context: ssl.SSLContext, marks: SocketMarks) -> None:
        self.context = context
        self.marks = marks

    def wrap_socket(self, sock: socket.socket, **kwargs: Any) -> ssl.SSLSocket:
        started = time.perf_counter()
        wrapped = self.context.wrap_socket(sock, **kwargs)
        self.marks.tls = (time.perf_counter() - started) * 1000.0
        return wrapped
