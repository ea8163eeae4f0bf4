"""WebSocket requests in .http files, as httpyac writes them: `WS ws://host/path`, headers,
and a body that httpyac sends as the first message once connected (REST Client and
JetBrains have no WebSocket request). Here the body is the request's one saved message,
both ways; what a file cannot hold is said in the export's report."""

from __future__ import annotations

import json
from dataclasses import replace

from explorer.core.model import Body, BodyKind, MessageKind, Request, SavedMessage, is_websocket


def websocket_from_http(request: Request) -> Request:
    """A `WS` request read from a file: its body becomes its saved message (JSON when
    it parses, else text)."""
    if not is_websocket(request) or request.body.kind != BodyKind.RAW:
        return request
    text = request.body.text
    try:
        json.loads(text)
        kind = MessageKind.JSON
    except ValueError:
        kind = MessageKind.TEXT
    stream = replace(request.stream, messages=(SavedMessage("message", kind, text),))
    return request.with_changes(body=Body(), stream=stream)


def websocket_for_http(request: Request) -> tuple[Request, str]:
    """A WebSocket request as a file can write it (its first text or JSON message as the
    body), and a note on what is left out ("" when nothing is)."""
    if not is_websocket(request):
        return request, ""
    messages = request.stream.messages
    first = next((m for m in messages if m.kind != MessageKind.BINARY), None)
    left = len(messages) - (first is not None)
    body = Body(BodyKind.RAW, text=first.text) if first is not None and first.text else Body()
    note = ""
    if left:
        note = (
            f"{request.name or request.url}: a WebSocket request keeps one message in an "
            f".http file (httpyac sends the body once connected); {left} more saved "
            "message(s) were left out."
        )
    return request.with_changes(body=body), note
