"""Problem-details rules (RFC 9457), on hand-made facts and on real exchanges."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from explorer.core.explain.findings import Pointer, Severity
from tests.support.explain.exchanges import findings, ids, make_facts, raw_server, send

PROBLEM = "application/problem+json"


def problem(document: object, status: int = 404, media: str = PROBLEM) -> dict[str, object]:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return {
        "status": status,
        "headers": (("Content-Type", media), ("Content-Length", str(len(data)))),
        "body": data,
        "body_size": len(data),
        "wire_size": len(data),
    }


def notes(rule_id: str, **changes: object) -> list[tuple[Severity, str, Pointer | None]]:
    return [
        (f.severity, f.summary, f.pointer)
        for f in findings(make_facts(**changes), rule_id)
        if f.rule_id == rule_id
    ]


GOOD = {"type": "/probs/out-of-stock", "title": "Out of stock", "status": 404, "detail": "x"}


def test_a_well_formed_problem_draws_nothing() -> None:
    assert ids(make_facts(**problem(GOOD)), "problem.") == []
    blank = {"type": "about:blank", "title": "Not Found", "status": 404}
    assert ids(make_facts(**problem(blank)), "problem.") == []
    assert ids(make_facts(**problem({"status": 404.0})), "problem.") == []


BROKEN = [
    (b"{not json", Severity.ERROR, Pointer("body")),
    (["not", "an", "object"], Severity.ERROR, Pointer("body", "$")),
    ({**GOOD, "status": 400}, Severity.WARNING, Pointer("body", "$.status")),
    ({**GOOD, "status": "404"}, Severity.WARNING, Pointer("body", "$.status")),
    ({**GOOD, "type": 7}, Severity.WARNING, Pointer("body", "$.type")),
    ({**GOOD, "type": "out of stock"}, Severity.WARNING, Pointer("body", "$.type")),
    ({**GOOD, "title": ["x"]}, Severity.WARNING, Pointer("body", "$.title")),
    ({**GOOD, "detail": None}, Severity.WARNING, Pointer("body", "$.detail")),
    (
        {"type": "about:blank", "title": "Item 7 is gone"},
        Severity.INFO,
        Pointer("body", "$.title"),
    ),
]


def test_problem_structure() -> None:
    for document, severity, pointer in BROKEN:  # one item: see test_rules_status
        found = [(s, p) for s, _, p in notes("problem.structure", **problem(document))]
        assert found == [(severity, pointer)], document


def test_the_status_member_is_named_against_the_real_status() -> None:
    [(_, summary, _)] = notes("problem.structure", **problem({**GOOD, "status": 400}))
    assert summary == 'The problem says "status": 400, the response is 404 Not Found'


def test_an_error_shaped_like_a_problem_but_labelled_json_is_a_suggestion() -> None:
    found = notes("problem.not-labelled", **problem(GOOD, media="application/json"))
    assert [s for s, _, _ in found] == [Severity.INFO]
    ordinary = {"error": "not found", "code": 17}
    assert notes("problem.not-labelled", **problem(ordinary, media="application/json")) == []
    assert (
        notes("problem.not-labelled", **problem(GOOD, status=200, media="application/json")) == []
    )


HTML = b"<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>"


def test_an_html_error_page_to_a_json_client_is_a_warning() -> None:
    page = problem(HTML, media="text/html; charset=utf-8")
    asked_json = (("Accept", "application/json"),)
    assert [
        s
        for s, _, _ in notes(
            "problem.html-error-for-json-client", request_headers=asked_json, **page
        )
    ] == [Severity.WARNING]
    # A browser (text/html accepted), or a client that accepts anything, gets no finding.
    browser = (("Accept", "text/html,application/json;q=0.9"),)
    assert notes("problem.html-error-for-json-client", request_headers=browser, **page) == []
    assert notes("problem.html-error-for-json-client", **page) == []
    refused = (("Accept", "application/json, text/html;q=0"),)
    assert len(notes("problem.html-error-for-json-client", request_headers=refused, **page)) == 1
    # A successful HTML page is not an error page.
    ok = problem(HTML, status=200, media="text/html")
    assert notes("problem.html-error-for-json-client", request_headers=asked_json, **ok) == []


def _response(status: str, media: str, data: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {media}\r\nContent-Length: {len(data)}\r\n"
    return head.encode() + b"Connection: close\r\n\r\n" + data


@pytest.fixture(scope="module")
def raw() -> Iterator[str]:
    contradicting = json.dumps({"type": "about:blank", "title": "Bad Request", "status": 400})
    with raw_server(
        {
            "/problem": _response("404 Not Found", PROBLEM, contradicting.encode()),
            "/html-error": _response("404 Not Found", "text/html", HTML),
        }
    ) as server:
        yield server.url


def test_real_mistakes_on_the_wire_are_found(raw: str) -> None:
    assert "problem.structure" in ids(send(f"{raw}/problem"))
    facts = send(f"{raw}/html-error", headers=[("Accept", "application/json")])
    assert ids(facts, "problem.") == ["problem.html-error-for-json-client"]


def test_the_practice_server_speaks_problem_details(live_server: str) -> None:
    json_client = [("Accept", "application/json")]
    exchanges = [
        send(f"{live_server}/status/418", headers=json_client),
        send(f"{live_server}/api/items/999999", headers=json_client),
        send(f"{live_server}/no/such/page", headers=json_client),
        send(f"{live_server}/api/users/1", "DELETE", headers=json_client),
        send(f"{live_server}/api/items", "POST", json_client, body='{"name": 1}'),
    ]
    assert [facts.status for facts in exchanges] == [418, 404, 404, 405, 422]
    for facts in exchanges:
        assert facts.media_type == PROBLEM
        assert ids(facts, "problem.") == [], facts.url


def test_the_practice_servers_problem_mistake_is_found(live_server: str) -> None:
    facts = send(f"{live_server}/mistakes/problem", headers=[("Accept", "application/json")])
    [finding] = findings(facts, "problem.")
    assert (finding.rule_id, finding.severity) == ("problem.structure", Severity.WARNING)
    assert finding.pointer == Pointer("body", "$.status")
