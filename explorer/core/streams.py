"""Messages of a stream: the events of a `text/event-stream` response and the frames of
a WebSocket, as one plain record, and as the JSON array the checks of a stream request
see (see docs/ARCHITECTURE.md: Streams).

A run (and `run`) collects a stream request's messages until `Stream.collect_messages`
arrived or `Stream.collect_seconds` passed; its assertions and captures then read that
array with JSONPath: `$[0].data`, `$[?@.type=='greeting'].json.text`, `$` with the
`count` filter.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The most messages one stream keeps: older ones are dropped first (and counted), so an
# endless stream cannot grow without bound. The window's views keep the same number.
MAX_KEPT_MESSAGES = 100_000
# A message's data is kept up to this many characters in the JSON the checks see.
MAX_MESSAGE_CHARS = 1 << 20


@dataclass(frozen=True)
class StreamMessage:
    """One message of a stream, either way."""

    at_ms: float  # milliseconds since the request was sent (SSE) or the socket opened (WS)
    direction: str  # "in" (from the server) or "out" (sent by us)
    type: str  # SSE: the event type ("message" when none); WS: text, binary, ping, pong, close
    data: str  # the text; a binary frame as base64
    id: str = ""  # SSE: the event's id (the last one set); WS: ""
    size: int = 0  # bytes of the payload


def message_record(message: StreamMessage) -> dict[str, Any]:
    """One message as the checks see it: its fields, and `json` when its data parses."""
    data = message.data[:MAX_MESSAGE_CHARS]
    record: dict[str, Any] = {
        "at_ms": round(message.at_ms, 3),
        "direction": message.direction,
        "type": message.type,
        "id": message.id,
        "data": data,
        "size": message.size,
    }
    with contextlib.suppress(ValueError):  # plain text: `data` alone
        record["json"] = json.loads(data)
    return record


def messages_json(messages: Iterable[StreamMessage]) -> bytes:
    """The JSON array the checks of a stream request see."""
    return json.dumps([message_record(m) for m in messages], ensure_ascii=False).encode()
