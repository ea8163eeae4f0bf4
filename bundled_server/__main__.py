"""``python -m bundled_server [--host 127.0.0.1] [--port 0]``: run the practice server.

Contract with the parent process (the desktop app's ServerController, or a test):

* bind first, then print exactly one line on stdout,
  ``{"event": "ready", "url": "http://127.0.0.1:PORT"}``, and flush it;
* request logs and errors go to stderr, never to stdout;
* SIGTERM or SIGINT ends the process with exit code 0;
* when stdin is a pipe, its end-of-file means the parent is gone: exit then too, so
  the server never outlives a crashed app. A terminal or /dev/null on stdin is not a
  parent, so that rule is skipped;
* a port that is taken prints one line on stderr and exits with code 1, unless
  ``--any-port-if-taken`` is given: a free port is bound instead (by the server itself,
  so nobody can take it between a check and the bind), and the ready line says which
  port was taken: ``{"event": "ready", "url": ..., "port_in_use": PORT}``;
* a connection that sends nothing for ``--idle-timeout`` seconds (default 30) is closed.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import signal
import socket
import stat
import sys
import threading
from types import FrameType

from werkzeug.serving import BaseWSGIServer, make_server

from . import create_app
from .security import trusted_hosts
from .wire import DEFAULT_IDLE_TIMEOUT, idle_timeout_handler


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: host and port, nothing else to get wrong."""
    parser = argparse.ArgumentParser(
        prog="python -m bundled_server",
        description="Run the API Explorer practice REST server.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=0, help="port to bind; 0 picks a free one (default 0)"
    )
    parser.add_argument(
        "--any-port-if-taken",
        action="store_true",
        help="when --port is taken, bind a free port instead (the ready line says so)",
    )
    parser.add_argument(
        "--idle-timeout",
        type=_positive_seconds,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help=f"close a connection that sends nothing for this long "
        f"(default {DEFAULT_IDLE_TIMEOUT:g})",
    )
    return parser.parse_args(argv)


def _positive_seconds(text: str) -> float:
    """A number of seconds above zero (argparse turns the ValueError into a usage line)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def bind(host: str, port: int, any_port_if_taken: bool = False) -> socket.socket:
    """A listening socket, or one clear line on stderr and exit code 1. With
    `any_port_if_taken`, a taken `port` gives a socket on a free port instead."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        # Lets a restarted server reuse a port whose old connections are in TIME_WAIT;
        # it does not let two servers listen on one port.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE and any_port_if_taken and port != 0:
            return bind(host, 0)
        if error.errno == errno.EADDRINUSE:
            message = f"error: port {port} on {host} is already in use"
        elif error.errno == errno.EACCES:
            message = f"error: no permission to bind port {port} on {host}"
        else:
            message = f"error: cannot bind {host}:{port}: {error.strerror or error}"
        print(message, file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    return sock


def public_url(host: str, port: int) -> str:
    """The URL a client on this machine should use."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def stdin_is_pipe() -> bool:
    """True when a parent holds our stdin through a pipe (FIFO)."""
    try:
        return stat.S_ISFIFO(os.fstat(0).st_mode)
    except OSError:
        return False


def watch_stdin(server: BaseWSGIServer) -> None:
    """Stop serving once the parent closes our stdin (or dies, which closes it)."""

    def wait_for_eof() -> None:
        try:
            while os.read(0, 65536):
                pass  # whatever the parent writes is ignored; only EOF matters
        except OSError:
            pass
        # The parent may be dead and our stderr a broken pipe: stop first, then say so.
        server.shutdown()
        with contextlib.suppress(OSError):
            print("stdin closed: the parent is gone, stopping", file=sys.stderr, flush=True)

    threading.Thread(target=wait_for_eof, name="stdin-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    """Bind, announce, serve until told to stop; return the exit code."""
    args = parse_args(argv)
    sock = bind(args.host, args.port, args.any_port_if_taken)
    port = sock.getsockname()[1]
    app = create_app({"TRUSTED_HOSTS": trusted_hosts(args.host)})
    server = make_server(
        args.host,
        port,
        app,
        threaded=True,
        request_handler=idle_timeout_handler(args.idle_timeout),
        fd=sock.fileno(),
    )
    sock.close()  # make_server duplicated the descriptor

    def stop(_signum: int, _frame: FrameType | None) -> None:
        # Raising in the main thread ends serve_forever; its finally closes the socket.
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if stdin_is_pipe():
        watch_stdin(server)

    ready: dict[str, object] = {"event": "ready", "url": public_url(args.host, port)}
    if args.port and port != args.port:
        ready["port_in_use"] = args.port
    print(json.dumps(ready), flush=True)
    try:
        server.serve_forever()
    except SystemExit as exit_request:
        return int(exit_request.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
