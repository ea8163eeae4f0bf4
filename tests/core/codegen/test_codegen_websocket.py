"""A WebSocket request as code: the Python program holds the conversation with
websockets against a server written outside the project (websockets' own echo server);
the other targets leave it out and say so, instead of an HTTP request with method "WS"."""

from __future__ import annotations

import subprocess
import sys

import pytest

from explorer.core.codegen import TARGETS, generate, generate_all
from explorer.core.model import MessageKind, Pair, Request, SavedMessage, Stream
from tests.support.ws_echo_server import ws_echo_server


def socket_request(url: str) -> Request:
    stream = Stream(
        messages=(
            SavedMessage("hi", MessageKind.TEXT, "hello ada"),
            SavedMessage("bytes", MessageKind.BINARY, "AAE="),
        ),
        collect_messages=2,
        collect_seconds=5,
    )
    return Request(method="WS", url=url, headers=(Pair("X-Trace", "t1"),), stream=stream)


def test_the_python_program_sends_the_saved_messages_and_prints_the_answers(tmp_path):
    with ws_echo_server() as url:
        # http:// as the app takes it: the socket form of the URL.
        request = socket_request(url.replace("ws://", "http://") + "/room")
        program = generate("python", request)
        script = tmp_path / "ws.py"
        script.write_text(program, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, timeout=30
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["hello ada", "0001"]
    assert "session.request('WS'" not in program and "websockets" in program


@pytest.mark.parametrize("target", sorted(set(TARGETS) - {"python"}))
def test_other_targets_leave_the_socket_out_and_say_so(target):
    request = socket_request("ws://127.0.0.1:9/chat")
    alone = generate(target, request)
    assert "Left out: WS ws://127.0.0.1:9/chat is a WebSocket conversation" in alone
    assert "'WS'" not in alone and '"WS"' not in alone and "-X WS" not in alone
    mixed = generate_all(target, [("socket", request), ("plain", Request(url="http://h/x"))])
    assert "Left out: WS ws://127.0.0.1:9/chat" in mixed and "http://h/x" in mixed
