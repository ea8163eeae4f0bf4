"""OAuth 2.0 work off the GUI thread: the sign-in in the system browser, refreshing,
fetching, the token a Send needs, reading and clearing the stored one.

Every job runs on a pool of its own (a sign-in waits minutes for a person; it must not
hold the short-job queue), and its result comes back on the GUI thread, to the
callbacks given with it. The sign-in: a loopback listener on 127.0.0.1 (core/auth/
loopback), the authorization URL handed to the GUI thread (`browse`, which opens the
system browser: the ui's business), one redirect waited for, the code exchanged with
the PKCE verifier, the token stored. `cancel(job)` stops a sign-in's wait at once.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.core.auth.tokens import Token, TokenStore
from explorer.core.model import Auth, Request

if TYPE_CHECKING:
    from explorer.core.auth.oauth2 import Connection
    from explorer.core.storage.secrets import SecretStore

OnToken = Callable[[Token | None], None]
OnFailure = Callable[[str], None]
OnUrl = Callable[[str], None]


class _Carrier(QObject):
    url = Signal(int, str)
    done = Signal(int, object)
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(
        self,
        number: int,
        work: Callable[[Callable[[str], None], threading.Event], Token | None],
        carrier: _Carrier,
        cancel: threading.Event,
    ) -> None:
        super().__init__()
        self._number, self._work, self._carrier, self._cancel = number, work, carrier, cancel

    def run(self) -> None:
        from explorer.core.auth.oauth2 import OAuth2Failure

        def browse(url: str) -> None:
            self._carrier.url.emit(self._number, url)

        try:
            token = self._work(browse, self._cancel)
        except OAuth2Failure as failure:
            self._carrier.failed.emit(self._number, str(failure))
        except Exception as exc:  # noqa: BLE001 - a worker must never die silently
            self._carrier.failed.emit(self._number, f"OAuth 2.0 failed unexpectedly: {exc!r}")
        else:
            self._carrier.done.emit(self._number, token)


class OAuthJobs(QObject):
    """OAuth 2.0 jobs for the window; results on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(4)
        self._carrier = _Carrier(self)
        self._carrier.url.connect(self._on_url)
        self._carrier.done.connect(self._on_done)
        self._carrier.failed.connect(self._on_failed)
        self._numbers = itertools.count(1)
        self._waiting: dict[int, tuple[OnToken, OnFailure, OnUrl | None]] = {}
        self._cancels: dict[int, threading.Event] = {}
        # Emitted before the pool (a child) is destroyed, which waits for its jobs: a
        # sign-in waiting minutes for a person must stop first.
        cancels = self._cancels

        def stop_all(*_args: object) -> None:
            for event in list(cancels.values()):
                event.set()

        self.destroyed.connect(stop_all)

    # ---- the jobs ----------------------------------------------------------------------

    def sign_in(
        self,
        auth: Auth,
        store: TokenStore,
        browse: OnUrl,
        done: OnToken,
        failed: OnFailure,
        connection: Connection | None = None,
    ) -> int:
        """The authorization code flow for resolved `auth`; `browse(url)` is called on the
        GUI thread with the URL to open."""

        def work(show: Callable[[str], None], cancel: threading.Event) -> Token:
            from explorer.core.auth import oauth2
            from explorer.core.auth.loopback import LoopbackListener

            settings = auth.oauth2
            with LoopbackListener(settings.redirect_uri) as listener:
                started = oauth2.authorization_request(settings, listener.redirect_uri)

                def watch() -> None:
                    cancel.wait()
                    listener.cancel()

                threading.Thread(target=watch, daemon=True).start()
                show(started.url)
                try:
                    code = listener.wait(started.state)
                finally:
                    cancel.set()  # ends the watcher
            token = oauth2.exchange_code(settings, started, code, connection)
            store.put(settings, token, "")
            return token

        return self._start(work, done, failed, browse)

    def fetch(
        self,
        auth: Auth,
        store: TokenStore,
        done: OnToken,
        failed: OnFailure,
        connection: Connection | None = None,
    ) -> int:
        """A new token without a person (client credentials, password), stored."""

        def work(_show: Callable[[str], None], _cancel: threading.Event) -> Token:
            from explorer.application.oauth import fetch_token, username_of

            token = fetch_token(auth, connection)
            store.put(auth.oauth2, token, username_of(auth))
            return token

        return self._start(work, done, failed)

    def refresh(
        self,
        auth: Auth,
        store: TokenStore,
        done: OnToken,
        failed: OnFailure,
        connection: Connection | None = None,
    ) -> int:
        """The stored token refreshed with its refresh token, stored."""

        def work(_show: Callable[[str], None], _cancel: threading.Event) -> Token:
            from explorer.application.oauth import refresh_token, username_of
            from explorer.core.auth.oauth2 import OAuth2Failure

            token = store.get(auth.oauth2, username_of(auth))
            if token is None or not token.refresh_token:
                raise OAuth2Failure("There is no refresh token: get a new access token.")
            return refresh_token(auth, store, token, connection)

        return self._start(work, done, failed)

    def ensure(
        self,
        auth: Auth,
        store: TokenStore,
        done: OnToken,
        failed: OnFailure,
        connection: Connection | None = None,
    ) -> int:
        """A valid token for a Send: stored, refreshed or fetched (application/oauth)."""

        def work(_show: Callable[[str], None], _cancel: threading.Event) -> Token:
            from explorer.application.oauth import ensure_token

            return ensure_token(auth, store, connection=connection)

        return self._start(work, done, failed)

    def load(self, auth: Auth, store: TokenStore, done: OnToken, failed: OnFailure) -> int:
        """The stored token (None: none), read off the GUI thread."""

        def work(_show: Callable[[str], None], _cancel: threading.Event) -> Token | None:
            from explorer.application.oauth import username_of

            return store.get(auth.oauth2, username_of(auth))

        return self._start(work, done, failed)

    def clear(self, auth: Auth, store: TokenStore, done: OnToken, failed: OnFailure) -> int:
        """Forget the stored token; `done(None)`."""

        def work(_show: Callable[[str], None], _cancel: threading.Event) -> None:
            from explorer.application.oauth import username_of

            store.clear(auth.oauth2, username_of(auth))

        return self._start(work, done, failed)

    def cancel(self, job: int) -> None:
        """Stop a job's waiting (a sign-in); its callbacks are dropped."""
        event = self._cancels.pop(job, None)
        if event is not None:
            event.set()
        self._waiting.pop(job, None)

    def wait(self, msecs: int = 10_000) -> bool:
        """Cancel every sign-in and wait for the jobs (at close)."""
        for event in self._cancels.values():
            event.set()
        return self._pool.waitForDone(msecs)

    # ---- plumbing ----------------------------------------------------------------------

    def _start(
        self,
        work: Callable[[Callable[[str], None], threading.Event], Token | None],
        done: OnToken,
        failed: OnFailure,
        browse: OnUrl | None = None,
    ) -> int:
        number = next(self._numbers)
        cancel = threading.Event()
        self._waiting[number] = (done, failed, browse)
        self._cancels[number] = cancel
        self._pool.start(_Job(number, work, self._carrier, cancel))
        return number

    def _on_url(self, number: int, url: str) -> None:
        entry = self._waiting.get(number)
        if entry is not None and entry[2] is not None:
            entry[2](url)

    def _on_done(self, number: int, token: object) -> None:
        self._cancels.pop(number, None)
        entry = self._waiting.pop(number, None)
        if entry is not None:
            entry[0](token if isinstance(token, Token) else None)

    def _on_failed(self, number: int, message: str) -> None:
        self._cancels.pop(number, None)
        entry = self._waiting.pop(number, None)
        if entry is not None:
            entry[1](message)


