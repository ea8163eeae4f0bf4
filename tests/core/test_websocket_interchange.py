"""WebSocket requests in other tools' files: httpyac's `WS url` in .http files (both ways),
Insomnia's websocket_request with its websocket_payload (v4) and ws-req items (v5)."""

from __future__ import annotations

import json

from explorer.core.collection import Collection, RequestItem, walk_requests
from explorer.core.dothttp.exporter import export_http_files
from explorer.core.dothttp.parser import import_http
from explorer.core.formats import convert
from explorer.core.model import MessageKind, Pair, Request, SavedMessage, Stream

HTTPYAC = """\
WS ws://localhost:8765/ws/chat?room=lobby
Origin: http://localhost

{"text": "hello"}

###
GET http://localhost:8765/health
"""


def test_an_httpyac_websocket_reads_and_writes_back_the_same():
    collection = import_http(HTTPYAC).collection
    request = collection.items[0].request  # type: ignore[union-attr]
    assert (request.method, request.url) == ("WS", "ws://localhost:8765/ws/chat")
    assert request.params == (Pair("room", "lobby"),)
    assert request.headers == (Pair("Origin", "http://localhost"),)
    assert request.stream.messages == (
        SavedMessage("message", MessageKind.JSON, '{"text": "hello"}'),
    )
    exported = export_http_files(collection)
    assert (
        'WS ws://localhost:8765/ws/chat?room=lobby\nOrigin: http://localhost\n\n{"text": "hello"}'
        in exported.text
    )
    assert import_http(exported.text).collection.items[0] == collection.items[0]


def test_what_an_http_file_cannot_hold_is_reported():
    stream = Stream(
        messages=(
            SavedMessage("a", MessageKind.TEXT, "first"),
            SavedMessage("b", MessageKind.BINARY, "AAE="),
            SavedMessage("c", MessageKind.TEXT, "third"),
        )
    )
    request = Request(method="WS", url="ws://h/s", name="socket", stream=stream)
    exported = export_http_files(Collection("C", items=(RequestItem(request),)))
    assert "WS ws://h/s\n\nfirst" in exported.text
    assert any("2 more saved message(s) were left out" in loss for loss in exported.losses)


def test_an_insomnia_v4_websocket_and_its_payload():
    resources = [
        {"_id": "wrk_1", "_type": "workspace", "name": "Live", "parentId": None},
        {"_id": "ws-req_1", "_type": "websocket_request", "parentId": "wrk_1",
         "name": "Ticker", "url": "wss://example.test/ticker",
         "headers": [{"name": "X-Key", "value": "{{ _.key }}"}],
         "parameters": [{"name": "pair", "value": "EURUSD"}],
         "authentication": {"type": "bearer", "token": "t"}},
        {"_id": "ws-payload_1", "_type": "websocket_payload", "parentId": "ws-req_1",
         "name": "subscribe", "value": "{\"op\": \"sub\"}", "mode": "application/json"},
    ]  # fmt: skip
    text = json.dumps({"_type": "export", "__export_format": 4, "resources": resources})
    imported = convert(text)
    assert imported.format == "insomnia"
    result = imported.result
    [(_path, item)] = walk_requests(result.collection)
    request = item.request
    assert (request.method, request.url, request.name) == (
        "WS",
        "wss://example.test/ticker",
        "Ticker",
    )
    assert request.params == (Pair("pair", "EURUSD"),)
    assert request.headers == (Pair("X-Key", "{{key}}"),)
    assert request.auth.kind.value == "bearer"
    assert request.stream.messages == (
        SavedMessage("subscribe", MessageKind.JSON, '{"op": "sub"}'),
    )
    assert not any("websocket" in line for line in result.report)


def test_a_postman_export_says_websockets_do_not_fit():
    from explorer.core.formats.postman_export import export_postman_report

    stream = Stream(messages=(SavedMessage("a", MessageKind.TEXT, "hi"),))
    request = Request(method="WS", url="ws://h/s", name="socket", stream=stream)
    _text, losses = export_postman_report(Collection("C", items=(RequestItem(request),)))
    assert any(loss.startswith("WebSocket requests (1) have no place") for loss in losses)


def test_every_export_says_what_becomes_of_a_websocket():
    """Hurl and Bruno files have no WebSocket request: their exports say so (as
    Postman's does); an .http file carries httpyac's `WS url`, which is no unknown
    method to httpyac."""
    from explorer.application.exporting import collection_export

    stream = Stream(messages=(SavedMessage("a", MessageKind.TEXT, "hi"),))
    request = Request(method="WS", url="ws://h/s", name="socket", stream=stream)
    collection = Collection("C", items=(RequestItem(request),))
    for format in ("hurl", "bruno", "postman"):
        report = collection_export(collection, format).report
        assert any(line.startswith("WebSocket requests (1) have no place") for line in report)
    assert not any("WS" in line for line in collection_export(collection, "http").report)
