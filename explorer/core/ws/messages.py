"""WebSocket messages as the user writes them and as the log shows them: a saved or
composed message checked and turned into a frame's payload (text, JSON checked, binary
from base64), and each frame either way as a `StreamMessage`."""

from __future__ import annotations

import base64
import binascii
import json

from explorer.core.model import MessageKind
from explorer.core.streams import StreamMessage

# The largest message sent or received when the request sets no body limit: websockets'
# own default, ample for messages a person reads, small enough to keep 100,000 of.
DEFAULT_MAX_MESSAGE = 1 << 20
# What a close code means, for the log and the state line (RFC 6455 §7.4.1).
CLOSE_MEANINGS = {
    1000: "normal",
    1001: "going away",
    1002: "protocol error",
    1003: "unsupported data",
    1005: "no status",
    1006: "connection lost",
    1007: "invalid data",
    1008: "policy violation",
    1009: "message too big",
    1010: "extension required",
    1011: "server error",
    1012: "service restart",
    1013: "try again later",
    1015: "TLS failure",
}


class MessageProblem(ValueError):
    """A message that cannot be sent as written; the text says why, in one line."""


def payload(kind: MessageKind, text: str, max_size: int = DEFAULT_MAX_MESSAGE) -> str | bytes:
    """The payload of a message of `kind`: text as is, JSON once it parses, binary
    decoded from base64. Raises MessageProblem."""
    if kind == MessageKind.BINARY:
        try:
            data: str | bytes = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise MessageProblem(f"Not valid base64: {exc}") from None
    else:
        if kind == MessageKind.JSON:
            try:
                json.loads(text)
            except ValueError as exc:
                raise MessageProblem(f"Not valid JSON: {exc}") from None
        data = text
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
    if size > max_size:
        raise MessageProblem(f"The message is {size:,} bytes; at most {max_size:,} can be sent")
    return data


def data_message(at_ms: float, direction: str, data: str | bytes) -> StreamMessage:
    """A text or binary frame as a log record (binary as base64)."""
    if isinstance(data, bytes):
        encoded = base64.b64encode(data).decode("ascii")
        return StreamMessage(at_ms, direction, "binary", encoded, size=len(data))
    return StreamMessage(at_ms, direction, "text", data, size=len(data.encode("utf-8")))


def close_text(code: int | None, reason: str) -> str:
    """`1000 normal: bye` for a close frame; `no status` when it carried none."""
    if code is None:
        return "no status"
    meaning = CLOSE_MEANINGS.get(code, "application" if code >= 3000 else "unknown")
    return f"{code} {meaning}" + (f": {reason}" if reason else "")
