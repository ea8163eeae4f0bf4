"""Redirect rules, on hand-made chains and on real ones (the practice server's
/redirect and /redirect-to, a raw socket for the loops and the open redirect)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from explorer.core.explain.findings import Pointer, Severity
from explorer.core.explain.rules_redirects import chain
from explorer.core.http.exchange import ErrorKind, SendError
from tests.support.explain.exchanges import (
    RawServer,
    findings,
    hop,
    ids,
    make_facts,
    raw_server,
    send,
)

BASE = "http://127.0.0.1:8000"


def found(rule_id: str, **changes: object) -> list[tuple[Severity, str]]:
    return [
        (f.severity, f.summary)
        for f in findings(make_facts(**changes), rule_id)
        if f.rule_id == rule_id
    ]


def severities(rule_id: str, **changes: object) -> list[Severity]:
    return [severity for severity, _ in found(rule_id, **changes)]


def test_a_long_chain_is_listed() -> None:
    hops = (
        hop(f"{BASE}/a", 301, f"{BASE}/b"),
        hop(f"{BASE}/b", 302, f"{BASE}/c"),
        hop(f"{BASE}/c", 307, f"{BASE}/d"),
    )
    [finding] = findings(make_facts(url=f"{BASE}/d", hops=hops), "redirects.chain")
    assert (finding.severity, finding.summary) == (Severity.INFO, "3 redirects before the answer")
    assert "\n\n3. GET `/c` → 307 → `/d`" in finding.explanation
    assert finding.pointer == Pointer("redirects")
    assert severities("redirects.chain", url=f"{BASE}/d", hops=hops[1:]) == []


def test_a_chain_that_comes_back_is_a_loop_a_form_posted_back_to_itself_is_not() -> None:
    back = (hop(f"{BASE}/a", 302, "/b"), hop(f"{BASE}/b", 302, "/a"))
    assert severities("redirects.loop", url=f"{BASE}/a", hops=back) == [Severity.WARNING]
    post_redirect_get = (hop(f"{BASE}/form", 303, "/form", "POST"),)
    assert severities("redirects.loop", url=f"{BASE}/form", hops=post_redirect_get) == []


def test_an_unfollowed_redirect_to_itself_is_an_error() -> None:
    itself = {"status": 301, "url": f"{BASE}/x", "headers": (("Location", "/x#top"),)}
    assert severities("redirects.loop", **itself) == [Severity.ERROR]
    assert severities("redirects.loop", **{**itself, "headers": (("Location", "/y"),)}) == []


def test_downgrade_to_http_and_worse_with_credentials() -> None:
    down = (hop("https://api.example/a", 301, "http://api.example/a"),)
    assert severities("redirects.downgrade", url="http://api.example/a", hops=down) == [
        Severity.WARNING
    ]
    with_cookie = {
        "url": "http://api.example/a",
        "hops": down,
        "request_headers": (("Cookie", "session=1"),),
    }
    assert severities("redirects.downgrade", **with_cookie) == [Severity.ERROR]
    up = (hop("http://api.example/a", 301, "https://api.example/a"),)
    assert severities("redirects.downgrade", url="https://api.example/a", hops=up) == []


def test_relative_locations_are_legal_and_noted_once() -> None:
    hops = (hop(f"{BASE}/a", 302, "/b"), hop(f"{BASE}/b", 302, f"{BASE}/c"))
    [(severity, summary)] = found("redirects.relative-location", url=f"{BASE}/c", hops=hops)
    assert severity is Severity.INFO and summary.startswith("1 of 2 redirects use")
    absolute = (hop(f"{BASE}/b", 302, f"{BASE}/c"),)
    assert severities("redirects.relative-location", url=f"{BASE}/c", hops=absolute) == []


def test_open_redirects_to_other_hosts() -> None:
    evil = "https://evil.example/login"
    asked = f"{BASE}/go?next={quote(evil, safe='')}"
    followed = (hop(asked, 302, evil),)
    assert severities("redirects.open-redirect", url=evil, hops=followed) == [Severity.WARNING]
    unfollowed = {"url": asked, "status": 302, "headers": (("Location", evil),)}
    [finding] = findings(make_facts(**unfollowed), "redirects.open-redirect")
    assert finding.pointer == Pointer("header", "Location")
    assert "evil.example" in finding.summary
    # Same host, a relative path, or one loopback address to another: nobody is sent away.
    same = f"{BASE}/go?next={quote(BASE + '/home', safe='')}"
    assert severities("redirects.open-redirect", hops=(hop(same, 302, f"{BASE}/home"),)) == []
    local = f"{BASE}/go?next=http://localhost:9/x"
    assert (
        severities("redirects.open-redirect", hops=(hop(local, 302, "http://localhost:9/x"),)) == []
    )
    fixed = (hop(f"{BASE}/go?next=/home", 302, "https://evil.example/"),)
    assert severities("redirects.open-redirect", hops=fixed) == []


def test_post_turned_into_get() -> None:
    posted = (hop(f"{BASE}/old", 302, "/new", "POST"),)
    assert severities("redirects.method-changed", url=f"{BASE}/new", hops=posted) == [Severity.INFO]
    kept = (hop(f"{BASE}/old", 307, "/new", "POST"),)
    assert severities("redirects.method-changed", url=f"{BASE}/new", method="POST", hops=kept) == []
    see_other = (hop(f"{BASE}/old", 303, "/new", "POST"),)
    assert severities("redirects.method-changed", url=f"{BASE}/new", hops=see_other) == []


def test_credentials_left_behind_on_another_origin_are_explained() -> None:
    away = (hop(f"{BASE}/go", 302, "https://other.example/x", withheld=("header Authorization",)),)
    [(severity, summary)] = found("redirects.credentials-withheld", hops=away)
    assert severity is Severity.INFO
    assert summary == "Not carried on to other.example: header Authorization"
    assert severities("redirects.credentials-withheld", hops=(hop(f"{BASE}/go", 302, "/x"),)) == []


def test_redirect_rules_cite_rfcs_and_teach_requests_and_responses() -> None:
    from explorer.core.explain import all_rules

    ours = [rule for rule in all_rules() if rule.id.startswith("redirects.")]
    assert {rule.id for rule in ours} >= {
        "redirects.chain", "redirects.loop", "redirects.downgrade",
        "redirects.relative-location", "redirects.open-redirect",
    }  # fmt: skip
    assert all(rule.lesson == "requests-and-responses" and rule.references for rule in ours)


def _redirect(location: str, extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 302 Found\r\nLocation: {location}\r\n{extra}Content-Length: 0\r\n"
        "Connection: close\r\n\r\n"
    ).encode()


OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"


@pytest.fixture(scope="module")
def raw() -> Iterator[RawServer]:
    with raw_server(
        {
            # A login dance: /start sends to /login and back, and /start then answers.
            "/start": [_redirect("/login"), OK],
            "/login": _redirect("/start", "Set-Cookie: session=1; Path=/\r\n"),
            "/self": _redirect("/self"),
            "/go": _redirect("https://evil.example/login"),
            "/landing": OK,
        }
    ) as server:
        yield server


def test_real_chains(raw: RawServer, live_server: str) -> None:
    url = raw.url
    dance = send(f"{url}/start")
    assert [step.url.rsplit("/", 1)[1] for step in chain(dance)] == ["start", "login"]
    assert "redirects.loop" in ids(dance)
    # A redirect to itself never ends: the transport stops and there is nothing to explain.
    with pytest.raises(SendError) as stopped:
        send(f"{url}/self")
    assert stopped.value.kind is ErrorKind.TOO_MANY_REDIRECTS
    assert ids(send(f"{url}/self", follow=False), "redirects.loop") == ["redirects.loop"]
    evil = "https://evil.example/login"
    opened = send(f"{url}/go?url={quote(evil, safe='')}", follow=False)
    assert ids(opened, "redirects.open") == ["redirects.open-redirect"]

    # 127.0.0.1 and localhost are two origins: the token stays behind, and is named.
    port = url.rsplit(":", 1)[1]
    raw.responses["/to-localhost"] = [_redirect(f"http://localhost:{port}/landing")]
    moved = send(f"{url}/to-localhost", headers=[("Authorization", "Bearer s3cret")])
    assert moved.status == 200 and "Authorization" not in dict(moved.request_headers)
    assert ids(moved, "redirects.credentials") == ["redirects.credentials-withheld"]

    three = send(f"{live_server}/redirect/3")
    assert [
        f.rule_id for f in findings(three, "redirects.") if f.severity is not Severity.INFO
    ] == []
    assert "redirects.chain" in ids(three)
    # The practice server's /redirect-to only follows loopback URLs: no open redirect.
    port = live_server.rsplit(":", 1)[1]
    loopback = send(
        f"{live_server}/redirect-to?url={quote(f'http://localhost:{port}/get', safe='')}"
    )
    assert loopback.status == 200 and loopback.hops
    assert ids(loopback, "redirects.") == []


def test_the_practice_servers_open_redirect_is_found(live_server: str) -> None:
    # Not followed: the test stays on this machine, as the Sample API's run does.
    away = quote("https://example.com/", safe="")
    facts = send(f"{live_server}/mistakes/redirect-to?url={away}", follow=False)
    assert facts.status == 302
    assert [(f.rule_id, f.severity) for f in findings(facts, "redirects.open")] == [
        ("redirects.open-redirect", Severity.WARNING)
    ]
