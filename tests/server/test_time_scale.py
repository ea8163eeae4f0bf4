"""TIME_SCALE shortens every wait of the slow endpoints (tests that run the whole Sample
API use it); the answer still names the wait that was asked for."""

from __future__ import annotations

import time

from bundled_server import create_app


def _timed(app_config: dict[str, object], path: str) -> tuple[float, object]:
    client = create_app({"TESTING": True, **app_config}).test_client()
    started = time.perf_counter()
    answer = client.get(path)
    body = answer.get_data()  # a streamed answer waits while it is read
    return time.perf_counter() - started, answer.get_json(silent=True) or body


def test_a_scaled_delay_is_shorter_and_says_what_was_asked() -> None:
    seconds, body = _timed({"TIME_SCALE": 0.01}, "/delay/1")
    assert seconds < 0.5
    assert isinstance(body, dict) and body["delay_seconds"] == 1


def test_without_a_scale_the_server_waits_what_was_asked() -> None:
    seconds, _body = _timed({}, "/delay/0.3")
    assert seconds >= 0.3


def test_scaled_streams_are_shorter() -> None:
    for path in ("/drip?duration=1&delay=1", "/sse?count=3&interval=1"):
        seconds, _body = _timed({"TIME_SCALE": 0.01}, path)
        assert seconds < 0.5, path
