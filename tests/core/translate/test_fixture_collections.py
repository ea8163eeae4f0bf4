"""Whole Postman collections imported: the conversion counts and rows, checked against
what reading their scripts by hand says (tests/fixtures/postman/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.collection import RequestItem, walk_requests
from explorer.core.formats import ImportResult, import_text
from explorer.core.model import Assertion, Capture, Operator, Subject

FIXTURES = Path(__file__).parents[2] / "fixtures" / "postman"
A, S, Op = Assertion, Subject, Operator


def imported(name: str) -> tuple[ImportResult, dict[str, RequestItem]]:
    result = import_text((FIXTURES / name).read_text(encoding="utf-8"), "postman")
    return result, {item.name: item for _, item in walk_requests(result.collection)}


def count_line(converted: int, total: int) -> str:
    rest = total - converted
    tail = f"; the other {rest} are kept as Postman script (shown, not run)" if rest else ""
    return (
        f"Postman tests: converted {converted} of {total} test statements "
        f"into assertions and captures{tail}."
    )


def test_the_workflow_collection() -> None:
    result, items = imported("workflow.postman_collection.json")
    assert result.report[0] == count_line(19, 22)
    login = items["Login"].request
    assert login.assertions == (
        A(S.STATUS, Op.EQ, "200", name="Status code is 200"),
        A(S.JSONPATH, Op.EQ, "Bearer", "$.token_type", name="Token issued"),
        A(S.JSONPATH, Op.IS_TYPE, "string", "$.access_token", name="Token issued"),
        A(S.JSONPATH, Op.GT, "0", "$.expires_in", name="Token issued"),
        A(S.HEADER, Op.EQ, "no-store", "Cache-Control", name="Not cached"),
    )
    assert login.captures == (Capture("token", S.JSONPATH, "$.access_token"),)
    assert login.scripts.kept_post_response == ""
    me = items["Who am I"].request
    assert me.assertions[-1] == A(S.DURATION, Op.LT, "10000")
    assert "me.expires_at" in me.scripts.kept_post_response
    assert "const me = pm.response.json();" in me.scripts.kept_post_response
    created = items["Create todo"].request
    assert created.assertions[0] == A(S.STATUS, Op.EQ, "201", name="Created")
    assert created.captures == (Capture("todoId", S.JSONPATH, "$.id", to_environment=True),)
    read = items["Read todo"].request
    assert read.assertions == (
        A(S.STATUS, Op.EQ, "200", name="Status code is 200"),
        A(S.JSONPATH, Op.EQ, "{{todoId}}", "$.id", name="Same todo"),
    )
    assert "oneOf" in read.scripts.kept_post_response
    assert "console.log" in read.scripts.kept_post_response


@pytest.mark.parametrize(
    ("name", "converted", "total"),
    [
        ("newman/request-chaining-test.postman_collection.json", 4, 10),
        ("newman/newman-report-test.postman_collection.json", 2, 3),
        ("newman/steph.postman_collection.json", 0, 2),
    ],
)
def test_real_collections_counts(name: str, converted: int, total: int) -> None:
    result, _ = imported(name)
    assert result.report[0] == count_line(converted, total)


def test_request_chaining_rows_and_what_is_kept() -> None:
    _, items = imported("newman/request-chaining-test.postman_collection.json")
    first = items["Prelimiary request"].request
    assert first.assertions == (A(S.STATUS, Op.EQ, "200", name="Status code is 200"),)
    # setting a variable to a literal is not a capture from the response: kept
    assert first.captures == ()
    assert first.scripts.kept_post_response.count("postman.") == 4
    second = items["Secondary request"].request
    name = "val1 query param was sent correctly"
    assert second.assertions == (
        A(S.STATUS, Op.EQ, "200", name="Status code is 200"),
        A(S.JSONPATH, Op.EQ, "alpha", "$.args.val", name=name),
        A(S.JSONPATH, Op.EQ, "beta", "$.args.val2", name=name),
    )
    # the alias `var args = …` is used by no kept statement: dropped with its rows
    assert "var args" not in second.scripts.kept_post_response


def test_report_test_rows() -> None:
    _, items = imported("newman/newman-report-test.postman_collection.json")
    request = items["Failed request"].request
    assert request.assertions == (
        A(S.STATUS, Op.EQ, "200", name="Status code is 200"),
        A(S.STATUS, Op.EQ, "400", name="Status code is 400"),
    )
    assert 'tests["Body contains status"] = undefined.alpha;' in (
        request.scripts.kept_post_response
    )


def test_nothing_convertible_keeps_the_script_whole() -> None:
    _, items = imported("newman/steph.postman_collection.json")
    request = items["https://echo.getpostman.com"].request
    assert request.assertions == ()
    assert request.scripts.kept_post_response == (
        "var data = JSON.parse(responseBody);\n"
        'tests["First name is: " + data.form.first] = true;\n'
        'tests["last name is: " + data.form.last] = true;\n'
    )
