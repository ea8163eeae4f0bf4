"""A large response's checks in a child process: the same report as in process, and a
child that cannot answer in time is one clear error (it is killed, nothing hangs)."""

from __future__ import annotations

import pytest

from explorer.application.checking import check_response
from explorer.application.isolated_check import IsolatedCheckError, check_in_child
from explorer.core.http.transport import Transport
from explorer.core.model import Assertion, Capture, Operator, Request, Subject
from explorer.core.resolve.inheritance import inherited_checks
from explorer.core.resolve.variables import Scope

CHECKS = inherited_checks(None, (), Request(
    assertions=(Assertion(Subject.JSONPATH, Operator.EQ, "{{who}}", "$.args.who"),
                Assertion(Subject.STATUS, Operator.EQ, "201")),
    captures=(Capture("method", Subject.JSONPATH, "$.method"),),
))  # fmt: skip
SCOPES = [Scope("global", {"who": "ada"})]


@pytest.fixture(scope="module")
def response(live_server):
    return Transport().send(Request(url=f"{live_server}/anything?who=ada"))


def test_the_child_reports_what_the_process_would(response):
    assert check_in_child(CHECKS, response, SCOPES, None) == check_response(
        CHECKS, response, SCOPES, None
    )
    report = check_in_child(CHECKS, response, SCOPES, None)
    assert [r.passed for r in report.results] == [True, False]
    assert report.captured[0].value == "GET"


def test_a_child_out_of_time_is_one_clear_error(response):
    with pytest.raises(IsolatedCheckError) as caught:
        check_in_child(CHECKS, response, SCOPES, None, time_limit=0.01)
    assert str(caught.value) == "checking took longer than 0.01 s"