class WindowOAuth:
    """The window's OAuth 2.0: one set of jobs, the workspace's token store, and how the
    settings of a page resolve (the window knows which request a page edits: `resolve`
    gives that request with `auth`, resolved). The Auth tab's OAuth 2.0 page finds it
    with `window_oauth()`."""

    def __init__(
        self,
        parent: QObject,
        secrets: SecretStore,
        resolve: Callable[[QObject, Auth], Request],
    ) -> None:
        self._parent = parent
        self._secrets = secrets
        self._resolve = resolve
        self._jobs: OAuthJobs | None = None
        parent.destroyed.connect(self._forget)

    def _forget(self, *_args: object) -> None:
        if window_oauth() is self:  # the window is gone: pages stand alone again
            set_window_oauth(None)

    @property
    def jobs(self) -> OAuthJobs:
        if self._jobs is None:
            self._jobs = OAuthJobs(self._parent)
        return self._jobs

    def resolved(self, page: QObject, auth: Auth) -> Auth:
        return self._resolve(page, auth).auth

    def connection(self, page: QObject, auth: Auth) -> Connection:
        """How the request of `page` reaches its token endpoint (its TLS and proxy)."""
        from explorer.core.auth.oauth2 import Connection  # Authlib: loaded on first use

        return Connection.of(self._resolve(page, auth).options)

    def token_store(self) -> TokenStore:
        return TokenStore(self._secrets)


_window: WindowOAuth | None = None


def set_window_oauth(oauth: WindowOAuth | None) -> None:
    """Make `oauth` the one the Auth tab's pages use (the window, when it is built)."""
    global _window
    _window = oauth


def window_oauth() -> WindowOAuth | None:
    return _window
