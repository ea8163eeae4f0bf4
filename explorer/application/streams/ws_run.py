"""A WebSocket request in a run (and `run`): connect, send the saved messages in order,
collect what comes back until `Stream.collect_messages` incoming messages or
`Stream.collect_seconds`, close. Its assertions and captures then see a synthetic
response: the handshake's status (101) and headers, and as its JSON body the collected
messages (core/streams.messages_json), both ways, in order."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import replace
from typing import TYPE_CHECKING

from explorer.core.http import limits
from explorer.core.http.exchange import ErrorKind, Response, SendError
from explorer.core.streams import MAX_KEPT_MESSAGES, StreamMessage, messages_json
from explorer.core.ws.connection import open_connection
from explorer.core.ws.messages import DEFAULT_MAX_MESSAGE, MessageProblem, payload

if TYPE_CHECKING:
    from explorer.core.http.cancel import CancelToken
    from explorer.core.model import Request

# Collecting never goes on longer than this, whatever the request says (0 = "until the
# other side ends" included): a run must end.
MAX_COLLECT_SECONDS = 300.0
# How often a wait looks at the cancel token.
CANCEL_POLL = 0.1


def max_message_size(request: Request) -> int:
    """The largest message accepted: the request's body limit, else 1 MiB."""
    if request.options.max_body_size:
        return limits.max_body_size(request.options, 0)
    return DEFAULT_MAX_MESSAGE


def collect(request: Request, cancel: CancelToken | None = None) -> Response:
    """Run `request`'s WebSocket as the module says and return the synthetic response.
    Raises SendError when it cannot open, or a saved message cannot be sent."""
    started = time.perf_counter()
    kept: deque[StreamMessage] = deque(maxlen=MAX_KEPT_MESSAGES)
    incoming = 0
    enough = threading.Event()
    stream = request.stream

    def sink(message: StreamMessage) -> None:
        nonlocal incoming
        kept.append(message)
        if message.direction == "in" and message.type in ("text", "binary"):
            incoming += 1
            if stream.collect_messages and incoming >= stream.collect_messages:
                enough.set()

    size = max_message_size(request)
    connection = open_connection(request, sink, size)
    try:
        for saved in stream.messages:
            try:
                connection.send(payload(saved.kind, saved.text, size))
            except MessageProblem as exc:
                name = f" {saved.name!r}" if saved.name else ""
                raise SendError(ErrorKind.INVALID_BODY, f"Message{name}: {exc}", "") from None
        seconds = stream.collect_seconds or MAX_COLLECT_SECONDS
        deadline = time.perf_counter() + min(seconds, MAX_COLLECT_SECONDS)

        def stop() -> bool:
            return enough.is_set() or (cancel is not None and cancel.stopped)

        while not stop() and time.perf_counter() < deadline:
            step = min(deadline, time.perf_counter() + CANCEL_POLL)
            if connection.receive(step, stop) is not None:
                break  # the other side closed
        if cancel is not None and cancel.stopped:
            raise SendError(ErrorKind.CANCELLED, "The run was cancelled", "")
    except Exception:
        connection.abort()
        raise
    connection.close()
    connection.receive(time.perf_counter() + 1.0)  # the server's close frame, if it comes
    body = messages_json(kept)
    handshake = connection.handshake
    elapsed = (time.perf_counter() - started) * 1000.0
    return replace(
        handshake,
        body=body,
        body_size=len(body),
        elapsed_ms=elapsed,
        timing=replace(handshake.timing, download=elapsed - handshake.timing.total, total=elapsed),
    )
