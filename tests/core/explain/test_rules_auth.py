"""Authentication rules: credentials over plain http, a refused bearer token without an
error code, an incomplete Basic challenge; each fires on the mistake and stays quiet on
the practice server's correct challenges."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.core.explain.findings import Severity
from explorer.core.explain.rules_auth import challenges
from tests.support.explain.exchanges import findings, hop, ids, make_facts, raw_server, send

ANSWERS: dict[str, bytes] = {
    "/bearer": b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="api"\r\n'
    b"Content-Length: 0\r\nConnection: close\r\n\r\n",
    "/basic-no-realm": b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\n"
    b"Content-Length: 0\r\nConnection: close\r\n\r\n",
    "/basic-no-charset": b"HTTP/1.1 401 Unauthorized\r\n"
    b'WWW-Authenticate: Basic realm="api"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
}


@pytest.fixture(scope="module")
def raw() -> Iterator[str]:
    with raw_server(ANSWERS) as server:
        yield server.url


def test_challenges_are_split_into_schemes_and_parameters() -> None:
    assert challenges('Basic realm="a, b", charset="UTF-8", Bearer') == [
        ("basic", {"realm": "a, b", "charset": "UTF-8"}),
        ("bearer", {}),
    ]
    assert challenges('Negotiate abc==, Bearer error="invalid_token"') == [
        ("negotiate", {}),
        ("bearer", {"error": "invalid_token"}),
    ]
    assert challenges("") == []


def test_a_password_or_token_over_plain_http_to_another_machine_is_a_warning() -> None:
    basic = make_facts(
        url="http://api.example.com/me", request_headers=(("Authorization", "Basic YTpi"),)
    )
    [finding] = findings(basic, "auth.credentials-over-http")
    assert finding.severity is Severity.WARNING
    assert "a password (Basic)" in finding.summary and "api.example.com" in finding.summary
    assert "YTpi" not in finding.summary + finding.explanation  # never the credential
    # A token that went on an earlier hop counts too; https and loopback do not.
    redirected = make_facts(
        url="https://api.example.com/me",
        hops=(hop("http://api.example.com/me", 301, "https://api.example.com/me",
                  sent_headers=(("Authorization", "Bearer t0k3n"),)),),
    )  # fmt: skip
    assert ids(redirected, "auth.credentials-over-http") == ["auth.credentials-over-http"]
    for url in ("https://api.example.com/me", "http://127.0.0.1:8765/auth/me",
                "http://localhost:8765/auth/me"):  # fmt: skip
        quiet = make_facts(url=url, request_headers=(("Authorization", "Bearer t0k3n"),))
        assert ids(quiet, "auth.") == []
    digest = make_facts(
        url="http://api.example.com/", request_headers=(("Authorization", 'Digest u="x"'),)
    )
    assert ids(digest, "auth.credentials-over-http") == []  # a hash, not replayable


def test_a_refused_bearer_token_should_say_why(raw: str, live_server: str) -> None:
    mistake = send(f"{raw}/bearer", headers=[("Authorization", "Bearer expired")])
    [finding] = findings(mistake, "auth.bearer-error-missing")
    assert finding.severity is Severity.INFO
    assert str(finding.pointer) == "header:WWW-Authenticate"
    # No token sent: a challenge without error= is right (RFC 6750 §3.1).
    assert ids(send(f"{raw}/bearer"), "auth.") == []
    # The practice server names the error of a bad token.
    correct = send(f"{live_server}/auth/me", headers=[("Authorization", "Bearer nonsense")])
    assert correct.status == 401
    assert ids(correct, "auth.") == []


def test_a_basic_challenge_needs_a_realm_and_should_name_its_charset(
    raw: str, live_server: str
) -> None:
    [no_realm] = findings(send(f"{raw}/basic-no-realm"), "auth.basic-challenge-incomplete")
    assert (no_realm.severity, no_realm.summary) == (
        Severity.WARNING,
        "Basic challenge without a realm",
    )
    [no_charset] = findings(send(f"{raw}/basic-no-charset"), "auth.basic-challenge-incomplete")
    assert no_charset.severity is Severity.INFO
    practice = send(f"{live_server}/basic-auth/ada/analytical")
    assert practice.status == 401
    assert ids(practice, "auth.") == []
