"""The loopback redirect listener of a native app (RFC 8252 §7.3).

The authorization server sends the browser back to http://127.0.0.1:PORT/PATH with
`code` and `state`; a tiny HTTP server bound to 127.0.0.1 only receives that ONE
redirect, checks the state, answers the browser with a short page, and closes. The
wait is bounded (`WAIT`) and can be cancelled from another thread.

An empty redirect URI means a free port chosen by the system and the path `/callback`;
a given `http://127.0.0.1:PORT/path` (or `localhost`) is listened on as written, which
is what a provider that registers exact redirect URIs needs.
"""

from __future__ import annotations

import html
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

from explorer.core.auth.oauth2 import OAuth2Failure

WAIT = 300.0  # seconds a person has to finish in the browser
_POLL = 0.1  # how often the wait looks at its cancel flag
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost")  # the listener binds 127.0.0.1
DONE_PAGE = (
    "<!doctype html><meta charset='utf-8'><title>API Explorer</title>"
    "<body style='font-family:sans-serif;margin:3em'><h1>{title}</h1><p>{text}</p>"
)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 5.0  # a browser that connects and sends nothing does not hold the wait

    def do_GET(self) -> None:  # the name http.server calls
        parts = urlsplit(self.path)
        if parts.path != self.server.path:
            self._answer(404, "Not found", "This is API Explorer's sign-in listener.")
            return
        query = {k: v[0] for k, v in parse_qs(parts.query, max_num_fields=50).items()}
        ok = self.server.receive(query)
        if ok:
            self._answer(200, "Signed in", "You can close this tab and return to API Explorer.")
        else:
            self._answer(400, "Sign-in failed", self.server.failure or "")

    def _answer(self, status: int, title: str, text: str) -> None:
        body = DONE_PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return  # the query holds the code: never logged


class _Server(HTTPServer):
    timeout = _POLL

    def __init__(self, port: int, path: str, state: str) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.path = path
        self.state = state
        self.code = ""
        self.failure = ""

    def receive(self, query: dict[str, str]) -> bool:
        """Take the redirect's parameters; whether it brought a code."""
        if query.get("state") != self.state:
            self.failure = (
                "The sign-in redirect came back with another state than was sent: it was "
                "ignored (it may not come from the sign-in you started)."
            )
        elif "error" in query:
            words = query.get("error_description", "")
            detail = f" ({' '.join(words.split())[:300]})" if words else ""
            self.failure = f"The authorization server refused: {query['error']}{detail}"
        elif not query.get("code"):
            self.failure = "The sign-in redirect came back without a code."
        else:
            self.code = query["code"]
            return True
        return False


def listen_address(redirect_uri: str) -> tuple[int, str]:
    """The port (0: any free one) and path to listen on for `redirect_uri`."""
    if not redirect_uri.strip():
        return 0, "/callback"
    parts = urlsplit(redirect_uri.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme != "http" or host not in _LOOPBACK_HOSTS:
        raise OAuth2Failure(
            f"The redirect URI {redirect_uri} is not on this machine: the app can only "
            "receive the sign-in at http://127.0.0.1:PORT/… Leave the field empty to use "
            "a free port (register http://127.0.0.1/callback with the provider)."
        )
    try:
        port = parts.port or 80
    except ValueError:
        raise OAuth2Failure(f"The redirect URI {redirect_uri} has no valid port.") from None
    return port, parts.path or "/"


class LoopbackListener:
    """Listens on 127.0.0.1 for one redirect; use as a context manager (closes)."""

    def __init__(self, redirect_uri: str = "") -> None:
        port, path = listen_address(redirect_uri)
        self._given = redirect_uri.strip()
        try:
            self._server = _Server(port, path, state="")
        except OSError as exc:
            raise OAuth2Failure(
                f"Cannot listen for the sign-in on 127.0.0.1:{port}: {exc.strerror or exc}"
            ) from None
        self._cancelled = threading.Event()

    @property
    def redirect_uri(self) -> str:
        """The redirect URI to send to the authorization server."""
        if self._given:
            return self._given
        return f"http://127.0.0.1:{self._server.server_address[1]}{self._server.path}"

    def cancel(self) -> None:
        """Stop waiting (from any thread)."""
        self._cancelled.set()

    def wait(self, state: str, timeout: float = WAIT) -> str:
        """The code of the one redirect carrying `state`; OAuth2Failure when it brought
        an error or another state, on timeout and on cancel."""
        self._server.state = state
        deadline = time.monotonic() + timeout
        while not self._server.code and not self._server.failure:
            if self._cancelled.is_set():
                raise OAuth2Failure("Sign-in cancelled.")
            if time.monotonic() >= deadline:
                raise OAuth2Failure(
                    f"No sign-in came back within {timeout / 60:.0f} min: try again."
                )
            self._server.handle_request()
        if self._server.failure:
            raise OAuth2Failure(self._server.failure)
        return self._server.code

    def close(self) -> None:
        self._server.server_close()

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def is_loopback(redirect_uri: str) -> bool:
    """Whether the listener can receive a redirect to `redirect_uri` ("" included)."""
    try:
        listen_address(redirect_uri)
    except OAuth2Failure:
        return False
    return True
