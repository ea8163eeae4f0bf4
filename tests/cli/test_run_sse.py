"""`python -m explorer run` on a request whose response is an event stream: the
practice server's /sse collected and checked as a JSON array, end to end."""

from __future__ import annotations

from pathlib import Path

from explorer.core.collection import Collection, RequestItem, Variable
from explorer.core.model import Assertion, Capture, Operator, Request, Stream, Subject
from explorer.core.storage.collection_files import CollectionStore
from tests.cli.test_cli_run import cli


def jsonpath(path: str, operator: Operator, expected: str) -> Assertion:
    return Assertion(Subject.JSONPATH, operator, expected, argument=path)


def test_run_checks_the_events_of_sse(tmp_path: Path, live_server: str) -> None:
    five = Request(
        name="five events",
        url="{{base}}/sse?count=5&interval=0.001",
        assertions=(
            jsonpath("$", Operator.COUNT, "5"),
            jsonpath("$[0].json.n", Operator.EQ, "0"),
            jsonpath("$[0].type", Operator.EQ, '"message"'),
            jsonpath("$[4].type", Operator.EQ, '"done"'),
            jsonpath("$[1].json.of", Operator.EQ, "5"),
        ),
        captures=(Capture("last", Subject.JSONPATH, "$[-1].id"),),
    )
    three = Request(
        name="first three",
        url="{{base}}/sse?count=1000&interval=0.01",
        assertions=(jsonpath("$", Operator.COUNT, "3"), jsonpath("$[2].id", Operator.EQ, '"2"')),
        stream=Stream(collect_messages=3),
    )
    collection = Collection(
        name="Streams",
        variables=(Variable("base", live_server),),
        items=(RequestItem(five), RequestItem(three)),
    )
    folder = tmp_path / "streams"
    CollectionStore(folder).save(collection)
    result = cli("run", str(folder), home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "2 passed, 0 failed (7 of 7 assertions passed)"
