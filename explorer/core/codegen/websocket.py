"""WebSocket requests as code. A WebSocket is a conversation, not one exchange: the
Python target holds it with the websockets library (connect with the request's headers
and subprotocols, send the saved messages, print what comes back until the request's
collect limits, as a run does); the other targets cannot, and leave the request out
with a comment that says so, rather than writing an HTTP request with the method "WS".
"""

from __future__ import annotations

from collections.abc import Sequence

from explorer.core.codegen.common import Literal, comment_text, sent_headers
from explorer.core.model import AuthKind, MessageKind, Request, is_websocket

# Seconds a generated script listens when the request sets no limit at all.
DEFAULT_LISTEN_SECONDS = 10.0


def left_out_note(request: Request, comment: str) -> list[str]:
    """The comment lines a target without WebSocket writes instead of the request."""
    return [
        f"{comment} Left out: {comment_text(request.method)} {comment_text(request.url)} is a "
        "WebSocket conversation, which this target cannot hold;",
        f"{comment} the Python target writes it with the websockets library.",
    ]


def socket_url(url: str) -> str:
    """The ws:// or wss:// URL (an http:// or https:// one is taken as its socket form,
    as the app does)."""
    lowered = url.lower()
    if lowered.startswith("https://"):
        return "wss://" + url[len("https://") :]
    if lowered.startswith("http://"):
        return "ws://" + url[len("http://") :]
    return url


def uses_websocket(requests: Sequence[Request]) -> bool:
    return any(is_websocket(request) for request in requests)


def python_imports(requests: Sequence[Request]) -> list[str]:
    """The import lines a script with WebSocket requests needs, third-party last."""
    sockets = [request for request in requests if is_websocket(request)]
    if not sockets:
        return []
    lines = ["import time"]
    if any(m.kind == MessageKind.BINARY for r in sockets for m in r.stream.messages):
        lines.insert(0, "import base64")
    return lines


def python_third_party_imports(requests: Sequence[Request]) -> list[str]:
    if not uses_websocket(requests):
        return []
    return [
        "from websockets.exceptions import ConnectionClosed",
        "from websockets.sync.client import connect",
    ]


def python_function(name: str, title: str, request: Request, lit: Literal) -> list[str]:
    """A function that opens the socket, sends the saved messages and prints the ones
    that come back, received ones on stdout (binary ones in hex), until the request's
    collect limits."""
    summary = repr(f"{request.method} {request.url}")[1:-1].replace('"', '\\"')
    if title:
        summary = repr(title)[1:-1].replace('"', '\\"') + ": " + summary
    headers = [(pair.name, pair.value) for pair in sent_headers(request)]
    if request.auth.kind == AuthKind.BEARER:
        headers.insert(0, ("Authorization", "Bearer " + request.auth.token))
    stream = request.stream
    seconds = stream.collect_seconds or DEFAULT_LISTEN_SECONDS
    lines = [f"# {comment_text(title)}"] if title else []
    lines += [
        f"def {name}() -> None:",
        f'    """{summary}"""',
        f"    url = {lit(socket_url(request.url))}",
    ]
    if headers:
        lines.append("    headers = {")
        lines += [f"        {lit(key)}: {lit(value)}," for key, value in headers]
        lines.append("    }")
    arguments = ["url"]
    if headers:
        arguments.append("additional_headers=headers")
    if stream.subprotocols:
        listed = ", ".join(repr(protocol) for protocol in stream.subprotocols)
        arguments.append(f"subprotocols=[{listed}]")
    arguments.append(f"open_timeout={request.options.timeout!r}")
    lines.append(f"    with connect({', '.join(arguments)}) as socket:")
    for message in stream.messages:
        if message.kind == MessageKind.BINARY:
            lines.append(f"        socket.send(base64.b64decode({lit(message.text)}))")
        else:
            lines.append(f"        socket.send({lit(message.text)})")
    limit = stream.collect_messages
    lines += [
        f"        deadline = time.monotonic() + {seconds!r}",
        "        received = 0",
        f"        while {'received < ' + str(limit) + ' and ' if limit else ''}"
        "time.monotonic() < deadline:",
        "            try:",
        "                message = socket.recv(timeout=deadline - time.monotonic())",
        "            except (TimeoutError, ConnectionClosed):",
        "                break",
        "            print(message if isinstance(message, str) else message.hex())",
        "            received += 1",
    ]
    return lines
