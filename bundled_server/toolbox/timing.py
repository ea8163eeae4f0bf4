"""Slow and streamed answers: ``/delay``, ``/drip``, ``/stream``, ``/sse``.

All of them are capped (10 s of delay, 60 s of streaming) so a forgotten request
cannot hold a thread for ever. Generators read nothing from ``request``: they run
after the view has returned, outside the request context.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

from flask import Blueprint, Response, current_app, jsonify, request
from flask.blueprints import BlueprintSetupState
from werkzeug.routing import Rule

from ..problems import Problem
from .limits import (
    MAX_DELAY_SECONDS,
    MAX_GENERATED_BYTES,
    MAX_SSE_EVENTS,
    MAX_STREAM_LINES,
    MAX_STREAM_SECONDS,
    bounded,
    number_arg,
    parse_number,
)
from .snapshot import flat

bp = Blueprint("timing", __name__)


def _register(state: BlueprintSetupState) -> None:
    """``/delay`` answers every method (a slow POST is as useful as a slow GET)."""
    state.app.url_map.add(Rule("/delay/<seconds>", endpoint="timing.delay"))
    state.app.view_functions["timing.delay"] = delay


bp.record_once(_register)


def _scale() -> float:
    """How much of each asked-for wait is really waited (the app's TIME_SCALE)."""
    return float(current_app.config.get("TIME_SCALE", 1.0))


def delay(seconds: str) -> Response:
    """Wait ``seconds`` (0–10, fractions allowed), then answer; Server-Timing says how long."""
    wanted = parse_number("seconds", seconds, 0, MAX_DELAY_SECONDS)
    started = time.perf_counter()
    time.sleep(wanted * _scale())
    slept = time.perf_counter() - started
    body_started = time.perf_counter()
    response = jsonify(
        delay_seconds=wanted,
        method=request.method,
        url=request.url,
        args=flat(request.args),
        headers=dict(request.headers.items()),
        origin=request.remote_addr,
    )
    render_ms = (time.perf_counter() - body_started) * 1000
    response.headers["Server-Timing"] = (
        f'delay;dur={slept * 1000:.1f};desc="requested delay", '
        f'render;dur={render_ms:.1f};desc="build the JSON body", '
        f"total;dur={slept * 1000 + render_ms:.1f}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/drip")
def drip() -> Response:
    """``numbytes`` bytes spread over ``duration`` seconds, after ``delay``; status ``code``."""
    numbytes = int(number_arg("numbytes", 10, 1, MAX_GENERATED_BYTES))
    duration = number_arg("duration", 2, 0, MAX_STREAM_SECONDS)
    initial = number_arg("delay", 0, 0, MAX_DELAY_SECONDS)
    code = int(number_arg("code", 200, 200, 599))
    scale = _scale()
    time.sleep(initial * scale)  # before the headers: this is time-to-first-byte
    # At most ~20 writes a second keeps big drips cheap and still visibly slow.
    chunks = max(1, min(numbytes, int(duration * 20) or 1))
    pause = duration / chunks * scale

    def generate() -> Iterator[bytes]:
        sent = 0
        for index in range(chunks):
            size = numbytes * (index + 1) // chunks - sent
            sent += size
            time.sleep(pause)
            yield b"*" * size

    response = Response(generate(), status=code, mimetype="application/octet-stream")
    response.headers["Content-Length"] = str(numbytes)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/stream/<int:n>")
def stream(n: int) -> Response:
    """``n`` lines of NDJSON (at most 100), one every ``interval`` seconds."""
    bounded("n", n, 1, MAX_STREAM_LINES)
    interval = number_arg("interval", 0, 0, 1) * _scale()
    snapshot = {
        "url": request.url,
        "args": flat(request.args),
        "headers": dict(request.headers.items()),
        "origin": request.remote_addr,
    }

    def generate() -> Iterator[str]:
        for index in range(n):
            if index and interval:
                time.sleep(interval)
            yield json.dumps({"id": index, **snapshot}, ensure_ascii=False) + "\n"

    response = Response(generate(), mimetype="application/x-ndjson")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/sse")
def sse() -> Response:
    """Server-sent events, a small lesson in the format: a ``retry:`` line, a comment,
    then ``count`` events (≤ 10,000) one every ``interval`` s (0–10; at most 60 s in
    all), each with an ``id:`` and JSON data. The first has no ``event:`` line, so its
    type is "message", and its data spans two ``data:`` lines (joined with a newline);
    the others are ``tick``s; the last is ``done``. A reconnect that sends
    ``Last-Event-ID: n`` resumes at n + 1. Events keep to a fixed schedule (event i is
    due i × interval after the first), so a late one does not slow the rest."""
    count = int(number_arg("count", 5, 1, MAX_SSE_EVENTS))
    interval = number_arg("interval", 1, 0, MAX_DELAY_SECONDS)
    if (count - 1) * interval > MAX_STREAM_SECONDS:
        raise Problem(
            400,
            f"count × interval must stay within {MAX_STREAM_SECONDS:g} s.",
            kind="invalid-parameter",
        )
    interval *= _scale()  # after the check: the cap is on what was asked
    last = request.headers.get("Last-Event-ID", "").strip()
    start = int(last) + 1 if last.isdigit() and len(last) < 12 else 0

    def generate() -> Iterator[str]:
        yield "retry: 2000\n: a line that starts with a colon is a comment (a keep-alive)\n\n"
        began = time.perf_counter()
        for number in range(count):
            wait = began + number * interval - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            yield _sse_event(start + number, number, count)

    response = Response(generate(), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"  # tells proxies not to buffer the stream
    return response


def _sse_event(event_id: int, number: int, count: int) -> str:
    """One event of /sse: the first a two-line "message", the last "done", ticks between."""
    now = round(time.time(), 3)
    if number == 0:
        data = f'{{"n": {event_id}, "of": {count}, "time": {now},\n'
        note = "data: lines join with a newline; no event: line means type message"
        return f'id: {event_id}\ndata: {data}data:  "note": "{note}"}}\n\n'
    kind = "done" if number == count - 1 else "tick"
    data = json.dumps({"n": event_id, "of": count, "time": now})
    return f"id: {event_id}\nevent: {kind}\ndata: {data}\n\n"
