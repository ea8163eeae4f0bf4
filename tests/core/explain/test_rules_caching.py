"""Caching rules (RFC 9111): each fires on the mistake and stays quiet on the correct
response, on hand-made facts and on real responses from the practice server and from a
raw-socket server that sends what Werkzeug would not."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.core.explain import all_rules
from explorer.core.explain.findings import Category, Severity
from explorer.core.explain.rules_caching import duration
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
DATE = ("Date", "Sat, 05 Dec 2026 10:00:00 GMT")


def test_durations_read_like_words() -> None:
    assert [duration(s) for s in (0, 1, 61, 3725, 90000, 400 * 86400)] == [
        "0 seconds",
        "1 second",
        "1 minute 1 second",
        "1 hour 2 minutes",
        "1 day 1 hour",
        "1 year 35 days",
    ]


# caching.no-validators


def test_a_200_without_validators_is_noted_and_one_with_an_etag_is_not() -> None:
    bare = fired(facts([JSON]), "caching.no-validators")
    assert [f.severity for f in bare] == [INFO]
    assert bare[0].summary == "200 to GET with neither ETag nor Last-Modified"
    assert str(bare[0].pointer) == "header:ETag"
    assert fired(facts([JSON, ("ETag", '"v1"')]), "caching.no-validators") == []
    assert fired(facts([JSON, ("Last-Modified", DATE[1])]), "caching.no-validators") == []
    assert fired(facts([JSON, ("Cache-Control", "no-store")]), "caching.no-validators") == []
    assert fired(facts([JSON], method="POST"), "caching.no-validators") == []


def test_no_cache_without_a_validator_says_every_check_downloads_everything() -> None:
    no_cache = facts([JSON, ("Cache-Control", "no-cache")], body=b"x" * 2048)
    found = fired(no_cache, "caching.no-cache-without-validator")
    assert [f.severity for f in found] == [INFO]
    assert "no ETag or Last-Modified" in found[0].summary
    assert "2,048 bytes" in found[0].explanation
    assert fired(no_cache, "caching.no-validators") == []  # said once
    validated = facts([JSON, ("Cache-Control", "no-cache"), ("ETag", '"1"')])
    assert fired(validated, "caching.no-cache-without-validator") == []
    posted = facts([JSON, ("Cache-Control", "no-cache")], method="POST")
    assert fired(posted, "caching.no-cache-without-validator") == []


# caching.contradicting-directives


@pytest.mark.parametrize(
    ("cache_control", "words"),
    [
        ("no-store, max-age=600", "no-store and also max-age=600"),
        ("public, no-store", "no-store and also public"),
        ("public, private", "both public and private"),
        ("no-cache, immutable, max-age=60", "both no-cache and immutable"),
        ("max-age=ten", "max-age has 'ten', not a number"),
        ("s-maxage", "s-maxage has no value"),
        ("max-age=-1", "max-age has '-1'"),
        ("max-age=60, max-age=120", "gives max-age twice"),
    ],
)
def test_contradicting_directives_are_warned(cache_control: str, words: str) -> None:
    found = fired(
        facts([JSON, ("Cache-Control", cache_control)]), "caching.contradicting-directives"
    )
    assert [f.severity for f in found] == [WARNING]
    assert words in found[0].summary
    assert str(found[0].pointer) == "header:Cache-Control"


@pytest.mark.parametrize(
    "cache_control",
    [
        "no-store, no-cache, must-revalidate, max-age=0",  # belt and braces, harmless
        'public, private="Set-Cookie"',  # private names one field only
        'no-cache="Set-Cookie", immutable, max-age=31536000',
        "max-age=60, max-age=60",
        "public, max-age=3600, immutable",
    ],
)
def test_consistent_directives_draw_nothing(cache_control: str) -> None:
    assert (
        fired(facts([JSON, ("Cache-Control", cache_control)]), "caching.contradicting-directives")
        == []
    )


# caching.expires-and-max-age


def test_expires_that_is_no_date_means_expired() -> None:
    alone = fired(facts([JSON, ("Expires", "0")]), "caching.expires-and-max-age")
    assert [f.severity for f in alone] == [INFO]
    assert "not a date" in alone[0].summary and "expired" in alone[0].summary
    beside = fired(
        facts([JSON, ("Expires", "-1"), ("Cache-Control", "max-age=60")]),
        "caching.expires-and-max-age",
    )
    assert [f.severity for f in beside] == [INFO]
    assert "max-age=60 decides" in beside[0].summary


def test_expires_past_while_max_age_says_fresh() -> None:
    exchange = facts(
        [JSON, DATE, ("Cache-Control", "max-age=600"), ("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")]
    )
    found = fired(exchange, "caching.expires-and-max-age")
    assert [f.severity for f in found] == [INFO]
    assert found[0].summary == "max-age=600 says fresh, but Expires is already past"
    assert str(found[0].pointer) == "header:Expires"


def test_expires_and_max_age_that_disagree_and_that_agree() -> None:
    later = ("Expires", "Sun, 06 Dec 2026 10:00:00 GMT")  # a day after DATE
    max_age = ("Cache-Control", "max-age=60")
    found = fired(facts([JSON, DATE, max_age, later]), "caching.expires-and-max-age")
    assert [f.summary for f in found] == [
        "Expires gives 1 day of freshness, max-age gives 1 minute"
    ]
    agreeing = ("Expires", "Sat, 05 Dec 2026 10:01:00 GMT")
    redundant = fired(facts([JSON, DATE, max_age, agreeing]), "caching.expires-and-max-age")
    assert [f.summary for f in redundant] == ["Expires repeats what max-age=60 already says"]
    assert fired(facts([JSON, DATE, later]), "caching.expires-and-max-age") == []
    unstored = facts([JSON, DATE, ("Cache-Control", "no-store, max-age=60"), later])
    assert fired(unstored, "caching.expires-and-max-age") == []


# caching.vary-missing


def test_compressed_and_cacheable_without_vary_is_a_warning() -> None:
    request = [("Accept-Encoding", "gzip, deflate")]
    cached = [JSON, ("Content-Encoding", "gzip"), ("Cache-Control", "max-age=300")]
    found = fired(facts(cached, request), "caching.vary-missing")
    assert [f.severity for f in found] == [WARNING]
    assert found[0].summary == "Content-Encoding: gzip without Vary: Accept-Encoding"
    assert str(found[0].pointer) == "header:Vary"
    assert (
        fired(facts([*cached, ("Vary", "Accept-Encoding")], request), "caching.vary-missing") == []
    )
    assert fired(facts([*cached, ("Vary", "*")], request), "caching.vary-missing") == []


def test_compressed_without_caching_headers_is_only_noted() -> None:
    request = [("Accept-Encoding", "gzip")]
    assert severities(
        facts([JSON, ("Content-Encoding", "gzip")], request), "caching.vary-missing"
    ) == [INFO]
    private = [JSON, ("Content-Encoding", "gzip"), ("Cache-Control", "private, max-age=60")]
    assert severities(facts(private, request), "caching.vary-missing") == [INFO]
    stored_nowhere = [JSON, ("Content-Encoding", "gzip"), ("Cache-Control", "no-store")]
    assert fired(facts(stored_nowhere, request), "caching.vary-missing") == []
    assert fired(facts([JSON, ("Content-Encoding", "gzip")]), "caching.vary-missing") == []


def test_language_and_format_negotiation_are_noted_when_caches_keep_the_answer() -> None:
    etag = ("ETag", '"a"')
    language = facts(
        [JSON, etag, ("Content-Language", "ko")], [("Accept-Language", "ko, en;q=0.5")]
    )
    assert [f.summary for f in fired(language, "caching.vary-missing")] == [
        "Content-Language: ko without Vary: Accept-Language"
    ]
    xml = ("Content-Type", "application/xml")
    accept = [("Accept", "application/xml, application/json;q=0.9")]
    assert severities(facts([xml, etag], accept), "caching.vary-missing") == [INFO]
    assert fired(facts([xml, etag, ("Vary", "Accept")], accept), "caching.vary-missing") == []
    assert fired(facts([xml, etag], [("Accept", "*/*")]), "caching.vary-missing") == []
    only_xml = [("Accept", "application/xml")]
    assert severities(facts([xml, etag], only_xml), "caching.vary-missing") == [INFO]
    json_asked = [("Accept", "application/json")]
    assert fired(facts([xml, etag], json_asked), "caching.vary-missing") == []
    assert fired(facts([xml], accept), "caching.vary-missing") == []  # nothing to cache


# caching.weak-etag-misuse


def test_unquoted_and_weak_partial_etags_are_warned() -> None:
    unquoted = fired(facts([JSON, ("ETag", "v42")]), "caching.weak-etag-misuse")
    assert [f.summary for f in unquoted] == ["ETag v42 is not a quoted string"]
    partial = [("Content-Range", "bytes 0-9/100"), ("ETag", 'W/"v42"')]
    weak = fired(facts(partial, status=206), "caching.weak-etag-misuse")
    assert [f.summary for f in weak] == ["A weak ETag on a partial response"]
    assert (
        fired(
            facts([("Content-Range", "bytes 0-9/100"), ("ETag", '"v42"')], status=206),
            "caching.weak-etag-misuse",
        )
        == []
    )
    assert fired(facts([JSON, ("ETag", 'W/"v42"')]), "caching.weak-etag-misuse") == []


# caching.heuristic-freshness


def test_last_modified_without_a_lifetime_gets_the_heuristic_computed() -> None:
    ten_days_before = ("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")
    found = fired(facts([JSON, DATE, ten_days_before]), "caching.heuristic-freshness")
    assert [f.severity for f in found] == [INFO]
    assert found[0].summary == "No Cache-Control lifetime: caches will guess one (1 day)"
    for explicit in ("max-age=60", "no-cache", "no-store"):
        exchange = facts([JSON, DATE, ten_days_before, ("Cache-Control", explicit)])
        assert fired(exchange, "caching.heuristic-freshness") == [], explicit
    created = facts([JSON, DATE, ten_days_before], status=201)
    assert fired(created, "caching.heuristic-freshness") == []
    silent = fired(facts([JSON, DATE]), "caching.heuristic-freshness")
    assert [f.summary for f in silent] == ["No Cache-Control lifetime: caches may choose their own"]
    assert fired(facts([JSON, ("Vary", "*")]), "caching.heuristic-freshness") == []


# the facts REDbot also states


def test_age_pragma_vary_star_and_authorized_public_are_explained() -> None:
    assert [f.summary for f in fired(facts([JSON, ("Age", "125")]), "caching.age")] == [
        "Served by a cache: 2 minutes 5 seconds old"
    ]
    assert severities(facts([JSON, ("Age", "soon")]), "caching.age") == [WARNING]
    stale = facts([JSON, ("Age", "100"), ("Cache-Control", "max-age=30")])
    assert severities(stale, "caching.age") == [WARNING]
    assert severities(facts([JSON, ("Pragma", "no-cache")]), "caching.pragma-in-response") == [INFO]
    assert severities(facts([JSON, ("Vary", "*")]), "caching.vary-star") == [INFO]
    plain = facts([JSON, ("Vary", "Accept"), ("Cache-Control", "max-age=30")])
    for rule_id in ("caching.age", "caching.pragma-in-response", "caching.vary-star"):
        assert fired(plain, rule_id) == [], rule_id
    assert (
        fired(facts([JSON, ("Age", "10"), ("Cache-Control", "max-age=30")]), "caching.age")[
            0
        ].severity
        is INFO
    )
    authorized = [("Authorization", "Bearer abc")]
    public = facts([JSON, ("Cache-Control", "public, max-age=60")], authorized)
    assert severities(public, "caching.public-with-authorization") == [INFO]
    private = facts([JSON, ("Cache-Control", "private, max-age=60")], authorized)
    assert fired(private, "caching.public-with-authorization") == []
    assert (
        fired(facts([JSON, ("Cache-Control", "public")]), "caching.public-with-authorization") == []
    )


def test_no_cache_is_explained_on_gets_with_a_validator() -> None:
    revalidated = [JSON, ("ETag", '"1"'), ("Cache-Control", "no-cache")]
    found = fired(facts(revalidated), "caching.no-cache-meaning")
    assert [f.severity for f in found] == [INFO]
    assert "If-None-Match" in found[0].explanation
    assert fired(facts(revalidated, method="POST", status=201), "caching.no-cache-meaning") == []


def test_last_modified_not_a_date_or_after_the_date_header() -> None:
    assert [
        f.summary
        for f in fired(facts([JSON, ("Last-Modified", "today")]), "caching.bad-last-modified")
    ] == ["Last-Modified: today is not an HTTP date"]
    future = facts([JSON, DATE, ("Last-Modified", "Sat, 05 Dec 2026 12:00:00 GMT")])
    assert [f.summary for f in fired(future, "caching.bad-last-modified")] == [
        "Last-Modified is 2 hours after the server's own Date"
    ]
    past = facts([JSON, DATE, ("Last-Modified", "Sat, 05 Dec 2026 09:00:00 GMT")])
    assert fired(past, "caching.bad-last-modified") == []


# Real responses


def test_the_practice_servers_caching_endpoints_draw_no_warning(
    live_server: str, transport: Transport
) -> None:
    for path in ("/cache", "/cache/30", "/etag/v1", "/api/items/1", "/gzip", "/", "/time"):
        exchange = send(transport, live_server + path)
        assert complaints(exchange, "caching.") == [], path
    revalidating = send(transport, live_server + "/cache")
    assert severities(revalidating, "caching.no-cache-meaning") == [INFO]


def test_a_raw_server_s_contradictions_and_bad_tags_are_found(transport: Transport) -> None:
    routes = {
        "/contradiction": raw_response(
            "200 OK",
            [
                JSON,
                DATE,
                ("Cache-Control", "no-store, max-age=600"),
                ("Expires", "Sat, 05 Dec 2026 10:10:00 GMT"),
            ],
            b"{}",
        ),
        "/tags": raw_response("200 OK", [JSON, ("ETag", "v1"), ("ETag", '"v2"')], b"{}"),
        "/compressed": raw_response(
            "200 OK",
            [
                JSON,
                ("Content-Encoding", "identity"),
                ("Cache-Control", "max-age=60"),
                ("ETag", '"z"'),
            ],
            b"{}",
        ),
    }
    with canned_server(routes) as base:
        contradiction = send(transport, base + "/contradiction")
        tags = send(transport, base + "/tags")
        identity = send(transport, base + "/compressed")
    assert complaints(contradiction, "caching.") == ["warning:caching.contradicting-directives"]
    assert sorted(f.summary for f in fired(tags, "caching.weak-etag-misuse")) == [
        "2 ETag headers in one response",
        "ETag v1 is not a quoted string",
    ]
    assert fired(identity, "caching.vary-missing") == []  # identity is no encoding


# Robustness, for every rule of this helper's five categories

MINE = {Category.CACHING, Category.CONDITIONAL, Category.COOKIES, Category.SECURITY, Category.CORS}
NAMES = (
    "Cache-Control", "Expires", "Date", "ETag", "Last-Modified", "Age", "Vary", "Pragma",
    "Content-Encoding", "Content-Language", "Content-Type", "Content-Range", "Set-Cookie",
    "Strict-Transport-Security", "X-Content-Type-Options", "Content-Security-Policy",
    "X-Frame-Options", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
)  # fmt: skip
REQUEST_NAMES = (
    "If-None-Match", "If-Modified-Since", "If-Match", "Authorization", "Origin", "Accept",
    "Accept-Encoding", "Accept-Language", "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
)  # fmt: skip
PIECES = [*' ",;=*/-_.:0123456789abcWGMTtruenosi\\\t', "W/", "é", "max-age=", "GMT", "__Host-"]
VALUES = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=8),
    request_headers=st.lists(st.tuples(st.sampled_from(REQUEST_NAMES), VALUES), max_size=4),
    status=st.sampled_from([200, 206, 304, 412, 404]),
    method=st.sampled_from(["GET", "OPTIONS", "POST"]),
    scheme=st.sampled_from(["http", "https"]),
)
def test_no_rule_raises_on_arbitrary_header_values(
    headers: list[tuple[str, str]],
    request_headers: list[tuple[str, str]],
    status: int,
    method: str,
    scheme: str,
) -> None:
    exchange = facts(
        headers, request_headers, method=method, status=status, url=f"{scheme}://example.com/p"
    )
    for rule in all_rules():
        if rule.category in MINE:
            for note in rule.check(exchange):  # directly: explain() would hide a raise
                assert note.summary and note.explanation


def test_rules_of_this_part_cite_sections_and_name_their_lesson() -> None:
    lessons = {
        Category.CACHING: "cacheability",
        Category.CONDITIONAL: "cacheability",
        Category.COOKIES: "statelessness",
        Category.SECURITY: "common-mistakes",
        Category.CORS: "common-mistakes",
    }
    mine = [rule for rule in all_rules() if rule.category in MINE]
    assert len(mine) >= 30
    for rule in mine:
        assert rule.lesson == lessons[rule.category], rule.id
        assert rule.references and all(ref.url.startswith("https://") for ref in rule.references)
