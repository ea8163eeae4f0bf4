"""A WebSocket request in a run: connect, send the saved messages, collect until a count
or a time, close; the checks see the messages as a JSON body of a 101 response. Against
the outside echo server (websockets' own) and through `application/sending.send`, the
path `run` takes."""

from __future__ import annotations

import json

import pytest

from explorer.application.checking import check_response
from explorer.application.sending import PreparedSend, send
from explorer.core.http.exchange import ErrorKind, SendError
from explorer.core.http.transport import Transport
from explorer.core.model import (
    Assertion,
    MessageKind,
    Operator,
    Request,
    SavedMessage,
    Stream,
    Subject,
)
from explorer.core.resolve.inheritance import inherited_checks
from tests.support.ws_echo_server import ws_echo_server


@pytest.fixture(scope="module")
def echo_url():
    with ws_echo_server() as url:
        yield url


def saved(*messages: SavedMessage, count: int = 0, seconds: float = 5.0) -> Stream:
    return Stream(messages=messages, collect_messages=count, collect_seconds=seconds)


def test_the_saved_messages_go_in_order_and_the_echoes_are_checked(echo_url):
    stream = saved(
        SavedMessage("hi", MessageKind.TEXT, "hello"),
        SavedMessage("n", MessageKind.JSON, '{"n": 7}'),
        SavedMessage("bytes", MessageKind.BINARY, "AAE="),
        count=3,
    )
    request = Request(method="WS", url=echo_url, stream=stream)
    response = send(Transport(), PreparedSend.as_is(request))
    assert response.status == 101
    records = json.loads(response.body)
    assert [(r["direction"], r["type"]) for r in records[:3]] == [("out", "text")] * 2 + [
        ("out", "binary")
    ]
    incoming = [r for r in records if r["direction"] == "in" and r["type"] != "close"]
    assert [r["data"] for r in incoming] == ["hello", '{"n": 7}', "AAE="]
    request = request.with_changes(
        assertions=(
            Assertion(Subject.STATUS, Operator.EQ, "101"),
            Assertion(Subject.JSONPATH, Operator.EQ, "7", "$[4].json.n"),
            Assertion(Subject.JSONPATH, Operator.EQ, "8", "$", ("count",)),
        )
    )
    checks = inherited_checks(None, (), request)
    report = check_response(checks, response, [], None)
    assert [r.passed for r in report.results] == [True, True, True], report.results


def test_collecting_stops_at_the_time_when_the_count_never_comes(echo_url):
    request = Request(method="WS", url=echo_url, stream=saved(count=5, seconds=0.2))
    response = send(Transport(), PreparedSend.as_is(request))
    assert json.loads(response.body) == [] or all(
        r["type"] == "close" for r in json.loads(response.body)
    )
    assert 150 < response.elapsed_ms < 3000


def test_a_saved_message_that_is_not_json_stops_the_request(echo_url):
    stream = saved(SavedMessage("broken", MessageKind.JSON, "{nope"))
    with pytest.raises(SendError) as raised:
        send(Transport(), PreparedSend.as_is(Request(method="WS", url=echo_url, stream=stream)))
    assert raised.value.kind == ErrorKind.INVALID_BODY
    assert raised.value.message.startswith("Message 'broken': Not valid JSON")
