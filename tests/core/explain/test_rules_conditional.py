"""Conditional-request rules (RFC 9110 §13): a validator ignored, a 304 that forgets its
ETag or answers nothing, a 412 — on hand-made facts and on real exchanges."""

from __future__ import annotations

from explorer.core.explain.findings import Severity
from explorer.core.http.transport import Transport
from tests.support.explain.cases import (
    canned_server,
    complaints,
    facts,
    fired,
    raw_response,
    send,
    severities,
)

JSON = ("Content-Type", "application/json")


def test_a_200_carrying_the_etag_the_request_named_is_a_warning() -> None:
    asked = [("If-None-Match", '"x", W/"v7"')]
    found = fired(facts([JSON, ("ETag", '"v7"')], asked), "conditional.same-etag-200")
    assert [f.severity for f in found] == [Severity.WARNING]
    assert found[0].summary == 'If-None-Match: "v7" matched, yet the server sent the whole body'
    assert str(found[0].pointer) == "header:ETag"
    assert fired(facts([JSON, ("ETag", '"v8"')], asked), "conditional.same-etag-200") == []
    assert fired(facts([JSON, ("ETag", '"v7"')]), "conditional.same-etag-200") == []
    star = [("If-None-Match", "*")]
    assert fired(facts([JSON, ("ETag", '"v7"')], star), "conditional.same-etag-200") == []


def test_a_304_must_repeat_the_etag_it_confirms() -> None:
    asked = [("If-None-Match", '"v7"')]
    bare = fired(facts([], asked, status=304, body=b""), "conditional.not-modified-without-etag")
    assert [f.severity for f in bare] == [Severity.WARNING]
    other = fired(
        facts([("ETag", '"v9"')], asked, status=304, body=b""),
        "conditional.not-modified-without-etag",
    )
    assert [f.summary for f in other] == [
        '304 Not Modified names ETag "v9", which the request did not send'
    ]
    same = facts([("ETag", 'W/"v7"')], asked, status=304, body=b"")
    assert fired(same, "conditional.not-modified-without-etag") == []
    by_date = facts(
        [], [("If-Modified-Since", "Sat, 05 Dec 2026 10:00:00 GMT")], status=304, body=b""
    )
    assert fired(by_date, "conditional.not-modified-without-etag") == []  # no ETag promised


def test_a_304_to_an_unconditional_request_is_an_error() -> None:
    found = fired(facts([], status=304, body=b""), "conditional.unrequested-304")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert str(found[0].pointer) == "status"
    asked = [("If-Modified-Since", "Sat, 05 Dec 2026 10:00:00 GMT")]
    assert fired(facts([], asked, status=304, body=b""), "conditional.unrequested-304") == []


def test_if_modified_since_ignored_only_when_nothing_changed() -> None:
    since = [("If-Modified-Since", "Sat, 05 Dec 2026 10:00:00 GMT")]
    older = ("Last-Modified", "Fri, 04 Dec 2026 10:00:00 GMT")
    newer = ("Last-Modified", "Sat, 05 Dec 2026 11:00:00 GMT")
    assert severities(facts([JSON, older], since), "conditional.modified-since-ignored") == [
        Severity.WARNING
    ]
    assert fired(facts([JSON, newer], since), "conditional.modified-since-ignored") == []
    with_tag = [*since, ("If-None-Match", '"a"')]  # If-None-Match takes precedence
    assert fired(facts([JSON, older], with_tag), "conditional.modified-since-ignored") == []
    bad_date = [("If-Modified-Since", "yesterday")]
    assert fired(facts([JSON, older], bad_date), "conditional.modified-since-ignored") == []


def test_412_is_explained_when_the_request_set_a_precondition() -> None:
    asked = [("If-Match", '"old"')]
    explained = fired(
        facts([JSON], asked, method="PUT", status=412), "conditional.precondition-failed"
    )
    assert [(f.severity, f.summary) for f in explained] == [
        (Severity.INFO, "412: the If-Match you sent no longer holds")
    ]
    # without one, status.precondition-failed-without-condition (rules_status) says it
    assert fired(facts([JSON], method="PUT", status=412), "conditional.precondition-failed") == []


def test_the_practice_server_revalidates_correctly(live_server: str, transport: Transport) -> None:
    first = send(transport, live_server + "/etag/v1")
    again = send(transport, live_server + "/etag/v1", headers=[("If-None-Match", '"v1"')])
    assert again.status == 304
    assert complaints(first, "conditional.") == complaints(again, "conditional.") == []
    stale = send(
        transport,
        live_server + "/api/items/1",
        method="PUT",
        headers=[("If-Match", '"not-the-current-tag"'), ("Content-Type", "application/json")],
    )
    assert stale.status == 412
    assert severities(stale, "conditional.precondition-failed") == [Severity.INFO]


def test_a_server_that_ignores_validators_or_forgets_the_etag(transport: Transport) -> None:
    routes = {
        "/ignores": raw_response("200 OK", [JSON, ("ETag", '"v1"')], b"{}"),
        "/forgets": raw_response("304 Not Modified", [("Cache-Control", "no-cache")]),
    }
    asked = [("If-None-Match", '"v1"')]
    with canned_server(routes) as base:
        ignores = send(transport, base + "/ignores", headers=asked)
        forgets = send(transport, base + "/forgets", headers=asked)
        unasked = send(transport, base + "/forgets")
    assert complaints(ignores, "conditional.") == ["warning:conditional.same-etag-200"]
    assert complaints(forgets, "conditional.") == ["warning:conditional.not-modified-without-etag"]
    assert complaints(unasked, "conditional.") == ["error:conditional.unrequested-304"]
