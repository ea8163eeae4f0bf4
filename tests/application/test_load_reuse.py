"""A load test's user prepares each request once per distinct variable values
(explorer/application/load/reuse), and prepares it anew whenever the values could differ:
a captured value that changed, a dynamic variable, a value naming another variable.
Against a real socket server (the recording server), with the run engine's own turns."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.application.load.reuse import ReusingRun, reusable
from explorer.application.running import RunPlan, whole_collection
from explorer.core.collection import Collection, RequestItem
from explorer.core.http.transport import Transport
from explorer.core.model import Capture, Pair, Request, Subject
from explorer.core.resolve.variables import Scope
from tests.support.recording_server import RecordingServer


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as server:
        yield server


@pytest.fixture(scope="module")
def transport() -> Iterator[Transport]:
    transport = Transport()
    yield transport
    transport.close()


def _plan(url: str, header: str, scopes: tuple[Scope, ...] = ()) -> RunPlan:
    request = Request(
        method="POST", name="r", url=f"{url}/echo", headers=(Pair("X-Id", header),),
        captures=(Capture("seen", Subject.HEADER, "Content-Type"),),
    )  # fmt: skip
    collection = Collection(name="C", items=(RequestItem(request),))
    return RunPlan(collection, whole_collection(collection), scopes=scopes)


def _sent_ids(
    run: ReusingRun, transport: Transport, server: RecordingServer, turns: int
) -> list[str | None]:
    server.take()
    for turn in range(1, turns + 1):
        assert run.turn(transport, turn, 0).status == 200
    return [recorded.header_text("X-Id") for recorded in server.take()]


def test_a_static_request_is_prepared_once(server, transport):
    plan = _plan(server.url, "{{id}}", (Scope("env", {"id": "7"}),))
    run = ReusingRun(plan, transport)
    ids = _sent_ids(run, transport, server, 3)
    assert ids == ["7", "7", "7"]
    # One preparation before the capture, one after it (the run scope changed).
    assert len(run._prepared) == 2


def test_dynamic_variables_and_values_naming_variables_are_prepared_every_time(server, transport):
    dynamic = _plan(server.url, "{{$uuid}}")
    assert not reusable(dynamic)
    ids = _sent_ids(ReusingRun(dynamic, transport), transport, server, 3)
    assert len(set(ids)) == 3
    nested = _plan(server.url, "{{id}}", (Scope("env", {"id": "{{$uuid}}"}),))
    assert not reusable(nested)
    ids = _sent_ids(ReusingRun(nested, transport), transport, server, 3)
    assert len(set(ids)) == 3


def test_a_reused_preparation_keeps_its_shown_url_and_mask(server, transport):
    """The head of a turn's result (URL as shown, the mask of the send's secrets) is
    made once per preparation, and a secret stays masked in every later turn."""
    request = Request(name="r", url=f"{server.url}/status/503?key={{{{key}}}}")
    collection = Collection(name="C", items=(RequestItem(request),))
    secret = Scope("env", {"key": "s3cr3t-value"}, frozenset({"key"}))
    run = ReusingRun(RunPlan(collection, whole_collection(collection), scopes=(secret,)), transport)
    results = [run.turn(transport, turn, 0) for turn in (1, 2, 3)]
    assert [r.status for r in results] == [503, 503, 503]
    assert [r.iteration for r in results] == [1, 2, 3]
    assert all("s3cr3t" not in r.url and "key=" in r.url for r in results)
    assert len(run._heads) == 1
