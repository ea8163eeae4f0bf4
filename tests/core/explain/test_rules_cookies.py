"""Cookie rules (RFC 6265, 6265bis): Secure over https, HttpOnly on logins, SameSite, and
the lines browsers drop — on hand-made facts, the practice server's cookies (set on a
redirect) and a real https server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from explorer.core.explain import explain
from explorer.core.explain.findings import Severity
from explorer.core.explain.rules_cookies import MAX_COOKIES, cookie_date, session_like
from explorer.core.http.exchange import Hop, SentRequest, Timing
from explorer.core.http.transport import Transport
from tests.support.explain.cases import (
    complaints,
    facts,
    fired,
    https_site,
    notes,
    send,
    severities,
)

INFO, WARNING = Severity.INFO, Severity.WARNING
HTTPS = "https://shop.example.com/account"
GOOD = "id=1; Path=/; Secure; HttpOnly; SameSite=Lax"


def cookie(line: str, url: str = HTTPS) -> object:
    return facts([("Content-Type", "application/json"), ("Set-Cookie", line)], url=url)


def test_cookie_dates_are_read_as_loosely_as_browsers_do() -> None:
    expected = datetime(2021, 6, 9, 10, 18, 14, tzinfo=UTC)
    for text in (
        "Wed, 09 Jun 2021 10:18:14 GMT",
        "Wed, 09-Jun-21 10:18:14 GMT",
        "Wednesday, 9 June 2021 10:18:14",
    ):
        assert cookie_date(text) == expected, text
    for text in (
        "tomorrow",
        "Wed, 31 Feb 2021 10:18:14 GMT",
        "09 Jun 2021",
        "",
        "99:00:00 1 Jan 2020",
    ):
        assert cookie_date(text) is None, text


def test_names_that_look_like_logins() -> None:
    for name in ("session", "PHPSESSID", "connect.sid", "auth_token", "JWT", "remember_me", "sid"):
        assert session_like(name), name
    for name in ("theme", "XSRF-TOKEN", "csrftoken", "lang", "consider"):
        assert not session_like(name), name


def test_secure_is_wanted_over_https_only() -> None:
    found = fired(cookie("id=1; Path=/; HttpOnly; SameSite=Lax"), "cookies.secure-missing")
    assert [f.severity for f in found] == [WARNING]
    assert found[0].summary == "Cookie id was set over https without Secure"
    assert str(found[0].pointer) == "cookie:id"
    assert fired(cookie(GOOD), "cookies.secure-missing") == []
    plain = cookie("id=1; Path=/; HttpOnly; SameSite=Lax", url="http://127.0.0.1/x")
    assert fired(plain, "cookies.secure-missing") == []
    deleted = cookie("id=; Max-Age=0; Path=/")
    assert fired(deleted, "cookies.secure-missing") == []


def test_httponly_matters_most_for_logins() -> None:
    assert severities(
        cookie("sessionid=abc; Secure; SameSite=Lax"), "cookies.httponly-missing"
    ) == [WARNING]
    assert severities(cookie("theme=dark; Secure; SameSite=Lax"), "cookies.httponly-missing") == [
        INFO
    ]
    assert severities(cookie("XSRF-TOKEN=t; Secure; SameSite=Lax"), "cookies.httponly-missing") == [
        INFO
    ]
    assert fired(cookie(GOOD), "cookies.httponly-missing") == []
    old = "sessionid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    assert fired(cookie(old), "cookies.httponly-missing") == []


def test_samesite_missing_and_none_without_secure() -> None:
    missing = fired(cookie("id=1; Secure; HttpOnly"), "cookies.samesite-missing")
    assert [(f.severity, f.summary) for f in missing] == [(INFO, "Cookie id has no SameSite")]
    assert fired(cookie(GOOD), "cookies.samesite-missing") == []
    for url in (HTTPS, "http://127.0.0.1/embed"):
        rejected = cookie("widget=1; SameSite=None; HttpOnly", url=url)
        assert severities(rejected, "cookies.samesite-none-without-secure") == [WARNING]
        assert fired(rejected, "cookies.secure-missing") == []  # said once, not twice
    assert (
        fired(cookie("widget=1; SameSite=None; Secure"), "cookies.samesite-none-without-secure")
        == []
    )


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("novalue", "without a name=value pair"),
        ("=orphan; Secure", "without a name=value pair"),
        ("id=1; Expires=next week", "Expires is not a date"),
        ("id=1; Max-Age=1h", "Max-Age is not a whole number"),
        ("id=1; Max-Age=", "Max-Age is empty"),
        ("id=1; Domain=", "Domain is empty"),
        ("id=1; Domain=example.org", "Domain=example.org does not cover shop.example.com"),
        ("id=1; SameSite=Sometimes", "SameSite=sometimes is not Strict, Lax or None"),
    ],
)
def test_lines_browsers_drop_or_misread(line: str, words: str) -> None:
    found = fired(cookie(line), "cookies.malformed")
    assert [f.severity for f in found] == [WARNING]
    assert words in found[0].summary


def test_well_formed_lines_are_not_malformed() -> None:
    for line in (
        GOOD,
        "id=1; Domain=.example.com; Expires=Wed, 09-Jun-27 10:18:14 GMT; Max-Age=-1",
        "id=1; domain=SHOP.example.com; samesite=strict",
        "empty=",
    ):
        assert fired(cookie(line), "cookies.malformed") == [], line
    assert (
        fired(cookie("id=1; Domain=127.0.0.1", url="http://127.0.0.1/"), "cookies.malformed") == []
    )
    assert severities(
        cookie("id=1; Domain=0.0.1", url="http://127.0.0.1/"), "cookies.malformed"
    ) == [WARNING]


def test_name_prefixes_are_checked() -> None:
    assert fired(cookie("__Host-id=1; Secure; Path=/"), "cookies.prefix-violation") == []
    broken = fired(
        cookie("__Host-id=1; Secure; Path=/; Domain=example.com"), "cookies.prefix-violation"
    )
    assert [f.summary for f in broken] == [
        "Cookie __Host-id breaks its name prefix: __Host- cookies must not have a Domain"
    ]
    insecure = cookie("__Secure-id=1; Path=/", url="http://127.0.0.1/")
    assert [f.summary for f in fired(insecure, "cookies.prefix-violation")] == [
        "Cookie __Secure-id breaks its name prefix: it lacks Secure"
    ]


def test_cookie_values_never_reach_a_finding() -> None:
    exchange = cookie("session=TOPSECRET-VALUE; Domain=evil.test; SameSite=None")
    found = explain(exchange)
    assert len([f for f in found if f.rule_id.startswith("cookies.")]) == 3
    assert not any("TOPSECRET" in f.summary + f.explanation for f in found)


def test_cookies_set_on_a_redirect_count_and_a_flood_is_bounded() -> None:
    hop = Hop(
        status=302,
        reason="Found",
        url="https://shop.example.com/login",
        location="/account",
        headers=(("Set-Cookie", "session=x; Path=/"),),
        timing=Timing(),
        sent=SentRequest("POST", "https://shop.example.com/login", ()),
        encrypted=True,
    )
    exchange = facts([("Content-Type", "application/json")], url=HTTPS, hops=(hop,))
    found = fired(exchange, "cookies.httponly-missing")
    assert [f.summary for f in found] == [
        "Cookie session on the redirect from /login looks like a login but has no HttpOnly"
    ]
    flood = facts([("Set-Cookie", f"c{n}=1") for n in range(500)], url=HTTPS)
    assert len(notes(flood, "cookies.samesite-missing")) == MAX_COOKIES


def test_the_practice_servers_cookies_draw_no_warning(
    live_server: str, transport: Transport
) -> None:
    set_theme = send(transport, live_server + "/cookies/set?theme=dark")
    assert set_theme.hops and set_theme.status == 200
    assert complaints(set_theme, "cookies.") == []
    assert severities(set_theme, "cookies.httponly-missing") == [INFO]  # a theme is for scripts
    assert severities(set_theme, "cookies.samesite-missing") == []
    logout = send(transport, live_server + "/session/logout", method="POST")
    assert logout.status == 204 and any(k.lower() == "set-cookie" for k, _ in logout.headers)
    assert [f.rule_id for f in explain(logout) if f.rule_id.startswith("cookies.")] == []


def test_over_real_https_a_session_cookie_needs_secure(
    tmp_path_factory: pytest.TempPathFactory, transport: Transport
) -> None:
    routes = {
        "/login": [
            ("Content-Type", "text/plain"),
            ("Set-Cookie", "session=s1; Path=/; HttpOnly; SameSite=Lax"),
        ],
        "/login-secure": [
            ("Content-Type", "text/plain"),
            ("Set-Cookie", "session=s1; Path=/; HttpOnly; Secure; SameSite=Lax"),
        ],
    }
    with https_site(tmp_path_factory.mktemp("tls"), routes) as (base, cert):
        insecure = send(transport, base + "/login", ca_bundle=str(cert))
        secure = send(transport, base + "/login-secure", ca_bundle=str(cert))
    assert insecure.scheme == "https"
    assert complaints(insecure, "cookies.") == ["warning:cookies.secure-missing"]
    assert complaints(secure, "cookies.") == []
