"""Real-time endpoints over WebSocket (flask-sock on Werkzeug's threaded server): an
echo and a small chat room, for the `realtime` lesson (polling, long polling, SSE and
WebSocket compared).

- ``/ws/echo`` sends every text or binary message back as it came.
- ``/ws/chat?room=NAME&name=NICK``: everyone in the room gets each message as JSON
  ``{"from", "text", "at"}``, and a notice (``from`` "server") when someone joins or
  leaves, so two tabs of the app can talk.

Everything is bounded, as the rest of the server (invariant 7): message size, idle time
(a socket that sends nothing is closed with 1001), rooms, members per room, the length of
names. A socket costs one server thread while it is open, which is why idle ones go.
"""

from __future__ import annotations

import contextlib
import functools
import re
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, request
from flask.blueprints import BlueprintSetupState
from flask_sock import ConnectionClosed, Sock  # type: ignore[import-untyped]

from .problems import Problem

bp = Blueprint("realtime", __name__)
sock = Sock()

MAX_MESSAGE_BYTES = 64 * 1024  # a larger message is refused with close code 1009
ECHO_IDLE_SECONDS = 60.0  # an echo socket silent this long is closed
CHAT_IDLE_SECONDS = 600.0  # a chat member silent this long is let go
PING_SECONDS = 20.0  # the server pings: keeps a quiet socket alive under the idle cut-off
MAX_ROOMS = 20
MAX_MEMBERS = 20
MAX_CHAT_TEXT = 2000  # characters of one chat message
_NAME = re.compile(r"^[\w .-]{1,32}$")


def _setup(state: BlueprintSetupState) -> None:
    state.app.config.setdefault(
        "SOCK_SERVER_OPTIONS",
        {"max_message_size": MAX_MESSAGE_BYTES, "ping_interval": PING_SECONDS},
    )
    state.app.config.setdefault("REALTIME_IDLE_SCALE", 1.0)  # tests make idle times short
    state.app.extensions["realtime"] = Rooms()


bp.record_once(_setup)


def _upgrade_required() -> Response:
    """A plain GET (a browser, a link, the Sample API's request) is answered 426 Upgrade
    Required with the header that says how (RFC 9110 §15.5.22). The WebSocket rules
    match upgrade requests only; without these, Werkzeug's routing answered 400."""
    raise Problem(
        426,
        f"{request.path} is a WebSocket endpoint: connect with ws:// (in API Explorer: "
        "the WS method).",
        # RFC 9110 §7.8: Upgrade goes with Connection: upgrade; and close, which
        # Werkzeug would have said (it ends every connection).
        headers={"Upgrade": "websocket", "Connection": "upgrade, close"},
    )


bp.add_url_rule("/ws/echo", "echo_plain", _upgrade_required, methods=["GET"])
bp.add_url_rule("/ws/chat", "chat_plain", _upgrade_required, methods=["GET"])


def _idle(seconds: float) -> float:
    return seconds * float(current_app.config["REALTIME_IDLE_SCALE"])


def _ends_the_connection(view: Callable[[Any], None]) -> Callable[[Any], None]:
    """Close the TCP connection once the socket is done, as RFC 6455 §7.1.1 asks of a
    server. Werkzeug would otherwise wait for the client to close it first (it drains
    the connection after the view), and the client waits for the server: each side's
    close then took the client's whole close time-out (seconds) to finish."""

    @functools.wraps(view)
    def wrapped(ws: Any) -> None:
        try:
            view(ws)
        except ConnectionClosed:
            pass
        finally:
            with contextlib.suppress(Exception):
                if ws.connected:
                    ws.close()
            # simple-websocket's reader sends the last frame (a close answer, 1009)
            # and then ends: let it, then end the connection.
            ws.thread.join(CLOSE_WAIT_SECONDS)
            with contextlib.suppress(OSError):
                ws.sock.shutdown(socket.SHUT_RDWR)

    return wrapped


CLOSE_WAIT_SECONDS = 2.0


@_ends_the_connection
def echo(ws: Any) -> None:
    """Every message back as it came; closed with 1001 after a minute of silence."""
    idle = _idle(ECHO_IDLE_SECONDS)
    while True:
        message = ws.receive(timeout=idle)
        if message is None:
            ws.close(1001, f"idle for {idle:g} s")
            return
        ws.send(message)


class Rooms:
    """The chat rooms of one app instance: who is in which room, and their sockets.
    Sends to a room are serialised (a socket is not safe to write from two threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, Any]] = {}

    def join(self, room: str, name: str, ws: Any) -> str:
        """ "" when `name` joined `room`, else why not."""
        with self._lock:
            members = self._rooms.get(room)
            if members is None:
                if len(self._rooms) >= MAX_ROOMS:
                    return f"there are already {MAX_ROOMS} rooms"
                members = self._rooms[room] = {}
            if name in members:
                return f"{name!r} is already in {room!r}"
            if len(members) >= MAX_MEMBERS:
                return f"{room!r} is full ({MAX_MEMBERS} people)"
            members[name] = ws
            return ""

    def leave(self, room: str, name: str) -> None:
        with self._lock:
            members = self._rooms.get(room, {})
            members.pop(name, None)
            if not members:
                self._rooms.pop(room, None)

    def names(self, room: str) -> list[str]:
        with self._lock:
            return sorted(self._rooms.get(room, {}))

    def say(self, room: str, sender: str, text: str) -> None:
        """Send `{"from", "text", "at"}` to everyone in `room`; a member whose socket
        is gone is dropped."""
        message = current_app.json.dumps(
            {"from": sender, "text": text, "at": datetime.now(UTC).isoformat(timespec="seconds")}
        )
        with self._lock:
            members = list(self._rooms.get(room, {}).items())
            gone = []
            for name, ws in members:
                try:
                    ws.send(message)
                except (ConnectionClosed, OSError):
                    gone.append(name)
            for name in gone:
                self._rooms.get(room, {}).pop(name, None)


@_ends_the_connection
def chat(ws: Any) -> None:
    """A chat room: join with ?room=&name=, every text message goes to the whole room."""
    room = request.args.get("room", "lobby").strip() or "lobby"
    name = request.args.get("name", "").strip() or "guest"
    if not _NAME.match(room) or not _NAME.match(name):
        ws.close(1008, "room and name: 1 to 32 letters, digits, spaces, . _ -")
        return
    rooms: Rooms = current_app.extensions["realtime"]
    refused = rooms.join(room, name, ws)
    if refused:
        ws.close(1008, refused)
        return
    idle = _idle(CHAT_IDLE_SECONDS)
    try:
        others = [n for n in rooms.names(room) if n != name]
        rooms.say(room, "server", f"{name} joined {room}" + _present(others))
        while True:
            message = ws.receive(timeout=idle)
            if message is None:
                ws.close(1001, f"idle for {idle:g} s")
                return
            if isinstance(message, bytes):
                message = message.decode("utf-8", "replace")
            rooms.say(room, name, message[:MAX_CHAT_TEXT])
    finally:
        rooms.leave(room, name)
        rooms.say(room, "server", f"{name} left {room}")


# flask-sock's decorator, called plainly: it is untyped, and would hide the views' types.
sock.route("/ws/echo", bp=bp)(echo)
sock.route("/ws/chat", bp=bp)(chat)


def _present(others: list[str]) -> str:
    return f" (also here: {', '.join(others)})" if others else " (nobody else here yet)"
