"""The GraphQL editor's schema, fetched by introspection or read from an SDL file, off
the GUI thread, and kept per URL for the session.

The introspection request is the request being edited with its body replaced by the
introspection query: it is prepared by the window exactly as a Send is (inheritance,
variables, secrets, auth, TLS and proxy settings: `explorer.application.sending`) and
sent by `sending.send` on a worker, where the answer is also parsed and the schema built
(`explorer.core.graphql.schema`, bounded), so neither the network nor a large schema
ever holds the window. A newer fetch cancels the one in flight; a stale answer is dropped.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from explorer.qt.background import BackgroundQueue

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from explorer.application.sending import PreparedSend
    from explorer.core.http.cancel import CancelToken
    from explorer.core.model import Request


@dataclass(frozen=True)
class FetchedSchema:
    """A schema, where it came from (a URL or a file) and when (time.time())."""

    schema: GraphQLSchema
    source: str
    at: float
    from_file: bool = False


# The schemas fetched this session, by URL: another tab on the same endpoint, or this one
# reopened, completes at once. Never written to the collection.
_SESSION: dict[str, FetchedSchema] = {}
_MAX_SESSION = 32


def cached(url: str) -> FetchedSchema | None:
    """The schema fetched from `url` this session, if any."""
    return _SESSION.get(url.strip())


def remember(fetched: FetchedSchema, *also: str) -> None:
    """Keep `fetched` for the session under its URL and the URLs `also` (as written,
    `{{base_url}}/graphql`); the oldest goes past `_MAX_SESSION`."""
    for key in dict.fromkeys((fetched.source, *(url.strip() for url in also if url.strip()))):
        _SESSION.pop(key, None)
        _SESSION[key] = fetched
    while len(_SESSION) > _MAX_SESSION:
        _SESSION.pop(next(iter(_SESSION)))


def introspection_request(request: Request) -> Request:
    """`request` (already prepared) asking for the schema instead: a POST of the
    introspection query, answered in at most `MAX_SCHEMA_BYTES`."""
    from explorer.core.graphql.schema import INTROSPECTION_QUERY, MAX_SCHEMA_BYTES
    from explorer.core.model import Body, BodyKind, GraphQL

    body = Body(
        kind=BodyKind.GRAPHQL,
        graphql=GraphQL(query=INTROSPECTION_QUERY, operation_name="IntrospectionQuery"),
    )
    options = replace(request.options, max_body_size=MAX_SCHEMA_BYTES + 1)
    return request.with_changes(method="POST", body=body, options=options)


def introspect(prepared: PreparedSend, cancel: CancelToken | None = None) -> FetchedSchema:
    """Fetch and build the schema at the prepared request's URL (runs on a worker).
    Raises `SchemaError` or `SendError`, each with a one-line message."""
    from explorer.application.sending import send
    from explorer.core.graphql.schema import (
        MAX_SCHEMA_BYTES,
        SchemaError,
        schema_from_introspection,
    )
    from explorer.core.http.transport import Transport

    request = introspection_request(prepared.request)
    response = send(Transport(), replace(prepared, request=request), cancel)
    body, _whole = response.read_body_head(MAX_SCHEMA_BYTES + 1)  # past the bound: refused
    try:
        schema = schema_from_introspection(body)
    except SchemaError as error:
        if response.status >= 400:
            raise SchemaError(f"the server answered {response.status} {response.reason}") from error
        raise
    return FetchedSchema(schema, prepared.request.url.strip(), time.time())


def read_sdl(path: Path) -> FetchedSchema:
    """The schema in the SDL file at `path` (runs on a worker), bounded."""
    from explorer.core.graphql.schema import MAX_SCHEMA_BYTES, SchemaError, schema_from_sdl

    try:
        size = path.stat().st_size
        if size > MAX_SCHEMA_BYTES:
            raise SchemaError(f"{path.name} is larger than {MAX_SCHEMA_BYTES // 2**20} MiB")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise SchemaError(f"cannot read {path.name}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise SchemaError(f"{path.name} is not UTF-8 text") from None
    return FetchedSchema(schema_from_sdl(text), str(path), time.time(), from_file=True)


class SchemaFetcher(QObject):
    """Fetches or reads one editor's schema; `fetched(FetchedSchema)` or `failed(str)`
    follow on the GUI thread, for the latest job only."""

    fetched = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue = BackgroundQueue(self)
        self._tickets = itertools.count(1)
        self._latest = 0
        self._cancel: CancelToken | None = None

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def fetch(self, prepared: PreparedSend) -> None:
        """Introspect the prepared request's URL (cancelling a fetch in flight)."""
        from explorer.core.http.cancel import CancelToken

        self.cancel()
        cancel = self._cancel = CancelToken()
        self._start(lambda: introspect(prepared, cancel))

    def load(self, path: Path) -> None:
        """Read the SDL file at `path`."""
        self.cancel()
        self._start(lambda: read_sdl(path))

    def cancel(self) -> None:
        """Drop the job in flight: its result will not be delivered."""
        if self._cancel is not None:
            self._cancel.cancel()
            self._cancel = None
        self._latest = next(self._tickets)

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until the jobs queued have run (at close, in tests)."""
        return self._queue.wait(msecs)

    def _start(self, work: Callable[[], FetchedSchema]) -> None:
        ticket = self._latest = next(self._tickets)
        self._queue.run(
            work,
            functools.partial(self._done, ticket),
            functools.partial(self._error, ticket),
        )

    def _done(self, ticket: int, result: object) -> None:
        if ticket != self._latest:
            return
        self._cancel = None
        if isinstance(result, FetchedSchema):
            if not result.from_file:
                remember(result)
            self.fetched.emit(result)

    def _error(self, ticket: int, error: Exception) -> None:
        if ticket != self._latest:
            return
        self._cancel = None
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        self.failed.emit(" ".join(str(message).split())[:300])
