"""Preparing a request for sending, and sending it.

A request is prepared in one way whoever sends it, the window or `run`:

1. inheritance: an INHERIT auth and (when the request inherits headers) the headers of
   its folders and collection are merged in (`explorer.core.resolve.inheritance`);
2. variables are resolved across the scopes (`explorer.application.scopes`), and the
   problems met are kept (undefined, cycles, too deep, too large); a URL that has no
   scheme once resolved gets http:// (as the window's URL field adds it, visibly);
3. the caller's options (the command line's timeouts and body limit) are applied; the
   window's network defaults (proxy, CA bundle: Preferences) fill in what the request
   leaves to the app, before variables are resolved, so that a proxy URL may name a
   secret variable for its password;
4. relative file paths are taken inside the collection folder, and the files named
   outside it are listed (each front end asks or refuses: `file_access`);
5. the sensitive values of the send are gathered: the values of secret variables and
   of the resolved auth credentials, which the transport keeps from other origins and
   the history redacts.

What comes out is a `PreparedSend`: the request as written (what history keeps), the
request to send, and the problems for the front end to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.collection import Collection, RequestItem
from explorer.core.model import Auth, AuthKind, Request, is_websocket
from explorer.core.preferences import NetworkDefaults
from explorer.core.resolve.file_access import files_outside, resolve_request_files
from explorer.core.resolve.inheritance import effective_request
from explorer.core.resolve.variables import (
    Scope,
    VariableProblem,
    resolve_request_checked,
    secret_values,
)
from explorer.core.urls import with_default_scheme

if TYPE_CHECKING:
    from explorer.core.http.cancel import CancelToken
    from explorer.core.http.exchange import Response
    from explorer.core.http.sse import EventSink
    from explorer.core.http.transport import ProgressCallback, Transport


@dataclass(frozen=True)
class Place:
    """Where a request sits: its collection (secret values filled in) and folder, the
    folder names above it, and whether it inherits headers. The default is a request
    in no collection (a scratch tab): nothing to inherit, no folder to stay in."""

    collection: Collection | None = None
    folder_path: tuple[str, ...] = ()
    inherit_headers: bool = True
    root: Path | None = None


@dataclass(frozen=True)
class SendOptions:
    """Options the caller imposes on every request (the command line's flags), and the
    network defaults for requests that leave proxy and CA bundle to the app (the
    window's Preferences)."""

    timeout: float | None = None
    max_body: int | None = None
    total_timeout: float | None = None
    network: NetworkDefaults | None = None


@dataclass(frozen=True)
class PreparedSend:
    """One request ready to go, and what the front end must know before sending it."""

    written: Request  # as the user wrote it (variables unresolved): what history keeps
    request: Request  # inheritance applied, variables and file paths resolved
    problems: tuple[VariableProblem, ...] = ()
    outside_files: tuple[Path, ...] = ()  # files named outside the collection folder
    sensitive: frozenset[str] = frozenset()  # secret values and credentials of the send

    @property
    def unresolved(self) -> list[str]:
        """The names of the variables left as written, each once, in order."""
        return list(dict.fromkeys(p.name for p in self.problems))

    @classmethod
    def as_is(cls, request: Request) -> PreparedSend:
        """`request` sent exactly as it is (no workspace to prepare it with)."""
        return cls(written=request, request=request)


def effective(written: Request, place: Place) -> Request:
    """`written` with the auth and headers it inherits from its folders and collection.

    A request in no collection has nothing to inherit: an INHERIT auth means none."""
    if place.collection is not None:
        item = RequestItem(written, place.inherit_headers)
        return effective_request(place.collection, place.folder_path, item)
    if written.auth.kind == AuthKind.INHERIT:
        return written.with_changes(auth=Auth())
    return written


def with_options(request: Request, options: SendOptions) -> Request:
    """`request` with the caller's options applied over its own."""
    changed = request.options
    if options.timeout is not None:
        changed = replace(changed, timeout=options.timeout)
    if options.max_body is not None:
        changed = replace(changed, max_body_size=options.max_body)
    if options.total_timeout is not None:
        changed = replace(changed, total_timeout=options.total_timeout)
    return request.with_changes(options=changed)


def prepare_send(
    written: Request,
    place: Place,
    scopes: Sequence[Scope],
    options: SendOptions | None = None,
) -> PreparedSend:
    """The request to send for `written` at `place`, resolved with `scopes` (lowest
    first), and what stands in its way (see the module's docstring)."""
    # Loaded with the first send: the window's first paint does not wait for it.
    from explorer.core.storage.history_redact import auth_secrets

    options = options or SendOptions()
    merged = effective(written, place)
    if options.network is not None:
        merged = merged.with_changes(options=options.network.applied_to(merged.options))
    resolved, problems = resolve_request_checked(merged, scopes)
    with_scheme = with_default_scheme(resolved.url)
    if with_scheme != resolved.url.strip():  # only a missing scheme changes the URL
        resolved = resolved.with_changes(url=with_scheme)
    resolved = with_options(resolved, options)
    outside: list[Path] = []
    # Files named by a collection's request stay inside its folder unless approved. A
    # request in no collection is not confined: its files are the ones the user picked,
    # and relative paths mean what they mean to any program.
    if place.root is not None:
        resolved = resolve_request_files(resolved, place.root)
        outside = files_outside(resolved, place.root)
    sensitive = frozenset(secret_values(scopes) | auth_secrets(resolved.auth))
    return PreparedSend(written, resolved, tuple(problems), tuple(outside), sensitive)


def send(
    transport: Transport,
    prepared: PreparedSend,
    cancel: CancelToken | None = None,
    progress: ProgressCallback | None = None,
    stream_sink: EventSink | None = None,
) -> Response:
    """Send a prepared request; its sensitive values are kept from other origins on a
    redirect; an event stream is told to `stream_sink` as it arrives; a WebSocket request
    is connected and its messages collected (application/streams/ws_run). Raises
    `SendError` for anything that prevents a complete response."""
    if is_websocket(prepared.request):
        from explorer.application.streams.ws_run import collect

        return collect(prepared.request, cancel)
    return transport.send(
        prepared.request,
        cancel,
        progress,
        sensitive=prepared.sensitive,
        stream_sink=stream_sink,
    )
