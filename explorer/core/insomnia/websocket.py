"""Insomnia's WebSocket requests: a `websocket_request` resource (URL, headers, query,
authentication, as a request has) and its `websocket_payload` child, the message its
editor holds (`value`, with `mode` application/json or text). They import as requests
whose method is WS, the payload as the one saved message. In a v5 file such a request
is an item whose id starts with `ws-req` (see v5.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from explorer.core.model import (
    WEBSOCKET_METHOD,
    Body,
    MessageKind,
    Request,
    SavedMessage,
    Stream,
)

WEBSOCKET_TYPES = ("websocket_request", "websocket_payload")


def websocket_request(request: Request, payloads: Iterable[Mapping[str, Any]]) -> Request:
    """`request` (read from a `websocket_request` as any request is) as a WebSocket, its
    `websocket_payload` children as its saved messages."""
    messages = tuple(m for m in map(_message, payloads) if m is not None)
    stream = Stream(messages=messages)
    return request.with_changes(method=WEBSOCKET_METHOD, body=Body(), stream=stream)


def _message(payload: Mapping[str, Any]) -> SavedMessage | None:
    value = payload.get("value")
    if not isinstance(value, str) or not value:
        return None
    kind = MessageKind.TEXT
    if "json" in str(payload.get("mode") or ""):
        try:
            json.loads(value)
            kind = MessageKind.JSON
        except ValueError:
            pass
    name = payload.get("name")
    return SavedMessage(name if isinstance(name, str) and name else "payload", kind, value)
