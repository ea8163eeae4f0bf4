"""CORS rules (Fetch): credentials with "*", an echoed origin without Vary, lists, "null",
preflights that do not allow what was asked — hand-made facts, the practice server's
own-origin CORS and a raw server that gets it wrong."""

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

INFO, WARNING, ERROR = Severity.INFO, Severity.WARNING, Severity.ERROR
JSON = ("Content-Type", "application/json")
APP = "https://app.example"
FROM_APP = [("Origin", APP)]


def acao(
    value: str, *more: tuple[str, str], request: list[tuple[str, str]] = FROM_APP, **kw: object
) -> object:
    return facts([JSON, ("Access-Control-Allow-Origin", value), *more], request, **kw)  # type: ignore[arg-type]


def test_a_wildcard_with_credentials_is_an_error() -> None:
    found = fired(
        acao("*", ("Access-Control-Allow-Credentials", "true")), "cors.credentials-with-wildcard"
    )
    assert [f.severity for f in found] == [ERROR]
    assert str(found[0].pointer) == "header:Access-Control-Allow-Origin"
    assert fired(acao("*"), "cors.credentials-with-wildcard") == []
    echoed = acao(APP, ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"))
    assert fired(echoed, "cors.credentials-with-wildcard") == []


def test_an_echoed_origin_needs_vary_origin() -> None:
    found = fired(acao(APP), "cors.vary-origin-missing")
    assert [(f.severity, f.summary) for f in found] == [
        (WARNING, f"Access-Control-Allow-Origin echoes {APP} without Vary: Origin")
    ]
    assert str(found[0].pointer) == "header:Vary"
    assert fired(acao(APP, ("Vary", "Accept, Origin")), "cors.vary-origin-missing") == []
    assert fired(acao("*"), "cors.vary-origin-missing") == []
    fixed_partner = acao("https://partner.example")  # not the request's Origin: fixed
    assert fired(fixed_partner, "cors.vary-origin-missing") == []
    assert fired(acao(APP, ("Cache-Control", "no-store")), "cors.vary-origin-missing") == []
    assert fired(acao(APP, method="POST"), "cors.vary-origin-missing") == []


def test_lists_null_and_credentials_values() -> None:
    assert severities(acao(f"{APP}, https://b.example"), "cors.multiple-origins") == [ERROR]
    assert severities(acao(f"{APP} https://b.example"), "cors.multiple-origins") == [ERROR]
    two_lines = facts([("Access-Control-Allow-Origin", APP), ("Access-Control-Allow-Origin", "*")])
    assert severities(two_lines, "cors.multiple-origins") == [ERROR]
    assert fired(acao(APP), "cors.multiple-origins") == []
    assert severities(acao("null"), "cors.null-origin") == [WARNING]
    assert fired(acao(APP), "cors.null-origin") == []
    for value in ("false", "TRUE", ""):
        wrong = acao(APP, ("Access-Control-Allow-Credentials", value))
        assert severities(wrong, "cors.credentials-not-true") == [WARNING], value
    right = acao(APP, ("Access-Control-Allow-Credentials", "true"))
    assert fired(right, "cors.credentials-not-true") == []


def preflight(*headers: tuple[str, str], method: str = "PUT", asked_headers: str = "") -> object:
    request = [*FROM_APP, ("Access-Control-Request-Method", method)]
    if asked_headers:
        request.append(("Access-Control-Request-Headers", asked_headers))
    return facts(
        [("Access-Control-Allow-Origin", APP), *headers], request, method="OPTIONS", body=b""
    )


def test_preflights_must_allow_the_method_and_headers_asked_for() -> None:
    found = fired(preflight(), "cors.preflight-without-methods")
    assert [(f.severity, f.summary) for f in found] == [
        (WARNING, "Preflight for PUT, but Access-Control-Allow-Methods is missing")
    ]
    listed = preflight(("Access-Control-Allow-Methods", "GET, POST"))
    assert "does not list it" in fired(listed, "cors.preflight-without-methods")[0].summary
    assert (
        fired(
            preflight(("Access-Control-Allow-Methods", "GET, PUT")),
            "cors.preflight-without-methods",
        )
        == []
    )
    assert fired(preflight(method="POST"), "cors.preflight-without-methods") == []  # safelisted
    assert (
        fired(preflight(("Access-Control-Allow-Methods", "*")), "cors.preflight-without-methods")
        == []
    )
    methods = ("Access-Control-Allow-Methods", "PUT")
    asked = "Authorization, Content-Type"
    missing = fired(preflight(methods, asked_headers=asked), "cors.preflight-without-headers")
    assert [f.summary for f in missing] == [
        "Preflight asked to send authorization, content-type, which "
        "Access-Control-Allow-Headers does not allow"
    ]
    star = preflight(methods, ("Access-Control-Allow-Headers", "*"), asked_headers=asked)
    assert "authorization" in fired(star, "cors.preflight-without-headers")[0].summary
    allowed = preflight(
        methods, ("Access-Control-Allow-Headers", "authorization,content-type"), asked_headers=asked
    )
    assert fired(allowed, "cors.preflight-without-headers") == []


def test_an_origin_the_answer_does_not_allow_is_noted() -> None:
    refused = fired(facts([JSON], FROM_APP), "cors.origin-not-allowed")
    assert [(f.severity, f.summary) for f in refused] == [
        (
            INFO,
            f"A page on {APP} could not read this response: "
            "the answer has no Access-Control-Allow-Origin",
        )
    ]
    other = fired(acao("https://partner.example"), "cors.origin-not-allowed")
    assert "allows https://partner.example only" in other[0].summary
    assert fired(acao(APP), "cors.origin-not-allowed") == []
    assert fired(acao("*"), "cors.origin-not-allowed") == []
    assert fired(facts([JSON]), "cors.origin-not-allowed") == []  # no Origin: not a CORS request


def test_the_practice_servers_cors_draws_no_warning(live_server: str, transport: Transport) -> None:
    own = [("Origin", live_server)]
    simple = send(transport, live_server + "/api/items", headers=own)
    assert simple.header("Access-Control-Allow-Origin") == live_server
    asked = [
        *own,
        ("Access-Control-Request-Method", "PUT"),
        ("Access-Control-Request-Headers", "content-type"),
    ]
    checked = send(transport, live_server + "/api/items", method="OPTIONS", headers=asked)
    assert complaints(simple, "cors.") == complaints(checked, "cors.") == []
    foreign = send(transport, live_server + "/api/items", headers=FROM_APP)
    assert severities(foreign, "cors.origin-not-allowed") == [INFO]
    assert complaints(foreign, "cors.") == []


def test_a_server_that_gets_cors_wrong(transport: Transport) -> None:
    routes = {
        "/wildcard": raw_response(
            "200 OK",
            [
                JSON,
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Credentials", "true"),
            ],
            b"{}",
        ),
        "/echo": raw_response("200 OK", [JSON, ("Access-Control-Allow-Origin", APP)], b"{}"),
    }
    with canned_server(routes) as base:
        wildcard = send(transport, base + "/wildcard", headers=FROM_APP)
        echo = send(transport, base + "/echo", headers=FROM_APP)
    assert complaints(wildcard, "cors.") == ["error:cors.credentials-with-wildcard"]
    assert complaints(echo, "cors.") == ["warning:cors.vary-origin-missing"]
